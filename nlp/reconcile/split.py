"""Reconciling what real reports declare when they do not split by domain (issue 14).

* A split by website column (「工作动态79条，通知公告12条」) is compared, exactly, with
  the notice list's own column (栏目) counts: the office's list and its report count
  the same things, so a difference is a fact, not a model's error.
* When the report gives no domain split, the classifier's per-domain counts of the
  list (with their 90% intervals) are shown as information, and a standard domain
  with no notice at all is flagged: the standard asks every township and street office
  to publish in each of its domains.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report

# Words a column's name may carry or drop between the report and the list (「工作动态类
# 信息」 against 「工作动态」): compared without them.
_NAME_NOISE = re.compile(r"(?:类|信息|栏目|专栏|公开|的|[“”\"'《》「」\s])")


def _key(name: str) -> str:
    return _NAME_NOISE.sub("", name)


def column_findings(report: Report, columns: list[str]) -> list[Finding]:
    """Each part of a column split against the rows of the list's column of that name.

    ``columns`` is the office column's value for every counted row. Parts whose name is
    no column of the list are reported once as not assessable; nothing is said when
    the report has no column split or the list has no column.
    """
    split = report.split
    if split is None or split.kind not in ("column", "mixed") or not columns:
        return []
    listed = Counter(_key(c) for c in columns if c)
    out: list[Finding] = []
    unmatched: list[str] = []
    for name, declared in split.items.items():
        key = _key(name)
        if not key or key not in listed:
            unmatched.append(name)
            continue
        n = listed[key]
        cell = "declared.split"
        if n == declared:
            out.append(Finding("reconcile.column_count", Status.PASS, Severity.WARNING,
                               f"「{name}」年报称 {declared} 条，通知列表该栏目也是 {n} 条",
                               expected=n, actual=declared, cells=[cell]))
        else:
            out.append(Finding("reconcile.column_count", Status.FAIL, Severity.WARNING,
                               f"「{name}」年报称 {declared} 条，通知列表该栏目有 {n} 条，"
                               f"相差 {declared - n}",
                               expected=n, actual=declared, cells=[cell]))
    if out and unmatched:
        out.append(Finding("reconcile.column_count", Status.NOT_ASSESSABLE, Severity.WARNING,
                           "通知列表没有这些栏目，无从核对：" + "、".join(unmatched),
                           cells=["declared.split"]))
    return out


def domain_information(wanted: list[str], labels: tuple[str, ...], top: np.ndarray,
                       q: np.ndarray, intervals: Callable[[str], tuple[int, int]]
                       ) -> list[Finding]:
    """The list's per-domain counts as information, and each standard domain with no
    notice at all as a warning; for a report that declares no domain split."""
    out: list[Finding] = []
    for name in wanted:
        j = labels.index(name)
        predicted = int((top == j).sum())
        expected = float(q[:, j].sum()) if len(q) else 0.0
        lo, hi = intervals(name)
        if hi == 0 and predicted == 0:
            out.append(Finding(
                "reconcile.domain_empty", Status.FAIL, Severity.WARNING,
                f"年报未按领域申报；通知列表中没有一条「{name}」领域的通知", expected=None,
                actual=0, cells=[f"declared.domains.{name}"]))
            continue
        out.append(Finding(
            "reconcile.domain_information", Status.NOT_ASSESSABLE, Severity.INFO,
            f"年报未按领域申报；通知列表中模型判为「{name}」{predicted} 条，"
            f"估计 {expected:.1f} 条，90% 区间 {lo}–{hi} 条（仅供参考）",
            actual=predicted, cells=[f"declared.domains.{name}"]))
    return out
