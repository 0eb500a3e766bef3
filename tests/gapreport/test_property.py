"""The kept gap report (graph/gapreport) equals the from-scratch report, gap for gap and in
order, after every step of random sequences of ingests, edits, re-links, prunes, catalog changes
and date moves; and the findings reconcile scoped to the ids that moved leaves the findings
exactly where a full reconcile would (a full reconcile straight after it changes nothing)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from api.session import Clausegraph, gap_context
from graph.findings import reconcile
from graph.gapreport import keeper
from graph.gaps import find_gaps
from graph.stores import Store
from loaders.inventory import load_inventory
from tests.gaprows.test_property import GapOrg
from tests.readmodel.test_property import DAY

STEPS = 20


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_kept_report_equals_the_full_report_after_every_step(
    store: Store, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311  (a reproducible sequence, not a secret)
    org = GapOrg(store, tmp_path, rng)
    load_inventory(store, org.main)
    day = DAY
    assert keeper.gaps(store, gap_context(day)) == find_gaps(store, gap_context(day))
    steps = org.steps()
    patched = 0
    for _ in range(STEPS):
        if rng.random() < 0.15:
            day = DAY + dt.timedelta(days=rng.randint(-40, 500))
        else:
            rng.choice(steps)()
        ctx = gap_context(day)
        assert keeper.gaps(store, ctx) == find_gaps(store, ctx)
        k = keeper.kept(store)
        patched += k is not None and k.last is not None and k.last.reshaped > 0
        assert keeper.gaps(store, ctx) == find_gaps(store, ctx)  # a use with nothing new
    assert patched >= 4  # most steps were patches that shaped subjects again, not rebuilds


@pytest.mark.parametrize("seed", [31, 32])
def test_scoped_reconcile_leaves_what_a_full_reconcile_would(
    store: Store, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311
    org = GapOrg(store, tmp_path, rng)
    load_inventory(store, org.main)
    cg = Clausegraph(store)
    ctx = gap_context(DAY)
    first = cg.reconcile(today=DAY)
    assert first.opened  # every gap opened a finding
    steps = [s for s in org.steps() if s != org.catalog_change]  # catalog edits rebuild
    moved = scoped = 0
    for _ in range(STEPS):
        rng.choice(steps)()
        before = keeper.kept(store)
        count = before.scoped if before is not None else 0
        report = cg.reconcile(today=DAY)
        k = keeper.kept(store)
        if k is before and k is not None and k.scoped > count:
            scoped += 1
            moved += bool(report.opened or report.resolved or report.reopened)
        full = reconcile(store, find_gaps(store, ctx), ctx, today=DAY)
        assert full.summary() == "findings: no change", full
    assert scoped >= STEPS // 2  # most reconciles compared only the ids that moved
    assert moved >= 3  # and opened, resolved or reopened findings doing so
