"""Classifying a notice list: each row gains its domain, a confidence and a review flag.

:func:`classify` is pure over a DataFrame; reading the list is
:func:`nlp.readers.notices.read_notices`' job and loading the model is
:func:`nlp.model.load_model`'s.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nlp.labels import LABELS

if TYPE_CHECKING:
    from nlp.readers.notices import NoticeList


@dataclass
class Classification:
    """A classified notice list.

    Attributes
    ----------
    frame : DataFrame
        The input rows and columns, plus ``domain``, ``confidence``,
        ``second_domain``, ``needs_review``; when the list has the office's own
        column, also ``office_domain`` (normalised) and ``office_agrees``.
    proba : ndarray of shape (n_rows, 7)
        Calibrated probabilities, columns in :data:`nlp.labels.LABELS` order.
    title_column, office_column, date_column : str or None
        The columns that were used.
    source : dict
        ``path``, ``format`` and ``encoding`` of the list.
    """

    frame: pd.DataFrame
    proba: np.ndarray
    title_column: str
    office_column: str | None = None
    date_column: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = LABELS


OUTPUT_COLUMNS = ("domain", "confidence", "second_domain", "needs_review")
# A body, when the list has one, is weighed in at this share: the model learned titles.
BODY_WEIGHT = 0.3
BODY_CHARS = 200
BATCH = 10_000  # titles per transform: large enough to amortise calls, small enough for the cache
PARALLEL_MIN = 40_000


def predict_proba(model, titles: list[str], batch: int = BATCH) -> np.ndarray:
    """Calibrated probabilities in :data:`LABELS` order, each distinct title computed once.

    Real lists repeat titles (monthly rosters, reposts), and a million-row file
    must not build one huge sparse matrix, so titles are deduplicated and
    transformed in batches. Lists of more than :data:`PARALLEL_MIN` distinct
    titles are split across the machine's cores by forked processes, which
    share the loaded model with this one instead of loading it again.
    """
    codes, uniques = pd.factorize(pd.Series(titles, dtype=object), sort=False)
    order = [list(model.pipeline.classes_).index(label) for label in LABELS]
    texts = [str(t) for t in uniques]
    jobs = min(os.cpu_count() or 1, 4)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if len(texts) >= PARALLEL_MIN and jobs > 1 and forkable:
        proba = _predict_forked(model.pipeline, texts, batch, jobs)
    else:
        proba = _predict(model.pipeline, texts, batch)
    return proba[:, order][codes]


def _predict(pipeline, titles: list[str], batch: int) -> np.ndarray:
    parts = [pipeline.predict_proba(titles[i:i + batch]) for i in range(0, len(titles), batch)]
    return np.vstack(parts) if parts else np.empty((0, len(pipeline.classes_)))


# What forked workers read: set just before the fork, so nothing large is pickled.
_SHARED: dict[str, Any] = {}


def _predict_slice(start: int, stop: int) -> np.ndarray:
    return _predict(_SHARED["pipeline"], _SHARED["titles"][start:stop], _SHARED["batch"])


def _predict_forked(pipeline, titles: list[str], batch: int, jobs: int) -> np.ndarray:
    _predict(pipeline, titles[:1], batch)  # build the tokenizer's engine once, before forking
    _SHARED.update(pipeline=pipeline, titles=titles, batch=batch)
    step = -(-len(titles) // jobs)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_predict_slice, i, i + step)
                       for i in range(0, len(titles), step)]
            return np.vstack([f.result() for f in futures])
    finally:
        _SHARED.clear()


def classify(frame: pd.DataFrame, model, *, title_column: str, body_column: str | None = None,
             office_column: str | None = None, date_column: str | None = None,
             source: dict[str, Any] | None = None) -> Classification:
    """Classify every row of a notice list.

    Parameters
    ----------
    frame : DataFrame
        The list; every column is kept in the output.
    model : nlp.model.LoadedModel
        The checked classifier and its manifest (review threshold and margin).
    title_column : str
        Column holding the title. Rows with an empty title are kept, labelled
        其他 with confidence 0 and flagged for review.
    body_column, office_column, date_column : str, optional
        A body or summary (weighed in at :data:`BODY_WEIGHT`), the office's own
        category (compared with the prediction), the publication date.

    Returns
    -------
    Classification
    """
    titles = frame[title_column].fillna("").astype(str).str.strip()
    proba = predict_proba(model, titles.tolist())
    if body_column is not None:
        bodies = frame[body_column].fillna("").astype(str).str.slice(0, BODY_CHARS)
        has_body = bodies.str.strip().ne("").to_numpy()
        if has_body.any():
            body_proba = predict_proba(model, bodies[has_body].tolist())
            proba[has_body] = (1 - BODY_WEIGHT) * proba[has_body] + BODY_WEIGHT * body_proba
    empty = titles.eq("").to_numpy()
    proba[empty] = 0.0
    proba[empty, LABELS.index("其他")] = 1.0

    ranked = np.argsort(-proba, axis=1)
    first = proba[np.arange(len(proba)), ranked[:, 0]]
    second = proba[np.arange(len(proba)), ranked[:, 1]]
    labels = np.asarray(LABELS)
    out = frame.copy()
    out["domain"] = labels[ranked[:, 0]]
    out["confidence"] = np.round(first, 4)
    out["second_domain"] = labels[ranked[:, 1]]
    out["needs_review"] = (first < model.review_threshold) | (first - second < model.review_margin)
    out.loc[empty, ["confidence", "needs_review"]] = [0.0, True]
    if office_column is not None:
        office = frame[office_column].fillna("").astype(str).map(office_domain)
        out["office_domain"] = office
        out["office_agrees"] = np.where(office.isna(), None, office == out["domain"])
    return Classification(out, proba, title_column, office_column, date_column, source or {})


def classify_list(notices: NoticeList, model) -> Classification:
    """:func:`classify` with the columns the reader found in the list."""
    c = notices.columns
    return classify(notices.frame, model, title_column=c["title"], body_column=c["body"],
                    office_column=c["office"], date_column=c["date"], source=notices.source)


def office_domain(value: str) -> str | None:
    """The label an office's own column stands for, or ``None`` if it names no domain.

    >>> office_domain("社会救助领域"), office_domain("卫生健康"), office_domain("通知公告")
    ('社会救助', '其他', None)
    """
    from nlp.labels import canonical_domain, standard_domains

    name = canonical_domain(value) if value.strip() else ""
    if name in LABELS:
        return name
    if name in standard_domains():
        return "其他"
    return None


def summary(classification: Classification) -> pd.DataFrame:
    """Per-label counts, mean confidence and review flags, for the CLI's stderr summary."""
    frame = classification.frame
    table = frame.groupby("domain").agg(notices=("domain", "size"),
                                        mean_confidence=("confidence", "mean"),
                                        needs_review=("needs_review", "sum"))
    return table.reindex(LABELS, fill_value=0)
