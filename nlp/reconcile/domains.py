"""Reconciling the declared per-domain counts with the classified notice list.

A report says, for instance, 「救灾领域 24 条」. Is that what the office published? The
notice list is classified, and for each declared domain ``c`` the true number of
notices of ``c`` in the list is a random quantity whose distribution accounts for

(a) each notice's probability, recalibrated for a site the model never saw, and
(b) what the model's out-of-source errors say about notices it is confident about but
    wrong on — both by the classifier's :class:`~nlp.classifier.error_model.ErrorModel`,
    which maps the model's ``p_i`` to the distribution ``q_i`` of the notice's true label,
    with a list-level multiplier ``m`` of error rates because whole sites are harder
    than others; and
(c) the office's latitude on the guide's boundary cases (:mod:`nlp.reconcile.latitude`).

Given ``m``, the count is Poisson-binomial with probabilities ``q_i(c; m)``; over ``m`` it
is the mixture (:mod:`nlp.reconcile.counts`, exact). With latitude, the lower ends of
the intervals come from the count in which every boundary notice of ``c`` is filed under
its other label, the upper ends from the count in which each is filed under ``c``. The
90% and 99% intervals then give the status: 相符 inside the 90% interval, 存疑 outside it
but inside the 99%, 不符 outside the 99%.

The point estimate shown (``expected``) is ``Σ_i q_i(c; 1)``, the best estimate of the
true count, beside ``predicted``, the number of notices whose top label is ``c``. Each
domain gets a reason in plain Chinese (why its interval is as wide as it is) and the
notices a reviewer should read first: those that could move the count towards the
declared value, then the most uncertain.

Only counted notices enter (not reposts, not notices dated outside the report's year:
:mod:`nlp.reconcile.hygiene`). Findings use the rule ids in :data:`RULES`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlp.classifier.classify import Classification
from nlp.classifier.error_model import ErrorModel
from nlp.labels import DOMAINS
from nlp.reconcile import hygiene
from nlp.reconcile import split as split_reconcile
from nlp.reconcile.counts import (
    LEVEL,
    WIDE_LEVEL,
    ReconcileStatus,
    latitude_interval,
    poisson_binomial_pmf,
    status_for,
)
from nlp.reconcile.latitude import boundary_partners
from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report

#: A notice whose probability of a domain lies in this range is "uncertain" for it.
UNCERTAIN = (0.1, 0.9)

# Rule id -> what passing means (for docs); messages are built where the numbers are.
RULES: dict[str, str] = {
    "reconcile.domain_count":
        "申报的领域条数落在按通知列表估计的区间内（含模型误差与单位归类余地）",
    "reconcile.domain_unknown": "申报的领域不在分类器的六个领域之中，无法核对",
    "reconcile.office_count": "通知列表中单位自标的领域条数等于年报申报条数",
    "reconcile.office_disagrees": "单位自标领域与模型判断一致",
    "reconcile.list_total": "通知列表条数等于一(一)申报的发布总数",
    "reconcile.other_notices": "通知不被模型归入「其他」",
    "reconcile.undeclared_domain": "通知不被模型归入年报未申报的领域",
    "reconcile.duplicate_titles": "通知列表中没有重复标题",
    "reconcile.date_outside_year": "通知发布日期都在报告年度之内",
    "reconcile.column_count": "年报按栏目申报的条数等于通知列表该栏目（栏目列）的条数",
    "reconcile.domain_information":
        "年报未按领域申报时，列出模型按通知列表估计的各领域条数（仅供参考）",
    "reconcile.domain_empty": "年报未按领域申报时，标准的每个领域在通知列表中至少有一条通知",
}

_STATUS_SEVERITY: dict[ReconcileStatus, tuple[Status, Severity]] = {
    ReconcileStatus.CONSISTENT: (Status.PASS, Severity.INFO),
    ReconcileStatus.SUSPECT: (Status.FAIL, Severity.WARNING),
    ReconcileStatus.INCONSISTENT: (Status.FAIL, Severity.ERROR),
}
_STATUS_ZH: dict[ReconcileStatus, str] = {
    ReconcileStatus.CONSISTENT: "相符",
    ReconcileStatus.SUSPECT: "存疑（在 90% 区间外、99% 区间内）",
    ReconcileStatus.INCONSISTENT: "不符（在 99% 区间外）",
}


@dataclass
class DomainReconciliation:
    """One declared domain against the notice list.

    Attributes
    ----------
    domain : str
        The domain name as :attr:`Report.domains` keys it.
    declared : int
        The count the report declares.
    predicted : int
        Counted notices whose most probable label is this domain.
    expected : float
        The best estimate of the true count, ``Σ q_i`` (module docstring).
    interval, wide_interval : (int, int)
        The 90% and 99% intervals of the true count, latitude included.
    status : str
        ``consistent``, ``suspect`` or ``inconsistent``.
    notices : list of int
        0-based rows of the list a reviewer should read first, most useful first.
    office : int or None
        Counted notices the office itself labelled with this domain, when the list says.
    reason : str
        Why the interval is as wide as it is, in plain Chinese.
    uncertain, boundary : int
        Notices uncertain for this domain; boundary notices that may count or not.
    """

    domain: str
    declared: int
    predicted: int
    expected: float
    interval: tuple[int, int]
    status: str
    notices: list[int] = field(default_factory=list)
    office: int | None = None
    wide_interval: tuple[int, int] | None = None
    reason: str = ""
    uncertain: int = 0
    boundary: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The contract's reconciliation object (``office`` only when known)."""
        out: dict[str, Any] = {
            "domain": self.domain,
            "declared": self.declared,
            "predicted": self.predicted,
            "expected": round(float(self.expected), 1),
            "interval": [int(self.interval[0]), int(self.interval[1])],
            "status": self.status,
            "notices": [int(i) for i in self.notices],
            "reason": self.reason,
        }
        if self.office is not None:
            out["office"] = int(self.office)
        return out


@dataclass
class Reconciliation:
    """The reconciliation of a notice list with a report.

    Attributes
    ----------
    domains : list of DomainReconciliation
        One per declared domain that is one of the classifier's six, in the report's order.
    findings : list of Finding
        ``reconcile.*`` findings, for :class:`nlp.consistency.CheckResult`.
    unreconciled : list of str
        Declared domains outside the classifier's labels.
    n_notices : int
        Rows of the notice list.
    """

    domains: list[DomainReconciliation]
    findings: list[Finding]
    unreconciled: list[str] = field(default_factory=list)
    n_notices: int = 0


@dataclass
class CountModel:
    """The distributions of every label's true count in one list (module docstring).

    Built once per list: :meth:`intervals` then reads one label's intervals. There are
    two readings of the notices: ``q`` as the error model gives it, calibrated for the
    mix of labels of the real rows it was fitted on, and ``q`` re-weighted to this
    list's own mix (:meth:`ErrorModel.adapt`). The adapted reading fixes what a
    mostly-其他 list does to the plain one (a few 其他 notices taken for a domain with
    few notices of its own), but it rests on the list's mix estimated from the same
    probabilities; so each interval is the union of the two, and a verdict is 不符 only
    when the count is outside both readings.
    """

    q: np.ndarray  # (n, L): each notice's true-label distribution (plain reading)
    top: np.ndarray  # (n,): the model's top label
    labels: tuple[str, ...]
    partners: dict[str, dict[int, tuple[str, str]]]
    pmf_low: dict[str, np.ndarray]
    pmf_high: dict[str, np.ndarray]
    measured: bool = True  # whether the error model was measured on other sites
    #: The same distributions under the adapted reading (empty when there is none).
    adapted_low: dict[str, np.ndarray] = field(default_factory=dict)
    adapted_high: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, proba: np.ndarray, labels: tuple[str, ...], titles: list[str],
              error_model: ErrorModel, wanted: list[str]) -> CountModel:
        """Distributions of the labels in ``wanted`` for notices with model ``proba``."""
        n = len(proba)
        order = [labels.index(lab) for lab in error_model.labels]
        em_proba = proba[:, order] if n else np.zeros((0, len(order)))
        back = [error_model.labels.index(lab) for lab in labels]
        plain = error_model.true_label_proba(em_proba)
        q = plain[:, back]
        top = proba.argmax(axis=1) if n else np.zeros(0, dtype=int)
        partners = boundary_partners(titles, q, labels)
        low, high = _count_mixtures(q, top, labels, partners, error_model, wanted)
        adapted_low: dict[str, np.ndarray] = {}
        adapted_high: dict[str, np.ndarray] = {}
        if error_model.prior is not None and n:
            adapted = error_model.adapt(plain)[:, back]
            adapted_low, adapted_high = _count_mixtures(adapted, top, labels, partners,
                                                        error_model, wanted)
        return cls(q, top, labels, partners, low, high, measured=error_model.n > 0,
                   adapted_low=adapted_low, adapted_high=adapted_high)

    def intervals(self, label: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """The 90% and 99% intervals of ``label``'s count: the union of both readings."""
        readings = [(self.pmf_low, self.pmf_high)]
        if label in self.adapted_low:
            readings.append((self.adapted_low, self.adapted_high))

        def union(level: float) -> tuple[int, int]:
            ends = [latitude_interval(low[label], high[label], level) for low, high in readings]
            return min(lo for lo, _ in ends), max(hi for _, hi in ends)

        return union(LEVEL), union(WIDE_LEVEL)


def _count_mixtures(q: np.ndarray, top: np.ndarray, labels: tuple[str, ...],
                    partners: dict[str, dict[int, tuple[str, str]]], error_model: ErrorModel,
                    wanted: list[str]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Each wanted label's count distribution, boundary notices out (low) and in (high).

    For a label ``c`` the count is the sum of two independent parts — the notices
    predicted ``c`` that truly are ``c``, and the others that truly are ``c`` — each a
    mixture over its own multiplier (``s_out``, ``s_in``); the distribution of the
    count is the convolution of the two mixtures.
    """
    n = len(q)
    (s_out, w_out), (s_in, w_in) = error_model.multipliers("out"), error_model.multipliers("in")
    weight = {"out": w_out, "in": w_in}
    rows, slots = [], []  # one row of probabilities per (label, scenario, part, multiplier)
    for label in wanted:
        j = labels.index(label)
        flexible = partners[label]
        for scenario in ("low", "high") if flexible else ("both",):
            base = q[:, j].copy()
            fixed = np.zeros(n, dtype=bool)  # boundary notices: filed here or not
            for row, (other, _) in flexible.items():
                both = q[row, j] + q[row, labels.index(other)]
                base[row] = 0.0 if scenario == "low" else both
                fixed[row] = True
            is_top = (top == j) & ~fixed
            scaled = ~is_top & ~fixed
            for m in s_out:  # the notices predicted here, each missed with s_out (1 - q)
                p = np.zeros(n)
                p[is_top] = 1.0 - np.clip(m * (1.0 - base[is_top]), 0.0, 1.0)
                rows.append(p)
                slots.append((label, scenario, "out"))
            for m in s_in:  # the others, each pulled in with s_in q; boundary ones as set
                p = np.where(is_top, 0.0, base)
                p[scaled] = np.clip(m * base[scaled], 0.0, 1.0)
                rows.append(p)
                slots.append((label, scenario, "in"))
    # One batched call per part: the rows of a part share their trials, and the
    # pmf skips those that are 0 in all of them (most, in the "kept" part).
    rows_of: dict[tuple[str, str, str], list[np.ndarray]] = {}
    for p, slot in zip(rows, slots, strict=True):
        rows_of.setdefault(slot, []).append(p)
    mixed: dict[tuple[str, str], np.ndarray] = {}
    for key in dict.fromkeys((lab, sc) for lab, sc, _ in slots):
        parts = [weight[part] @ poisson_binomial_pmf(
                     np.array(rows_of[(*key, part)]).reshape(len(rows_of[(*key, part)]), n))
                 for part in ("out", "in")]
        mixed[key] = np.convolve(parts[0], parts[1])[: n + 1]
    low = {lab: mixed.get((lab, "low"), mixed.get((lab, "both"))) for lab in wanted}
    high = {lab: mixed.get((lab, "high"), mixed.get((lab, "both"))) for lab in wanted}
    return low, high


def reconcile(report: Report, classification: Classification,
              error_model: ErrorModel | None = None) -> Reconciliation:
    """Compare each declared domain count with what the notice list supports.

    Parameters
    ----------
    report : Report
        The parsed annual report; :attr:`Report.domains` gives the declared counts.
    classification : Classification
        The classified notice list of the same office and year.
    error_model : ErrorModel, optional
        The classifier's out-of-source error (default: the one the classification
        carries from the model's manifest, else the probabilities as they are).

    Returns
    -------
    Reconciliation
        Per-domain counts, intervals, statuses and reasons, and ``reconcile.*`` findings.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from nlp.labels import LABELS
    >>> proba = np.zeros((3, len(LABELS))); proba[:, LABELS.index("救灾")] = 1.0
    >>> c = Classification(pd.DataFrame({"title": ["甲", "乙", "丙"]}), proba, "title")
    >>> r = reconcile(Report(source={}, domains={"救灾": 3}), c)
    >>> r.domains[0].to_dict()["interval"], r.domains[0].status
    ([3, 3], 'consistent')
    """
    frame = classification.frame.reset_index(drop=True)
    proba = np.asarray(classification.proba, dtype=float)
    labels = tuple(classification.labels)
    titles = frame[classification.title_column].astype(str).tolist() \
        if classification.title_column in frame.columns else [""] * len(frame)
    if error_model is None:
        error_model = classification.error_model or ErrorModel.identity(labels)

    # Reposts and notices of another year do not count towards this year's totals;
    # they are still listed in their own findings below.
    keys = hygiene.title_keys(titles)
    dates = None
    if classification.date_column and classification.date_column in frame.columns:
        dates = hygiene.parse_dates(frame[classification.date_column])
    counted = hygiene.counted_rows(keys, dates, report.year)
    counted_titles = [titles[i] for i in counted]
    office_counts: Counter[str] | None = None
    if classification.office_column and "office_domain" in frame.columns:
        office_counts = Counter(str(v) for v in frame["office_domain"].iloc[counted].dropna())

    wanted = [name for name in report.domains if name in DOMAINS and name in labels]
    if not report.domains:  # no domain split: the list's own per-domain counts, as information
        wanted = [name for name in DOMAINS if name in labels]
    counts = CountModel.build(proba[counted], labels, counted_titles, error_model, wanted)

    domains: list[DomainReconciliation] = []
    findings: list[Finding] = []
    unreconciled: list[str] = []
    for name, declared in report.domains.items():
        cell = f"declared.domains.{name}"
        if name not in wanted:
            unreconciled.append(name)
            findings.append(Finding(
                "reconcile.domain_unknown", Status.NOT_ASSESSABLE, Severity.INFO,
                f"年报申报了「{name}」{declared} 条，该领域不在分类器的六个领域之中，"
                "无法与通知列表核对",
                actual=declared, cells=[cell]))
            continue
        d = _reconcile_domain(name, int(declared), counts)
        d.notices = [int(counted[i]) for i in d.notices]
        if office_counts is not None:
            d.office = office_counts.get(name, 0)
        domains.append(d)
        findings.append(_domain_finding(d, cell))
        if d.office is not None:
            findings.append(_office_count_finding(d, cell))

    if not report.domains:
        findings.extend(split_reconcile.domain_information(
            wanted, labels, counts.top, counts.q, lambda name: counts.intervals(name)[0]))
    if classification.office_column and classification.office_column in frame.columns:
        columns = frame[classification.office_column].iloc[counted].fillna("").astype(str)
        findings.extend(split_reconcile.column_findings(report, columns.tolist()))
    findings.append(hygiene.list_total_finding(report, len(counted), len(frame)))
    top_labels = [labels[i] for i in counts.top]
    findings.extend(hygiene.outside_findings(report, top_labels, counted_titles))
    findings.append(hygiene.duplicate_finding(keys))
    if classification.date_column:
        findings.append(hygiene.date_finding(report, dates, classification.date_column, titles))
    if classification.office_column and "office_agrees" in frame.columns:
        findings.append(hygiene.office_disagree_finding(frame, titles))
    return Reconciliation(domains, findings, unreconciled, len(frame))


def _reconcile_domain(name: str, declared: int, counts: CountModel) -> DomainReconciliation:
    j = counts.labels.index(name)
    q = counts.q[:, j] if len(counts.q) else np.zeros(0)
    interval, wide = counts.intervals(name)
    predicted = int((counts.top == j).sum())
    expected = float(q.sum())
    status = status_for(declared, interval, wide)
    flexible = counts.partners[name]
    uncertain = (q > UNCERTAIN[0]) & (q < UNCERTAIN[1])
    d = DomainReconciliation(
        domain=name, declared=declared, predicted=predicted, expected=expected,
        interval=interval, status=status.value, wide_interval=wide,
        notices=_notices_to_read(q, counts.top == j, flexible, declared - expected),
        uncertain=int(uncertain.sum()), boundary=len(flexible))
    d.reason = _reason(d, q, counts.top == j, flexible, counts.measured)
    return d


def _notices_to_read(q: np.ndarray, is_top: np.ndarray, flexible: dict[int, tuple[str, str]],
                     gap: float) -> list[int]:
    """Rows whose true label could decide the count, most useful first.

    Candidates: notices uncertain for the domain, boundary notices, and notices whose
    top label is the domain but with some doubt (``q < UNCERTAIN[1]``). When the list
    supports fewer than declared (``gap > 0``) notices that could *join* come first;
    when more, those that could *leave*; then by the variance ``q (1 - q)``.
    """
    candidates = ((q > UNCERTAIN[0]) & (q < UNCERTAIN[1])) | (is_top & (q < UNCERTAIN[1]))
    rows = set(np.flatnonzero(candidates).tolist()) | set(flexible)
    could_join = ~is_top
    toward = could_join if gap > 0 else is_top if gap < 0 else np.zeros(len(q), dtype=bool)
    return sorted(rows, key=lambda i: (not toward[i], i not in flexible,
                                       -q[i] * (1 - q[i]), i))


def _reason(d: DomainReconciliation, q: np.ndarray, is_top: np.ndarray,
            flexible: dict[int, tuple[str, str]], measured: bool) -> str:
    """Why the interval is as wide as it is, in plain Chinese."""
    parts = [f"模型判为该领域 {d.predicted} 条"]
    doubtful_in = int((is_top & (q < UNCERTAIN[1])).sum())
    maybe_in = int((~is_top & (q > UNCERTAIN[0])).sum())
    if doubtful_in:
        parts[-1] += f"，其中 {doubtful_in} 条把握不足 {UNCERTAIN[1]:.0%}"
    if maybe_in:
        parts.append(f"另有 {maybe_in} 条可能属于该领域")
    spread = float(np.sqrt((q * (1 - q)).sum()))
    basis = "按模型在未见过的网站上的误差" if measured else "按模型的概率（未测得跨网站误差）"
    parts.append(f"{basis}，估计实际约 {d.expected:.1f} 条（±{spread:.1f}）")
    if flexible:
        rules = sorted({rule for _, rule in flexible.values()})
        parts.append(f"{len(flexible)} 条属标准的边界情形（{'、'.join(rules)}），"
                     "单位可归入相邻领域")
    lo, hi = d.interval
    parts.append(f"故 90% 区间为 {lo}–{hi} 条")
    return "；".join(parts)


def _domain_finding(d: DomainReconciliation, cell: str) -> Finding:
    status = ReconcileStatus(d.status)
    fstatus, severity = _STATUS_SEVERITY[status]
    lo, hi = d.interval
    msg = (f"「{d.domain}」年报称 {d.declared} 条；按通知列表，模型判为该领域 {d.predicted} 条，"
           f"估计 {d.expected:.1f} 条，90% 区间 {lo}–{hi} 条：{_STATUS_ZH[status]}")
    return Finding("reconcile.domain_count", fstatus, severity, msg,
                   expected=[lo, hi], actual=d.declared, cells=[cell], text=d.reason)


def _office_count_finding(d: DomainReconciliation, cell: str) -> Finding:
    ok = d.office == d.declared
    msg = (f"「{d.domain}」通知列表中单位自标 {d.office} 条，年报称 {d.declared} 条"
           + ("，一致" if ok else "，不一致"))
    return Finding("reconcile.office_count", Status.PASS if ok else Status.FAIL,
                   Severity.INFO if ok else Severity.ERROR, msg,
                   expected=d.declared, actual=d.office, cells=[cell])
