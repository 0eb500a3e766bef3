"""`load inventory` names its input and its sha256 on every event; `--prune` logs each deletion."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from graph.audit import read
from graph.file_hash import sha256_file
from graph.settings import Settings
from graph.stores import open_store
from tests.audit.test_cli import cli

OWNERS = "id,name,email,team\no-1,Ola,,Risk\no-2,Per,per@x.example,Ops\n"


def _events_after(db: Path, seq: int) -> list[dict[str, object]]:
    store = open_store(Settings(store="ladybug", db=db))
    try:
        store.apply_schema()
        return [e.__dict__ for e in read.events(store, from_seq=seq)]
    finally:
        store.close()


def _folder_hash(inv: Path) -> str:
    """What `sha256sum owners.csv | sha256sum` prints (one inventory file in the folder)."""
    line = f"{sha256_file(inv / 'owners.csv')}  owners.csv\n"
    return hashlib.sha256(line.encode()).hexdigest()


def _head(db: Path) -> int:
    return int(json.loads(cli(db, "audit", "head", "--format", "json").stdout)[0]["seq"])


def test_folder_load_and_prune_record_file_hash_and_exact_deletions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inv = Path("inv")
    inv.mkdir()
    (inv / "owners.csv").write_text(OWNERS, encoding="utf-8")
    db = tmp_path / "g.db"
    assert cli(db, "load", "inventory", "inv").exit_code == 0
    first = _events_after(db, 0)
    owner_events = [e for e in first if e["entity_kind"] == "Owner"]
    digest = _folder_hash(inv)
    assert {(e["command"], e["input_file"], e["input_sha256"]) for e in owner_events} == {
        ("load inventory", "inv", digest)
    }
    (inv / "owners.csv").write_text("id,name,email,team\no-1,Ola,,Risk\n", encoding="utf-8")
    seq = _head(db)
    out = cli(db, "--actor", "dora", "load", "inventory", "inv", "--prune")
    assert out.exit_code == 0 and "pruned 1 owners: o-2" in out.stdout
    new = _events_after(db, seq)
    digest2 = _folder_hash(inv)
    summary = [(e["seq"], e["entity_kind"], e["entity_key"], e["change"], e["fields"]) for e in new]
    assert summary == [
        (seq + 1, "Owner", "o-2", "deleted",
         {"id": ["o-2", None], "name": ["Per", None], "email": ["per@x.example", None],
          "team": ["Ops", None]}),
    ]  # fmt: skip
    assert (new[0]["actor"], new[0]["command"], new[0]["input_file"], new[0]["input_sha256"]) == (
        "dora", "load inventory --prune", "inv", digest2
    )  # fmt: skip
    assert cli(db, "audit", "verify").exit_code == 0


def test_document_load_hashes_the_file(tmp_path: Path) -> None:
    doc = tmp_path / "inv.json"
    doc.write_text(json.dumps({"owners": [{"id": "o-1", "name": "Ola"}]}), encoding="utf-8")
    db = tmp_path / "g.db"
    assert cli(db, "load", "inventory", str(doc)).exit_code == 0
    owner = [e for e in _events_after(db, 0) if e["entity_kind"] == "Owner"]
    assert [(e["input_file"], e["input_sha256"]) for e in owner] == [(str(doc), sha256_file(doc))]
