"""Evidence integrity: hashes recorded at load, re-checked by `evidence verify`, gaps on change."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from api.session import Clausegraph
from graph.errors import LoadValidationError
from graph.stores import Store
from loaders.evidence_files import local_path
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 11, 25)


def mismatches(cg: Clausegraph) -> set[str]:
    return {g.subject for g in cg.gaps(DAY, rules=["evidence_hash_mismatch"])}


def test_verify_detects_changed_and_missing_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    load_inventory(store, folder)
    cg = Clausegraph(store)
    assert mismatches(cg) == {"E-031"}  # planted: file edited after it was hashed
    first = {r.evidence: r.status for r in cg.verify_evidence(DAY)}
    assert first == {"E-001": "ok", "E-031": "changed", "E-034": "ok", "E-048": "ok", "E-061": "ok"}

    (folder / "evidence" / "ai-policy-v3.md").write_text("tampered\n", encoding="utf-8")
    (folder / "evidence" / "chatbot-disclosure-v2.txt").unlink()
    after = {r.evidence: r.status for r in cg.verify_evidence(DAY)}
    assert after["E-001"] == "changed"  # declared sha256 no longer matches
    assert after["E-061"] == "missing"  # no declared sha256: compared with the hash at load
    assert mismatches(cg) == {"E-001", "E-031", "E-061"}


def test_hash_recorded_at_load_when_none_declared(store: Store) -> None:
    load_inventory(store, ACME)
    rows = {r["id"]: r for r in store.read("evidence.local_files")}
    assert rows["E-061"]["sha256"] is None
    assert rows["E-061"]["file_sha256"] is not None and len(rows["E-061"]["file_sha256"]) == 64


def test_paths_outside_the_inventory_folder_are_not_read(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    text = (folder / "evidence.csv").read_text(encoding="utf-8")
    (folder / "evidence.csv").write_text(
        text.replace("evidence/ai-policy-v3.md", "../../../../etc/passwd", 1), encoding="utf-8"
    )
    (folder / "inventory.json").unlink()
    with pytest.raises(LoadValidationError, match="outside the inventory folder"):
        load_inventory(store, folder)  # refused at validation (never read, nothing written)
    assert store.counts()["Evidence"] == 0
    # and the resolver itself never names a file outside the folder (defence in depth)
    assert local_path("../../../../etc/passwd", folder) is None
