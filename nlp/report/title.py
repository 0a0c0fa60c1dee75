"""Reading who reports on which year: the title, the issuing unit, the statistics period.

The title line gives both in most reports (「…街道办事处2023年政府信息公开工作年度报告」).
When it does not, the unit comes from the signature before the date at the end, or
from the first sentence of section 一 that names a province-level organisation, and
the year from the statistics period or the year most often written before section 二.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from nlp.report.document import Document
from nlp.report.layout import layout

PRODUCES: tuple[str, ...] = ()

# The title at the start of a line, after spaces but not after line breaks: with
# ``^\s*`` every line start would consume all the blank lines after it, quadratic in
# a run of them (250,000 blank lines took minutes); each line start is tried anyway.
_TITLE_RE = re.compile(
    r"(?m)^[^\S\n]*([\u4e00-\u9fff()]{2,40}?)\s*((?:19|20)\d{2})\s*年度?\s*"
    r"(?:政府信息公开|政务公开|信息公开)工作(?:年度)?报告")
_TITLE_IN_TEXT_RE = re.compile(_TITLE_RE.pattern.replace("(?m)^[^\\S\\n]*", ""))
_PERIOD_RE = re.compile(r"统计期限\D{0,8}?((?:19|20)\d{2})\s*年")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class TitleRead:
    """What :func:`read_title` found; ``None`` where the report does not say."""

    title: str | None = None
    unit: str | None = None
    year: int | None = None
    period_year: int | None = None
    quotes: dict[str, str] = field(default_factory=dict)


@cache
def _signature_re() -> re.Pattern[str]:
    suffixes = "|".join(layout()["signature_suffixes"])
    return re.compile(rf"([\u4e00-\u9fff()]{{2,30}}?(?:{suffixes}))"
                      r"\s*((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def read_title(doc: Document) -> TitleRead:
    """The title, unit, reported year and statistics-period year of ``doc``."""
    title = unit = year = period_year = None
    quotes: dict[str, str] = {}
    head_end = doc.spans.get("一", (min(len(doc.norm), 600), 0))[0] or min(len(doc.norm), 600)
    m = _TITLE_RE.search(doc.norm, 0, max(head_end, 1))
    if m is not None:
        title = re.sub(r"\s+", "", doc.text[m.start(1):m.end()])
        quotes["title"] = doc.text[m.start(1):m.end()].strip()
    else:  # no title line; the report may still name itself in a sentence or an attachment
        m = _TITLE_IN_TEXT_RE.search(doc.norm)
    if m is not None:
        unit = _full_unit(doc, _clean_unit(m.group(1)))
        year = int(m.group(2))
    period = _PERIOD_RE.search(doc.norm)
    if period is not None:
        period_year = int(period.group(1))
        quotes["narrative.period_year"] = doc.quote(period.start(), period.end())
    if unit is None:
        tail = max(0, len(doc.norm) - 800)
        sigs = list(_signature_re().finditer(doc.norm, tail))
        if sigs:
            unit = _clean_unit(sigs[-1].group(1))
    if unit is None:
        unit = _unit_in_body(doc)
    if year is None:
        if period_year is not None:
            year = period_year
        else:
            years = Counter(int(y) for y in _YEAR_RE.findall(
                doc.norm[: doc.spans["二"][0]] if "二" in doc.spans else doc.norm))
            year = years.most_common(1)[0][0] if years else None
    return TitleRead(title, unit, year, period_year, quotes)


def _clean_unit(name: str) -> str:
    """Cut words the run of characters before a unit name picked up.

    A province name starts the unit when there is one (「…事项无河北省人社厅」);
    otherwise leading verbs such as 发布 are dropped.
    """
    starts = [name.find(p) for p in layout()["provinces"] if p in name]
    if starts:
        return name[min(starts):]
    return re.sub(r"^(?:现将|现|特|发布|公布|印发|附件|关于)+", "", name)


def _unit_in_body(doc: Document) -> str | None:
    """A province-level organisation named near the start of section 一.

    With its province (「2021年，河北省科学技术厅坚持…」) anywhere there, or else
    as the subject of a 「YYYY年，…」 sentence without one (「2023年，省工业和信息化厅
    坚持…」); the latter gets the province the report names, when it names
    exactly one (「《河北省实施…办法》」), and is kept as written otherwise.
    """
    lo, hi = doc.spans.get("一", (0, min(len(doc.norm), 3000)))
    text = doc.norm[lo:min(hi, lo + 3000)]
    named, bare = _unit_patterns()
    m = named.search(text)
    if m is not None:
        return m.group()
    m = bare.search(text)
    if m is None:
        return None
    provinces = {p for p in layout()["provinces"] if p + "省" in doc.norm}
    return provinces.pop() + m.group(1) if len(provinces) == 1 else m.group(1)


@cache
def _unit_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a unit written with its province, a 「省…厅」 unit as a sentence's subject)."""
    names = "|".join(layout()["provinces"])
    suffixes = "|".join(layout()["unit_suffixes"])
    named = re.compile(rf"(?:{names})省?[\u4e00-\u9fff]{{1,14}}?(?:{suffixes})")
    bare = re.compile(rf"(?:19|20)\d{{2}}\s*年(?:度|以来)?\s*[，,]\s*"
                      rf"(省[\u4e00-\u9fff]{{1,14}}?(?:{suffixes}))")
    return named, bare


def _full_unit(doc: Document, unit: str) -> str:
    """The unit with the city or province the report writes before it elsewhere.

    The title often drops the city (「洪泽区人民政府」) that the body writes in
    full (「淮安市洪泽区人民政府办公室」); the shortest place name ending in
    省/市/州 right before the unit is taken, twice at most.
    """
    unit = unit.strip("()")
    pos = doc.norm.find(unit)
    while pos >= 0:
        prefix, end = "", pos
        for _ in range(2):
            for length in (2, 3, 4):
                lo = end - length - 1
                piece = doc.norm[lo:end] if lo >= 0 else ""
                if piece and piece[-1] in "省市州盟" and all(
                        "\u4e00" <= ch <= "\u9fff" for ch in piece):
                    prefix, end = piece + prefix, lo
                    break
            else:
                break
        if prefix and not unit.startswith(prefix):
            return prefix + unit
        pos = doc.norm.find(unit, pos + 1)
    return unit
