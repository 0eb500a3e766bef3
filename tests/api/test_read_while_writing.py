"""Read-only commands open the embedded store read-only: they work while a real writer
(`clausegraph serve` under uvicorn) holds the store, and writes still get the lock error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.auth import create_key
from tests.api.test_cli import run
from tests.api.test_uvicorn import free_port

# An organisation of our own: one high-risk credit system with an owner, one chatbot without.
FJORD = {
    "owners": [
        {"id": "ida.berg", "name": "Ida Berg", "email": "ida@fjord.example", "team": "Risk"}
    ],
    "assets": [
        {"id": "loan-triage", "name": "Loan triage", "role": "deployer", "risk_tier": "high",
         "annex_iii_area": "5(b)", "lifecycle": "production", "in_eu": True, "owner": "ida.berg"},
        {"id": "chat-helper", "name": "Chat helper", "role": "deployer", "risk_tier": "limited",
         "transparency_use": "4", "lifecycle": "production", "in_eu": True},
    ],
}  # fmt: skip


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    """A loaded store with `clausegraph serve` holding it (the writer) until the test ends."""
    db, inventory = tmp_path / "fjord.db", tmp_path / "inventory.json"
    inventory.write_text(json.dumps(FJORD), encoding="utf-8")
    for args in (["load", "catalog"], ["load", "inventory", str(inventory)]):
        out = run("--db", str(db), *args)
        assert out.returncode == 0, out.stderr
    keys = tmp_path / "keys.json"
    create_key(keys, "reader-key", "reader")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    env |= {"CLAUSEGRAPH_DB": str(db), "CLAUSEGRAPH_API_KEYS_FILE": str(keys)}
    exe = Path(sys.executable).parent / "clausegraph"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, "server exited"
            assert time.monotonic() < deadline, "server did not become ready"
            time.sleep(0.2)
        yield db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_reads_work_and_writes_are_refused_while_the_server_runs(served: Path) -> None:
    db = str(served)
    for write in (["init"], ["load", "catalog"]):
        out = run("--db", db, *write)
        assert out.returncode == 5, out.stderr
        assert "is locked by another process" in out.stderr
    gaps = run("--db", db, "gaps", "--as-of", "2026-12-01", "--format", "json")
    assert gaps.returncode in (0, 4), gaps.stderr  # 4: red-line gaps were found, as expected
    subjects = {g["subject"].split(":")[0] for g in json.loads(gaps.stdout)}
    assert "loan-triage" in subjects
    cov = run("--db", db, "coverage", "loan-triage", "14", "--as-of", "2026-12-01")
    assert cov.returncode == 0, cov.stderr
    assert cov.stdout.startswith("Loan triage (loan-triage) / Art. 14")
    trace = run("--db", db, "trace", "chat-helper", "--as-of", "2026-12-01", "--format", "json")
    assert trace.returncode == 0, trace.stderr
    assert "50" in {r["article"].removeprefix("Art. ") for r in json.loads(trace.stdout)}
    status = run("--db", db, "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert {"what": "Asset", "count": 2} in json.loads(status.stdout)


def test_a_read_of_a_missing_store_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    for args in (["gaps"], ["status"], ["coverage", "a", "14"]):
        out = run("--db", str(db), *args)
        assert out.returncode == 9, out.stderr
        assert (
            f"there is no store at {db}" in out.stderr and "clausegraph load catalog" in out.stderr
        )
    assert list(tmp_path.iterdir()) == []


def test_a_read_of_a_store_without_schema_is_a_clear_error(tmp_path: Path) -> None:
    import ladybug  # noqa: TID251 - an engine file with no tables, on purpose

    db = tmp_path / "bare.db"
    ladybug.Database(str(db)).close()
    out = run("--db", str(db), "trace", "a")
    assert out.returncode == 9, out.stderr
    assert "has no schema" in out.stderr and "Traceback" not in out.stderr
