"""Keeps the server's read model (graph/readmodel), gap rows (graph/gaprows) and kept gap
report (graph/gapreport) on today's date: refreshed at start and on the first request of a new
day, in a background thread, so no request waits for it. Until a refresh commits, the model
answers for another day and readers compute from scratch: a request is never answered from a
stale cell."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
from collections.abc import Callable

from graph.audit.events import Source, acting
from graph.errors import ClausegraphError
from graph.stores import Store

log = logging.getLogger("clausegraph.api")


class ReadModelKeeper:
    def __init__(
        self, store: Store, date_reading: str, today: Callable[[], dt.date] = dt.date.today,
        *, freeze: bool = False,
    ) -> None:  # fmt: skip
        self.store, self.date_reading, self.today = store, date_reading, today
        self.freeze = freeze  # gc.freeze() what the refresh built (the server's own process)
        self._lock = threading.Lock()
        self._day: dt.date | None = None  # the day the last refresh was started for
        self._thread: threading.Thread | None = None

    def touch(self) -> None:
        """Start a refresh if the day changed since the last one (cheap otherwise)."""
        day = self.today()
        if day == self._day:
            return
        with self._lock:
            if day == self._day or (self._thread and self._thread.is_alive()):
                return
            self._day = day
            self._thread = threading.Thread(
                target=self._refresh, args=(day,), name="readmodel-refresh", daemon=True
            )
            self._thread.start()

    def join(self) -> None:
        """Wait for a refresh in flight (shutdown; tests that read their own refresh)."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def _refresh(self, day: dt.date) -> None:
        from api.session import Clausegraph, refresh_gap_rows
        from graph.readmodel import ops

        try:
            with acting(Source(actor="clausegraph", command="serve: refresh read model")):
                ops.refresh(self.store, day, self.date_reading)
            refresh_gap_rows(self.store, day)
            # build the gap report this process keeps (graph/gapreport), so the first read and
            # the first reconcile after an ingest patch it instead of shaping every gap
            Clausegraph(self.store).gaps(day)
            # and take what it built out of the cyclic collector's walks: a full collection
            # walks every tracked object, ≈ 1 s at 100k systems (millions of kept gaps), and
            # request garbage sets one off now and then: the coverage route's p99 was 1.1 s
            # (graph/gc_pause.py says why the report's objects need no collecting: they hold
            # no cycles, so reference counting frees them when the report is replaced)
            if self.freeze:
                gc.collect()
                gc.freeze()
        except ClausegraphError as e:  # the readers compute from scratch meanwhile
            log.warning("read model refresh for %s failed: %s", day, e)
            with self._lock:
                self._day = None
