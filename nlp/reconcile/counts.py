"""The distribution of a count of notices, its intervals, and the verdict on a declared count.

The number of notices of a domain in a list is a sum of independent Bernoulli trials,
one per notice, with success probability ``q_i`` — a *Poisson-binomial* count. Its
distribution is computed exactly: :func:`poisson_binomial_pmf` works on many rows of
probabilities at once (one row per domain, scenario and error multiplier), by dynamic
programming inside blocks of :data:`BLOCK` notices and then by multiplying the blocks'
generating polynomials pairwise with FFT convolution — ``O(n log² n)`` instead of the
``O(n²)`` of one long recursion, so a 2,000-notice list takes milliseconds.

A mixture over the error multiplier (:meth:`nlp.classifier.error_model.ErrorModel
.multipliers`) is the weighted average of the conditional distributions at its
quadrature nodes.

Intervals and statuses
----------------------
For a level ``L`` the interval ``[lo, hi]`` is equal-tailed: ``lo`` is the smallest
``k`` with ``P(X <= k) >= (1 - L) / 2`` and ``hi`` the smallest ``k`` with
``P(X <= k) >= (1 + L) / 2``; so ``P(lo <= X <= hi) >= L`` (it never under-covers).
With an office's latitude the lower end comes from the distribution in which every
boundary notice is filed elsewhere and the upper end from the one in which each is
filed here (:mod:`nlp.reconcile.latitude`).

The status of a declared count ``d``: ``consistent`` inside the 90% interval;
``suspect`` outside it but inside the 99% interval; ``inconsistent`` outside the 99%
interval.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
from scipy.signal import fftconvolve

#: Level of the interval a declared count must fall in to be ``consistent``.
LEVEL = 0.90
#: Level of the wider interval that separates ``suspect`` from ``inconsistent``.
WIDE_LEVEL = 0.99
#: Notices per block of the exact recursion.
BLOCK = 32


class ReconcileStatus(str, Enum):
    """Verdict on one declared count. Values are the contract's strings."""

    CONSISTENT = "consistent"
    SUSPECT = "suspect"
    INCONSISTENT = "inconsistent"


def poisson_binomial_pmf(p: np.ndarray | list[float]) -> np.ndarray:
    """Exact distribution of the number of successes of independent Bernoulli(p_i) trials.

    ``p`` is one row of probabilities or a 2-D array with one row per count; the result
    has ``n + 1`` columns, ``P(count = k)`` for ``k = 0..n``.

    >>> poisson_binomial_pmf([0.5, 0.5]).round(3).tolist()
    [0.25, 0.5, 0.25]
    >>> poisson_binomial_pmf([]).tolist()
    [1.0]
    >>> poisson_binomial_pmf([[1.0, 0.0], [0.5, 1.0]]).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.5, 0.5]]
    """
    probs = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    single = probs.ndim == 1
    probs = probs.reshape(1, -1) if single else probs
    rows, n = probs.shape
    # Trials that are 0 in every row change no count and trials that are 1 in every row
    # shift it by one: only the others are convolved (a domain's "kept" part has the
    # notices predicted for it, a few dozen of a list of thousands).
    never, always = (probs == 0.0).all(axis=0), (probs == 1.0).all(axis=0)
    if never.any() or always.any():
        out = np.zeros((rows, n + 1))
        shift = int(always.sum())
        inner = poisson_binomial_pmf(probs[:, ~never & ~always])
        out[:, shift:shift + inner.shape[1]] = inner
        return out[0] if single else out
    if n == 0:
        out = np.ones((rows, 1))
        return out[0] if single else out
    blocks = -(-n // BLOCK)
    padded = np.zeros((rows, blocks * BLOCK))  # padding with p = 0 changes no count
    padded[:, :n] = probs
    padded = padded.reshape(rows, blocks, BLOCK)
    pmf = np.zeros((rows, blocks, BLOCK + 1))
    pmf[..., 0] = 1.0
    for i in range(BLOCK):
        q = padded[..., i : i + 1]
        # new[k] = old[k] (1 - q) + old[k - 1] q, for k = 0..i+1
        pmf[..., 1 : i + 2] = pmf[..., 1 : i + 2] * (1.0 - q) + pmf[..., 0 : i + 1] * q
        pmf[..., :1] *= 1.0 - q
    while pmf.shape[1] > 1:  # multiply the blocks' polynomials pairwise
        if pmf.shape[1] % 2:
            one = np.zeros((rows, 1, pmf.shape[2]))
            one[..., 0] = 1.0
            pmf = np.concatenate([pmf, one], axis=1)
        pmf = fftconvolve(pmf[:, 0::2], pmf[:, 1::2], axes=2)
        np.clip(pmf, 0.0, None, out=pmf)  # FFT round-off can leave -1e-17
    out = pmf[:, 0, : n + 1]
    out /= out.sum(axis=1, keepdims=True)
    return out[0] if single else out


def quantile_interval(pmf: np.ndarray, level: float) -> tuple[int, int]:
    """The equal-tailed ``level`` interval of a distribution on 0..n.

    >>> quantile_interval(np.array([0.25, 0.5, 0.25]), 0.9)
    (0, 2)
    >>> quantile_interval(np.array([0.0, 0.0, 1.0]), 0.9)
    (2, 2)
    """
    cdf = np.cumsum(pmf)
    lo = int(np.searchsorted(cdf, (1.0 - level) / 2.0 - 1e-12))
    hi = int(np.searchsorted(cdf, (1.0 + level) / 2.0 - 1e-12))
    return lo, min(hi, len(pmf) - 1)


def latitude_interval(low: np.ndarray, high: np.ndarray, level: float) -> tuple[int, int]:
    """The interval from the lower tail of ``low`` to the upper tail of ``high``."""
    return quantile_interval(low, level)[0], quantile_interval(high, level)[1]


def status_for(declared: int, interval: tuple[int, int],
               wide_interval: tuple[int, int]) -> ReconcileStatus:
    """The verdict on ``declared`` given the 90% and 99% intervals.

    >>> status_for(5, (4, 6), (3, 7)).value, status_for(7, (4, 6), (3, 7)).value
    ('consistent', 'suspect')
    >>> status_for(9, (4, 6), (3, 7)).value
    'inconsistent'
    """
    if interval[0] <= declared <= interval[1]:
        return ReconcileStatus.CONSISTENT
    if wide_interval[0] <= declared <= wide_interval[1]:
        return ReconcileStatus.SUSPECT
    return ReconcileStatus.INCONSISTENT
