"""(c) Coverage in process: p50/p95 of one "what covers Article X for system Y" call.

Pairs are drawn at random (fixed seed) from the SUBJECT_TO edges of random AI systems, so
every call has real paths, evidence and a verdict; 20 warm-up calls, then up to three rounds of
200 pairs, cut after 10 s (at least 50 calls) so slow scales stay bounded.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from bench.common import args, emit, loaded_store_path, percentile
from graph.coverage import coverage
from graph.settings import Settings
from graph.stores import Store, open_store

AS_OF = dt.date(2026, 11, 25)
BUDGET_S, MIN_CALLS = 10.0, 50


def sample_pairs(store: Store, n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)  # noqa: S311  (a reproducible sample, not a secret)
    assets = sorted(store.keys("Asset"))
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        asset = rng.choice(assets)
        subject = store.read("coverage.subject_to", asset=asset)
        if subject:
            pairs.append((asset, rng.choice(subject)["article"]))
    return pairs


def main() -> None:
    a = args(__doc__ or "")
    store = open_store(Settings(store="ladybug", db=loaded_store_path(a.assets)))
    pairs = sample_pairs(store, 200)
    for asset, article in pairs[:20]:
        coverage(store, asset, article, AS_OF)
    times: list[float] = []
    stop = time.perf_counter() + BUDGET_S
    for asset, article in pairs * 3:  # three rounds, or as many calls as the budget allows
        start = time.perf_counter()
        coverage(store, asset, article, AS_OF)
        times.append((time.perf_counter() - start) * 1000)
        if start > stop and len(times) >= MIN_CALLS:
            break
    store.close()
    emit({
        "bench": "coverage", "assets": a.assets, "calls": len(times),
        "p50_ms": round(percentile(times, 50), 3), "p95_ms": round(percentile(times, 95), 3),
        "p99_ms": round(percentile(times, 99), 3), "mean_ms": round(statistics.fmean(times), 3),
    })  # fmt: skip


if __name__ == "__main__":
    main()
