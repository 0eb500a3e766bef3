"""The maintained gap rows (graph/gaprows) equal the full gap queries after every step of random
sequences of ingests, edits of systems, evidence, controls, datasets and incidents, re-links,
prunes, catalog changes and date moves, whether or not the rows were saved in between, on every
store (LadybugDB always, Neo4j when NEO4J_URI is set). The whole report built from them equals
the from-scratch report, gap for gap."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from api.session import gap_context
from graph.gaprows import model
from graph.gaps import find_gaps
from graph.stores import Store
from loaders.inventory import load_inventory
from tests.readmodel.test_property import DAY, Org, _save

STEPS = 16


class GapOrg(Org):
    """The coverage property test's organisation, with the edits the gap rules read."""

    def asset_change(self) -> None:
        assets = self.table("assets")
        a = self.rng.choice(assets)
        field, values = self.rng.choice([
            ("lifecycle", ["production", "development", "retired", "planned"]),
            ("risk_tier", ["high", "limited", "minimal", ""]),
            ("owner", ["", *(o["id"] for o in self.table("owners"))]),
            ("datasets", ["", *(d["id"] for d in self.table("datasets"))]),
        ])  # fmt: skip
        a[field] = self.rng.choice(values)
        _save(self.main / "assets.csv", assets)
        load_inventory(self.store, self.main)

    def evidence_relink(self) -> None:
        rows, assets = self.table("evidence"), self.table("assets")
        row = self.rng.choice(rows)
        row["concerns"] = self.rng.choice(["", *(a["id"] for a in assets)])
        row["supports"] = self.rng.choice(self.table("controls"))["id"]
        row["sha256"] = self.rng.choice(["", row["sha256"]])
        row["owner"] = self.rng.choice(["", *(o["id"] for o in self.table("owners"))])
        _save(self.main / "evidence.csv", rows)
        load_inventory(self.store, self.main)

    def org_wide(self) -> None:
        controls = self.table("controls")
        c = self.rng.choice(controls)
        c["applies_to"], c["status"] = "", "implemented"
        c["review_every_days"] = self.rng.choice(["30", "90", c["review_every_days"]])
        _save(self.main / "controls.csv", controls)
        load_inventory(self.store, self.main)

    def dataset_change(self) -> None:
        rows = self.table("datasets")
        d = self.rng.choice(rows)
        d["provenance"] = self.rng.choice(["", "export of the CRM, 2026"])
        d["owner"] = self.rng.choice(["", *(o["id"] for o in self.table("owners"))])
        _save(self.main / "datasets.csv", rows)
        load_inventory(self.store, self.main)

    def asset_over_bare_dataset(self) -> None:
        """A system changes after its dataset lost provenance: the dataset's row shows the
        system's lifecycle and dates, so the dataset's rows change with no dataset event."""
        assets, datasets = self.table("assets"), self.table("datasets")
        a = self.rng.choice([a for a in assets if a["datasets"]])
        used = a["datasets"].split(";")[0]
        next(d for d in datasets if d["id"] == used)["provenance"] = ""
        _save(self.main / "datasets.csv", datasets)
        load_inventory(self.store, self.main)
        model.update(self.store, gap_context(DAY))
        a["lifecycle"] = self.rng.choice(["development", "retired", "production"])
        a["risk_tier"] = self.rng.choice(["high", "minimal"])
        _save(self.main / "assets.csv", assets)
        load_inventory(self.store, self.main)

    def control_over_old_evidence(self) -> None:
        """A control changes after a system's evidence for it went old: evidence_stale's rows
        are the system's, so they change with no event on the system or the evidence."""
        evidence, controls = self.table("evidence"), self.table("controls")
        e = self.rng.choice([e for e in evidence if e["concerns"] and e["supports"]])
        e["collected_on"], e["valid_until"] = "2024-01-02", ""
        c = next(c for c in controls if c["id"] == e["supports"].split(";")[0])
        others = [a["id"] for a in self.table("assets") if a["id"] != e["concerns"]]
        c["applies_to"] = self.rng.choice(others)  # the system is reached through evidence only
        _save(self.main / "evidence.csv", evidence)
        _save(self.main / "controls.csv", controls)
        load_inventory(self.store, self.main)
        model.update(self.store, gap_context(DAY))
        c["status"] = self.rng.choice(["implemented", "planned"])
        c["review_every_days"] = self.rng.choice(["30", "3650"])
        c["owner"] = self.rng.choice(["", *(o["id"] for o in self.table("owners"))])
        _save(self.main / "controls.csv", controls)
        load_inventory(self.store, self.main)

    def steps(self) -> list[Callable[[], None]]:
        """Every step, the commonest twice (tests/gapreport draws from the same list)."""
        return [
            self.ingest, self.ingest, self.edit_evidence, self.owner_change, self.control_change,
            self.asset_change, self.asset_change, self.evidence_relink, self.org_wide,
            self.dataset_change, self.incident_change, self.prune, self.catalog_change,
            self.asset_over_bare_dataset, self.control_over_old_evidence,
        ]  # fmt: skip

    def incident_change(self) -> None:
        rows = self.table("incidents")
        i = self.rng.choice(rows)
        i["reported_on"] = self.rng.choice(["", i["aware_on"]])
        i["severity"] = self.rng.choice(["serious", "death", "not_serious"])
        _save(self.main / "incidents.csv", rows)
        load_inventory(self.store, self.main)


def assert_rows_are_from_scratch(store: Store, day: dt.date) -> None:
    ctx = gap_context(day)
    assert model.differences(store, ctx) == []
    rows_of = model.rows_source(store, ctx)
    assert find_gaps(store, ctx, rows_of=rows_of) == find_gaps(store, ctx)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_maintained_rows_equal_the_full_queries_after_every_step(
    store: Store, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311  (a reproducible sequence, not a secret)
    org = GapOrg(store, tmp_path, rng)
    load_inventory(store, org.main)
    day = DAY
    assert model.rows_source(store, gap_context(day)) is None  # nothing stored yet
    model.update(store, gap_context(day))
    assert_rows_are_from_scratch(store, day)
    steps = org.steps()
    followed = 0
    for _ in range(STEPS):
        if rng.random() < 0.15:  # a date move: every dated query runs in full until saved
            day = DAY + dt.timedelta(days=rng.randint(-40, 500))
        else:
            rng.choice(steps)()
        cur = model.current(store, gap_context(day))
        followed += cur is not None and cur.recomputed > 0
        assert_rows_are_from_scratch(store, day)
        if rng.random() < 0.5:
            model.update(store, gap_context(day))
            assert_rows_are_from_scratch(store, day)
    assert followed >= 3  # most steps were followed by scoped re-runs, not full queries


def test_a_write_outside_the_log_drops_the_rows(store: Store, tmp_path: Path) -> None:
    org = GapOrg(store, tmp_path, random.Random(1))  # noqa: S311
    load_inventory(store, org.main)
    model.update(store, gap_context(DAY))
    assert model.mark(store) is not None
    store.clear()
    assert model.mark(store) is None and store.read("gaprows.buckets") == []


@pytest.mark.parametrize("step", ["asset_over_bare_dataset", "control_over_old_evidence"])
def test_a_change_reaches_the_rows_that_read_it_across_an_edge(
    store: Store, tmp_path: Path, step: str
) -> None:
    org = GapOrg(store, tmp_path, random.Random(7))  # noqa: S311
    load_inventory(store, org.main)
    model.update(store, gap_context(DAY))
    for _ in range(3):
        getattr(org, step)()
        assert_rows_are_from_scratch(store, DAY)


def test_an_organisation_without_review_periods_gets_rows_too(store: Store) -> None:
    """No control, so no review period: evidence_stale runs nothing (LadybugDB refuses an empty
    ``UNWIND $periods``), in the full report and in the maintained one alike."""
    from api.routes.ingest import raw_from_body
    from api.session import Clausegraph
    from graph.models import Inventory
    from loaders.catalog import load_catalogs
    from tests.api.test_read_while_writing import FJORD

    load_catalogs(store)
    load_inventory(store, raw_from_body(Inventory.model_validate(FJORD)))
    cg = Clausegraph(store)
    found, _ = cg.gaps_reconciled()  # builds and saves the rows
    assert model.mark(store) is not None
    assert {g.rule for g in found} >= {"asset_without_owner"}
    assert cg.gaps() == found == find_gaps(store, gap_context(dt.date.today()))
