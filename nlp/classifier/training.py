"""Training the domain classifier from the labeled corpus, with honest figures.

The corpus is ``corpus/train.csv`` (used for model selection and fitting) and
``corpus/test/*.csv`` (touched only for the final figures). Everything is
seeded, so the same corpus gives the same model and the same figures.

Steps
-----
1. Model selection: GridSearchCV over a small grid (word n-grams, character n-grams
   or both; the SVM's C), in 5 stratified folds grouped by site
   (:func:`selection_groups`), scored by the macro-F1 of the held-out folds' real rows
   (:func:`real_rows_macro_f1`), so that it rewards what generalises to a new site's
   titles rather than to our own phrasing.
   The choice is among the configurations with jieba's word n-grams, which the
   project's design fixes; character n-grams alone are scored for comparison.
2. Out-of-fold calibrated probabilities of the chosen configuration give the
   expected calibration error and the review threshold: the confidence below
   which out-of-fold predictions are right less than :data:`REVIEW_ACCURACY` of
   the time.
3. Out-of-source error: every real training row is predicted by the chosen
   configuration fitted without that row's site (:func:`out_of_source_predictions`);
   from these come per-label figures across sources, a confusion matrix, and the
   :class:`~nlp.classifier.error_model.ErrorModel` that reconciliation uses.
4. The chosen pipeline is fitted on the whole training part and measured once on
   the test split (all of it, and its real gold rows alone).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    StratifiedGroupKFold,
    cross_val_predict,
)

from nlp.classifier.error_model import ErrorModel
from nlp.classifier.model_file import MODEL_NAME, checkout_root, pin_shipped, save_model
from nlp.classifier.pipeline import build_pipeline
from nlp.classifier.tokenizer import read_lexicon
from nlp.errors import InputError
from nlp.labels import LABELS

GRID = {"features": ("both", "words", "chars"), "C": (0.25, 0.5, 1.0)}
SELECTABLE_FEATURES = ("both", "words")  # the views that use jieba
REVIEW_ACCURACY = 0.9  # below the threshold, predictions are right less often than this
REVIEW_MARGIN = 0.2  # a second label this close to the first also asks for review
ECE_BINS = 15
SEED = 0
OUT_OF_SOURCE_FOLDS = 5
WRITTEN = "written"  # the source prefix of titles written for the corpus, not from a site


@dataclass
class Corpus:
    train: pd.DataFrame
    test: pd.DataFrame  # every test file, with a ``split`` column naming its file
    lexicon: tuple[tuple[str, int], ...]
    sha256: str


def load_corpus(corpus_dir: str | Path | None = None) -> Corpus:
    """Read ``train.csv``, ``test/*.csv`` and ``lexicon.txt`` from a corpus folder."""
    if corpus_dir is None:
        checkout = checkout_root()
        if checkout is None:
            raise InputError("no corpus given, and this installed package carries none: "
                             "give the corpus folder (train.csv, test/*.csv)")
        corpus_dir = checkout / "corpus"
    root = Path(corpus_dir)
    train_path, test_dir = root / "train.csv", root / "test"
    if not train_path.is_file():
        raise InputError("corpus has no train.csv", path=str(root))
    test_files = sorted(test_dir.glob("*.csv"))
    if not test_files:
        raise InputError("corpus has no test/*.csv split", path=str(root))
    digest = hashlib.sha256()
    frames = []
    for path in [train_path, *test_files]:
        data = path.read_bytes()
        digest.update(data)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["split"] = path.stem
        missing = {"title", "label", "source"} - set(frame.columns)
        if missing:
            raise InputError(f"missing column(s) {sorted(missing)}", path=str(path))
        bad = frame.loc[~frame["label"].isin(LABELS)]
        if len(bad):
            raise InputError(f"unknown label {bad['label'].iloc[0]!r}", path=str(path),
                             place=f"row {bad.index[0] + 2}")
        frames.append(frame)
    lexicon_path = root / "lexicon.txt"
    lexicon = read_lexicon(lexicon_path) if lexicon_path.is_file() else ()
    if lexicon_path.is_file():
        digest.update(lexicon_path.read_bytes())
    return Corpus(frames[0], pd.concat(frames[1:], ignore_index=True), lexicon,
                  digest.hexdigest())


def expected_calibration_error(proba: np.ndarray, y_true: np.ndarray, labels: list[str],
                               bins: int = ECE_BINS) -> float:
    """Top-label ECE with equal-width confidence bins.

    >>> p = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> round(expected_calibration_error(p, np.array(["a", "b"]), ["a", "b"]), 3)
    0.35
    """
    conf = proba.max(axis=1)
    pred = np.asarray(labels)[proba.argmax(axis=1)]
    correct = (pred == y_true).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)


def review_threshold(proba: np.ndarray, y_true: np.ndarray, labels: list[str],
                     accuracy: float = REVIEW_ACCURACY) -> float:
    """Confidence below which a prediction is right less than ``accuracy`` of the time.

    The accuracy at each confidence is estimated from out-of-fold predictions by
    isotonic regression of correctness on confidence (monotone, no binning), so
    the threshold reads: "below it, expect more than one error in ten".

    >>> p = np.array([[0.95, 0.05]] * 8 + [[0.55, 0.45]] * 4)
    >>> y = np.array(["a"] * 8 + ["a", "b", "b", "a"])
    >>> review_threshold(p, y, ["a", "b"])
    0.95
    """
    from sklearn.isotonic import IsotonicRegression

    conf = proba.max(axis=1)
    correct = (np.asarray(labels)[proba.argmax(axis=1)] == y_true).astype(float)
    fitted = IsotonicRegression(out_of_bounds="clip").fit(conf, correct).predict(conf)
    good = conf[fitted >= accuracy]
    return float(round(good.min(), 4)) if len(good) else 1.0


def site_key(host: str) -> str:
    """The site a host names: ``www.x.gov.cn`` and ``x.gov.cn`` are one site.

    Pages of one site are linked under both spellings, so a corpus gathered from many
    pages holds both; grouped by the raw host, one site would sit on both sides of a
    split.
    """
    host = host.strip().lower()
    # www.gov.cn stays itself: gov.cn is no site.
    return host[4:] if host.startswith("www.") and host.count(".") >= 3 else host


def row_groups(frame: pd.DataFrame) -> np.ndarray:
    """The site of each row (:func:`site_key` of its ``site`` column, else its source file).

    Rows of one site share phrasing, so folds that measure generalisation hold out
    whole sites.
    """
    groups = frame["source"].astype(str)
    if "site" in frame.columns:
        site = frame["site"].fillna("").astype(str).map(site_key)
        groups = site.where(site.ne(""), groups)
    # The 平潭 files are one site: its gold and relabelled rows must be held out together.
    return groups.str.replace(r"^pingtan/.*", "pingtan.gov.cn", regex=True).to_numpy()


def is_real(frame: pd.DataFrame) -> np.ndarray:
    """Rows taken from a government site, as opposed to titles written for the corpus."""
    return ~frame["source"].astype(str).str.startswith(WRITTEN).to_numpy()


def out_of_source_predictions(pipeline, frame: pd.DataFrame, folds: int = OUT_OF_SOURCE_FOLDS
                              ) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """Probabilities of every real row from a clone of ``pipeline`` fitted without its site.

    Real rows are split by site into ``folds`` groups (one fold per site when there
    are fewer); each fold's sites are predicted by a model fitted on every other row,
    written rows included. Returns the probabilities, the positions of the real rows
    and the label order, or ``None`` when the corpus has no real rows.
    """
    real = np.flatnonzero(is_real(frame))
    if not len(real):
        return None
    groups = row_groups(frame)
    n_sites = len(np.unique(groups[real]))
    x = frame["title"].to_numpy(dtype=object)
    y = frame["label"].to_numpy()
    splitter = GroupKFold(n_splits=min(folds, n_sites)) if n_sites > 1 else None
    splits = splitter.split(real, groups=groups[real]) if splitter else [((), range(len(real)))]
    proba, labels = np.zeros((len(real), len(LABELS))), sorted(LABELS)
    for _, held in splits:
        held_rows = real[np.asarray(held, dtype=int)]
        train = ~np.isin(groups, np.unique(groups[held_rows]))
        model = clone(pipeline).fit(x[train].tolist(), y[train])
        out = model.predict_proba(x[held_rows].tolist())
        cols = [list(model.classes_).index(lab) for lab in labels]
        proba[np.asarray(held, dtype=int)] = out[:, cols]
    return proba, real, labels


def _out_of_source(pipeline, frame: pd.DataFrame) -> dict[str, Any] | None:
    """Figures of the chosen configuration on sites it did not see, and its error model."""
    found = out_of_source_predictions(pipeline, frame)
    if found is None:
        return None
    proba, rows, labels = found
    truth = frame["label"].to_numpy()[rows]
    groups = row_groups(frame)[rows]
    pred = np.asarray(labels)[proba.argmax(axis=1)]
    model = ErrorModel.fit(proba, truth, labels, groups=groups)
    q = model.true_label_proba(proba)
    return {
        "rows": len(rows), "sites": len(np.unique(groups)),
        "folds": min(OUT_OF_SOURCE_FOLDS, len(np.unique(groups))),
        **_label_report(truth, pred),
        "ece_model": round(expected_calibration_error(proba, truth, labels), 4),
        "ece_recalibrated": round(expected_calibration_error(q, truth, labels), 4),
        "confusion_matrix": {"labels": list(LABELS), "rows_true_cols_pred":
                             confusion_matrix(truth, pred, labels=list(LABELS)).tolist()},
        "error_model": model.to_dict(),
    }


def _label_report(y_true, y_pred) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(LABELS),
                                                 zero_division=0)
    return {
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=list(LABELS), average="macro",
                                         zero_division=0)), 4),
        "accuracy": round(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))), 4),
        "n": len(y_true),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(LABELS)},
    }


def _output_path(out: str | Path | None) -> Path:
    """The model file to write: ``out`` (a file or folder), else the checkout's ``models/``."""
    if out is None:
        checkout = checkout_root()
        if checkout is None:
            raise InputError("give the output path: an installed package has no models/ "
                             "folder to write to")
        return checkout / "models" / MODEL_NAME
    out_path = Path(out)
    return out_path if out_path.suffix == ".joblib" else out_path / MODEL_NAME


def selection_groups(frame: pd.DataFrame) -> np.ndarray:
    """Fold groups for selection: a real row's site; each written row on its own.

    Real rows of one site never straddle folds, so selection rewards what generalises to
    a site the model has not seen; written rows are spread like independent rows.
    """
    groups = row_groups(frame).astype(object)
    written = ~is_real(frame)
    groups[written] = [f"written:{i}" for i in np.flatnonzero(written)]
    return groups


def real_rows_macro_f1(real_titles: set[str]):
    """A scorer: macro-F1 on the rows of a held-out fold whose title is a real one.

    Written rows are most of the training data but none of the world's: scored on them,
    selection would reward knowing our own phrasing. A fold without real rows is scored
    on all of its rows. GridSearchCV hands a scorer only the fold's titles, so real rows
    are known by their title (titles are unique in the corpus: ``tests/test_corpus.py``).
    """
    def score(estimator, x, y) -> float:
        mask = np.fromiter((t in real_titles for t in x), dtype=bool, count=len(x))
        if not mask.any():
            mask[:] = True
        x_real = [t for t, keep in zip(x, mask, strict=True) if keep]
        return float(f1_score(np.asarray(y)[mask], estimator.predict(x_real), average="macro"))
    return score


def select(x: list[str], y: np.ndarray, folds, lexicon, grid: dict[str, tuple],
           real: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Cross-validated macro-F1 of every configuration of ``grid``, on the bare SVM.

    With ``real`` (a mask of the rows from a site), each fold is scored on its real rows
    only (:func:`real_rows_macro_f1`). Temperature scaling keeps the SVM's argmax, so
    selection needs no calibration. The n-gram views are switched off as FeatureUnion
    members (``"drop"``), so one GridSearchCV covers them all.
    """
    base = build_pipeline(lexicon=lexicon, features="both")
    base.set_params(classify=base.named_steps["classify"].estimator)
    views = {"both": {}, "words": {"features__chars": ["drop"]},
             "chars": {"features__words": ["drop"]}}
    param_grid = [{**views[f], "classify__C": list(grid["C"])} for f in grid["features"]]
    scoring = ("f1_macro" if real is None or not np.any(real) else
               real_rows_macro_f1({t for t, r in zip(x, real, strict=True) if r}))
    search = GridSearchCV(base, param_grid, scoring=scoring, cv=folds, refit=False,
                          error_score="raise").fit(x, y)
    out = []
    for params, score in zip(search.cv_results_["params"],
                             search.cv_results_["mean_test_score"], strict=True):
        features = ("chars" if params.get("features__words") == "drop" else
                    "words" if params.get("features__chars") == "drop" else "both")
        out.append({"features": features, "C": params["classify__C"],
                    "cv_macro_f1": round(float(score), 4)})
    return out


def _test_report(test: pd.DataFrame, proba: np.ndarray, classes: list[str],
                 worst: int = 0) -> dict[str, Any]:
    """Figures on a test split; with ``worst``, its most confident errors too."""
    pred = np.asarray(classes)[proba.argmax(axis=1)]
    truth = test["label"].to_numpy()
    report = {**_label_report(truth, pred),
              "ece": round(expected_calibration_error(proba, truth, classes), 4),
              "sites": len(np.unique(row_groups(test)[is_real(test)]))}
    if worst:
        conf = proba.max(axis=1)
        wrong = sorted(np.nonzero(pred != truth)[0], key=lambda i: -conf[i])[:worst]
        report["confusion_matrix"] = {"labels": list(LABELS), "rows_true_cols_pred":
                                      confusion_matrix(truth, pred, labels=list(LABELS)).tolist()}
        report["worst_errors"] = [{"title": test["title"].iloc[i], "label": truth[i],
                                   "predicted": pred[i], "confidence": round(float(conf[i]), 4),
                                   "source": test["source"].iloc[i]} for i in wrong]
    return report


def train(corpus_dir: str | Path | None = None, out: str | Path | None = None, *,
          grid: dict[str, tuple] | None = None) -> dict[str, Any]:
    """Select, fit, measure and save the classifier; return its manifest.

    Parameters
    ----------
    corpus_dir : path, optional
        Corpus folder (default: the shipped ``corpus/``).
    out : path, optional
        Model file or folder (default: ``models/domain_classifier.joblib``).
    grid : dict, optional
        Override the selection grid (``features`` and ``C`` tuples).
    """
    corpus = load_corpus(corpus_dir)
    out_path = _output_path(out)
    x, y = corpus.train["title"].tolist(), corpus.train["label"].to_numpy()
    folds = list(StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
                 .split(x, y, groups=selection_groups(corpus.train)))
    selection = select(x, y, folds, corpus.lexicon, grid or GRID, real=is_real(corpus.train))
    # The design fixes jieba tokenization: character n-grams alone are measured for
    # comparison (the manifest keeps their scores) but not chosen.
    candidates = [s for s in selection if s["features"] in SELECTABLE_FEATURES] or selection
    best = max(candidates, key=lambda s: (s["cv_macro_f1"], s["features"] == "both", -s["C"]))

    pipeline = build_pipeline(lexicon=corpus.lexicon, features=best["features"], C=best["C"])
    oof = cross_val_predict(clone(pipeline), x, y, cv=folds, method="predict_proba")
    labels = np.unique(y).tolist()  # the column order of cross_val_predict's probabilities
    oof_pred = np.asarray(labels)[oof.argmax(axis=1)]
    threshold = review_threshold(oof, y, labels)

    out_of_source = _out_of_source(pipeline, corpus.train)
    pipeline.fit(x, y)
    test = corpus.test
    proba = pipeline.predict_proba(test["title"].tolist())
    classes = list(pipeline.classes_)
    figures = {
        "selection": selection,
        "selection_scored_on": "real rows of the held-out folds (folds grouped by site)",
        "chosen": best,
        "cross_validation": {**_label_report(y, oof_pred), "folds": "grouped by site",
                             "ece": round(expected_calibration_error(oof, y, labels), 4)},
        "test": _test_report(test, proba, classes, worst=20),
    }
    for split, rows in test.groupby("split").groups.items():
        figures[f"test_{split}"] = _test_report(test.loc[rows], proba[test.index.get_indexer(rows)],
                                               classes)
    gold = test["source"].str.startswith("pingtan/gold").to_numpy()
    figures["test_gold"] = _test_report(test[gold], proba[gold], classes) if gold.any() else None
    manifest = {
        "trained_on": date.today().isoformat(),
        "corpus_sha256": corpus.sha256,
        "corpus_rows": {"train": len(corpus.train), "test": len(test),
                        **{f"test_{k}": int(v) for k, v in test["split"].value_counts().items()}},
        "labels": list(pipeline.classes_),
        "review": {"confidence_threshold": threshold, "margin": REVIEW_MARGIN,
                   "accuracy_target": REVIEW_ACCURACY,
                   "rule": "needs_review when confidence < confidence_threshold or "
                           "confidence - second < margin"},
        "figures": figures,
        "out_of_source": out_of_source or {},
    }
    saved = save_model(pipeline, out_path, manifest)
    if is_shipped_location(out_path):
        pin_shipped(saved["sha256"])
    return saved


def is_shipped_location(path: Path) -> bool:
    """Whether ``path`` is the checkout's ``models/`` model, the one the package ships."""
    checkout = checkout_root()
    return checkout is not None and (
        Path(path).resolve() == (checkout / "models" / MODEL_NAME).resolve())
