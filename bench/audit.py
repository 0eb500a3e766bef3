"""(g) The audit log: what it costs on loads and ingests, and how fast it answers at scale.

Runs the same loads twice, each in a fresh process and store — once as shipped, once with the
log switched off inside this bench only (``ladybug_audit.drafts`` and ``delta_drafts`` patched
to return no events, so nothing is diffed or appended) — and prints, for the first import, a
1%-changed re-load and a 1-row ingest (``POST /ingest``'s path: ``raw_from_body`` then
``load_inventory``; median of 7), the seconds with and without the log and the overhead
``with / without - 1``. The run with the log also reports the seconds spent inside the audit
code (diff + append, timed by wrapping it).

Then, on the store with the log (its event count is printed): ``history`` of one entity, p50 and
p95 over 40 random assets and evidence items, and ``changes --since`` a point 1,000 events
before the head (a recent audit) and over the whole log (``--since`` event 0).

``python -m bench.audit --assets 10000 [--grow 2]`` (not part of ``make bench``: it loads
everything twice). ``--grow K`` then loads the organisations of seeds 2 … K+1 over the logged
store (same ids, other values) to measure the reads on a longer log.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import WORK, check, emit, fresh_store, org, percentile, timed
from bench.load import changed_copy

LOG_DB = "audit-{n}.db"


def _ingest_body(folder: Path, i: int) -> Any:
    """One asset row of the organisation as an ingest body, its description edited (``i``)."""
    from api.routes.ingest import raw_from_body
    from graph.models import Inventory

    with (folder / "assets.csv").open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    clean: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
    clean["datasets"] = row["datasets"].split(";") if row.get("datasets") else []
    clean["description"] = f"edited by bench ingest {i}"
    return raw_from_body(Inventory.model_validate({"assets": [clean]}))


def loads(assets: int, folder: Path, changed: Path, log: bool) -> dict[str, float]:
    """First import, 1%-changed re-load, 1-row ingests; seconds (and audit seconds)."""
    from graph.stores import ladybug_audit
    from loaders.inventory import load_inventory

    spent = [0.0]

    def clock(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*a: Any, **kw: Any) -> Any:
            seconds, out = timed(lambda: fn(*a, **kw))
            spent[0] += seconds
            return out

        return wrapped

    if log:
        ladybug_audit.drafts = clock(ladybug_audit.drafts)  # type: ignore[method-assign]
        ladybug_audit.delta_drafts = clock(ladybug_audit.delta_drafts)  # type: ignore[method-assign]
        ladybug_audit.append = clock(ladybug_audit.append)  # type: ignore[method-assign]
    else:
        ladybug_audit.drafts = lambda conn, batch, state=None: []  # type: ignore[assignment]
        ladybug_audit.delta_drafts = lambda conn, delta, source: []  # type: ignore[assignment]
    name = LOG_DB.format(n=assets) if log else f"audit-off-{assets}.db"
    store = fresh_store(WORK / name)
    out: dict[str, float] = {}
    for step, source in (("first", folder), ("changed", changed)):
        spent[0] = 0.0
        out[step], _ = timed(lambda s=source: load_inventory(store, s))
        out[f"{step}_audit"] = spent[0]
    times, audit = [], []
    for i in range(8):
        body = _ingest_body(folder, i)
        spent[0] = 0.0
        seconds, _ = timed(lambda b=body: load_inventory(store, b))
        if i:  # the first one warms the caches
            times.append(seconds)
            audit.append(spent[0])
    out["ingest"], out["ingest_audit"] = statistics.median(times), statistics.median(audit)
    store.close()
    return out


def grow(assets: int, seeds: int) -> int:
    """More events on the logged store: load the organisations of seeds 2, 3 … over it (same
    ids, other values and links: mostly updates, links and unlinks). Returns the new head."""
    from graph.audit import read
    from graph.settings import Settings
    from graph.stores import open_store
    from loaders.inventory import load_inventory
    from synth.organisation import synth

    store = open_store(Settings(store="ladybug", db=WORK / LOG_DB.format(n=assets)))
    store.apply_schema()
    for seed in range(2, 2 + seeds):
        out = WORK / f"org-{assets}-seed{seed}"
        if not (out / "evidence.csv").exists():
            synth(assets, seed, out, "csv")
        load_inventory(store, out)
    head = int(read.head(store)["seq"])
    store.close()
    return head


def queries(assets: int) -> dict[str, Any]:
    from api.session import Clausegraph
    from graph.audit import read
    from graph.audit.changes import Bound, changes
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(store="ladybug", db=WORK / LOG_DB.format(n=assets)))
    store.apply_schema()
    head = int(read.head(store)["seq"])
    rng = random.Random(1)  # noqa: S311  # a sample, not a secret
    keys = [("Asset", k) for k in rng.sample(sorted(store.keys("Asset")), 20)]
    keys += [("Evidence", k) for k in rng.sample(sorted(store.keys("Evidence")), 20)]
    times = []
    for kind, key in keys:
        seconds, rows = timed(lambda k=kind, x=key: Clausegraph(store).history(k, x))
        check(bool(rows), f"no history for {kind} {key}")
        times.append(seconds)
    recent_s, recent = timed(lambda: changes(store, Bound(seq=head - 1000)))
    whole_s, whole = timed(lambda: changes(store, Bound(seq=0)))
    verify_s, verified = timed(lambda: read.verify(store))
    check(verified.ok and verified.checked == head, "the chain does not verify")
    floor = chain_floor(read.events(store, 0, min(head, 20_000)), head)
    store.close()
    return {"events": head, "history_p50_s": round(percentile(times, 50), 3),
            "history_p95_s": round(percentile(times, 95), 3),
            "changes_recent_1000_s": round(recent_s, 3), "changes_recent_entities": len(recent),
            "changes_whole_log_s": round(whole_s, 2), "changes_whole_entities": len(whole),
            "audit_verify_s": round(verify_s, 2)} | floor  # fmt: skip


def chain_floor(sample: list[Any], events: int) -> dict[str, Any]:
    """The sequential part's floor, from the first 20,000 stored events scaled to the log's
    size: sha256 of each event's canonical content (the chain: one after the other), and
    encoding that content (canonical JSON) once per event."""
    import hashlib

    from graph.audit.events import canonical_bytes

    contents = [e.content() for e in sample]
    encode_s, texts = timed(lambda: [canonical_bytes(c) for c in contents])
    hash_s, _ = timed(lambda: [hashlib.sha256(t).hexdigest() for t in texts])
    scale = events / max(len(sample), 1)
    return {"event_bytes_avg": round(sum(map(len, texts)) / max(len(texts), 1)),
            "sha256_floor_s": round(hash_s * scale, 2),
            "canonical_json_floor_s": round(encode_s * scale, 2)}  # fmt: skip


def _child(fn: Callable[..., Any], *fn_args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, fn_args)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--assets", type=int, default=1000)
    p.add_argument("--grow", type=int, default=0, help="extra organisations loaded on top")
    a = p.parse_args()
    folder = _child(org, a.assets)
    changed = _child(changed_copy, a.assets, 0.01)
    off = _child(loads, a.assets, folder, changed, False)
    on = _child(loads, a.assets, folder, changed, True)
    result: dict[str, Any] = {"bench": "audit", "assets": a.assets}
    for step in ("first", "changed", "ingest"):
        result[f"{step}_s_with_log"] = round(on[step], 3)
        result[f"{step}_s_without_log"] = round(off[step], 3)
        result[f"{step}_overhead"] = round(on[step] / off[step] - 1, 3)
        result[f"{step}_s_in_audit_code"] = round(on[f"{step}_audit"], 3)
    if a.grow:
        result["events_after_first_loads"] = _child(queries_head, a.assets)
        _child(grow, a.assets, a.grow)
    emit(result | _child(queries, a.assets))


def queries_head(assets: int) -> int:
    from graph.audit import read
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(store="ladybug", db=WORK / LOG_DB.format(n=assets)), read_only=True)
    try:
        return int(read.head(store)["seq"])
    finally:
        store.close()


if __name__ == "__main__":
    main()
