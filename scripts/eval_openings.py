"""Measure the parser on the real report openings in tests/data/openings/.

Each ``NNN.txt`` there is the opening of a real annual report as published (third-party
text, unedited; its url and host are in ``openings.jsonl``), and each row of
``openings.jsonl`` holds the figures read from it by hand. This prints, for the set:

* the published total right (equal, or null where the hand reading is null);
* of the complete splits that do not add up, how many the checker flags;
* of the splits that add up, how many it flags (must be none);
* how many texts raised an exception (must be none);
* the counts the README's "What real reports look like" quotes.

Usage: ``.venv/bin/python scripts/eval_openings.py [--details]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.consistency import check  # noqa: E402
from nlp.readers.reports import read_report  # noqa: E402
from nlp.report.findings import Status  # noqa: E402
from nlp.report.parser import parse_report  # noqa: E402

OPENINGS = ROOT / "tests" / "data" / "openings"
SPLIT_RULES = ("declared.split_sum", "declared.split_sum_unheaded")


def load_rows(folder: Path = OPENINGS) -> list[dict]:
    """The hand-read rows, in id order."""
    lines = (folder / "openings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate_row(row: dict, folder: Path = OPENINGS) -> dict:
    """Parse and check one opening; what it got against what the row says."""
    out: dict = {"id": row["id"], "expected": row["total_published"]}
    try:
        report = parse_report(read_report(folder / f"{row['id']}.txt"))
        findings = check(report).findings
    except Exception:  # the point is to count them, not to stop at the first
        out["error"] = traceback.format_exc(limit=3)
        return out
    out["got"] = report.total_published
    out["total_ok"] = report.total_published == row["total_published"]
    split = [f for f in findings if f.rule in SPLIT_RULES]
    out["split_flagged"] = any(f.status is Status.FAIL for f in split)
    out["split_got"] = report.split
    hand = {m["value"] for m in row.get("total_mentions") or []}
    disagree = [f for f in findings
                if f.rule == "narrative.total_mentions_agree" and f.status is Status.FAIL]
    out["false_disagreements"] = [f.actual for f in disagree if f.actual not in hand]
    return out


def summarise(rows: list[dict], results: list[dict]) -> list[tuple[str, str]]:
    """(measure, figure) lines of the table."""
    n = len(rows)
    errors = [r for r in results if "error" in r]
    ok = sum(bool(r.get("total_ok")) for r in results)
    by_id = {r["id"]: r for r in results}
    bad = [row for row in rows if row["split"] and row["split"]["complete"]
           and row["split"].get("adds_up") is False and row["split"]["kind"] != "pseudo"]
    good = [row for row in rows if row["split"] and row["split"].get("adds_up") is True]
    flagged_bad = sum(bool(by_id[row["id"]].get("split_flagged")) for row in bad)
    flagged_good = sum(bool(by_id[row["id"]].get("split_flagged")) for row in good)
    kinds = Counter((row["split"] or {}).get("kind", "none") for row in rows)
    provinces = len({row["province"] for row in rows})
    hand_splits = [row for row in rows if row["split"] and row["split"]["kind"] != "pseudo"]
    same_parts = [row for row in hand_splits if by_id[row["id"]].get("split_got") is not None
                  and sum(by_id[row["id"]]["split_got"].items.values()) == row["split"]["sum"]]
    same_complete = [row for row in same_parts
                     if by_id[row["id"]]["split_got"].complete == row["split"]["complete"]]
    same_kind = [row for row in same_parts
                 if by_id[row["id"]]["split_got"].kind == row["split"]["kind"]]
    not_adding = sum(1 for row in rows if row["split"] and row["split"].get("adds_up") is False
                     and row["split"]["complete"])
    return [
        ("openings (provinces)", f"{n} ({provinces})"),
        ("published total right or rightly null", f"{ok}/{n} = {ok / n:.1%}"),
        ("complete splits that do not add up, flagged", f"{flagged_bad}/{len(bad)}"),
        ("splits that add up, flagged (must be 0)", f"{flagged_good}/{len(good)}"),
        ("hand-read splits read with the same parts (sum)",
         f"{len(same_parts)}/{len(hand_splits)}"),
        ("  of those, same completeness / same kind",
         f"{len(same_complete)} / {len(same_kind)}"),
        ("texts that raised an exception", str(len(errors))),
        ("reports with a 74-vs-77 error the hand reading does not have",
         str(sum(bool(r.get("false_disagreements")) for r in results))),
        ("hand-read splits by kind", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))),
        ("hand-read complete splits that do not add up", str(not_adding)),
        ("hand-read totals null (approximate)",
         f"{sum(r['total_published'] is None for r in rows)} "
         f"({sum(bool(r['total_approximate']) for r in rows)})"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    rows = load_rows()
    results = [evaluate_row(row) for row in rows]
    width = max(len(m) for m, _ in summarise(rows, results))
    for measure, figure in summarise(rows, results):
        print(f"{measure:<{width}}  {figure}")
    if args.details:
        for row, r in zip(rows, results, strict=True):
            if "error" in r:
                print(row["id"], "ERROR", r["error"].strip().splitlines()[-1])
            elif not r["total_ok"] or (row["split"] and row["split"].get("adds_up") is False
                                       and row["split"]["complete"] and not r["split_flagged"]):
                print(row["id"], "total", r["expected"], "got", r["got"], "| split",
                      json.dumps(row["split"] and row["split"]["items"], ensure_ascii=False)[:120],
                      "flagged" if r["split_flagged"] else "")
            elif row["split"] and row["split"].get("adds_up") and r["split_flagged"]:
                print(row["id"], "adding split flagged", r["split_got"])
            if r.get("false_disagreements"):
                print(row["id"], "total", r["got"], "mentions flagged", r["false_disagreements"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
