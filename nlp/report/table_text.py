"""What the readers of tables 二, 三 and 四 share: where a table lies, its row labels, noise.

A table is looked for in the section that carries it (or, when that heading was not
found, between its neighbours); its row labels are found in the standard's order
(names and keywords in ``nlp/data/table_layout.json``); text inside tables that is
no cell is blanked out first; and every reader returns a :class:`TableRead`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from nlp.report.cells import BLANK, UNREADABLE
from nlp.report.document import Document, fold, spaced
from nlp.report.layout import layout, table_names, table_sections, table_titles
from nlp.report.model import ParseIssue, empty_table2, empty_table3, empty_table4

ROW_WINDOW = 6000  # a table row label is never further than this from the previous one


@dataclass(frozen=True)
class TableRead:
    """One table as read: its cells (``None`` when unknown), their lines, its issues."""

    values: dict[str, Any]
    quotes: dict[str, str] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    span: tuple[int, int] | None = None
    # "columns" when the text was found to list the table's numbers column by column
    # (decided by table 三's relations); table 二 of the same text is read that way too
    order: str | None = None


# --- noise -------------------------------------------------------------------------------

@cache
def _noise_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in layout()["table_noise"]), re.M)


def masked(doc: Document) -> Document:
    """``doc`` with the text inside tables that is no cell blanked out, offsets kept.

    Converter column names (「数据1」), page furniture (「— 4 —」), note lines and
    remarks after a number (「（其中修订 16 件）」) would otherwise be read as cells.
    Quotes still come from the original text.
    """
    masked = _noise_re().sub(lambda m: re.sub(r"[^\n\t]", " ", m.group()), doc.norm)
    if masked == doc.norm:
        return doc
    out = Document(doc.text, doc.spans, doc.body)
    object.__setattr__(out, "norm", masked)
    return out


# --- layout -----------------------------------------------------------------------------

def _prefix_regex(prefix: str | None) -> str:
    if not prefix:
        return ""
    p = fold(prefix)
    # The enumerator may stand a few characters before the keyword (「5.属于三类内部事务」).
    filler = r"[^\d\t\n。]{0,8}?"
    if p.startswith("("):
        return rf"(?:\(\s*{re.escape(p.strip('()'))}\s*\){filler})?"
    if p.isdigit():
        return rf"(?:{p}\s*[.、]{filler})?"
    return rf"(?:{re.escape(p)}\s*[、.]{filler})?"


@cache
def _row_patterns(table: str) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    rows = layout()[table]["rows"]
    out = []
    for row in rows:
        words = "|".join(spaced(k) for k in row["keywords"])
        prefix = "" if row.get("strict") else _prefix_regex(row.get("prefix"))
        out.append((row, re.compile(f"{prefix}(?:{words})")))
    return out


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    start: int
    end: int


def find_rows(doc: Document, table: str, lo: int, hi: int) -> list[Row]:
    """The row labels of ``table`` between ``lo`` and ``hi``, in the standard's order."""
    rows: list[Row] = []
    pos = lo
    for row, pattern in _row_patterns(table):
        m = pattern.search(doc.norm, pos, min(hi, pos + ROW_WINDOW))
        if m is None:
            continue
        rows.append(Row(row["key"], row["label"], m.start(), m.end()))
        pos = m.end()
    return rows


def segments(doc: Document, rows: list[Row], hi: int) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        stop = rows[i + 1].start if i + 1 < len(rows) else hi
        out.append(doc.norm[row.end:stop])
    return out


def problem_issues(problems: dict[str, list[str]], table: str) -> list[ParseIssue]:
    name = table_names()[table]
    out = []
    if problems[BLANK]:
        out.append(ParseIssue(
            "blank_cell", f"{name}有 {len(problems[BLANK])} 个空白单元格，按未填处理",
            cells=problems[BLANK], table=table))
    if problems[UNREADABLE]:
        out.append(ParseIssue(
            "table_unreadable",
            f"{name}有 {len(problems[UNREADABLE])} 个单元格无法可靠读出"
            "（数字粘连或缺格），未作猜测",
            cells=problems[UNREADABLE], table=table))
    return out


def missing(table: str, cells: list[str]) -> TableRead:
    empty = {"table2": empty_table2, "table3": empty_table3, "table4": empty_table4}[table]()
    issue = ParseIssue("table_missing", f"未找到{table_titles()[table]}", cells=cells,
                       table=table)
    return TableRead(empty, issues=[issue])


# --- where a table lies --------------------------------------------------------------

def table_region(doc: Document, table: str) -> tuple[int, int] | None:
    """The text of the section that carries ``table``, or where it must lie when that
    section's heading was not found.

    A PDF text layer or a converter may break a heading over two lines
    (「三、收到和处理政府信息公开申请\n情况」); the section is then missing (and reported
    so), but its table still stands between the sections before and after it. It is
    looked for there from the table's first anchor (「第二十条」, 「申请人情况」, …), so
    the narrative before it is not read as cells.
    """
    numeral = table_sections()[table]
    region = doc.region(numeral)
    if region is not None:
        return region
    order = [s["numeral"] for s in layout()["sections"]]
    i = order.index(numeral)
    before = [n for n in order[:i] if n in doc.spans]
    after = [n for n in order[i + 1:] if n in doc.spans]
    lo = doc.body[before[-1]] if before else 0
    hi = doc.spans[after[0]][0] if after else len(doc.norm)
    anchor = re.compile("|".join(spaced(a) for a in layout()[table]["anchors"]))
    m = anchor.search(doc.norm, lo, hi)
    return (m.start(), hi) if m else None
