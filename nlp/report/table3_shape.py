"""Reading table 三 from the standard's shape: 25 rows of 7 numbers in a known order.

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
