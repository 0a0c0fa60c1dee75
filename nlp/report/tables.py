"""Reading tables 二 and 四 and the format version their columns show; table 三 is
:mod:`nlp.report.table3`.

Row labels, headers and format signatures come from ``nlp/data/table_layout.json``.
The readers walk the labels in the standard's order and read the numbers between
one label and the next (:func:`nlp.report.cells.read_values`). Each returns a
:class:`~nlp.report.table_text.TableRead`: the values, the line each was read from,
the issues (with their table and cells) and the span of text the table covers, which
the totals and narrative readers skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from nlp.report import relations, table3_shape
from nlp.report.cells import BLANK, UNREADABLE, merged_readings, read_values
from nlp.report.document import Document, compact, fold, spaced
from nlp.report.layout import layout, table_names, table_sections
from nlp.report.model import (
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    ParseIssue,
    empty_table2,
    empty_table4,
)
from nlp.report.table3 import read_table3
from nlp.report.table_text import (
    Row,
    TableRead,
    find_rows,
    masked,
    missing,
    problem_issues,
    segments,
    table_region,
)

__all__ = ["PRODUCES", "FormatRead", "TableRead", "read_format", "read_table2", "read_table3",
           "read_table4", "table2_cells"]

PRODUCES = ("format_2019", "table_missing", "table_unreadable", "blank_cell",
            "header_text_deviates", "unit_suspect", "cells_placed")


@dataclass(frozen=True)
class FormatRead:
    """The format version table 二's columns show, and the issue when it is 2019's."""

    version: str | None
    issues: list[ParseIssue] = field(default_factory=list)


# --- format version ---------------------------------------------------------------------

def read_format(doc: Document) -> FormatRead:
    """2019 when table 二 uses a column of the 2019 trial format, 2021 when it uses 2021's."""
    sig = layout()["format_signatures"]
    region = doc.region("二")
    flat = re.sub(r"\s+", "", doc.norm[region[0]:region[1]] if region else doc.norm)
    old = [s for s in sig["2019"] if fold(s) in flat]
    if old:
        return FormatRead("2019", [ParseIssue(
            "format_2019", "表二使用2019年试行格式的栏目：" + "、".join(old), text=old[0],
            table="table2")])
    if any(fold(s) in flat for s in sig["2021"]):
        return FormatRead("2021")
    return FormatRead(None)


# --- header text ------------------------------------------------------------------------

# A header cell: text without digits between white space; single spaces inside it are a
# wrapped cell (「结果 维持」), two or more (or a tab, a line break) end it.
_HEADER_FIELD_RE = re.compile(r"(?:(?<=\s)|^)[^\s\d]+(?: [^\s\d]+)*(?=\s|$)")


def _header_issues(doc: Document, table: str, lo: int, hi: int) -> list[ParseIssue]:
    """Header cells of ``table`` that are near, but not equal to, the standard text.

    A cell far from every standard header is other text (a note, a sentence)
    and is left alone; one that is close but differs is a misspelt header
    (the SEED's 「本年度止件数」), which the standard asks to report.
    """
    spec = layout()[table]
    standard = [compact(h) for h in spec["headers"] + spec.get("row_labels", [])]
    ignore = spec.get("header_ignore", [])
    lo = max(lo, doc.body.get(table_sections()[table], 0))
    seen = set()
    out = []
    for m in _HEADER_FIELD_RE.finditer(doc.norm[lo:hi]):
        cell = compact(m.group())
        if not 4 <= len(cell) <= 20 or cell in standard or cell in seen \
                or any(word in cell for word in ignore):
            continue
        best = max(standard, key=lambda s: SequenceMatcher(None, cell, s).ratio())
        if len(cell) <= len(best) + 2 and SequenceMatcher(None, cell, best).ratio() >= 0.75:
            seen.add(cell)
            original = doc.text[lo + m.start(): lo + m.end()]
            out.append(ParseIssue(
                "header_text_deviates",
                f"{table_names()[table]}栏目「{original}」与标准文字「{best}」不一致",
                text=original, table=table))
    return out


# --- table 二 ---------------------------------------------------------------------------

def table2_cells() -> list[str]:
    """Every cell path of table 二, in the layout's order."""
    out = []
    for row in layout()["table2"]["rows"]:
        cols = row.get("columns")
        out += [f"table2.{row['key']}.{c}" for c in cols] if cols else [f"table2.{row['key']}"]
    return out


def read_table2(doc: Document, format_version: str | None, order: str | None = None
                ) -> TableRead:
    """Table 二's ten cells; none when its columns are the 2019 format's other quantities.

    ``order`` is table 三's finding that the text lists numbers column by column
    (:attr:`TableRead.order`); a block of table 二 that reads differently row by row
    and column by column is then read column by column.
    """
    region = table_region(doc, "table2")
    if format_version == "2019":
        return TableRead(empty_table2())  # the format_2019 issue says why
    doc = masked(doc)
    rows = find_rows(doc, "table2", *region) if region else []
    if len(rows) < 2:
        return missing("table2", table2_cells())
    spec = {r["key"]: r for r in layout()["table2"]["rows"]}
    values = empty_table2()
    quotes: dict[str, str] = {}
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for i, (row, segment) in enumerate(zip(rows, segments(doc, rows, region[1]), strict=False)):
        cols = spec[row.key].get("columns")
        read, status = read_values(segment, len(cols) if cols else 1, first=i == len(rows) - 1)
        paths = [f"table2.{row.key}.{c}" for c in cols] if cols else [f"table2.{row.key}"]
        values[row.key] = dict(zip(cols, read, strict=False)) if cols else read[0]
        for path, value in zip(paths, read, strict=False):
            quotes[path] = doc.line(row.start)
            if value is None:
                problems[BLANK if status == BLANK else UNREADABLE].append(path)
    in_blocks, placed = _table2_blocks(doc, rows, values, order)
    for kind in (BLANK, UNREADABLE):
        problems[kind] = [p for p in problems[kind] if p not in in_blocks]
    problems[UNREADABLE] += [p for p in in_blocks if p not in placed]
    found = {r.key for r in rows}
    problems[BLANK] += [p for p in table2_cells() if p.split(".")[1] not in found]
    issues = problem_issues(problems, "table2")
    if placed:
        issues.append(ParseIssue(
            "cells_placed", f"表二有 {len(placed)} 个单元格是放置而非逐格读出的："
            "几行的行名连在一起、数字在其后，按行序放置" +
            ("（表三的勾稽关系表明本文本逐列排列数字，按列读）" if order == "columns"
             else "（逐行、逐列读数相同）"),
            cells=placed, table="table2"))
    issues += _header_issues(doc, "table2", rows[0].start - 400, region[1])
    issues += _fee_unit_issues(doc, rows, region[1])
    return TableRead(values, quotes, issues, (rows[0].start, region[1]))


def _set2(values: dict[str, Any], path: str, value: Any) -> None:
    _, key, *col = path.split(".")
    if col:
        values[key][col[0]] = value
    else:
        values[key] = value


def _table2_blocks(doc: Document, rows: list[Row], values: dict[str, Any],
                   order: str | None) -> tuple[list[str], list[str]]:
    """Rows of table 二 whose labels stand together with their numbers after them.

    A text layer that reads the table box by box gives 「行政处罚 行政强制 4119 195」.
    Only a block whose numbers are exactly as many as its cells is one (a row left
    wholly empty is not); it is read when the reading does not depend on
    whether the numbers run row by row or column by column (rows of one number, or
    numbers that read the same either way); otherwise its cells are unread (``None``,
    whatever the label reading took). Returns the paths of the block rows' cells and
    of those placed. The last label is left out: its segment runs to the end of the
    section.
    """
    spec = {r["key"]: r for r in layout()["table2"]["rows"]}
    labels = [(r.key, r.start, r.end) for r in rows[:-1]]
    if len(labels) < 2:
        return [], []
    found = table3_shape.blocks(doc.norm, labels, rows[-1].start)
    out: list[str] = []
    placed: list[str] = []
    for keys, numbers in found or []:
        if len(keys) < 2:
            continue
        widths = {len(spec[k].get("columns") or [None]) for k in keys}
        paths = [f"table2.{k}.{c}" if spec[k].get("columns") else f"table2.{k}"
                 for k in keys for c in (spec[k].get("columns") or [None])]
        if len(numbers) != len(paths):
            continue  # a row left empty (no mark at all): its neighbours read as they are
        out += paths
        w = widths.pop() if len(widths) == 1 else 0
        by_row = numbers
        by_col = [numbers[c * len(keys) + i] for i in range(len(keys)) for c in range(w)]
        ok = w and None not in numbers and (by_row == by_col or order == "columns")
        chosen = by_col if order == "columns" else by_row
        for path, value in zip(paths, chosen if ok else [None] * len(paths), strict=True):
            _set2(values, path, value)
        placed += paths if ok else []
    return out, placed


@cache
def _fee_unit_re() -> re.Pattern[str]:
    return re.compile("|".join(layout()["table2"]["fee_unit_suspect"]))


def _fee_unit_issues(doc: Document, rows: list[Row], hi: int) -> list[ParseIssue]:
    """The fee amount's header says 元 where the standard says 万元 (E14, a heuristic)."""
    fee = next((r for r in rows if r.key == "fees_wan_yuan"), None)
    lo = rows[0].start
    m = _fee_unit_re().search(doc.norm, lo, fee.end if fee else hi)
    if m is None:
        return []
    return [ParseIssue("unit_suspect", f"表二收费金额的单位写作「{doc.text[m.start():m.end()]}」"
                       "，标准格式为万元", cells=["table2.fees_wan_yuan"],
                       text=doc.line(m.start()), table="table2")]


# --- table 四 ---------------------------------------------------------------------------

@cache
def _t4_header_re() -> re.Pattern[str]:
    """The words of table 四's column headers, spaced or not."""
    return re.compile("|".join(spaced(w) for w in layout()["table4"]["column_keywords"]))


def read_table4(doc: Document) -> TableRead:
    """Table 四's 15 cells, read after the last of its column headers."""
    region = table_region(doc, "table4")
    cells = [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    if region is None:
        return missing("table4", cells)
    lo, hi = region
    doc = masked(doc)
    text = doc.norm[lo:hi]
    headers = list(_t4_header_re().finditer(text))
    title = layout()["table4"]["title_keyword"]
    if len(headers) < 4 or title not in re.sub(r"\s+", "", text[: headers[-1].end()]):
        return missing("table4", cells)
    start = lo + headers[-1].end()
    read, status = read_values(doc.norm[start:hi], len(cells), first=True)
    placed: list[str] = []
    if status == UNREADABLE:
        readings = [r for r in merged_readings(doc.norm[start:hi], len(cells))
                    if relations.table4_holds(r)]
        if len(readings) == 1:
            read, status, placed = readings[0], "ok", list(cells)
    values = empty_table4()
    quotes: dict[str, str] = {}
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for path, value in zip(cells, read, strict=False):
        _, group, col = path.split(".")
        values[group][col] = value
        quotes[path] = doc.line(min(start + 1, len(doc.norm) - 1)) if value is not None else ""
        if value is None:
            problems[BLANK if status == BLANK else UNREADABLE].append(path)
    issues = problem_issues(problems, "table4")
    if placed:
        issues.append(ParseIssue(
            "cells_placed", "表四的数字粘连、少于 15 个，按各组总计等于维持、纠正、其他、"
            "尚未审结之和选定了唯一的拆法", cells=placed, table="table4"))
    issues += _header_issues(doc, "table4", _table4_head(doc, lo, lo + headers[0].start()),
                             start)
    return TableRead(values, quotes, issues, (lo + headers[0].start(), hi))


def _table4_head(doc: Document, lo: int, first: int) -> int:
    """Where table 四's header begins: its 「行政复议」 cell before the first column header.

    Text before it is a sentence of section 四, whose words (「行政复议情况」) must
    not be taken for misspelt headers.
    """
    heads = list(re.finditer(spaced(layout()["table4"]["title_keyword"]), doc.norm[lo:first]))
    return lo + heads[-1].start() if heads else first
