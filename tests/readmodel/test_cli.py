"""`clausegraph refresh` and `check-consistency` on a real store, as a user runs them."""

from __future__ import annotations

from pathlib import Path

from graph.readmodel import ops
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from tests.api.test_cli import run

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def test_refresh_builds_then_redates_and_the_check_passes(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    store = LadybugStore(db)
    store.apply_schema()
    load_inventory(store, ACME)
    store.close()
    none = run("--db", str(db), "check-consistency")
    assert none.returncode == 1 and "no read model" in none.stderr
    built = run("--db", str(db), "refresh", "--as-of", "2026-11-25")
    assert built.returncode == 0 and "rebuilt for 2026-11-25: 113 cells" in built.stdout
    again = run("--db", str(db), "refresh", "--as-of", "2026-11-25")
    assert "already current" in again.stdout
    later = run("--db", str(db), "refresh", "--as-of", "2027-12-02")
    assert later.returncode == 0 and "re-dated for 2027-12-02" in later.stdout
    ok = run("--db", str(db), "check-consistency")
    assert ok.returncode == 0, ok.stderr


def test_check_consistency_names_a_tampered_cell(tmp_path: Path) -> None:
    """A cell changed behind the model's back (not through a write) is found and named."""
    db = tmp_path / "g.db"
    store = LadybugStore(db)
    store.apply_schema()
    load_inventory(store, ACME)
    ops.refresh(store)
    store._execute(
        "MATCH (c:CoverageCell {id: $key}) SET c.verdict = 'covered'",
        {"key": "cv-screening|AIA-8"},
    )
    store.close()
    bad = run("--db", str(db), "check-consistency")
    assert bad.returncode == 1
    assert "cell cv-screening|AIA-8 differs in verdict" in bad.stderr


def test_check_consistency_names_tampered_gap_rows(tmp_path: Path) -> None:
    """A bucket of gap rows removed behind the model's back is found, with its query named; a
    `refresh` for another day keeps the rows of queries that do not read the date (the change log
    says nothing changed), `refresh --rebuild` recomputes them and the check passes again."""
    db = tmp_path / "g.db"
    store = LadybugStore(db)
    store.apply_schema()
    load_inventory(store, ACME)
    store.close()
    built = run("--db", str(db), "refresh", "--as-of", "2026-11-25")
    assert built.returncode == 0 and "gap rows current for 2026-11-25" in built.stdout
    store = LadybugStore(db)
    bucket = next(b for b in store.read("gaprows.buckets")
                  if b["part"] == "asset_without_owner/gaps.asset_without_owner")  # fmt: skip
    store._execute("MATCH (g:GapRows {id: $id}) DELETE g", {"id": bucket["id"]})
    store.close()
    bad = run("--db", str(db), "check-consistency")
    assert bad.returncode == 1
    assert "gap rows of asset_without_owner/gaps.asset_without_owner differ" in bad.stderr
    later = run("--db", str(db), "refresh", "--as-of", "2026-11-26")
    assert later.returncode == 0, later.stderr
    assert run("--db", str(db), "check-consistency").returncode == 1
    again = run("--db", str(db), "refresh", "--as-of", "2026-11-26", "--rebuild")
    assert again.returncode == 0 and "rebuilt for 2026-11-26" in again.stdout, again.stdout
    assert run("--db", str(db), "check-consistency").returncode == 0
