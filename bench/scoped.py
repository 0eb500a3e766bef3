"""The gap queries for a few subjects (their scoped twins) against the same query over the graph.

`python -m bench.scoped --assets 10000`: on the COPY-built bench store of that scale, for every
query a gap rule runs, the full query once (median of ``repeats``) and its scoped twin
(queries/registry.py ``// anchor:``) for 1 and 100 anchor keys drawn from the anchor's label
(median of 7), with a check that every scoped row is one of the full query's. This is
what recomputing the gap rows of the subjects one ingest touches would cost per rule part
(docs/architecture.md, "Not built"); it writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from bench.common import args, best_of, check, emit, loaded_store_path, repeats
from graph.gap_rules import RULES
from graph.gaps import EXTRA_PARTS, GapContext, rule_query
from graph.stores.ladybug_store import LadybugStore
from queries.registry import default_registry
from synth.organisation import AS_OF


def _parts(store: LadybugStore) -> list[tuple[str, dict[str, Any]]]:
    ctx = GapContext(as_of=AS_OF)
    days = sorted({r["days"] for r in store.read("gaps.review_periods")})
    periods = [{"days": d, "cutoff": AS_OF - dt.timedelta(days=d)} for d in days]
    out = []
    for r in RULES:
        name, params = rule_query(r.id, ctx)
        if r.id == "evidence_stale":
            params = {"periods": periods}
        out += [(q, params) for q in (name, *EXTRA_PARTS.get(r.id, ()))]
    return list({q + repr(sorted(p.items())): (q, p) for q, p in out}.values())


def _rows(rows: list[dict[str, Any]]) -> Counter[str]:
    return Counter(repr(sorted(r.items())) for r in rows)


def main() -> None:
    n = args(__doc__.splitlines()[0]).assets
    store = LadybugStore(loaded_store_path(n), read_only=True)
    reg, rng = default_registry(), random.Random(1)  # noqa: S311 - a reproducible sample, not a secret
    keys: dict[str, list[str]] = {}
    total_full = total_one = total_hundred = 0.0
    for query, params in _parts(store):
        _, label = reg.get(query, "ladybug").anchor or ("", "")
        pool = keys.setdefault(label, sorted(store.keys(label)))
        full_s, full = best_of(repeats(n), lambda q=query, p=params: store.read(q, **p))
        scoped = query + ".scoped"
        one = [rng.choice(pool)]
        hundred = rng.sample(pool, min(100, len(pool)))
        one_s, _ = best_of(7, lambda s=scoped, p=params, k=one: store.read(s, keys=k, **p))
        hundred_s, got = best_of(
            7, lambda s=scoped, p=params, k=hundred: store.read(s, keys=k, **p)
        )
        want = store.read(scoped, keys=sorted(hundred), **params)
        check(_rows(got) == _rows(want) and sum(_rows(got).values()) <= len(full), query)
        total_full, total_one, total_hundred = (
            total_full + full_s,
            total_one + one_s,
            total_hundred + hundred_s,
        )
        emit({"assets": n, "query": query, "anchor": label, "full_s": round(full_s, 4),
              "full_rows": len(full), "scoped_1_ms": round(one_s * 1000, 2),
              "scoped_100_ms": round(hundred_s * 1000, 2)})  # fmt: skip
    emit({"assets": n, "query": "all parts", "full_s": round(total_full, 3),
          "scoped_1_ms": round(total_one * 1000, 1),
          "scoped_100_ms": round(total_hundred * 1000, 1)})  # fmt: skip
    store.close()


if __name__ == "__main__":
    main()
