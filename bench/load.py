"""(a) Load: our end-to-end ``load_inventory`` vs raw COPY of the same rows; re-loads.

Prints: rows written, seconds and rows/s for the raw COPY baseline and for our first import
into an empty store (both after the catalogs are in), the ratio ours/raw in rows/s, and the
re-load of the unchanged inventory and of one with 1 % of its rows changed, each as a fraction
of the first import. The re-loads must leave the store's counts unchanged.

The raw COPY baseline and the edited copy of the organisation are prepared in child processes,
so ``peak_rss_mb`` is the peak of our loads alone (``baseline_peak_rss_mb``: the children's).
"""

from __future__ import annotations

import multiprocessing
import resource
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from bench.arrow_org import graph_tables
from bench.common import SEED, WORK, args, check, emit, fresh_store, org, remove_db, timed
from bench.copy_baseline import copy_all
from graph.stores import Store, WriteBatch
from loaders.inventory import load_inventory
from synth.organisation import ENTITY_ORDER, synth_tables, write_csv

TEXT = {"owners": "team", "assets": "description", "datasets": "name", "controls": "name",
        "evidence": "title", "incidents": "description"}  # fmt: skip


def changed_copy(assets: int, share: float) -> Path:
    """The same organisation with ``share`` of every entity's rows edited (a text field)."""
    out = WORK / f"org-{assets}-changed"
    if (out / "evidence.csv").exists():
        return out
    tables = synth_tables(assets, SEED)
    out.mkdir(parents=True, exist_ok=True)
    step = round(1 / share)
    for entity in ENTITY_ORDER:
        t = tables[entity]
        col = t[TEXT[entity]]
        edit = pa.array([i % step == 0 for i in range(t.num_rows)])
        new = pc.if_else(
            edit, pc.binary_join_element_wise(pc.fill_null(col, ""), " (rev 2)", ""), col
        )
        write_csv(t.set_column(t.column_names.index(TEXT[entity]), TEXT[entity], new),
                  out / f"{entity}.csv")  # fmt: skip
    shutil.copytree(org(assets) / "evidence", out / "evidence", dirs_exist_ok=True)
    return out


def raw_copy(assets: int) -> tuple[float, int]:
    """COPY the organisation's rows (prepared as Arrow beforehand) into an empty store."""
    path = WORK / f"copy-{assets}.db"
    fresh_store(path).close()
    tables = graph_tables(assets, SEED, org(assets))
    seconds, rows = timed(lambda: copy_all(path, tables))
    remove_db(path)
    return seconds, rows


class WriteTimer:
    """Wraps ``store.write`` to tell the store's share of each load from the loader's."""

    def __init__(self, store: Store) -> None:
        self.seconds = 0.0
        self._write = store.write
        store.write = self  # type: ignore[method-assign]

    def __call__(self, batch: WriteBatch) -> None:
        seconds, _ = timed(lambda: self._write(batch))
        self.seconds += seconds

    def lap(self) -> float:
        out, self.seconds = self.seconds, 0.0
        return out


def loads(assets: int, folder: Path, changed: Path) -> dict[str, float]:
    """First import, unchanged re-load, 1 % re-load: total and store-write seconds of each."""
    store = fresh_store(WORK / f"graph-{assets}.db")
    (WORK / f"graph-{assets}.ok").unlink(missing_ok=True)
    timer = WriteTimer(store)
    out: dict[str, float] = {}
    for name, source in (("first", folder), ("unchanged", folder), ("changed", changed)):
        out[name], _ = timed(lambda s=source: load_inventory(store, s))
        out[f"{name}_write"] = timer.lap()
        if name == "first":
            counts = store.counts()
        check(store.counts() == counts, f"re-load ({name}) changed the counts")
    # The store now holds the 1 %-edited organisation: only text fields differ, so the other
    # benches (gap subjects, coverage paths, plans) see the same graph shape.
    store.close()
    (WORK / f"graph-{assets}.ok").touch()
    return out


def _child(fn: Callable[..., Any], *fn_args: Any) -> Any:
    """Run ``fn`` in a fresh process (its memory is not ours) and return its result."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, fn_args)


def main() -> None:
    a = args(__doc__ or "")
    folder = _child(org, a.assets)
    raw_s, rows = _child(raw_copy, a.assets)
    changed = _child(changed_copy, a.assets, 0.01)
    result: dict[str, object] = {
        "bench": "load", "assets": a.assets, "rows": rows,
        "raw_copy_s": round(raw_s, 3), "raw_rows_per_s": round(rows / raw_s),
        "baseline_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }  # fmt: skip
    t = loads(a.assets, folder, changed)
    emit(result | {
        "first_import_s": round(t["first"], 3), "ours_rows_per_s": round(rows / t["first"]),
        "ratio_ours_vs_raw": round(raw_s / t["first"], 4),
        "store_write_s": round(t["first_write"], 3),
        "ratio_store_write_vs_raw": round(raw_s / t["first_write"], 3),
        "reload_unchanged_s": round(t["unchanged"], 3),
        "reload_unchanged_vs_first": round(t["unchanged"] / t["first"], 3),
        "reload_unchanged_write_s": round(t["unchanged_write"], 3),
        "reload_1pct_s": round(t["changed"], 3),
        "reload_1pct_vs_first": round(t["changed"] / t["first"], 3),
        "reload_1pct_write_s": round(t["changed_write"], 3),
    })  # fmt: skip


if __name__ == "__main__":
    main()
