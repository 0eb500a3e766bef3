"""(f) Re-loads with input fingerprints: an unchanged folder is hashed, not read again.

On a copy of the loaded store: the organisation's folder is loaded once through the full path
(its diff against the store finds nothing to write; the load records one fingerprint per file),
then again (every file's fingerprint is current: hashed, skipped, one no-op event), then the
1 %-changed copy (``bench.load``'s: every file differs, so every file takes the full path). The
floor of a skipping re-load is hashing the files: measured alone. With ``--first`` the first
import into an empty store is measured too (at 100k it needs more memory than the machine has
while the audit trail drafts an event per row; see docs/performance.md).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from typing import Any

from bench.common import WORK, emit, fresh_store, loaded_store_path, org, remove_db


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--assets", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=0.0, help="unused (bench.run passes it)")
    p.add_argument("--first", action="store_true", help="also time a first import")
    a = p.parse_args()
    from bench.load import changed_copy
    from graph.settings import Settings
    from graph.stores import open_store
    from loaders.inventory import fingerprints, load_inventory

    folder, changed = org(a.assets), changed_copy(a.assets, 0.01)
    db = WORK / f"reload-{a.assets}.db"
    remove_db(db)
    shutil.copy(loaded_store_path(a.assets), db)
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
        out["reload_1pct_s"], _ = _timed(lambda: load_inventory(store, Path(changed)))
    finally:
        store.close()
        remove_db(db)
    for k in ("full_path_reload_s", "fingerprinted_reload_s", "hash_floor_s", "reload_1pct_s"):
        out[k] = round(out[k], 3)
    base = out.get("first_import_s") or out["full_path_reload_s"]
    out["ratio_base"] = "first_import" if "first_import_s" in out else "full_path_reload"
    out["fingerprinted_vs_base"] = round(out["fingerprinted_reload_s"] / base, 4)
    out["reload_1pct_vs_base"] = round(out["reload_1pct_s"] / base, 3)
    emit(out)


if __name__ == "__main__":
    main()
