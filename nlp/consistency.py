"""The consistency check: the rules on a report, and with a notice list the reconciliation.

``check`` is pure: it takes a parsed :class:`~nlp.report.Report` (and optionally the
classified notices and last year's report) and returns a :class:`CheckResult` that the
renderers turn into HTML, Markdown, JSON or XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report

if TYPE_CHECKING:
    from nlp.classifier.classify import Classification
    from nlp.reconcile import Reconciliation

SCHEMA = "disclosure.check/1"


@dataclass
class CheckResult:
    """Everything a reviewer's report shows."""

    report: Report
    findings: list[Finding] = field(default_factory=list)
    reconciliation: Reconciliation | None = None
    classification: Classification | None = None

    def failures(self, severity: Severity | None = None) -> list[Finding]:
        """The failed findings, optionally of one severity."""
        return [f for f in self.findings if f.status is Status.FAIL
                and (severity is None or f.severity is severity)]

    def to_dict(self) -> dict[str, Any]:
        """The ``disclosure.check/1`` JSON object of the contract."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "report": self.report.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.reconciliation is not None:
            out["reconciliation"] = [d.to_dict() for d in self.reconciliation.domains]
        return out


def check(report: Report, *, classification: Classification | None = None,
          previous: Report | None = None) -> CheckResult:
    """Run every rule on ``report``; reconcile with ``classification`` when given.

    Parameters
    ----------
    report : Report
        The parsed annual report.
    classification : Classification, optional
        The office's notice list as :func:`nlp.classify.classify` returned it.
    previous : Report, optional
        Last year's report, for the cross-year rules.
    """
    from nlp.report.rules import evaluate

    findings = evaluate(report, previous=previous)
    reconciliation = None
    if classification is not None:
        from nlp.reconcile import reconcile

        reconciliation = reconcile(report, classification)
        findings.extend(reconciliation.findings)
    return CheckResult(report, findings, reconciliation, classification)
