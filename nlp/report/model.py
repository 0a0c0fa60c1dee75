"""The parsed annual report: what a report declares, in the contract's shape.

:class:`Report` is produced by :func:`nlp.report.parser.parse_report` and read by the
rules and the reconciliation. ``None`` always means "the report does not say"
(or the parser could not read it); it is never replaced by a guessed 0.

Cell paths
----------
Rules, findings and parse issues name the values they concern by their path
in the ``disclosure.report/1`` JSON, e.g. ``declared.total_published``,
``narrative.applications_new``, ``table2.regulations.made``,
``table3.new_received.total``, ``table4.review.total``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "disclosure.report/1"

TABLE3_COLUMNS: tuple[str, ...] = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
    "total",
)
TABLE3_ROWS: tuple[str, ...] = (
    "new_received", "carried_over", "granted", "partly_granted",
    "denied_state_secret", "denied_law_forbidden", "denied_security_stability",
    "denied_third_party", "denied_internal_affairs", "denied_process_info",
    "denied_enforcement_file", "denied_admin_query",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_excessive",
    "rejected_confirmation",
    "other_overdue_correction", "other_overdue_fee", "other_other",
    "processed_total", "carried_forward",
)
# The 21 leaf result rows that add up to processed_total (F3.RES).
TABLE3_RESULT_ROWS: tuple[str, ...] = TABLE3_ROWS[2:23]
TABLE4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
NARRATIVE_KEYS: tuple[str, ...] = (
    # the contract's five
    "applications_new", "applications_carried_over", "applications_closed",
    "applications_carried_forward", "fees_collected",
    # extras the narrative rules read (None when the report does not say)
    "fees_amount_yuan",            # 信息处理费 amount stated in 六, in 元
    "no_applications",             # True when the text says no application was received
    "review_count",                # 行政复议 count stated in the narrative
    "litigation_count",            # 行政诉讼 count stated in the narrative
    "no_review_litigation",        # True when the text says 未发生行政复议、行政诉讼
    "regulations_made",            # 规章 制发 count stated in the narrative (N5)
    "normative_documents_made",    # 行政规范性文件 制发 count stated in the narrative (N5)
    "period_year",                 # year of 「统计期限为Y年1月1日至12月31日」
    "body_year",                   # the year section 一's total sentence (or section 一) names
)

Number = int | float


def empty_table2() -> dict[str, Any]:
    """Table 二 with every cell unknown."""
    return {
        "regulations": {"made": None, "repealed": None, "in_force": None},
        "normative_documents": {"made": None, "repealed": None, "in_force": None},
        "licensing": None, "punishment": None, "coercion": None, "fees_wan_yuan": None,
    }


def empty_table3() -> dict[str, dict[str, Number | None]]:
    """Table 三 with every one of its 175 cells unknown."""
    return {row: dict.fromkeys(TABLE3_COLUMNS) for row in TABLE3_ROWS}


def empty_table4() -> dict[str, dict[str, Number | None]]:
    """Table 四 with every one of its 15 cells unknown."""
    return {group: dict.fromkeys(TABLE4_COLUMNS) for group in TABLE4_GROUPS}


@dataclass
class TotalMention:
    """A statement of the number of published items somewhere in the report."""

    value: int
    section: str
    text: str
    line: int | None = None


@dataclass(frozen=True)
class Split:
    """How a report splits its published total (or one item of that split).

    ``kind`` is ``domain`` (domains of the standard, or named 「…领域」 by the
    report), ``column`` (website columns and kinds of notice), ``channel``
    (website, WeChat, notice boards …) or ``mixed``. ``complete`` is False when
    the report gives only part of the total (a single item, a list ending in 等,
    an approximate item): such a split is not expected to add up. ``nested`` holds
    the splits of single items (「…微信公众号2443条，其中乡村振兴228条…」).
    """

    kind: str
    items: dict[str, int]
    complete: bool
    partial_reason: str | None = None
    nested: dict[str, Split] = field(default_factory=dict)
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The contract's ``declared.split`` object (``nested`` only when there is one)."""
        out: dict[str, Any] = {"kind": self.kind, "items": dict(self.items),
                               "complete": self.complete}
        if self.nested:
            out["nested"] = {name: s.to_dict() for name, s in self.nested.items()}
        return out


@dataclass
class ParseIssue:
    """Something the parser noticed about the report's form.

    The rules route an issue by its structured fields, never by its words:
    ``code`` says what happened (``header_text_deviates``, ``blank_cell``,
    ``table_missing``, ``table_unreadable``, ``format_2019``, ``section_missing``,
    ``section_order``, ``unit_suspect`` …; each reader module lists the codes it
    produces in ``PRODUCES``), ``table`` which table it concerns (``table3``) and
    ``section`` which section (``三``), and ``cells`` the cell paths. ``message`` is
    for the reviewer only.
    """

    code: str
    message: str
    cells: list[str] = field(default_factory=list)
    text: str | None = None
    line: int | None = None
    table: str | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The issue in the report's JSON (its routing fields stay internal)."""
        return {"code": self.code, "message": self.message, "cells": list(self.cells),
                "text": self.text, "line": self.line}


@dataclass
class Report:
    """Everything an annual report declares, as the parser read it."""

    source: dict[str, Any]
    unit: str | None = None
    year: int | None = None
    title: str | None = None
    format_version: str | None = None  # "2021", "2019" or None when no table says
    sections_found: list[str] = field(default_factory=list)
    total_published: int | None = None
    # True when section 一 gives only an approximate or cumulative figure (then the total
    # is None): 「140余条」「历年累计」
    total_approximate: bool = False
    domains: dict[str, int] = field(default_factory=dict)
    split: Split | None = None
    # Not in the JSON: False when the split's parts simply follow the total with no 其中/包括
    # (or open the next sentence), so its not adding up is reported with less weight.
    split_headed: bool = True
    total_mentions: list[TotalMention] = field(default_factory=list)
    narrative: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(NARRATIVE_KEYS))
    table2: dict[str, Any] = field(default_factory=empty_table2)
    table3: dict[str, dict[str, Number | None]] = field(default_factory=empty_table3)
    table4: dict[str, dict[str, Number | None]] = field(default_factory=empty_table4)
    # Not in the JSON: the text of each section by its numeral ("一" ... "六"), for the
    # narrative rules, and the sentence or table line each value was read from, by cell path.
    sections: dict[str, str] = field(default_factory=dict, repr=False)
    quotes: dict[str, str] = field(default_factory=dict, repr=False)
    issues: list[ParseIssue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``disclosure.report/1`` JSON object of the contract (plus a few extra keys)."""
        return {
            "schema": SCHEMA,
            "source": dict(self.source),
            "unit": self.unit,
            "year": self.year,
            "title": self.title,
            "format_version": self.format_version,
            "sections_found": list(self.sections_found),
            "declared": {
                "total_published": self.total_published,
                "total_approximate": self.total_approximate,
                "domains": dict(self.domains),
                "split": self.split.to_dict() if self.split is not None else None,
                "total_mentions": [
                    {"value": m.value, "section": m.section, "text": m.text}
                    for m in self.total_mentions
                ],
            },
            "narrative": dict(self.narrative),
            "table2": _copy(self.table2),
            "table3": _copy(self.table3),
            "table4": _copy(self.table4),
            "issues": [i.to_dict() for i in self.issues],
        }

    def value(self, path: str) -> Any:
        """The value at a cell path such as ``table3.new_received.total``.

        ``declared.total_mentions[0]`` indexes into the list of mentions.
        Raises ``KeyError`` for a path the report does not have.
        """
        data = self.to_dict()
        node: Any = data
        for part in path.split("."):
            if part.endswith("]"):
                name, index = part[:-1].split("[")
                node = node[name][int(index)]["value"]
            else:
                node = node[part]
        return node


def _copy(table: dict) -> dict:
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in table.items()}
