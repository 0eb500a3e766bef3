"""Nothing is ever half-written: a load killed with SIGKILL at a random moment leaves the store
equal to the state before or after it, never a mix; readers in another process see one state;
a second writer gets a clear "store is locked" error. 5 kills per write path in CI;
CLAUSEGRAPH_CRASH_KILLS=20 for the longer local run.

The load is the CLI's, run through one of the LadybugDB write paths: "staged" (the bulk delta is
COPY-ed into a staged copy that is renamed over the store), "live" (the delta is MERGE-d in one
transaction on the live store) and "keyed" (no diff of whole tables: the touched keys read and
written by primary key, new rows created from Arrow tables with LOAD FROM; see
graph/stores/ladybug_keyed.py). "partial" re-loads a folder with 1 % of its evidence rows
changed, which reads and writes only those rows (loaders/inventory/row_prints.py): a kill must
also leave the per-line fingerprints with the data they describe, so the load run again after
the kill must reach the same state."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.audit.read import verify
from graph.backup import export_lines
from graph.errors import StoreUnavailable
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
KILLS = int(os.environ.get("CLAUSEGRAPH_CRASH_KILLS", "5"))
EXE = Path(sys.executable).parent / "clausegraph"
EXTRA = 4000  # evidence rows added by the big load: enough for it to take a few seconds
# The CLI, with the store's thresholds set to force one write path.
CLI = """
import sys
from graph.stores.ladybug_store import LadybugStore
path = sys.argv.pop(1)
if path == "partial":
    from loaders.inventory import row_prints
    row_prints.MIN_BYTES = 0  # the test's files are small
LadybugStore.bulk_min_rows = 10**12 if path in ("keyed", "partial") else 0
LadybugStore.keyed_share = 0.0
LadybugStore.live_max_rows = 0 if path == "staged" else 10**12
LadybugStore.live_share = 0.0 if path == "staged" else 1.0
from api.cli import main
main()
"""


def cli(path: str, *args: str) -> list[str]:
    return [sys.executable, "-c", CLI, path, *args]


def big_inventory(folder: Path) -> Path:
    """Acme plus EXTRA log items, so the load runs long enough to be killed mid-way."""
    target = folder / "big"
    shutil.copytree(ACME, target)
    (target / "inventory.json").unlink()
    with (target / "evidence.csv").open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for i in range(EXTRA):
            uri = f"https://logs.example/{i}"
            row = [f"X-{i:05d}", f"Log shard {i}", "log", uri, "", "2026-11-20", "", "200", "1"]
            w.writerow([*row, "anna.kowalska", "C-16", "cv-screening", ""])
    return target


def snapshot(db: Path) -> list[str]:
    """The data (the log's timestamps differ run to run; findings are derived) after checking
    the log's chain."""
    store = LadybugStore(db)
    try:
        assert verify(store).ok, f"{db}: audit log chain broken after a kill"
        # The findings are reconciled by the CLI in their own transaction after the load's
        # (docs/remediation.md): derived state, caught up by the next reconcile, so the
        # before/after comparison is of the loaded data.
        derived = ('"node":"ChangeEvent"', '"node":"Finding"', '"node":"ReconcileMark"')
        return [line for line in export_lines(store) if not any(d in line for d in derived)]
    finally:
        store.close()


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str], list[str]]:
    tmp = tmp_path_factory.mktemp("crash")
    base = tmp / "base.db"
    store = LadybugStore(base)
    store.apply_schema()
    load_inventory(store, ACME)
    store.close()
    big = big_inventory(tmp)
    after_db = tmp / "after.db"
    shutil.copytree(base, after_db) if base.is_dir() else shutil.copy(base, after_db)
    store = LadybugStore(after_db)
    load_inventory(store, big)
    store.close()
    return base, big, snapshot(base), snapshot(after_db)


def _load(path: str, db: Path, folder: Path) -> str:
    done = subprocess.run(cli(path, "--db", str(db), "load", "inventory", str(folder)),
                          check=True, capture_output=True, text=True, timeout=600)  # fmt: skip
    return done.stdout


@pytest.fixture(scope="module")
def partial_states(
    tmp_path_factory: pytest.TempPathFactory, states: tuple[Path, Path, list[str], list[str]]
) -> tuple[Path, Path, list[str], list[str]]:
    """A store that loaded the big folder (per-line fingerprints recorded), the same folder
    with every 100th evidence row's title changed, and the states before and after loading it."""
    base, big, _, _ = states
    tmp = tmp_path_factory.mktemp("partial")
    folder = tmp / "big"
    shutil.copytree(big, folder)
    loaded = tmp / "loaded.db"
    copy_db(base, loaded)
    _load("partial", loaded, folder)
    lines = (folder / "evidence.csv").read_bytes().split(b"\n")  # line ends as written
    edited = [x.replace(b"Log shard", b"Log part", 1) if i % 100 == 0 else x
              for i, x in enumerate(lines)]  # fmt: skip
    (folder / "evidence.csv").write_bytes(b"\n".join(edited))
    after = tmp / "after.db"
    copy_db(loaded, after)
    assert "read only their changed rows: evidence (40 rows)" in _load("partial", after, folder)
    return loaded, folder, snapshot(loaded), snapshot(after)


@pytest.mark.slow
def test_sigkill_during_a_partial_reload_leaves_before_or_after_and_its_fingerprints_true(
    partial_states: tuple[Path, Path, list[str], list[str]], tmp_path: Path
) -> None:
    loaded, folder, before, after = partial_states
    assert before != after
    rng = random.Random(20261204)  # noqa: S311 - kill timing, not security
    timing = tmp_path / "timing.db"
    copy_db(loaded, timing)
    started = time.monotonic()
    _load("partial", timing, folder)
    duration = time.monotonic() - started
    for k in range(KILLS):
        db = tmp_path / f"run{k}.db"
        copy_db(loaded, db)
        proc = subprocess.Popen(cli("partial", "--db", str(db), "load", "inventory", str(folder)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.2, 1.1) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        try:
            state = snapshot(db)
        except StoreUnavailable as e:
            if "WAL file is corrupted" in str(e):  # see the test above
                pytest.xfail(f"kill {k}: LadybugDB reports a corrupted WAL after SIGKILL")
            raise
        assert state in (before, after), f"kill {k}: the store is neither before nor after"
        # fingerprints written with data they do not describe would skip rows here
        _load("partial", db, folder)
        assert snapshot(db) == after, f"kill {k}: the load run again did not reach the after state"


def copy_db(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
        wal = src.with_name(src.name + ".wal")
        if wal.exists():
            shutil.copy(wal, dst.with_name(dst.name + ".wal"))


@pytest.mark.slow
@pytest.mark.parametrize("path", ["staged", "live", "keyed"])
def test_sigkill_during_load_leaves_before_or_after(
    states: tuple[Path, Path, list[str], list[str]], tmp_path: Path, path: str
) -> None:
    base, big, before, after = states
    assert before != after
    rng = random.Random(20261125)  # noqa: S311 - kill timing, not security
    # how long the whole load takes on this machine now, so kills spread over all of it
    timing = tmp_path / "timing.db"
    copy_db(base, timing)
    started = time.monotonic()
    subprocess.run(cli(path, "--db", str(timing), "load", "inventory", str(big)), check=True,
                   capture_output=True, timeout=600)  # fmt: skip
    duration = time.monotonic() - started
    outcomes = []
    for k in range(KILLS):
        db = tmp_path / f"run{k}.db"
        copy_db(base, db)
        proc = subprocess.Popen(cli(path, "--db", str(db), "load", "inventory", str(big)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.2, 1.1) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        try:
            state = snapshot(db)
        except StoreUnavailable as e:
            if "WAL file is corrupted" in str(e):
                # Seen once in CI under heavy load: LadybugDB 0.22 refuses to reopen after a
                # SIGKILL with a WAL checksum error. Nothing mixed is served, but the store needs
                # restoring from `clausegraph export`. An engine issue, reported in the notes.
                pytest.xfail(f"kill {k}: LadybugDB reports a corrupted WAL after SIGKILL")
            raise
        assert state in (before, after), f"kill {k}: the store is neither before nor after"
        assert not list(tmp_path.glob(f"{db.name}.stage*")), "a stale stage was not removed"
        outcomes.append("after" if state == after else "before")
    assert len(outcomes) == KILLS
    kills = f"{outcomes.count('before')} before, {outcomes.count('after')} after"
    print(f"\n{path}: {KILLS} kills: {kills}")  # noqa: T201


@pytest.mark.slow
@pytest.mark.parametrize("path", ["staged", "live"])
def test_readers_see_one_state_and_a_second_writer_is_refused(
    states: tuple[Path, Path, list[str], list[str]], tmp_path: Path, path: str
) -> None:
    base, big, before, after = states
    db = tmp_path / "live.db"
    copy_db(base, db)
    n_before = sum('"node":"Evidence"' in line for line in before)
    n_after = sum('"node":"Evidence"' in line for line in after)
    writer = subprocess.Popen(cli(path, "--db", str(db), "load", "inventory", str(big)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(0.5)
    second = subprocess.run([str(EXE), "--db", str(db), "init"], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert second.returncode == 5 and "is locked by another process" in second.stderr
    seen = set()
    reader = (
        "import sys; from pathlib import Path; from graph.stores.ladybug_store import LadybugStore;"
        "s = LadybugStore(Path(sys.argv[1]), read_only=True);"
        "print(s.counts()['Evidence']); s.close()"
    )
    while writer.poll() is None:
        r = subprocess.run([sys.executable, "-c", reader, str(db)], capture_output=True, text=True,
                           timeout=60)  # fmt: skip
        if r.returncode == 0:
            seen.add(int(r.stdout.strip()))
        time.sleep(0.1)
    assert writer.returncode == 0, writer.stderr.read().decode() if writer.stderr else ""
    if writer.stderr:
        writer.stderr.close()
    assert seen, "no reader could open the store while the load ran"
    assert seen <= {n_before, n_after}, seen
