"""Small pure functions that turn what reports and notice lists write into values.

Full-width digits, Chinese numerals and thousands separators are everyday input,
so every number the parser reads goes through :func:`parse_number`. The form of a
title the classifier sees is :mod:`nlp.classifier.titles`' job.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"\s+")
_CN_NUMERAL_RE = re.compile(r"^[零〇一二两三四五六七八九十百千万亿]+$")
_ARABIC_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")


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
        import cn2an  # imported here: classifying never needs it, and it is slow to import

        try:
            value = cn2an.cn2an(s, "smart")
        except (ValueError, KeyError):
            return None
        return int(value) if float(value).is_integer() else float(value)
    return None
