"""Assemble the labeled corpus and split it into train and test, deterministically.

Usage::

    python scripts/split_corpus.py [POOL.csv ...] [--gold PATH]

Sources, in this order (the first of two equal titles is kept):

* the real gold titles of ``corpus/sources/pingtan/gold.csv``;
* the rows already in ``corpus/train.csv`` and ``corpus/test/*.csv``;
* the real titles of many sites in ``corpus/sources/web/*.csv`` (``title,label,host,…``
  with their provenance), as source ``web/<file>`` and site ``host``;
* any ``POOL.csv`` with ``title,label,source``.

Two test splits:

* ``test/sites.csv`` holds out **whole sites**: every row of a web site one of whose
  spellings (``www.x.gov.cn`` and ``x.gov.cn`` are one site) falls in the test share
  (sha256 of the host), so its figure is the figure for a site the model has never seen;
* ``test/random.csv`` is the earlier split by rows (sha256 of the title: 20% of the
  平潭 gold rows, 15% of the others), kept for comparison.

A row's split is a function of its host or title alone, so adding rows never moves an
old row. A train row that is a near-duplicate (character 5-gram Jaccard ≥ 0.8) of a
test row is dropped, so the test figures are not inflated by leakage; so is a random-split
row that near-duplicates a held-out site's row, so that the two test figures stay apart
and every held-out site keeps all its rows.
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

from nlp.classifier.training import site_key  # noqa: E402
from nlp.labels import LABELS  # noqa: E402

TEST_SHARE = {"gold": 20, "other": 15, "site": 25}  # percent
GOLD_SOURCE = "pingtan/gold.csv"
PINGTAN_SITE = "www.pingtan.gov.cn"
COLUMNS = ["title", "label", "source", "site"]


def _bucket(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100


def held_out_sites(hosts: pd.Series) -> set[str]:
    """The sites (:func:`site_key`) of ``test/sites.csv``: a site is held out when any
    of its spellings in the corpus (``www.x.gov.cn``, ``x.gov.cn``) falls in the test
    share, so a site with one spelling keeps the split it always had."""
    return {site_key(h) for h in hosts.unique() if h and _bucket(h) < TEST_SHARE["site"]}


def split_of(title: str, source: str, site: str, held: set[str]) -> str:
    """``sites``, ``random`` or ``train``."""
    if source.startswith("web/"):
        return "sites" if site_key(site) in held else "train"
    share = TEST_SHARE["gold" if source.startswith(GOLD_SOURCE) else "other"]
    return "random" if _bucket(title) < share else "train"


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "site" not in frame.columns:
        frame["site"] = ""
    return frame[COLUMNS]


def read_web(folder: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({"title": frame["title"], "label": frame["label"],
                                    "source": f"web/{path.stem}", "site": frame["host"]}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pools", nargs="*", type=Path)
    parser.add_argument("--gold", type=Path,
                        default=ROOT / "corpus" / "sources" / "pingtan" / "gold.csv")
    args = parser.parse_args()

    gold = pd.read_csv(args.gold, dtype=str, keep_default_na=False)
    frames = [pd.DataFrame({"title": gold["title"], "label": gold["label"],
                            "source": GOLD_SOURCE, "site": PINGTAN_SITE})]
    existing = [ROOT / "corpus" / "train.csv", *sorted((ROOT / "corpus" / "test").glob("*.csv"))]
    frames += [_read(p) for p in existing if p.is_file()]
    frames.append(read_web(ROOT / "corpus" / "sources" / "web"))
    frames += [_read(p) for p in args.pools]
    rows = pd.concat(frames, ignore_index=True)
    rows["title"] = rows["title"].str.strip()
    rows = rows[rows["title"].ne("")]
    rows.loc[rows["source"].str.startswith("pingtan/"), "site"] = PINGTAN_SITE
    bad = rows[~rows["label"].isin(LABELS)]
    if len(bad):
        print(f"dropping {len(bad)} rows with unknown labels: {bad['label'].unique()[:5]}",
              file=sys.stderr)
        rows = rows[rows["label"].isin(LABELS)]
    rows = rows.drop_duplicates("title", keep="first").reset_index(drop=True)
    held = held_out_sites(rows.loc[rows["source"].str.startswith("web/"), "site"])
    rows["split"] = [split_of(t, s, h, held) for t, s, h in
                     zip(rows["title"], rows["source"], rows["site"], strict=True)]

    pairs = near_duplicate_pairs(rows["title"].tolist())
    split = rows["split"].to_numpy()
    # Of a pair across splits, the train row goes (no leakage), else the random-split
    # row: a held-out site stays whole.
    leak = {i if split[i] == "train" or (split[i] == "random" and split[j] == "sites") else j
            for i, j, _ in pairs if split[i] != split[j]}
    rows = rows.drop(index=sorted(leak))
    print(f"{len(rows)} rows; dropped {len(leak)} rows near-duplicating rows of another split; "
          f"{len(pairs)} near-duplicate pairs before", file=sys.stderr)

    rows = rows.sort_values(["label", "source", "site", "title"], kind="stable")
    test_dir = ROOT / "corpus" / "test"
    test_dir.mkdir(parents=True, exist_ok=True)
    outputs = {"train": ROOT / "corpus" / "train.csv", "random": test_dir / "random.csv",
               "sites": test_dir / "sites.csv"}
    # All parts written beside their targets first, then moved in: an interrupted run
    # (a closed pipe, ^C) leaves the previous split whole, never half of each.
    staged = {}
    for name, path in outputs.items():
        part = rows[rows["split"] == name][COLUMNS]
        staged[name] = path.with_suffix(".csv.tmp")
        part.to_csv(staged[name], index=False)
        sites = part.loc[part["site"].ne(""), "site"].map(site_key).nunique()
        print(f"{name}: {len(part)} rows, {sites} sites", file=sys.stderr)
        print(part.groupby(["label", part["source"].str.split("/").str[0]]).size()
              .unstack(fill_value=0).to_string(), file=sys.stderr)
    for old in test_dir.glob("*.csv"):
        if old not in outputs.values():
            old.unlink()
    for name, path in outputs.items():
        staged[name].replace(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
