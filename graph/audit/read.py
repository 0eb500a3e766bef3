"""Reading the log back: verification, the head, one entity's history."""

from __future__ import annotations

from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.events import ChangeEvent, VerifyResult, verify_chain
from graph.schema import SCHEMA
from graph.stores.base import Store


def events(store: Store) -> list[ChangeEvent]:
    """Every event, in seq order."""
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    return sorted((ChangeEvent.from_row(r) for r in rows), key=lambda e: e.seq)


def verify(store: Store) -> VerifyResult:
    return verify_chain(events(store))


def head(store: Store) -> dict[str, Any]:
    """What an organisation publishes or archives: the newest seq and hash."""
    rows = store.dump(cypher_gen.AUDIT_HEAD)
    return {"seq": rows[0]["seq"], "hash": rows[0]["hash"]} if rows else {"seq": 0, "hash": ""}


def history(store: Store, kind: str, key: str) -> list[dict[str, Any]]:
    """Every event about one entity (a node, or links leaving it), newest first."""
    out = []
    for e in reversed(events(store)):
        own = e.entity_kind == kind and e.entity_key == key
        link = f"({kind}->" in e.entity_kind and e.entity_key.startswith(f"{key}->")
        if own or link:
            out.append(
                {"seq": e.seq, "at": e.at, "actor": e.actor, "command": e.command,
                 "input_file": e.input_file, "entity": e.entity_kind, "key": e.entity_key,
                 "change": e.change, "fields": e.fields}
            )  # fmt: skip
    return out
