"""Findings reconciliation after `POST /ingest`, off the request's path.

Reconciling runs the whole gap report (seconds at 100,000 systems) while the ingest itself
takes milliseconds, so the route only asks for a reconcile; one worker thread runs it, and a
burst of ingests is coalesced into one run. Reads of findings (the /findings, /digest and
/metrics/remediation routes, and the gap route, which reconciles itself) first wait for a
pending run: a client that ingests and then asks about its finding reads its own write.
"""

from __future__ import annotations

import logging
import threading

from api.session import Clausegraph
from graph.audit.events import Source, acting
from graph.stores import Store

log = logging.getLogger("clausegraph.api")


class Reconciler:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._cond = threading.Condition()
        self._pending = False
        self._running = False
        self._source: Source | None = None

    def request(self, source: Source) -> None:
        """Reconcile soon (the source names the write that asked, for the change log)."""
        with self._cond:
            self._pending, self._source = True, source
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="reconcile", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._pending:
                    self._running = False
                    self._cond.notify_all()
                    return
                self._pending, source = False, self._source
            try:
                with acting(source or Source("clausegraph", "POST /ingest")):
                    Clausegraph(self.store).reconcile_after_load()
            except Exception:  # logged; the next ingest or findings read asks again
                log.exception("reconciling the findings after an ingest failed")

    def flush(self) -> None:
        """Wait until no reconcile is pending or running."""
        with self._cond:
            while self._pending or self._running:
                self._cond.wait()
