"""Assemble the labeled corpus and split it into train and test, deterministically.

Usage::

    python scripts/split_corpus.py POOL.csv [POOL.csv ...] [--gold PATH]

Each input has ``title,label,source``; the real gold titles of
``corpus/sources/pingtan/gold.csv`` are added with their source. The existing
``corpus/train.csv`` and ``corpus/test/test.csv`` are read too, so adding rows
never moves an old row between the splits: a row's split is a function of its
title alone (sha256), with a larger test share for the real gold rows.

Rows are deduplicated by exact title (first kept); a train row that is a
near-duplicate (character 5-gram Jaccard ≥ 0.8) of a test row is dropped, so
the test figures are not inflated by leakage.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup import near_duplicate_pairs  # noqa: E402

from nlp.labels import LABELS  # noqa: E402

TEST_SHARE = {"gold": 20, "other": 15}  # percent
GOLD_SOURCE = "pingtan/gold.csv"


def split_of(title: str, source: str) -> str:
    bucket = int(hashlib.sha256(title.encode("utf-8")).hexdigest()[:8], 16) % 100
    share = TEST_SHARE["gold" if source.startswith(GOLD_SOURCE) else "other"]
    return "test" if bucket < share else "train"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("pools", nargs="*", type=Path)
    parser.add_argument("--gold", type=Path,
                        default=ROOT / "corpus" / "sources" / "pingtan" / "gold.csv")
    args = parser.parse_args()

    frames = []
    gold = pd.read_csv(args.gold, dtype=str, keep_default_na=False)
    frames.append(pd.DataFrame({"title": gold["title"], "label": gold["label"],
                                "source": GOLD_SOURCE}))
    for path in [ROOT / "corpus" / "train.csv", ROOT / "corpus" / "test" / "test.csv",
                 *args.pools]:
        if path.is_file():
            frames.append(pd.read_csv(path, dtype=str, keep_default_na=False)[
                ["title", "label", "source"]])
    rows = pd.concat(frames, ignore_index=True)
    rows["title"] = rows["title"].str.strip()
    rows = rows[rows["title"].ne("")]
    bad = rows[~rows["label"].isin(LABELS)]
    if len(bad):
        print(f"dropping {len(bad)} rows with unknown labels: {bad['label'].unique()[:5]}",
              file=sys.stderr)
        rows = rows[rows["label"].isin(LABELS)]
    rows = rows.drop_duplicates("title", keep="first").reset_index(drop=True)
    rows["split"] = [split_of(t, s) for t, s in zip(rows["title"], rows["source"], strict=True)]

    pairs = near_duplicate_pairs(rows["title"].tolist())
    split = rows["split"].to_numpy()
    leak = {j if split[j] == "train" else i for i, j, _ in pairs if split[i] != split[j]}
    rows = rows.drop(index=sorted(leak))
    print(f"{len(rows)} rows; dropped {len(leak)} train rows near-duplicating test rows; "
          f"{len(pairs)} near-duplicate pairs before", file=sys.stderr)

    rows = rows.sort_values(["label", "source", "title"], kind="stable")
    (ROOT / "corpus" / "test").mkdir(parents=True, exist_ok=True)
    for name, path in (("train", ROOT / "corpus" / "train.csv"),
                       ("test", ROOT / "corpus" / "test" / "test.csv")):
        part = rows[rows["split"] == name][["title", "label", "source"]]
        part.to_csv(path, index=False)
        print(f"{name}: {len(part)} rows", file=sys.stderr)
        print(part.groupby(["label", "source"]).size().to_string(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
