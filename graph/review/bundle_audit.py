"""The audit part of an evidence bundle: the log's head and every event concerning the system,
and the check ``bundle verify`` runs on them (docs/review.md, docs/audit.md).

``audit.json`` holds ``head`` ({seq, hash} of the whole log when the bundle was made) and
``events``: the stored properties of each event about the system, its owner, the controls that
apply to it (now or during its history) and their evidence, evidence about it, its datasets and
incidents, plus store-wide ``clear`` events; in seq order. The events are a subset of the chain,
so verification checks what a subset can show: each event's content matches its own hash (which
covers its ``prev_hash``), consecutive events (seq n, n+1) link, no event is past the head, an
event at the head's seq has the head's hash, and the head matches the manifest's.
"""

from __future__ import annotations

from typing import Any

from graph.audit import read
from graph.audit.changes import Bound, changes
from graph.audit.events import ChangeEvent, event_hash
from graph.stores import Store

Row = dict[str, Any]
AUDIT_FILE = "audit.json"


def audit_section(store: Store, asset: str) -> Row:
    """``{"head": {...}, "events": [...]}`` for ``audit.json``."""
    head = read.head(store)
    groups = changes(store, Bound(seq=0), Bound(seq=int(head["seq"])), asset=asset)
    seqs = {ev["seq"] for g in groups for ev in g["events"]}
    wanted = [e for e in read.events(store, 0, int(head["seq"])) if e.seq in seqs]
    return {"head": head, "events": [e.row() for e in wanted]}


def check_audit(section: Any, recorded_head: Any) -> tuple[bool, str]:
    """(ok, what was found) for the ``audit.json`` of a bundle."""
    try:
        head_seq, head_hash = int(section["head"]["seq"]), str(section["head"]["hash"])
        events = [ChangeEvent.from_row(r) for r in section["events"]]
    except (KeyError, TypeError, ValueError) as err:
        return False, f"malformed audit.json ({err!r})"
    if recorded_head != {"seq": head_seq, "hash": head_hash}:
        return False, f"head {head_seq} {head_hash} differs from the manifest's {recorded_head}"
    prev: ChangeEvent | None = None
    for e in events:
        if event_hash(e) != e.hash:
            return False, f"event {e.seq}: content does not match its hash (edited)"
        if prev is not None and e.seq <= prev.seq:
            return False, f"event {e.seq}: out of order after {prev.seq}"
        if prev is not None and e.seq == prev.seq + 1 and e.prev_hash != prev.hash:
            return False, f"event {e.seq}: prev_hash does not match event {prev.seq}'s hash"
        if e.seq > head_seq or (e.seq == head_seq and e.hash != head_hash):
            return False, f"event {e.seq}: not in the chain ending at head {head_seq}"
        prev = e
    return True, f"{len(events)} events verify against head {head_seq}"
