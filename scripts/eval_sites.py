"""How sure is the figure on sites never seen? A bootstrap over the held-out sites.

``corpus/test/sites.csv`` holds whole sites, and a few large department sites hold most
of its rows and most of its errors, so the rows are not independent: the interval of
its macro-F1 comes from resampling *sites* with replacement (a cluster bootstrap), not
rows. This prints, for the shipped model (or ``--model``):

* macro-F1 on the held-out sites and its 95% site-bootstrap interval;
* per label: F1, rows, and the interval;
* the confusions, and the sites that hold the errors.

Usage: ``.venv/bin/python scripts/eval_sites.py [--model PATH] [--resamples 2000]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.classifier.model_file import load_model  # noqa: E402
from nlp.classifier.training import site_key  # noqa: E402
from nlp.labels import LABELS  # noqa: E402

SITES = ROOT / "corpus" / "test" / "sites.csv"


def site_bootstrap(frame: pd.DataFrame, resamples: int, seed: int = 0) -> np.ndarray:
    """Macro-F1 and per-label F1 of ``resamples`` resamplings of whole sites.

    Returns an array of shape (resamples, 1 + len(LABELS)); a label absent from a
    resampling has F1 NaN there (it is left out of that label's interval).
    """
    labels = list(LABELS)
    groups = [part for _, part in frame.groupby("site")]
    rng = np.random.default_rng(seed)
    out = np.full((resamples, 1 + len(labels)), np.nan)
    for i in range(resamples):
        sample = pd.concat([groups[j] for j in rng.integers(len(groups), size=len(groups))])
        present = [lab for lab in labels if (sample["label"] == lab).any()]
        out[i, 0] = f1_score(sample["label"], sample["pred"], labels=present, average="macro")
        per = f1_score(sample["label"], sample["pred"], labels=labels, average=None,
                       zero_division=np.nan)
        out[i, 1:] = np.where([lab in present for lab in labels], per, np.nan)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model file (default: the shipped one)")
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args(argv)

    pipeline = load_model(args.model).pipeline
    frame = pd.read_csv(SITES, dtype=str, keep_default_na=False)
    frame["pred"] = pipeline.predict(frame["title"].tolist())
    frame["site"] = frame["site"].map(site_key)
    boot = site_bootstrap(frame, args.resamples)
    low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0)

    labels = list(LABELS)
    macro = f1_score(frame["label"], frame["pred"], average="macro")
    per = f1_score(frame["label"], frame["pred"], labels=labels, average=None)
    print(f"{frame['site'].nunique()} held-out sites, {len(frame)} rows, "
          f"{args.resamples} site resamplings")
    print(f"macro-F1 {macro:.4f}  (95% site-bootstrap interval {low[0]:.3f}–{high[0]:.3f})")
    for k, lab in enumerate(labels):
        n = int((frame["label"] == lab).sum())
        print(f"  {lab}: F1 {per[k]:.3f}, n {n}, interval {low[k + 1]:.3f}–{high[k + 1]:.3f}")
    wrong = frame[frame["label"] != frame["pred"]]
    print(f"\n{len(wrong)} errors; true → predicted:")
    for (true, pred), n in wrong.groupby(["label", "pred"]).size().sort_values(
            ascending=False).items():
        print(f"  {true} → {pred}: {n}")
    print("sites holding the errors:")
    for site, n in wrong["site"].value_counts().head(8).items():
        print(f"  {site}: {n} of {int((frame['site'] == site).sum())} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
