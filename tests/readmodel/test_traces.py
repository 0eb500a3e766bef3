"""``traces`` (several systems' traces in a few reads) answers exactly as ``trace`` does one
system at a time, reads the kept cells when the read model answers for the day, and computes
otherwise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graph.coverage import NotFound, trace, traces
from graph.readmodel import ops
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 11, 25)


@pytest.fixture
def store(tmp_path: Path) -> LadybugStore:
    s = LadybugStore(tmp_path / "g.db")
    s.apply_schema()
    load_inventory(s, ACME)
    return s


def _assets(store: LadybugStore) -> list[str]:
    return sorted(r["id"] for r in store.read("assets.list", tier="", owner="", lifecycle=""))


def test_traces_equal_one_trace_per_system_with_and_without_the_model(store: LadybugStore) -> None:
    assets = _assets(store)
    assert len(assets) > 3
    computed = {a: trace(store, a, DAY) for a in assets}
    assert sum(map(len, computed.values())) > 50  # the sample is not trivially empty
    assert traces(store, assets, DAY) == computed
    ops.refresh(store, DAY)
    assert traces(store, assets, DAY) == computed
    later = dt.date(2027, 12, 2)  # the model answers for DAY only: this day is computed
    assert traces(store, assets, later) == {a: trace(store, a, later) for a in assets}


def test_unknown_ids_get_no_rows_and_trace_still_says_not_found(store: LadybugStore) -> None:
    assert traces(store, ["no-such-system", "cv-screening"], DAY)["no-such-system"] == []
    assert traces(store, [], DAY) == {}
    twice = traces(store, ["cv-screening", "cv-screening"], DAY)
    assert twice == {"cv-screening": trace(store, "cv-screening", DAY)}
    with pytest.raises(NotFound):
        trace(store, "no-such-system", DAY)


def test_the_kept_cell_is_what_traces_reads_for_the_models_day(store: LadybugStore) -> None:
    """A cell changed behind the model's back shows through (so the answer came from the cell,
    not a recomputation), and only for the day the model holds."""
    ops.refresh(store, DAY)
    key = "cv-screening|AIA-8"
    row = store.read("readmodel.cells_of", keys=[key])[0]
    answer = json.loads(row["answer"])
    assert answer["verdict"] != "covered"
    answer["verdict"] = "covered"
    store._execute(
        "MATCH (c:CoverageCell {id: $key}) SET c.answer = $answer",
        {"key": key, "answer": json.dumps(answer)},
    )
    by_article = {
        str(t["article"]): t for t in traces(store, ["cv-screening"], DAY)["cv-screening"]
    }
    assert by_article["8"]["verdict"] == "covered"
    other = {str(t["article"]): t for t in traces(store, ["cv-screening"], DAY.replace(day=24))[
        "cv-screening"]}  # fmt: skip
    assert other["8"]["verdict"] == row["verdict"]
