"""Reconciling the declared per-domain counts with the classified notice list.

:func:`reconcile` is the entry point (:mod:`.domains`).
"""

from nlp.reconcile.domains import DomainReconciliation, Reconciliation, reconcile

__all__ = ["DomainReconciliation", "Reconciliation", "reconcile"]
