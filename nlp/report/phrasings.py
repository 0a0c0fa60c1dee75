"""Section 一's phrasings, compiled: the regexes and word lists of ``opening_phrasings.json``.

The words real reports use to state their published total and its split (verbs,
objects, measure words, approximation and cumulative markers, channels, split heads)
are data; this module only turns them into compiled patterns once, so that
:mod:`nlp.report.totals` and :mod:`nlp.report.splits` share one reading of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.report.layout import opening_phrasings

# A count as reports write it: ASCII digits (with thousands separators) or Chinese numerals.
# Non-capturing: the phrasing patterns name their own group.
# Digits that do not start inside a longer run of digits, or a written number of at most
# 16 characters: both keep a search linear on a run of 100,000 digits or numerals, which
# would otherwise be tried from every position of the run (as in nlp.report.document.NUM).
COUNT = (r"(?<!\d)(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
         r"|(?<![零〇一二两三四五六七八九十百千万])[零〇一二两三四五六七八九十百千万]{1,16}")


@dataclass(frozen=True)
class Phrasings:
    """The compiled form of ``opening_phrasings.json`` (see that file for each entry)."""

    totals: tuple[re.Pattern[str], ...]
    item: re.Pattern[str]
    item_leading: re.Pattern[str]
    item_trailing: re.Pattern[str]
    not_a_count_after: re.Pattern[str]
    not_a_count_before: re.Pattern[str]
    partial_after: re.Pattern[str]
    split_head: re.Pattern[str]
    after_count: re.Pattern[str]
    part_opening: re.Pattern[str]
    split_stop: re.Pattern[str]
    nested_heads: re.Pattern[str]
    approx_tail: re.Pattern[str]
    approx_before: tuple[str, ...]
    cumulative: tuple[str, ...]
    weak_cumulative: tuple[str, ...]
    year_words: tuple[str, ...]
    strong: str
    not_part_words: tuple[str, ...]
    not_total_words: tuple[str, ...]
    channels: tuple[str, ...]
    website_channels: tuple[str, ...]
    pseudo_items: tuple[str, ...]
    domain_words: tuple[str, ...]
    not_domain_stems: tuple[str, ...]

    def counts_other(self, text: str, end: int) -> bool:
        """Whether what follows a measure word at ``end`` shows the number counts something
        else (「条次」「7个工作日」「22%」). Matched on a slice: ``^`` anchors there only."""
        return bool(self.not_a_count_after.match(text[end:end + 8]))

    def opens_split(self, text: str, clause_start: int) -> bool:
        """Whether the clause at ``clause_start`` is a part: it opens with a split head, or
        the clause before it is only a head word (「其中，政务网站公开信息102条」)."""
        head = self.split_head.match(text, clause_start)
        if head is not None and re.sub(r"[\s，,;；:、(]", "", head.group()):
            return True
        return bool(self.part_opening.search(text[max(0, clause_start - 14):clause_start]))

    def ordinal(self, text: str, number_start: int) -> bool:
        """Whether the number at ``number_start`` is an ordinal (「第二十条」)."""
        return bool(self.not_a_count_before.search(text[max(0, number_start - 3):number_start]))


def _alternatives(words: list[str]) -> str:
    """``a|b|c`` of the escaped words, longest first so 大约 wins over 约."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def phrasings() -> Phrasings:
    """The phrasings, compiled once."""
    data = opening_phrasings()
    fill = {
        "{VERB}": _alternatives(data["verbs"]),
        "{OBJECT}": _alternatives(data["objects"]),
        "{UNIT}": _alternatives(data["units"]),
        "{APPROX_AFTER}": _alternatives(data["approx_after"]),
        "{APPROX_BEFORE}": _alternatives(data["approx_before"]),
        "{NUM}": COUNT,
    }

    def compiled(pattern: str) -> re.Pattern[str]:
        for key, value in fill.items():
            pattern = pattern.replace(key, value)
        return re.compile(pattern)

    return Phrasings(
        totals=tuple(compiled(p) for p in data["total_patterns"]),
        item=compiled(data["item"]),
        item_leading=re.compile(data["item_leading_words"]),
        item_trailing=re.compile(data["item_trailing_words"]),
        not_a_count_after=re.compile(data["not_a_count_after"]),
        not_a_count_before=re.compile(data["not_a_count_before"]),
        partial_after=re.compile(data["partial_after"]),
        split_head=re.compile(r"[\s，,;；:、(]*(?:" + _alternatives(data["split_heads"])
                              + r")[\s，,:]*"),
        after_count=compiled(r"\s*(?:{APPROX_AFTER})?\s*(?:{UNIT})"),
        part_opening=re.compile(r"(?:^|[，,。；;:\n])\s*(?:" + _alternatives(data["split_heads"])
                                + r")[\s，,:、]*$"),
        split_stop=re.compile(_alternatives(data["split_stops"])),
        nested_heads=re.compile(_alternatives(data["nested_heads"])),
        approx_tail=re.compile(r"\s*(?:" + _alternatives(data["approx_tail"]) + ")"),
        approx_before=tuple(data["approx_before"]),
        cumulative=tuple(data["cumulative"]),
        weak_cumulative=tuple(data["weak_cumulative"]),
        year_words=tuple(data["year_words"]),
        strong=data["strong"],
        not_part_words=tuple(data["not_part_words"]),
        not_total_words=tuple(data["not_total_words"]),
        channels=tuple(data["channels"]),
        website_channels=tuple(data["website_channels"]),
        pseudo_items=tuple(data["pseudo_items"]),
        domain_words=tuple(data["domain_words"]),
        not_domain_stems=tuple(data["not_domain_stems"]),
    )
