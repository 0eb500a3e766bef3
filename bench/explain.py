"""EXPLAIN every gap rule, the coverage queries and the generated upserts; flag the plan traps.

Design brief §8: lookups must show a primary-key lookup, never CROSS_PRODUCT, nor a full
SCAN_NODE_TABLE feeding a per-row path. For each statement this prints the physical operators
(in plan order), whether a CROSS_PRODUCT appears, how many node tables are scanned in full, and
the statement's own time on the loaded store (warm, median of three).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import ladybug  # noqa: TID251  (EXPLAIN output is engine-specific; the bench reads it raw)

from bench.common import args, best_of, emit, loaded_store_path, repeats
from bench.coverage import sample_pairs
from bench.proposed import PROPOSED
from graph import cypher_gen
from graph.gap_rules import RULES
from graph.gaps import GapContext, rule_query
from graph.schema import SCHEMA
from graph.settings import Settings
from graph.stores import open_store
from queries.registry import default_registry

OP = re.compile(r"([A-Z][A-Z_]+)\[\d+\]")
AS_OF = dt.date(2026, 11, 25)


def statements(
    asset: str, article: str, controls: list[str]
) -> list[tuple[str, str, dict[str, Any]]]:
    reg = default_registry()
    ctx = GapContext(as_of=AS_OF)
    out = []
    for rule in RULES:
        name, params = rule_query(rule.id, ctx)
        if rule.id == "evidence_stale":
            days = (90, 365)
            params = {
                "periods": [{"days": d, "cutoff": AS_OF - dt.timedelta(days=d)} for d in days]
            }
        out.append((f"gap {rule.id}", reg.get(name, "ladybug").text, params))
    for q in ("subject", "article", "controls", "evidence"):
        params = {"asset": asset, "article": article, "controls": controls}
        query = reg.get(f"coverage.{q}", "ladybug")
        out.append((f"coverage {q}", query.text, {k: params[k] for k in query.params}))
    periods = [{"days": d, "cutoff": AS_OF - dt.timedelta(days=d)} for d in (90, 180, 365)]
    for name, (text, names) in PROPOSED.items():
        params = {"asset": asset, "article": article, "controls": controls, "periods": periods}
        out.append((f"proposed {name}", text, {k: params[k] for k in names}))
    ev = SCHEMA.node("Evidence")
    row = {p.name: None for p in ev.props} | {"id": "E-explain", "title": "t"}
    out.append(("upsert Evidence", cypher_gen.node_upsert("ladybug", ev), {"rows": [row]}))
    rel = SCHEMA.rel("SUPPORTS")
    out.append(("upsert SUPPORTS", cypher_gen.edge_upsert("ladybug", rel, "Evidence", "Control"),
                {"rows": [{"src": "E-explain", "dst": controls[0]}]}))  # fmt: skip
    out.append(("unlink SUPPORTS", cypher_gen.edge_delete_from(rel, "Evidence", "Control"),
                {"keys": ["E-explain"]}))  # fmt: skip
    return out


def plan(conn: Any, text: str, params: dict[str, Any]) -> list[str]:
    result = conn.execute("EXPLAIN " + text, params)
    return OP.findall(result.get_all()[0][0])


def main() -> None:
    a = args(__doc__ or "")
    path = loaded_store_path(a.assets)
    store = open_store(Settings(store="ladybug", db=path))
    asset, article = sample_pairs(store, 1)[0]
    controls = sorted(store.keys("Control"))[:10]
    store.close()
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    report = []
    for label, text, params in statements(asset, article, controls):
        ops = plan(conn, text, params)
        seconds = None
        if not label.startswith(("upsert", "unlink")):
            run = lambda t=text, p=params: conn.execute(t, p).get_all()  # noqa: E731
            seconds, _ = best_of(repeats(a.assets), run, warm_up=a.assets <= 10_000)
        counts = Counter(ops)
        report.append({"statement": label, "cross_product": counts["CROSS_PRODUCT"],
                       "full_node_scans": counts["SCAN_NODE_TABLE"],
                       "pk_lookups": counts["QUERY_PRIMARY_KEY_LOOKUP"]
                       + counts["PRIMARY_KEY_SCAN_NODE_TABLE"],
                       "ms": None if seconds is None else round(seconds * 1000, 2),
                       "ops": " ".join(ops)})  # fmt: skip
    conn.close()
    db.close()
    emit({"bench": "explain", "assets": a.assets, "statements": report})


if __name__ == "__main__":
    main()
