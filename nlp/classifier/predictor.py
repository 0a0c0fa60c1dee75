"""The model's probabilities for long lists: each distinct title once, on every core.

Real lists repeat titles (monthly rosters, reposts), and a million-row file must
not become one huge sparse matrix, so titles are deduplicated and transformed in
batches of :data:`BATCH`. Tokenizing and n-gram counting hold the GIL, so long
lists are spread over processes, not threads: the first long list forks workers
that inherit the loaded model (only titles and probabilities cross the pipes),
and they stay for the chunks that follow. :meth:`Predictor.submit` returns at once,
so the caller can write out one chunk while the workers compute the next.

(Letting each worker unpickle the model itself, so that this process never
imports scikit-learn, was measured and is no faster: the import is the same
half second of one core either way, only done twice.)
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from nlp.labels import LABELS

BATCH = 10_000  # titles per transform: large enough to amortise calls, small enough for the cache
PARALLEL_MIN = 20_000  # distinct titles below which forking costs more than it saves
MAX_JOBS = 4

# Forking a process that has loaded numpy is safe on Linux; macOS's system libraries are
# not fork-safe, and Windows has no fork. Elsewhere everything runs in this process.
_FORK_IS_SAFE = (sys.platform.startswith("linux")
                 and "fork" in multiprocessing.get_all_start_methods())

# What forked workers read: set before the fork, so the model is never pickled.
_SHARED: dict[str, Any] = {}
_WARM_UP = "关于开展安全生产检查的通知"


def predict_batches(pipeline, titles: list[str], batch: int = BATCH) -> np.ndarray:
    """The pipeline's probabilities (its own class order), computed ``batch`` titles at a time.

    The pipeline's first step, the title normaliser, runs once over all the titles;
    the rest of the pipeline then sees each distinct normalised title once. Numbered
    series (「2023年1月低保金发放名单」, 「…2月…」, 「第3期…」) differ only in what
    the normaliser removes, so they cost one title, with exactly the probabilities
    the whole pipeline gives each of them.
    """
    if not titles:
        return np.empty((0, len(pipeline.classes_)))
    name, first = pipeline.steps[0]
    if name != "normalize":  # a pipeline of another shape: no shortcut
        parts = [pipeline.predict_proba(titles[i:i + batch])
                 for i in range(0, len(titles), batch)]
        return np.vstack(parts)
    codes, uniques = pd.factorize(pd.Series(first.transform(titles), dtype=object), sort=False)
    rest, distinct = pipeline[1:], uniques.tolist()
    parts = [rest.predict_proba(distinct[i:i + batch]) for i in range(0, len(distinct), batch)]
    return np.vstack(parts)[codes]


def _worker_predict(titles: list[str]) -> np.ndarray:
    return predict_batches(_SHARED["model"].pipeline, titles, _SHARED["batch"])


class Pending:
    """Probabilities being computed; :meth:`result` waits for them."""

    def __init__(self, parts: list[Future | np.ndarray], order: list[int], codes: np.ndarray,
                 n_labels: int):
        self._parts, self._order, self._codes, self._n = parts, order, codes, n_labels

    def result(self) -> np.ndarray:
        """Probabilities of every submitted title, columns in :data:`LABELS` order."""
        parts = [p.result() if isinstance(p, Future) else p for p in self._parts]
        proba = np.vstack(parts) if parts else np.empty((0, self._n))
        return proba[:, self._order][self._codes]


class Predictor:
    """Computes calibrated probabilities for lists of titles; use it as a context manager.

    Parameters
    ----------
    model : nlp.model_file.LoadedModel
        The checked classifier.
    jobs : int, optional
        Worker processes for long lists; default: the number of cores, at most
        :data:`MAX_JOBS`. One job, or a platform other than Linux, computes
        everything in this process.
    """

    def __init__(self, model, jobs: int | None = None, batch: int = BATCH):
        self.model = model
        self.batch = batch
        self.jobs = jobs if jobs is not None else min(os.cpu_count() or 1, MAX_JOBS)
        if not _FORK_IS_SAFE:
            self.jobs = 1
        self._pool: ProcessPoolExecutor | None = None
        self._order = [model.labels.index(label) for label in LABELS]

    def submit(self, titles: list[str]) -> Pending:
        """Start computing the probabilities of ``titles``; returns at once for long lists."""
        codes, uniques = pd.factorize(pd.Series(titles, dtype=object), sort=False)
        texts = [str(t) for t in uniques]
        if len(texts) < PARALLEL_MIN or self.jobs < 2:
            parts: list[Future | np.ndarray] = [
                predict_batches(self.model.pipeline, texts, self.batch)]
        else:
            pool = self._workers()
            step = -(-len(texts) // self.jobs)
            parts = [pool.submit(_worker_predict, texts[i:i + step])
                     for i in range(0, len(texts), step)]
        return Pending(parts, self._order, codes, len(LABELS))

    def predict(self, titles: list[str]) -> np.ndarray:
        """Probabilities of ``titles``, columns in :data:`LABELS` order."""
        return self.submit(titles).result()

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Unpickle the model, build the tokenizer's engine and the vocabulary tables
            # here, once: the forked workers inherit them instead of each building its own.
            predict_batches(self.model.pipeline, [_WARM_UP])
            _SHARED.update(model=self.model, batch=self.batch)
            self._pool = ProcessPoolExecutor(self.jobs,
                                             mp_context=multiprocessing.get_context("fork"))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            _SHARED.clear()

    def __enter__(self) -> Predictor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
