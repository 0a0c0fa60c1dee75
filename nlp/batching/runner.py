"""Checking a whole district at once: many reports, one combined notice list, one summary.

:func:`run_batch` finds the reports, reads the notice list(s) once on the client
(:mod:`nlp.batching.inputs`), and sends the per-report work to workers
(:mod:`nlp.batching.workers`): first a *parse* task (so the report's own unit name can be
matched with a notice group on the client), then a *check* task that classifies the
group, runs every rule and renders the report's outputs.

Inputs travel to the workers as bytes and outputs come back as bytes, so a remote cluster
needs no shared file system; only the client reads and writes files, each output through a
temporary file and a rename. ``OUT_DIR/summary.json`` records what every output was made
from, so that a re-run redoes only reports whose inputs are newer than their outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nlp.batching.inputs import NO_UNIT_GROUP, REPORT_SUFFIXES, find_reports, read_notice_groups
from nlp.batching.units import match_unit, safe_stem, unit_keys
from nlp.batching.workers import SerialRunner, check_task, parse_task, runner_for
from nlp.errors import InputError
from nlp.files import atomic_write, temp_file

SCHEMA = "disclosure.batch/1"
FORMATS = ("html", "xlsx", "json", "md")
DEFAULT_FORMATS = ("html",)
SUMMARY_FILES = ("index.html", "summary.xlsx", "summary.json")


# ------------------------------------------------------------------ what the client holds


@dataclass
class _Job:
    """One report of the batch, followed from its file to its summary row."""

    index: int
    path: Path
    row: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    temp: dict[str, Path] = field(default_factory=dict)  # format -> written temporary file
    inputs: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the batch


@dataclass
class BatchOptions:
    """Everything :func:`run_batch` needs besides the reports, passed as one object."""

    out_dir: Path | None = None
    notices: str | None = None
    previous: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    jobs: int | None = None
    scheduler: str | None = None
    force: bool = False
    column: str | None = None
    unit_column: str | None = None
    model: str | None = None
    # Names to show instead of the paths (uploads saved under names made by the web app).
    display_names: dict[str, str] = field(default_factory=dict)

    def shown(self, path: Path) -> str:
        return self.display_names.get(str(path), str(path))

    def signature(self) -> str:
        """What, besides file times, decides the outputs; a change redoes everything."""
        listing = {}
        for spec in (self.notices, self.previous):
            if spec and Path(spec).is_dir():
                listing[spec] = sorted(f.name for f in Path(spec).iterdir())
        key = [self.notices, self.previous, self.column, self.unit_column, self.model,
               listing]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:16]


def run_batch(reports: Sequence[str | os.PathLike], options: BatchOptions,
              progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Check every report; write each one's outputs and the summary when ``out_dir`` is set.

    Returns the summary: one row per report, in the order the reports were found;
    ``attrs`` holds ``findings`` (a frame of every failed finding), ``unmatched_notices``
    (groups no report took), ``worker_memory_mb``, ``worker_cpu_s`` and ``out_dir``.
    """
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}",
                             place="--format")
    paths = find_reports(reports)
    if not paths:
        raise InputError("no report file found (.txt, .html, .md, .docx, .pdf)",
                         path=" ".join(map(str, reports)))
    out_dir = options.out_dir
    if out_dir is not None:
        out_dir = Path(out_dir)
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError("the output folder is a file", path=str(out_dir), place="-o")
        if not out_dir.parent.exists():
            raise InputError("the output folder's parent does not exist", path=str(out_dir),
                             place="-o")
    groups = (read_notice_groups(options.notices, column=options.column,
                                 unit_column=options.unit_column)
              if options.notices else [])
    previous_paths = find_reports([options.previous]) if options.previous else []
    jobs = [_Job(i, p) for i, p in enumerate(paths)]
    manifest = _read_manifest(out_dir, options)
    todo = [j for j in jobs if not _reuse(j, manifest, options)]
    done = len(jobs) - len(todo)
    if progress:
        progress(done, len(jobs))
    created = False
    if todo and out_dir is not None and not out_dir.exists():
        out_dir.mkdir()
        created = True
    formats = options.formats if out_dir is not None else ()
    runner = runner_for(options.jobs, options.scheduler, options.model,
                       needs_model=bool(groups)) if todo else SerialRunner()
    group_keys = {g.label: unit_keys(g.label) for g in groups if g.label != NO_UNIT_GROUP}
    by_label = {g.label: g for g in groups}
    taken: set[str] = set()
    try:
        previous = _parse_previous(runner, previous_paths)
        for job in todo:
            data, fmt, reason = _read_input(job.path)
            if reason:
                _fail(job, reason, options.shown(job.path))
                done += 1
                if progress:
                    progress(done, len(jobs))
                continue
            runner.submit(parse_task, job.index, options.shown(job.path), data, fmt)
        for out in runner.results():
            job = jobs[out["index"]]
            if "error" in out:
                _fail(job, out["error"], options.shown(job.path))
            elif "report" in out:
                report = out["report"]
                label = match_unit(report.unit, group_keys)
                group = by_label.get(label) if label else None
                if label:
                    taken.add(label)
                prev = _previous_for(report, previous)
                job.row.update(notices=group.path if group else None,
                               previous=prev.source.get("path") if prev else None)
                job.inputs = [str(job.path), *(group.inputs if group else []),
                              *([prev.source["path"]] if prev else [])]
                runner.submit(check_task, job.index, report, group,
                              prev, formats, options.model)
                continue
            else:
                job.row.update(out["row"], status="ok", reason=None)
                job.findings = out["findings"]
                job.temp = {fmt: _write_temp(out_dir, job.index, fmt, payload)
                            for fmt, payload in out["payloads"].items()}
            done += 1
            if progress:
                progress(done, len(jobs))
        used = runner.worker_usage() if todo else {}
    except BaseException:
        for job in jobs:  # no half-finished batch: drop what was written so far
            for tmp in job.temp.values():
                tmp.unlink(missing_ok=True)
        raise
    finally:
        runner.close()
    if not any(j.row.get("status") == "ok" for j in jobs):
        for job in jobs:
            for tmp in job.temp.values():
                tmp.unlink(missing_ok=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        first = jobs[0]
        raise InputError(f"none of the {len(jobs)} reports could be read (first: "
                         f"{first.row.get('reason')})", path=str(first.path))
    unmatched = [{"group": g.label, "rows": len(g.frame)} for g in groups
                 if g.label not in taken]
    if out_dir is not None:
        _place_outputs(jobs, out_dir)
    frame = _summary_frame(jobs, options)
    frame.attrs.update(
        findings=_findings_frame(jobs, options), unmatched_notices=unmatched,
        worker_memory_mb={w: u["peak_mb"] for w, u in used.items()},
        worker_cpu_s={w: u["cpu_s"] for w, u in used.items()},
        out_dir=str(out_dir) if out_dir else None,
        notices_given=bool(options.notices))
    if out_dir is not None:
        _write_summary(frame, jobs, out_dir, options)
    return frame


def _read_input(path: Path) -> tuple[bytes, str | None, str | None]:
    """The report's bytes and form, or the reason it cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".doc":
        return b"", None, "old Word .doc files cannot be read; save the report as .docx or PDF"
    if suffix not in REPORT_SUFFIXES:
        return b"", None, (f"not a report form ({suffix or 'no extension'}); reports are "
                           ".txt, .html, .md, .docx or .pdf files")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return b"", None, f"cannot read the report: {exc.strerror or exc}"
    if not data.strip():
        return b"", None, "the report file is empty"
    return data, REPORT_SUFFIXES.get(suffix), None


def _fail(job: _Job, reason: str, name: str) -> None:
    prefix = f"{name}: "
    job.row.update(status="failed", reason=reason[len(prefix):]
                   if reason.startswith(prefix) else reason)
    job.inputs = [str(job.path)]


def _parse_previous(runner, paths: list[Path]) -> dict[str, list]:
    """Last year's reports, parsed and keyed by their unit's most specific key."""
    for i, p in enumerate(paths):
        data, fmt, reason = _read_input(p)
        if not reason:
            runner.submit(parse_task, -1 - i, str(p), data, fmt)
    found: dict[str, list] = {}
    for out in runner.results():
        report = out.get("report")
        if report is not None and report.unit:
            found.setdefault(unit_keys(report.unit)[0], []).append(report)
    return found


def _previous_for(report, previous: dict[str, list]):
    """Last year's report of the same unit: the year before if known, else the latest."""
    if not report.unit or not previous:
        return None
    keys = {k: unit_keys(k) for k in previous}
    label = match_unit(report.unit, keys)
    if label is None:
        return None
    candidates = [r for r in previous[label] if r.year is None or report.year is None
                  or r.year < report.year]
    exact = [r for r in candidates if report.year and r.year == report.year - 1]
    pick = exact or sorted(candidates, key=lambda r: r.year or 0)
    return pick[-1] if pick else None


# ------------------------------------------------------------------ outputs on disk


def _write_temp(out_dir: Path | None, index: int, fmt: str, payload: bytes) -> Path:
    fd, path = temp_file(out_dir, prefix=f".batch-{index}.", suffix=f".{fmt}.part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(payload)
    return path


def output_stems(rows: Sequence[dict[str, Any]], sources: Sequence[Path]) -> list[str | None]:
    """A distinct file-name stem per checked report: 「unit_year」, and where two reports
    share it, the source file's stem too (then a counter), in the order given.

    >>> output_stems([{"unit": "红旗路街道办事处", "year": 2023, "status": "ok"},
    ...               {"unit": "青石县政府办", "year": 2024, "status": "ok"},
    ...               {"unit": "青石县政府办", "year": 2024, "status": "ok"},
    ...               {"status": "failed"}],
    ...              [Path("a.txt"), Path("b.md"), Path("c.html"), Path("d.pdf")])
    ['红旗路街道办事处_2023', '青石县政府办_2024_b', '青石县政府办_2024_c', None]
    """
    base = [safe_stem(r.get("unit") or None, r.get("year")) if r.get("unit")
            else safe_stem(p.stem) if r.get("status") == "ok" else None
            for r, p in zip(rows, sources, strict=True)]
    counts: dict[str, int] = {}
    for b in base:
        if b:
            counts[b] = counts.get(b, 0) + 1
    out: list[str | None] = []
    used: set[str] = {Path(n).stem for n in SUMMARY_FILES}
    for b, p in zip(base, sources, strict=True):
        if b is None:
            out.append(None)
            continue
        stem = b if counts[b] == 1 else f"{b}_{safe_stem(p.stem)}"
        candidate, n = stem, 2
        while candidate in used:
            candidate, n = f"{stem}_{n}", n + 1
        used.add(candidate)
        out.append(candidate)
    return out


def _place_outputs(jobs: list[_Job], out_dir: Path) -> None:
    """Rename every output to its final name (reused ones too, if the name moved)."""
    stems = output_stems([j.row for j in jobs], [j.path for j in jobs])
    moves: list[tuple[Path, Path]] = []
    for job, stem in zip(jobs, stems, strict=True):
        if stem is None:
            job.row["outputs"] = {}
            for tmp in job.temp.values():
                tmp.unlink(missing_ok=True)
            continue
        if job.temp:
            outputs = {fmt: f"{stem}.{fmt}" for fmt in job.temp}
            moves += [(job.temp[fmt], out_dir / name) for fmt, name in outputs.items()]
        else:  # reused: its files may need a new name
            outputs = {}
            for fmt, old in (job.row.get("outputs") or {}).items():
                outputs[fmt] = f"{stem}.{fmt}"
                if old != outputs[fmt]:
                    staged = out_dir / f".batch-move-{job.index}.{fmt}.part"
                    os.replace(out_dir / old, staged)
                    moves.append((staged, out_dir / outputs[fmt]))
        job.row["outputs"] = outputs
    for src, dst in moves:
        os.replace(src, dst)
    for stray in out_dir.glob(".batch-*.part"):
        stray.unlink(missing_ok=True)


_COLUMNS = ("source", "status", "reason", "unit", "year", "level", "errors", "warnings",
            "infos", "passed", "not_assessable", "checks", "verdicts", "top_findings",
            "notices", "n_notices", "previous", "outputs", "reused")


def _summary_frame(jobs: list[_Job], options: BatchOptions) -> pd.DataFrame:
    rows = []
    for job in jobs:
        row = {k: None for k in _COLUMNS}
        row.update(job.row, source=options.shown(job.path))
        row["reused"] = bool(job.row.get("reused"))
        rows.append({k: row.get(k) for k in _COLUMNS})
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    for col in ("errors", "warnings", "infos", "passed", "not_assessable", "checks",
                "n_notices", "year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _findings_frame(jobs: list[_Job], options: BatchOptions) -> pd.DataFrame:
    rows = [{"source": options.shown(j.path), "unit": j.row.get("unit"), "year": j.row.get("year"),
             **f} for j in jobs for f in j.findings]
    return pd.DataFrame(rows, columns=["source", "unit", "year", "rule", "severity", "message"])


def _write_summary(frame: pd.DataFrame, jobs: list[_Job], out_dir: Path,
                   options: BatchOptions) -> None:
    from nlp.render.batch import render_index, render_summary_xlsx

    records = summary_records(frame)
    findings = frame.attrs["findings"].to_dict("records")
    unmatched = frame.attrs["unmatched_notices"]
    atomic_write(out_dir / "index.html",
                 render_index(records, findings, unmatched,
                              notices_given=frame.attrs["notices_given"]))
    atomic_write(out_dir / "summary.xlsx", render_summary_xlsx(records, findings, unmatched))
    manifest = {
        "schema": SCHEMA, "signature": options.signature(),
        "reports": [{**rec, "inputs": job.inputs, "findings": job.findings}
                    for rec, job in zip(records, jobs, strict=True)],
        "unmatched_notices": unmatched,
    }
    atomic_write(out_dir / "summary.json",
                 (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def summary_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The summary frame as plain JSON-able dicts (``<NA>`` → ``None``)."""
    out = []
    for rec in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        out.append({k: (int(v) if hasattr(v, "item") and not isinstance(v, (dict, list))
                        else v) for k, v in rec.items()})
    return out


def _read_manifest(out_dir: Path | None, options: BatchOptions) -> dict[str, dict[str, Any]]:
    """Last run's rows by source path, when made with the same options (else nothing)."""
    if out_dir is None or options.force:
        return {}
    try:
        data = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("schema") != SCHEMA or data.get("signature") != options.signature():
        return {}
    return {r["source"]: r for r in data.get("reports", []) if isinstance(r, dict)}


def _reuse(job: _Job, manifest: dict[str, dict[str, Any]], options: BatchOptions) -> bool:
    """Take last run's row when its outputs exist, cover the formats and are newer than
    every input they were made from."""
    old = manifest.get(str(job.path))
    if old is None or old.get("status") != "ok":
        return False
    outputs = old.get("outputs") or {}
    if not set(options.formats) <= set(outputs):
        return False
    out_dir = Path(options.out_dir)
    try:
        made = min((out_dir / name).stat().st_mtime for name in outputs.values())
        newest_input = max(Path(p).stat().st_mtime for p in old.get("inputs") or [job.path])
    except (OSError, ValueError):
        return False
    if newest_input > made:
        return False
    job.row = {k: v for k, v in old.items() if k not in ("inputs", "findings", "source")}
    job.row["reused"] = True
    job.row["outputs"] = {fmt: outputs[fmt] for fmt in options.formats}
    job.findings = list(old.get("findings") or [])
    job.inputs = list(old.get("inputs") or [])
    return True


def summary_line(frame: pd.DataFrame) -> str:
    """The one line the command prints at the end."""
    ok = frame[frame["status"] == "ok"]
    failed = int((frame["status"] == "failed").sum())
    reused = int(frame["reused"].sum())
    parts = [f"{len(frame)} 份年报", f"{len(ok)} 份已核对"]
    if reused:
        parts.append(f"其中 {reused} 份沿用上次结果")
    parts.append(f"{failed} 份无法读取")
    parts.append(f"共 {int(ok['errors'].sum())} 个错误、{int(ok['warnings'].sum())} 个警告")
    unmatched = frame.attrs.get("unmatched_notices") or []
    if unmatched:
        parts.append(f"{len(unmatched)} 组通知未匹配到年报")
    line = "，".join(parts)
    out = frame.attrs.get("out_dir")
    return f"{line}；{Path(out) / 'index.html'}" if out else line
