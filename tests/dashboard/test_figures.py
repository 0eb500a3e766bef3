"""The dashboard's figures on the sample organisation: owner counts equal a count over the full
listings, and the cached gap report is never older than the register."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.dashboard import figures
from api.routes.gaps import compliance_figures
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


@pytest.mark.parametrize(
    ("tier", "owner"), [("", ""), ("high", ""), ("none", ""), ("", "clara.weber"), ("x", "")]
)
def test_heatmap_pages_are_the_filtered_listing_in_id_order(
    acme: Clausegraph, tier: str, owner: str
) -> None:
    """The engine pages and counts exactly what the full listing minus retired systems holds."""
    listed = acme.store.read("assets.list", tier=tier, owner=owner, lifecycle="")
    assert tier or owner or any(a["lifecycle"] == "retired" for a in listed)  # one is dropped
    want = [a["id"] for a in listed if a["lifecycle"] != "retired"]
    got: list[str] = []
    for offset in range(0, len(want) + 3, 3):
        page = figures.heatmap(acme, DAY, tier=tier, owner=owner, offset=offset, limit=3)
        assert page["systems"] == len(want)
        got += [r["asset"] for r in page["rows"]]
    assert got == want


def test_heatmap_cells_are_each_systems_trace(acme: Clausegraph) -> None:
    page = figures.heatmap(acme, DAY, limit=100)
    assert page["rows"]
    for row in page["rows"]:
        trace = {str(t["article"]): t["verdict"] for t in acme.trace(row["asset"], DAY)}
        assert {k: c["verdict"] for k, c in row["cells"].items()} == trace


def test_owner_figures_equal_a_count_per_owner_over_the_report(acme: Clausegraph) -> None:
    gaps = figures.gap_report(acme, DAY)
    rows = {r["owner"]: r for r in figures.owners(acme, DAY)}
    assert sum(r["open"] for r in rows.values()) == sum(g.in_force for g in gaps) > 0
    for o, r in rows.items():
        mine = [g for g in gaps if (g.owner or "") == o and g.in_force]
        assert r["open"] == len(mine), o
        assert r["overdue"] == sum(g.due is not None and g.due < DAY for g in mine), o


@pytest.mark.parametrize("when", [dt.date(2024, 1, 1), DAY, dt.date(2027, 12, 2)])
def test_next_dates_equal_a_count_over_every_pair(acme: Clausegraph, when: dt.date) -> None:
    systems: dict[dt.date, set[str]] = {}
    pairs: Counter[dt.date] = Counter()
    for p in acme.store.read("metrics.subject_pairs"):
        if p["applies_from"] is not None and p["applies_from"] > when:
            systems.setdefault(p["applies_from"], set()).add(p["asset"])
            pairs[p["applies_from"]] += 1
    want = [{"date": d, "systems": len(systems[d]), "pairs": pairs[d]} for d in sorted(systems)]
    assert figures.next_dates(acme, when, limit=100) == want
    assert figures.next_dates(acme, when, limit=1) == want[:1]
    assert when > DAY or want, "the sample has dates to come"


def _shares_over_every_pair(graph: Clausegraph, key: str, unaddressed: set[Any]) -> list[Any]:
    groups: dict[str, list[Any]] = {}
    for p in graph.store.read("metrics.subject_pairs"):
        groups.setdefault(p[key] or "unassigned", []).append(p)
    out = []
    for name in sorted(groups):
        ok = sum((p["asset"], p["article"]) not in unaddressed for p in groups[name])
        out.append({"group": name, "pairs": len(groups[name]), "addressed": ok,
                    "addressed_pct": round(100 * ok / len(groups[name]), 1)})  # fmt: skip
    return out


@pytest.mark.parametrize("when", [DAY, dt.date(2028, 8, 2)])
def test_compliance_shares_equal_a_count_over_every_pair(acme: Clausegraph, when: dt.date) -> None:
    gaps = figures.gap_report(acme, when)
    unaddressed = {(g.asset or "", "AIA-" + (g.article or "")) for g in gaps
                   if g.rule == "article_without_control"}  # fmt: skip
    assert unaddressed, "the sample has articles no control addresses"
    got = compliance_figures(acme, when, gaps)
    assert got["by_chapter"] == _shares_over_every_pair(acme, "chapter", unaddressed)
    assert got["by_tier"] == _shares_over_every_pair(acme, "tier", unaddressed)
    assert any(r["addressed"] < r["pairs"] for r in got["by_tier"])


@pytest.mark.parametrize(
    "kw",
    [{}, {"severity": "high"}, {"owner": "clara.weber"}, {"asset": "cv-screening"},
     {"upcoming": True}, {"red_line": True}, {"rules": frozenset({"evidence_stale",
     "evidence_expired"})}, {"severity": "critical", "upcoming": True},
     {"owner": "luc.dubois", "severity": "medium"}, {"asset": "emotion-monitor", "red_line": True}],
)  # fmt: skip
def test_gaps_behind_a_number_are_the_report_filtered(acme: Clausegraph, kw: Any) -> None:
    upcoming = kw.get("upcoming", False)
    want = []
    for g in figures.gap_report(acme, DAY):
        if (upcoming and g.in_force) or (not upcoming and not g.in_force):
            continue
        if kw.get("severity") and g.severity != kw["severity"]:
            continue
        if kw.get("owner") and g.owner != kw["owner"]:
            continue
        if kw.get("asset") and kw["asset"] not in (g.asset, *g.systems):
            continue
        if kw.get("red_line") and g.severity not in ("critical", "high"):
            continue
        if kw.get("rules") and g.rule not in kw["rules"]:
            continue
        want.append(g.id)
    got = figures.gaps_behind(acme, DAY, in_force=not upcoming, **kw)
    assert [g.id for g in got] == want
    assert want or kw.get("severity") == "critical", "a filter that keeps nothing tests little"


def test_kept_figures_follow_every_write(acme: Clausegraph, tmp_path: Path) -> None:
    """The overview and owners figures are kept with their report: the same objects between
    writes, recomputed after one, and always equal to a fresh computation."""
    before = figures.overview(acme, DAY)
    assert before["compliance"] is figures.overview(acme, DAY)["compliance"]
    assert before == {**figures._overview(acme, DAY, acme.gaps(DAY)), "trend": figures.trend(acme)}
    owners_before = {r["owner"]: r for r in figures.owners(acme, DAY)}
    fix = tmp_path / "fix"
    fix.mkdir()
    (fix / "assets.csv").write_text(
        "id,name,role,risk_tier,lifecycle,transparency_use,owner\n"
        "marketing-synth-video,SynthStudio synthetic spokesperson videos,deployer,limited,"
        "production,4,clara.weber\n",
        encoding="utf-8",
    )
    acme.load_inventory(fix)
    after = figures.overview(acme, DAY)
    assert after["gaps"]["in_force"] < before["gaps"]["in_force"]
    assert after == {**figures._overview(acme, DAY, acme.gaps(DAY)), "trend": figures.trend(acme)}
    owners_after = {r["owner"]: r for r in figures.owners(acme, DAY)}
    assert owners_after != owners_before
    assert owners_after["clara.weber"]["items"] == owners_before["clara.weber"]["items"] + 1


def test_a_systems_gaps_are_the_report_filtered_to_it(acme: Clausegraph) -> None:
    """The kept per-system index holds, for every system, exactly the report's gaps that are
    its own or serve it, in report order, each once."""
    gaps = figures.gap_report(acme, DAY)
    systems = [a["id"] for a in acme.store.read("assets.list", tier="", owner="", lifecycle="")]
    served = 0
    for asset in systems:
        want = [g.id for g in gaps if g.asset == asset or asset in g.systems]
        got = [g["id"] for g in figures.system(acme, asset, DAY)["gaps"]]
        assert got == want, asset
        served += any(g.asset != asset and asset in g.systems for g in gaps)
    assert served, "no system is reached only through a subject: the index's second key untested"


def test_a_large_report_is_frozen_out_of_the_collector(
    acme: Clausegraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    gc.unfreeze()
    monkeypatch.setattr(figures, "SETTLE_AT", 0)
    try:
        gaps = figures.gap_report(acme, DAY)
        assert gc.get_freeze_count() > len(gaps), "the report's gaps are frozen"
        collected = {id(o) for gen in range(3) for o in gc.get_objects(generation=gen)}
        assert gaps and not any(id(g) in collected for g in gaps), "no collection walks them"
    finally:
        gc.unfreeze()
