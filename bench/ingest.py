"""(e) Small deltas: evidence rows through ``POST /ingest`` and ``load inventory`` of a small file.

Works on a copy of the loaded store (``bench.load``'s, so the change log holds the first
import's events, as a user's store would; else the COPY-built one). Measures, end to end:

* ``POST /ingest`` over HTTP (FastAPI's TestClient: the whole app, auth, body validation and
  the route, without a socket) of 1, 100 and 10,000 new evidence rows, p50/p95 of several
  calls; each call is followed by the coverage read of the pair the first row covers, and the
  bench stops unless that read lists the new evidence (visible to the very next read);
* ``clausegraph load inventory`` of a one-row ``evidence.csv`` as a subprocess (start-up
  included), and the same load in process.

Every row is a new evidence item (``BENCH-…`` ids) supporting a control that applies to a
system, concerning that system, collected today.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import WORK, args, check, emit, loaded_store_path, percentile, remove_db

CALLS = {1: 12, 100: 10, 10_000: 3}
HEADER = ["id", "title", "kind", "uri", "sha256", "collected_on", "valid_until",
          "retention_days", "version", "owner", "supports", "concerns", "reports"]  # fmt: skip


def scratch_store(assets: int) -> Path:
    """A private copy of the loaded store (the bench writes to it), whose change log holds at
    least one event per evidence item (a COPY-built store has almost none; a store that was
    loaded has about one per row it holds)."""
    src = loaded_store_path(assets)
    dst = WORK / f"ingest-{assets}.db"
    remove_db(dst)
    shutil.copy(src, dst)
    seed_log(dst, 20 * assets)
    return dst


def seed_log(db: Path, events: int) -> None:
    """Append chained ``created`` events until the log holds ``events`` (COPY, one statement)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    from graph.audit import AUDIT_LABEL
    from graph.audit.diff import draft
    from graph.audit.events import Source, chain
    from graph.schema import SCHEMA
    from graph.stores import ladybug_audit
    from graph.stores.arrow_tables import node_schema
    from graph.stores.ladybug_store import LadybugStore

    store = LadybugStore(db)
    try:
        seq, prev = ladybug_audit.head(ladybug_audit.reader(store._conn))
        if seq >= events:
            return
        src = Source("bench", "load inventory", "seed")
        at = "2026-11-25T00:00:00.000000Z"
        drafts = (
            draft(src, at, "Evidence", f"E-{n:07d}", "created", {"id": [None, f"E-{n:07d}"]})
            for n in range(seq + 1, events + 1)
        )
        rows = [e.row() for e in chain(drafts, seq, prev)]
        schema = node_schema(SCHEMA.node(AUDIT_LABEL))
        table = pa.Table.from_pylist(rows, schema)
        store._conn.execute(f"COPY {AUDIT_LABEL} FROM $data", {"data": table})
    finally:
        store.close()


def target(db: Path) -> dict[str, Any]:
    """A system, a control that applies to it, an article the control covers, an owner."""
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(store="ladybug", db=db))
    try:
        row = store.dump(
            "MATCH (e:Evidence)-[:SUPPORTS]->(c:Control)-[:ADDRESSES]->(a:Article), "
            "(e)-[:CONCERNS]->(s:Asset)-[:SUBJECT_TO]->(a), (e)-[:OWNED_BY]->(o:Owner) "
            "RETURN s.id AS asset, c.id AS control, a.number AS article, o.id AS owner LIMIT 1"
        )[0]
        others = [r["k"] for r in store.dump("MATCH (s:Asset) RETURN s.id AS k LIMIT 2000")]
    finally:
        store.close()
    return {k: str(v) for k, v in row.items()} | {"others": others}


def rows(t: dict[str, Any], start: int, n: int) -> list[dict[str, Any]]:
    """The first row concerns the target system; the others spread over other systems (so the
    coverage read of the target stays the size it was)."""
    today = dt.date.today().isoformat()
    others = t["others"]
    return [
        {"id": f"BENCH-{start + i:08d}", "title": f"bench log {start + i}", "kind": "log",
         "uri": f"https://logs.example/bench/{start + i}", "collected_on": today,
         "owner": t["owner"], "supports": [t["control"]],
         "concerns": [t["asset"] if i == 0 else others[(start + i) % len(others)]]}
        for i in range(n)
    ]  # fmt: skip


def _stats(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1), "calls": len(ms)}  # fmt: skip


def http_ingest(db: Path, t: dict[str, Any]) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.auth import create_key
    from graph.settings import Settings

    keys = WORK / "ingest-keys.json"
    keys.unlink(missing_ok=True)
    editor = create_key(keys, "bench-editor", "editor")
    reader = create_key(keys, "bench-reader", "reader")
    settings = Settings(store="ladybug", db=db, api_keys_file=keys, max_ingest_bytes=64 << 20)
    out: dict[str, Any] = {}
    cov = f"/assets/{t['asset']}/coverage/{t['article']}"
    start = 0
    with TestClient(create_app(settings)) as client:
        for size, calls in CALLS.items():
            ingest_ms, visible_ms = [], []
            for _ in range(calls + 1):  # the first call warms the statement caches
                body = {"evidence": rows(t, start, size)}
                first = body["evidence"][0]["id"]
                t0 = time.perf_counter()
                r = client.post("/ingest", json=body, headers={"X-API-Key": editor})
                t1 = time.perf_counter()
                check(r.status_code == 200, f"ingest answered {r.status_code}: {r.text[:300]}")
                c = client.get(cov, headers={"X-API-Key": reader})
                t2 = time.perf_counter()
                seen = {e["id"] for p in c.json()["paths"] for e in p["evidence"]}
                check(first in seen, f"{first} not in the next coverage read of {cov}")
                ingest_ms.append((t1 - t0) * 1000)
                visible_ms.append((t2 - t0) * 1000)
                start += size
            out[f"http_{size}"] = _stats(ingest_ms[1:])
            out[f"http_{size}_then_coverage"] = _stats(visible_ms[1:])
    return out


def _one_row_file(folder: Path, t: dict[str, Any], n: int) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with (folder / "evidence.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, HEADER)
        w.writeheader()
        for r in rows(t, 90_000_000 + n, 1):
            w.writerow(r | {"supports": r["supports"][0], "concerns": r["concerns"][0]})
    return folder


def _times(fn: Callable[[int], None], n: int) -> list[float]:
    ms = []
    for i in range(n + 1):
        t0 = time.perf_counter()
        fn(i)
        ms.append((time.perf_counter() - t0) * 1000)
    return ms[1:]


def load_file(db: Path, t: dict[str, Any]) -> dict[str, Any]:
    exe = str(Path(sys.executable).with_name("clausegraph"))

    def cli(i: int) -> None:
        folder = _one_row_file(WORK / "ingest-one-row", t, i)
        cmd = [exe, "--db", str(db), "load", "inventory", str(folder)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)  # noqa: S603

    cli_ms = _times(cli, 5)
    from graph.settings import Settings
    from graph.stores import open_store
    from loaders.inventory import load_inventory

    store = open_store(Settings(store="ladybug", db=db))
    try:
        inproc = _times(
            lambda i: load_inventory(store, _one_row_file(WORK / "ingest-one-row", t, 100 + i)), 10
        )
    finally:
        store.close()
    return {"cli_load_1_row": _stats(cli_ms), "load_1_row_in_process": _stats(inproc)}


def main() -> None:
    a = args(__doc__ or "")
    db = scratch_store(a.assets)
    t = target(db)
    result: dict[str, Any] = {"bench": "ingest", "assets": a.assets}
    result |= http_ingest(db, t)
    result |= load_file(db, t)
    remove_db(db)
    emit(result)


if __name__ == "__main__":
    main()
