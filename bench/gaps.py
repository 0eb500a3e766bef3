"""(b) Gaps: the full gap report vs DuckDB SQL anti-joins for the core rules, answers checked.

DuckDB (dev-only reference) gets exactly the rows the graph holds — the organisation's nodes and
edges (bench/arrow_org.py, equal to what the loader writes) plus the catalog batch — as one table
per node label and per relationship endpoint pair.
Timed: the full report (all rules), the core rules alone through the same code, and the core
rules as SQL (data already in DuckDB; median of three runs after a warm-up, all in this process).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from bench.arrow_org import graph_tables
from bench.common import SEED, args, best_of, check, emit, loaded_store_path, org, repeats
from bench.copy_baseline import arrow_tables
from graph.gaps import GapContext, find_gaps
from graph.settings import Settings
from graph.stores import open_store
from graph.stores.base import prepared_batch
from loaders.catalog import catalog_batch, shipped_catalogs

AS_OF = dt.date(2026, 11, 25)
CORE = ("article_without_control", "high_risk_without_logs", "high_risk_stale_logs",
        "asset_without_owner", "control_without_owner", "dataset_without_owner",
        "evidence_without_owner", "control_without_evidence", "evidence_expired")  # fmt: skip
SQL = {
    "article_without_control": """
        SELECT s.src || ':' || s.dst FROM subject_to s JOIN asset a ON a.id = s.src
        WHERE a.lifecycle <> 'retired'
          AND NOT EXISTS (SELECT 1 FROM addresses d JOIN control c ON c.id = d.src
                          WHERE d.dst = s.dst AND c.status = 'implemented'
                            AND (c.org_wide OR EXISTS (SELECT 1 FROM applies_to p
                                                      WHERE p.src = c.id AND p.dst = a.id)))
          AND NOT EXISTS (SELECT 1 FROM implements i JOIN control c ON c.id = i.src
                          JOIN maps_to m ON m.src = i.dst
                          WHERE m.dst = s.dst AND m.relation <> 'related'
                            AND c.status = 'implemented'
                            AND (c.org_wide OR EXISTS (SELECT 1 FROM applies_to p
                                                      WHERE p.src = c.id AND p.dst = a.id)))""",
    # The two log rules as the rule tables define them: systems SUBJECT_TO Art. 12 or 26 (the
    # edge carries applicability: role, territorial scope, tier), valid logs only.
    "high_risk_without_logs": """
        SELECT DISTINCT a.id FROM asset a JOIN subject_to s ON s.src = a.id
        WHERE s.dst IN ('AIA-12', 'AIA-26') AND a.lifecycle = 'production'
          AND NOT EXISTS (SELECT 1 FROM concerns x JOIN evidence e ON e.id = x.src
                          WHERE x.dst = a.id AND e.kind = 'log' AND e.collected_on <= $as_of
                            AND (e.valid_until IS NULL OR e.valid_until >= $as_of))""",
    "high_risk_stale_logs": """
        SELECT a.id FROM asset a JOIN concerns x ON x.dst = a.id JOIN evidence e ON e.id = x.src
        WHERE a.lifecycle = 'production' AND e.kind = 'log' AND e.collected_on <= $as_of
          AND EXISTS (SELECT 1 FROM subject_to s
                      WHERE s.src = a.id AND s.dst IN ('AIA-12', 'AIA-26'))
        GROUP BY a.id HAVING max(e.collected_on) < $cutoff""",
    "asset_without_owner": """SELECT a.id FROM asset a WHERE a.lifecycle <> 'retired'
        AND NOT EXISTS (SELECT 1 FROM owned_by_asset o WHERE o.src = a.id)""",
    "control_without_owner": """SELECT c.id FROM control c WHERE c.status <> 'not_applicable'
        AND NOT EXISTS (SELECT 1 FROM owned_by_control o WHERE o.src = c.id)""",
    "dataset_without_owner": """SELECT d.id FROM dataset d
        WHERE NOT EXISTS (SELECT 1 FROM owned_by_dataset o WHERE o.src = d.id)""",
    "evidence_without_owner": """SELECT e.id FROM evidence e
        WHERE NOT EXISTS (SELECT 1 FROM owned_by_evidence o WHERE o.src = e.id)""",
    "control_without_evidence": """SELECT c.id FROM control c WHERE c.status = 'implemented'
        AND NOT EXISTS (SELECT 1 FROM supports s WHERE s.dst = c.id)""",
    "evidence_expired": "SELECT e.id FROM evidence e WHERE e.valid_until < $as_of",
}


def duck(assets: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the graph's rows: node tables and edge tables (src, dst, …)."""
    con = duckdb.connect()
    tables = graph_tables(assets, SEED, org(assets))
    tables += arrow_tables(prepared_batch(catalog_batch(shipped_catalogs())))
    for name, opts, table in tables:
        sql_name = name.lower()
        if opts:
            table = table.rename_columns(["src", "dst", *table.column_names[2:]])
            if name == "OWNED_BY":
                sql_name = f"owned_by_{opts['from'].lower()}"
        con.register("incoming", table)
        con.execute(f"CREATE TABLE IF NOT EXISTS {sql_name} AS FROM incoming LIMIT 0")
        con.execute(f"INSERT INTO {sql_name} FROM incoming")
        con.unregister("incoming")
    return con


def run_sql(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    params: dict[str, Any] = {"cutoff": AS_OF - dt.timedelta(days=30), "as_of": AS_OF}
    out = {}
    for rule, sql in SQL.items():
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        out[rule] = {r[0] for r in con.execute(sql, used).fetchall()}
    return out


def main() -> None:
    a = args(__doc__ or "")
    con = duck(a.assets)
    store = open_store(Settings(store="ladybug", db=loaded_store_path(a.assets)))
    ctx = GapContext(as_of=AS_OF)
    n = repeats(a.assets)
    full_s, gaps = best_of(n, lambda: find_gaps(store, ctx))
    core_s, _ = best_of(n, lambda: find_gaps(store, ctx, rules=CORE))
    duck_s, answers = best_of(n, lambda: run_sql(con))
    for rule in CORE:
        graph = {g.subject for g in gaps if g.rule == rule}
        check(graph == answers[rule], f"{rule}: graph {len(graph)} vs DuckDB {len(answers[rule])}")
    store.close()
    emit({
        "bench": "gaps", "assets": a.assets, "gaps": len(gaps),
        "core_gaps": sum(len(v) for v in answers.values()),
        "full_report_s": round(full_s, 4), "core_rules_graph_s": round(core_s, 4),
        "duckdb_core_s": round(duck_s, 4),
        "ratio_full_vs_duckdb": round(full_s / duck_s, 2),
        "ratio_core_vs_duckdb": round(core_s / duck_s, 2),
    })  # fmt: skip


if __name__ == "__main__":
    main()
