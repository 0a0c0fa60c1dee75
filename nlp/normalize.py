"""Small pure functions that turn what reports and notice lists write into values.

Full-width digits, Chinese numerals and thousands separators are everyday input,
so every number the parser reads goes through :func:`parse_number`, and every
title the model sees goes through :func:`normalize_title`.
"""

from __future__ import annotations

import re
import unicodedata

import cn2an

_SPACE_RE = re.compile(r"\s+")
_CN_NUMERAL_RE = re.compile(r"^[零〇一二两三四五六七八九十百千万亿]+$")
_ARABIC_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")
# Titles carry dates, serial and document numbers that say nothing of the domain.
_DOCNO_RE = re.compile(r"[\[〔(（]\s*(?:19|20)\d{2}\s*[\]〕)）]\s*\d*\s*号?")
_DATE_RE = re.compile(
    r"(?:19|20)\d{2}\s*(?:年(?!度)|[-./])\s*(?:\d{1,2}\s*(?:月|[-./])\s*(?:\d{1,2}\s*日?)?)?"
    r"|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?"
)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def to_halfwidth(text: str) -> str:
    """NFKC-normalise: full-width digits, letters and punctuation become ASCII.

    >>> to_halfwidth("２０２３年　７４条（一）")
    '2023年 74条(一)'
    """
    return unicodedata.normalize("NFKC", text)


def collapse_spaces(text: str) -> str:
    """Fold every run of white space (including U+3000) into one space and strip.

    >>> collapse_spaces("  信息 \\t\\u3000内容 ")
    '信息 内容'
    """
    return _SPACE_RE.sub(" ", text.replace("\u3000", " ")).strip()


def parse_number(text: str) -> int | float | None:
    """Read a number as reports write it, or ``None`` when the text is not one.

    Accepts ASCII and full-width digits, thousands separators and Chinese
    numerals (via cn2an). Integral values come back as ``int``.

    >>> parse_number("７４")
    74
    >>> parse_number("1,136")
    1136
    >>> parse_number("七十四")
    74
    >>> parse_number("一百二十")
    120
    >>> parse_number("0.35")
    0.35
    >>> parse_number("—") is None
    True
    """
    s = to_halfwidth(text).strip().replace(" ", "")
    if not s:
        return None
    if _ARABIC_RE.match(s):
        value = float(s.replace(",", ""))
        return int(value) if value.is_integer() and "." not in s else value
    if _CN_NUMERAL_RE.match(s):
        try:
            value = cn2an.cn2an(s, "smart")
        except (ValueError, KeyError):
            return None
        return int(value) if float(value).is_integer() else float(value)
    return None


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


_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")",
                           "《": "<", "》": ">", "“": '"', "”": '"', "‘": "'", "’": "'",
                           "|": " ", "｜": " "})
