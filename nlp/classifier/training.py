"""Training the domain classifier from the labeled corpus, with honest figures.

The corpus is ``corpus/train.csv`` (used for model selection and fitting) and
``corpus/test/*.csv`` (touched only for the final figures). Everything is
seeded, so the same corpus gives the same model and the same figures.

Steps
-----
1. Model selection: stratified 5-fold cross-validation on the training part over
   a small grid (word n-grams, character n-grams or both; the SVM's C), scored by
   macro-F1. The choice is among the configurations with jieba's word n-grams,
   which the project's design fixes; character n-grams alone are scored for
   comparison.
2. Out-of-fold calibrated probabilities of the chosen configuration give the
   expected calibration error and the review threshold: the confidence below
   which out-of-fold predictions are right less than :data:`REVIEW_ACCURACY` of
   the time.
3. The chosen pipeline is fitted on the whole training part and measured once on
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
from sklearn.model_selection import StratifiedKFold, cross_val_predict

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


@dataclass
class Corpus:
    train: pd.DataFrame
    test: pd.DataFrame
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
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    grid = grid or GRID

    selection = []
    for features, c in itertools.product(grid["features"], grid["C"]):
        base = build_pipeline(lexicon=corpus.lexicon, features=features, C=c)
        # Temperature scaling keeps the SVM's argmax, so select on the bare SVM.
        base.set_params(classify=base.named_steps["classify"].estimator)
        pred = cross_val_predict(base, x, y, cv=folds)
        selection.append({"features": features, "C": c, "cv_macro_f1": round(
            float(f1_score(y, pred, average="macro")), 4)})
    # The design fixes jieba tokenization: character n-grams alone are measured for
    # comparison (the manifest keeps their scores) but not chosen.
    candidates = [s for s in selection if s["features"] in SELECTABLE_FEATURES] or selection
    best = max(candidates, key=lambda s: (s["cv_macro_f1"], s["features"] == "both", -s["C"]))

    pipeline = build_pipeline(lexicon=corpus.lexicon, features=best["features"], C=best["C"])
    oof = cross_val_predict(clone(pipeline), x, y, cv=folds, method="predict_proba")
    labels = np.unique(y).tolist()  # the column order of cross_val_predict's probabilities
    oof_pred = np.asarray(labels)[oof.argmax(axis=1)]
    threshold = review_threshold(oof, y, labels)

    pipeline.fit(x, y)
    test = corpus.test
    proba = pipeline.predict_proba(test["title"].tolist())
    pred = np.asarray(pipeline.classes_)[proba.argmax(axis=1)]
    truth = test["label"].to_numpy()
    gold = test["source"].str.startswith("pingtan/gold").to_numpy()
    conf = proba.max(axis=1)
    wrong = np.nonzero(pred != truth)[0]
    worst = sorted(wrong, key=lambda i: -conf[i])[:20]

    figures = {
        "selection": selection,
        "chosen": best,
        "cross_validation": {**_label_report(y, oof_pred),
                             "ece": round(expected_calibration_error(oof, y, labels), 4)},
        "test": {**_label_report(truth, pred),
                 "ece": round(expected_calibration_error(proba, truth,
                                                         list(pipeline.classes_)), 4),
                 "confusion_matrix": {"labels": list(LABELS), "rows_true_cols_pred":
                                      confusion_matrix(truth, pred, labels=list(LABELS)).tolist()},
                 "worst_errors": [{"title": test["title"].iloc[i], "label": truth[i],
                                   "predicted": pred[i], "confidence": round(float(conf[i]), 4),
                                   "source": test["source"].iloc[i]} for i in worst]},
        "test_gold": _label_report(truth[gold], pred[gold]) if gold.any() else None,
    }
    manifest = {
        "trained_on": date.today().isoformat(),
        "corpus_sha256": corpus.sha256,
        "corpus_rows": {"train": len(corpus.train), "test": len(test)},
        "labels": list(pipeline.classes_),
        "review": {"confidence_threshold": threshold, "margin": REVIEW_MARGIN,
                   "accuracy_target": REVIEW_ACCURACY,
                   "rule": "needs_review when confidence < confidence_threshold or "
                           "confidence - second < margin"},
        "figures": figures,
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
