"""Writing a classified notice list (``disclosure classify``) as CSV, JSON or XLSX."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd

from nlp.labels import LABELS


def write_notices(frames: Iterable[pd.DataFrame], fmt: str, stream) -> None:
    """Write classified frames to an open stream (text for csv/json, binary for xlsx).

    CSV is written frame by frame, so a long list never sits in memory whole.
    """
    if fmt == "csv":
        for i, frame in enumerate(frames):
            frame.to_csv(stream, index=False, header=(i == 0))
        return
    frame = pd.concat(list(frames), ignore_index=True)
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        stream.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "xlsx":
        with pd.ExcelWriter(stream, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="通知分类")
            sheet = writer.sheets["通知分类"]
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = sheet.dimensions
    else:
        raise ValueError(f"unknown format {fmt!r}")


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
