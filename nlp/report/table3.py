"""Reading table 三: under its row labels, else from the standard's shape.

Each row's numbers are read between its label and the next
(:func:`nlp.report.cells.read_values`). Where digits ran together and split more than
one way, the table's relations (:mod:`nlp.report.relations`) choose the split; where
labels and numbers are out of step, the numbers are placed by the standard's row order
and count (:mod:`nlp.report.table3_shape`). Every placed cell is named in an issue
``cells_placed``.
"""

from __future__ import annotations

import re
from typing import Any

from nlp.report import relations, table3_shape
from nlp.report.cells import BLANK, UNREADABLE, merged_readings, read_values
from nlp.report.document import Document, compact, spaced
from nlp.report.layout import layout
from nlp.report.model import TABLE3_COLUMNS, TABLE3_ROWS, ParseIssue, empty_table3
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

_TABLE3_MIN_ROWS = 5  # fewer labels found than this means there is no table 三

def read_table3(doc: Document) -> TableRead:
    """Table 三's 175 cells: under their row labels, else by the standard's shape.

    Each row's numbers are read between its label and the next. Where digits ran
    together and split more than one way, the table's relations choose the split;
    where the labels and numbers are out of step, the numbers are placed by the
    standard's row order and count (:mod:`nlp.report.table3_shape`). Either way an
    issue ``cells_placed`` names the cells that were placed rather than read.
    """
    region = table_region(doc, "table3")
    lo, hi = region if region else (0, 0)
    doc = masked(doc)
    rows = find_rows(doc, "table3", lo, hi) if region else []
    all_cells = [f"table3.{r}.{c}" for r in TABLE3_ROWS for c in TABLE3_COLUMNS]
    if len(rows) < _TABLE3_MIN_ROWS:
        return missing("table3", all_cells)
    values = empty_table3()
    quotes: dict[str, str] = {}
    issues: list[ParseIssue] = []
    status_of: dict[str, str] = {}
    options: dict[str, list[list[int]]] = {}
    labels = {r["key"]: r for r in layout()["table3"]["rows"]}
    for i, (row, segment) in enumerate(zip(rows, segments(doc, rows, hi), strict=False)):
        read, status = read_values(segment, len(TABLE3_COLUMNS), first=i == len(rows) - 1)
        values[row.key] = dict(zip(TABLE3_COLUMNS, read, strict=False))
        status_of[row.key] = status
        if status == UNREADABLE:
            options[row.key] = [s for s in merged_readings(segment, len(TABLE3_COLUMNS))
                                if relations.row_holds(s)]
        line = doc.line(row.start)
        for col in TABLE3_COLUMNS:
            quotes[f"table3.{row.key}.{col}"] = line
        issues += _label_issues(doc, row, labels[row.key])
    single = re.search("|".join(spaced(s) for s in layout()["table3"]["single_other_row"]),
                       doc.norm[lo:hi])
    placed: list[str] = []
    how: list[str] = []
    if options:
        fixed = {k: list(v.values()) for k, v in values.items() if k not in options}
        for key, reading in relations.choose(fixed, options).items():
            values[key] = dict(zip(TABLE3_COLUMNS, reading, strict=True))
            status_of[key] = "ok"
            placed += [f"table3.{key}.{c}" for c in TABLE3_COLUMNS]
        if placed:
            how.append("数字粘连、拆法不止一种，按表三的勾稽关系（总计等于六类申请人之和、"
                       "各项结果之和等于（七）总计、一加二等于（七）加四）选定拆法")
    other_rows = ("other_overdue_correction", "other_overdue_fee", "other_other")
    merged = single is not None and not {r.key for r in rows} & set(other_rows)
    shaped = _shape_reading(doc, rows, lo, hi, values,
                            merged_other=(lo + single.start(), lo + single.end()) if merged
                            else None)
    if shaped is not None:
        reading, by, broken, others = shaped
        changed = [f"table3.{k}.{c}" for k, vals in reading.items()
                   for c, v in zip(TABLE3_COLUMNS, vals, strict=True) if values[k][c] != v]
        for key, vals in reading.items():
            values[key] = dict(zip(TABLE3_COLUMNS, vals, strict=True))
            status_of[key] = BLANK if any(v is None for v in vals) else "ok"
        placed = sorted(set(placed) | set(changed), key=all_cells.index)
        how.append("行名与数字在文本中错位，按标准格式的行序和每行 7 个数" +
               {"columns": "逐列", "blocks": "逐块（每组行名之后的数字）",
                "blocks_columns": "逐块（每组行名之后的数字）逐列"}.get(by, "逐行") + "放置" +
               ("（文本按列排列，由勾稽关系判定）" if by in ("columns", "blocks_columns")
                else "") +
               (f"；放置后仍有 {broken} 处勾稽关系不成立" if broken else "；勾稽关系成立") +
               (f"；另有 {others} 种放法同样符合勾稽关系，取与文本顺序最接近的一种，请核对"
                if others else ""))
    if placed:
        issues.append(ParseIssue(
            "cells_placed", f"表三有 {len(placed)} 个单元格是放置而非逐格读出的：" + "；".join(how),
            cells=placed, table="table3"))
    found = {r.key for r in rows} | (set(shaped[0]) if shaped else set())
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for key in TABLE3_ROWS:
        if key not in found:
            continue
        for col in TABLE3_COLUMNS:
            if values[key][col] is None:
                kind = BLANK if status_of.get(key) == BLANK else UNREADABLE
                problems[kind].append(f"table3.{key}.{col}")
    missing_rows = [k for k in TABLE3_ROWS if k not in found]
    if single and all(k in missing_rows for k in other_rows):
        issues.append(ParseIssue(
            "format_2019", "表三「（六）其他处理」为单行、无1–3子项（2019年试行格式）",
            cells=[f"table3.{k}.{c}" for k in other_rows for c in TABLE3_COLUMNS],
            text=doc.line(lo + single.start()), table="table3"))
        missing_rows = [k for k in missing_rows if k not in other_rows]
    if missing_rows:
        issues.append(ParseIssue(
            "table_unreadable", "表三缺少以下行：" + "、".join(labels[k]["label"]
                                                              for k in missing_rows),
            cells=[f"table3.{k}.{c}" for k in missing_rows for c in TABLE3_COLUMNS],
            table="table3"))
    issues += problem_issues(problems, "table3")
    order = "columns" if shaped and shaped[1] in ("columns", "blocks_columns") else None
    return TableRead(values, quotes, issues, (rows[0].start, hi), order)


def _shape_reading(doc: Document, rows: list[Row], lo: int, hi: int,
                   values: dict[str, dict[str, Any]], *, merged_other: tuple[int, int] | None
                   ) -> tuple[dict[str, list[Any]], str, int, int] | None:
    """The table's numbers placed by the standard's order, when that reads it better.

    Returns (row → seven values, ``blocks``, ``rows`` or ``columns``, failing
    relations, how many other readings are as good), or ``None`` when the label reading
    stands: it is complete and its relations hold, or the numbers are not 7 a row, or
    no order reads the table at least as well. Of readings equally good, blocks come
    first, then rows.
    ``merged_other`` is the label of a single 「（六）其他处理」 row, when the report has one.
    """
    by_label = {k: list(v.values()) for k, v in values.items()}
    gaps = sum(v is None for vals in by_label.values() for v in vals)
    wrong = relations.violations(by_label)
    if gaps == 0 and wrong == 0:
        return None
    end = _table3_end(doc, rows, hi)
    labels = sorted([(r.key, r.start, r.end) for r in rows]
                    + ([(table3_shape.MERGED_OTHER, *merged_other)] if merged_other else []),
                    key=lambda label: label[1])
    candidates: list[tuple[str, dict[str, list[Any]]]] = []
    found = table3_shape.blocks(doc.norm, labels, end)
    if found is not None:
        combos = table3_shape.block_readings(found)  # the first: every block row by row
        candidates += [("blocks" if i == 0 else "blocks_columns", r)
                       for i, r in enumerate(combos)]
    numbers = table3_shape.numbers_in_order(doc.norm, [(r.start, r.end) for r in rows],
                                            rows[0].start, end)
    if numbers is not None:
        keys = table3_shape.row_keys(merged_other is not None)
        candidates += list(table3_shape.readings(numbers, keys).items())
    best = None
    ties: list[dict[str, list[Any]]] = []
    for by, reading in candidates:
        reading = {k: v for k, v in reading.items() if k != table3_shape.MERGED_OTHER}
        broken = relations.violations(reading)
        if best is None or broken < best[2]:
            best, ties = (reading, by, broken), []
        elif broken == best[2] and reading != best[0] and reading not in ties:
            ties.append(reading)
    if best is None or best[2] > wrong:
        return None
    if all(by_label.get(k) == v for k, v in best[0].items()):
        return None
    return best[0], best[1], best[2], len(ties)


def _table3_end(doc: Document, rows: list[Row], hi: int) -> int:
    """Where table 三's cells end: the first full stop or table 四's 「行政复议」 after its
    last label, or ``hi``."""
    ends = [doc.norm.find(mark, rows[-1].end, hi)
            for mark in ("。", layout()["table4"]["title_keyword"])]
    return min([e for e in ends if e >= 0], default=hi)


def _label_issues(doc: Document, row: Row, spec: dict[str, Any]) -> list[ParseIssue]:
    """A row label that is its own cell but differs from the standard text."""
    lo = doc.norm.rfind("\t", 0, row.start) + 1
    lo = max(lo, doc.norm.rfind("\n", 0, row.start) + 1)
    ends = [h for h in (doc.norm.find("\t", row.end), doc.norm.find("\n", row.end)) if h >= 0]
    hi = min(ends) if ends else len(doc.norm)
    cell = doc.norm[lo:hi]
    if re.search(r"\d\s*$|\d{2,}", cell[row.end - lo:]) or len(cell) > 60:
        return []  # the label runs into its numbers: not a separate cell
    body = re.sub(r"^[\s(]*[一二三四五六七八九十\d]+\s*[)、.]\s*", "", cell)
    standard = compact(spec["label"])
    if body and compact(body) != standard and not standard.startswith(compact(body)) \
            and not spec.get("strict"):  # a prefix is a label wrapped onto the next line
        original = doc.text[lo:hi].strip()
        return [ParseIssue(
            "header_text_deviates", f"表三行名「{original}」与标准文字「{spec['label']}」不一致",
            cells=[f"table3.{row.key}.total"], text=original, table="table3")]
    return []
