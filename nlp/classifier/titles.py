"""The form of a notice title the classifier sees.

Full-width forms become ASCII, Latin letters lower case, bracket styles one style;
document numbers, dates and other digits become placeholders because they carry no
domain. :func:`normalize_titles` does a whole batch at once (the model's first step).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from nlp.text import collapse_spaces, to_halfwidth

_SPACE_RE = re.compile(r"\s+")
# Titles carry dates, serial and document numbers that say nothing of the domain.
_DOCNO_RE = re.compile(r"[\[〔(（]\s*(?:19|20)\d{2}\s*[\]〕)）]\s*\d*\s*号?")
_DATE_RE = re.compile(  # the lookahead makes the scan skip non-digits quickly
    r"(?=\d)(?:19|20)\d{2}\s*(?:年(?!度)|[-./])\s*(?:\d{1,2}\s*(?:月|[-./])\s*(?:\d{1,2}\s*日?)?)?"
    r"|(?=\d)\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?"
)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def normalize_title(title: str) -> str:
    """The form of a notice title the classifier sees.

    Full-width forms become ASCII, Latin letters lower case, bracket styles one
    style; document numbers, dates and other digits become placeholders because
    they carry no domain.

    >>> normalize_title("关于２０２３年度低保名单的公示【2023年5月】")
    '关于0年度低保名单的公示(#)'
    >>> normalize_title("区应急局〔2024〕12号 关于开展安全生产检查的通知")
    '区应急局# 关于开展安全生产检查的通知'
    """
    s = to_halfwidth(title).lower()
    s = s.translate(_BRACKETS)
    s = _DOCNO_RE.sub("#", s)
    s = _DATE_RE.sub("#", s)
    s = _NUMBER_RE.sub("0", s)
    return collapse_spaces(s)


def normalize_titles(titles: list[str]) -> list[str]:
    """:func:`normalize_title` of each title, done on the whole batch at once.

    The titles are joined by NUL, which no step can create, remove or match
    across (NFKC composes nothing with it, ``\\s`` does not match it), so each
    step runs once over one long string. NFKC, lower-casing and the bracket
    map become one lookup per code point (:class:`_CharMap`); a title with a
    character whose form depends on its neighbours, or that becomes several
    characters, is normalised on its own. So is a title that holds a NUL.

    >>> normalize_titles(["２０２３年低保公示 ", "", "第3批　名单", "ΟΔΟΣ…"])
    ['#低保公示', '', '第0批 名单', 'οδος...']
    """
    if not titles:
        return []
    text = _SEP.join(titles)
    if text.count(_SEP) != len(titles) - 1:
        return [normalize_title(t) for t in titles]
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped, alone = _CHAR_MAP.apply(points)
    s = mapped.tobytes().decode("utf-32-le", "surrogatepass")
    s = _DOCNO_RE.sub("#", s)
    s = _DATE_RE.sub("#", s)
    s = _NUMBER_RE.sub("0", s)
    s = _SPACE_RE.sub(" ", s)
    out = [part.strip() for part in s.split(_SEP)]
    if len(alone):
        starts = np.cumsum([0] + [len(t) + 1 for t in titles[:-1]])
        for i in np.unique(np.searchsorted(starts, alone, side="right") - 1):
            out[i] = normalize_title(titles[i])
    return out


class _CharMap:
    """What NFKC, lower-casing and the bracket map make of each code point, learned lazily.

    Applying them one code point at a time gives :func:`normalize_title`'s result
    whenever every character maps to exactly one character that cannot compose
    with or reorder around its neighbours (not a combining mark, not a Hangul
    jamo), and is not Σ, whose lower case depends on the next letter. The others
    are *contextual* and their titles are done one by one.
    """

    _CONTEXTUAL = -1

    def __init__(self) -> None:
        self._table: np.ndarray | None = None  # 4 MB: made on first use, not at import

    @property
    def table(self) -> np.ndarray:
        if self._table is None:
            self._table = np.full(0x110000, -2, dtype=np.int32)  # -2: not learned yet
        return self._table

    def apply(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mapped code points, and the positions of contextual ones (left unmapped)."""
        values = self.table[points]
        unknown = values == -2
        if unknown.any():
            for cp in np.unique(points[unknown]).tolist():
                self.table[cp] = self._learn(cp)
            values = self.table[points]
        contextual = np.flatnonzero(values == self._CONTEXTUAL)
        values[contextual] = points[contextual]
        return values.astype(np.uint32), contextual

    def _learn(self, cp: int) -> int:
        char = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            return self._CONTEXTUAL
        out = unicodedata.normalize("NFKC", char)
        if len(out) != 1 or not _inert(out) or "\u03a3" in out:
            return self._CONTEXTUAL
        out = out.lower().translate(_BRACKETS).replace("\u3000", " ")
        return ord(out) if len(out) == 1 and _inert(out) else self._CONTEXTUAL


def _inert(char: str) -> bool:
    cp = ord(char)
    return (not unicodedata.category(char).startswith("M") and not unicodedata.combining(char)
            and not 0x1100 <= cp <= 0x11FF)


_CHAR_MAP = _CharMap()
_SEP = "\x00"
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")",
                           "《": "<", "》": ">", "“": '"', "”": '"', "‘": "'", "’": "'",
                           "|": " ", "｜": " "})
