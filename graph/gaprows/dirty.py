"""Which anchors a run of change-log events touched: the nodes whose gap rows can differ after
those events, by label. The events name the node or both ends of the link they changed; the
rest follows what the gap queries read across edges (queries/gaprows/*_reach.cypher), on the
graph as it stands now. ``None``: the events cannot bound what changed (a delete takes its
edges along unlogged, a catalog change can move any row, a ``clear``): run everything in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from graph.audit.events import ChangeEvent
from graph.stores.base import Store

Dirty = dict[str, set[str]]
ANCHORS = ("Asset", "Evidence", "Control", "Dataset", "Incident")
# Their properties enter no gap row: rows name an owner by id, from the OWNED_BY edge (a link
# event); findings, their marks and the log are outputs, not inputs.
IGNORED = frozenset({"Owner", "Finding", "ReconcileMark", "DigestDelivery", "ChangeEvent"})
QUIET = frozenset({"noop", "refresh"})  # events that change no node or edge
_LINK = re.compile(r"^([A-Z_]+)\((\w+)->(\w+)\)$")
KEYS_PER_READ = 5_000


class Touch:
    """Anchors touched, ``direct`` (their own rows only) or ``spread`` (also the rows of the
    nodes that read them: an asset's lifecycle shows in its evidence's and datasets' rows)."""

    def __init__(self) -> None:
        self.direct: Dirty = {label: set() for label in ANCHORS}
        self.spread: Dirty = {label: set() for label in ANCHORS}
        self.org_wide = False  # an organisation-wide control changed: every system's rows

    def add(self, label: str, key: str, *, spread: bool = True) -> None:
        (self.spread if spread else self.direct)[label].add(key)


def touched(events: Iterable[ChangeEvent]) -> Touch | None:
    """What the events name (None: they cannot be followed, see the module's docstring)."""
    t = Touch()
    for e in events:
        if e.change in QUIET:
            continue
        if e.change not in ("created", "updated", "linked", "unlinked"):
            return None  # deleted, clear, prune
        link = _LINK.match(e.entity_kind)
        if link is None:
            if e.entity_kind in IGNORED:
                continue
            if e.entity_kind not in ANCHORS:
                return None  # the catalogs, or a label this module does not know
            t.add(e.entity_kind, e.entity_key)
            if e.entity_kind == "Control" and any(v is True for v in e.fields.get("org_wide", ())):
                t.org_wide = True  # was or became organisation-wide
        elif not _link(t, link[1], link[2], e.entity_key):
            return None
    return t


def _link(t: Touch, rel: str, src: str, key: str) -> bool:
    """Mark what a link event changes (False: a link this module does not follow)."""
    s, _, d = key.partition("->")
    if rel in ("OWNED_BY", "SUBJECT_TO", "IMPLEMENTS", "ADDRESSES"):
        t.add(src, s)  # a property of the source, as the rows see it
    elif rel == "APPLIES_TO":
        t.add("Asset", d, spread=False)  # article_without_control of the system in scope
    elif rel in ("SUPPORTS", "SUPPORTS_ORG"):
        t.add("Evidence", s)  # evidence_stale of the systems it concerns
        t.add("Control", d, spread=False)  # control_without_evidence, evidence_stale_org
    elif rel == "CONCERNS":
        t.add("Evidence", s)
        t.add("Asset", d, spread=False)
    elif rel == "USES":
        t.add("Dataset", d, spread=False)
    elif rel in ("INVOLVES", "REPORTS"):
        t.add("Incident", s if rel == "INVOLVES" else d, spread=False)
    else:
        return False  # MAPS_TO, PART_OF: the catalogs
    return src in ANCHORS or src == "Owner"


def dirty(store: Store, t: Touch) -> Dirty:
    """Every anchor whose rows may differ: the touched ones and the nodes reading them."""
    out: Dirty = {label: t.direct[label] | t.spread[label] for label in ANCHORS}
    for r in _reach(store, "gaprows.asset_reach", t.spread["Asset"]):
        out["Evidence"].update(r["evidence"])
        out["Dataset"].update(r["datasets"])
        out["Incident"].update(r["incidents"])
    for r in _reach(store, "gaprows.evidence_reach", t.spread["Evidence"]):
        out["Asset"].update(r["assets"])
        out["Control"].update(r["controls"] + r["org_controls"])
    org_wide = t.org_wide
    for r in _reach(store, "gaprows.control_reach", t.spread["Control"]):
        org_wide = org_wide or bool(r["org_wide"])
        out["Asset"].update(r["scope"] + r["assets"])
    if org_wide:
        out["Asset"] = store.keys("Asset")
    return out


def _reach(store: Store, query: str, keys: set[str]) -> list[dict[str, Any]]:
    ordered = sorted(keys)
    return [r for i in range(0, len(ordered), KEYS_PER_READ)
            for r in store.read(query, keys=ordered[i : i + KEYS_PER_READ])]  # fmt: skip
