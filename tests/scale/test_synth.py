"""`clausegraph synth`: valid, deterministic, realistic, and planting a gap of every rule."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.gap_rules import RULES
from graph.gaps import GapContext, find_gaps
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.inventory import load_inventory
from synth.organisation import AS_OF, synth, synth_tables


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes(tmp_path: Path, fmt: str) -> None:
    synth(60, 7, tmp_path / "a", fmt)  # type: ignore[arg-type]
    synth(60, 7, tmp_path / "b", fmt)  # type: ignore[arg-type]
    synth(60, 8, tmp_path / "c", fmt)  # type: ignore[arg-type]
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert len(a) == 6
    assert a == b
    assert a != c


def test_shapes_are_realistic() -> None:
    n = 2000
    t = synth_tables(n, 1)
    assert t["datasets"].num_rows == 3 * n
    assert t["owners"].num_rows == n // 20
    assert 18 <= t["evidence"].num_rows / n <= 22
    tiers = t["assets"]["risk_tier"].to_pylist()
    assert 0.08 <= tiers.count("high") / n <= 0.12
    for tier in ("limited", "minimal", "gpai", "prohibited", None):
        assert tier in tiers
    implements = [x for xs in t["controls"]["implements"].to_pylist() if xs for x in xs]
    assert sum(x.startswith("A.") for x in implements) == 38
    assert 40 <= t["controls"].num_rows <= 60
    dates = t["evidence"]["collected_on"].to_pylist()
    assert min(dates) >= AS_OF - dt.timedelta(days=730)
    assert max(dates) <= AS_OF


def _load_twice(store: Store, folder: Path) -> None:
    load_inventory(store, folder)
    first = store.counts()
    load_inventory(store, folder)
    assert store.counts() == first


def test_loads_twice_identically_with_a_gap_of_every_rule(tmp_path: Path) -> None:
    synth(40, 3, tmp_path / "org")
    store = open_store(Settings(store="ladybug", db=tmp_path / "graph.db"))
    try:
        store.apply_schema()
        _load_twice(store, tmp_path / "org")
        assert store.counts()["Evidence"] > 40 * 15
        gaps = find_gaps(store, GapContext(as_of=AS_OF))
        # the planted incident is reportable in the literal reading only: in the practical one
        # Art. 73 binds its system from 2 Dec 2027, after the incident became known
        literal = find_gaps(store, GapContext(as_of=AS_OF, date_reading="literal"))
    finally:
        store.close()
    assert "incident_not_notified" not in {g.rule for g in gaps}
    missing = {r.id for r in RULES} - {g.rule for g in gaps + literal}
    assert not missing, f"no planted gap for {sorted(missing)}"


def test_cli_writes_parquet(tmp_path: Path) -> None:
    exe = shutil.which("clausegraph", path=str(Path(sys.executable).parent))
    assert exe
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    out = subprocess.run(
        [exe, "synth", "--assets", "25", "--seed", "2", "-o", str(tmp_path / "o"), "-f", "parquet"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "o" / "evidence.parquet").is_file()
    assert "assets" in out.stdout
