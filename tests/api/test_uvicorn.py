"""One real server: `clausegraph serve` under uvicorn on a free loopback port, called over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.slow
def test_real_server_answers_over_http(tmp_path: Path) -> None:
    settings, keys = build(tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    env |= {
        "CLAUSEGRAPH_DB": str(settings.db),
        "CLAUSEGRAPH_API_KEYS_FILE": str(settings.api_keys_file),
    }
    exe = Path(sys.executable).parent / "clausegraph"
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "server did not become ready"
            time.sleep(0.2)
        r = httpx.get(
            f"{base}/assets/cv-screening/coverage/14",
            params={"as_of": "2026-11-25"},
            headers={"X-API-Key": keys["reader"]},
            timeout=10,
        )
        assert r.status_code == 200
        assert r.json()["verdict"] == "covered"
        assert httpx.get(f"{base}/gaps", timeout=10).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
