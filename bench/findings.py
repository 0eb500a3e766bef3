"""(f) Findings: the first reconcile, and the reconcile after a 1-row ingest (docs/remediation.md).

On a copy of the bench store (the synthetic organisation at --assets systems): the full gap run,
the first reconcile (every gap becomes a finding), a reconcile with nothing new (writes
nothing), a 1-row ingest (one evidence item for a control without evidence), the gap run and
the reconcile after it (the finding resolved, naming the ingest); the gap rows built, a
second 1-row ingest and the reconcile the product runs after it (the report from the maintained
gap rows, then the reconcile: api/reconciler.py); a re-load of the organisation
with 1 % of every file's rows edited (bench.load.changed_copy) and the gap run and reconcile
after it, and `findings --overdue` (filter in the store) as p50/p95 of 20 calls.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from api.session import Clausegraph, gap_context, refresh_gap_rows
from bench.common import (
    args,
    check,
    emit,
    loaded_store_path,
    percentile,
    remove_db,
    scratch_copy,
    timed,
)
from bench.load import changed_copy
from graph.audit.events import Source, acting
from graph.findings import io, log, reconcile
from graph.findings.query import Filters, listed
from graph.gaps import find_gaps
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.inventory import load_inventory

AS_OF = dt.date(2026, 11, 25)


def main() -> None:
    a = args(__doc__ or "")
    path = scratch_copy(loaded_store_path(a.assets), f"findings-{a.assets}.db")
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    ctx = gap_context(AS_OF)
    t_gaps, gaps = timed(lambda: find_gaps(store, ctx))
    t_first, first = timed(lambda: reconcile(store, gaps, ctx, today=AS_OF))
    check(len(first.opened) == len(gaps), "every gap opens a finding")
    t_noop, noop = timed(lambda: reconcile(store, gaps, ctx, today=AS_OF))
    check(noop.summary() == "findings: no change", noop.summary())
    control = next(g for g in gaps if g.rule == "control_without_evidence")  # finding ids
    system = next(g for g in gaps if g.rule == "high_risk_without_logs")
    with tempfile.TemporaryDirectory() as tmp:
        t_ingest = _ingest(store, Path(tmp), 1, supports=[control.subject])
        t_gaps2, gaps2 = timed(lambda: find_gaps(store, ctx))
        t_rec, after = timed(lambda: reconcile(store, gaps2, ctx, today=AS_OF))
        check(control.id in after.resolved, f"{control.id} resolved by the ingest")
        check(io.get(store, control.id).resolved_by == ("bench",), "the ingest is named")
        # What the product runs after an ingest (api/reconciler.py: Clausegraph.reconcile):
        # the maintained gap rows brought to the log's head, the report from them, the
        # reconcile. The rows are built once first, as `serve` and `refresh` do.
        cg = Clausegraph(store)
        t_rows, _ = timed(lambda: refresh_gap_rows(store, AS_OF))
        _ingest(store, Path(tmp), 2, kind="log", concerns=[system.subject])
        t_product, after2 = timed(lambda: cg.reconcile(today=AS_OF))
        check(system.id in after2.resolved, f"{system.id} resolved (maintained rows)")
    seq = log.head_seq(store)
    with acting(Source("bench", "load inventory")):  # every file differs by 1 % of its rows
        t_reload, _ = timed(lambda: load_inventory(store, changed_copy(a.assets, 0.01)))
    changed = log.head_seq(store) - seq
    check(changed > a.assets // 100, f"the 1 % re-load logged {changed} events")
    t_gaps3, gaps3 = timed(lambda: find_gaps(store, ctx))
    t_rec3, after3 = timed(lambda: reconcile(store, gaps3, ctx, today=AS_OF))
    lists = [timed(lambda: listed(store, Filters(overdue=True), AS_OF))[0] for _ in range(20)]
    store.close()
    remove_db(path)
    emit({"bench": "findings", "assets": a.assets, "findings": len(gaps),
          "gap_run_s": round(t_gaps, 3), "first_reconcile_s": round(t_first, 3),
          "noop_reconcile_s": round(t_noop, 3), "ingest_1_row_s": round(t_ingest, 3),
          "gap_run_after_s": round(t_gaps2, 3), "reconcile_after_1_row_s": round(t_rec, 3),
          "after": after.summary(), "gap_rows_build_s": round(t_rows, 3),
          "product_reconcile_after_1_row_s": round(t_product, 3), "product_after": after2.summary(),
          "reload_1pct_s": round(t_reload, 3),
          "reload_events": changed,
          "gap_run_after_reload_s": round(t_gaps3, 3),
          "reconcile_after_reload_s": round(t_rec3, 3), "after_reload": after3.summary(),
          "findings_overdue_p50_ms": round(1000 * percentile(lists, 50), 1),
          "findings_overdue_p95_ms": round(1000 * percentile(lists, 95), 1)})  # fmt: skip


def _ingest(
    store: Store, tmp: Path, n: int, kind: str = "test_report", **links: list[str]
) -> float:
    """Load one evidence item with these links as the bench's actor; the seconds it took."""
    doc = {"evidence": [{"id": f"E-BENCH-{n}", "title": "bench", "kind": kind,
                         "uri": "https://example.org/bench", "version": "1",
                         "sha256": "0" * 64, "collected_on": AS_OF.isoformat(),
                         "retention_days": 365, **links}]}  # fmt: skip
    (tmp / f"{n}.json").write_text(json.dumps(doc), encoding="utf-8")
    with acting(Source("bench", "load inventory")):
        return timed(lambda: load_inventory(store, tmp / f"{n}.json"))[0]


if __name__ == "__main__":
    main()
