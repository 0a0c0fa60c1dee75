"""Unit names: telling which report a notice group belongs to, and what level a unit is.

A district's CMS export names the publishing unit the way its editors type it
(「红旗路街道」, 「北关区红旗路街道办事处」, 「红旗路街道办」), while the report names
itself in full. :func:`unit_keys` turns a name into keys from most to least specific,
so :func:`match_unit` can match at the most specific level where the match is unique.
Pure functions only; :mod:`nlp.batching.inputs` and :mod:`nlp.batching.runner` read and
match the files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# Suffixes that say the same thing in a full and a short form, longest first.
_SAME_SUFFIXES = (("街道办事处", "街道"), ("街道办", "街道"), ("镇人民政府", "镇"),
                  ("乡人民政府", "乡"), ("人民政府办公室", "政府办"), ("人民政府", "政府"))
# A leading province/city/district/county prefix: 「河南省」「安阳市」「北关区」「青石县」;
# two characters at least before 区/县, so 「社区服务中心」 keeps its 「社区」.
_PREFIX_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州|地区|盟|区|县|旗))")
_NOISE_RE = re.compile(r"[\s·•()（）〔〕\[\]【】「」『』\"'“”‘’、,，.。:：;；_\-—–/\\]+")
# What the bare key may drop at the end once the prefix is gone.
_KIND_SUFFIXES = ("街道", "镇", "乡")

LEVELS = ("街道", "乡镇", "区县政府", "部门")


def clean_name(name: str) -> str:
    """NFKC, no spaces or punctuation, the short form of the common suffixes.

    >>> clean_name(" 北关区 红旗路街道办事处 ")
    '北关区红旗路街道'
    >>> clean_name("（青石县）城关镇人民政府")
    '青石县城关镇'
    """
    text = _NOISE_RE.sub("", unicodedata.normalize("NFKC", name or ""))
    for full, short in _SAME_SUFFIXES:
        if text.endswith(full):
            return text[: -len(full)] + short
    return text


def unit_keys(name: str) -> list[str]:
    """Keys of a unit name from most to least specific: full, without the district
    prefix (repeatedly: 「河南省安阳市北关区」), and without 街道/镇/乡 at the end.

    >>> unit_keys("北关区红旗路街道办事处")
    ['北关区红旗路街道', '红旗路街道', '红旗路']
    >>> unit_keys("河北省教育厅")
    ['河北省教育厅', '教育厅']
    >>> unit_keys("")
    []
    """
    full = clean_name(name)
    if not full:
        return []
    keys = [full]
    bare = full
    while True:
        m = _PREFIX_RE.match(bare)
        # Never strip the whole name: 「北关区」 alone stays 「北关区」.
        if not m or len(m.group(0)) >= len(bare) - 1:
            break
        bare = bare[m.end():]
    if bare != full:
        keys.append(bare)
    for suffix in _KIND_SUFFIXES:
        if bare.endswith(suffix) and len(bare) > len(suffix) + 1:
            keys.append(bare[: -len(suffix)])
            break
    return keys


def match_unit(name: str | None, groups: Mapping[str, list[str]]) -> str | None:
    """The one group whose keys meet ``name``'s at the most specific level, or ``None``.

    ``groups`` maps a group's label to its :func:`unit_keys`. A level where two groups
    match is ambiguous and ends the search: guessing would give a report another
    unit's notices.

    >>> groups = {g: unit_keys(g) for g in ("红旗路街道", "北关区紫薇街道办", "教育局")}
    >>> match_unit("北关区红旗路街道办事处", groups), match_unit("紫薇街道", groups)
    ('红旗路街道', '北关区紫薇街道办')
    >>> match_unit("文峰区教育局", groups) is None, match_unit(None, groups) is None
    (False, True)
    """
    if not name:
        return None
    mine = unit_keys(name)
    for depth in range(3):
        if depth >= len(mine):
            break
        hits = [g for g, keys in groups.items() if mine[depth] in keys]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    # A group named more specifically than the report (「北关区红旗路街道」 for 「红旗路街道」).
    hits = [g for g, keys in groups.items() if set(keys) & set(mine)]
    return hits[0] if len(hits) == 1 else None


def unit_level(name: str | None) -> str | None:
    """街道, 乡镇, 区县政府 or 部门, from the unit's name; ``None`` without a name.

    >>> [unit_level(n) for n in ("北关区红旗路街道办事处", "城关镇人民政府", "洪泽区人民政府",
    ...                          "青石县人民政府办公室", "河北省教育厅")]
    ['街道', '乡镇', '区县政府', '部门', '部门']
    """
    if not name:
        return None
    key = clean_name(name)
    if key.endswith("街道"):
        return "街道"
    if key.endswith(("镇", "乡")):
        return "乡镇"
    if key.endswith("政府") and re.search(r"(?:区|县|市|旗)政府$", key):
        return "区县政府"
    return "部门"


def safe_stem(*parts: object) -> str:
    """A file-name stem from ``parts``: no path separators or characters Windows refuses.

    >>> safe_stem("北关区/红旗路街道办事处", 2023)
    '北关区_红旗路街道办事处_2023'
    >>> safe_stem(None, None)
    '未识别'
    """
    text = "_".join(str(p) for p in parts if p not in (None, ""))
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", unicodedata.normalize("NFKC", text))
    text = text.strip(" ._")[:80]
    return text or "未识别"
