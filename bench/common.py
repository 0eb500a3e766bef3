"""What every bench shares: the work folder, the synthetic organisation, timers, peak RSS, output.

Each bench runs as its own process (``python -m bench.<name> --assets N``) so its peak RSS is
its own; it prints one JSON object on the last line of stdout, which ``bench.run`` collects.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.catalog import load_catalogs
from synth.organisation import synth

WORK = Path(os.environ.get("CLAUSEGRAPH_BENCH_DIR", "/tmp/clausegraph-bench"))  # noqa: S108
SEED = 1


def args(doc: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=doc)
    p.add_argument("--assets", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=10.0, help="API bench: duration")
    return p.parse_args()


def org(assets: int, fmt: str = "csv") -> Path:
    """The synthetic organisation for this scale (written once, then reused)."""
    out = WORK / f"org-{assets}-{fmt}"
    if not (out / "evidence.csv").exists() and not (out / "evidence.parquet").exists():
        shutil.rmtree(out, ignore_errors=True)
        synth(assets, SEED, out, fmt)  # type: ignore[arg-type]
    return out


def remove_db(path: Path) -> None:
    """A LadybugDB database is one file (plus a .wal while open, and the writer's lock file);
    older layouts were folders."""
    if path.is_dir():
        shutil.rmtree(path)
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".writer.lock")):
        p.unlink(missing_ok=True)


def fresh_store(path: Path, *, catalogs: bool = True) -> Store:
    remove_db(path)
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    if catalogs:
        load_catalogs(store)
    return store


def loaded_store_path(assets: int) -> Path:
    """A store holding the organisation: the one bench.load left, else COPY-ed from Arrow."""
    path = WORK / f"graph-{assets}.db"
    marker = WORK / f"graph-{assets}.ok"
    if not marker.exists():
        from bench.arrow_org import build

        fresh_store(path).close()
        build(assets, SEED, org(assets), path)
        marker.touch()
    return path


def scratch_copy(source: Path, name: str) -> Path:
    """``source`` copied to WORK/``name`` (replacing an older copy), for a bench whose server
    writes (its start-up refresh of the read model and gap rows): the shared store stays as
    :func:`loaded_store_path` built it, for the benches that copy it after."""
    copy = WORK / name
    remove_db(copy)
    shutil.copy(source, copy)
    return copy


def check(ok: bool, message: str) -> None:
    """A bench whose answers disagree stops with the reason (no number is worth a wrong answer)."""
    if not ok:
        raise SystemExit(f"bench check failed: {message}")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def repeats(assets: int) -> int:
    """Timed runs per measurement: three up to 10,000 systems, one above (long queries)."""
    return 3 if assets <= 10_000 else 1


def best_of(n: int, fn: Callable[[], Any], *, warm_up: bool = True) -> tuple[float, Any]:
    """Median of ``n`` timed runs after one warm-up run (the answer of the last run)."""
    if warm_up:
        fn()
    times, out = [], None
    for _ in range(n):
        t, out = timed(fn)
        times.append(t)
    return statistics.median(times), out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict[str, Any]) -> None:
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(result, default=str))  # noqa: T201
