"""A gap that another gap hides comes back in the kept report when the hiding gap goes, though
its own rows never changed: the suppression of Art. 5's "no control" by a prohibited practice,
and the fold of an expired item into the presence finding that names it. The organisation is
Northwind (tests/answers/test_right_answers.py), re-loaded with one fact changed at a time."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from api.session import gap_context
from graph.gapreport import keeper
from graph.gaps import find_gaps
from tests.answers.test_right_answers import NORTHWIND
from tests.factories import organisation

LATER = dt.date(2028, 1, 10)  # Art. 27 in force for nw-credit: its expired FRIA is folded


def _reload(cg: Any, folder: Path, inventory: dict[str, Any]) -> None:
    (folder / "inventory.json").write_text(json.dumps(inventory))
    cg.load_inventory(folder / "inventory.json")


def _same(cg: Any, day: dt.date) -> set[str]:
    ctx = gap_context(day)
    kept = keeper.gaps(cg.store, ctx)
    assert kept == find_gaps(cg.store, ctx)
    k = keeper.kept(cg.store)
    assert k is not None
    return {g.id for g in kept}


def test_an_expired_item_comes_back_when_its_presence_finding_goes(tmp_path: Path) -> None:
    inv = copy.deepcopy(NORTHWIND)
    cg = organisation(tmp_path, inv, "nw")
    try:
        assert "evidence_expired:E-FRIA" not in _same(cg, LATER)  # folded into Art. 27's gap
        renewed = {"id": "E-FRIA-2", "title": "FRIA 2027", "collected_on": "2027-10-01",
                   "valid_until": "2028-10-01"}  # fmt: skip
        inv["evidence"].append({**inv["evidence"][0], **renewed})
        _reload(cg, tmp_path, inv)
        ids = _same(cg, LATER)
        k = keeper.kept(cg.store)
        assert k is not None and k.last is not None  # patched, not rebuilt
        assert "evidence_expired:E-FRIA" in ids  # nothing names it any more: its own finding
        assert "evidence_expired:E-FRIA" in k.last.added
        inv["evidence"][-1] |= {"collected_on": "2025-10-01", "valid_until": "2026-10-01"}
        _reload(cg, tmp_path, inv)  # the new FRIA expired too: the presence finding is back
        assert "evidence_expired:E-FRIA" not in _same(cg, LATER)  # named again: folded again
    finally:
        cg.store.close()


def test_no_control_for_art_5_follows_the_prohibited_finding(tmp_path: Path) -> None:
    inv = copy.deepcopy(NORTHWIND)
    nudge = next(a for a in inv["assets"] if a["id"] == "nw-nudge")
    cg = organisation(tmp_path, inv, "nw")
    try:
        want = {
            "production": "prohibited_practice_in_use:nw-nudge",
            "development": "prohibited_practice_not_yet_in_use:nw-nudge",
            "retired": None,
        }
        for n, lifecycle in enumerate(("production", "development", "retired", "production",
                                       "development")):  # fmt: skip
            nudge["lifecycle"] = lifecycle
            _reload(cg, tmp_path, inv)
            ids = _same(cg, LATER)
            mine = {i for i in ids if i.endswith(":nw-nudge")}
            assert mine == ({want[lifecycle]} if want[lifecycle] else set()), lifecycle
            k = keeper.kept(cg.store)
            assert k is not None and (n == 0 or k.last is not None)  # built, then patched
    finally:
        cg.store.close()
