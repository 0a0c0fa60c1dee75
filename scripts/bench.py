"""Speed and memory of disclosure-nlp, measured end to end (never asserted in a test).

    python scripts/bench.py [--titles 200000] [--repeats 3] [--million]
    python scripts/bench.py --district 1000 [--repeats 3]

Prints, as medians over ``--repeats`` alternating runs on this machine:

* ``disclosure classify`` on N titles against the plain way (``jieba.lcut`` per title,
  ``TfidfVectorizer``, ``LogisticRegression``, one process, fitted on the same corpus
  beforehand), both as fresh processes reading a CSV and writing a CSV: seconds,
  titles/s, the ratio, and each process's peak memory (ru_maxrss from wait4);
* the model's load time (sha256 check included);
* with ``--million``: peak memory of ``disclosure classify`` on a 1,000,000-row CSV;
* ``disclosure parse`` of a 5 MB report, and ``disclosure check`` with 2,000 notices,
  start-up and model load included;
* with ``--district N``, only ``disclosure batch`` on a generated district of N reports
  (serial, 1 and 2 Dask workers; see ``scripts/bench_batch.py``).

The titles are drawn from the corpus with varied prefixes and suffixes: 87% are
distinct, 62% still distinct once normalised (numbered series such as 「（第12期）」
collapse, as in real lists, and the classifier computes each normalised title once).
So that this does not flatter the figures, the comparison is repeated on titles that
are all distinct even after normalisation.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
BIN = Path(sys.executable).parent
# The plain way, as a module of its own so its tokenizer pickles by reference.
PLAIN = '''
import sys

import jieba
import joblib
import pandas as pd

jieba.setLogLevel(60)


def cut(text):
    return jieba.lcut(text)


def fit(corpus_csv, model_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train = pd.read_csv(corpus_csv)
    vec = TfidfVectorizer(tokenizer=cut, token_pattern=None)
    clf = LogisticRegression(max_iter=1000).fit(vec.fit_transform(train["title"]), train["label"])
    joblib.dump((vec, clf), model_path)


if __name__ == "__main__":
    if sys.argv[1] == "fit":
        fit(sys.argv[2], sys.argv[3])
        raise SystemExit(0)
    vec, clf = joblib.load(sys.argv[1])
    frame = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
    proba = clf.predict_proba(vec.transform(frame["标题"].tolist()))
    frame["domain"] = clf.classes_[proba.argmax(axis=1)]
    frame["confidence"] = proba.max(axis=1)
    frame.to_csv(sys.argv[3], index=False)
'''


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return seconds, usage.ru_maxrss / 1024


def tree_memory(cmd: list[str], every: float = 0.05) -> tuple[float, float, float]:
    """Wall seconds, the largest single process's peak RSS (MB), and the peak of the summed
    proportional set size (PSS, MB) of the process and its children, sampled.

    The worker processes are forked and share the parent's pages copy-on-write, so adding
    their RSS would count shared pages twice; PSS splits each shared page among them.
    Sampling costs time, so this is used only for the memory figure, not for speed.
    """
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    start = time.perf_counter()
    while proc.poll() is None:
        peak = max(peak, sum(_pss_mb(pid) for pid in [proc.pid, *_children(proc.pid)]))
        time.sleep(every)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, usage.ru_maxrss / 1024, peak


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


PLACES = ["红旗路街道", "城关镇", "东风社区", "区应急管理局", "县民政局", "高新区", "西关街道",
          "南湖镇", "北关区", "城东街道", "县人社局", "区文旅局", "白沙乡", "新华街道", "河西社区",
          "县农业农村局", "区卫健委", "青山镇", "开发区管委会", "滨江街道"]


def make_titles(n: int, seed: int = 0) -> list[str]:
    corpus = pd.read_csv(ROOT / "corpus" / "train.csv")["title"].tolist()
    rng = random.Random(seed)
    prefixes = ["", "红旗路街道", "城关镇", "东风社区", "区应急管理局", "县民政局", "高新区",
                "西关街道", "关于", "转发："]
    def suffix() -> str:
        kind = rng.randrange(3)
        if kind == 1:
            return f"（第{rng.randint(1, 99)}期）"
        if kind == 2:
            return f"（{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月）"
        return ""
    return [f"{rng.choice(prefixes)}{rng.choice(corpus)}{suffix()}" for _ in range(n)]


def make_distinct_titles(n: int, seed: int = 3) -> list[str]:
    """Titles that stay distinct after normalisation: place, corpus title, place."""
    from nlp.classifier.titles import normalize_titles

    corpus = pd.read_csv(ROOT / "corpus" / "train.csv")["title"].tolist()
    rng = random.Random(seed)
    seen: set[str] = set()
    titles: list[str] = []
    while len(titles) < n:
        batch = [f"{rng.choice(PLACES)}{rng.choice(corpus)}（{rng.choice(PLACES)}）"
                 for _ in range(n - len(titles))]
        for title, key in zip(batch, normalize_titles(batch), strict=True):
            if key not in seen:
                seen.add(key)
                titles.append(title)
    return titles


def median_line(name: str, runs: list[tuple[float, float]], n: int) -> float:
    secs = statistics.median(r[0] for r in runs)
    mem = max(r[1] for r in runs)
    print(f"  {name:<22} median {secs:6.2f} s  {n / secs:9,.0f} titles/s  peak {mem:6.0f} MB"
          f"  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
    return secs


def main() -> int:
    parser = argparse.ArgumentParser(description="disclosure-nlp benchmarks")
    parser.add_argument("--titles", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--million", action="store_true", help="also the 1,000,000-row file")
    parser.add_argument("--district", type=int, metavar="N",
                        help="only `disclosure batch` on a generated district of N reports, "
                             "serial and 1 and 2 workers (scripts/bench_batch.py)")
    args = parser.parse_args()
    if args.district:
        sys.path.insert(0, str(ROOT / "scripts"))
        import bench_batch

        bench_batch.run(args.district, args.repeats)
        return 0
    WORK.mkdir(exist_ok=True)
    disclosure = str(BIN / "disclosure")
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")

    titles_csv = WORK / f"titles-{args.titles}.csv"
    pd.DataFrame({"标题": make_titles(args.titles)}).to_csv(titles_csv, index=False)
    distinct_csv = WORK / f"distinct-{args.titles}.csv"
    pd.DataFrame({"标题": make_distinct_titles(args.titles)}).to_csv(distinct_csv, index=False)
    plain_model = WORK / "plain.joblib"
    plain_script = WORK / "plain_way.py"
    plain_script.write_text(PLAIN, encoding="utf-8")
    timed([sys.executable, str(plain_script), "fit", str(ROOT / "corpus" / "train.csv"),
           str(plain_model)])

    for label, data in (("", titles_csv), (" all-distinct", distinct_csv)):
        print(f"classify {args.titles:,}{label} titles (CSV in, CSV out, fresh process each run):")
        ours, plain = [], []
        for _ in range(args.repeats):  # alternate, so drift on a shared machine hits both
            ours.append(timed([disclosure, "classify", str(data), "-o",
                               str(WORK / "ours.csv")]))
            plain.append(timed([sys.executable, str(plain_script), str(plain_model),
                                str(data), str(WORK / "plain.csv")]))
        a = median_line("disclosure classify", ours, args.titles)
        b = median_line("plain jieba+tfidf+LR", plain, args.titles)
        print(f"  ratio (plain / ours): {b / a:.2f}x")

    from nlp.classifier.model_file import load_model
    start = time.perf_counter()
    _ = load_model().pipeline  # the pipeline is unpickled on first use
    first = time.perf_counter() - start
    loads = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        _ = load_model().pipeline
        loads.append(time.perf_counter() - start)
    print(f"model load (sha256 check + unpickle): median {statistics.median(loads):.3f} s; "
          f"the first in a process, importing scikit-learn, {first:.2f} s")

    if args.million:
        big = WORK / "titles-1000000.csv"
        pd.DataFrame({"标题": make_titles(1_000_000, seed=1)}).to_csv(big, index=False)
        secs, rss, pss = tree_memory([disclosure, "classify", str(big), "-o",
                                      str(WORK / "big.csv")])
        print(f"classify 1,000,000 rows: {secs:.1f} s; peak memory of the whole process tree "
              f"{pss:.0f} MB (PSS, sampled), of its largest process {rss:.0f} MB (RSS)")

    example = (ROOT / "corpus" / "examples" / "example-report.txt").read_text(encoding="utf-8")
    head, tail = example.split("二、主动公开政府信息情况", 1)
    filler = "本年度我办持续推进政务公开工作，完善制度，规范流程。" * 100 + "\n"
    big_report = WORK / "report-5mb.txt"
    body = head + filler * (5_000_000 // len(filler.encode()))
    big_report.write_text(body + "二、主动公开政府信息情况" + tail, encoding="utf-8")
    size = big_report.stat().st_size / 1e6
    runs = [timed([disclosure, "parse", str(big_report)]) for _ in range(args.repeats)]
    print(f"parse a {size:.1f} MB report: median {statistics.median(r[0] for r in runs):.2f} s"
          " (whole process)")

    notices = WORK / "notices-2000.csv"
    pd.DataFrame({"标题": make_titles(2000, seed=2)}).to_csv(notices, index=False)
    runs = [timed([disclosure, "check", "corpus/examples/example-report.txt", "--notices",
                   str(notices), "-o", str(WORK / "check.html")]) for _ in range(args.repeats)]
    print(f"check with 2,000 notices to HTML: median "
          f"{statistics.median(r[0] for r in runs):.2f} s (start-up and model load included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
