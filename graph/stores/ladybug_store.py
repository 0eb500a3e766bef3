"""LadybugDB: the embedded, on-disk, zero-setup default store."""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

from graph import cypher_gen
from graph.errors import (
    QueryFailed,
    SchemaMismatch,
    StoreLocked,
    StoreUnavailable,
    WriteFailed,
)
from graph.schema import SCHEMA, Schema
from graph.stores.base import Row, WriteBatch, check_params, prepared_batch
from graph.stores.ladybug_bulk import bulk_write
from queries.registry import Registry, default_registry


def default_read_connections() -> int:
    """Read connections per store: one per core, at least 2, at most 8 (see docs/api.md)."""
    return max(2, min(8, os.cpu_count() or 2))


class _Waiter:
    """A thread waiting for a read connection; a returned connection is handed to it."""

    __slots__ = ("conn", "ready")

    def __init__(self) -> None:
        self.conn: ladybug.Connection | None = None
        self.ready = threading.Event()


class _ReadPool:
    """A bounded pool of read connections on one Database, opened on first use.

    LadybugDB runs read-only queries on different connections of one Database concurrently and
    releases the GIL while a query runs. Every statement sees one committed state: a write
    transaction on the writer's connection is invisible to these connections until COMMIT.
    A connection is used by one thread at a time (each runs its queries on one engine thread,
    so concurrent queries do not oversubscribe the cores). When all are busy, waiting threads
    are served first come, first served: a returned connection goes straight to the longest
    waiter, so no reader is overtaken indefinitely under load.
    """

    def __init__(self, db: ladybug.Database, size: int) -> None:
        if size < 1:
            raise ValueError("a read pool needs at least one connection")
        self._db = db
        self.size = size
        self._idle: list[ladybug.Connection] = []
        self._waiters: deque[_Waiter] = deque()
        self._opened = 0
        self._closed = False
        self._cond = threading.Condition()

    @contextmanager
    def connection(self) -> Iterator[ladybug.Connection]:
        conn = self._acquire()
        try:
            yield conn
        finally:
            self._release(conn)

    def _acquire(self) -> ladybug.Connection:
        while True:
            with self._cond:
                if self._closed:
                    raise StoreUnavailable("the store is closed")
                if self._idle:
                    return self._idle.pop()
                if self._opened < self.size:
                    self._opened += 1
                    waiter = None
                else:
                    waiter = _Waiter()
                    self._waiters.append(waiter)
            if waiter is None:
                return self._open()
            waiter.ready.wait()
            if waiter.conn is not None:
                return waiter.conn
            # woken without a connection: the pool closed, or a slot freed up; try again

    def _open(self) -> ladybug.Connection:
        try:
            return ladybug.Connection(self._db, num_threads=1)
        except BaseException:
            with self._cond:
                self._opened -= 1
                if self._waiters:  # let the next waiter try to open one instead
                    self._waiters.popleft().ready.set()
            raise

    def _release(self, conn: ladybug.Connection) -> None:
        with self._cond:
            if self._waiters and not self._closed:
                waiter = self._waiters.popleft()
                waiter.conn = conn
                waiter.ready.set()
                return
            self._idle.append(conn)
            self._cond.notify_all()  # close() may be waiting for the reads in flight

    def close(self) -> None:
        """Refuse new reads, wait for the reads in flight, close every connection."""
        with self._cond:
            self._closed = True
            while self._waiters:
                self._waiters.popleft().ready.set()
            while len(self._idle) < self._opened:
                self._cond.wait()
            for conn in self._idle:
                conn.close()
            self._idle.clear()
            self._opened = 0


class LadybugStore:
    """One database file. Writes (and schema changes) go through one connection, serialised by
    a lock; reads go through a small pool of other connections and run concurrently, each
    statement on one committed state (a write batch is invisible to readers until it commits).
    """

    kind = "ladybug"
    # The COPY bulk path (graph/stores/ladybug_bulk.py) is off by default: it keeps whole-batch
    # atomicity on errors, but a SIGKILL mid-COPY once left a mixed state in the crash test.
    # Set it to ladybug_bulk.BULK_MIN_ROWS to opt in (tests/scale/test_bulk.py forces it on).
    bulk_min_rows = sys.maxsize

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        registry: Registry | None = None,
        read_connections: int | None = None,
    ):
        self.path = path
        self.registry = registry or default_registry()
        self._lock = threading.RLock()
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = ladybug.Database(str(path), read_only=read_only)
            self._conn = ladybug.Connection(self._db)
            self.read_connections = read_connections or default_read_connections()
            self._readers = _ReadPool(self._db, self.read_connections)
        except (RuntimeError, OSError) as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreLocked(
                    f"store {path} is locked by another process (one writer at a time; "
                    "readers can open it read-only)"
                ) from None
            raise StoreUnavailable(f"cannot open LadybugDB store at {path}: {msg}") from None

    def _execute(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        return _run(self._conn, text, params)

    def _read(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        """One statement on a pooled read connection (never the writer's)."""
        with self._readers.connection() as conn:
            return _run(conn, text, params)

    # -- schema ---------------------------------------------------------------------------
    def apply_schema(self, schema: Schema = SCHEMA) -> None:
        with self._lock:
            for stmt in cypher_gen.ladybug_ddl(schema):
                self._execute(stmt)
            self._check_schema(schema)

    def _check_schema(self, schema: Schema) -> None:
        problems = []
        for n in schema.nodes:
            info = self._execute(f"CALL table_info('{n.label}') RETURN *")
            have = {r["name"]: r["type"] for r in info}
            want = {p.name: p.type.value.replace("BOOLEAN", "BOOL") for p in n.props}
            if have != want:
                problems.append(f"table {n.label} has columns {have}, schema wants {want}")
        for r in schema.rels:
            conns = self._execute(f"CALL show_connection('{r.type}') RETURN *")
            have_pairs = {(c["source table name"], c["destination table name"]) for c in conns}
            if have_pairs != set(r.endpoints):
                problems.append(f"rel table {r.type} connects {sorted(have_pairs)}")
        if problems:
            raise SchemaMismatch(
                f"store {self.path} was created with a different schema: " + "; ".join(problems)
            )

    # -- reads and writes -----------------------------------------------------------------
    def read(self, name: str, /, **params: Any) -> list[Row]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        try:
            return self._read(query.text, params)
        except RuntimeError as e:
            raise QueryFailed(f"query {name} failed on LadybugDB: {e}") from None

    def run_write(self, name: str, /, **params: Any) -> list[Row]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        with self._transaction():
            return self._execute(query.text, params)

    def write(self, batch: WriteBatch) -> None:
        batch = prepared_batch(batch)
        if batch.size() >= self.bulk_min_rows:  # diff + COPY, same transaction and guarantees
            with self._transaction():
                bulk_write(self._conn, batch)
            return
        with self._transaction():
            for d in batch.delete:
                if d.keys:
                    self._execute(cypher_gen.node_delete(SCHEMA.node(d.label)), {"keys": d.keys})
            for u in batch.unlink:
                if u.keys:
                    q = cypher_gen.edge_delete_from(SCHEMA.rel(u.type), u.src, u.dst)
                    self._execute(q, {"keys": u.keys})
            for n in batch.nodes:
                if n.rows:
                    q = cypher_gen.node_upsert("ladybug", SCHEMA.node(n.label))
                    self._execute(q, {"rows": n.rows})
            for e in batch.edges:
                if e.rows:
                    q = cypher_gen.edge_upsert("ladybug", SCHEMA.rel(e.type), e.src, e.dst)
                    got = self._execute(q, {"rows": e.rows})[0]["n"]
                    if got != len(e.rows):
                        raise WriteFailed(
                            f"{e.type} ({e.src})->({e.dst}): {len(e.rows) - got} of "
                            f"{len(e.rows)} rows name an endpoint that does not exist"
                        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._execute("BEGIN TRANSACTION")
            try:
                yield
            except RuntimeError as e:
                self._rollback()
                raise WriteFailed(
                    f"LadybugDB refused the write; nothing was written: {e}"
                ) from None
            except BaseException:
                self._rollback()
                raise
            self._execute("COMMIT")

    def _rollback(self) -> None:
        # LadybugDB rolls a transaction back by itself when a statement in it fails, after which
        # ROLLBACK reports "no active transaction"; either way nothing of the batch remains.
        try:
            self._execute("ROLLBACK")
        except RuntimeError as e:
            if "no active transaction" not in str(e).lower():
                raise

    def dump(self, query: str) -> list[Row]:
        return self._read(query)

    def keys(self, label: str) -> set[str]:
        return {r["k"] for r in self._read(cypher_gen.list_keys(SCHEMA.node(label)))}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.snapshot() as conn:  # every count from one committed state
            for n in SCHEMA.nodes:
                out[n.label] = _run(conn, cypher_gen.count_nodes(n))[0]["n"]
            for r in SCHEMA.rels:
                for src, dst in r.endpoints:
                    q = cypher_gen.count_edges(r, src, dst)
                    out[f"{r.type}({src}->{dst})"] = _run(conn, q)[0]["n"]
        return out

    @contextmanager
    def snapshot(self) -> Iterator[ladybug.Connection]:
        """A pooled read connection inside a read-only transaction: every statement run on it
        sees the same committed state, whatever commits meanwhile."""
        with self._readers.connection() as conn:
            _run(conn, "BEGIN TRANSACTION READ ONLY")
            try:
                yield conn
            finally:
                try:
                    _run(conn, "COMMIT")
                except RuntimeError as e:  # a failed statement already ended the transaction
                    if "no active transaction" not in str(e).lower():
                        raise

    def clear(self) -> None:
        """Delete every node and edge (the tables stay)."""
        with self._transaction():
            for n in SCHEMA.nodes:
                self._execute(cypher_gen.clear_label(n))

    def close(self) -> None:
        self._readers.close()
        with self._lock:
            self._conn.close()
            self._db.close()


def _run(conn: ladybug.Connection, text: str, params: dict[str, Any] | None = None) -> list[Row]:
    result = conn.execute(text, params or {})
    result = result[-1] if isinstance(result, list) else result
    names = result.get_column_names()
    return [dict(zip(names, row, strict=True)) for row in result.get_all()]
