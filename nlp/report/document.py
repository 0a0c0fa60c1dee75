"""The report's text as the readers see it: one folded copy and where each section lies.

Every reader works on :attr:`Document.norm`, a copy of the text with full-width
digits, letters and brackets folded to ASCII one character for one, so an offset in
the folded copy is an offset in the original and every match can be quoted from the
report's own words. A :class:`Document` is built once from the text and the
sections :func:`nlp.report.sections.read_sections` found, and never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One-to-one character folding, so offsets in the folded text are offsets in the original.
_FOLD = {**{0xFF10 + i: 0x30 + i for i in range(10)},
         **{0xFF21 + i: 0x41 + i for i in range(26)},
         **{0xFF41 + i: 0x61 + i for i in range(26)},
         ord("（"): "(", ord("）"): ")", ord("．"): ".", ord("\u3000"): " ", ord("\u00a0"): " ",
         ord("／"): "/", ord("＋"): "+", ord("－"): "-", ord("："): ":", ord("﹒"): "."}
# A number: digits that do not start inside a longer run of digits, or a written
# number of at most 16 characters (「一百二十三万四千五百六十七」 has 13). Both bounds
# keep a search linear on a run of 100,000 digits or numerals, which would otherwise
# be tried from every position of the run.
NUM = r"((?<!\d)\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]{1,16})"
SENTENCE_END = "。；;！？!?\n"
CLAUSE_END = "，,。；;！？!?\n"


def fold(text: str) -> str:
    """Full-width digits, letters and brackets to ASCII, one character for one.

    >>> fold("（一）１２条")
    '(一)12条'
    """
    return text.translate(_FOLD)


def spaced(literal: str) -> str:
    """A regex for ``literal`` that tolerates white space between its characters."""
    out = []
    for ch in fold(literal):
        if ch == ".":
            out.append(r"[.、]")
        elif ch.isspace():
            continue
        else:
            out.append(re.escape(ch))
    return r"\s*".join(out)


def compact(text: str) -> str:
    """The text folded, without white space or quotation marks, for comparing labels."""
    return re.sub(r"[\s\"“”'‘’]", "", fold(text))


@dataclass(frozen=True)
class Document:
    """The original text, its folded copy and the sections' places.

    Parameters
    ----------
    text : str
        The report's text as read.
    spans : dict
        Numeral → (start of its heading, end of the section).
    body : dict
        Numeral → end of its heading (where the section's text starts).
    """

    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    body: dict[str, int] = field(default_factory=dict)
    norm: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", fold(self.text))

    def quote(self, start: int, end: int, stops: str = SENTENCE_END) -> str:
        """The sentence (or clause) of the original text around ``start:end``."""
        lo = start
        while lo > 0 and self.text[lo - 1] not in stops and start - lo < 200:
            lo -= 1
        hi = end
        while hi < len(self.text) and self.text[hi] not in stops and hi - end < 200:
            hi += 1
        return self.text[lo:hi].strip(" \t，,")

    def line(self, pos: int) -> str:
        """The table line around ``pos`` (at most 160 characters of it)."""
        lo = max(self.text.rfind("\n", 0, pos) + 1, pos - 40)
        hi = self.text.find("\n", pos)
        hi = min(hi if hi >= 0 else len(self.text), pos + 120)
        return self.text[lo:hi].strip()

    def line_number(self, pos: int) -> int:
        """The 1-based line of ``pos``."""
        return self.text.count("\n", 0, pos) + 1

    def section_of(self, pos: int) -> str:
        """The numeral of the section ``pos`` lies in, or ``""`` before the first."""
        for numeral, (lo, hi) in self.spans.items():
            if lo <= pos < hi:
                return numeral
        return ""

    def region(self, numeral: str) -> tuple[int, int] | None:
        """(start of the section's text, end of the section), or ``None`` when not found."""
        if numeral not in self.spans:
            return None
        return self.body[numeral], self.spans[numeral][1]
