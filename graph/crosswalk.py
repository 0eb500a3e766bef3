"""Reading the catalogs and the crosswalk: the answers behind `catalog` and `crosswalk` commands.

Coverage is derived from the relation in one place, :func:`coverage_of`, used by the CLI, the API
and the views alike (NIST IR 8477 set-theory relations; source = ISO element, target = article).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graph.crosswalk_relations import FULL_COVERAGE, PARTIAL_COVERAGE, Coverage, coverage_of
from graph.readiness import require_loaded
from graph.stores import Store

__all__ = ["FULL_COVERAGE", "PARTIAL_COVERAGE", "Coverage", "coverage_of"]
# Roles an organisation can hold; articles addressed only to authorities are not "orphans".
OPERATOR_ROLES = frozenset(
    {
        "provider",
        "deployer",
        "importer",
        "distributor",
        "authorised_representative",
        "product_manufacturer",
        "gpai_provider",
    }
)


def _public_number(number: str) -> int | str:
    return int(number) if number.isdigit() else number


def articles(store: Store, chapter: str = "", as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Articles and annexes; ``number`` is an int for articles, 'Annex III' for annexes.

    With ``as_of``, each row says whether the article applies on that date (``applies``), by
    the amended date, and whether it would have by the original one (``applied_originally``).
    """
    require_loaded(store)
    rows = store.read("catalog.articles", chapter=chapter)
    for r in rows:
        r["number"] = _public_number(r["number"])
        if as_of is not None:
            r["applies"] = r["applies_from"] is not None and r["applies_from"] <= as_of
            orig = r["applies_from_original"]
            r["applied_originally"] = orig is not None and orig <= as_of
    return rows


def clauses(store: Store, kind: str = "") -> list[dict[str, Any]]:
    require_loaded(store)
    return store.read("catalog.clauses", kind=kind)


def pairs(store: Store, article: str = "", clause: str = "") -> list[dict[str, Any]]:
    """Crosswalk pairs; ``article`` is '14' or 'Annex IV', ``clause`` an ISO number."""
    require_loaded(store)
    rows = store.read("crosswalk.pairs", article=article, clause=clause)
    for r in rows:
        r["article"] = _public_number(r["article"])
        r["paragraph"] = r["paragraph"] or None
        r["coverage"] = coverage_of(r["relation"])
    return rows


def _best(relations: list[str]) -> Coverage:
    covs = {coverage_of(r) for r in relations}
    return "full" if "full" in covs else "partial" if "partial" in covs else "none"


def coverage_summary(store: Store) -> dict[str, Any]:
    """Share of AI Act articles with at least one ISO mapping, per chapter and per tier.

    ``mapped``: at least one mapping of any relation; ``partial_or_better``: at least one that
    claims coverage; ``full``: at least one equal/superset. Articles that the crosswalk says
    have no ISO counterpart are listed, with the reason.
    """
    require_loaded(store)
    rows = [r for r in store.read("crosswalk.article_mappings") if r["kind"] == "article"]
    by_chapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_tier: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_chapter[r["chapter"]].append(r)
        for t in r["tiers"]:
            by_tier[t].append(r)

    def stats(group: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        mapped = [r for r in items if r["relations"]]
        claims = [r for r in items if _best(r["relations"]) != "none"]
        full = [r for r in items if _best(r["relations"]) == "full"]
        return {
            "group": group,
            "articles": len(items),
            "mapped": len(mapped),
            "mapped_pct": round(100 * len(mapped) / len(items), 1) if items else 0.0,
            "partial_or_better": len(claims),
            "full": len(full),
        }

    return {
        "by_chapter": [stats(c, v) for c, v in by_chapter.items()],
        "by_tier": [stats(t, by_tier[t]) for t in sorted(by_tier)],
        "total": stats("all", rows),
        "no_counterpart": [
            {
                "article": _public_number(r["number"]),
                "title": r["title"],
                "reason": r["no_counterpart_reason"],
            }
            for r in store.read("crosswalk.article_mappings")
            if r["no_counterpart_reason"]
        ],
    }


def _ancestors(number: str) -> list[str]:
    parts = number.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def quality_report(
    store: Store, max_articles_per_clause: int = 10
) -> dict[str, list[dict[str, Any]]]:
    """Mapping QA: orphan clauses and articles, conflicting claims, over-mapped clauses.

    * orphan clause: a leaf ISO clause or Annex A control mapped to no article;
    * orphan article: an article binding an operator that is neither mapped nor listed as
      having no ISO counterpart;
    * conflict: a whole-article mapping that claims full coverage although parts of the article
      are listed as having no counterpart;
    * over-mapped clause: mapped to more than ``max_articles_per_clause`` articles.
    """
    require_loaded(store)
    arts = store.read("crosswalk.article_mappings")
    cls = store.read("crosswalk.clause_mappings")
    parents = {n for c in cls for n in _ancestors(c["number"])}
    orphan_clauses = [
        {"clause": c["number"], "title": c["title"]}
        for c in cls
        if c["kind"] != "objective" and c["number"] not in parents and not c["articles"]
    ]
    orphan_articles = [
        {"article": _public_number(a["number"]), "title": a["title"]}
        for a in arts
        if a["kind"] == "article"
        and OPERATOR_ROLES & set(a["binds"])
        and not a["relations"]
        and not a["no_counterpart_reason"]
        and not a["no_counterpart_paragraphs"]
    ]
    conflicts = [
        {
            "article": _public_number(p["article"]),
            "clause": p["clause"],
            "relation": p["relation"],
            "problem": "claims full coverage of the whole article, but parts of it have no "
            "ISO counterpart",
        }
        for a in arts
        if a["no_counterpart_paragraphs"] or a["no_counterpart_reason"]
        for p in pairs(store, article=str(a["number"]))
        if p["paragraph"] is None and p["coverage"] == "full"
    ]
    over = [
        {"clause": c["number"], "title": c["title"], "articles": len(set(c["articles"]))}
        for c in cls
        if len(set(c["articles"])) > max_articles_per_clause
    ]
    return {
        "orphan_clauses": orphan_clauses,
        "orphan_articles": orphan_articles,
        "conflicts": conflicts,
        "over_mapped_clauses": over,
    }
