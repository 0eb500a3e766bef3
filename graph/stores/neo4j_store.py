"""Neo4j 5 through the official driver: the production store (single server, cluster or Aura)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import AuthError as Neo4jAuthError
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph import cypher_gen
from graph.audit import AUDIT_LABEL, log
from graph.audit.events import Source
from graph.errors import QueryFailed, SchemaMismatch, StoreUnavailable, WriteFailed
from graph.readmodel import maintain as readmodel
from graph.readmodel.tx import Tx
from graph.schema import FINGERPRINT, ROW_DIGESTS, SCHEMA, SCHEMA_AND_INTERNAL, Schema
from graph.stores.base import (
    Row,
    WriteBatch,
    check_expectations,
    check_params,
    key_list,
    prepared_batch,
    row_chunks,
    stamped,
)
from queries.registry import Registry, default_registry

# Rows per ``UNWIND $rows … MERGE`` statement inside the one managed write transaction: the
# design brief's ~10k rows (§8), which keeps each Bolt message a few MB. Not measured here (no
# Neo4j server on the build machines); tune with a real server. Arrow rows are converted to
# dicts one chunk at a time, so a large batch is never held as dicts all at once.
BATCH_ROWS = 10_000
T = TypeVar("T")


def _plain(value: Any) -> Any:
    """Driver values to plain Python (dates to datetime.date, nested lists/maps)."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _rows(result: Iterable[neo4j.Record]) -> list[Row]:
    """Records as plain rows (``data()`` turns nodes into property maps; ``_plain`` the dates)."""
    return [{k: _plain(v) for k, v in rec.data().items()} for rec in result]


class Neo4jStore:
    """One driver per process; reads routed to readers; each write batch one managed tx."""

    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str | None,
        database: str = "neo4j",
        *,
        timeout_s: float = 30.0,
        registry: Registry | None = None,
        read_only: bool = False,
    ) -> None:
        self.uri = uri
        self.database = database
        self.registry = registry or default_registry()
        # A reader (the CLI's read commands, MCP) never writes: no reconcile, no gap rows, no
        # DDL, so a user with read rights only (or a read replica) is enough for it.
        self.read_only = read_only
        auth = (user, password) if password is not None else None
        self._driver = GraphDatabase.driver(uri, auth=auth)
        self._wait_until_ready(timeout_s)

    def _session(self) -> neo4j.Session:
        """A write session chained to the reads' bookmarks (the bookmark manager
        ``execute_query`` uses), so on a cluster a read after a write sees it, and the write
        sees every earlier one."""
        if self.read_only:
            raise WriteFailed(f"the store at {self.uri} was opened read-only; nothing written")
        return self._driver.session(
            database=self.database, bookmark_manager=self._driver.execute_query_bookmark_manager
        )

    def _wait_until_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._driver.verify_connectivity()
                return
            except Neo4jAuthError:
                self._driver.close()
                raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials") from None
            except (ServiceUnavailable, OSError) as e:
                if time.monotonic() >= deadline:
                    self._driver.close()
                    raise StoreUnavailable(
                        f"Neo4j at {self.uri} is not reachable after {timeout_s:.0f}s: {e}"
                    ) from None
                time.sleep(0.5)

    def apply_schema(self, schema: Schema = SCHEMA) -> None:
        """Create the constraints and indexes (idempotent), then check them; read-only: check."""
        if not self.read_only:
            for stmt in cypher_gen.neo4j_ddl(schema):
                self._driver.execute_query(stmt, database_=self.database)
        found = self._driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties "
            "RETURN name, labelsOrTypes, properties",
            database_=self.database,
            routing_=RoutingControl.READ,
        ).records
        have = {r["name"]: (r["labelsOrTypes"], r["properties"]) for r in found}
        for n in schema.nodes:
            name = f"{n.label.lower()}_{n.key}_unique"
            if have.get(name) != ([n.label], [n.key]):
                hint = "; run `clausegraph init` as a writer first" if self.read_only else ""
                raise SchemaMismatch(
                    f"Neo4j at {self.uri}: constraint {name} is {have.get(name)}, "
                    f"schema wants ([{n.label}], [{n.key}]){hint}"
                )

    def read_now(self, name: str, /, **params: Any) -> list[Row] | None:
        """Never at once: every read is a round trip to the server (base.Store.read_now)."""
        return None

    def read(self, name: str, /, **params: Any) -> list[Row]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        try:
            return self._driver.execute_query(
                query.text,
                parameters_=params,
                database_=self.database,
                routing_=RoutingControl.READ,
                result_transformer_=_rows,
            )
        except Neo4jError as e:
            raise QueryFailed(f"query {name} failed on Neo4j: {e.message}") from None

    def read_column(self, name: str, column: str, /, **params: Any) -> list[Any]:
        return [r[column] for r in self.read(name, **params)]

    def run_write(self, name: str, /, **params: Any) -> list[Row]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)

        def work(tx: ManagedTransaction) -> list[Row]:
            _lock(tx)
            rows = _rows(tx.run(query.text, params))
            for drop in cypher_gen.LOAD_MARKS_DROP:  # unlogged: no event would say it
                tx.run(drop).consume()
            tx.run(readmodel.MARK_DROP).consume()  # nor can the read model follow it
            return rows

        with self._session() as session:
            try:
                return session.execute_write(work)
            except Neo4jError as e:
                raise WriteFailed(f"query {name} failed on Neo4j: {e.message}") from None

    def write(self, batch: WriteBatch) -> None:
        batch = prepared_batch(batch)
        with self._session() as session:
            try:
                session.execute_write(_apply_batch, batch, self.registry)
            except Neo4jError as e:
                raise WriteFailed(
                    f"Neo4j refused the write; nothing was written: {e.message}"
                ) from None
            except (ValueError, OverflowError) as e:  # the driver cannot encode a value
                raise WriteFailed(
                    f"Neo4j driver refused a value; nothing was written: {e}"
                ) from None

    def in_transaction(self, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in one managed write transaction (the read model's rebuild and
        refresh; idempotent, as a retry needs: it recomputes from the store)."""
        with self._session() as session:
            try:
                return session.execute_write(
                    lambda tx: work(_readmodel_tx(tx, self.registry, locked=True))
                )
            except Neo4jError as e:
                raise WriteFailed(f"Neo4j refused the read model write: {e.message}") from None

    def dump(self, query: LiteralString) -> list[Row]:
        return self._driver.execute_query(
            query, database_=self.database, routing_=RoutingControl.READ, result_transformer_=_rows
        )

    def keys(self, label: str) -> set[str]:
        records = self._driver.execute_query(
            cypher_gen.list_keys(SCHEMA.node(label)),
            database_=self.database,
            routing_=RoutingControl.READ,
        ).records
        return {r["k"] for r in records}

    def present(self, label: str, keys: list[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(set(keys))):
            records = self._driver.execute_query(
                cypher_gen.keys_present(SCHEMA.node(label)), keys=chunk,
                database_=self.database, routing_=RoutingControl.READ,
            ).records  # fmt: skip
            out |= {r["k"] for r in records}
        return out

    def counts(self) -> dict[str, int]:
        """Nodes per label and edges per type, all read in one read transaction, so the
        figures belong to one committed state even while a writer commits."""
        texts: dict[str, str] = {}
        for n in SCHEMA.nodes:
            if n.label != AUDIT_LABEL:  # the data, not the log (graph/audit/read.py)
                texts[n.label] = cypher_gen.count_nodes(n)
        for r in SCHEMA.rels:
            for src, dst in r.endpoints:
                texts[f"{r.type}({src}->{dst})"] = cypher_gen.count_edges(r, src, dst)

        def work(tx: ManagedTransaction) -> dict[str, int]:
            return {k: int(tx.run(text).single(strict=True)["n"]) for k, text in texts.items()}

        with self._driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        ) as session:  # fmt: skip
            return session.execute_read(work)

    def clear(self, source: Source | None = None) -> None:
        """Delete every node and edge (constraints stay) but the audit log; log the clear."""
        with self._session() as session:
            session.execute_write(_clear, source)

    def close(self) -> None:
        self._driver.close()


def _clear(tx: ManagedTransaction, source: Source | None) -> None:
    _lock(tx)
    for n in SCHEMA.nodes:
        if n.label != AUDIT_LABEL:  # the log survives clear (docs/audit.md)
            tx.run(cypher_gen.clear_label(n)).consume()
    log.append(_tx_read(tx), _tx_read(tx), [log.store_wide("clear", source)], "neo4j")
    for drop in cypher_gen.LOAD_MARKS_DROP:
        tx.run(drop).consume()
    tx.run(readmodel.CELLS_DROP).consume()  # an empty graph has no cells; no model either
    tx.run(readmodel.MARK_DROP).consume()


def _lock(tx: ManagedTransaction) -> None:
    """Writers one at a time (cypher_gen.NEO4J_WRITE_LOCK): first statement of every write."""
    tx.run(cypher_gen.NEO4J_WRITE_LOCK).consume()


def _tx_read(tx: ManagedTransaction) -> Callable[[str, dict[str, Any]], list[dict[str, Any]]]:
    # Plain rows here too: the change log's before-state and the version checks read through
    # this, and a driver Date in an event's fields cannot be serialised (or compared as text).
    return lambda text, params: _rows(tx.run(text, params))


def _readmodel_tx(tx: ManagedTransaction, registry: Registry, *, locked: bool = False) -> Tx:
    """The managed transaction as the read model uses it (graph/readmodel/tx.py); ``locked``:
    take the write lock first (a transaction of its own, not one inside a batch's write)."""
    if locked:
        _lock(tx)

    def run(text: str, params: dict[str, Any]) -> list[Row]:
        return _rows(tx.run(text, params))

    def named(name: str, **params: Any) -> list[Row]:
        return run(registry.get(name, "neo4j").text, params)

    def create(label: str, rows: list[Row]) -> None:
        query = cypher_gen.node_upsert("neo4j", SCHEMA_AND_INTERNAL[label])
        for chunk in _chunks(rows):
            tx.run(query, rows=chunk).consume()

    def append(events: list[Any]) -> None:
        log.append(_tx_read(tx), _tx_read(tx), events, "neo4j")

    return Tx(named, run, create, append)


def _apply_batch(tx: ManagedTransaction, batch: WriteBatch, registry: Registry) -> None:
    """Idempotent (MERGE by key, SET by name), because the driver may retry it; the audit
    events are computed from the rows read first in the same transaction (a retry re-reads),
    and so are the read model's cells (graph/readmodel)."""
    _lock(tx)
    check_expectations(_tx_read(tx), batch)
    events = log.record_batch(_tx_read(tx), batch)
    model = _readmodel_tx(tx, registry)
    pending = readmodel.before(model, batch)
    _apply_changes(tx, batch)
    readmodel.after(model, pending)
    written = log.append(_tx_read(tx), _tx_read(tx), events, "neo4j")
    if batch.stamps and written:
        query = cypher_gen.node_upsert("neo4j", FINGERPRINT)
        tx.run(query, rows=stamped(batch.stamps, int(written[-1]["seq"]))).consume()
    if batch.digests and written:
        entities = sorted({str(d["entity"]) for d in batch.digests})
        tx.run(cypher_gen.ROW_DIGESTS_REPLACE, entities=entities).consume()
        query = cypher_gen.node_create("neo4j", ROW_DIGESTS)
        tx.run(query, rows=stamped(batch.digests, int(written[-1]["seq"]))).consume()


def _apply_changes(tx: ManagedTransaction, batch: WriteBatch) -> None:
    for d in batch.delete:
        for keys in _chunks(key_list(d.keys)):
            tx.run(cypher_gen.node_delete(SCHEMA.node(d.label)), keys=keys).consume()
    for u in batch.unlink:
        q = cypher_gen.edge_delete_from(SCHEMA.rel(u.type), u.src, u.dst)
        for keys in _chunks(key_list(u.keys)):
            tx.run(q, keys=keys).consume()
    for n in batch.nodes:
        q = cypher_gen.node_upsert("neo4j", SCHEMA.node(n.label))
        for chunk in row_chunks(n.rows, BATCH_ROWS):
            tx.run(q, rows=chunk).consume()
    for e in batch.edges:
        q = cypher_gen.edge_upsert("neo4j", SCHEMA.rel(e.type), e.src, e.dst)
        for chunk in row_chunks(e.rows, BATCH_ROWS):
            got = tx.run(q, rows=chunk).single(strict=True)["n"]
            if got != len(chunk):
                raise WriteFailed(
                    f"{e.type} ({e.src})->({e.dst}): {len(chunk) - got} of {len(chunk)} "
                    "rows name an endpoint that does not exist"
                )


def _chunks(items: list[T]) -> list[list[T]]:
    return [items[i : i + BATCH_ROWS] for i in range(0, len(items), BATCH_ROWS)]
