"""The graph behind a long-running stdio MCP server: read-only, and never older than the file.

A read-only LadybugDB connection keeps answering from the state it opened on, so a server that
runs all day would miss every later load or ingest. :class:`FreshReader` reopens the store when
the database file or its write-ahead log has changed since it was opened (a stat per call,
about a microsecond; a reopen about 60 ms). Neo4j is always current and is opened once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from api.session import Clausegraph
from graph.settings import Settings
from graph.stores import Store, open_store
from graph.stores.ladybug_files import side


def _stamp(db: Path) -> tuple[tuple[int, int, int], ...]:
    out = []
    for f in (db, side(db, "wal")):
        try:
            st = os.stat(f)
        except FileNotFoundError:
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


class FreshReader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[int, int, int], ...] | None = None
        self._store: Store | None = None
        self._retired: Store | None = None  # the previous store: a call may still be reading it

    def session(self) -> Clausegraph:
        with self._lock:  # tools run in worker threads
            if self.settings.store == "ladybug":
                now = _stamp(self.settings.db)
                if self._store is not None and now != self._stamp:
                    if self._retired is not None:
                        self._retired.close()
                    self._retired, self._store = self._store, None
                self._stamp = now
            if self._store is None:
                self._store = open_store(self.settings, read_only=True)
                self._store.apply_schema()  # read-only: checks the schema, creates nothing
            return Clausegraph(self._store)

    def close(self) -> None:
        for store in (self._store, self._retired):
            if store is not None:
                store.close()
