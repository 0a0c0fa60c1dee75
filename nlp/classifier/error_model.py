"""What the classifier's probabilities mean on a site it never saw.

The pipeline's probabilities are calibrated on its own corpus, where they are honest
(ECE under 0.01). On the notice list of an office whose phrasing the corpus never saw,
the model is wrong more often than it says, and its errors are not spread evenly: a
whole site can be harder than another. :class:`ErrorModel` is fitted in training on
*out-of-source* predictions — every real row predicted by a model that did not see
that row's site (:func:`nlp.classifier.training.out_of_source_predictions`) — and
turns the model's probabilities ``p_i`` for a notice into the distribution ``q_i`` of
its true label:

* **accuracy** ``a(s)``: the chance that the top label is right given its confidence
  ``s``, by isotonic regression of correctness on confidence, each block's rate taken
  with a Jeffreys prior, ``(right + 1/2) / (n + 1)``, so that a block with no error
  seen still admits one;
* **where the errors go**: ``q_i(c) = (1 - a(s_i)) · (λ r_i(c) + (1 - λ) M[k_i, c])``
  for every other label ``c``, where ``r_i`` are the model's own probabilities of the
  other labels (renormalised), ``M[k, c]`` the out-of-source share of label ``c``
  among the errors on notices predicted ``k`` (add-½ smoothed), and ``λ`` the blend
  that maximises the out-of-source log-likelihood;
* **sites differ**: on one site the model may miss a domain's notices more often
  than on average, or pull other notices into it more often, and all notices of a
  list share that. For a domain ``c``, the chance that a notice predicted ``c`` is
  not ``c`` becomes ``s_out (1 - q_i(c))`` and the chance that a notice predicted
  otherwise is ``c`` becomes ``s_in q_i(c)``, with ``s_out ~ Gamma(1/v_out, v_out)`` and
  ``s_in ~ Gamma(1/v_in, v_in)`` (mean 1) drawn once per list and domain. ``v_out`` and
  ``v_in`` are estimated by the method of moments over every (site, label) pair of the
  out-of-source rows: ``v = Σ [(O - E)² - V] / Σ E²``, with ``O`` the misses (or the
  pulled-in notices) seen, ``E = Σ (1 - q_i(c))`` (or ``Σ q_i(c)``) those expected and
  ``V`` their binomial variance. For a site of :data:`CROSS_FIT_MIN` rows or more, its
  ``q`` comes from a model fitted without it: fitted with it, the map would explain its
  errors away and hide how much sites differ. The estimate used is the 90% upper
  bound of its bootstrap over sites, because it rests on a few large sites and a
  verdict must not rest on a lucky draw of them. With fewer than three sites ``v`` is not
  estimable and is 0. :meth:`ErrorModel.multipliers` integrates over these Gamma
  distributions by Gauss quadrature (generalised Gauss–Laguerre, nodes and weights from
  the eigenvalues of its Jacobi matrix, Golub–Welsch): ``n`` weighted points give the
  first ``2n - 1`` moments of the Gamma exactly, so the heavy right tail — the lists
  on which the model errs far more often than on average, which is what decides a
  99% interval — is represented, as equal-weight quantile points at ``(k + ½)/n`` do
  not (their largest point is the 90% quantile for ``n = 5``).

* **the list's own mix of labels**: ``q`` is calibrated for the mix of the real rows
  it was fitted on (``prior``, about seven in ten 其他). A list whose mix differs — a
  long list that is nearly all 其他, or a township's list that is mostly domain
  notices — makes the same confidence mean something else: among 300 notices with
  three of 安全生产, a fire brigade's flag-raising that the model calls 安全生产 is more
  likely a false alarm than in the average list. :meth:`ErrorModel.adapt` re-weights
  ``q`` to the list's mix by the EM of Saerens, Latinne and Decaestecker (2002), the
  mix estimated as a posterior mean with :data:`PRIOR_WEIGHT` pseudo-notices of
  ``prior``, so that a list of ten does not swing its mix to zeros. The reconciliation
  reads a list both ways and says 不符 only outside both readings: on held-out sites,
  false 不符 of lists that are 85% 其他 was 0.4/0.8/2.7% for 30/80/300 notices with the
  plain reading alone, and is 0.3–0.5% with both (README, ``scripts/bench_reconcile.py``).

The fitted model is plain numbers, stored in the model's manifest (``to_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Candidate blends between the model's own residual probabilities and the confusion rows.
BLENDS = tuple(np.round(np.linspace(0.0, 1.0, 11), 2))
#: Quadrature points used to integrate over the list-level multiplier.
MULTIPLIER_POINTS = 6
MIN_SITES_FOR_DISPERSION = 3
#: Bootstrap resamples of the sites, and the quantile of their estimates that is used.
BOOTSTRAP, BOOTSTRAP_QUANTILE = 2000, 0.9
#: A site this large gets its expected errors from a map fitted without it.
CROSS_FIT_MIN = 50
#: Pseudo-notices of the fitted mix added to a list's own when its mix is estimated.
PRIOR_WEIGHT = 10.0
#: EM rounds and tolerance of the estimate of a list's mix.
PRIOR_ROUNDS, PRIOR_TOL = 100, 1e-7


@dataclass
class ErrorModel:
    """The classifier's error on sources it did not see, as a map ``p_i -> q_i``.

    Attributes
    ----------
    labels : tuple of str
        Label order of the probability columns.
    confidence, accuracy : ndarray
        Knots of the monotone map from top-label confidence to accuracy.
    confusion : ndarray of shape (L, L)
        Row ``k``: where the errors of notices predicted ``k`` go (diagonal 0, rows sum 1).
    blend : float
        ``λ``, the weight of the model's own residual probabilities.
    dispersion_out, dispersion_in : float
        ``v_out``, ``v_in``: the variances of the per-list multipliers of misses and of
        pulled-in notices (module docstring).
    n, sites : int
        Out-of-source rows and sites it was fitted on.
    prior : ndarray or None
        The share of each label among those rows: the mix ``q`` is calibrated for.
        ``None`` (a manifest from before it was stored, or :meth:`identity`) leaves
        :meth:`adapt` a no-op.
    """

    labels: tuple[str, ...]
    confidence: np.ndarray
    accuracy: np.ndarray
    confusion: np.ndarray
    blend: float = 0.5
    dispersion_out: float = 0.0
    dispersion_in: float = 0.0
    n: int = 0
    sites: int = 0
    figures: dict[str, Any] = field(default_factory=dict)
    prior: np.ndarray | None = None

    # ------------------------------------------------------------------ fitting

    @classmethod
    def fit(cls, proba: np.ndarray, y_true: np.ndarray, labels: list[str] | tuple[str, ...],
            groups: np.ndarray | None = None) -> ErrorModel:
        """Fit on out-of-source probabilities ``proba`` (columns in ``labels`` order)."""
        labels = tuple(labels)
        proba = np.asarray(proba, dtype=float)
        index = {label: i for i, label in enumerate(labels)}
        y = np.array([index[v] for v in y_true], dtype=int)
        top = proba.argmax(axis=1)
        conf = proba[np.arange(len(proba)), top]
        right = (top == y).astype(float)

        knots_x, knots_y = _accuracy_knots(conf, right)

        n_labels = len(labels)
        counts = np.full((n_labels, n_labels), 0.5)
        np.fill_diagonal(counts, 0.0)
        wrong = top != y
        np.add.at(counts, (top[wrong], y[wrong]), 1.0)
        confusion = counts / counts.sum(axis=1, keepdims=True)

        model = cls(labels, knots_x, knots_y, confusion, n=len(proba),
                    sites=0 if groups is None else len(np.unique(groups)),
                    prior=np.bincount(y, minlength=n_labels) / max(len(y), 1))
        scores = {}
        for blend in BLENDS:
            model.blend = float(blend)
            q = model.true_label_proba(proba)
            scores[float(blend)] = float(np.log(np.clip(q[np.arange(len(y)), y], 1e-12, 1)).mean())
        model.blend = max(scores, key=scores.get)
        scores = {f"{b:.1f}": round(v, 6) for b, v in scores.items()}  # JSON keys are strings
        model.figures = {"log_likelihood_by_blend": scores}
        if groups is not None:
            model.dispersion_out, model.dispersion_in = _dispersions(
                model, proba, np.asarray(y_true), np.asarray(groups))
        return model

    # ------------------------------------------------------------------ using it

    def top_accuracy(self, confidence: np.ndarray) -> np.ndarray:
        """``a(s)``: how often a top label of confidence ``s`` is right on a new site."""
        return np.interp(confidence, self.confidence, self.accuracy)

    def true_label_proba(self, proba: np.ndarray) -> np.ndarray:
        """``q``: each notice's distribution over its true label.

        >>> em = ErrorModel(("a", "b", "c"), np.array([0.5, 1.0]), np.array([0.6, 0.9]),
        ...                 np.array([[0, .5, .5], [.5, 0, .5], [.5, .5, 0]]), blend=1.0)
        >>> em.true_label_proba(np.array([[0.98, 0.02, 0.0]])).round(3).tolist()
        [[0.888, 0.112, 0.0]]
        """
        proba = np.asarray(proba, dtype=float)
        if not len(proba):
            return proba.copy()
        rows = np.arange(len(proba))
        top = proba.argmax(axis=1)
        error = np.clip(1.0 - self.top_accuracy(proba[rows, top]), 0.0, 1.0)
        rest = proba.copy()
        rest[rows, top] = 0.0
        total = rest.sum(axis=1, keepdims=True)
        own = np.divide(rest, total, out=self.confusion[top].copy(), where=total > 1e-12)
        q = error[:, None] * (self.blend * own + (1.0 - self.blend) * self.confusion[top])
        q[rows, top] = 1.0 - error
        return q

    def adapt(self, q: np.ndarray) -> np.ndarray:
        """``q`` re-weighted to the mix of labels of the list its rows form.

        Bayes' rule with the list's mix ``π`` in place of the fitted ``prior``:
        ``q'_ic ∝ q_ic π_c / prior_c``, where ``π`` is the fixed point of
        ``π_c = (Σ_i q'_ic + w prior_c) / (n + w)`` (EM; ``w`` = :data:`PRIOR_WEIGHT`).

        >>> em = ErrorModel(("a", "b"), np.array([1.0]), np.array([1.0]),
        ...                 np.array([[0, 1], [1, 0]]), prior=np.array([0.5, 0.5]))
        >>> q = np.array([[0.9, 0.1]] * 40 + [[0.5, 0.5]])
        >>> em.adapt(q)[-1].round(2).tolist()  # a list that is mostly "a"
        [0.89, 0.11]
        >>> em.adapt(q[-1:]).round(2).tolist()  # one notice moves nothing
        [[0.5, 0.5]]
        """
        q = np.asarray(q, dtype=float)
        if self.prior is None or not len(q):
            return q
        prior = np.clip(np.asarray(self.prior, dtype=float), 1e-6, None)
        prior = prior / prior.sum()

        def reweighted(mix: np.ndarray) -> np.ndarray:
            w = q * (mix / prior)
            return w / np.clip(w.sum(axis=1, keepdims=True), 1e-300, None)

        mix = prior
        for _ in range(PRIOR_ROUNDS):
            new = (reweighted(mix).sum(axis=0) + PRIOR_WEIGHT * prior) / (len(q) + PRIOR_WEIGHT)
            done = np.abs(new - mix).max() < PRIOR_TOL
            mix = new
            if done:
                break
        return reweighted(mix)

    def multipliers(self, direction: str,
                    points: int = MULTIPLIER_POINTS) -> tuple[np.ndarray, np.ndarray]:
        """Nodes and weights of the Gamma multiplier of ``"out"`` or ``"in"`` (mean 1).

        >>> em = ErrorModel(("a", "b"), np.array([0.9]), np.array([0.9]),
        ...                 np.array([[0, 1], [1, 0]]), 1.0, 0.5, 0.0)
        >>> m, w = em.multipliers("out")
        >>> round(float(w @ m), 12), round(float(w @ (m - 1) ** 2), 12)
        (1.0, 0.5)
        >>> em.multipliers("in")
        (array([1.]), array([1.]))
        """
        v = self.dispersion_out if direction == "out" else self.dispersion_in
        if v <= 1e-9:
            return np.ones(1), np.ones(1)
        return gamma_quadrature(1.0 / v, v, points)

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels),
                "confidence": [round(float(x), 6) for x in self.confidence],
                "accuracy": [round(float(x), 6) for x in self.accuracy],
                "confusion": [[round(float(x), 6) for x in row] for row in self.confusion],
                "blend": self.blend, "dispersion_out": round(float(self.dispersion_out), 6),
                "dispersion_in": round(float(self.dispersion_in), 6),
                "n": self.n, "sites": self.sites, "figures": self.figures,
                "prior": None if self.prior is None
                else [round(float(x), 6) for x in self.prior]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErrorModel:
        return cls(tuple(data["labels"]), np.asarray(data["confidence"], dtype=float),
                   np.asarray(data["accuracy"], dtype=float),
                   np.asarray(data["confusion"], dtype=float), float(data["blend"]),
                   float(data["dispersion_out"]), float(data["dispersion_in"]),
                   int(data["n"]), int(data["sites"]),
                   dict(data.get("figures", {})),
                   None if data.get("prior") is None
                   else np.asarray(data["prior"], dtype=float))

    @classmethod
    def identity(cls, labels: tuple[str, ...]) -> ErrorModel:
        """The model's probabilities taken as they are (for a model without a manifest map)."""
        n_labels = len(labels)
        confusion = np.full((n_labels, n_labels), 1.0 / max(n_labels - 1, 1))
        np.fill_diagonal(confusion, 0.0)
        return cls(tuple(labels), np.array([0.0, 1.0]), np.array([0.0, 1.0]), confusion,
                   blend=1.0)


def _accuracy_knots(conf: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the monotone accuracy map: isotonic blocks, each rate Jeffreys-smoothed."""
    from sklearn.isotonic import IsotonicRegression

    fitted = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0) \
        .fit(conf, right).predict(conf)
    knots_x, knots_y = [], []
    for value in np.unique(fitted):
        block = fitted == value
        knots_x.append(conf[block].max())
        knots_y.append((right[block].sum() + 0.5) / (block.sum() + 1.0))
    return np.asarray(knots_x), np.maximum.accumulate(np.asarray(knots_y))


def _dispersions(model: ErrorModel, proba: np.ndarray, y_true: np.ndarray, groups: np.ndarray
                 ) -> tuple[float, float]:
    """Method-of-moments ``v_out`` and ``v_in`` over (site, label) pairs (module docstring)."""
    sites, sizes = np.unique(groups, return_counts=True)
    if len(sites) < MIN_SITES_FOR_DISPERSION:
        return 0.0, 0.0
    index = {label: i for i, label in enumerate(model.labels)}
    y = np.array([index[v] for v in y_true], dtype=int)
    q = model.true_label_proba(proba)
    for g, size in zip(sites, sizes, strict=True):
        rows = groups == g
        if size >= CROSS_FIT_MIN and (~rows).sum() >= CROSS_FIT_MIN:
            without = ErrorModel.fit(proba[~rows], y_true[~rows], model.labels)
            q[rows] = without.true_label_proba(proba[rows])
    top = proba.argmax(axis=1)
    per_site = np.zeros((len(sites), 2, 2))  # site x [out, in] x [excess, scale]
    for s, g in enumerate(sites):
        rows = groups == g
        for j in range(len(model.labels)):
            for k, part in enumerate((rows & (top == j), rows & (top != j))):
                if not part.any():
                    continue
                qj = q[part, j]
                expected = float((1.0 - qj).sum() if k == 0 else qj.sum())
                observed = float((y[part] != j).sum() if k == 0 else (y[part] == j).sum())
                per_site[s, k, 0] += (observed - expected) ** 2 - float((qj * (1.0 - qj)).sum())
                per_site[s, k, 1] += expected ** 2
    # The estimate rests on a few large sites; its upper bootstrap bound (sites resampled)
    # keeps a verdict from resting on a lucky draw of sites.
    rng = np.random.default_rng(0)
    draws = per_site[rng.integers(len(sites), size=(BOOTSTRAP, len(sites)))].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.nan_to_num(np.clip(draws[..., 0] / draws[..., 1], 0.0, None))
    upper = np.quantile(v, BOOTSTRAP_QUANTILE, axis=0)
    return float(upper[0]), float(upper[1])


def gamma_quadrature(shape: float, scale: float, points: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss quadrature nodes and weights for ``Gamma(shape, scale)``.

    The Jacobi matrix of the generalised Laguerre polynomials with ``α = shape - 1`` has
    diagonal ``2k + α + 1`` and off-diagonal ``√(k (k + α))``; its eigenvalues are the
    nodes and the squared first components of its eigenvectors the weights (Golub and
    Welsch, 1969). Unlike ``scipy.special.roots_genlaguerre`` this never forms
    ``Γ(α + 1)``, which overflows for the large shapes of a small dispersion.

    >>> m, w = gamma_quadrature(2.0, 0.5, 4)
    >>> round(float(w @ m), 12), round(float(w @ m ** 2), 12)  # mean 1, E m² = 1.5
    (1.0, 1.5)
    """
    from scipy.linalg import eigh_tridiagonal

    alpha, k = shape - 1.0, np.arange(points, dtype=float)
    nodes, vectors = eigh_tridiagonal(2.0 * k + alpha + 1.0, np.sqrt(k[1:] * (k[1:] + alpha)))
    weights = vectors[0] ** 2
    return scale * nodes, weights / weights.sum()
