"""The classifier's out-of-source error model: fitted from simulated predictions whose
truth is known, it recovers the accuracy, where errors go, and how much sites differ."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp.classifier.error_model import ErrorModel

LABELS = ("a", "b", "c", "d")


def simulate(sites: int, per_site: int, dispersion: float, seed: int = 0):
    """Confident predictions whose error rate is 10% × a per-site Gamma multiplier; errors
    of label a always go to b."""
    rng = np.random.default_rng(seed)
    proba, truth, groups = [], [], []
    for g in range(sites):
        m = rng.gamma(1 / dispersion, dispersion) if dispersion else 1.0
        for _ in range(per_site):
            top = rng.integers(len(LABELS))
            p = np.full(len(LABELS), 0.02)
            p[top] = 0.94
            wrong = rng.random() < min(1.0, 0.1 * m)
            other = 1 if top == 0 else (top + 1 + rng.integers(len(LABELS) - 1)) % len(LABELS)
            proba.append(p)
            truth.append(LABELS[other if wrong and other != top else top])
            groups.append(f"site{g}")
    return np.array(proba), np.array(truth), np.array(groups)


def test_accuracy_and_confusion_are_recovered():
    proba, truth, groups = simulate(40, 50, 0.0)
    em = ErrorModel.fit(proba, truth, LABELS, groups=groups)
    assert em.top_accuracy(np.array([0.94]))[0] == pytest.approx(0.9, abs=0.02)
    assert em.confusion[0, 1] > 0.9  # errors on a go to b
    assert np.allclose(em.confusion.sum(axis=1), 1.0) and np.allclose(np.diag(em.confusion), 0)
    # No site differs: only the noise of the upper bootstrap bound is left.
    assert em.dispersion_out < 0.25 and em.dispersion_in < 0.35


def test_sites_that_differ_give_a_dispersion():
    proba, truth, groups = simulate(60, 80, 0.5, seed=1)
    em = ErrorModel.fit(proba, truth, LABELS, groups=groups)
    flat_groups = simulate(60, 80, 0.0, seed=1)[2]
    flat = ErrorModel.fit(*simulate(60, 80, 0.0, seed=1)[:2], LABELS, groups=flat_groups)
    assert 0.25 < em.dispersion_out < 1.2  # an upper bootstrap bound of the true 0.5
    assert em.dispersion_out > flat.dispersion_out + 0.2
    m, w = em.multipliers("out")
    assert w @ m == pytest.approx(1.0) and w @ (m - 1) ** 2 == pytest.approx(em.dispersion_out)


@pytest.mark.parametrize("dispersion", [1e-6, 0.01, 0.3, 1.5])
def test_the_multipliers_quadrature_has_the_gammas_moments(dispersion):
    """Gauss quadrature with n points: moments up to 2n - 1 of Gamma(1/v, v) exactly,
    also for the huge shapes of a tiny dispersion (no overflow) and for v > 1."""
    from scipy.stats import gamma

    from nlp.classifier.error_model import gamma_quadrature

    m, w = gamma_quadrature(1 / dispersion, dispersion, 6)
    assert np.all(w >= 0) and w.sum() == pytest.approx(1.0)
    for order in range(1, 12):
        exact = gamma.moment(order, 1 / dispersion, scale=dispersion)
        assert w @ m ** order == pytest.approx(exact, rel=1e-7)


def test_no_error_seen_still_admits_one():
    proba = np.tile([0.97, 0.01, 0.01, 0.01], (30, 1))
    em = ErrorModel.fit(proba, np.array(["a"] * 30), LABELS)
    assert 0.95 < em.top_accuracy(np.array([0.97]))[0] < 1.0


def test_true_label_distributions_sum_to_one_and_round_trip():
    proba, truth, groups = simulate(10, 30, 0.3, seed=2)
    em = ErrorModel.fit(proba, truth, LABELS, groups=groups)
    q = em.true_label_proba(proba)
    assert np.allclose(q.sum(axis=1), 1.0) and (q >= 0).all()
    again = ErrorModel.from_dict(json.loads(json.dumps(em.to_dict())))
    np.testing.assert_allclose(again.true_label_proba(proba), em.true_label_proba(proba),
                               atol=1e-5)


def test_the_fitted_mix_is_stored_and_an_old_manifest_has_none():
    proba, truth, groups = simulate(10, 30, 0.3, seed=4)
    em = ErrorModel.fit(proba, truth, LABELS, groups=groups)
    shares = [np.mean(truth == label) for label in LABELS]
    np.testing.assert_allclose(em.prior, shares)
    again = ErrorModel.from_dict(json.loads(json.dumps(em.to_dict())))
    np.testing.assert_allclose(again.prior, em.prior, atol=1e-6)
    old = em.to_dict()
    del old["prior"]
    q = em.true_label_proba(proba)
    assert ErrorModel.from_dict(old).prior is None
    np.testing.assert_array_equal(ErrorModel.from_dict(old).adapt(q), q)


def test_adapt_recovers_the_mix_of_a_list_unlike_the_fitted_one():
    """Scores calibrated for a 50/50 mix; a list that is 90/10 gets its mix back by EM."""
    rng = np.random.default_rng(5)
    em = ErrorModel(("a", "b"), np.array([1.0]), np.array([1.0]), np.array([[0, 1], [1, 0]]),
                    prior=np.array([0.5, 0.5]))
    truth = rng.random(3000) < 0.9
    x = np.where(truth, rng.normal(1.0, 1.0, truth.size), rng.normal(-1.0, 1.0, truth.size))
    qa = 1.0 / (1.0 + np.exp(-2.0 * x))  # exact posterior of "a" under the 50/50 mix
    adapted = em.adapt(np.column_stack([qa, 1.0 - qa]))
    assert qa.mean() < 0.8
    assert adapted[:, 0].mean() == pytest.approx(truth.mean(), abs=0.02)
    assert np.allclose(adapted.sum(axis=1), 1.0)
    # The re-weighted posteriors are calibrated on this list: log-loss falls.
    loss = lambda p: -np.log(np.where(truth, p, 1.0 - p)).mean()  # noqa: E731
    assert loss(adapted[:, 0]) < loss(qa)
