"""Reading section 一's published total, its split and every other statement of it.

Real reports state the total in 一(一), in the lead paragraph of 一, in 「一是…」 items,
in (二)/(三), or under 二、 in the pre-2019 outline; phrased as 主动公开政府信息X条,
共计公开各类信息X条, 发布信息X条, 「77 条主动公开信息」 … with many measure words
(all of it data in ``nlp/data/opening_phrasings.json``). The total is the first
*strong* statement (one that says 主动) of section 一 that is not one channel's count,
else the first weak one; a statement that is the year's own count (「新增」) beats an
earlier 「累计」 one, and one whose split adds up beats an earlier one whose split does
not. An approximate (「140余条」) or cumulative (「历年累计」) total is no count to check
against: the total is then ``None``, ``total_approximate`` is True and an issue says why.
Every other strong statement outside the tables and the split is a mention that must
agree with the total. Numbers inside tables are never totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.report.document import CLAUSE_END, Document
from nlp.report.model import ParseIssue, Split, TotalMention
from nlp.report.phrasings import phrasings
from nlp.report.splits import SplitRead, item_kind, read_split
from nlp.text import parse_number

PRODUCES: tuple[str, ...] = ("total_approximate", "total_cumulative")

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_CLAUSE_STOPS = "，,。；;！？!?\n"
_MAX_CANDIDATES = 40


@dataclass(frozen=True)
class TotalsRead:
    """What :func:`read_totals` found."""

    total: int | None = None
    approximate: bool = False
    domains: dict[str, int] = field(default_factory=dict)
    split: Split | None = None
    split_headed: bool = True
    mentions: list[TotalMention] = field(default_factory=list)
    quotes: dict[str, str] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    body_year: int | None = None


@dataclass(frozen=True)
class _Candidate:
    """One statement of a published-items count."""

    start: int
    end: int
    number_start: int
    value: int
    clause: str          # the clause up to the end of the count's measure word
    approximate: bool
    cumulative: bool
    running: bool        # says 累计 (a cumulative total, or only the year's running count)
    year_own: bool       # says 新增: the year's own count
    strong: bool         # says 主动
    channel: bool        # names a channel (WeChat, notice board …) before the count


def read_totals(doc: Document, table_spans: list[tuple[int, int]]) -> TotalsRead:
    """The published total, its split and its other statements, outside tables."""
    found = _candidates(doc, table_spans)
    if not found:
        return TotalsRead()
    main, split = _choose(doc, found)
    if main is None:
        return TotalsRead(mentions=_mentions(doc, found, None, None))
    quotes = {"declared.total_published": doc.quote(main.start, main.end)}
    issues: list[ParseIssue] = []
    total: int | None = main.value
    approximate = main.approximate or main.cumulative
    if approximate:
        total = None
        code = "total_cumulative" if main.cumulative and not main.approximate \
            else "total_approximate"
        what = "历年累计数" if code == "total_cumulative" else "约数"
        issues.append(ParseIssue(
            code, f"一(一)主动公开条数只给出{what}（{main.value}），不是本年可核对的条数，"
                  "按未给出处理",
            cells=["declared.total_published"], text=quotes["declared.total_published"],
            line=doc.line_number(main.start), section="一"))
    domains = split.domains if split is not None else {}
    if split is not None:
        quotes["declared.split"] = split.split.text
    return TotalsRead(
        total=total, approximate=approximate, domains=domains,
        split=split.split if split is not None else None,
        split_headed=split.headed if split is not None else True,
        mentions=_mentions(doc, found, main, split), quotes=quotes, issues=issues,
        body_year=_year_of(doc, main.start))


def _candidates(doc: Document, table_spans: list[tuple[int, int]]) -> list[_Candidate]:
    """Every statement of a published-items count outside the tables, in text order."""
    p = phrasings()
    norm = doc.norm
    by_number: dict[int, _Candidate] = {}
    for pattern in p.totals:
        for m in pattern.finditer(norm):
            n0 = m.start("n")
            if n0 in by_number or any(lo <= m.start() < hi for lo, hi in table_spans):
                continue
            value = parse_number(m.group("n"))
            unit = p.after_count.match(norm, m.end("n"))
            unit_end = unit.end() if unit is not None else m.end()
            if not isinstance(value, int) or p.counts_other(norm, unit_end) \
                    or p.ordinal(norm, n0):
                continue
            if norm[unit_end:unit_end + 1] == "、":
                continue  # one item of a list of categories, not a total
            lo = m.start()
            while lo > 0 and norm[lo - 1] not in _CLAUSE_STOPS and m.start() - lo < 120:
                lo -= 1
            if p.opens_split(norm, lo):
                continue  # 「其中，政务网站公开信息102条」: a part of something, not a total
            if any(w in norm[lo:m.end()] for w in p.not_total_words):
                continue  # 「收到依申请公开政府信息84件」: applications, not published items
            clause = norm[lo:m.end()]
            before = norm[lo:n0]
            approximate = bool(m.groupdict().get("a")) \
                or any(norm[max(0, n0 - len(w)):n0] == w for w in p.approx_before) \
                or bool(p.approx_tail.match(norm, unit_end))
            names_site = any(w in before for w in p.website_channels)
            by_number[n0] = _Candidate(
                start=m.start(), end=m.end(), number_start=n0, value=value, clause=clause,
                approximate=approximate,
                cumulative=any(w in before for w in p.cumulative),
                running=any(w in before for w in p.weak_cumulative),
                year_own=any(w in before for w in p.year_words),
                strong=p.strong in clause,
                channel=not names_site and any(w in before for w in p.channels))
    return sorted(by_number.values(), key=lambda c: c.start)


def _regions(doc: Document) -> list[tuple[int, int]]:
    """Where the total is looked for, in order: section 一, the text before the first
    heading, then section 二 (the pre-2019 outline states it under 二、); after them, a
    strong statement anywhere (:func:`_strong_anywhere`)."""
    if not doc.spans:
        return [(0, len(doc.norm))]
    out = []
    if "一" in doc.spans:
        out.append(doc.spans["一"])
    first = min(lo for lo, _ in doc.spans.values())
    out.append((0, first))
    if "二" in doc.spans:
        out.append(doc.spans["二"])
    return out


def _strong_anywhere(doc: Document, found: list[_Candidate]) -> list[_Candidate]:
    """The last resort when no region states a total (a heading misread, 「一、」 missing):
    a strong, exact statement anywhere outside the tables."""
    return [c for c in found if c.strong and not c.channel and not c.approximate]


def _choose(doc: Document, found: list[_Candidate]
            ) -> tuple[_Candidate | None, SplitRead | None]:
    """Section 一's total among the statements, with its split."""
    for lo, hi in _regions(doc):
        # Only the first statements of a region can be its total: reading the split of
        # each of thousands of them (a hostile or garbled page) would be quadratic.
        here = _not_parts(doc, [c for c in found if lo <= c.start < hi][:_MAX_CANDIDATES])
        pool = ([c for c in here if not c.channel]
                or [c for c in here if c.strong])
        if not pool:
            continue
        main = pool[0]
        if main.running and not main.year_own:
            main = next((c for c in pool if c.year_own), main)
        split = _split_after(doc, main)
        if split is None or not _adds_up(split, main.value):
            for other in pool:
                if other is main or other.approximate:
                    continue
                other_split = _split_after(doc, other)
                if other_split is not None and _adds_up(other_split, other.value):
                    return other, other_split
        return main, split
    rest = _not_parts(doc, _strong_anywhere(doc, found)[:_MAX_CANDIDATES])
    if rest:
        return rest[0], _split_after(doc, rest[0])
    return None, None


def _not_parts(doc: Document, here: list[_Candidate]) -> list[_Candidate]:
    """The statements that are not parts of another: one inside an earlier statement's
    split is a part (「…2715条，其中…重点领域信息1308条」), and one followed by a larger
    part of the same list is its first item (「公开政府信息4条(含转发)，政策文件18条」)."""
    out: list[_Candidate] = []
    spans: list[tuple[int, int]] = []
    for c in here:
        if any(a <= c.start < b for a, b in spans):
            continue
        split = _split_after(doc, c)
        if split is not None:
            name, first = next(iter(split.split.items.items()))
            if not split.headed and item_kind(name) != "channel" and first > c.value:
                continue
            spans.append(split.span)
        out.append(c)
    return out


def _split_after(doc: Document, c: _Candidate) -> SplitRead | None:
    return read_split(doc, c.end, None if c.approximate else c.value, total_clause=c.clause)


def _adds_up(split: SplitRead, total: int) -> bool:
    return split.split.complete and sum(split.split.items.values()) == total


def _mentions(doc: Document, found: list[_Candidate], main: _Candidate | None,
              split: SplitRead | None) -> list[TotalMention]:
    """Every other strong, exact statement of the year's published-items count."""
    out = []
    for c in found:
        if c is main or not c.strong or c.channel or c.approximate or c.cumulative:
            continue
        if c.running and main is not None and not main.running:
            continue  # 「2020年底累计主动公开921条」 beside the year's own count
        if split is not None and split.span[0] <= c.start < split.span[1]:
            continue
        if main is not None and main.start <= c.number_start < main.end:
            continue
        out.append(TotalMention(value=c.value, section=doc.section_of(c.start),
                                text=doc.quote(c.start, c.end, CLAUSE_END),
                                line=doc.line_number(c.start)))
    return out


def _year_of(doc: Document, pos: int) -> int | None:
    """The year the total's sentence names (「2022年，我镇…主动公开…223条」), if any."""
    lo = pos
    while lo > 0 and doc.norm[lo - 1] not in "。\n" and pos - lo < 200:
        lo -= 1
    found = _YEAR_RE.search(doc.norm, lo, pos)
    return int(found.group(1)) if found else None
