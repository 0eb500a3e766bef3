"""Findings: every gap tracked to closure (docs/remediation.md).

This package owns the finding model (one ``Finding`` node per stable gap id, declared in
graph/schema.py), its state machine and the rules of each transition (who may start, verify,
accept or mark a false positive), routing (the rule's owner, else the AI system's owner, else a
triage owner), due dates (severity SLA or legal deadline, whichever is earlier) and the
reconciliation of stored findings with the current gaps: only the graph opens, resolves and
reopens a finding, and a resolution names the change-log events that removed its condition.
Every write goes through the store's audited write path, so a finding's story is its change
log; a transition names the version it saw and a stale one is refused (``StaleFinding``).
"""

from graph.findings.errors import FindingNotFound, StaleFinding, TransitionRefused
from graph.findings.model import ACTIVE, LABEL, STATES, Finding
from graph.findings.reconcile import ReconcileReport, reconcile
from graph.findings.transitions import TRANSITIONS, transition

__all__ = [
    "ACTIVE",
    "LABEL",
    "STATES",
    "TRANSITIONS",
    "Finding",
    "FindingNotFound",
    "ReconcileReport",
    "StaleFinding",
    "TransitionRefused",
    "reconcile",
    "transition",
]
