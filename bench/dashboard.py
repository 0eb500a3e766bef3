"""The dashboard's server time per page: the app in process (FastAPI's TestClient, no network),
logged in with a reader key, each page requested ``--runs`` times after one warm-up.

    .venv/bin/python -m bench.dashboard --scales 1000 10000 [--runs 5]

Prints one JSON line per scale with p50/p95 milliseconds per page. The target (issue 17) is
p95 < 200 ms at 100,000 systems. The figures are views between writes, after the server's
start-up refresh: the gap report behind overview, owners, gaps and system is kept per state of
the register (api/dashboard/figures.py), so the first view after a write pays for it
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_key
from bench.common import check, emit, loaded_store_path, scratch_copy
from graph.settings import Settings

PAGES = {
    "overview": "/ui/",
    "articles": "/ui/articles",
    "system": "/ui/systems/{asset}",
    "coverage": "/ui/systems/{asset}/coverage/{article}",
    "owners": "/ui/owners",
    "gaps": "/ui/gaps",
    "crosswalk": "/ui/crosswalk",
}


def measure(assets: int, runs: int) -> dict[str, Any]:
    db = scratch_copy(loaded_store_path(assets), f"dashboard-{assets}.db")  # the server writes
    keys = Path(tempfile.mkdtemp()) / "keys.json"
    key = create_key(keys, "bench", "reader")
    settings = Settings(store="ladybug", db=db, api_keys_file=keys)
    out: dict[str, Any] = {"bench": "dashboard", "assets": assets, "runs": runs}
    with TestClient(create_app(settings)) as client:
        # the steady state of a server: its start-up refresh of the read model and gap rows
        # (api/keeper.py) done, so no view below pays for it or sees the head move under it
        client.app.state.readmodel.join()  # type: ignore[attr-defined]
        client.post("/ui/login", data={"api_key": key, "next": "/ui/"})
        pair = client.app.state.store.read("metrics.subject_pairs")[0]  # type: ignore[attr-defined]
        fill = {"asset": pair["asset"], "article": pair["article"].removeprefix("AIA-")}
        for name, path in PAGES.items():
            url = path.format(**fill)
            status = client.get(url).status_code  # warm-up, and a check
            check(status == 200, f"{url} answered {status}")
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            out[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1)}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scales", type=int, nargs="+", default=[1000])
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    for n in a.scales:
        emit(measure(n, a.runs))


if __name__ == "__main__":
    main()
