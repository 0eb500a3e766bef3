"""The real console script, run as a subprocess: exit codes and messages on stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.stores.ladybug_store import LadybugStore
from loaders.catalog import parse_catalogs

EXE = shutil.which("clausegraph", path=str(Path(sys.executable).parent))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE, "the clausegraph console script is not installed next to this Python"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    full_env["COLUMNS"] = "400"  # keep rich from wrapping messages the tests look for
    full_env.update(env or {})
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=full_env, timeout=120)


def test_help_lists_commands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("init", "status", "queries", "demo", "serve"):
        assert cmd in out.stdout


def test_no_args_shows_help_with_usage_code() -> None:
    out = run()
    assert out.returncode == 2
    assert "Usage" in out.stdout + out.stderr


def test_init_then_status_json(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert run("--db", str(db), "init").returncode == 0
    out = run("--db", str(db), "status", "--all", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"what": "Asset", "count": 0} in rows


def test_locked_store_exit_code(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    holder = LadybugStore(db)
    try:
        out = run("--db", str(db), "init")  # a write; reads open the store read-only
    finally:
        holder.close()
    assert out.returncode == 5
    assert "is locked by another process" in out.stderr
    assert "Traceback" not in out.stderr


def test_unopenable_path_exit_code(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run("--db", str(blocker / "sub" / "g.db"), "init")
    assert out.returncode == 5
    assert "cannot open LadybugDB store" in out.stderr


def test_neo4j_unreachable_names_uri_not_password() -> None:
    env = {
        "NEO4J_URI": "bolt://127.0.0.1:9",
        "NEO4J_PASSWORD": "s3cret-pw",
        "CLAUSEGRAPH_CONNECT_TIMEOUT_S": "1",
    }
    out = run("status", env=env)
    assert out.returncode == 5
    assert "bolt://127.0.0.1:9" in out.stderr
    assert "s3cret-pw" not in out.stderr + out.stdout


def test_bad_settings_are_usage_errors() -> None:
    out = run("status", env={"NEO4J_URI": "http://localhost:7474"})
    assert out.returncode == 2
    assert "scheme 'http' is not one of" in out.stderr


@pytest.mark.parametrize("variants", [False, True])
def test_queries_listing(variants: bool) -> None:
    args = ["queries", "--format", "json"] + (["--variants"] if variants else [])
    out = run(*args)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    if variants:
        assert all(r["store"] in ("ladybug", "neo4j") for r in rows)
    else:
        assert "gaps.asset_without_owner" in {r["name"] for r in rows}


def test_load_inventory_then_gaps_gate_with_exit_4(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    acme = str(Path(__file__).resolve().parents[2] / "examples" / "acme")
    out = run("--db", db, "load", "inventory", acme)
    assert out.returncode == 0, out.stderr
    assert "evidence      110 loaded" in out.stdout
    gaps = run("--db", db, "gaps", "--as-of", "2026-11-25", "--format", "json")
    assert gaps.returncode == 4
    rows = json.loads(gaps.stdout)
    assert rows[0]["id"] == "prohibited_practice_in_use:emotion-monitor"
    assert {"id", "rule", "severity", "asset", "article", "owner", "message", "remediation"} <= set(
        rows[0]
    )
    low = run("--db", db, "gaps", "--severity", "low", "--format", "csv")
    assert low.returncode == 0 and low.stdout.startswith("id,rule,severity")
    cov = run("--db", db, "coverage", "cv-screening", "14", "--as-of", "2026-11-25", "-f", "json")
    assert cov.returncode == 0 and json.loads(cov.stdout)["verdict"] == "covered"


def test_invalid_inventory_exits_3_and_lists_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "owners.csv").write_text("id,name\no1,Ann\no1,Bob\n", encoding="utf-8")
    (folder / "assets.csv").write_text(
        "id,name,role,lifecycle,owner\na1,X,provider,production,o9\na2,Y,deployer,live,o1\n",
        encoding="utf-8",
    )
    out = run("--db", str(tmp_path / "g.db"), "load", "inventory", str(folder))
    assert out.returncode == 3
    assert "owners.csv row 3: field 'id' duplicate owner id" in out.stderr
    assert "assets.csv row 3: field 'lifecycle'" in out.stderr
    assert "asset a1 names unknown owner o9" in out.stderr
    assert "nothing was written" in out.stderr


def test_serve_refuses_to_start_without_api_keys(tmp_path: Path) -> None:
    out = run("--db", str(tmp_path / "g.db"), "serve", "--port", "1")
    assert out.returncode == 1
    assert "the API needs API keys: set CLAUSEGRAPH_API_KEYS_FILE" in out.stderr


def test_keys_create_stores_only_the_hash(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    out = run("keys", "create", "--name", "ci", "--role", "editor", "--file", str(keys))
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip()
    assert key.startswith("cg_") and key not in keys.read_text()
    stored = json.loads(keys.read_text())
    assert stored[0]["role"] == "editor" and len(stored[0]["sha256"]) == 64


def test_keys_create_writes_the_file_serve_reads(tmp_path: Path) -> None:
    keys = tmp_path / "served-keys.json"  # CLAUSEGRAPH_API_KEYS_FILE, no --file
    out = subprocess.run([str(EXE), "keys", "create", "--name", "ops"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "CLAUSEGRAPH_API_KEYS_FILE": str(keys)})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert [k["name"] for k in json.loads(keys.read_text())] == ["ops"]
    assert not (tmp_path / "api-keys.json").exists()


def test_keys_create_takes_every_role_and_refuses_others(tmp_path: Path) -> None:
    from api.auth import RANK

    keys = tmp_path / "keys.json"
    for role in RANK:  # the findings roles too (analyst, approver)
        out = run("keys", "create", "--name", role, "--role", role, "--file", str(keys))
        assert out.returncode == 0, out.stderr
    assert [k["role"] for k in json.loads(keys.read_text())] == list(RANK)
    bad = run("keys", "create", "--name", "x", "--role", "owner", "--file", str(keys))
    assert bad.returncode == 2 and "role must be one of reader, analyst" in bad.stderr


def test_crosswalk_export_import_round_trip_through_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    for fmt, name in (("oscal", "cw.json"), ("sssom", "cw.tsv")):
        target = tmp_path / name
        assert run("crosswalk", "export", "--to", fmt, "-o", str(target)).returncode == 0
        out = run("--db", db, "crosswalk", "import", str(target))
        assert out.returncode == 0, out.stderr
        cw = parse_catalogs().crosswalk
        want = f"imported {len(cw.mappings)} pairs and {len(cw.no_counterpart)} articles"
        assert want + " without counterpart" in out.stdout
    pairs = json.loads(run("--db", db, "crosswalk", "--article", "12", "-f", "json").stdout)
    assert {"clause": "A.6.2.8", "paragraph": "1", "relation": "subset"}.items() <= pairs[0].items()
    broken = tmp_path / "broken.tsv"
    broken.write_text("#curie_map: {}\nsubject_id\tpredicate_id\n", encoding="utf-8")
    assert run("--db", db, "crosswalk", "import", str(broken)).returncode == 3
