"""The review commands through the real CLI app: snapshot, diff, applies, bundle."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli import app
from graph.review import SnapshotExists
from graph.settings import Settings
from graph.stores import open_store
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from tests.review.conftest import ACME

ENV: dict[str, str | None] = {"NEO4J_URI": None, "CLAUSEGRAPH_REPORTS": None, "COLUMNS": "200"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A closed LadybugDB store holding the sample organisation and two snapshots."""
    path = tmp_path_factory.mktemp("cli") / "g.db"
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    load_inventory(store, ACME)
    store.close()
    for label, day in (("2026-Q3", "2026-09-30"), ("2026-Q4", "2026-11-25")):
        out = cli(path, "snapshot", "--label", label, "--as-of", day, "--no-coverage")
        assert out.exit_code == 0, out.output
    yield path


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], env=ENV)


def test_snapshots_live_next_to_the_store(db: Path) -> None:
    out = cli(db, "snapshot", "list", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [(r["label"], r["as_of"], r["gaps"]) for r in rows] == [
        ("2026-Q3", "2026-09-30", 55), ("2026-Q4", "2026-11-25", 47)]  # fmt: skip
    assert {Path(r["file"]).parent for r in rows} == {db.with_name("g.db.snapshots")}
    again = cli(db, "snapshot", "--label", "2026-Q4", "--no-coverage")
    assert isinstance(again.exception, SnapshotExists)


def test_diff_in_every_format(db: Path) -> None:
    data = json.loads(cli(db, "diff", "Q3", "Q4", "--format", "json").stdout)
    assert data["summary"]["new_gaps"] == 3 and data["summary"]["persisting_gaps"] == 44
    assert {g["id"] for g in data["new_gaps"]} == {
        "high_risk_stale_logs:shift-allocation",
        "evidence_expired:E-085", "evidence_stale:E-073"}  # fmt: skip
    assert [e["id"] for e in data["evidence_stale"]] == ["E-073", "E-085"]
    rows = list(csv.DictReader(io.StringIO(cli(db, "diff", "Q3", "Q4", "-f", "csv").stdout)))
    assert len(rows) == 3 + 11 + 44 + 2 and rows[0]["change"] == "new_gaps"
    md = cli(db, "diff", "2026-Q3", "2026-Q4", "-f", "md").stdout
    assert "## new gaps (3)" in md and "| high | high_risk_stale_logs:shift-allocation |" in md
    table = cli(db, "diff", "Q3", "Q4").stdout
    assert "persisting gaps (44)" in table and "evidence stale (2)" in table


def test_applies(db: Path) -> None:
    args = ("applies", "--from", "2027-12-01", "--to", "2027-12-02", "--asset", "cv-screening")
    rows = json.loads(cli(db, *args, "-f", "json").stdout)
    assert "14" in [r["article"] for r in rows]
    early = cli(db, "applies", "--from", "2026-11-25", "--to", "2027-12-01", "-f", "json")
    assert not any(r["asset"] == "cv-screening" for r in json.loads(early.stdout))
    bad = cli(db, "applies", "--from", "2027-12-01", "--to", "soon")
    assert bad.exit_code == 2


def test_bundle_and_verify(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    made = cli(db, "bundle", "cv-screening", "-o", str(out), "--article", "14",
               "--as-of", "2026-11-25")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "bundle for cv-screening: 1 articles" in made.stdout
    assert cli(db, "bundle", "verify", str(out)).exit_code == 0
    (out / "summary.md").write_text("edited\n", encoding="utf-8")
    bad = cli(db, "bundle", "verify", str(out), "-f", "json")
    assert bad.exit_code == 4
    assert {r["path"]: r["status"] for r in json.loads(bad.stdout)}["summary.md"] == "changed"


def test_console_script_errors_and_exit_codes(db: Path, tmp_path: Path) -> None:
    exe = shutil.which("clausegraph", path=str(Path(sys.executable).parent))
    assert exe
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    holder = LadybugStore(db)  # another process writing: diff reads snapshot files only
    try:
        out = subprocess.run([exe, "--db", str(db), "diff", "Q1", "Q4"], capture_output=True,
                             text=True, env=env | {"COLUMNS": "300"}, timeout=120)  # fmt: skip
    finally:
        holder.close()
    assert out.returncode == 1
    assert "error: snapshot 'Q1' not found" in out.stderr and "2026-Q3, 2026-Q4" in out.stderr
    assert "Traceback" not in out.stderr
