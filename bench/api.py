"""(d) The API over HTTP: 32 concurrent clients on 127.0.0.1 for a bounded time, per route.

Starts ``clausegraph serve`` (uvicorn, one process) on a free loopback port against the loaded
store, with a reader API key, then drives, one after the other for ``--seconds`` each:

* ``coverage``: ``GET /assets/{id}/coverage/{article}`` over random real pairs (the target);
* ``asset``: ``GET /assets/{id}`` over random real ids, a cheap keyed route that shows the
  server's own per-request cost (auth, routing, validation, the store's connection handling)
  apart from the cost of the coverage query;
* ``trivial``: ``GET /healthz`` (no store, no key): the app's floor on this machine, so
  ``coverage_vs_trivial`` (the coverage route's req/s over it) says what the route itself costs.

The load comes from wrk (Debian package ``wrk``) with 32 connections or, without wrk, from a
small asyncio load generator of 32 keep-alive clients (which shares the 2 cores with the server,
so its numbers are lower). Each route reports requests, req/s, p50/p95/p99 latency (ms) and
errors (socket errors and timeouts, plus non-2xx answers) and the server's CPU time per answered
request while the load ran (user + system; steadier than latency on a shared machine, but with
slow routes it also counts the up to 32 requests still in flight at the end); the server's peak
RSS is reported once. Traffic goes to 127.0.0.1 only and stops after ``--seconds`` per route.
The top-level latency fields are the coverage route's (what ``bench.run`` prints first).

``--ingest-every S`` also posts one evidence row through ``POST /ingest`` (an editor key) every
S seconds while the load runs, as a pipeline would: the findings are reconciled once on the copy
before the server starts (the steady state: a first reconcile opens every gap's finding), and the
ingests' own latency and errors are reported beside each route's.

Extra ``--env NAME=VALUE`` pairs go to the server (e.g. ``CLAUSEGRAPH_READ_CONNECTIONS=1`` to
compare pool sizes in one run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from api.auth import create_key
from bench.common import WORK, emit, loaded_store_path, scratch_copy
from bench.coverage import sample_pairs
from bench.loadgen import run_loadgen
from graph.settings import Settings
from graph.stores import open_store

HOST = "127.0.0.1"
CLIENTS = 32
LUA = Path(__file__).with_name("wrk_paths.lua")
ROUTES = ("coverage", "asset", "trivial")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--assets", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=10.0, help="duration per route")
    p.add_argument("--routes", nargs="+", choices=ROUTES, default=list(ROUTES))
    p.add_argument("--clients", type=int, default=CLIENTS)
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for the server (repeatable)")  # fmt: skip
    p.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                   help="a serve option, e.g. --serve-arg=--no-access-log")  # fmt: skip
    p.add_argument("--loadgen", action="store_true", help="use the asyncio client even if wrk is")
    p.add_argument(
        "--ingest-every",
        type=float,
        default=0.0,
        metavar="S",
        help="also POST /ingest one evidence row every S seconds during the load",
    )
    p.add_argument("--readmodel", action="store_true",
                   help="serve a copy of the store with the coverage read model built for today "
                        "and ask coverage for today (answers from the model)")  # fmt: skip
    return p.parse_args()


def readmodel_copy(db: Path) -> Path:
    """A copy of the loaded store with the read model built for today (graph/readmodel)."""
    from graph.readmodel import ops

    copy = scratch_copy(db, f"api-readmodel-{db.name}")
    store = open_store(Settings(store="ladybug", db=copy))
    try:
        store.apply_schema()
        ops.refresh(store)
    finally:
        store.close()
    return copy


def reconciled(db: Path) -> None:
    """Findings reconciled once (the server's steady state before a background ingest), in a
    child process: at 100k systems it peaks at about 12 GB, which this process would keep."""
    code = ("import datetime, sys; from api.session import Clausegraph; "
            "from graph.settings import Settings; from graph.stores import open_store; "
            "s = open_store(Settings(store='ladybug', db=sys.argv[1])); s.apply_schema(); "
            "Clausegraph(s).reconcile(today=datetime.date.today()); s.close()")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)  # noqa: S603


class Ingester(threading.Thread):
    """One evidence row through ``POST /ingest`` every ``every`` seconds until stopped."""

    def __init__(self, port: int, key: str, assets: list[str], every: float) -> None:
        super().__init__(name="bench-ingest", daemon=True)
        self.url, self.key, self.assets, self.every = (
            f"http://{HOST}:{port}/ingest",
            key,
            assets,
            every,
        )
        self.stop = threading.Event()
        self.ms: list[float] = []
        self.errors = 0

    def run(self) -> None:
        n = 0
        while not self.stop.wait(self.every):
            n += 1
            row = {"id": f"BENCH-API-{time.time_ns()}", "title": "bench log", "kind": "log",
                   "uri": "https://logs.example/bench", "version": "1", "sha256": "0" * 64,
                   "collected_on": time.strftime("%Y-%m-%d"), "retention_days": 365,
                   "concerns": [self.assets[n % len(self.assets)]]}  # fmt: skip
            req = urllib.request.Request(  # noqa: S310  (127.0.0.1 only)
                self.url, json.dumps({"evidence": [row]}).encode(), method="POST",
                headers={"X-API-Key": self.key, "Content-Type": "application/json"})  # fmt: skip
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
                    ok = r.status == 200
            except OSError:
                ok = False
            self.ms.append(1000 * (time.perf_counter() - t0))
            self.errors += not ok

    def report(self) -> dict[str, float]:
        ms = sorted(self.ms) or [0.0]
        return {"ingests": len(self.ms), "ingest_errors": self.errors,
                "ingest_p50_ms": round(ms[len(ms) // 2], 1),
                "ingest_p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1)}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(
    db: Path,
    keys: Path,
    port: int,
    extra_env: dict[str, str] | None = None,
    serve_args: tuple[str, ...] = (),
) -> subprocess.Popen[bytes]:
    exe = shutil.which("clausegraph", path=str(Path(sys.executable).parent)) or "clausegraph"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    env |= {"CLAUSEGRAPH_API_KEYS_FILE": str(keys), "CLAUSEGRAPH_DB": str(db)}
    env |= extra_env or {}
    cmd = [exe, "serve", "--host", HOST, "--port", str(port), *serve_args]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the API server did not come up within 60 s")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(pid: int, limit_s: float = 300.0, quiet: int = 1) -> None:
    """Wait until the server has answered what the load left queued (it goes idle: under 5% of
    a core for ``quiet`` half-seconds in a row), so one route's backlog does not run into the
    next route."""
    deadline = time.monotonic() + limit_s
    last, calm = cpu_seconds(pid), 0
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        calm = calm + 1 if now - last < 0.025 else 0
        if calm >= quiet:
            return
        last = now


def server_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(
    port: int, key: str, paths: list[str], seconds: float, clients: int
) -> dict[str, float]:
    paths_file = WORK / "wrk-paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    env = os.environ | {"WRK_PATHS": str(paths_file), "WRK_KEY": key}
    cmd = ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(LUA),
           f"http://{HOST}:{port}"]  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    return json.loads(line)  # type: ignore[no-any-return]


def route_paths(db: Path, n: int = 500, *, today: bool = False) -> dict[str, list[str]]:
    store = open_store(Settings(store="ladybug", db=db), read_only=True)
    try:
        pairs = sample_pairs(store, n)
        ids = sorted(store.keys("Asset"))
    finally:
        store.close()
    rng = random.Random(11)  # noqa: S311  (a reproducible sample, not a secret)
    return {
        "coverage": [
            f"/assets/{x}/coverage/{r}" + ("" if today else "?as_of=2026-11-25") for x, r in pairs
        ],
        "asset": [f"/assets/{x}" for x in rng.sample(ids, min(n, len(ids)))],
        "trivial": ["/healthz"],
    }


def main() -> None:
    a = parse_args()
    db = loaded_store_path(a.assets)  # a copy either way: the server's start-up refresh writes
    db = readmodel_copy(db) if a.readmodel else scratch_copy(db, f"api-{db.name}")
    if a.ingest_every:
        reconciled(db)
    paths = route_paths(db, today=a.readmodel)
    keys = WORK / "bench-keys.json"
    keys.unlink(missing_ok=True)
    key = create_key(keys, "bench", "reader")
    editor = create_key(keys, "bench-editor", "editor")
    assets = [p.split("/")[2] for p in paths["asset"]]
    port = free_port()
    extra = dict(e.split("=", 1) for e in a.env)
    server = start_server(db, keys, port, extra, tuple(a.serve_arg))
    # /readyz answers before the start-up work (the kept gap report: 20-40 s at 100k) is done
    drain(server.pid, quiet=6)
    use_wrk = shutil.which("wrk") is not None and not a.loadgen
    results: dict[str, dict[str, float]] = {}
    try:
        for route in a.routes:
            cpu = cpu_seconds(server.pid)
            ingester = Ingester(port, editor, assets, a.ingest_every) if a.ingest_every else None
            if ingester:
                ingester.start()
            if use_wrk:
                results[route] = run_wrk(port, key, paths[route], a.seconds, a.clients)
            else:
                results[route] = run_loadgen(HOST, port, key, paths[route], a.clients, a.seconds)
            used = cpu_seconds(server.pid) - cpu  # the server's CPU while the load ran
            if ingester:
                ingester.stop.set()
                ingester.join(timeout=60)
                results[route] |= ingester.report()
            drain(server.pid)
            results[route]["server_cpu_ms_per_req"] = round(
                1000 * used / max(1, results[route]["requests"]), 3
            )
        rss = server_peak_rss_mb(server.pid)
    finally:
        server.terminate()  # graceful: uvicorn finishes the requests in flight
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    first = results.get("coverage") or next(iter(results.values()))
    if "coverage" in results and "trivial" in results:
        first = first | {
            "coverage_vs_trivial": round(
                results["coverage"]["req_per_s"] / max(1e-9, results["trivial"]["req_per_s"]), 3
            )
        }
    emit({"bench": "api", "assets": a.assets, "tool": "wrk" if use_wrk else "asyncio",
          "clients": a.clients, "seconds": a.seconds, "server_env": extra,
          "serve_args": a.serve_arg, "readmodel": a.readmodel,
          "ingest_every_s": a.ingest_every, **first,
          "routes": results, "server_peak_rss_mb": round(rss, 1)})  # fmt: skip


if __name__ == "__main__":
    main()
