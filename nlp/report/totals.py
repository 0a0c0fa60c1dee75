"""Reading section 一's published total, its split and every other statement of it.

The first statement of a published-items total in section 一 (or before the first
heading when there are no headings) is the report's total; the per-domain split is
the list written right after it; every other statement is a mention that must agree
with it. Numbers inside tables are never totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from nlp.labels import canonical_domain, is_known_domain
from nlp.report.document import CLAUSE_END, NUM, Document
from nlp.report.layout import domain_data, narrative_phrasings
from nlp.report.model import ParseIssue, TotalMention
from nlp.text import parse_number

PRODUCES: tuple[str, ...] = ()

_TOTAL_RES = (
    re.compile(r"(?:共计|累计|共)?(?:主动)?(?:发布|公开|更新)[^。；;，,\d]{0,30}?信息[共计为总数量:]{0,4}\s*"
               + NUM + r"\s*(?:条|篇|件)(?![\u4e00-\u9fff]{0,2}(?:次|人))"),
    re.compile(NUM + r"\s*(?:条|篇)\s*(?:主动公开|公开|发布)(?:的)?(?:政府|政务)?信息"),
)
_APPROX_RE = re.compile(r"^\s*(?:余|多|左右)")
_ITEM_RE = re.compile(r"([\u4e00-\u9fff]{2,20}?)(?:领域|方面)?(?:信息)?\s*" + NUM
                      + r"\s*(?:条|篇|件|个)")
_LEADING_WORDS_RE = re.compile(r"^(?:其中|包括|含|涉及|分别为|发布|公开|主动公开|关于)+")


@dataclass(frozen=True)
class TotalsRead:
    """What :func:`read_totals` found."""

    total: int | None = None
    domains: dict[str, int] = field(default_factory=dict)
    mentions: list[TotalMention] = field(default_factory=list)
    quotes: dict[str, str] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)


def read_totals(doc: Document, table_spans: list[tuple[int, int]]) -> TotalsRead:
    """The published total, its domain split and its other statements, outside tables."""
    matches = _total_matches(doc, table_spans)
    if not matches:
        return TotalsRead()
    s1 = doc.spans.get("一")
    in_s1 = [m for m in matches if s1 and s1[0] <= m[0] < s1[1]]
    main = (in_s1 or [m for m in matches if not doc.spans or m[0] < min(
        lo for lo, _ in doc.spans.values())] or [None])[0]
    total, domains, quotes = None, {}, {}
    if main is not None:
        total = main[3]
        quotes["declared.total_published"] = doc.quote(main[0], main[1])
        domains = _domains(doc, main[1])
    mentions = [TotalMention(value=m[3], section=doc.section_of(m[0]),
                             text=doc.quote(m[0], m[1], CLAUSE_END), line=doc.line_number(m[0]))
                for m in matches if m is not main]
    return TotalsRead(total, domains, mentions, quotes)


def _total_matches(doc: Document, table_spans: list[tuple[int, int]]
                   ) -> list[tuple[int, int, int, int]]:
    """(start, end, number start, value) of each statement of a published-items total."""
    channels = _channel_words()
    out = []
    for pattern in _TOTAL_RES:
        for m in pattern.finditer(doc.norm):
            if any(lo <= m.start() < hi for lo, hi in table_spans) \
                    or _APPROX_RE.match(doc.norm[m.end(1):m.end()]):
                continue
            value = parse_number(m.group(1))
            if not isinstance(value, int):
                continue
            if doc.norm[m.end():m.end() + 1] == "、":
                continue  # one item of a list of categories, not a total
            if any(w in doc.quote(m.start(), m.end()) for w in channels):
                continue
            out.append((m.start(), m.end(), m.start(1), value))
    return sorted(set(out))


@cache
def _channel_words() -> tuple[str, ...]:
    return tuple(narrative_phrasings()["channel_words"])


def _domains(doc: Document, end: int) -> dict[str, int]:
    """The per-domain split written right after the total (「其中A领域N条，B领域M条」).

    A split by kind of document (「其中，文件类47件，公示公告85个」) is not a split
    by domain: its parts would be checked as domains against the total, so it
    gives no domains at all.
    """
    out: dict[str, int] = {}
    for name, value in _split_items(doc, end):
        domain = _domain_of_item(name)
        if domain is None:
            return {}
        out[domain] = value
    return out


def _domain_of_item(name: str) -> str | None:
    """The domain an item of a 「其中…」 list names, or ``None`` for a kind of document.

    「文件类」 and 「政策解读」 name kinds of documents; 「社会救助类公示」 names a
    domain and the kind of its notices, and counts for the domain.
    """
    kinds = [word for word in _document_kinds() if word in name]
    if not kinds:
        return canonical_domain(name)
    rest = name
    for word in kinds:
        rest = rest.replace(word, "")
    return canonical_domain(rest) if rest and is_known_domain(rest) else None


def _split_items(doc: Document, end: int) -> list[tuple[str, int]]:
    """The (name, count) items of the 「其中…」 list that follows a total, in order."""
    head = re.match(r"[\s，,;；:(。]*(?:其中|包括|含|分别|涉及)", doc.norm[end:end + 12])
    if head is None:
        return []
    end += head.end()
    stop = end
    while stop < len(doc.norm) and doc.norm[stop] not in "。\n" and stop - end < 400:
        stop += 1
    out = []
    for part in re.split(r"[，,、；;]", doc.norm[end:stop]):
        m = _ITEM_RE.search(part)
        if m is None:
            continue
        name = _LEADING_WORDS_RE.sub("", m.group(1))
        value = parse_number(m.group(2))
        if len(name) >= 2 and isinstance(value, int):
            out.append((name, value))
    return out


@cache
def _document_kinds() -> tuple[str, ...]:
    """Words naming a kind of document (文件, 公告, 解读 …), kept with the domain data."""
    return tuple(domain_data()["document_kinds"])
