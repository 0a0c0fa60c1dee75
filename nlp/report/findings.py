"""Findings: the outcome of one rule on one report, in the contract's shape.

Produced by :mod:`nlp.report.rules` (checks on the report) and :mod:`nlp.reconcile.domains`
(checks of the notice list against the report); read by the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    """Outcome of a rule. Values are the contract's strings."""

    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSABLE = "not_assessable"


class Severity(str, Enum):
    """How much a failure matters to a reviewer."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Finding:
    """One rule's verdict.

    Parameters
    ----------
    rule : str
        Stable dotted id, e.g. ``table3.balance.total`` (listed in docs/rules.md).
    status, severity :
        See :class:`Status` and :class:`Severity`.
    message : str
        One sentence in Chinese for the reviewer.
    expected, actual :
        The two sides of the relation, when it has two.
    cells : list of str
        The cell paths the rule read (see :mod:`nlp.report.model`).
    text : str, optional
        The words quoted from the report that the finding is about.
    """

    rule: str
    status: Status
    severity: Severity
    message: str
    expected: Any = None
    actual: Any = None
    cells: list[str] = field(default_factory=list)
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's finding object."""
        out = {
            "rule": self.rule,
            "status": self.status.value,
            "severity": self.severity.value,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "cells": list(self.cells),
        }
        if self.text is not None:
            out["text"] = self.text
        return out
