"""Seeded mutation fuzzing of the ``disclosure`` command on the project's real fixtures.

Each case takes a real report (``tests/data/reports``, ``corpus/examples``) or the
example notice list (as CSV, and as the XLSX, JSON, JSON Lines, text and GBK forms
made from it), mutates it (byte flips, truncation, encoding swaps, line and digit
edits, table-cell shuffles, hostile titles, deep nesting, giant cells, damaged
DOCX/XLSX members), and runs the command in-process — ``disclosure parse``,
``check`` (with ``--notices`` or ``--previous``), ``classify`` (from a file or
standard input) — or ``nlp.parse`` on the text. Each case must keep the contract:

* the exit status is 0 or 2, never 1 (an internal error; ``--debug`` gives its
  traceback, which is shown);
* exit 2: one line on stderr that names an input or the output; no output file and
  no temporary file left in the output folder;
* exit 0: the output is whole (JSON that loads, an XLSX openpyxl opens with no
  formula cell, a CSV with no cell a spreadsheet would run unless ``--raw``, an
  HTML page that ends), and it is the only file in the folder;
* limits: some cases run with lowered limits (``DISCLOSURE_MAX_*``); an input
  larger than its size limit must never be accepted;
* within ``--case-seconds`` (default 10) per case, and the process stays under
  ``--max-rss-mb``.

The model is loaded once and shared by all cases (``nlp.load_model`` memoized), so
a case costs what its input costs, not an unpickle.

    .venv/bin/python scripts/fuzz.py --cases 20000 --seed 1

The same seed gives the same cases; a failing case is kept with ``--keep DIR`` to be
replayed with the ``disclosure`` command printed beside it. ``tests/test_fuzz.py`` runs
a short run in ``make test``.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "reports"
REPORT_SUFFIXES = (".txt", ".html", ".md", ".docx", ".pdf")
EXAMPLES = ROOT / "corpus" / "examples"
LIST_FILE = EXAMPLES / "notices-2023.csv"
HOSTILE = ['=HYPERLINK("http://example.com","点击")', "+1+1", "-2", "@SUM(A1)", "\t=1",
           "\r=1", "<script>alert(1)</script>", "\x00", "\x07\x1b", "\u202e", "\ufeff",
           "]]>", "&xxe;", '"', "'", "\\", "%s%n", "1e309", "-0", "NaN", "９９９", "Ⅻ",
           "一千万亿", "9" * 40, "", " ", "\u3000", "二〇二三年", "（一）", "一、", "|", ","]
# Limits some cases lower, with a value that the seeds are near or above.
LOWERED = {"DISCLOSURE_MAX_REPORT_MB": "1", "DISCLOSURE_MAX_LIST_MB": "1",
           "DISCLOSURE_MAX_STREAM_MB": "1", "DISCLOSURE_MAX_DEPTH": "24",
           "DISCLOSURE_MAX_ROWS": "50", "DISCLOSURE_MAX_COLUMNS": "4",
           "DISCLOSURE_MAX_CELL_CHARS": "60", "DISCLOSURE_MAX_TABLE_CELLS": "120",
           "DISCLOSURE_MAX_UNZIPPED_MB": "1", "DISCLOSURE_MAX_PDF_PAGES": "2",
           "DISCLOSURE_MAX_HTML_ELEMENTS": "300", "DISCLOSURE_MAX_CHECK_NOTICES": "40"}
SIZE_LIMITS = {"report": "DISCLOSURE_MAX_REPORT_MB", "list": "DISCLOSURE_MAX_LIST_MB"}


# --- Seeds -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Seed:
    """One real input to mutate: its bytes, suffix, and which kind of input it is."""

    name: str
    data: bytes
    suffix: str
    kind: str  # "report" or "list"


def seeds() -> list[Seed]:
    """The fixtures' reports and the example list in each format the readers take."""
    out = [Seed(p.name, p.read_bytes(), p.suffix, "report")
           for p in sorted(REPORTS.iterdir()) if p.suffix in REPORT_SUFFIXES]
    example = EXAMPLES / "example-report.txt"
    out.append(Seed(example.name, example.read_bytes(), ".txt", "report"))
    text = LIST_FILE.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, r, strict=False)) for r in body]
    out += [Seed(LIST_FILE.name, text.encode("utf-8"), ".csv", "list"),
            Seed("notices-2023.gbk.csv", text.encode("gbk", errors="replace"), ".csv", "list"),
            Seed("notices-2023.json", json.dumps(records, ensure_ascii=False).encode(),
                 ".json", "list"),
            Seed("notices-2023.jsonl", "\n".join(json.dumps(r, ensure_ascii=False)
                                                 for r in records).encode(), ".jsonl", "list"),
            Seed("notices-2023.txt", "\n".join(r[0] for r in body).encode(), ".txt", "list"),
            Seed("notices-2023.xlsx", _xlsx(rows), ".xlsx", "list")]
    return out


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    sink = io.BytesIO()
    wb.save(sink)
    return sink.getvalue()


# --- Mutations: (rng, bytes, giant size) -> bytes ------------------------------------

def _text_of(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "gbk", "utf-16"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8"


def _on_text(edit: Callable[[random.Random, str, int], str]):
    """A mutation of the text, re-encoded as it was (the members of a zip: one member)."""

    def mutate(rng: random.Random, data: bytes, giant: int) -> bytes:
        if data[:2] == b"PK":
            return _zip_member(rng, data, lambda b: mutate(rng, b, giant))
        if data[:4] == b"%PDF":
            return _flip(rng, data, giant)
        text, enc = _text_of(data)
        return edit(rng, text, giant).encode(enc, errors="replace")

    mutate.__name__ = edit.__name__
    return mutate


def _zip_member(rng: random.Random, data: bytes, mutate: Callable[[bytes], bytes]) -> bytes:
    """The zip with one XML member mutated, or dropped."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    except zipfile.BadZipFile:
        return data
    xml = [n for n, (i, _) in enumerate(items) if i.filename.endswith((".xml", ".rels"))]
    target = rng.choice(xml or range(len(items)))
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, (info, member) in enumerate(items):
            if n == target:
                if rng.random() < 0.1:
                    continue
                member = mutate(member)
            zout.writestr(info, member)
    return sink.getvalue()


def _flip(rng, data, giant):
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate_bytes(rng, data, giant):
    return data[:rng.randrange(len(data) + 1)]


def _insert_bytes(rng, data, giant):
    cut = rng.randrange(len(data) + 1)
    junk = rng.choice([b"\x00" * rng.randint(1, 64), bytes(rng.randrange(256) for _ in range(16)),
                       b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b"PK\x03\x04", b"%PDF-1.4"])
    return data[:cut] + junk + data[cut:]


def _encoding(rng, data, giant):
    text, _ = _text_of(data)
    choice = rng.choice(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                         "utf-8-sig", "bom-over-gbk", "mixed", "big5", "latin-1"])
    if choice == "bom-over-gbk":
        return codecs.BOM_UTF8 + text.encode("gbk", errors="replace")
    if choice == "mixed":
        cut = rng.randrange(len(text) + 1)
        return text[:cut].encode("utf-8") + text[cut:].encode("gbk", errors="replace")
    return text.encode(choice, errors="replace")


def _truncate_text(rng, text, giant):
    return text[:rng.randrange(len(text) + 1)]


def _lines(rng, text, giant):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        op = rng.choice(["drop", "dup", "swap", "blank"])
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = ""
    return "\n".join(lines)


def _digits(rng, text, giant):
    """Numbers changed: other digits, huge, negative, written in Chinese, full width."""
    spots = [i for i, ch in enumerate(text) if ch.isdigit()]
    chars = list(text)
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 12))):
        chars[i] = rng.choice(["0", "9", "99999999999", "-1", "１", "十", "两", "", ".", "一千"])
    return "".join(chars)


def _hostile_words(rng, text, giant):
    """Formula titles, scripts, control characters and odd numbers put in places."""
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(HOSTILE))
    return "".join(chars)


def _shuffle_cells(rng, text, giant):
    lines = text.split("\n")
    rows = [i for i, ln in enumerate(lines) if "\t" in ln or ln.count("|") > 2
            or ln.count(",") > 1 or "<td" in ln]
    for _ in range(rng.randint(1, 10)):
        if not rows:
            break
        i = rng.choice(rows)
        sep = "\t" if "\t" in lines[i] else "|" if "|" in lines[i] else \
            "</td>" if "<td" in lines[i] else ","
        cells = lines[i].split(sep)
        rng.shuffle(cells)
        if rng.random() < 0.3:
            cells.insert(rng.randrange(len(cells) + 1), rng.choice(HOSTILE))
        if rng.random() < 0.2 and len(lines[i]) < 10_000:
            cells = cells * rng.randint(2, 40)  # a row far wider than the table
        lines[i] = sep.join(cells)
    return "\n".join(lines)


def _nest(rng, text, giant):
    depth = rng.choice([20, 300, 5000, 50_000])
    kind = rng.choice(["html", "json", "md", "table"])
    if kind == "html":
        return f"<html><body>{'<div>' * depth}{text}{'</div>' * depth}</body></html>"
    if kind == "json":
        return "[" * depth + json.dumps(text[:200], ensure_ascii=False) + "]" * depth
    if kind == "table":
        inner = "<table><tr><td>" * min(depth, 2000)
        return f"<html><body>{inner}{text}</body></html>"
    return "> " * min(depth, 5000) + text


def _giant(rng, text, giant):
    size = rng.choice([giant // 8, giant // 2, giant])
    unit = rng.choice(["防", "1", "a,", "\t", "=", "一、", "一", "<td>", "|", "\n", "条", "9条"])
    cut = rng.randrange(len(text) + 1)
    return text[:cut] + unit * max(1, size // len(unit.encode())) + text[cut:]


MUTATIONS: dict[str, Callable[[random.Random, bytes, int], bytes]] = {
    "byte_flip": _flip, "truncate": _truncate_bytes, "insert_bytes": _insert_bytes,
    "encoding": _encoding, "truncate_text": _on_text(_truncate_text),
    "lines": _on_text(_lines), "digits": _on_text(_digits),
    "hostile": _on_text(_hostile_words), "cell_shuffle": _on_text(_shuffle_cells),
    "deep_nesting": _on_text(_nest), "giant_cell": _on_text(_giant),
}


# --- Running one case ------------------------------------------------------------------

class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so the command's own handlers let it through."""


@dataclass
class Case:
    """One case: the command line, its files and what the checks need to know."""

    number: int
    target: str
    mutation: str
    seed: str
    args: list[str]
    inputs: dict[str, Path]  # kind -> path
    output: Path | None
    fmt: str | None
    env: dict[str, str]
    stdin: bytes | None = None
    raw: bool = False

    def replay(self) -> str:
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        feed = f" < {self.inputs['list']}" if self.stdin is not None else ""
        return f"{env} disclosure {' '.join(self.args)}{feed}".strip()


def make_case(number: int, rng: random.Random, pool: list[Seed], work: Path,
              giant: int) -> Case:
    """Draw a target, a seed and a mutation, write the mutated input, build the command."""
    reports = [s for s in pool if s.kind == "report"]
    lists = [s for s in pool if s.kind == "list"]
    target = rng.choice(["parse", "parse", "check", "check", "check_notices", "check_previous",
                         "classify", "classify", "classify_stdin", "library_parse",
                         "library_classify"])
    on_list = target in ("classify", "classify_stdin", "library_classify")
    seed = rng.choice(lists if on_list else reports)
    mutation = rng.choice(list(MUTATIONS))
    case_rng = random.Random(rng.getrandbits(64))
    data = MUTATIONS[mutation](case_rng, seed.data, giant)
    folder = work / f"case{number}"
    folder.mkdir()
    out_dir = folder / "out"
    out_dir.mkdir()
    suffix = case_rng.choice([seed.suffix] * 3 + [".txt", ""])
    mutated = folder / f"input{suffix}"
    mutated.write_bytes(data)
    kind = "list" if on_list else "report"
    inputs = {kind: mutated}
    env = {}
    if case_rng.random() < 0.15:
        name = case_rng.choice(list(LOWERED))
        env[name] = LOWERED[name]
    args: list[str]
    fmt = None
    if target.startswith("library"):
        args = []
    elif target in ("parse", "check", "check_notices", "check_previous"):
        command = "parse" if target == "parse" else "check"
        fmt = "json" if command == "parse" else case_rng.choice(["json", "html", "md", "xlsx"])
        args = [command, str(mutated)]
        if target == "check_notices":
            inputs["list"] = EXAMPLES / "notices-2023.csv"
            args += ["--notices", str(inputs["list"])]
        elif target == "check_previous":
            other = case_rng.choice(reports)
            inputs["previous"] = REPORTS / other.name if (REPORTS / other.name).exists() \
                else EXAMPLES / other.name
            args += ["--previous", str(inputs["previous"])]
    else:
        fmt = case_rng.choice(["csv", "csv", "xlsx", "json"])
        args = ["classify", "-" if target == "classify_stdin" else str(mutated)]
        if fmt == "csv" and case_rng.random() < 0.3:
            args.append("--raw")
    output = None
    if fmt is not None:
        output = out_dir / f"result.{fmt}"
        args = ["--debug", *args, "-o", str(output)]  # --debug: an internal error's traceback
    return Case(number, target, mutation, seed.name, args, inputs, output, fmt, env,
                stdin=data if target == "classify_stdin" else None, raw="--raw" in args)


def run_case(case: Case, case_seconds: float) -> tuple[str, str]:
    """Run one case; return ``(outcome, detail)`` with outcome ok, refused or failed."""
    from nlp.cli import main

    saved_env = {k: os.environ.get(k) for k in case.env}
    os.environ.update(case.env)
    err = io.StringIO()
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(case_seconds * 6, 30))
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
                _stdin(case.stdin):
            code = _library(case, err) if case.target.startswith("library") \
                else main(case.args)
    except CaseTimeout:
        return "failed", f"still running after {time.monotonic() - started:.0f} s"
    except SystemExit as exc:
        code = exc.code
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    elapsed = time.monotonic() - started
    problem = check_outcome(case, code, err.getvalue())
    if problem is None and elapsed > case_seconds:
        problem = f"took {elapsed:.1f} s (more than {case_seconds:g} s)"
    if problem:
        return "failed", problem
    return ("ok" if code == 0 else "refused"), ""


def _library(case: Case, err: io.StringIO) -> int:
    """The library's entries for text in memory, 0 or 2 like the CLI: ``nlp.parse`` on
    the report's text, or ``nlp.classify`` and ``nlp.check`` on the list's lines."""
    import traceback

    import nlp

    path = case.inputs.get("report") or case.inputs["list"]
    text, _ = _text_of(path.read_bytes())
    try:
        if case.target == "library_parse":
            nlp.parse(text).to_dict()
        else:
            # A giant cell of line breaks would make millions of empty titles, and a
            # long list's time is scripts/bench.py's question, not this one.
            titles = [t for t in text.splitlines() if t.strip()][:2_000]
            nlp.classify(titles)
            nlp.check(EXAMPLES / "example-report.txt", notices=titles).to_dict()
    except nlp.InputError as exc:
        print(f"disclosure: error: {path}: {exc}", file=err)
        return 2
    except Exception:
        traceback.print_exc(file=err)
        return 1
    return 0


@contextlib.contextmanager
def _stdin(data: bytes | None):
    if data is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = saved


def check_outcome(case: Case, code: object, err: str) -> str | None:
    """What is wrong with the outcome of ``case``, or ``None``."""
    if code not in (0, 2):
        return f"exit {code}: {_last_lines(err)}"
    if "Traceback" in err:
        return f"a traceback with exit {code}: {_last_lines(err)}"
    left = sorted(p.name for p in case.output.parent.iterdir()) if case.output else []
    if code == 2:
        lines = err.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("disclosure: error: "):
            return f"exit 2 without one error line: {err.strip()[:300]!r}"
        names = [str(p) for p in case.inputs.values()] + [str(case.output), "-:"]
        if not any(n in lines[0] for n in names):
            return f"exit 2 naming no input: {lines[0][:200]}"
        if left:
            return f"exit 2 left files behind: {left}"
        return None
    for kind, name in SIZE_LIMITS.items():
        path = case.inputs.get(kind)
        if name in case.env and path is not None and case.stdin is None \
                and path.stat().st_size > int(case.env[name]) << 20:
            return f"accepted a {kind} of {path.stat().st_size} bytes past {name}"
    if case.output is None:
        return None
    if left != [case.output.name]:
        return f"exit 0 but the output folder holds {left}"
    return _whole_output(case)


def _whole_output(case: Case) -> str | None:
    data = case.output.read_bytes()
    try:
        if case.fmt == "json":
            json.loads(data)
        elif case.fmt == "xlsx":
            import openpyxl

            formulas = [c.coordinate for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets
                        for row in ws.iter_rows() for c in row if c.data_type == "f"]
            if formulas:
                return f"formula cells in the XLSX: {formulas[:5]}"
        elif case.fmt == "csv":
            rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
            live = [c for r in rows for c in r if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
            if live and not case.raw:
                return f"CSV cells a spreadsheet would run: {live[:3]!r}"
        elif case.fmt == "html" and not data.rstrip().endswith(b"</html>"):
            return "the HTML does not end with </html>"
        elif case.fmt == "md" and not data.strip():
            return "an empty Markdown report"
    except Exception as exc:  # the output itself is broken
        return f"unreadable {case.fmt} output: {type(exc).__name__}: {exc}"
    return None


def _last_lines(err: str) -> str:
    return " | ".join(err.strip().splitlines()[-3:])[:400]


# --- The run ---------------------------------------------------------------------------

@dataclass
class Tally:
    """Outcomes per (target, mutation), and each failure with its replay command."""

    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")

    def add(self, case: Case, outcome: str, seconds: float) -> None:
        self.counts[(case.target, case.mutation, outcome)] += 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, f"case {case.number} {case.target}/{case.mutation} "
                                     f"{case.seed}")

    def total(self, outcome: str) -> int:
        return sum(n for (_, _, o), n in self.counts.items() if o == outcome)

    def table(self) -> str:
        def row(name: str, keys) -> str:
            ok, ref, bad = (sum(self.counts[(t, m, o)] for t, m in keys)
                            for o in ("ok", "refused", "failed"))
            return f"{name:<28} {ok + ref + bad:>7} {ok:>7} {ref:>8} {bad:>7}"

        pairs = {(t, m) for t, m, _ in self.counts}
        lines = [f"{'':<28} {'cases':>7} {'exit 0':>7} {'exit 2':>8} {'failed':>7}"]
        for target in sorted({t for t, _ in pairs}):
            lines.append(row(target, [p for p in pairs if p[0] == target]))
        for mutation in sorted({m for _, m in pairs}):
            lines.append(row("  " + mutation, [p for p in pairs if p[1] == mutation]))
        lines.append(row("all", pairs))
        return "\n".join(lines)


def run(cases: int, seed: int, *, case_seconds: float = 10.0, giant: int = 2_000_000,
        max_rss_mb: int = 3000, keep: Path | None = None, only: int | None = None,
        progress: Callable[[int, Tally], None] | None = None) -> Tally:
    """Run ``cases`` seeded cases and return the tally; the same seed, the same cases."""
    import nlp

    loaded = {}
    real_load = nlp.load_model

    def load_once(path=None, *, trust=False):
        key = (str(path), trust)
        if key not in loaded:
            loaded[key] = real_load(path, trust=trust)
            _ = loaded[key].pipeline  # unpickled once, shared by every case
        return loaded[key]

    def alarm(signum, frame):
        raise CaseTimeout

    previous_handler = signal.signal(signal.SIGALRM, alarm)
    nlp.load_model = load_once
    _warm_up()
    rng = random.Random(seed)
    pool = seeds()
    tally = Tally()
    grown = False
    try:
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            for number in range(cases):
                case = make_case(number, rng, pool, Path(tmp), giant)
                if only is not None and number != only:
                    shutil.rmtree(Path(tmp) / f"case{number}")
                    continue
                started = time.monotonic()
                outcome, detail = run_case(case, case_seconds)
                seconds = time.monotonic() - started
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
                if rss > max_rss_mb and not grown:
                    grown = True  # the peak only grows: the case that passed the bound fails
                    outcome = "failed"
                    detail = "; ".join(filter(None, [detail, f"the process grew to {rss} MB"]))
                tally.add(case, outcome, seconds)
                if outcome == "failed":
                    if keep is not None:
                        kept = keep / f"case{number}"
                        shutil.copytree(case.inputs.get("report", case.inputs.get("list")).parent,
                                        kept, dirs_exist_ok=True)
                    tally.failures.append(f"case {number} {case.target}/{case.mutation} "
                                          f"of {case.seed}: {detail}\n    {case.replay()}")
                shutil.rmtree(Path(tmp) / f"case{number}", ignore_errors=True)
                if progress is not None:
                    progress(number + 1, tally)
    finally:
        nlp.load_model = real_load
        signal.signal(signal.SIGALRM, previous_handler)
    return tally


def _warm_up() -> None:
    """Import what the commands import and load the model, so no case pays for it."""
    import openpyxl  # noqa: F401

    import nlp
    from nlp.render import render

    with contextlib.suppress(Exception):  # a broken parser is the cases' to report
        render(nlp.check(EXAMPLES / "example-report.txt", notices=LIST_FILE), "xlsx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--case-seconds", type=float, default=10.0,
                        help="a case slower than this fails (default 10)")
    parser.add_argument("--giant", type=int, default=2_000_000,
                        help="bytes of the largest giant cell (default 2,000,000)")
    parser.add_argument("--max-rss-mb", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="copy each failing case's input here")
    parser.add_argument("--only", type=int, metavar="N",
                        help="run case N alone (the cases before it are drawn, not run)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    shown = 0

    def progress(done: int, tally: Tally) -> None:
        nonlocal shown
        for line in tally.failures[shown:]:  # as they happen, for a long run
            print("  " + line, file=sys.stderr, flush=True)
        shown = len(tally.failures)
        if done % 1000 == 0:
            print(f"  {done} cases, {tally.total('failed')} failed, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    tally = run(args.cases, args.seed, case_seconds=args.case_seconds, giant=args.giant,
                max_rss_mb=args.max_rss_mb, keep=args.keep, only=args.only,
                progress=progress)
    print(tally.table())
    print(f"{args.cases} cases, seed {args.seed}, {time.monotonic() - started:.0f} s "
          f"(slowest {tally.slowest[0]:.2f} s: {tally.slowest[1]}); "
          f"failed: {tally.total('failed')}")
    for line in tally.failures[:40]:
        print("  " + line)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
