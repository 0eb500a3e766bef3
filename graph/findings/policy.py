"""Routing and due dates of a new (or reopened) finding.

Routing: the owner the rule names (the subject's own owner: the AI system's, control's,
dataset's or evidence item's), else the owner of the AI system it concerns, else the configured
triage owner — never nobody. Due: the earlier of the severity's SLA (counted from the day it is
opened) and the legal deadline where one exists — the Art. 73 notification deadline of an
incident (awareness + 15/10/2 days), or the application date of the article for a gap whose
obligation applies on a date (readiness). ``due_source`` says which one set it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.gap_context import GapContext
from graph.gaps import Gap
from graph.incident_clock import deadline_of
from graph.settings import FindingsSettings
from graph.stores.base import Store


@dataclass(frozen=True)
class Facts:
    """What routing and due dates read from the graph besides the gap: owners and incidents."""

    asset_owners: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_facts(store: Store, gaps: Iterable[Gap]) -> Facts:
    gaps = list(gaps)
    assets = sorted({a for g in gaps if not g.owner for a in _assets(g)})
    incidents = sorted({g.subject for g in gaps if g.rule == "incident_not_notified"})
    owners = {r["asset"]: r["owner"] for r in store.read("findings.asset_owners", ids=assets)
              } if assets else {}  # fmt: skip
    facts = {r["id"]: r for r in store.read("findings.incidents", ids=incidents)
             } if incidents else {}  # fmt: skip
    return Facts(owners, facts)


def _assets(gap: Gap) -> list[str]:
    """The AI systems whose owner may take the finding: its asset, else (not for duties of the
    whole organisation, ``org:`` subjects) the systems its subject serves."""
    if gap.asset:
        return [gap.asset]
    return [] if gap.subject.startswith("org:") else list(gap.systems)


def route(gap: Gap, facts: Facts, policy: FindingsSettings) -> tuple[str, str]:
    """(assignee, routed_by): rule_owner, asset_owner or triage."""
    if gap.owner:
        return gap.owner, "rule_owner"
    for asset in _assets(gap):
        if asset in facts.asset_owners:
            return facts.asset_owners[asset], "asset_owner"
    return policy.triage_owner, "triage"


def legal_deadline(gap: Gap, facts: Facts, ctx: GapContext) -> dt.date | None:
    """Art. 73's notification deadline for an incident; else the date the obligation applies."""
    if gap.rule == "incident_not_notified" and gap.subject in facts.incidents:
        inc = facts.incidents[gap.subject]
        if inc.get("aware_on") is not None and inc.get("severity") in ctx.incident_days:
            return deadline_of(inc["aware_on"], inc["severity"], ctx.incident_days)
    return gap.due


def due(
    gap: Gap, opened: dt.date, legal: dt.date | None, policy: FindingsSettings
) -> tuple[dt.date, str]:
    """(due, due_source): the SLA date or the legal deadline, whichever is earlier."""
    sla = opened + dt.timedelta(days=policy.sla_days(gap.severity))
    if legal is not None and legal <= sla:
        return legal, "legal"
    return sla, "sla"
