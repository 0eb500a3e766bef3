"""The dashboard's figures on the sample organisation: owner counts equal a count over the full
listings, and the cached gap report is never older than the register."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.dashboard import figures
from api.session import Clausegraph
from graph.stores.ladybug_store import LadybugStore
from tests.api.conftest import ACME

DAY = dt.date(2026, 11, 25)


@pytest.fixture
def acme(tmp_path: Path) -> Iterator[Clausegraph]:
    store = LadybugStore(tmp_path / "g.db")
    store.apply_schema()
    graph = Clausegraph(store)
    graph.load_catalogs()
    graph.load_inventory(ACME)
    yield graph
    store.close()


def test_owner_counts_equal_the_full_listings(acme: Clausegraph) -> None:
    want: Counter[str] = Counter()
    for kind in ("assets", "controls", "datasets", "evidence"):
        for row in acme.store.read(f"review.{kind}"):
            want.update(o for o in row["owners"] if o)
    got: Counter[str] = Counter()
    for row in acme.store.read("views.owner_counts"):
        got[row["owner"]] += row["items"]
    assert got == want and sum(got.values()) > 100
    rows = {r["owner"]: r for r in figures.owners(acme, DAY)}
    assert all(rows[o]["items"] == n for o, n in want.items())


def test_the_cached_report_follows_every_write(acme: Clausegraph, tmp_path: Path) -> None:
    first = figures.gap_report(acme, DAY)
    assert [g.id for g in first] == [g.id for g in acme.gaps(DAY)]
    assert figures.gap_report(acme, DAY) is first, "an unchanged register reuses the report"
    assert "asset_without_owner:marketing-synth-video" in {g.id for g in first}
    fix = tmp_path / "fix"
    fix.mkdir()
    (fix / "assets.csv").write_text(
        "id,name,role,risk_tier,lifecycle,transparency_use,owner\n"
        "marketing-synth-video,SynthStudio synthetic spokesperson videos,deployer,limited,"
        "production,4,clara.weber\n",
        encoding="utf-8",
    )
    acme.load_inventory(fix)
    after = figures.gap_report(acme, DAY)
    assert "asset_without_owner:marketing-synth-video" not in {g.id for g in after}
    assert [g.id for g in after] == [g.id for g in acme.gaps(DAY)]
