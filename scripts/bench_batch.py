"""Speed and memory of ``disclosure batch`` on a generated district (never asserted in a test).

    python scripts/bench_batch.py [--reports 1000] [--repeats 3] [--keep]

Generates (once, under ``.bench/district-N/``) a district of N reports, a fifth in each
of the five forms, made from the fixtures: text, Markdown and HTML variants of the
example report and of the synthetic fixtures with the unit renamed, Word variants of
``word_report.docx`` with the unit renamed, and copies of the text-layer PDF fixture
(its unit stays, so those reports share one notice group). One combined notice list
names each unit under 发布单位, with 50–2,000 corpus titles per unit.

Then runs, each as a fresh process and alternating, ``--repeats`` times:

* the serial baseline (``--jobs 0``: one process, no Dask);
* a local Dask cluster of 1 worker process, and of 2;

and prints the medians: wall seconds (cluster start, model load, reading the list and
writing every HTML page included), reports/s, the ratio of 2 workers to 1, the CPU seconds
of the client process (with the local cluster's scheduler, which runs in it) and of the
workers (user + system, so a loaded machine shows as wall time the CPU does not explain),
and the peak resident memory of each worker (``ru_maxrss`` read in the worker at the end)
and of the client.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "reports"
EXAMPLE = ROOT / "corpus" / "examples" / "example-report.txt"
# (source file, unit written in it) for the forms whose text can be renamed.
TEXT_SOURCES = [(EXAMPLE, "北关区红旗路街道办事处"),
                (FIXTURES / "synthetic_utf8.txt", "青石县人民政府办公室"),
                (FIXTURES / "fullwidth_cn_numerals.txt", "青石县人民政府办公室")]
MARKDOWN = (FIXTURES / "markdown_report.md", "青石县人民政府办公室")
HTML = (FIXTURES / "site_page.html", "青石县人民政府办公室")
DOCX = (FIXTURES / "word_report.docx", "青石县人民政府办公室")
PDF = FIXTURES / "淮安市洪泽区人民政府_2023.pdf"
PDF_UNIT = "淮安市洪泽区人民政府"
RUN = """
import json, resource, sys, time
start = time.perf_counter()
import nlp
jobs = int(sys.argv[3])
table = nlp.batch([sys.argv[1]], sys.argv[2], notices=sys.argv[4], jobs=jobs, force=True)
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "ok": int((table["status"] == "ok").sum()), "rows": len(table),
    "with_notices": int(table["notices"].notna().sum()),
    "workers_mb": table.attrs["worker_memory_mb"],
    "workers_cpu": table.attrs["worker_cpu_s"],
    "client_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "client_cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
}))
"""


def unit_names(n: int, rng: random.Random) -> list[str]:
    """N distinct unit names of a district: street offices, townships, departments."""
    syllables = "红旗紫薇东风光明和平建设人民胜利解放文化新华长春永安朝阳青山白云金桥"
    kinds = ["街道办事处", "镇人民政府", "乡人民政府", "局", "委员会"]
    names: set[str] = set()
    while len(names) < n:
        stem = "".join(rng.sample(syllables, 2)) + rng.choice(["路", "", "湖", "山"])
        names.add(f"北关区{stem}{rng.choice(kinds)}")
    return sorted(names)


def generate(folder: Path, n: int, seed: int = 7) -> Path:
    """The district's reports under ``folder/reports`` and its list ``folder/notices.csv``."""
    from docx import Document

    rng = random.Random(seed)
    reports = folder / "reports"
    reports.mkdir(parents=True)
    units = unit_names(n, rng)
    corpus = pd.read_csv(ROOT / "corpus" / "train.csv")["title"].tolist()
    lists = []
    for i, unit in enumerate(units):
        form = i % 5
        if form == 4:  # PDF: a copy, its own unit
            shutil.copy(PDF, reports / f"{i:04d}.pdf")
            unit = PDF_UNIT
        elif form == 3:  # DOCX with the unit renamed run by run
            doc = Document(DOCX[0])
            for p in doc.paragraphs:
                for run in p.runs:
                    if DOCX[1] in run.text:
                        run.text = run.text.replace(DOCX[1], unit)
            doc.save(reports / f"{i:04d}.docx")
        else:
            src, old = (TEXT_SOURCES[i % 3], MARKDOWN, HTML)[form]
            text = src.read_text(encoding="utf-8")
            ext = {0: ".txt", 1: ".md", 2: ".html"}[form]
            (reports / f"{i:04d}{ext}").write_text(text.replace(old, unit), encoding="utf-8")
        if form == 4 and i > 4:
            continue  # one list for the PDF unit is enough
        k = rng.randint(50, 2000)
        titles = rng.choices(corpus, k=k)
        lists.append(pd.DataFrame({
            "发布单位": unit.replace("办事处", ""), "标题": titles,
            "发布日期": [f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                     for _ in range(k)]}))
    combined = pd.concat(lists, ignore_index=True)
    combined.to_csv(folder / "notices.csv", index=False)
    (folder / "ready").write_text(f"{n} reports, {len(combined)} notices\n", encoding="utf-8")
    return folder


def run_once(folder: Path, jobs: int) -> dict:
    out = folder / f"out-{jobs}"
    proc = subprocess.run([sys.executable, "-c", RUN, str(folder / "reports"), str(out),
                           str(jobs), str(folder / "notices.csv")],
                          capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the outputs of the last runs")
    args = ap.parse_args()
    run(args.reports, args.repeats, keep=args.keep)


def run(n: int, repeats: int, keep: bool = False) -> None:
    """Generate (once) a district of ``n`` reports and print the medians of ``repeats``."""
    args = argparse.Namespace(reports=n, repeats=repeats, keep=keep)
    folder = ROOT / ".bench" / f"district-{args.reports}"
    if not (folder / "ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        generate(folder, args.reports)
        print(f"generated {(folder / 'ready').read_text().strip()} in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    print((folder / "ready").read_text().strip(), flush=True)
    runs: dict[int, list[dict]] = {0: [], 1: [], 2: []}
    for r in range(args.repeats):
        for jobs in (0, 1, 2):
            got = run_once(folder, jobs)
            runs[jobs].append(got)
            cpu = sum(got["workers_cpu"].values()) if jobs else 0.0
            print(f"  run {r + 1} jobs={jobs}: {got['seconds']:.1f} s, {got['ok']}/{got['rows']} "
                  f"ok, {got['with_notices']} with notices; CPU s: client "
                  f"{got['client_cpu']:.1f}, workers {cpu:.1f}; peak MB: workers "
                  f"{sorted(got['workers_mb'].values())}, client {got['client_mb']:.0f}",
                  flush=True)
    med = {j: statistics.median(x["seconds"] for x in v) for j, v in runs.items()}
    n = args.reports
    label = {0: "serial (one process, no Dask)", 1: "Dask, 1 worker", 2: "Dask, 2 workers"}
    print(f"\nmedians of {args.repeats} runs, {n} reports:")
    for jobs in (0, 1, 2):
        workers = [mb for x in runs[jobs] for mb in x["workers_mb"].values()]
        clients = [x["client_mb"] for x in runs[jobs]]
        client_cpu = statistics.median(x["client_cpu"] for x in runs[jobs])
        worker_cpu = statistics.median(sum(x["workers_cpu"].values()) for x in runs[jobs])
        print(f"  {label[jobs]:32s} {med[jobs]:7.1f} s  {n / med[jobs]:6.2f} reports/s  "
              f"CPU s client {client_cpu:.0f}, workers {worker_cpu if jobs else 0:.0f};  "
              f"peak per worker {max(workers):.0f} MB, client {max(clients):.0f} MB")
    print(f"  2 workers vs 1: {med[1] / med[2]:.2f}x; 2 workers vs serial: "
          f"{med[0] / med[2]:.2f}x")
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(runs[1], runs[2], strict=True)]
    print(f"  per-repeat ratios 2 vs 1: {', '.join(f'{x:.2f}' for x in ratios)}")
    if not args.keep:
        for jobs in (0, 1, 2):
            shutil.rmtree(folder / f"out-{jobs}", ignore_errors=True)


if __name__ == "__main__":
    main()
