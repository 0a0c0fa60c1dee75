"""The few lines ``disclosure check --summary`` prints on the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.report.findings import Severity

if TYPE_CHECKING:
    from nlp.consistency import CheckResult


def summary_lines(result: CheckResult, *, most: int = 5) -> list[str]:
    """Counts of errors and warnings, the first failures, and a verdict per domain."""
    errors = result.failures(Severity.ERROR)
    warnings = result.failures(Severity.WARNING)
    unit = result.report.unit or "（未识别单位）"
    year = result.report.year or "？"
    lines = [f"{unit} {year} 年报: {len(errors)} 个错误, {len(warnings)} 个警告, "
             f"{len(result.findings)} 项检查"]
    for finding in (errors + warnings)[:most]:
        lines.append(f"  [{finding.severity.value}] {finding.rule}: {finding.message}")
    if len(errors) + len(warnings) > most:
        lines.append(f"  … 另有 {len(errors) + len(warnings) - most} 项，见报告")
    if result.reconciliation is not None:
        for d in result.reconciliation.domains:
            lo, hi = d.interval
            lines.append(f"  {d.domain}: 申报 {d.declared}, 判定 {d.predicted}, "
                         f"90% 区间 [{lo}, {hi}] → {d.status}")
    return lines
