"""Writing a classified notice list (``disclosure classify``) as CSV, JSON or XLSX.

Titles come from other people's files and the output is opened in Excel: XLSX cells
are data, never formulas, and CSV cells that a spreadsheet would read as a formula
get a leading ``'`` unless ``raw`` is asked for (:mod:`nlp.render.cells`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nlp.errors import InputError
from nlp.labels import LABELS
from nlp.render.cells import XLSX_MAX_ROWS, csv_safe_frame, data_row

SHEET = "通知分类"


def write_notices(frames: Iterable[pd.DataFrame], fmt: str, stream, *, raw: bool = False
                  ) -> None:
    """Write classified frames to an open stream (text for csv/json, binary for xlsx).

    CSV is written frame by frame, so a long list never sits in memory whole; with
    ``raw`` its cells are written exactly as read, formula characters and all.
    """
    if fmt == "csv":
        for i, frame in enumerate(frames):
            frame = frame if raw else csv_safe_frame(frame)
            # Python's csv module quotes a field with "\n" but not one with a lone "\r",
            # which every reader takes for a line break: such a chunk quotes its text.
            quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(frame) else csv.QUOTE_MINIMAL
            frame.to_csv(stream, index=False, header=(i == 0), quoting=quoting)
        return
    frame = pd.concat(list(frames), ignore_index=True)
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        stream.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "xlsx":
        _write_xlsx(frame, stream)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    columns = [str(c) for c in frame.columns]
    if any("\r" in c for c in columns):
        return True
    return any(frame[c].astype(str).str.contains("\r", regex=False).any()
               for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]))


def _write_xlsx(frame: pd.DataFrame, stream) -> None:
    """One sheet, header frozen and filtered; every text cell typed as a string."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if len(frame) + 1 > XLSX_MAX_ROWS:
        raise InputError(f"{len(frame):,} notices do not fit in one Excel sheet "
                         f"({XLSX_MAX_ROWS - 1:,} rows at most); write CSV instead",
                         place="--format xlsx")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.freeze_panes = "A2"
    header = data_row(ws, [str(c) for c in frame.columns])
    for cell in header:
        if hasattr(cell, "font"):
            cell.font = Font(bold=True)
    ws.append(header)
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    for i in range(len(frame)):
        ws.append(data_row(ws, [_plain(col[i]) for col in columns]))
    last = get_column_letter(max(len(frame.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    wb.save(stream)


def _plain(value):
    """A frame value openpyxl stores: numpy scalars unwrapped, missing values empty."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def summary_text(tables: list[pd.DataFrame]) -> str:
    """The per-label summary ``disclosure classify`` prints on stderr."""
    if not tables:
        return "no notices"
    counts = sum(t["notices"] for t in tables)
    review = sum(t["needs_review"] for t in tables)
    total = int(counts.sum())
    lines = [f"{'notices':>8} {'share':>7} {'review':>7}  label"]
    for label in LABELS:
        n = int(counts[label])
        lines.append(f"{n:>8} {n / total:>7.1%} {int(review[label]):>7}  {label}")
    lines.append(f"{total:>8} {'':>7} {int(review.sum()):>7}  total")
    return "\n".join(lines)
