"""The change log's recent ranges: read by key vs by a scan of the seq column, at a log size.

`python -m bench.audit_ranges --events 1000000`: catalogs plus ``seed_log``'s chained events in a
fresh store under the bench folder, then the last 1,000 / 10,000 / 50,000 events read both ways
(median of 5); graph/audit/read.py picks the keyed read below ``KEYED_RANGE``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from api.session import Clausegraph
from bench.common import WORK
from bench.ingest import seed_log
from graph.audit import read
from graph.stores.ladybug_store import LadybugStore


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    n_events = p.parse_args().events
    db = WORK / f"audit-ranges-{n_events}.db"
    if not db.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        s = LadybugStore(db)
        s.apply_schema()
        Clausegraph(s).load_catalogs()
        s.close()
        seed_log(db, n_events)
    store = LadybugStore(db)
    top = read.head(store)["seq"]
    print(f"log: {top:,} events")  # noqa: T201
    for n in (1_000, 10_000, 50_000):
        line = []
        for label, limit in (("by key", 10**9), ("by scan", -1)):
            read.KEYED_RANGE = limit
            times = []
            for _ in range(5):
                t = time.perf_counter()
                got = read.events(store, top - n)
                times.append(time.perf_counter() - t)
            line.append(f"{label} {statistics.median(times) * 1000:.0f} ms ({len(got):,} events)")
        print(f"last {n:,}: " + ", ".join(line))  # noqa: T201
    store.close()


if __name__ == "__main__":
    main()
