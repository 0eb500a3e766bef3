"""(f) The maintained read model (graph/readmodel): build, size, lookups, writes, consistency.

Works on a private copy of the loaded store (``bench.ingest.scratch_store``: its change log
seeded to one event per evidence item, as a loaded store's is). Measures, from one run:

* the first build (``clausegraph refresh`` on a store without a model: every cell, set-based)
  and the model's size: cells, and the database file before and after (checkpointed);
* ``check-consistency``: the from-scratch recomputation compared with every stored cell (the
  bench stops unless it finds no difference);
* coverage in process from the model: p50/p95 of ``graph.coverage.coverage`` over random real
  pairs, and of the engine's bare keyed lookup of the same cells (the floor), with the ratio;
  each sampled answer is checked against the from-scratch ``compute``;
* ``POST /ingest`` of one new evidence row end to end (FastAPI's TestClient; the findings
  reconcile it asks for, which runs off the request's path, kept out), p50/p95, first on the
  store without a model, then with it, with
  the write amplification of each: the cells the write recomputed and those it rewrote; after
  each, the coverage read of the pair the row covers must list it (read from the model);
* a re-date by one day (``refresh`` to tomorrow: only the cells whose date has come).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import WORK, args, check, emit, percentile, remove_db
from bench.coverage import sample_pairs
from bench.ingest import rows, scratch_store, target

INGESTS = 15


def _stats(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(percentile(ms, 95), 3),
            "calls": len(ms)}  # fmt: skip


def _file_mb(db: Path) -> float:
    return round(db.stat().st_size / 2**20, 1)


def build(db: Path, day: dt.date) -> dict[str, Any]:
    from graph.readmodel import ops
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(store="ladybug", db=db))
    store.apply_schema()
    store.close()  # checkpointed: the file holds everything
    before = _file_mb(db)
    store = open_store(Settings(store="ladybug", db=db))
    try:
        t0 = time.perf_counter()
        done = ops.refresh(store, day)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        problems = ops.differences(store)
        check_s = time.perf_counter() - t0
        check(not problems, f"check-consistency found {len(problems)}: {problems[:3]}")
        t0 = time.perf_counter()
        redate = ops.refresh(store, day + dt.timedelta(days=1))
        redate_s = time.perf_counter() - t0
        ops.refresh(store, day)  # back to today (a rebuild) for the reads and writes below
    finally:
        store.close()
    return {"build_s": round(build_s, 1), "cells": done.written,
            "db_mb_without_model": before, "db_mb_with_model": _file_mb(db),
            "check_consistency_s": round(check_s, 1),
            "redate_one_day_s": round(redate_s, 2), "redate_cells_recomputed": redate.recomputed,
            "redate_cells_written": redate.written}  # fmt: skip


def lookups(db: Path, day: dt.date) -> dict[str, Any]:
    from graph.coverage import article_key, compute, coverage
    from graph.settings import Settings
    from graph.stores import open_store
    from graph.stores.ladybug_store import LadybugStore

    store = open_store(Settings(store="ladybug", db=db))
    check(isinstance(store, LadybugStore), "the bench needs LadybugDB")
    floor_text = "MATCH (c:CoverageCell {id: $key}) RETURN c.answer AS answer"
    try:
        pairs = sample_pairs(store, 300)
        for asset, article in pairs[:30]:  # warm the statement caches
            coverage(store, asset, article, day)
            store._read(floor_text, {"key": f"{asset}|{article_key(article)}"})
        model, floor = [], []
        for asset, article in pairs:
            t0 = time.perf_counter()
            coverage(store, asset, article, day)
            t1 = time.perf_counter()
            store._read(floor_text, {"key": f"{asset}|{article_key(article)}"})
            t2 = time.perf_counter()
            model.append((t1 - t0) * 1000)
            floor.append((t2 - t1) * 1000)
        for asset, article in pairs[:50]:
            check(coverage(store, asset, article, day) == compute(store, asset, article, day),
                  f"model and from-scratch answers differ for {asset}, {article}")  # fmt: skip
        t0 = time.perf_counter()
        for asset, article in pairs[:100]:
            compute(store, asset, article, day)
        scratch_ms = (time.perf_counter() - t0) * 10
    finally:
        store.close()
    m, f = _stats(model), _stats(floor)
    return {"coverage_model": m, "coverage_bare_keyed_lookup": f,
            "coverage_ratio_to_floor_p95": round(m["p95_ms"] / f["p95_ms"], 2),
            "coverage_from_scratch_mean_ms": round(scratch_ms, 2)}  # fmt: skip


def ingest(db: Path, t: dict[str, Any], *, model: bool = True) -> dict[str, Any]:
    """``model=False``: the same ingests on a store without a model (the server's keeper kept
    from building one), for the before/after comparison."""

    from api.auth import create_key
    from api.keeper import ReadModelKeeper
    from api.reconciler import Reconciler
    from graph.settings import Settings

    keys = WORK / "readmodel-keys.json"
    keys.unlink(missing_ok=True)
    editor = create_key(keys, "bench-editor", "editor")
    reader = create_key(keys, "bench-reader", "reader")
    settings = Settings(store="ladybug", db=db, api_keys_file=keys)
    cov = f"/assets/{t['asset']}/coverage/{t['article']}"
    # The findings reconcile after each ingest runs off the request's path (api/reconciler.py);
    # at 100k its first run opens about 1.3M findings (over 16 GB, minutes), so it is kept out
    # of this bench: these figures are the ingest and the read model's share of it.
    touch, request = ReadModelKeeper.touch, Reconciler.request
    Reconciler.request = lambda self, source: None  # type: ignore[method-assign]
    if not model:
        ReadModelKeeper.touch = lambda self: None  # type: ignore[method-assign]
    try:
        return _ingests(settings, t, editor, reader, cov, model)
    finally:
        ReadModelKeeper.touch = touch  # type: ignore[method-assign]
        Reconciler.request = request  # type: ignore[method-assign]


def _ingests(
    settings: Any, t: dict[str, Any], editor: str, reader: str, cov: str, model: bool
) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.app import create_app

    ms, recomputed, written = [], [], []
    with TestClient(create_app(settings)) as client:
        client.app.state.readmodel.join()  # type: ignore[attr-defined]  # today's model: current
        store = client.app.state.store  # type: ignore[attr-defined]
        for i in range(INGESTS + 1):  # the first call warms the statement caches
            body = {"evidence": rows(t, (80_000_000 if model else 81_000_000) + i, 1)}
            t0 = time.perf_counter()
            r = client.post("/ingest", json=body, headers={"X-API-Key": editor})
            elapsed = (time.perf_counter() - t0) * 1000
            check(r.status_code == 200, f"ingest answered {r.status_code}: {r.text[:300]}")
            done = store.last_readmodel
            c = client.get(cov, headers={"X-API-Key": reader})
            seen = {e["id"] for p in c.json()["paths"] for e in p["evidence"]}
            check(body["evidence"][0]["id"] in seen, f"the new row is not in {cov}")
            if i:
                ms.append(elapsed)
                recomputed.append(done.recomputed)
                written.append(done.written)
    if not model:
        return {"http_ingest_1_row_without_model": _stats(ms)}
    return {"http_ingest_1_row": _stats(ms),
            "write_amplification_cells_recomputed": statistics.median(recomputed),
            "write_amplification_cells_written": statistics.median(written)}  # fmt: skip


def main() -> None:
    a = args(__doc__ or "")
    db = scratch_store(a.assets)
    t = target(db)
    today = dt.date.today()
    result: dict[str, Any] = {"bench": "readmodel", "assets": a.assets}
    for step in (lambda: ingest(db, t, model=False), lambda: build(db, today),
                 lambda: lookups(db, today), lambda: ingest(db, t)):  # fmt: skip
        result |= step()
        print(json.dumps(result, default=str), file=sys.stderr)  # noqa: T201  (progress)
    result["load_average"] = os.getloadavg()
    remove_db(db)
    emit(result)


if __name__ == "__main__":
    main()
