"""Reconciliation: the exact count distribution, its intervals, statuses and findings."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from nlp.classifier.classify import Classification
from nlp.classifier.error_model import ErrorModel
from nlp.labels import DOMAINS, LABELS, OTHER
from nlp.reconcile import reconcile
from nlp.reconcile.counts import LEVEL, WIDE_LEVEL, poisson_binomial_pmf, quantile_interval
from nlp.reconcile.domains import CountModel
from nlp.report.findings import Severity, Status
from nlp.report.model import Report

RNG_SEED = 20240531


def brute_force_pmf(p: list[float]) -> np.ndarray:
    """P(count = k) by enumerating all 2^n outcomes."""
    n = len(p)
    pmf = np.zeros(n + 1)
    for outcome in itertools.product((0, 1), repeat=n):
        prob = 1.0
        for hit, q in zip(outcome, p, strict=True):
            prob *= q if hit else 1.0 - q
        pmf[sum(outcome)] += prob
    return pmf


def brute_force_interval(pmf: np.ndarray, level: float) -> tuple[int, int]:
    """The equal-tailed interval by walking the CDF one value at a time."""
    tail = (1 - level) / 2
    total, lo, hi = 0.0, None, None
    for k, q in enumerate(pmf):
        total += q
        if lo is None and total >= tail - 1e-12:
            lo = k
        if hi is None and total >= 1 - tail - 1e-12:
            hi = k
    return lo, hi


def one_hot(rows: list[str]) -> np.ndarray:
    proba = np.zeros((len(rows), len(LABELS)))
    for i, lab in enumerate(rows):
        proba[i, LABELS.index(lab)] = 1.0
    return proba


def classification(proba: np.ndarray, titles: list[str] | None = None,
                   **columns) -> Classification:
    titles = titles or [f"通知{i}" for i in range(len(proba))]
    frame = pd.DataFrame({"title": titles, **columns})
    return Classification(frame, proba, "title",
                          office_column="office" if "office_domain" in columns else None,
                          date_column="date" if "date" in columns else None)


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


# ---------------------------------------------------------------- the distribution


@pytest.mark.parametrize("n", range(0, 11))
def test_pmf_and_intervals_match_brute_force(n):
    rng = np.random.default_rng(RNG_SEED + n)
    for _ in range(5):
        # Mix extreme and middling probabilities, the shapes a calibrated model gives.
        p = rng.beta(0.4, 0.4, size=n)
        p[: n // 4] = np.round(p[: n // 4])  # some certain outcomes
        exact = brute_force_pmf(list(p))
        dp = poisson_binomial_pmf(p)
        np.testing.assert_allclose(dp, exact, atol=1e-12)
        assert dp.sum() == pytest.approx(1.0)
        for level in (LEVEL, WIDE_LEVEL, 0.5):
            assert quantile_interval(dp, level) == brute_force_interval(exact, level)


def test_interval_of_certain_outcomes_is_a_point():
    p = [1.0] * 7 + [0.0] * 5
    assert quantile_interval(poisson_binomial_pmf(p), LEVEL) == (7, 7)


@pytest.mark.parametrize("n", [1, 5, 40, 300])
def test_exact_coverage_is_at_least_the_level(n):
    rng = np.random.default_rng(n)
    pmf = poisson_binomial_pmf(rng.beta(0.3, 0.3, size=n))
    for level in (LEVEL, WIDE_LEVEL):
        lo, hi = quantile_interval(pmf, level)
        assert pmf[lo : hi + 1].sum() >= level - 1e-9


def test_interval_covers_simulated_counts():
    """Draw whole label vectors from the probabilities: the 90% interval covers ~90%."""
    rng = np.random.default_rng(RNG_SEED)
    n, draws = 80, 4000
    truth = rng.integers(0, len(LABELS), size=n)
    proba = rng.dirichlet(np.full(len(LABELS), 0.3), size=n)
    proba[np.arange(n), truth] += 1.0  # a model that is usually right, never certain
    proba /= proba.sum(axis=1, keepdims=True)
    # Sample each row's label from its own distribution, many times over.
    cum = proba.cumsum(axis=1)
    u = rng.random((draws, n, 1))
    sampled = (u > cum[None, :, :]).sum(axis=2)  # (draws, n) label indices
    report = Report(source={}, domains=dict.fromkeys(DOMAINS, 0))
    rec = reconcile(report, classification(proba))
    for d in rec.domains:
        j = LABELS.index(d.domain)
        count = (sampled == j).sum(axis=1)
        lo, hi = d.interval
        coverage = ((count >= lo) & (count <= hi)).mean()
        assert coverage >= 0.88, (d.domain, coverage)
        wlo, whi = d.wide_interval
        assert ((count >= wlo) & (count <= whi)).mean() >= 0.98
        # the mean of the simulated counts is the expected count
        assert count.mean() == pytest.approx(d.expected, abs=0.25)


# ---------------------------------------------------------------- statuses


def _status_of(declared: int, proba: np.ndarray) -> str:
    report = Report(source={}, domains={"救灾": declared})
    return reconcile(report, classification(proba)).domains[0].status


def test_statuses_at_the_documented_boundaries():
    # 60 notices, each 救灾 with probability 0.5 (else 社会救助): a wide, symmetric count.
    proba = np.zeros((60, len(LABELS)))
    proba[:, LABELS.index("救灾")] = 0.5
    proba[:, LABELS.index("社会救助")] = 0.5
    pmf = poisson_binomial_pmf(proba[:, LABELS.index("救灾")])
    lo, hi = quantile_interval(pmf, LEVEL)
    wlo, whi = quantile_interval(pmf, WIDE_LEVEL)
    assert wlo < lo < hi < whi
    assert _status_of(lo, proba) == "consistent"
    assert _status_of(hi, proba) == "consistent"
    assert _status_of(hi + 1, proba) == "suspect"
    assert _status_of(lo - 1, proba) == "suspect"
    assert _status_of(whi, proba) == "suspect"
    assert _status_of(wlo, proba) == "suspect"
    assert _status_of(whi + 1, proba) == "inconsistent"
    assert _status_of(wlo - 1, proba) == "inconsistent"


def test_status_findings_have_the_right_severity():
    proba = one_hot(["救灾"] * 10 + ["社会救助"] * 5)
    report = Report(source={}, total_published=15, domains={"救灾": 10, "社会救助": 9})
    rec = reconcile(report, classification(proba))
    found = {f.cells[0]: f for f in by_rule(rec.findings, "reconcile.domain_count")}
    ok = found["declared.domains.救灾"]
    bad = found["declared.domains.社会救助"]
    assert ok.status is Status.PASS
    assert bad.status is Status.FAIL and bad.severity is Severity.ERROR
    assert bad.expected == [5, 5] and bad.actual == 9
    assert "社会救助" in bad.message and "9" in bad.message


def test_to_dict_has_exactly_the_contract_keys():
    proba = one_hot(["救灾"] * 3)
    rec = reconcile(Report(source={}, domains={"救灾": 3}), classification(proba))
    d = rec.domains[0].to_dict()
    assert set(d) == {"domain", "declared", "predicted", "expected", "interval", "status",
                      "notices", "reason"}
    assert d.pop("reason").startswith("模型判为该领域 3 条；按模型的概率")
    assert d == {"domain": "救灾", "declared": 3, "predicted": 3, "expected": 3.0,
                 "interval": [3, 3], "status": "consistent", "notices": []}
    office = classification(proba, office_domain=["救灾"] * 3, office_agrees=[True] * 3)
    d2 = reconcile(Report(source={}, domains={"救灾": 3}), office).domains[0].to_dict()
    assert set(d2) - set(d) == {"office", "reason"} and d2["office"] == 3


# ---------------------------------------------------------------- the notices behind a count


def test_notices_that_move_the_count_are_found_and_ordered():
    rows = np.zeros((6, len(LABELS)))
    j, k = LABELS.index("救灾"), LABELS.index("安全生产")
    # (救灾, 安全生产) per row
    pairs = [(0.99, 0.01),   # sure 救灾: not listed
             (0.55, 0.45),   # weak 救灾, the most uncertain
             (0.65, 0.35),   # weak 救灾
             (0.40, 0.60),   # 救灾 is a close second
             (0.05, 0.95)]   # 救灾 is a far second: not listed
    for i, (pj, pk) in enumerate(pairs):
        rows[i, j], rows[i, k] = pj, pk
    rows[5, LABELS.index(OTHER)] = 1.0            # unrelated
    report_more = Report(source={}, domains={"救灾": 5})   # declared > predicted (3)
    d = reconcile(report_more, classification(rows)).domains[0]
    assert d.predicted == 3
    assert d.notices == [3, 1, 2]  # the one that could join first, then by uncertainty
    report_less = Report(source={}, domains={"救灾": 1})   # declared < predicted
    d = reconcile(report_less, classification(rows)).domains[0]
    assert d.notices == [1, 2, 3]  # weak members first, the most uncertain first


# ---------------------------------------------------------------- other findings


def test_list_size_unknown_domain_other_and_undeclared():
    labels = ["救灾"] * 4 + ["养老服务"] * 2 + [OTHER] * 3
    report = Report(source={}, total_published=12, domains={"救灾": 4, "卫生健康": 3})
    rec = reconcile(report, classification(one_hot(labels)))
    assert [d.domain for d in rec.domains] == ["救灾"]
    assert rec.unreconciled == ["卫生健康"]
    (unknown,) = by_rule(rec.findings, "reconcile.domain_unknown")
    assert unknown.status is Status.NOT_ASSESSABLE and "卫生健康" in unknown.message
    (total,) = by_rule(rec.findings, "reconcile.list_total")
    assert total.status is Status.FAIL and (total.expected, total.actual) == (12, 9)
    (other,) = by_rule(rec.findings, "reconcile.other_notices")
    assert other.status is Status.FAIL and other.actual == 3
    (undeclared,) = by_rule(rec.findings, "reconcile.undeclared_domain")
    assert undeclared.actual == 2 and "养老服务" in undeclared.message
    assert "通知4" in undeclared.text


def test_list_total_not_assessable_without_a_declared_total():
    rec = reconcile(Report(source={}, domains={"救灾": 1}), classification(one_hot(["救灾"])))
    (total,) = by_rule(rec.findings, "reconcile.list_total")
    assert total.status is Status.NOT_ASSESSABLE


def test_duplicate_titles_ignore_width_and_spaces():
    titles = ["关于发放２０２３年救灾物资的通知", "关于发放2023年救灾物资的通知",
              "低保 名单公示", "低保  名单公示", "养老补贴公示"]
    rec = reconcile(Report(source={}, domains={"救灾": 2}),
                    classification(one_hot(["救灾"] * 5), titles))
    (dup,) = by_rule(rec.findings, "reconcile.duplicate_titles")
    assert dup.status is Status.FAIL and dup.actual == 2
    assert "救灾物资" in dup.text and "养老补贴" not in dup.text


def test_dates_outside_the_report_year_in_mixed_formats():
    dates = ["2023-01-05", "2023/12/31", "2023年6月1日", "2022年12月30日", "2024.01.02",
             "二〇二三年", None]
    report = Report(source={}, year=2023, domains={"救灾": 7})
    rec = reconcile(report, classification(one_hot(["救灾"] * 7), date=dates))
    (f,) = by_rule(rec.findings, "reconcile.date_outside_year")
    assert f.status is Status.FAIL and f.actual == 2
    assert "2022" in f.message and "2024" in f.message and "2 条日期无法识别" in f.message
    assert "通知3" in f.text and "通知4" in f.text and "通知0" not in f.text
    no_year = reconcile(Report(source={}, domains={"救灾": 7}),
                        classification(one_hot(["救灾"] * 7), date=dates))
    (na,) = by_rule(no_year.findings, "reconcile.date_outside_year")
    assert na.status is Status.NOT_ASSESSABLE


def test_office_counts_and_disagreements():
    model = ["救灾"] * 5 + ["社会救助"] * 3
    office = ["救灾"] * 4 + ["社会救助"] * 4
    agrees = [m == o for m, o in zip(model, office, strict=True)]
    report = Report(source={}, domains={"救灾": 5, "社会救助": 4})
    rec = reconcile(report, classification(one_hot(model), office_domain=office,
                                           office_agrees=agrees))
    assert {d.domain: d.office for d in rec.domains} == {"救灾": 4, "社会救助": 4}
    counts = {f.cells[0]: f for f in by_rule(rec.findings, "reconcile.office_count")}
    assert counts["declared.domains.救灾"].status is Status.FAIL
    assert counts["declared.domains.救灾"].severity is Severity.ERROR
    assert counts["declared.domains.社会救助"].status is Status.PASS
    (dis,) = by_rule(rec.findings, "reconcile.office_disagrees")
    assert dis.status is Status.FAIL and dis.actual == 1 and "通知4" in dis.text


def test_empty_list_gives_point_intervals_at_zero():
    proba = np.zeros((0, len(LABELS)))
    rec = reconcile(Report(source={}, total_published=0, domains={"救灾": 0, "安全生产": 2}),
                    classification(proba, []))
    assert [(d.interval, d.status) for d in rec.domains] == [((0, 0), "consistent"),
                                                             ((0, 0), "inconsistent")]


# ---------------------------------------------------------------- the classifier's own error


def toy_error_model(dispersion: float = 0.0) -> ErrorModel:
    """An error model on LABELS order: confident top labels are right 90–97% of the time."""
    n = len(LABELS)
    confusion = np.full((n, n), 1.0 / (n - 1))
    np.fill_diagonal(confusion, 0.0)
    return ErrorModel(LABELS, np.array([0.3, 0.9, 1.0]), np.array([0.3, 0.9, 0.97]),
                      confusion, blend=0.5, dispersion_out=dispersion, dispersion_in=dispersion,
                      n=100, sites=5)


@pytest.mark.parametrize("certain", [False, True])
def test_batched_pmf_equals_the_one_row_recursion_across_blocks(certain):
    rng = np.random.default_rng(RNG_SEED)
    p = rng.beta(0.3, 0.3, size=(4, 157))  # several blocks of 32, the last one partial
    if certain:  # trials 0 or 1 in every row are skipped or shift the count; some in one row
        p[:, rng.choice(157, 40, replace=False)] = 0.0
        p[:, rng.choice(157, 25, replace=False)] = 1.0
        p[0, :10] = 0.0
    batched = poisson_binomial_pmf(p)
    for row, probs in zip(batched, p, strict=True):
        reference = np.zeros(len(probs) + 1)
        reference[0] = 1.0
        for i, q in enumerate(probs):
            reference[1:i + 2] = reference[1:i + 2] * (1 - q) + reference[:i + 1] * q
            reference[0] *= 1 - q
        np.testing.assert_allclose(row, reference, atol=1e-13)


def test_mixture_over_the_error_multipliers_matches_brute_force():
    """Tiny list: the count is (predicted-here notices kept) + (others pulled in), each part
    a mixture over its own multiplier; enumerate every outcome of each part."""
    rng = np.random.default_rng(3)
    em = toy_error_model(dispersion=0.5)
    proba = rng.dirichlet(np.full(len(LABELS), 0.4), size=6)
    j = LABELS.index("救灾")
    proba[:2, j] += 3.0  # two notices predicted 救灾
    proba /= proba.sum(axis=1, keepdims=True)
    counts = CountModel.build(proba, LABELS, [""] * 6, em, ["救灾"])
    q = em.true_label_proba(proba)[:, j]
    top = proba.argmax(axis=1) == j
    (m_out, w_out), (m_in, w_in) = em.multipliers("out"), em.multipliers("in")
    keep = sum(w * np.array(brute_force_pmf(list(1 - np.clip(m * (1 - q[top]), 0, 1))))
               for m, w in zip(m_out, w_out, strict=True))
    pulled = sum(w * np.array(brute_force_pmf(list(np.clip(m * q[~top], 0, 1))))
                 for m, w in zip(m_in, w_in, strict=True))
    np.testing.assert_allclose(counts.pmf_low["救灾"], np.convolve(keep, pulled), atol=1e-12)
    assert len(m_in) > 1 and w_in @ m_in == pytest.approx(1.0)


def test_intervals_cover_lists_drawn_from_the_error_model():
    """Draw each list's multipliers, then each notice's true label: coverage ≥ 90%."""
    rng = np.random.default_rng(RNG_SEED)
    em = toy_error_model(dispersion=0.3)
    j = LABELS.index("救灾")
    covered, cases = 0, 0
    for _ in range(60):
        n = 80
        proba = rng.dirichlet(np.full(len(LABELS), 0.2), size=n)
        proba[np.arange(n), proba.argmax(axis=1)] += 2.0
        proba /= proba.sum(axis=1, keepdims=True)
        lo, hi = CountModel.build(proba, LABELS, [""] * n, em, ["救灾"]).intervals("救灾")[0]
        q = em.true_label_proba(proba)[:, j]
        top = proba.argmax(axis=1) == j
        for _ in range(20):  # the multipliers drawn from their Gamma distributions
            s_out = rng.gamma(1 / em.dispersion_out, em.dispersion_out)
            s_in = rng.gamma(1 / em.dispersion_in, em.dispersion_in)
            p = np.where(top, 1 - np.clip(s_out * (1 - q), 0, 1), np.clip(s_in * q, 0, 1))
            covered += lo <= (rng.random(n) < p).sum() <= hi
            cases += 1
    assert covered / cases >= 0.9, covered / cases


def test_a_boundary_notice_filed_under_the_neighbouring_domain_is_not_misreporting():
    titles = [f"{place}森林防火期野外用火管理通告" for place in "甲乙丙丁戊"] + ["消防安全检查"]
    proba = one_hot(["救灾"] * 5 + ["安全生产"])
    report = Report(source={}, domains={"救灾": 0, "安全生产": 6})
    rec = reconcile(report, classification(proba, titles))
    by_domain = {d.domain: d for d in rec.domains}
    assert by_domain["安全生产"].status == "consistent"
    assert by_domain["救灾"].status == "consistent"
    assert by_domain["安全生产"].boundary == 5 and "森林草原防灭火" in by_domain["安全生产"].reason
    # The same counts without the boundary words: a real discrepancy.
    plain = reconcile(report, classification(proba, [f"防汛通知{i}" for i in range(5)]
                                             + ["消防安全检查"]))
    assert {d.domain: d.status for d in plain.domains} == {"救灾": "inconsistent",
                                                          "安全生产": "inconsistent"}


def test_the_error_model_widens_the_interval_of_confident_notices():
    proba = one_hot(["救灾"] * 40)
    proba[:, LABELS.index("救灾")] = 0.99
    proba[:, LABELS.index(OTHER)] = 0.01
    report = Report(source={}, domains={"救灾": 36})
    raw = reconcile(report, classification(proba), ErrorModel.identity(LABELS))
    honest = reconcile(report, classification(proba), toy_error_model(dispersion=0.2))
    assert raw.domains[0].status == "inconsistent"
    assert honest.domains[0].status == "consistent"
    assert honest.domains[0].expected < raw.domains[0].expected
    assert "未见过的网站" in honest.domains[0].reason


def test_outside_findings_count_only_the_counted_rows():
    """A repost and a notice of another year are not 'undeclared' or 'other' notices."""
    titles = ["防汛通知", "防汛通知", "低保公示", "养老补贴"]
    frame_dates = ["2023-03-01", "2023-04-01", "2022-05-01", "2023-06-01"]
    proba = one_hot(["救灾", "救灾", "社会救助", OTHER])
    c = classification(proba, titles, date=frame_dates)
    rec = reconcile(Report(source={}, year=2023, domains={"救灾": 1}), c)
    (undeclared,) = by_rule(rec.findings, "reconcile.undeclared_domain")
    assert undeclared.status is Status.PASS  # the 社会救助 notice is of 2022
    (other,) = by_rule(rec.findings, "reconcile.other_notices")
    assert other.actual == 1


def test_a_long_list_of_other_notices_widens_the_interval_of_a_rare_domain():
    """300 notices, six called 安全生产 at 0.93: in a list that is nearly all 其他 those six
    are likelier false alarms than the error model's average list says, so the adapted
    reading lowers the lower end; the union never narrows the plain interval."""
    prior = np.full(len(LABELS), 0.05)
    prior[LABELS.index(OTHER)] = 1.0 - 0.05 * (len(LABELS) - 1)
    em = toy_error_model(dispersion=0.3)
    plain_em = toy_error_model(dispersion=0.3)
    em.prior = prior
    j = LABELS.index("安全生产")
    proba = np.full((300, len(LABELS)), 0.01 / (len(LABELS) - 1))
    proba[:, LABELS.index(OTHER)] = 0.99
    proba[:6] = 0.0
    proba[:6, j], proba[:6, LABELS.index(OTHER)] = 0.93, 0.07
    titles = [""] * 300
    adapted = CountModel.build(proba, LABELS, titles, em, ["安全生产"]).intervals("安全生产")
    plain = CountModel.build(proba, LABELS, titles, plain_em, ["安全生产"]).intervals("安全生产")
    for (lo, hi), (plo, phi) in zip(adapted, plain, strict=True):
        assert lo <= plo and hi >= phi
    assert adapted[1][0] < plain[1][0]
