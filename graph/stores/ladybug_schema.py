"""LadybugDB's tables checked against graph/schema.py, in one catalog query when stamped.

The full check reads every table's columns or connections: about thirty catalog queries, most
of what opening the store costs a read command. So a table found to match is stamped: its
comment holds a digest of its definition as derived from the schema. One ``show_tables()``
then checks every stamped table; a table without the stamp it should have (a new or changed
definition, or a store older than the stamps) gets the full check, and a writer stamps it when
it passes. A writer also upgrades a store made by an older release whose only difference is a
node property added since: it adds the column (``ALTER TABLE … ADD``), so the register and its
change log are kept; any other difference is refused. Everything is derived from the schema's
node and relationship types, so a new label needs nothing here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph.schema import INTERNAL_NODES, NodeType, PropType, RelType, Schema

Execute = Callable[[str], list[dict[str, Any]]]  # one catalog statement -> its rows
_STAMP = "clausegraph schema "


@dataclass(frozen=True)
class Table:
    """A table as the check compares it: what the schema wants, or what the store holds."""

    name: str
    kind: str  # "NODE" or "REL", as show_tables() reports it
    columns: tuple[tuple[str, str], ...]  # (name, type as LadybugDB reports it), sorted
    key: str = ""  # a node table's primary key
    endpoints: tuple[tuple[str, str], ...] = ()  # a rel table's (from, to) pairs, sorted

    @property
    def stamp(self) -> str:
        return _STAMP + hashlib.sha256(repr(self).encode()).hexdigest()[:16]


def wanted(schema: Schema) -> list[Table]:
    """The tables ``cypher_gen.ladybug_ddl`` creates, node tables first."""
    nodes = [_node(n) for n in schema.nodes + INTERNAL_NODES]
    return nodes + [_rel(r) for r in schema.rels]


def problems(execute: Execute, schema: Schema, *, stamp: bool) -> tuple[int, list[str]]:
    """How many tables the store holds, and what differs from the schema; with ``stamp``
    (the writer), a table that passes the full check is stamped."""
    stored = {r["name"]: r["comment"] for r in execute("CALL show_tables() RETURN name, comment")}
    found: list[str] = []
    for want in wanted(schema):
        if want.name not in stored:
            found.append(f"{'rel table' if want.kind == 'REL' else 'table'} {want.name} is missing")
        elif stored[want.name] != want.stamp:
            have = _stored(execute, want)
            if stamp and (added := _added_columns(want, have)):
                for column, kind in added:  # a newer release's new property: add, keep the data
                    execute(f"ALTER TABLE {want.name} ADD {column} {kind}")
                have = _stored(execute, want)
            differences = _differences(want, have)
            if differences and not stamp and _added_columns(want, have):
                differences[-1] += " (a writing command, e.g. `clausegraph refresh`, adds it)"
            found += differences
            if stamp and not differences:
                execute(f"COMMENT ON TABLE {want.name} IS '{want.stamp}'")
    return len(stored), found


def _added_columns(want: Table, have: Table) -> list[tuple[str, str]]:
    """The columns a node table lacks when that is its only difference from the schema: a
    property added by a newer release, which ``ALTER TABLE … ADD`` supplies (null in every
    existing row, as a property the inventory does not state). Anything else stays a mismatch."""
    if want.kind != "NODE" or have.key != want.key:
        return []
    wanted_cols, held = dict(want.columns), dict(have.columns)
    if any(wanted_cols.get(c) != t for c, t in held.items()):
        return []
    return [(c, t) for c, t in want.columns if c not in held]


def _ladybug_type(t: PropType) -> str:
    return "BOOL" if t is PropType.BOOL else t.value


def _columns(props: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((p.name, _ladybug_type(p.type)) for p in props))


def _node(n: NodeType) -> Table:
    return Table(n.label, "NODE", _columns(n.props), key=n.key)


def _rel(r: RelType) -> Table:
    return Table(r.type, "REL", _columns(r.props), endpoints=tuple(sorted(r.endpoints)))


def _stored(execute: Execute, want: Table) -> Table:
    # identifiers from the schema only (never input); the catalog calls take no parameters
    info = execute(f"CALL table_info('{want.name}') RETURN *")
    columns = tuple(sorted((c["name"], c["type"]) for c in info))
    if want.kind == "NODE":
        key = next((c["name"] for c in info if c.get("primary key")), "")
        return Table(want.name, "NODE", columns, key=key)
    conns = execute(f"CALL show_connection('{want.name}') RETURN *")
    pairs = sorted((c["source table name"], c["destination table name"]) for c in conns)
    return Table(want.name, "REL", columns, endpoints=tuple(pairs))


def _differences(want: Table, have: Table) -> list[str]:
    what = "rel table" if want.kind == "REL" else "table"
    found = []
    if have.columns != want.columns:
        changes = _column_changes(dict(want.columns), dict(have.columns))
        found.append(f"{what} {want.name} {changes}")
    if have.key != want.key:
        found.append(f"table {want.name} is keyed by {have.key!r}, schema wants {want.key!r}")
    if have.endpoints != want.endpoints:
        found.append(f"rel table {want.name} connects {list(have.endpoints)}")
    return found


def _column_changes(want: dict[str, str], have: dict[str, str]) -> str:
    """What differs, by name ("lacks column own_use BOOL"), not two whole column lists."""
    lacks = [f"{c} {t}" for c, t in want.items() if c not in have]
    extra = [c for c in have if c not in want]
    parts = [f"lacks column{'s' * (len(lacks) > 1)} {', '.join(lacks)}"] if lacks else []
    parts += [f"has column{'s' * (len(extra) > 1)} {', '.join(extra)} the schema does not know"
              ] if extra else []  # fmt: skip
    parts += [f"has column {c} as {have[c]}, schema wants {t}"
              for c, t in want.items() if c in have and have[c] != t]  # fmt: skip
    return ", ".join(parts) or "has its columns in another order"
