"""How long the parser takes on a report padded to a given size (median of fresh runs).

    .venv/bin/python scripts/bench_parse.py            # 5 MB, 5 runs
    .venv/bin/python scripts/bench_parse.py --mb 20 --repeats 3
    .venv/bin/python scripts/bench_parse.py --pathological   # inputs that were quadratic

The padding is narrative text inside section 四, where a long report is long; the
result is checked (the total is still read) so that a fast wrong parse does not count.
``--pathological`` times the inputs the fuzzer found quadratic (a pattern retried from
every position of a long run took minutes); the tests keep these inputs and check their
results, this script says how long they take.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.readers.reports import Source  # noqa: E402
from nlp.report.parser import parse_report  # noqa: E402

FILLER = "（三）政府信息管理方面。我办严格落实制度，共发布通知 3 份，召开会议 2 次。\n"
HEADING = "五、存在的主要问题及改进情况"


def padded_report(megabytes: float) -> str:
    base = (ROOT / "tests" / "data" / "reports" / "example-report.txt").read_text(encoding="utf-8")
    copies = int(megabytes * 1_000_000 // len(FILLER.encode()))
    return base.replace(HEADING, FILLER * copies + HEADING)


def _inside_title(run: str, length: int = 150_000) -> str:
    base = (ROOT / "tests" / "data" / "reports" / "example-report.txt").read_text(encoding="utf-8")
    cut = base.index("工作年度报告") + 1  # inside the title, which then matches nowhere
    return base[:cut] + run * (length // len(run)) + base[cut:]


def _after_phrase() -> str:
    base = (ROOT / "tests" / "data" / "reports" / "example-report.txt").read_text(encoding="utf-8")
    cut = base.index("一、")
    return base[:cut] + "办结" + "\n" * 200_000 + base[cut:]


def pathological() -> dict[str, str]:
    """The inputs of tests/test_cli_hostile.py that used to take minutes, by name."""
    return {
        **{f"150,000 × {run!r} inside the title": _inside_title(run)
           for run in ("1", "一", "9条", "\n")},
        "「办结」 then 200,000 blank lines": _after_phrase(),
    }


def _time_pathological(repeats: int) -> int:
    for name, text in pathological().items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            report = parse_report(Source(text, [], "r.txt", "text", "utf-8"))
            times.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(times):.2f} s over {repeats} runs "
              f"(max {max(times):.2f}; total read: {report.total_published})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pathological", action="store_true",
                        help="time the inputs that were quadratic instead")
    args = parser.parse_args(argv)
    if args.pathological:
        return _time_pathological(args.repeats)
    text = padded_report(args.mb)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        report = parse_report(Source(text, [], "big.txt", "text", "utf-8"))
        times.append(time.perf_counter() - start)
        if report.total_published != 74:
            print(f"wrong parse: total {report.total_published}", file=sys.stderr)
            return 1
    print(f"{len(text.encode()) / 1e6:.1f} MB report: median {statistics.median(times):.2f} s "
          f"over {args.repeats} runs (min {min(times):.2f}, max {max(times):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
