"""(d) The coverage route over HTTP: 32 concurrent clients on 127.0.0.1 for a bounded time.

Starts ``clausegraph serve`` (uvicorn, one process) on a free loopback port against the loaded
store, with a reader API key, then drives ``GET /assets/{id}/coverage/{article}`` over random
real pairs with wrk (Debian package ``wrk``) and 32 connections, or, without wrk, with a small
asyncio load generator of 32 keep-alive clients (which shares the 2 cores with the server, so
its numbers are lower). Traffic goes to 127.0.0.1 only and stops after ``--seconds``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from api.auth import create_key
from bench.common import WORK, args, emit, loaded_store_path
from bench.coverage import sample_pairs
from bench.loadgen import run_loadgen
from graph.settings import Settings
from graph.stores import open_store

HOST = "127.0.0.1"
CLIENTS = 32
LUA = Path(__file__).with_name("wrk_paths.lua")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(db: Path, keys: Path, port: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("clausegraph", path=str(Path(sys.executable).parent)) or "clausegraph"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    env |= {"CLAUSEGRAPH_API_KEYS_FILE": str(keys), "CLAUSEGRAPH_DB": str(db)}
    cmd = [exe, "serve", "--host", HOST, "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the API server did not come up within 60 s")


def server_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(port: int, key: str, paths: list[str], seconds: float) -> dict[str, float]:
    paths_file = WORK / "wrk-paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    env = os.environ | {"WRK_PATHS": str(paths_file), "WRK_KEY": key}
    cmd = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(LUA),
           f"http://{HOST}:{port}"]  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    return json.loads(line)  # type: ignore[no-any-return]


def main() -> None:
    a = args(__doc__ or "")
    db = loaded_store_path(a.assets)
    store = open_store(Settings(store="ladybug", db=db))
    paths = [f"/assets/{x}/coverage/{r}?as_of=2026-11-25" for x, r in sample_pairs(store, 500)]
    store.close()
    keys = WORK / "bench-keys.json"
    keys.unlink(missing_ok=True)
    key = create_key(keys, "bench", "reader")
    port = free_port()
    server = start_server(db, keys, port)
    try:
        if shutil.which("wrk"):
            result, tool = run_wrk(port, key, paths, a.seconds), "wrk"
        else:
            result, tool = run_loadgen(HOST, port, key, paths, CLIENTS, a.seconds), "asyncio"
        rss = server_peak_rss_mb(server.pid)
    finally:
        server.terminate()  # graceful: uvicorn finishes the requests in flight
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    emit({"bench": "api", "assets": a.assets, "tool": tool, "clients": CLIENTS,
          "seconds": a.seconds, **result, "server_peak_rss_mb": round(rss, 1)})  # fmt: skip


if __name__ == "__main__":
    main()
