"""How honest and how strong the reconciliation's verdicts are on sites the model never saw.

For each outer fold, whole real sites are held out: the classifier (the shipped
configuration) is fitted on every other row, and its error model is estimated from the
other real sites only (grouped folds inside the training part, as ``disclosure train``
does). Notice lists are then drawn from the held-out sites' rows, with random true
per-domain counts, and reconciled with the declared count set to the true count
(honesty) or shifted by ±2, ±4, ±8 (power).

    .venv/bin/python scripts/bench_reconcile.py            # the README's table
    .venv/bin/python scripts/bench_reconcile.py --lists 100 --sizes 80
    .venv/bin/python scripts/bench_reconcile.py --other-share 0.85   # lists mostly 其他

Reported per list size: coverage of the 90% interval, the share of true counts called
不符 (a false accusation) and 存疑, and the share of shifted counts caught (存疑 or 不符)
and called 不符. ``raw`` rows use the model's probabilities as they are, without the
error model or the latitude, for comparison. Nothing here is tuned on these lists: the
error model comes from other sites, and the lists are drawn after it is fitted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.classifier.error_model import ErrorModel  # noqa: E402
from nlp.classifier.model_file import load_model  # noqa: E402
from nlp.classifier.pipeline import build_pipeline  # noqa: E402
from nlp.classifier.training import (  # noqa: E402
    is_real,
    load_corpus,
    out_of_source_predictions,
    row_groups,
)
from nlp.labels import DOMAINS, LABELS, OTHER  # noqa: E402
from nlp.reconcile.counts import ReconcileStatus, status_for  # noqa: E402
from nlp.reconcile.domains import CountModel  # noqa: E402

SHIFTS = (2, 4, 8)
MAX_COUNT = 25


def fold_models(frame: pd.DataFrame, folds: int, lexicon, chosen: dict):
    """Per outer fold: held-out rows, their probabilities, and the fold's error model."""
    groups, real = row_groups(frame), is_real(frame)
    real_rows = np.flatnonzero(real)
    sites = np.unique(groups[real_rows])
    splits = (GroupKFold(n_splits=min(folds, len(sites))).split(real_rows, groups=groups[real_rows])
              if len(sites) > 1 else [((), np.arange(len(real_rows)))])
    for k, (_, held) in enumerate(splits):
        held_rows = real_rows[held]
        held_sites = np.unique(groups[held_rows])
        train = frame[~np.isin(groups, held_sites)].reset_index(drop=True)
        pipeline = build_pipeline(lexicon=lexicon, features=chosen["features"], C=chosen["C"])
        started = time.perf_counter()
        found = out_of_source_predictions(pipeline, train)
        if found is None:
            print(f"fold {k}: no other real site to estimate the error from; "
                  "probabilities taken as they are", file=sys.stderr)
            error_model = ErrorModel.identity(tuple(sorted(LABELS)))
        else:
            proba, rows, labels = found
            error_model = ErrorModel.fit(proba, train["label"].to_numpy()[rows], labels,
                                         groups=row_groups(train)[rows])
        model = pipeline.fit(train["title"].tolist(), train["label"].to_numpy())
        cols = [list(model.classes_).index(lab) for lab in LABELS]
        held_frame = frame.iloc[held_rows].reset_index(drop=True)
        held_proba = model.predict_proba(held_frame["title"].tolist())[:, cols]
        print(f"fold {k}: held out {len(held_rows)} real rows of {len(held_sites)} sites "
              f"({', '.join(held_sites[:4])}{'…' if len(held_sites) > 4 else ''}); "
              f"error model from {error_model.n} rows of {error_model.sites} sites, "
              f"dispersion out {error_model.dispersion_out:.3f} "
              f"in {error_model.dispersion_in:.3f}; "
              f"{time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        yield held_frame, held_proba, error_model


def draw_list(pool: dict[str, np.ndarray], size: int, rng: np.random.Generator,
              other_share: float | None = None) -> tuple[np.ndarray, dict[str, int]]:
    """Rows of one simulated list and its true per-domain counts (each 0–25, rest 其他;
    fewer when the held-out pool has fewer rows of a label).

    The mix of labels is uniform on the simplex (any mix equally likely), or, with
    ``other_share``, that share of 其他 and the rest split at random among the domains:
    the long lists of real sites are mostly 其他, and their errors are mostly 其他
    notices pulled into a domain.
    """
    if other_share is None:
        weights = rng.dirichlet(np.ones(len(LABELS)))
    else:
        shares = dict(zip(DOMAINS, rng.dirichlet(np.ones(len(DOMAINS))) * (1 - other_share),
                          strict=True))
        weights = [other_share if lab == OTHER else shares[lab] for lab in LABELS]
    counts = dict(zip(LABELS, rng.multinomial(size, weights), strict=True))
    for d in DOMAINS:
        excess = max(0, counts[d] - MAX_COUNT)
        counts[d] -= excess
        counts[OTHER] += excess
    rows = []
    for label, n in counts.items():
        # Without replacement: a title drawn twice would be misread twice, an error
        # correlation that real lists do not have. A small pool caps the count instead.
        n = counts[label] = min(n, len(pool[label]))
        if n:
            rows.append(rng.choice(pool[label], size=n, replace=False))
    return np.concatenate(rows) if rows else np.zeros(0, dtype=int), counts


def evaluate(held: pd.DataFrame, proba: np.ndarray, error_model: ErrorModel, sizes, lists,
             rng: np.random.Generator, fold: int = 0,
             other_share: float | None = None) -> list[dict]:
    labels = tuple(held["label"])
    pool = {lab: np.flatnonzero(np.asarray(labels) == lab) for lab in LABELS}
    titles = held["title"].tolist()
    raw_model = ErrorModel.identity(tuple(sorted(LABELS)))
    out = []
    for size in sizes:
        for _ in range(lists):
            rows, truth = draw_list(pool, size, rng, other_share)
            sub_titles = [titles[i] for i in rows]
            for method, em, with_latitude in (("honest", error_model, True),
                                              ("raw", raw_model, False)):
                counts = CountModel.build(proba[rows], LABELS,
                                          sub_titles if with_latitude else [""] * len(rows),
                                          em, list(DOMAINS))
                for d in DOMAINS:
                    interval, wide = counts.intervals(d)
                    record = {"fold": fold, "size": size, "method": method, "domain": d,
                              "true": truth[d], "covered": interval[0] <= truth[d] <= interval[1]}
                    for shift in (0, *SHIFTS, *(-s for s in SHIFTS)):
                        declared = truth[d] + shift
                        if declared < 0:
                            continue
                        record[f"status{shift:+d}"] = status_for(declared, interval, wide).value
                    out.append(record)
    return out


def summarise(records: list[dict], by: tuple[str, ...] = ("method", "size")) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    rows = []
    for keys, g in frame.groupby(list(by), sort=True):
        row = {**dict(zip(by, keys, strict=True)), "cases": len(g),
               "coverage90": g["covered"].mean(),
               "false_不符": (g["status+0"] == ReconcileStatus.INCONSISTENT.value).mean(),
               "存疑_on_truth": (g["status+0"] == ReconcileStatus.SUSPECT.value).mean()}
        for shift in SHIFTS:
            statuses = pd.concat([g[f"status{shift:+d}"], g[f"status{-shift:+d}"]]).dropna()
            row[f"caught±{shift}"] = (statuses != ReconcileStatus.CONSISTENT.value).mean()
            row[f"不符±{shift}"] = (statuses == ReconcileStatus.INCONSISTENT.value).mean()
        rows.append(row)
    return pd.DataFrame(rows)


def time_reconcile(proba: np.ndarray, titles: list[str], error_model: ErrorModel,
                   n: int = 2000, repeats: int = 7) -> float:
    """Median seconds to build the count distributions of the six domains for n notices."""
    rng = np.random.default_rng(0)
    rows = rng.choice(len(proba), size=n, replace=True)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        CountModel.build(proba[rows], LABELS, [titles[i] for i in rows], error_model,
                         list(DOMAINS))
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=int, default=200, help="lists per size and fold")
    parser.add_argument("--sizes", default="30,80,300")
    parser.add_argument("--folds", type=int, default=3, help="outer folds of held-out sites")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--other-share", type=float, default=None,
                        help="share of 其他 in every list (default: any mix equally likely)")
    parser.add_argument("--by-domain", action="store_true",
                        help="also print the figures of each fold and domain")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = load_corpus(ROOT / "corpus")
    frame = pd.concat([corpus.train, corpus.test], ignore_index=True)
    chosen = load_model().manifest["figures"]["chosen"]
    rng = np.random.default_rng(args.seed)
    records, timing = [], None
    for fold, (held, proba, error_model) in enumerate(
            fold_models(frame, args.folds, corpus.lexicon, chosen)):
        records += evaluate(held, proba, error_model, sizes, args.lists, rng, fold,
                            args.other_share)
        if timing is None:
            timing = time_reconcile(proba, held["title"].tolist(), error_model)
    with pd.option_context("display.width", 200, "display.max_columns", 30,
                           "display.float_format", "{:.3f}".format):
        print(summarise(records).to_string(index=False))
        print("\nper fold (honest):")
        honest = [r for r in records if r["method"] == "honest"]
        print(summarise(honest, ("fold", "size")).to_string(index=False))
        if args.by_domain:
            print("\nper fold and domain (honest):")
            print(summarise(honest, ("fold", "size", "domain")).to_string(index=False))
    print(f"\ncount distributions of six domains for 2,000 notices: median {timing * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
