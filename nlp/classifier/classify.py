"""Classifying a notice list: each row gains its domain, a confidence and a review flag.

:func:`classify` is pure over a DataFrame; reading the list is
:func:`nlp.readers.notices.read_notices`' job and loading the model is
:func:`nlp.model_file.load_model`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nlp.classifier.error_model import ErrorModel
from nlp.classifier.predictor import Predictor
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
    error_model : ErrorModel or None
        The model's error on sites it never saw, from its manifest (reconciliation uses it).
    """

    frame: pd.DataFrame
    proba: np.ndarray
    title_column: str
    office_column: str | None = None
    date_column: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = LABELS
    error_model: ErrorModel | None = None


OUTPUT_COLUMNS = ("domain", "confidence", "second_domain", "needs_review")
# A body, when the list has one, is weighed in at this share: the model learned titles.
BODY_WEIGHT = 0.3
BODY_CHARS = 200


def classify(frame: pd.DataFrame, model, *, title_column: str, body_column: str | None = None,
             office_column: str | None = None, date_column: str | None = None,
             source: dict[str, Any] | None = None) -> Classification:
    """Classify every row of a notice list.

    Parameters
    ----------
    frame : DataFrame
        The list; every column is kept in the output.
    model : nlp.model_file.LoadedModel
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
    columns = dict(title=title_column, body=body_column, office=office_column, date=date_column)
    with Predictor(model) as predictor:
        return _Job(frame, columns, source or {}, model, predictor).finish()


def classify_list(notices: NoticeList, model) -> Classification:
    """:func:`classify` with the columns the reader found in the list."""
    c = notices.columns
    return classify(notices.frame, model, title_column=c["title"], body_column=c["body"],
                    office_column=c["office"], date_column=c["date"], source=notices.source)


def classify_chunks(chunks: Iterable[NoticeList], model) -> Iterator[Classification]:
    """Classify a list read in chunks, one :class:`Classification` per chunk.

    The next chunk is read and submitted before the current one is handed back,
    so the workers compute it while the caller writes the current one out.
    """
    with Predictor(model) as predictor:
        pending: _Job | None = None
        for notices in chunks:
            job = _Job(notices.frame, notices.columns, notices.source, model, predictor)
            if pending is not None:
                yield pending.finish()
            pending = job
        if pending is not None:
            yield pending.finish()


class _Job:
    """One list whose probabilities are being computed; :meth:`finish` builds the result."""

    def __init__(self, frame: pd.DataFrame, columns: dict[str, str | None],
                 source: dict[str, Any], model, predictor: Predictor):
        self.frame, self.columns, self.source, self.model = frame, columns, source, model
        self.titles = frame[columns["title"]].fillna("").astype(str).str.strip()
        texts = self.titles.tolist()
        self.has_body = np.zeros(len(frame), dtype=bool)
        if columns.get("body") is not None:
            bodies = frame[columns["body"]].fillna("").astype(str).str.slice(0, BODY_CHARS)
            self.has_body = bodies.str.strip().ne("").to_numpy()
            texts += bodies[self.has_body].tolist()
        self.pending = predictor.submit(texts)

    def finish(self) -> Classification:
        model, frame, n = self.model, self.frame, len(self.frame)
        both = self.pending.result()
        proba = both[:n].copy()
        if self.has_body.any():
            proba[self.has_body] = ((1 - BODY_WEIGHT) * proba[self.has_body]
                                    + BODY_WEIGHT * both[n:])
        empty = self.titles.eq("").to_numpy()
        proba[empty] = 0.0
        proba[empty, LABELS.index("其他")] = 1.0

        ranked = np.argsort(-proba, axis=1)
        first = proba[np.arange(n), ranked[:, 0]]
        second = proba[np.arange(n), ranked[:, 1]]
        labels = np.asarray(LABELS)
        out = frame.copy()
        out["domain"] = labels[ranked[:, 0]]
        out["confidence"] = np.round(first, 4)
        out["second_domain"] = labels[ranked[:, 1]]
        out["needs_review"] = ((first < model.review_threshold)
                               | (first - second < model.review_margin))
        out.loc[empty, ["confidence", "needs_review"]] = [0.0, True]
        office_column = self.columns.get("office")
        if office_column is not None:
            office = frame[office_column].fillna("").astype(str).map(office_domain)
            out["office_domain"] = office
            out["office_agrees"] = np.where(office.isna(), None, office == out["domain"])
        return Classification(out, proba, self.columns["title"], office_column,
                              self.columns.get("date"), self.source,
                              error_model=getattr(model, "error_model", None))


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
