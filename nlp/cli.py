"""The ``disclosure`` command: parse options, call the library, write the result.

Nothing else lives here. Exit status (the contract): 0 done, also when the report
has findings; 2 the input or the options are unusable (one line on stderr, no
traceback, no output file left behind); 1 an unexpected internal error.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from nlp import __version__
from nlp.errors import InputError
from nlp.files import atomic_write

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
CLASSIFY_FORMATS = ("csv", "xlsx", "json")
CHECK_FORMATS = ("html", "md", "json", "xlsx")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage errors are the user's: exit 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="disclosure", description=(
        "Check 政府信息公开工作年度报告 against the notices the office published: train the "
        "domain classifier, classify a notice list, parse a report, write the consistency "
        "report."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("train", help="train the domain classifier from the labeled corpus")
    p.add_argument("--corpus", metavar="PATH", help="corpus folder (default: corpus/)")
    p.add_argument("--out", metavar="PATH",
                   help="model file or folder (default: models/domain_classifier.joblib)")

    p = sub.add_parser("classify", help="classify a notice list into the six domains and 其他")
    p.add_argument("notices", metavar="NOTICES",
                   help="CSV, XLSX, JSON, JSON Lines or text file (one title a line), or -")
    _output_options(p, CLASSIFY_FORMATS, "csv")
    p.add_argument("--raw", action="store_true",
                   help="write CSV cells exactly as read; by default a cell that begins with "
                        "= + - @, a tab or a carriage return gets a leading ' so that Excel "
                        "does not run it as a formula")
    _model_options(p)

    p = sub.add_parser("parse", help="print everything an annual report declares, as JSON")
    p.add_argument("report", metavar="REPORT", help="text, HTML, Markdown, DOCX or PDF file")
    _output_options(p, ("json",), "json")

    p = sub.add_parser("check", help="the consistency report of an annual report")
    p.add_argument("report", metavar="REPORT", help="text, HTML, Markdown, DOCX or PDF file")
    p.add_argument("--notices", metavar="NOTICES",
                   help="the office's notice list, to reconcile with the declared counts")
    p.add_argument("--previous", metavar="REPORT", help="last year's report (cross-year rules)")
    p.add_argument("--summary", action="store_true",
                   help="print a short summary and the output path on stdout")
    _output_options(p, CHECK_FORMATS, "json")
    _model_options(p)
    _batch_parser(sub)
    _serve_parser(sub)
    return parser


def _output_options(p: argparse.ArgumentParser, formats: tuple[str, ...], default: str) -> None:
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file (default: standard output); its extension sets the format")
    p.add_argument("--format", choices=formats,
                   help=f"output format (default: from OUT's extension, else {default})")
    p.set_defaults(default_format=default, formats=formats)


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH",
                   help="model file with its .json manifest beside it (default: the shipped one)")
    p.add_argument("--trust-model", action="store_true",
                   help="load a model other than the shipped one. A joblib model is a pickle, "
                        "and loading a pickle runs any code it holds; a manifest beside it "
                        "proves nothing, since whoever can replace the model can replace the "
                        "manifest. Only the shipped model, whose sha256 is pinned in the "
                        "package, loads without this; pass it only for a model you trained "
                        "or whose maker you trust")
    p.add_argument("--column", metavar="NAME", help="the title column of the notice list")


def main(argv: Iterable[str] | None = None) -> int:
    args = build_parser().parse_args(None if argv is None else list(argv))
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"disclosure: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("disclosure: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(f"disclosure: internal error: {type(exc).__name__}: {exc} "
                  "(run with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The ``disclosure`` command: :func:`main` in a short-lived batch process.

    Two process-wide settings suit a command that runs once per file, both measured
    with ``scripts/bench.py``:

    * glibc is asked to keep freed memory for reuse. By default it maps every block
      of a few megabytes fresh and unmaps it on free, so each batch of titles pays
      its page faults again (about 5% of ``disclosure classify``'s time);
    * once the outputs are written and closed, the process ends at once: tearing
      down an interpreter with scikit-learn and SciPy loaded only frees memory the
      system frees anyway, and takes 0.15–0.2 s.
    """
    _keep_freed_memory()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters, from glibc's malloc.h


def _keep_freed_memory() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (OSError, AttributeError):  # not glibc: keep the allocator's defaults
        pass


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        ext = Path(args.output).suffix.lower().lstrip(".")
        ext = {"markdown": "md", "htm": "html", "jsonl": "json"}.get(ext, ext)
        if ext in args.formats:
            return ext
        if ext:
            raise InputError(f"unknown output extension .{ext}; use --format "
                             f"{'|'.join(args.formats)}", path=args.output)
    return args.default_format


def write_output(output: str | None, write: Callable[[object], None], *, binary: bool) -> None:
    """Write to ``output`` atomically (a temporary file, then a rename), or to stdout."""
    if output in (None, "-"):
        stream = sys.stdout.buffer if binary else sys.stdout
        write(stream)
        stream.flush()
        return
    target = Path(output)
    if target.is_dir():
        raise InputError("output is a directory", path=output)
    if not target.parent.exists():
        raise InputError("output folder does not exist", path=output)
    atomic_write(target, write, text=not binary)


def cmd_train(args: argparse.Namespace) -> int:
    import nlp

    manifest = nlp.train(args.corpus, args.out)
    figures = manifest["figures"]
    test, gold = figures["test"], figures["test_gold"] or {}
    print(f"model: {manifest['model_file']}  sha256 {manifest['sha256'][:12]}")
    print(f"chosen: {figures['chosen']}")
    print(f"cross-validation macro-F1 {figures['cross_validation']['macro_f1']}")
    print(f"test macro-F1 {test['macro_f1']} (n={test['n']}), ECE {test['ece']}; "
          f"real gold rows macro-F1 {gold.get('macro_f1')} (n={gold.get('n')})")
    print(f"review threshold: confidence < {manifest['review']['confidence_threshold']} "
          f"or margin < {manifest['review']['margin']}")
    oos = manifest.get("out_of_source") or {}
    if oos:
        em = oos["error_model"]
        print(f"on sites it did not see ({oos['rows']} real rows of {oos['sites']} sites, "
              f"{oos['folds']} grouped folds): macro-F1 {oos['macro_f1']}, accuracy "
              f"{oos['accuracy']}, ECE {oos['ece_model']} -> {oos['ece_recalibrated']} "
              f"recalibrated; between sites, variance of misses {em['dispersion_out']} "
              f"and of pulled-in notices {em['dispersion_in']}")
        for label, row in oos["per_label"].items():
            print(f"  {label}: precision {row['precision']}, recall {row['recall']}, "
                  f"n {row['support']}")
    return EXIT_OK


def cmd_classify(args: argparse.Namespace) -> int:
    import nlp
    from nlp.classifier.classify import classify_chunks, summary
    from nlp.readers.notices import iter_notice_chunks
    from nlp.render.notices import summary_text, write_notices

    fmt = _format(args)
    model = nlp.load_model(args.model, trust=args.trust_model)
    tables = []

    def classified():
        chunks = iter_notice_chunks(args.notices, column=args.column)
        with progress_bar(args.notices) as bar:
            for result in classify_chunks(chunks, model):
                tables.append(summary(result))
                bar.update(len(result.frame))
                yield result.frame

    # CSV streams chunk by chunk; XLSX and JSON are written once the list is complete.
    write_output(args.output, lambda fh: write_notices(classified(), fmt, fh, raw=args.raw),
                 binary=fmt == "xlsx")
    print(summary_text(tables), file=sys.stderr)
    return EXIT_OK


PROGRESS_MIN_ROWS = 50_000  # shorter lists are done before a bar would be read
_LINE_FORMATS = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson")


def progress_bar(path: str, stream=None):
    """A progress bar for long notice lists, shown only when ``stream`` is a terminal.

    Its length is the file's line count (a notice a line, for the formats that have
    lines), counted in C in a few milliseconds per 100,000 lines; a list read from
    standard input or from XLSX or JSON shows a running count instead.
    """
    stream = stream if stream is not None else sys.stderr
    terminal = hasattr(stream, "isatty") and stream.isatty()
    total = _count_lines(path) if terminal else None
    if not terminal or (total is not None and total < PROGRESS_MIN_ROWS):
        return _NoBar()
    from tqdm import tqdm  # imported only when a bar is shown: 30 ms of start-up

    return tqdm(total=total, unit=" notices", unit_scale=True, file=stream, leave=False,
                dynamic_ncols=True)


class _NoBar:
    """What :func:`progress_bar` gives when no bar is shown: the same calls, doing nothing."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def update(self, n: int = 1) -> None:
        pass


def _count_lines(path: str) -> int | None:
    if path == "-" or not path.lower().endswith(_LINE_FORMATS):
        return None
    try:
        with open(path, "rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None


def cmd_parse(args: argparse.Namespace) -> int:
    import json

    import nlp

    report = nlp.parse(Path(args.report))
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    write_output(args.output, lambda fh: fh.write(text), binary=False)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    import nlp
    from nlp.render import render

    fmt = _format(args)
    model = nlp.load_model(args.model, trust=args.trust_model) if args.notices else None
    result = nlp.check(Path(args.report),
                       notices=Path(args.notices) if args.notices else None,
                       previous=Path(args.previous) if args.previous else None,
                       model=model, column=args.column)
    payload = render(result, fmt)
    write_output(args.output, lambda fh: fh.write(payload), binary=True)
    if args.summary:
        from nlp.render.summary import summary_lines

        for line in summary_lines(result):
            print(line)
        if args.output:
            print(f"report: {Path(args.output).resolve()}")
    return EXIT_OK


def _batch_parser(sub) -> None:
    p = sub.add_parser("batch", help="check many reports at once: one summary, a report each")
    p.add_argument("reports", metavar="REPORTS", nargs="+",
                   help="report files, folders (searched recursively) or glob patterns")
    p.add_argument("-o", "--output", metavar="OUT_DIR", required=True,
                   help="folder for index.html, summary.xlsx and each report's outputs")
    p.add_argument("--notices", metavar="LIST",
                   help="one combined notice list with a unit column, or a folder of one "
                        "list per unit named after it")
    p.add_argument("--unit-column", metavar="NAME",
                   help="the combined list's unit column (default: found by name, 发布单位 …)")
    p.add_argument("--previous", metavar="DIR", help="last year's reports, matched by unit")
    p.add_argument("--format", default="html", metavar="LIST",
                   help="per-report outputs, comma-separated from html,xlsx,json,md "
                        "(default: html)")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="worker processes of the local Dask cluster (default: the cores; "
                        "0: no Dask, this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="an existing Dask scheduler, e.g. tcp://host:8786, instead of a "
                        "local cluster")
    p.add_argument("--force", action="store_true",
                   help="redo every report, even when its outputs are newer than its inputs")
    _model_options(p)


def cmd_batch(args: argparse.Namespace) -> int:
    import nlp
    from nlp.batching.runner import summary_line

    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    if args.jobs is not None and args.jobs < 0:
        raise InputError("--jobs must be 0 or more", place="--jobs")
    bar = _batch_bar()
    try:
        frame = nlp.batch(args.reports, args.output, notices=args.notices,
                          previous=args.previous, formats=formats, jobs=args.jobs,
                          scheduler=args.scheduler, force=args.force, column=args.column,
                          unit_column=args.unit_column, model=args.model,
                          progress=bar.progress if bar else None)
    finally:
        if bar:
            bar.close()
    print(summary_line(frame))
    return EXIT_OK


class _BatchBar:
    """A tqdm bar on stderr that :func:`nlp.batch` moves through its ``progress`` callback."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=0, unit=" 份", file=sys.stderr, leave=False, dynamic_ncols=True)

    def progress(self, done: int, total: int) -> None:
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def _batch_bar() -> _BatchBar | None:
    return _BatchBar() if hasattr(sys.stderr, "isatty") and sys.stderr.isatty() else None


def _serve_parser(sub) -> None:
    p = sub.add_parser("serve", help="a local web page: upload a report, read its check")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only; "
                        "there is no login, so another address lets anyone who reaches it in)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--max-upload-mb", type=float, default=50, metavar="MB",
                   help="largest upload, all files of one request together (default: 50)")
    p.add_argument("--model", metavar="PATH",
                   help="model file with its .json manifest beside it (default: the shipped one)")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from nlp.batching.workers import worker_model
    from nlp.serve.app import create_app

    if not 0 < args.port < 65536:
        raise InputError("--port must be between 1 and 65535", place="--port")
    # Loaded once, here, so that a bad model is a one-line error before the server starts;
    # the batch page's tasks find the same object through worker_model's cache.
    app = create_app(model_path=args.model, max_upload_mb=args.max_upload_mb,
                     model=worker_model(args.model))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"disclosure: warning: listening on {args.host}: there is no login, so anyone "
              "who can reach this address can upload reports and read every result",
              file=sys.stderr)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"disclosure serve: http://{shown}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind the address
        raise InputError(f"cannot listen on {args.host}:{args.port} (in use, or not an "
                         "address of this machine)", place="--host/--port") from exc
    return EXIT_OK


COMMANDS = {"train": cmd_train, "classify": cmd_classify, "parse": cmd_parse,
            "check": cmd_check, "batch": cmd_batch, "serve": cmd_serve}
