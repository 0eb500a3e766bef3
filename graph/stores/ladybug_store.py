"""LadybugDB: the embedded, on-disk, zero-setup default store."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import ladybug

from graph import cypher_gen
from graph.audit import AUDIT_LABEL, diff, log
from graph.audit.events import Source
from graph.errors import (
    NotLoaded,
    QueryFailed,
    SchemaMismatch,
    StoreLocked,
    StoreUnavailable,
    WriteFailed,
)
from graph.readmodel import maintain as readmodel
from graph.readmodel.tx import Tx
from graph.schema import FINGERPRINT, ROW_DIGESTS, SCHEMA, SCHEMA_AND_INTERNAL, Schema
from graph.stores import (
    bulk_thresholds,
    ladybug_audit,
    ladybug_files,
    ladybug_keyed,
    ladybug_schema,
)
from graph.stores.base import (
    Row,
    WriteBatch,
    check_expectations,
    check_params,
    prepared_batch,
    stamped,
)
from graph.stores.ladybug_pool import PoolClosed, ReadPool, default_read_connections
from queries.registry import Registry, default_registry

Run = Callable[[str, dict[str, Any]], list[list[Any]]]  # one statement: text, parameters
T = TypeVar("T")
_LOAD_HINT = "run `clausegraph load catalog` (or `clausegraph demo` for the sample organisation)"
# A read-only open caps the buffer pool: the engine's default (80 % of RAM) costs ≈ 15 ms more
# to open on a 24 GB machine than any pool up to 12 GB (docs/performance.md, CLI start-up), and
# a reader's queries fit well within it (a read-only gap report at 100k systems peaks at ≈ 2 GB).
READ_ONLY_POOL_MAX = 8 << 30


def read_only_pool_size() -> int:
    """The buffer pool a read-only open asks for: 0 (the engine's default) when that default is
    no larger than the cap."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):  # not every platform reports its memory
        return 0
    return READ_ONLY_POOL_MAX if ram * 0.8 > READ_ONLY_POOL_MAX else 0


class LadybugStore:
    """One database file. Writes (and schema changes) go through one connection, serialised by
    a lock; reads go through a small pool of other connections and run concurrently, each
    statement on one committed state (a write batch is invisible to readers until it commits).
    """

    kind = "ladybug"
    # Smaller batches, and batches small next to what the store holds of their labels, take the
    # keyed path (graph/stores/ladybug_keyed.py): primary-key reads and writes of the touched
    # keys only. Larger ones take the diff path (graph/stores/ladybug_bulk.py): an unchanged row
    # is not written, a small delta is MERGE-d in one transaction, a large one is COPY-ed into a
    # staged copy of the database that is swapped in (docs/architecture.md).
    bulk_min_rows = bulk_thresholds.BULK_MIN_ROWS
    keyed_share = bulk_thresholds.KEYED_SHARE
    live_max_rows = bulk_thresholds.LIVE_MAX_ROWS
    live_share = bulk_thresholds.LIVE_SHARE

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
        self.read_connections = read_connections or default_read_connections()
        self._lock = threading.RLock()
        self._closed = False
        self._writer_lock: ladybug_files.WriterLock | None = None
        self._head: tuple[int, str] | None = None  # the change log's head as last written
        # What the read model's maintenance did in the last write (bench: write amplification).
        self.last_readmodel = readmodel.Written()
        self.read_only = read_only
        if read_only and not path.exists():  # the engine would say "cannot create … READ ONLY"
            raise NotLoaded(f"there is no store at {path}, so it holds no catalogs: {_LOAD_HINT}")
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._writer_lock = ladybug_files.WriterLock(path)
                ladybug_files.remove_stale_stages(path)
            self._open(read_only)
        except (RuntimeError, OSError) as e:
            self._release_writer_lock()
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreLocked(
                    f"store {path} is locked by another process (one writer at a time; "
                    "readers can open it read-only)"
                ) from None
            raise StoreUnavailable(f"cannot open LadybugDB store at {path}: {msg}") from None

    def _open(self, read_only: bool = False) -> None:
        pool = read_only_pool_size() if read_only else 0
        self._db = ladybug.Database(str(self.path), read_only=read_only, buffer_pool_size=pool)
        self._conn = ladybug.Connection(self._db)
        # one engine thread per read connection: concurrent queries do not oversubscribe cores
        db = self._db
        connect = lambda: ladybug.Connection(db, num_threads=1)  # noqa: E731
        self._readers = ReadPool(connect, self.read_connections)

    @contextmanager
    def _reader(self) -> Iterator[ladybug.Connection]:
        """A pooled read connection (never the writer's). While a swap replaces the database
        file the pool is closed; a reader then waits for the swap (it holds the writer's lock)
        and takes a connection from the new pool."""
        while True:
            pool = self._readers
            try:
                conn = pool.acquire()
                break
            except PoolClosed:
                if self._closed:
                    raise StoreUnavailable(f"store {self.path} is closed") from None
                with self._lock:  # the swap in progress holds it until the new pool exists
                    pass
        try:
            yield conn
        finally:
            pool.release(conn)

    def _read(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        with self._reader() as conn:
            return _rows(conn, text, params)

    def _execute(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        return _rows(self._conn, text, params)

    # -- schema ---------------------------------------------------------------------------
    def apply_schema(self, schema: Schema = SCHEMA) -> None:
        """Create what is missing and check the rest; read-only, only check."""
        with self._lock:
            if not self.read_only:
                for stmt in cypher_gen.ladybug_ddl(schema):
                    self._execute(stmt)
            self._check_schema(schema)

    def _check_schema(self, schema: Schema) -> None:
        stamp = not self.read_only  # only a writer can stamp a table that passes
        stored, problems = ladybug_schema.problems(self._execute, schema, stamp=stamp)
        if self.read_only and not stored:
            raise NotLoaded(f"store {self.path} has no schema, so no catalogs: {_LOAD_HINT}")
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

    def read_now(self, name: str, /, **params: Any) -> list[Row] | None:
        """``read`` when a read connection is idle now, else None without waiting (nor while
        a swap replaces the database file): a keyed read is ≈ 0.1 ms in process, cheaper than
        the worker-thread hop an async route would otherwise pay for it."""
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        pool = self._readers
        try:
            conn = pool.try_acquire()
        except PoolClosed:
            return None
        if conn is None:
            return None
        try:
            return _rows(conn, query.text, params)
        except RuntimeError as e:
            raise QueryFailed(f"query {name} failed on LadybugDB: {e}") from None
        finally:
            pool.release(conn)

    def read_column(self, name: str, column: str, /, **params: Any) -> list[Any]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        try:
            with self._reader() as conn:  # the engine's iterator costs ≈ 5 µs a row; Arrow not
                result = conn.execute(query.text, params)
                table = result.get_as_arrow(chunk_size=0)  # type: ignore[union-attr]
        except RuntimeError as e:
            raise QueryFailed(f"query {name} failed on LadybugDB: {e}") from None
        return table[column].to_pylist() if table.num_rows else []

    def run_write(self, name: str, /, **params: Any) -> list[Row]:
        query = self.registry.get(name, self.kind)
        check_params(query, params)
        with self._transaction():
            rows = self._execute(query.text, params)
            # a write outside the logged path: no event can invalidate a fingerprint it makes
            # stale, so every fingerprint goes (the next load of each file reads it again);
            # nor can the read model follow it: its mark goes (readers compute from scratch)
            for drop in cypher_gen.LOAD_MARKS_DROP:
                self._execute(drop)
            self._execute(readmodel.MARK_DROP)
            return rows

    def write(self, batch: WriteBatch) -> None:
        batch = prepared_batch(batch)
        if batch.size() >= self.bulk_min_rows and not self._small_next_to_store(batch):
            self._write_delta(batch)
            return
        with self._transaction():  # keyed reads and writes only (graph/stores/ladybug_keyed.py)
            read = ladybug_audit.reader(self._conn)
            check_expectations(read, batch)  # a stale version refuses the batch (StaleWrite)
            state = diff.read_state(read, batch)
            events = ladybug_audit.drafts(self._conn, batch, state)
            tx = self._tx()
            created: dict[str, set[str]] = {}  # keys the batch creates: they reach nothing yet
            for n in batch.nodes:
                have = state.nodes.get(n.label, {})
                keys = {str(k) for k in ladybug_keyed.node_keys(n)} - set(have)
                created.setdefault(n.label, set()).update(keys)
            pending = readmodel.before(tx, batch, created)  # the cells the batch reaches
            ladybug_keyed.apply(read, batch, state)
            self.last_readmodel = readmodel.after(tx, pending)
            self._stamp(batch, self._append(events), self._run)

    def _small_next_to_store(self, batch: WriteBatch) -> bool:
        """Whether the batch's rows are at most ``keyed_share`` of the stored nodes of the
        labels it writes (one count per label)."""
        if not self.keyed_share:  # tests force the diff path
            return False
        rows = sum(len(n.rows) for n in batch.nodes) + sum(len(e.rows) for e in batch.edges)
        labels = {n.label for n in batch.nodes} | {e.src for e in batch.edges}
        counts = [self._read(cypher_gen.count_nodes(SCHEMA.node(x)))[0]["n"] for x in labels]
        stored = sum(int(n) for n in counts)
        return rows <= self.keyed_share * stored

    def _write_delta(self, batch: WriteBatch) -> None:
        """Diff the batch against the store; write only what differs (see ladybug_bulk)."""
        from graph.stores import ladybug_bulk  # pyarrow: only writes of bulk size need it

        with self._lock:
            check_expectations(ladybug_audit.reader(self._conn), batch)
            delta = ladybug_bulk.plan(self._conn, batch)
            size = delta.size()
            live = max(self.live_max_rows, int(delta.stored * self.live_share))
            if size <= live or not (self._writer_lock and self._writer_lock.sole()):
                with self._transaction():
                    events = ladybug_audit.delta_drafts(self._conn, delta, batch.source)
                    tx = self._tx()
                    pending = (
                        readmodel.before(tx, ladybug_audit.delta_batch(delta, batch.source))
                        if size
                        else None
                    )
                    if size:  # an unchanged re-load writes its "no-op load" event only
                        ladybug_bulk.apply_live(self._run, delta)
                    self.last_readmodel = readmodel.after(tx, pending)
                    self._stamp(batch, self._append(events), self._run)
                return
            # The events are read from the live file (the stage's copy of it) and written into
            # the staged copy, so they are swapped in with the data or not at all.
            events = ladybug_audit.delta_drafts(self._conn, delta, batch.source)

            mark = readmodel.mark(self._tx()) if delta.size() else None

            def work(run: Run) -> None:
                ladybug_bulk.apply_copy(run, delta)
                if mark is not None:  # swapped in without a model; rebuilt just below
                    run(readmodel.MARK_DROP, {})
                self._stamp(batch, self._append(events, write=run), run)

            self._stage_and_swap(work)
            if mark is not None:  # readers compute from scratch until this commits
                as_of, reading = mark["as_of"], mark["date_reading"]
                self.last_readmodel = self.in_transaction(
                    lambda tx: readmodel.rebuild_in(tx, as_of, reading, split=True)
                )

    def in_transaction(self, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in one write transaction (the read model's rebuild and refresh)."""
        with self._transaction():
            return work(self._tx())

    def _tx(self) -> Tx:
        """The open write transaction as the read model uses it (graph/readmodel/tx.py)."""
        read = ladybug_audit.reader(self._conn)

        def named(name: str, **params: Any) -> list[Row]:
            return read(self.registry.get(name, self.kind).text, params)

        def create(label: str, rows: list[Row]) -> None:
            ladybug_keyed.create_nodes(read, SCHEMA_AND_INTERNAL[label], rows)

        def append(events: list[Any]) -> None:
            self._append(events)

        def split() -> None:  # the caller holds the writer's lock throughout
            self._execute("COMMIT")
            self._execute("BEGIN TRANSACTION")

        return Tx(named, read, create, append, split)

    def _append(self, events: list[Any], write: Run | None = None) -> int:
        """Append the events after the head (the one this store wrote last, if it still is)."""
        self._head = ladybug_audit.append(self._conn, events, write, self._head)
        return self._head[0]

    @staticmethod
    def _stamp(batch: WriteBatch, seq: int, run: Run) -> None:
        """The batch's input fingerprints, taken at ``seq`` (its events' head), in its write."""
        if batch.stamps:
            query = cypher_gen.node_upsert("ladybug", FINGERPRINT)
            run(query, {"rows": stamped(batch.stamps, seq)})
        if batch.digests:
            entities = sorted({str(d["entity"]) for d in batch.digests})
            run(cypher_gen.ROW_DIGESTS_REPLACE, {"entities": entities})
            query = cypher_gen.node_create("ladybug", ROW_DIGESTS)
            run(query, {"rows": stamped(batch.digests, seq)})

    def _run(self, text: str, params: dict[str, Any]) -> list[list[Any]]:
        return _run_on(self._conn, text, params)

    def _stage_and_swap(self, work: Callable[[Run], None]) -> None:
        """Run ``work`` on a copy of the database, then rename the copy over the original.

        A SIGKILL at any moment leaves either the old file (the stage is discarded on the next
        open) or the new one, complete: it was checkpointed (no WAL), closed and fsynced before
        the rename, and a rename within a directory is atomic. The live file is checkpointed
        first, so no WAL belongs to it when it is replaced. Readers that opened the old file keep
        reading it; later ones open the new one.
        """
        if self._writer_lock is None:
            raise WriteFailed(f"store {self.path} is open read-only")
        stage = ladybug_files.side(self.path, f"stage-{os.getpid()}")
        self._execute("CHECKPOINT")
        try:
            ladybug_files.copy_durably(self.path, stage)
            db = ladybug.Database(str(stage))
            conn = ladybug.Connection(db)
            try:
                work(lambda text, params: _run_on(conn, text, params))
                conn.execute("CHECKPOINT")
            except RuntimeError as e:
                raise WriteFailed(
                    f"LadybugDB refused the write; nothing was written: {e}"
                ) from None
            finally:
                conn.close()
                db.close()
            wal = stage.with_name(stage.name + ".wal")
            if wal.exists():
                raise WriteFailed(f"staged copy {stage} kept a WAL after closing; not swapped in")
            ladybug_files.fsync(stage)
            self._readers.close()  # waits for the reads in flight; new ones wait for the swap
            self._conn.close()
            self._db.close()
            try:
                # never seen: CHECKPOINT removes the WAL
                if ladybug_files.side(self.path, "wal").exists():
                    raise WriteFailed(f"{self.path} has a WAL after CHECKPOINT; not swapped")
                os.replace(stage, self.path)
                ladybug_files.fsync(self.path.parent)
            finally:
                self._open()
        finally:
            for p in (stage, stage.with_name(stage.name + ".wal")):
                p.unlink(missing_ok=True)

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

    def present(self, label: str, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        q = cypher_gen.keys_present(SCHEMA.node(label))
        return {r["k"] for r in self._read(q, {"keys": sorted(set(keys))})}

    def key_array(self, label: str) -> Any:
        """Every key of the label's nodes as an Arrow string array (large stores: no Python set)."""
        import pyarrow as pa  # type: ignore[import-untyped]

        with self._lock:
            result = self._conn.execute(cypher_gen.list_keys(SCHEMA.node(label)))
            table = result.get_as_arrow(chunk_size=0)  # type: ignore[union-attr]
        if not table.num_rows:
            return pa.array([], pa.string())
        return table["k"].combine_chunks().cast(pa.string())

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.snapshot() as conn:  # every count from one committed state
            for n in SCHEMA.nodes:
                if n.label == AUDIT_LABEL:  # the data, not the log (graph/audit/read.py)
                    continue
                out[n.label] = _rows(conn, cypher_gen.count_nodes(n))[0]["n"]
            for r in SCHEMA.rels:
                for src, dst in r.endpoints:
                    q = cypher_gen.count_edges(r, src, dst)
                    out[f"{r.type}({src}->{dst})"] = _rows(conn, q)[0]["n"]
        return out

    @contextmanager
    def snapshot(self) -> Iterator[ladybug.Connection]:
        """A pooled read connection inside a read-only transaction: every statement run on it
        sees the same committed state, whatever commits meanwhile."""
        with self._reader() as conn:
            _rows(conn, "BEGIN TRANSACTION READ ONLY")
            try:
                yield conn
            finally:
                try:
                    _rows(conn, "COMMIT")
                except RuntimeError as e:  # a failed statement already ended the transaction
                    if "no active transaction" not in str(e).lower():
                        raise

    def clear(self, source: Source | None = None) -> None:
        """Delete every node and edge (the tables stay) but the audit log, and log the clear."""
        with self._transaction():
            self._append([log.store_wide("clear", source)])
            for drop in cypher_gen.LOAD_MARKS_DROP:
                self._execute(drop)
            self._execute(readmodel.CELLS_DROP)  # an empty graph has no cells; no model either
            self._execute(readmodel.MARK_DROP)
            for n in SCHEMA.nodes:
                if n.label == AUDIT_LABEL:  # the log survives clear (docs/audit.md)
                    continue
                self._execute(cypher_gen.clear_label(n))

    def close(self) -> None:
        self._closed = True
        self._readers.close()
        with self._lock:
            self._conn.close()
            self._db.close()
            self._release_writer_lock()

    def _release_writer_lock(self) -> None:
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None


def _run_on(conn: Any, text: str, params: dict[str, Any]) -> list[list[Any]]:
    return conn.execute(text, params).get_all()  # type: ignore[no-any-return]


def _rows(conn: ladybug.Connection, text: str, params: dict[str, Any] | None = None) -> list[Row]:
    result = conn.execute(text, params or {})
    result = result[-1] if isinstance(result, list) else result
    names = result.get_column_names()
    return [dict(zip(names, row, strict=True)) for row in result.get_all()]
