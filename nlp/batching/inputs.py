"""What a batch reads on the client: the report files, and the notice lists split by unit.

A district's CMS exports one list for all units with a column naming the publishing unit;
:func:`read_notice_groups` splits it into one :class:`NoticeGroup` per unit (or reads a
folder of one list per unit), so that :mod:`nlp.batching.runner` can match each group to
its report by the report's own unit name (:mod:`nlp.batching.units`).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nlp.errors import InputError

REPORT_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
                   ".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".pdf": "pdf"}
NOTICE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".txt")
UNIT_NAMES = ("发布单位", "发布机构", "发布部门", "来源单位", "来源", "发文单位", "发文机关",
              "信息来源", "所属单位", "单位名称", "单位", "部门", "机构",
              "unit", "publisher", "source", "department", "agency", "organization")
NO_UNIT_GROUP = "（未注明单位）"


@dataclass
class NoticeGroup:
    """The notices of one unit, as the worker needs them (a frame and the chosen columns)."""

    label: str
    frame: pd.DataFrame
    path: str
    format: str
    encoding: str | None
    columns: dict[str, str | None]
    inputs: list[str] = field(default_factory=list)  # files it was read from (for --force)


# ------------------------------------------------------------------ finding the reports


def find_reports(specs: Sequence[str | os.PathLike]) -> list[Path]:
    """Files, folders (searched recursively for the five report forms) and globs.

    A file named explicitly is taken whatever its extension, so that a wrong one becomes a
    row with its reason; a folder contributes only the report forms. Hidden files and
    Office lock files (``~$x.docx``) are left out.

    Raises
    ------
    InputError
        When a spec names nothing that exists.
    """
    found: dict[Path, None] = {}
    for spec in specs:
        text = str(spec)
        p = Path(text)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES and not _hidden(f, p):
                    found.setdefault(f, None)
        elif p.is_file():
            found.setdefault(p, None)
        elif glob.has_magic(text):
            hits = [Path(h) for h in sorted(glob.glob(text, recursive=True))]
            files = [h for h in hits if h.is_file() and h.suffix.lower() in REPORT_SUFFIXES]
            if not files:
                raise InputError("the pattern matches no report file", path=text)
            for f in files:
                found.setdefault(f, None)
        else:
            raise InputError("no such report file or folder", path=text)
    return list(found)


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in f.relative_to(root).parts)


# ------------------------------------------------------------------ notice lists


def read_notice_groups(spec: str | os.PathLike, *, column: str | None = None,
                       unit_column: str | None = None) -> list[NoticeGroup]:
    """The notice groups of ``spec``: one combined list split by its unit column, or a
    folder of one list per unit, each named after its unit.

    Raises
    ------
    InputError
        Unreadable list, no unit column, an empty folder.
    """
    from nlp.readers.notices import read_notices

    p = Path(spec)
    if p.is_dir():
        files = [f for f in sorted(p.iterdir())
                 if f.is_file() and f.suffix.lower() in NOTICE_SUFFIXES
                 and not f.name.startswith((".", "~$"))]
        if not files:
            raise InputError("the notice folder holds no notice list (CSV, XLSX, JSON, "
                             "JSON Lines or text)", path=str(p))
        groups = []
        for f in files:
            found = read_notices(f, column=column)
            groups.append(NoticeGroup(f.stem, found.frame, found.path, found.format,
                                      found.encoding, dict(found.columns), [str(f)]))
        return groups
    found = read_notices(p, column=column)
    unit = find_unit_column(found.frame, path=found.path, unit_column=unit_column)
    cells = found.frame[unit]
    values = cells.where(cells.notna(), "").astype(str).str.strip()
    # One grouping pass (a mask per unit was quadratic: 18 s for 800 units × 835k rows),
    # the units in first-seen order, the rows without a unit last.
    rows = values.groupby(values.to_numpy(), sort=False).indices
    labels = [label for label in pd.unique(values.to_numpy()) if label]
    groups = []
    for label in [*labels, *([""] if "" in rows else [])]:
        part = found.frame.iloc[rows[label]].reset_index(drop=True)
        name = label or NO_UNIT_GROUP
        groups.append(NoticeGroup(name, part, f"{found.path}#{name}", found.format,
                                  found.encoding, dict(found.columns), [found.path]))
    return groups


def find_unit_column(frame: pd.DataFrame, *, path: str, unit_column: str | None) -> str:
    """The column naming the publishing unit: ``unit_column``, or one of :data:`UNIT_NAMES`."""
    names = [str(c) for c in frame.columns]
    if unit_column is not None:
        if unit_column not in names:
            raise InputError(f"no column named {unit_column!r} (columns: {', '.join(names)})",
                             path=path, place="--unit-column")
        return unit_column
    lowered = {n.strip().lower(): n for n in names}
    for want in UNIT_NAMES:
        if want in lowered:
            return lowered[want]
    raise InputError(f"no unit column found (columns: {', '.join(names)}); name it 发布单位 "
                     "or pass --unit-column, or give a folder of one list per unit", path=path)
