"""Run the benches at one or more scales and print every ratio (``make bench``/``bench-full``).

Each bench is its own process (its peak RSS is its own); results go to stdout as a table and
to ``$CLAUSEGRAPH_BENCH_DIR/results.json``. Ratios are measured within one run on one machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from typing import Any

from bench.common import WORK

BENCHES = ("load", "gaps", "gaprows", "coverage", "api", "explain", "ingest", "reload")
TIMEOUT_S = 3600  # one bench at one scale


def run(bench: str, assets: int, seconds: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        f"bench.{bench}",
        "--assets",
        str(assets),
        "--seconds",
        str(seconds),
    ]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=TIMEOUT_S)  # noqa: S603
    except subprocess.TimeoutExpired:
        return {"bench": bench, "assets": assets, "error": [f"timed out after {TIMEOUT_S} s"]}
    if out.returncode != 0:
        return {"bench": bench, "assets": assets, "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def summary(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"FAILED: {r['error']}"
    if r["bench"] == "load" and "skipped" in r:
        return f"{r['rows']} rows; raw COPY {r['raw_rows_per_s']:,}/s; {r['skipped']}"
    if r["bench"] == "load":
        return (
            f"{r['rows']} rows; raw COPY {r['raw_rows_per_s']:,}/s, "
            f"ours {r['ours_rows_per_s']:,}/s = {r['ratio_ours_vs_raw']}x "
            f"(store write alone {r['ratio_store_write_vs_raw']}x); "
            f"re-load unchanged {r['reload_unchanged_vs_first']}x, "
            f"1% changed {r['reload_1pct_vs_first']}x of first import"
        )
    if r["bench"] == "gaps":
        return (
            f"full report {r['full_report_s']}s = {r['ratio_full_vs_duckdb']}x DuckDB core "
            f"({r['duckdb_core_s']}s); core rules {r['ratio_core_vs_duckdb']}x; answers equal"
        )
    if r["bench"] == "gaprows":
        after = r["report_after_1_row_ingest"]
        return (
            f"report from the gap rows {r['report_from_rows_s']}s vs full {r['report_full_s']}s "
            f"= {r['report_speedup']}x; after a 1-row ingest p95 {after['p95_ms']} ms; build "
            f"{r['build_s']}s, {r['rows_mb']} MB; answers equal"
        )
    if r["bench"] == "coverage":
        return f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms ({r['calls']} calls)"
    if r["bench"] == "api":
        per_route = "; ".join(
            f"{name}: {x['req_per_s']} req/s, p50 {x['p50_ms']} / p95 {x['p95_ms']} / p99 "
            f"{x['p99_ms']} ms, errors {x['errors'] + x['non_2xx']}"
            for name, x in r.get("routes", {"coverage": r}).items()
        )
        return (f"{per_route} ({r['tool']}, {r['clients']} clients, {r['seconds']} s per route);"
                f" server RSS {r['server_peak_rss_mb']} MB")  # fmt: skip
    if r["bench"] == "ingest":
        parts = [f"{n} rows p50 {r[f'http_{n}']['p50_ms']} / p95 {r[f'http_{n}']['p95_ms']} ms"
                 for n in (1, 100, 10000)]  # fmt: skip
        cli = r["cli_load_1_row"]
        return (
            f"POST /ingest {'; '.join(parts)}; load inventory of 1 row: CLI p50 "
            f"{cli['p50_ms']} ms, in process p50 {r['load_1_row_in_process']['p50_ms']} ms"
        )
    if r["bench"] == "reload":
        return (
            f"unchanged re-load {r['fingerprinted_reload_s']} s (hash floor "
            f"{r['hash_floor_s']} s) = {r['fingerprinted_vs_base']}x of {r['ratio_base']} "
            f"({r.get('first_import_s') or r['full_path_reload_s']} s); 1% changed "
            f"{r['reload_1pct_s']} s = {r['reload_1pct_vs_base']}x"
        )
    traps = [s["statement"] for s in r["statements"] if s["cross_product"]]
    return f"CROSS_PRODUCT in: {', '.join(traps) or 'none'}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scales", type=int, nargs="+", default=[1000])
    p.add_argument("--api-seconds", type=float, default=10.0)
    p.add_argument("--only", nargs="*", choices=BENCHES, default=list(BENCHES))
    a = p.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "  # noqa: T201
          f"{platform.python_version()}; work dir {WORK}")  # fmt: skip
    for assets in a.scales:
        for bench in a.only:
            r = run(bench, assets, a.api_seconds)
            results.append(r)
            rss = r.get("peak_rss_mb", "?")
            print(f"{assets:>7} {bench:9} {summary(r)}; peak RSS {rss} MB", flush=True)  # noqa: T201
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
