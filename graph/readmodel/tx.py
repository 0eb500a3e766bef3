"""What the read model needs from a store inside one write transaction (both stores give it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph.audit.events import ChangeEvent

Row = dict[str, Any]


@dataclass(frozen=True)
class Tx:
    """``named(name, **params)`` runs a registry query in the open transaction (it sees the
    transaction's own writes); ``run(text, params)`` a statement generated from the schema;
    ``create(label, rows)`` creates nodes known to be new, the store's fastest way;
    ``log(events)`` appends change-log events in the same transaction; ``split()`` commits
    what the transaction wrote so far and goes on in a new one, no other write in between
    (LadybugDB: a long rebuild's memory stays bounded; Neo4j: one transaction, a no-op)."""

    named: Callable[..., list[Row]]
    run: Callable[[str, dict[str, Any]], Any]
    create: Callable[[str, list[Row]], None]
    log: Callable[[list[ChangeEvent]], None]
    split: Callable[[], None] = lambda: None
