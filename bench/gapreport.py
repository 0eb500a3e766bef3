"""(g) The kept gap report and the scoped reconcile (graph/gapreport): what a long-lived process
pays for the report and the findings after each small write.

On a copy of the bench store: the report from scratch (the reference), the kept report built
(from the maintained gap rows, as `serve` does after its start-up refresh) and the first reconcile
through it (every gap opens a finding); then ``--ingests`` 1-row evidence ingests, each followed by
what the API's reconcile worker runs (``Clausegraph.gaps_reconciled``: the report patched, the
findings compared for the ids that moved), timed as a whole and as its patch alone; then one
100-row ingest the same way. At the end the kept report must equal the from-scratch report gap for
gap, and a full reconcile must find nothing to do.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from api.session import Clausegraph, gap_context, refresh_gap_rows
from bench.common import (
    args,
    check,
    emit,
    loaded_store_path,
    peak_rss_mb,
    percentile,
    remove_db,
    scratch_copy,
    timed,
)
from graph.audit.events import Source, acting
from graph.findings import reconcile
from graph.gapreport import keeper
from graph.gaps import find_gaps
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.inventory import load_inventory

AS_OF = dt.date(2026, 11, 25)


def main() -> None:
    a = args(__doc__ or "")
    ingests = 10  # 1-row ingests, each followed by the reconcile worker's step
    path = scratch_copy(loaded_store_path(a.assets), f"gapreport-{a.assets}.db")
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    ctx = gap_context(AS_OF)
    cg = Clausegraph(store)
    t_full, full = timed(lambda: find_gaps(store, ctx))
    t_rows, _ = timed(lambda: refresh_gap_rows(store, AS_OF))
    t_build, kept = timed(lambda: keeper.gaps(store, ctx))
    check(kept == full, "the kept report equals the full report")
    t_first, first = timed(lambda: cg.reconcile(today=AS_OF))
    check(len(first.opened) == len(full), "every gap opened a finding")
    rss_kept = peak_rss_mb()
    targets = [g for g in full if g.rule in ("control_without_evidence", "high_risk_without_logs")
               ][:ingests]  # fmt: skip
    whole: list[float] = []
    patch: list[float] = []
    moved: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, gap in enumerate(targets):
            link = {"supports": [gap.subject]} if gap.rule == "control_without_evidence" else {
                "concerns": [gap.subject], "kind": "log"}  # fmt: skip
            _ingest(store, Path(tmp), n, [link])
            t0 = time.perf_counter()
            report = cg.reconcile(today=AS_OF)  # api/reconciler.py after POST /ingest
            whole.append(time.perf_counter() - t0)
            check(gap.id in report.resolved, f"{gap.id} resolved")
            k = keeper.kept(store)
            last = k.last if k is not None else None
            check(last is not None, "the report was patched")
            moved.append(len(last.added) + len(last.removed) if last else 0)
            # the patch alone: the next ingest, then only the report
            _ingest(store, Path(tmp), 1000 + n, [{"concerns": [full[n].asset or ""]}]
                    if full[n].asset else [{}])  # fmt: skip
            t_patch, _ = timed(lambda: keeper.gaps(store, ctx))
            patch.append(t_patch)
        more = [g for g in full if g.rule == "control_without_evidence"][ingests : ingests + 100]
        systems = sorted({g.asset for g in full if g.asset})[: 100 - len(more)]
        _ingest(store, Path(tmp), 5000, [{"supports": [g.subject]} for g in more]
                + [{"concerns": [s]} for s in systems])  # fmt: skip
        t_100, r100 = timed(lambda: cg.reconcile(today=AS_OF))
    k = keeper.kept(store)
    scoped = k.scoped if k is not None else 0
    check(scoped >= len(targets), f"every reconcile after an ingest was scoped ({scoped})")
    t_check, final = timed(lambda: find_gaps(store, ctx))
    check(keeper.gaps(store, ctx) == final, "the kept report still equals the full report")
    t_full_rec, again = timed(lambda: reconcile(store, final, ctx, today=AS_OF))
    check(again.summary() == "findings: no change", f"a full reconcile after: {again.summary()}")
    rss = peak_rss_mb()
    store.close()
    remove_db(path)
    emit({"bench": "gapreport", "assets": a.assets, "gaps": len(full),
          "report_full_s": round(t_full, 3), "gap_rows_build_s": round(t_rows, 3),
          "kept_build_s": round(t_build, 3), "first_reconcile_s": round(t_first, 3),
          "after_1_row": _ms(whole), "patch_alone_1_row": _ms(patch),
          "ids_moved_per_ingest": moved, "after_100_rows_s": round(t_100, 3),
          "after_100": r100.summary(), "scoped_reconciles": scoped,
          "full_reconcile_after_s": round(t_full_rec, 3), "report_full_end_s": round(t_check, 3),
          "peak_rss_mb_with_kept": round(rss_kept), "peak_rss_mb": round(rss)})  # fmt: skip


def _ms(values: list[float]) -> dict[str, Any]:
    return {"calls": len(values), "p50_ms": round(1000 * percentile(values, 50), 1),
            "p95_ms": round(1000 * percentile(values, 95), 1)}  # fmt: skip


def _ingest(store: Store, tmp: Path, n: int, links: list[dict[str, Any]]) -> None:
    """Load evidence items (one per entry of ``links``) as the bench's actor."""
    rows = [{"id": f"E-GR-{n}-{i}", "title": "bench", "kind": "test_report",
             "uri": "https://example.org/bench", "version": "1", "sha256": "0" * 64,
             "collected_on": AS_OF.isoformat(), "retention_days": 365, **link}
            for i, link in enumerate(links)]  # fmt: skip
    (tmp / f"{n}.json").write_text(json.dumps({"evidence": rows}), encoding="utf-8")
    with acting(Source("bench", "POST /ingest")):
        load_inventory(store, tmp / f"{n}.json")


if __name__ == "__main__":
    main()
