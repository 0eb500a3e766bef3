"""Proposed rewrites of shared coverage queries, timed by bench.explain next to the originals.

Not used by the product: measured proposals (docs/performance.md), so a reviewer can see what a
change would buy before ``queries/coverage/`` is touched.
"""

from __future__ import annotations

_EVIDENCE_COLUMNS = """
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, e.id AS id, e.kind AS kind, e.title AS title, e.uri AS uri,
       e.sha256 AS sha256, e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.version AS version, e.file_status AS file_status, o.id AS owner
ORDER BY control, collected_on DESC, id"""

PROPOSED: dict[str, tuple[str, tuple[str, ...]]] = {
    # The system's own evidence, reached from the system (about 20 items), not from the control
    # (which at 100k systems is supported by up to a million items).
    "evidence_of_asset": (
        "MATCH (a:Asset {id: $asset})<-[:CONCERNS]-(e:Evidence)-[:SUPPORTS]->(c:Control) "
        "WHERE c.id IN $controls" + _EVIDENCE_COLUMNS,
        ("asset", "controls"),
    ),
    # Evidence about no system in particular: the part that still walks every SUPPORTS edge of
    # the control; it needs a schema-level shortcut (see docs/performance.md).
    "evidence_org_level": (
        "UNWIND $controls AS cid WITH cid MATCH (c:Control {id: cid}) "
        "MATCH (c)<-[:SUPPORTS]-(e:Evidence) "
        "WHERE EXISTS { MATCH (e)-[:CONCERNS]->(:Asset) } = false" + _EVIDENCE_COLUMNS,
        ("controls",),
    ),
    # evidence_stale without its per-group re-walk of every SUPPORTS edge of the control: the
    # newest items are carried out of the one aggregation (same rows as the shared query).
    "evidence_stale_collect": (
        "UNWIND $periods AS p "
        "MATCH (c:Control) WHERE c.review_every_days = p.days AND c.status = 'implemented' "
        "MATCH (c)<-[:SUPPORTS]-(e:Evidence) "
        "OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset) "
        "WITH c, p, coalesce(a.id, '') AS asset, max(e.collected_on) AS newest, "
        "collect({id: e.id, day: e.collected_on}) AS items "
        "WHERE newest < p.cutoff "
        "UNWIND items AS item WITH c, asset, newest, item WHERE item.day = newest "
        "OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner) "
        "RETURN item.id AS subject, c.id AS control, asset, o.id AS owner, newest, "
        "c.review_every_days AS days ORDER BY subject, control, asset",
        ("periods",),
    ),
    "direct_controls_keyed": (
        "MATCH (a:Asset {id: $asset}) "
        "MATCH (r:Article {id: $article})<-[:ADDRESSES]-(c:Control) "
        "WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(a) } "
        "OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner) "
        "RETURN c.id AS control, c.name AS name, c.status AS status, "
        "c.review_every_days AS review_every_days, o.id AS owner ORDER BY control",
        ("asset", "article"),
    ),
}
