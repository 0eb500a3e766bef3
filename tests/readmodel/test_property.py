"""The maintained read model equals the from-scratch answer after every step of random
sequences of loads, ingests, prunes, owner changes, control changes, catalog changes, incidents
and date moves, on every store (LadybugDB always, Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import cypher_gen
from graph.coverage import compute
from graph.readmodel import maintain, ops
from graph.readmodel.lookup import readmodel_answer
from graph.schema import SCHEMA
from graph.stores import Store
from graph.stores.base import EdgeRows, WriteBatch
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 11, 25)
STEPS = 14


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _save(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


class Org:
    """A copy of the sample organisation on disk that the steps edit and load."""

    def __init__(self, store: Store, root: Path, rng: random.Random) -> None:
        self.store, self.root, self.rng = store, root, rng
        self.main = root / "acme"
        shutil.copytree(ACME, self.main)
        self.n = 0

    def table(self, name: str) -> list[dict[str, str]]:
        return _rows(self.main / f"{name}.csv")

    def day(self) -> str:
        return (DAY + dt.timedelta(days=self.rng.randint(-500, 60))).isoformat()

    def ingest(self) -> None:
        """One new evidence row, as POST /ingest would bring it (its own one-file folder)."""
        self.n += 1
        control = self.rng.choice(self.table("controls"))["id"]
        # organisation-level evidence (no system) in a third of the rows: it reaches every
        # system its control applies to, or all of them for an organisation-wide control
        assets = [a["id"] for a in self.table("assets")]
        asset = "" if self.rng.random() < 0.33 else self.rng.choice(assets)
        collected = DAY + dt.timedelta(days=self.rng.randint(-500, 60))
        until = collected + dt.timedelta(days=self.rng.randint(0, 400))
        row = dict.fromkeys(_rows(self.main / "evidence.csv")[0], "") | {
            "id": f"E-NEW-{self.n}", "title": "new", "kind": self.rng.choice(["log", "document"]),
            "uri": "https://example.org/x", "collected_on": collected.isoformat(),
            "version": "1", "supports": control, "concerns": asset,
            "valid_until": self.rng.choice(["", until.isoformat()]),
        }  # fmt: skip
        folder = self.root / f"ingest-{self.n}"
        folder.mkdir()
        _save(folder / "evidence.csv", [row])
        load_inventory(self.store, folder)

    def edit_evidence(self) -> None:
        rows = self.table("evidence")
        row = self.rng.choice(rows)
        row["collected_on"], row["valid_until"] = self.day(), ""
        _save(self.main / "evidence.csv", rows)
        load_inventory(self.store, self.main)

    def move_evidence(self) -> None:
        """An item moves to another control (sometimes another system too): an evidence-only
        write, so the model recomputes only the articles of the old and new controls."""
        rows, controls = self.table("evidence"), self.table("controls")
        row = self.rng.choice(rows)
        row["supports"] = self.rng.choice(controls)["id"]
        if self.rng.random() < 0.5:
            row["concerns"] = self.rng.choice(self.table("assets"))["id"]
        _save(self.main / "evidence.csv", rows)
        load_inventory(self.store, self.main)

    def incident_change(self) -> None:
        """An incident is recorded, or its notification is: only Art. 73 cells can change, and
        they change again on the day its deadline passes (the model's ``changes_on``)."""
        rows = self.table("incidents")
        if self.rng.random() < 0.5:
            self.n += 1
            aware = DAY + dt.timedelta(days=self.rng.randint(-120, 480))
            rows.append(dict.fromkeys(rows[0], "") | {
                "id": f"INC-NEW-{self.n}", "assets": self.rng.choice(self.table("assets"))["id"],
                "severity": self.rng.choice(["serious", "death", "widespread_infringement"]),
                "occurred_on": aware.isoformat(), "aware_on": aware.isoformat(),
            })  # fmt: skip
        else:
            row = self.rng.choice(rows)
            late = dt.date.fromisoformat(row["aware_on"]) + dt.timedelta(self.rng.randint(0, 30))
            row["reported_on"] = self.rng.choice(["", late.isoformat()])
        _save(self.main / "incidents.csv", rows)
        load_inventory(self.store, self.main)

    def prune(self) -> None:
        rows = self.table("evidence")
        rows.pop(self.rng.randrange(len(rows)))
        _save(self.main / "evidence.csv", rows)
        load_inventory(self.store, self.main, prune=True)

    def owner_change(self) -> None:
        owners = self.table("owners")
        if self.rng.random() < 0.5:
            assets = self.table("assets")
            self.rng.choice(assets)["owner"] = self.rng.choice(owners)["id"]
            _save(self.main / "assets.csv", assets)
        else:
            self.rng.choice(owners)["name"] = f"Renamed {self.rng.randint(0, 999)}"
            _save(self.main / "owners.csv", owners)
        load_inventory(self.store, self.main)

    def control_change(self) -> None:
        controls, assets = self.table("controls"), self.table("assets")
        c = self.rng.choice(controls)
        c["status"] = self.rng.choice(["implemented", "planned"])
        c["applies_to"] = ";".join(self.rng.sample([a["id"] for a in assets], 2))
        _save(self.main / "controls.csv", controls)
        load_inventory(self.store, self.main)

    def catalog_change(self) -> None:
        """A crosswalk pair's relation changes (what a new crosswalk version does)."""
        rel = SCHEMA.rel("MAPS_TO")
        edges = self.store.dump(cypher_gen.dump_edges(rel, "Clause", "Article"))
        edge = self.rng.choice(edges)
        edge["relation"] = self.rng.choice(["equal", "subset", "related", "superset"])
        self.store.write(WriteBatch(edges=[EdgeRows("MAPS_TO", "Clause", "Article", [edge])]))

    def date_move(self) -> None:
        ops.refresh(self.store, DAY + dt.timedelta(days=self.rng.randint(-40, 500)))


def assert_model_is_from_scratch(store: Store) -> None:
    assert ops.differences(store) == []
    mark = ops.mark(store)
    assert mark is not None
    pairs = store.dump(
        "MATCH (a:Asset)-[:SUBJECT_TO]->(r:Article) RETURN a.id AS asset, r.id AS article"
    )
    assert pairs
    for p in pairs:
        kept = readmodel_answer(store, p["asset"], p["article"], mark["as_of"], "practical")
        assert kept == compute(store, p["asset"], p["article"], mark["as_of"]), p


# LadybugDB writes a small batch on its keyed path; the other two paths forced on the sample's
# small batches: the diff path's live transaction, and stage-and-swap (the model rebuilt after).
PATHS = {
    "keyed": {},
    "live": {"bulk_min_rows": 0, "keyed_share": 0.0},
    "staged": {"bulk_min_rows": 0, "keyed_share": 0.0, "live_max_rows": 0, "live_share": 0.0},
}


@pytest.mark.parametrize(
    ("path", "seed"), [("keyed", 1), ("keyed", 2), ("keyed", 3), ("live", 4), ("staged", 5)]
)
def test_model_equals_from_scratch_after_every_step(
    store: Store, tmp_path: Path, seed: int, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maintain, "REBUILD_CHUNK", 5)  # rebuilds and checks walk chunks
    if path != "keyed" and store.kind != "ladybug":
        pytest.skip("the write paths are LadybugDB's")
    for name, value in PATHS[path].items():
        setattr(store, name, value)
    rng = random.Random(seed)  # noqa: S311  (a reproducible sequence, not a secret)
    org = Org(store, tmp_path, rng)
    load_inventory(store, org.main)
    ops.refresh(store, DAY)
    assert_model_is_from_scratch(store)
    steps: list[Callable[[], None]] = [
        org.ingest, org.ingest, org.edit_evidence, org.move_evidence, org.prune, org.owner_change,
        org.control_change, org.catalog_change, org.date_move, org.incident_change,
        org.incident_change,
    ]  # fmt: skip
    for _ in range(STEPS):
        step = rng.choice(steps)
        step()
        assert_model_is_from_scratch(store)
