"""(f) Re-loads with input fingerprints: an unchanged folder is hashed, not read again, and a
1 %-changed one is read only where it changed.

On a copy of the loaded store and of the organisation's folder: the folder is loaded once
through the full path (its diff against the store finds nothing to write; the load records one
fingerprint per file and per-line fingerprints per entity), then again (every file's fingerprint
is current: hashed, skipped, one no-op event); then the 1 %-changed copy's files
(``bench.load``'s: every file differs) are written over the folder's, as a re-export into the
same folder would, and loaded (only the changed lines are read, validated and written:
loaders/inventory/row_prints.py). The floor of a skipping re-load is hashing the files:
measured alone. With ``--first`` the first import into an empty store is measured too (at 100k
it needs more memory than the machine has while the audit trail drafts an event per row; see
docs/performance.md). ``--full-1pct`` also times the 1 % re-load through the full path (the
per-line fingerprints ignored) on the same store, afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import WORK, emit, fresh_store, loaded_store_path, org, remove_db, scratch_copy


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _head(store: Any) -> int:
    from graph.stores.ladybug_audit import head, reader

    return head(reader(store._conn))[0]


@contextmanager
def _no_row_prints(module: Any) -> Iterator[None]:
    stored = module.stored
    module.stored = lambda *a: {}
    try:
        yield
    finally:
        module.stored = stored


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--assets", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=0.0, help="unused (bench.run passes it)")
    p.add_argument("--first", action="store_true", help="also time a first import")
    p.add_argument("--full-1pct", action="store_true", help="also time the full-path 1%% load")
    a = p.parse_args()
    from bench.load import changed_copy
    from graph.schema import ROW_DIGESTS
    from graph.settings import Settings
    from graph.stores import open_store
    from loaders.inventory import fingerprints, load_inventory, row_prints

    changed = changed_copy(a.assets, 0.01)
    folder = WORK / f"reload-org-{a.assets}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(org(a.assets), folder)
    db = scratch_copy(loaded_store_path(a.assets), f"reload-{a.assets}.db")
    out: dict[str, Any] = {"bench": "reload", "assets": a.assets}
    if a.first:
        empty = fresh_store(WORK / f"first-{a.assets}.db")
        out["first_import_s"], _ = _timed(lambda: load_inventory(empty, folder))
        empty.close()
        remove_db(WORK / f"first-{a.assets}.db")
    store = open_store(Settings(store="ladybug", db=db))
    store.apply_schema()  # a store built before the fingerprint table existed gets it
    try:
        out["full_path_reload_s"], _ = _timed(lambda: load_inventory(store, folder))
        out["fingerprinted_reload_s"], report = _timed(lambda: load_inventory(store, folder))
        out["skipped"] = report.skipped
        out["hash_floor_s"], _ = _timed(
            lambda: fingerprints.take(fingerprints.folder_files(folder))
        )
        out["input_mb"] = round(
            sum(f.stat().st_size for f in fingerprints.folder_files(folder).values()) / 2**20, 1
        )
        parts = store.dump(f"MATCH (d:{ROW_DIGESTS.label}) RETURN d.lines AS l, d.ids AS i, "
                           "d.derived AS d")  # fmt: skip
        out["row_digest_parts"] = len(parts)
        out["row_digest_mb"] = round(sum(len(r["l"]) + len(r["i"]) + len(r["d"] or "")
                                         for r in parts) / 2**20, 1)  # fmt: skip
        for f in Path(changed).glob("*.csv"):
            shutil.copy(f, folder / f.name)
        seq = _head(store)
        out["reload_1pct_s"], report = _timed(lambda: load_inventory(store, folder))
        out["changed_rows_read"] = report.partial
        out["events_1pct"] = _head(store) - seq
        if a.full_1pct:
            with _no_row_prints(row_prints):
                for f in Path(changed).glob("*.csv"):  # the 1 % edit again, on other rows
                    text = f.read_text().replace(" (rev 2)", " (rev 3)")
                    (folder / f.name).write_text(text)
                out["full_path_1pct_s"], _ = _timed(lambda: load_inventory(store, folder))
    finally:
        store.close()
        out["db_mb"] = [
            round(p.stat().st_size / 2**20, 1) for p in (loaded_store_path(a.assets), db)
        ]
        remove_db(db)
        shutil.rmtree(folder, ignore_errors=True)
    timed = ["full_path_reload_s", "fingerprinted_reload_s", "hash_floor_s", "reload_1pct_s",
             "full_path_1pct_s"]  # fmt: skip
    for k in timed:
        if k in out:
            out[k] = round(out[k], 3)
    base = out.get("first_import_s") or out["full_path_reload_s"]
    out["ratio_base"] = "first_import" if "first_import_s" in out else "full_path_reload"
    out["fingerprinted_vs_base"] = round(out["fingerprinted_reload_s"] / base, 4)
    out["reload_1pct_vs_base"] = round(out["reload_1pct_s"] / base, 3)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    emit(out)


if __name__ == "__main__":
    main()
