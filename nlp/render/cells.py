"""Cells that are data, never code, in the spreadsheets and CSV files the tool writes.

Titles and report text come from other people's files, and reviewers open the
outputs in Excel or WPS. A text beginning with ``=`` (``=HYPERLINK(…)``), ``+``,
``-`` or ``@`` is a live formula to a spreadsheet, so:

* in XLSX every text cell is written with the string type set explicitly (openpyxl
  would otherwise store ``=…`` as a formula) and, when it begins with one of those
  characters, Excel's quote prefix, so editing the cell does not turn it into one;
* in CSV, which has no types, such a cell gets a leading ``'`` (OWASP's advice for
  CSV injection); ``disclosure classify --raw`` turns this off for pipelines.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What a spreadsheet reads as the start of a formula (OWASP: = + - @ tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The first row Excel cannot show.
XLSX_MAX_ROWS = 1_048_576


def csv_safe(value: Any) -> Any:
    """``value`` with a ``'`` in front when a spreadsheet would read it as a formula.

    >>> csv_safe("=HYPERLINK(\\"http://x\\")"), csv_safe("防汛"), csv_safe(-1.5)
    ('\\'=HYPERLINK("http://x")', '防汛', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`csv_safe`; numbers stay numbers."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            text = column.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                out[name] = column.where(~risky, "'" + text.astype(object))
    out.columns = [csv_safe(str(name)) for name in out.columns]
    return out


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: control characters XML forbids become U+FFFD.

    >>> xlsx_text("a\\x07b")
    'a\\ufffdb'
    """
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def data_cell(ws, value: Any) -> Any:
    """``value`` as a cell for ``ws.append``: text typed as a string, never a formula."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws) if _write_only(ws) else Cell(ws)
    cell.value = xlsx_text(value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def data_row(ws, values: list[Any]) -> list[Any]:
    """A row for ``ws.append`` in which every text is a :func:`data_cell`."""
    return [data_cell(ws, v) for v in values]


def put(ws, row: int, column: int, value: Any):
    """Write ``value`` at (``row``, ``column``) as data and return the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _write_only(ws) -> bool:
    return type(ws).__name__ == "WriteOnlyWorksheet"
