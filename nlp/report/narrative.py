"""Reading the narrative's statements: applications, 复议/诉讼, 信息处理费, 规章 and 规范性文件.

Each key of :data:`nlp.report.model.NARRATIVE_KEYS` has patterns in
``nlp/data/narrative_patterns.json``; the first that matches outside the tables wins.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from nlp.report.document import NUM, Document
from nlp.report.layout import narrative_phrasings
from nlp.report.model import NARRATIVE_KEYS
from nlp.text import parse_number

PRODUCES: tuple[str, ...] = ()


@cache
def _narrative_patterns() -> dict[str, list[re.Pattern[str]]]:
    """The phrasings compiled, each ``\\s*`` possessive: two of them around an optional
    word (「办结\\s*(?:为)?\\s*12」) backtrack against each other, quadratic in a run of
    blank lines (a million took minutes). Nothing after one begins with a space."""
    data = narrative_phrasings()["patterns"]
    return {key: [re.compile(p.replace("{NUM}", NUM).replace(r"\s*", r"\s*+")) for p in pats]
            for key, pats in data.items()}


def _narrative_spans(doc: Document, table_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the text that are narrative, not tables."""
    out, pos = [], 0
    for lo, hi in sorted(table_spans):
        if lo > pos:
            out.append((pos, lo))
        pos = max(pos, hi)
    out.append((pos, len(doc.norm)))
    return out


def read_narrative(doc: Document, table_spans: list[tuple[int, int]]
                   ) -> tuple[dict[str, Any], dict[str, str]]:
    """(narrative key → value, cell path → quoted sentence); keys not stated are absent.

    ``period_year`` is read with the title (:func:`nlp.report.title.read_title`).
    """
    patterns = _narrative_patterns()
    spans = _narrative_spans(doc, table_spans)
    values: dict[str, Any] = {}
    quotes: dict[str, str] = {}
    for key in NARRATIVE_KEYS:
        if key == "period_year" or key not in patterns:
            continue
        for pattern in patterns[key]:
            hit = _first(pattern, doc, spans)
            if hit is None:
                continue
            value = _narrative_value(key, hit)
            if value is None:
                continue
            values[key] = value
            quotes[f"narrative.{key}"] = doc.quote(hit.start(), hit.end())
            break
    if values.get("no_applications") and values.get("applications_new") is None:
        values["applications_new"] = 0
        quotes["narrative.applications_new"] = quotes["narrative.no_applications"]
    if values.get("fees_collected") is None and values.get("fees_amount_yuan") is not None:
        values["fees_collected"] = values["fees_amount_yuan"] > 0
        quotes["narrative.fees_collected"] = quotes["narrative.fees_amount_yuan"]
    return values, quotes


def _first(pattern: re.Pattern[str], doc: Document, spans: list[tuple[int, int]]
           ) -> re.Match[str] | None:
    for lo, hi in spans:
        m = pattern.search(doc.norm, lo, hi)
        if m is not None:
            return m
    return None


def _narrative_value(key: str, m: re.Match[str]) -> Any:
    if key in ("no_applications", "no_review_litigation"):
        return True
    if key == "fees_collected":
        return not re.search(r"未|没有|不|无", m.group(0))
    groups = [g for g in m.groups() if g]
    if not groups:
        return None
    value = parse_number(groups[-1])
    return value if isinstance(value, (int, float)) else None
