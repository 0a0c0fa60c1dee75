"""Reading table 三 from the standard's shape: 25 rows of 7 numbers in a known order.

Text layers keep the numbers' order, but not always next to their labels: a label
wrapped over three lines has its numbers before or after it, and converters that
read a PDF box by box (pdfminer, and the tools built on it) write a page's labels
first and then its numbers column by column. Two readings follow from the shape:
all the numbers in order (row by row, or column by column), or block by block,
where a block is a run of labels with no number between them followed by exactly
7 numbers for each of its rows.

Converters and PDF text layers often separate a row's numbers from its label: the
numbers stand on the line before the label, or after a label wrapped over three
lines, or the whole table comes out column by column. The numbers themselves keep
their order. So when the table's numbers, read in order with the labels left out,
are exactly 7 for each row the report has, they can be placed by that order alone:
row by row, or column by column. Which of the two the text holds is decided by the
table's relations (:mod:`nlp.report.relations`), never guessed; the caller says in
an issue that the cells were placed, not read under their labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.report.cells import blank_markers
from nlp.report.model import TABLE3_COLUMNS, TABLE3_ROWS

_FIELD_RE = re.compile(r"[^\s|]+")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
# A number glued to the words of a wrapped label (「不4」, 「0已获取信息」) is its own cell.
_CJK = r"[\u3000-\u9fff\uff00-\uffef]"
_CJK_SPLIT_RE = re.compile(rf"(?<={_CJK})(?=\d)|(?<=\d)(?={_CJK})")
MERGED_OTHER = "(六)其他处理"  # the one row a report writes instead of 三(六)'s three
_OTHER_ROWS = ("other_overdue_correction", "other_overdue_fee", "other_other")


def row_keys(merged_other: bool) -> list[str]:
    """The rows in the standard's order; the merged 其他处理 row stands for its three."""
    if not merged_other:
        return list(TABLE3_ROWS)
    keys = [k for k in TABLE3_ROWS if k not in _OTHER_ROWS]
    keys.insert(TABLE3_ROWS.index(_OTHER_ROWS[0]), MERGED_OTHER)
    return keys


def numbers_in_order(text: str, spans: Sequence[tuple[int, int]], lo: int, hi: int
                     ) -> list[float | int | None] | None:
    """The cell values between ``lo`` and ``hi`` in text order, labels left out.

    A blank marker (「—」「/」) is a cell with no value (``None``). ``None`` as the
    answer means the text is not a plain run of cells: some number is glued to
    words (digits run together, a remark), so the order cannot be trusted.
    """
    chars = list(text[lo:hi])
    for start, end in spans:
        for i in range(max(start, lo), min(end, hi)):
            chars[i - lo] = " "
    out: list[float | int | None] = []
    for m in _FIELD_RE.finditer("".join(chars)):
        field = m.group()
        if field in blank_markers():
            out.append(None)
            continue
        for part in _CJK_SPLIT_RE.split(field):
            if _NUMBER_RE.fullmatch(part):
                out.append(float(part) if "." in part else int(part))
            elif any(ch.isdigit() for ch in part):
                return None  # digits glued to Latin letters or signs: no plain cell
    return out


Label = tuple[str, int, int]  # row key, start, end of its label in the text
_MAX_BLOCK_CHOICES = 256


def blocks(text: str, labels: list[Label], end: int
           ) -> list[tuple[list[str], list[float | int | None]]] | None:
    """Runs of labels with no number between them, each with the numbers that follow it."""
    spans = [(start, stop) for _, start, stop in labels]
    out: list[tuple[list[str], list[float | int | None]]] = []
    for i, (key, _, stop) in enumerate(labels):
        nxt = labels[i + 1][1] if i + 1 < len(labels) else end
        numbers = numbers_in_order(text, spans, stop, nxt)
        if numbers is None:
            return None
        if out and not out[-1][1]:
            out[-1][0].append(key)
            out[-1][1].extend(numbers)
        else:
            out.append(([key], list(numbers)))
    return out


def block_readings(found: list[tuple[list[str], list[float | int | None]]]
                   ) -> list[dict[str, list[float | int | None]]]:
    """Every reading of the blocks: each block of m rows has 7·m numbers, row by row or
    column by column. Empty when some block's count is not 7 a row."""
    width = len(TABLE3_COLUMNS)
    options: list[list[dict[str, list[float | int | None]]]] = []
    for keys, values in found:
        if len(values) != width * len(keys):
            return []
        opts = list(readings(values, keys).values())
        if len(keys) > 1:
            opts += _total_moved(values, keys)
        options.append(opts)
    combos: list[dict[str, list[float | int | None]]] = [{}]
    for opts in options:
        combos = [{**c, **o} for c in combos for o in opts]
        if len(combos) > _MAX_BLOCK_CHOICES:
            return []
    return combos


def _total_moved(values: list[float | int | None], keys: list[str]
                 ) -> list[dict[str, list[float | int | None]]]:
    """Column-by-column readings of a block whose 总计 column stands elsewhere among the
    seven (pdfminer puts it before 「其他」 on some pages), nearest the end first.

    The six applicant columns keep their order in the text; only which of the seven
    number columns is the 总计 changes, and the relations tell which.
    """
    n = len(keys)
    cols = [values[c * n:(c + 1) * n] for c in range(len(TABLE3_COLUMNS))]
    out = []
    for j in range(len(cols) - 2, -1, -1):
        order = [c for c in range(len(cols)) if c != j] + [j]
        out.append({k: [cols[c][i] for c in order] for i, k in enumerate(keys)})
    return out


def readings(values: list[float | int | None], keys: list[str]
             ) -> dict[str, dict[str, list[float | int | None]]]:
    """The row-by-row and the column-by-column reading of ``values`` over ``keys``.

    Empty when the count is not 7 for each row.
    """
    n = len(keys)
    width = len(TABLE3_COLUMNS)
    if len(values) != n * width:
        return {}
    by_row = {k: values[i * width:(i + 1) * width] for i, k in enumerate(keys)}
    by_col = {k: [values[c * n + i] for c in range(width)] for i, k in enumerate(keys)}
    out = {"rows": by_row}
    if by_col != by_row:
        out["columns"] = by_col
    return out
