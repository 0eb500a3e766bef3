"""(g) The maintained gap rows (graph/gaprows): build, size, the report read from them, writes.

`python -m bench.gaprows --assets 10000`: on a private copy of the loaded store
(``bench.ingest.scratch_store``), for today's report, from one run:

* the first build (``clausegraph refresh`` on a store without gap rows: every gap query's
  scoped twin over every node of its anchor label) and the rows' size (JSON bytes);
* the gap report: every query in full (``find_gaps`` without stored rows, median of
  ``repeats``) against the report read from the maintained rows (``Clausegraph.gaps``), with
  the ratio; the bench stops unless both give the same gaps;
* after each of ``INGESTS`` one-row evidence ingests (``load_inventory``, as ``POST /ingest``
  runs it): the report read from the rows as they stand (the events since the mark followed,
  nothing saved) and the update a reconcile runs (``model.update``: re-run and save), p50/p95,
  with the (query, subject) pairs re-run; every report is checked against the full queries;
* ``check-consistency`` for the gap rows (``model.differences``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from bench.common import args, best_of, check, emit, percentile, remove_db, repeats
from bench.ingest import rows, scratch_store, target

INGESTS = 10


def _stats(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1),
            "calls": len(ms)}  # fmt: skip


def main() -> None:
    from api.routes.ingest import raw_from_body
    from api.session import Clausegraph, gap_context
    from graph.gaprows import model
    from graph.gaps import find_gaps
    from graph.models import Inventory
    from graph.settings import Settings
    from graph.stores import open_store
    from loaders.inventory import load_inventory

    n = args(__doc__.splitlines()[0]).assets
    db = scratch_store(n)
    t = target(db)
    ctx = gap_context(dt.date.today())
    store = open_store(Settings(store="ladybug", db=db))
    cg = Clausegraph(store)
    out: dict[str, Any] = {"bench": "gaprows", "assets": n}
    try:
        t0 = time.perf_counter()
        built = model.update(store, ctx)
        out["build_s"] = round(time.perf_counter() - t0, 2)
        out["build_pairs"] = built.recomputed
        stored = store.read("gaprows.buckets")
        out["buckets"] = len(stored)
        out["rows_mb"] = round(sum(len(r["rows"]) for r in stored) / 2**20, 1)

        full_s, full = best_of(repeats(n), lambda: find_gaps(store, ctx))
        kept_s, kept = best_of(repeats(n), lambda: cg.gaps(ctx.as_of))
        check(kept == full, "the report from the gap rows differs from the full queries")
        out |= {"gaps": len(full), "report_full_s": round(full_s, 3),
                "report_from_rows_s": round(kept_s, 3),
                "report_speedup": round(full_s / kept_s, 1)}  # fmt: skip

        read_ms, update_ms, pairs = [], [], []
        for i in range(INGESTS):
            body = Inventory.model_validate({"evidence": rows(t, 90_000_000 + i, 1)})
            load_inventory(store, raw_from_body(body))
            t0 = time.perf_counter()
            got = cg.gaps(ctx.as_of)
            t1 = time.perf_counter()
            cur = model.update(store, ctx)
            t2 = time.perf_counter()
            check(got == find_gaps(store, ctx), f"ingest {i}: the report from the rows differs")
            read_ms.append((t1 - t0) * 1000)
            update_ms.append((t2 - t1) * 1000)
            pairs.append(cur.recomputed)
        out |= {"report_after_1_row_ingest": _stats(read_ms),
                "update_after_1_row_ingest": _stats(update_ms),
                "pairs_rerun_per_ingest": statistics.median(pairs)}  # fmt: skip

        t0 = time.perf_counter()
        problems = model.differences(store, ctx)
        out["check_consistency_s"] = round(time.perf_counter() - t0, 2)
        check(not problems, f"check-consistency: {problems[:3]}")
    finally:
        store.close()
        remove_db(db)
    emit(out)


if __name__ == "__main__":
    main()
