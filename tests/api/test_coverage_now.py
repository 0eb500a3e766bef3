"""The coverage route answers from the read model in the event loop when a read connection is
idle (no worker-thread hop), and through a worker thread otherwise: the same answer both ways,
and a busy pool never makes the loop wait."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.assets import _COVERAGE
from api.session import Clausegraph
from graph.stores.ladybug_store import LadybugStore
from tests.api.conftest import ACME, build

PAIRS = [("cv-screening", "12"), ("cv-screening", "14"), ("cv-screening", "AIA-27"),
         ("cv-screening", "Annex III"), ("cv-screening", "5")]  # fmt: skip


def test_in_loop_and_worker_answers_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, keys = build(tmp_path)
    today = dt.date.today()
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        assert isinstance(store, LadybugStore)
        client.app.state.readmodel.join()  # type: ignore[attr-defined]  # the start-up refresh
        cg, head = Clausegraph(store), {"X-API-Key": keys["reader"]}
        stored = [r["id"].split("|") for r in store.read("readmodel.cell_keys")]
        pairs: list[tuple[str, str]] = PAIRS + [(a, r) for a, r in stored]
        kept = {p: cg.coverage_now_json(*p, today) for p in pairs}
        assert all(kept[p] is not None for p in pairs[len(PAIRS) :])  # the server dated it today
        for pair, text in kept.items():
            assert text is None or _COVERAGE.validate_json(text) == _COVERAGE.validate_python(
                cg.coverage(*pair, today)), pair  # fmt: skip
        fast = {p: client.get(f"/assets/{p[0]}/coverage/{p[1]}", headers=head) for p in pairs}
        held = [store._readers.acquire() for _ in range(store._readers.size)]
        try:  # every read connection busy: no answer at once, and no wait for one
            assert all(cg.coverage_now_json(*p, today) is None for p in PAIRS)
        finally:
            for conn in held:
                store._readers.release(conn)
        monkeypatch.setattr(store, "read_now", lambda *a, **k: None)  # always the worker
        for pair, r in fast.items():
            slow = client.get(f"/assets/{pair[0]}/coverage/{pair[1]}", headers=head)
            assert r.status_code == slow.status_code == 200, (pair, r.text)
            assert r.headers["content-type"] == slow.headers["content-type"], pair
            assert r.json() == slow.json(), pair


FREEZE = """
import gc, sys
from pathlib import Path
from api.keeper import ReadModelKeeper
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
store = LadybugStore(Path(sys.argv[1]))
store.apply_schema()
load_inventory(store, Path(sys.argv[2]))
keeper = ReadModelKeeper(store, "practical", freeze=sys.argv[3] == "1")
keeper.touch()
keeper.join()
print(gc.get_freeze_count())
"""


@pytest.mark.parametrize("freeze", [True, False])
def test_the_server_freezes_what_its_start_up_built(tmp_path: Path, freeze: bool) -> None:
    """`clausegraph serve` (its own process) takes the kept report out of the cyclic collector's
    walks once its start-up refresh is done; an app in a shared process (tests) does not."""
    out = subprocess.run(
        [sys.executable, "-c", FREEZE, str(tmp_path / "g.db"), str(ACME), "1" if freeze else "0"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    frozen = int(out.stdout.split()[-1])
    assert (frozen > 10_000) if freeze else frozen == 0, out.stdout
