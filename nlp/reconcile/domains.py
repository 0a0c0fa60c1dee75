"""Reconciling the notice list with the counts the report declares per domain.

A report says, for instance, 「救灾领域 24 条」. The classifier gives each notice of the
office's list a calibrated probability for each of the six domains, so the number of
救灾 notices in the list is a random variable: the sum of independent Bernoulli trials
with success probabilities ``proba[:, 救灾]`` — a *Poisson-binomial* count. We compute its
distribution exactly by dynamic programming (no normal approximation: lists are short
and probabilities extreme, where the approximation is poor) and ask whether the declared
count is a plausible value of it.

Intervals and statuses
----------------------
For a level ``L`` the interval ``[lo, hi]`` is the equal-tailed quantile interval of the
exact distribution: ``lo`` is the smallest ``k`` with ``P(X <= k) >= (1 - L) / 2`` and
``hi`` the smallest ``k`` with ``P(X <= k) >= (1 + L) / 2``. Because the distribution is
discrete, ``P(lo <= X <= hi) >= L`` always holds (the interval never under-covers).

The status of a declared count ``d`` is

* ``consistent`` — ``d`` lies inside the 90% interval;
* ``suspect`` — ``d`` lies outside the 90% interval but inside the 99% interval
  ("just outside" means exactly this);
* ``inconsistent`` — ``d`` lies outside the 99% interval.

Notices that move the count
---------------------------
For a domain, a notice is listed when it is predicted in that domain with low confidence
(``proba < LOW_CONFIDENCE``), or when that domain is its second most probable label and
holds at least ``CLOSE_SECOND`` of the top label's probability. They are sorted first by
whether re-labelling them moves the count *towards* the declared value (notices that could
leave the domain when the model counts more than declared, notices that could join it when
it counts fewer), then by their variance ``p (1 - p)`` — the notices the model is least sure
about matter most — then by position.

Findings use the rule ids in :data:`RULES`; messages are in Chinese.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from nlp.classifier.classify import Classification
from nlp.labels import DOMAINS, OTHER
from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report
from nlp.text import collapse_spaces, to_halfwidth

#: Level of the interval a declared count must fall in to be ``consistent``.
LEVEL = 0.90
#: Level of the wider interval that separates ``suspect`` from ``inconsistent``.
WIDE_LEVEL = 0.99
#: A notice predicted in a domain with less probability than this is "low confidence".
LOW_CONFIDENCE = 0.7
#: A second label counts as "close" when its probability is at least this share of the top one.
CLOSE_SECOND = 0.5
#: How many titles a finding quotes before it says 「等」.
QUOTE_TITLES = 5


class ReconcileStatus(str, Enum):
    """Verdict on one declared count. Values are the contract's strings."""

    CONSISTENT = "consistent"
    SUSPECT = "suspect"
    INCONSISTENT = "inconsistent"


# Rule id -> what passing means (for docs); messages are built where the numbers are.
RULES: dict[str, str] = {
    "reconcile.domain_count": "申报的领域条数落在模型按通知列表估计的区间内",
    "reconcile.domain_unknown": "申报的领域不在分类器的六个领域之中，无法核对",
    "reconcile.office_count": "通知列表中单位自标的领域条数等于年报申报条数",
    "reconcile.office_disagrees": "单位自标领域与模型判断一致",
    "reconcile.list_total": "通知列表条数等于一(一)申报的发布总数",
    "reconcile.other_notices": "通知不被模型归入「其他」",
    "reconcile.undeclared_domain": "通知不被模型归入年报未申报的领域",
    "reconcile.duplicate_titles": "通知列表中没有重复标题",
    "reconcile.date_outside_year": "通知发布日期都在报告年度之内",
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
        Notices whose most probable label is this domain.
    expected : float
        Sum of the calibrated probabilities: the mean of the Poisson-binomial count.
    interval : (int, int)
        The 90% interval of that count (see the module docstring).
    status : str
        ``consistent``, ``suspect`` or ``inconsistent``.
    notices : list of int
        0-based row positions of the notices that move the count, most important first.
    office : int or None
        Notices the office itself labelled with this domain, when the list says.
    wide_interval : (int, int)
        The 99% interval, which decides between ``suspect`` and ``inconsistent``.
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


# ---------------------------------------------------------------- the distribution


def poisson_binomial_pmf(p: np.ndarray | list[float]) -> np.ndarray:
    """Exact distribution of the number of successes of independent Bernoulli(p_i) trials.

    Dynamic programming over the trials, O(n²): after trial ``i`` the array holds
    ``P(count = k)`` for ``k = 0..i``.

    >>> poisson_binomial_pmf([0.5, 0.5]).round(3).tolist()
    [0.25, 0.5, 0.25]
    >>> poisson_binomial_pmf([]).tolist()
    [1.0]
    """
    probs = np.clip(np.asarray(p, dtype=float).ravel(), 0.0, 1.0)
    pmf = np.zeros(probs.size + 1)
    pmf[0] = 1.0
    for i, q in enumerate(probs):
        # new[k] = old[k] (1 - q) + old[k - 1] q, for k = 0..i+1; update high k first.
        pmf[1 : i + 2] = pmf[1 : i + 2] * (1.0 - q) + pmf[0 : i + 1] * q
        pmf[0] *= 1.0 - q
    return pmf


def quantile_interval(pmf: np.ndarray, level: float) -> tuple[int, int]:
    """The equal-tailed ``level`` interval of a distribution on 0..n.

    >>> quantile_interval(poisson_binomial_pmf([0.5] * 10), 0.9)
    (2, 8)
    """
    cdf = np.cumsum(pmf)
    tail = (1.0 - level) / 2.0
    eps = 1e-12  # the cumulative sum is not exact; do not let rounding move a bound
    lo = int(np.searchsorted(cdf, tail - eps, side="left"))
    hi = int(np.searchsorted(cdf, 1.0 - tail - eps, side="left"))
    return lo, min(hi, pmf.size - 1)


def status_for(declared: int, interval: tuple[int, int],
               wide_interval: tuple[int, int]) -> ReconcileStatus:
    """Classify a declared count against the 90% and 99% intervals.

    >>> status_for(5, (3, 6), (2, 8)).value
    'consistent'
    >>> status_for(8, (3, 6), (2, 8)).value
    'suspect'
    >>> status_for(9, (3, 6), (2, 8)).value
    'inconsistent'
    """
    if interval[0] <= declared <= interval[1]:
        return ReconcileStatus.CONSISTENT
    if wide_interval[0] <= declared <= wide_interval[1]:
        return ReconcileStatus.SUSPECT
    return ReconcileStatus.INCONSISTENT


# ---------------------------------------------------------------- reconcile


def reconcile(report: Report, classification: Classification) -> Reconciliation:
    """Compare each declared domain count with what the notice list supports.

    Parameters
    ----------
    report : Report
        The parsed annual report; :attr:`Report.domains` gives the declared counts.
    classification : Classification
        The classified notice list of the same office and year.

    Returns
    -------
    Reconciliation
        Per-domain counts, intervals and statuses, and ``reconcile.*`` findings.

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
    top = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    predicted_labels = [labels[i] for i in top]

    # Reposts and notices of another year do not count towards this year's totals;
    # they are still listed in their own findings below.
    keys = title_keys(titles)
    dates = None
    if classification.date_column and classification.date_column in frame.columns:
        dates = parse_dates(frame[classification.date_column])
    counted = counted_rows(keys, dates, report.year)
    office_counts: Counter[str] | None = None
    if classification.office_column and "office_domain" in frame.columns:
        office_counts = Counter(str(v) for v in frame["office_domain"].iloc[counted].dropna())

    domains: list[DomainReconciliation] = []
    findings: list[Finding] = []
    unreconciled: list[str] = []
    for name, declared in report.domains.items():
        cell = f"declared.domains.{name}"
        if name not in DOMAINS or name not in labels:
            unreconciled.append(name)
            findings.append(Finding(
                "reconcile.domain_unknown", Status.NOT_ASSESSABLE, Severity.INFO,
                f"年报申报了「{name}」{declared} 条，该领域不在分类器的六个领域之中，"
                "无法与通知列表核对",
                actual=declared, cells=[cell]))
            continue
        d = _reconcile_domain(name, int(declared), proba[counted], labels, top[counted])
        d.notices = [int(counted[i]) for i in d.notices]
        if office_counts is not None:
            d.office = office_counts.get(name, 0)
        domains.append(d)
        findings.append(_domain_finding(d, cell))
        if d.office is not None:
            findings.append(_office_count_finding(d, cell))

    findings.append(_list_total_finding(report, len(counted), len(frame)))
    findings.extend(_outside_findings(report, predicted_labels, titles))
    findings.append(_duplicate_finding(keys))
    if classification.date_column:
        findings.append(_date_finding(report, dates, classification.date_column, titles))
    if classification.office_column and "office_agrees" in frame.columns:
        findings.append(_office_disagree_finding(frame, titles))
    return Reconciliation(domains, findings, unreconciled, len(frame))


def _reconcile_domain(name: str, declared: int, proba: np.ndarray, labels: tuple[str, ...],
                      top: np.ndarray) -> DomainReconciliation:
    j = labels.index(name)
    p = proba[:, j] if len(proba) else np.zeros(0)
    pmf = poisson_binomial_pmf(p)
    interval = quantile_interval(pmf, LEVEL)
    wide = quantile_interval(pmf, WIDE_LEVEL)
    predicted = int((top == j).sum())
    status = status_for(declared, interval, wide)
    return DomainReconciliation(
        domain=name, declared=declared, predicted=predicted, expected=float(p.sum()),
        interval=interval, status=status.value,
        notices=_moving_notices(proba, j, top, declared - predicted), wide_interval=wide)


def _moving_notices(proba: np.ndarray, j: int, top: np.ndarray, gap: int) -> list[int]:
    """Rows whose label could plausibly flip into or out of domain ``j``, most important first."""
    if not len(proba):
        return []
    p = proba[:, j]
    top_p = proba.max(axis=1)
    ranked = np.argsort(-proba, axis=1, kind="stable")
    second = ranked[:, 1] if proba.shape[1] > 1 else np.full(len(proba), -1)
    weak_in = (top == j) & (p < LOW_CONFIDENCE)
    close_out = (top != j) & (second == j) & (p >= CLOSE_SECOND * top_p) & (p > 0)
    rows = np.flatnonzero(weak_in | close_out)
    # gap > 0: the model counts fewer than declared, so notices that could join matter most.
    toward = close_out if gap > 0 else weak_in if gap < 0 else np.zeros(len(p), dtype=bool)
    order = sorted(rows, key=lambda i: (not toward[i], -p[i] * (1 - p[i]), i))
    return [int(i) for i in order]


def _domain_finding(d: DomainReconciliation, cell: str) -> Finding:
    status = ReconcileStatus(d.status)
    fstatus, severity = _STATUS_SEVERITY[status]
    lo, hi = d.interval
    msg = (f"「{d.domain}」年报称 {d.declared} 条；按通知列表，模型判为该领域 {d.predicted} 条，"
           f"期望 {d.expected:.1f} 条，90% 区间 {lo}–{hi} 条：{_STATUS_ZH[status]}")
    return Finding("reconcile.domain_count", fstatus, severity, msg,
                   expected=[lo, hi], actual=d.declared, cells=[cell])


def _office_count_finding(d: DomainReconciliation, cell: str) -> Finding:
    ok = d.office == d.declared
    msg = (f"「{d.domain}」通知列表中单位自标 {d.office} 条，年报称 {d.declared} 条"
           + ("，一致" if ok else "，不一致"))
    return Finding("reconcile.office_count", Status.PASS if ok else Status.FAIL,
                   Severity.INFO if ok else Severity.ERROR, msg,
                   expected=d.declared, actual=d.office, cells=[cell])


def title_keys(titles: list[str]) -> list[str]:
    """Titles with widths and spaces folded: two notices with the same key are one repost.

    >>> title_keys(["防汛 通知", "防汛\u3000 通知 ", "ＡＢ"])
    ['防汛 通知', '防汛 通知', 'AB']
    """
    return [collapse_spaces(to_halfwidth(t)) for t in titles]


def counted_rows(keys: list[str], dates: pd.Series | None, year: int | None) -> np.ndarray:
    """Positions of the notices that count towards the year's totals.

    A repeat of an earlier title key and a notice dated in another year than the
    report's are left out; a notice without a readable date is kept.

    >>> dates = parse_dates(pd.Series(["2023-01-02", "2022-12-30", "2023-05-01"]))
    >>> counted_rows(["甲", "乙", "甲"], dates, 2023).tolist()
    [0]
    """
    series = pd.Series(keys, dtype=object)
    keep = ~(series.duplicated() & series.ne("")).to_numpy()
    if dates is not None and year is not None:
        keep &= ~(dates.notna() & (dates.dt.year != year)).to_numpy()
    return np.flatnonzero(keep)


def _list_total_finding(report: Report, n: int, listed: int) -> Finding:
    cells = ["declared.total_published"]
    if report.total_published is None:
        return Finding("reconcile.list_total", Status.NOT_ASSESSABLE, Severity.INFO,
                       f"年报未写明发布总数，无法与通知列表的 {n} 条核对",
                       actual=n, cells=cells)
    ok = n == report.total_published
    left_out = f"（列表 {listed} 条，除去重复和非本年度的 {listed - n} 条）" if listed != n else ""
    msg = f"通知列表计入本年度 {n} 条{left_out}，一(一)称发布 {report.total_published} 条"
    msg += "" if ok else "，不一致"
    return Finding("reconcile.list_total", Status.PASS if ok else Status.FAIL,
                   Severity.INFO if ok else Severity.WARNING, msg,
                   expected=report.total_published, actual=n, cells=cells)


def _outside_findings(report: Report, predicted: list[str], titles: list[str]) -> list[Finding]:
    """Notices the model puts in 其他 or in a domain the report does not declare."""
    out: list[Finding] = []
    others = [i for i, lab in enumerate(predicted) if lab == OTHER]
    if others:
        out.append(Finding(
            "reconcile.other_notices", Status.FAIL, Severity.INFO,
            f"{len(others)} 条通知被模型归入「{OTHER}」，不属于六个领域",
            actual=len(others), text=_quote(titles, others)))
    else:
        out.append(Finding("reconcile.other_notices", Status.PASS, Severity.INFO,
                           f"没有通知被模型归入「{OTHER}」", actual=0))
    undeclared = Counter(lab for lab in predicted if lab != OTHER and lab not in report.domains)
    for lab, count in sorted(undeclared.items(), key=lambda kv: (-kv[1], kv[0])):
        rows = [i for i, x in enumerate(predicted) if x == lab]
        out.append(Finding(
            "reconcile.undeclared_domain", Status.FAIL, Severity.WARNING,
            f"{count} 条通知被模型归入「{lab}」，但年报未申报该领域",
            expected=0, actual=count, cells=["declared.domains"], text=_quote(titles, rows)))
    if not undeclared:
        out.append(Finding("reconcile.undeclared_domain", Status.PASS, Severity.INFO,
                           "没有通知被模型归入年报未申报的领域", actual=0,
                           cells=["declared.domains"]))
    return out


def _duplicate_finding(keys: list[str]) -> Finding:
    counts = Counter(k for k in keys if k)
    dup_rows = [i for i, k in enumerate(keys) if counts.get(k, 0) > 1]
    extra = sum(c - 1 for c in counts.values() if c > 1)
    if not extra:
        return Finding("reconcile.duplicate_titles", Status.PASS, Severity.INFO,
                       "通知列表中没有重复标题", actual=0)
    first_rows = list(dict.fromkeys(keys[i] for i in dup_rows))
    quoted = _quote(first_rows, list(range(len(first_rows))))
    return Finding("reconcile.duplicate_titles", Status.FAIL, Severity.WARNING,
                   f"通知列表中有 {len(first_rows)} 个标题重复出现（多出 {extra} 条），"
                   "可能重复计数", expected=0, actual=extra, text=quoted)


_DATE_SEP_RE = re.compile(r"[年月/.]")


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as notice lists write them (``2023-05-06``, ``2023/5/6``, ``2023年5月6日``,
    ``2023.05.06``, Excel datetimes), as ``Timestamp`` or ``NaT``.

    >>> parse_dates(pd.Series(["2023年5月6日", "2023/05/07", "2023.5.8", "无"])).dt.day.tolist()
    [6.0, 7.0, 8.0, nan]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.map(lambda v: "" if pd.isna(v) else to_halfwidth(str(v)).strip())
    text = text.str.replace("日", "", regex=False).str.replace(_DATE_SEP_RE, "-", regex=True)
    text = text.str.replace(r"-+", "-", regex=True).str.strip("- ")
    return pd.to_datetime(text, errors="coerce", format="mixed")


def _date_finding(report: Report, dates: pd.Series | None, column: str,
                  titles: list[str]) -> Finding:
    if report.year is None:
        return Finding("reconcile.date_outside_year", Status.NOT_ASSESSABLE, Severity.INFO,
                       "年报未写明报告年度，无法核对通知发布日期", cells=["year"])
    if dates is None:
        return Finding("reconcile.date_outside_year", Status.NOT_ASSESSABLE, Severity.INFO,
                       f"通知列表没有日期列「{column}」", cells=["year"])
    unread = int(dates.isna().sum())
    outside = [int(i) for i in np.flatnonzero(dates.notna() & (dates.dt.year != report.year))]
    note = f"（另有 {unread} 条日期无法识别）" if unread else ""
    if not outside:
        return Finding("reconcile.date_outside_year", Status.PASS, Severity.INFO,
                       f"通知发布日期都在 {report.year} 年内{note}", expected=report.year,
                       actual=0, cells=["year"])
    years = sorted({int(y) for y in dates.iloc[outside].dt.year})
    return Finding("reconcile.date_outside_year", Status.FAIL, Severity.WARNING,
                   f"{len(outside)} 条通知的发布日期不在报告年度 {report.year} 年"
                   f"（{'、'.join(map(str, years))} 年）{note}",
                   expected=report.year, actual=len(outside), cells=["year"],
                   text=_quote(titles, outside))


def _office_disagree_finding(frame: pd.DataFrame, titles: list[str]) -> Finding:
    agrees = frame["office_agrees"]
    rows = [int(i) for i in np.flatnonzero(agrees.eq(False).to_numpy())]  # NaN = unknown
    if not rows:
        return Finding("reconcile.office_disagrees", Status.PASS, Severity.INFO,
                       "单位自标领域与模型判断一致", actual=0)
    return Finding("reconcile.office_disagrees", Status.FAIL, Severity.WARNING,
                   f"{len(rows)} 条通知的单位自标领域与模型判断不一致，请人工复核",
                   expected=0, actual=len(rows), text=_quote(titles, rows))


def _quote(titles: list[str], rows: list[int]) -> str:
    shown = "".join(f"「{titles[i]}」" for i in rows[:QUOTE_TITLES])
    return shown + ("等" if len(rows) > QUOTE_TITLES else "")
