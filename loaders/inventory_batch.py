"""Turn a validated inventory into one write batch: nodes, replaced links, derived SUBJECT_TO."""

from __future__ import annotations

from graph.applicability import AssetFacts, derive
from graph.models import AssetIn, Inventory
from graph.stores import EdgeRows, NodeRows, Unlink, WriteBatch
from loaders.applicability import shipped_article_facts
from loaders.catalog_models import article_id, clause_id
from loaders.evidence_files import FileFacts

LABELS = {"owners": "Owner", "assets": "Asset", "datasets": "Dataset", "controls": "Control",
          "evidence": "Evidence", "incidents": "Incident"}  # fmt: skip

# Outgoing links each entity declares: (field, relationship type, source label, target label).
LINKS: dict[str, list[tuple[str, str, str, str]]] = {
    "assets": [("owner", "OWNED_BY", "Asset", "Owner"), ("datasets", "USES", "Asset", "Dataset")],
    "datasets": [("owner", "OWNED_BY", "Dataset", "Owner")],
    "controls": [
        ("owner", "OWNED_BY", "Control", "Owner"),
        ("applies_to", "APPLIES_TO", "Control", "Asset"),
        ("implements", "IMPLEMENTS", "Control", "Clause"),
        ("addresses", "ADDRESSES", "Control", "Article"),
    ],
    "evidence": [
        ("owner", "OWNED_BY", "Evidence", "Owner"),
        ("supports", "SUPPORTS", "Evidence", "Control"),
        ("concerns", "CONCERNS", "Evidence", "Asset"),
        ("reports", "REPORTS", "Evidence", "Incident"),
    ],
    "incidents": [("assets", "INVOLVES", "Incident", "Asset")],
}


def _target_key(rel: str, value: str) -> str:
    if rel == "IMPLEMENTS":
        return clause_id(value)
    if rel == "ADDRESSES":
        return article_id(int(value) if value.isdigit() else value)
    return value


def _node_rows(inv: Inventory, files: dict[str, FileFacts]) -> list[NodeRows]:
    link_fields = {f for links in LINKS.values() for f, *_ in links}
    out = []
    for entity, label in LABELS.items():
        rows = []
        for m in getattr(inv, entity):
            row = m.model_dump(
                exclude=link_fields - {"owner"} if entity != "incidents" else {"assets"}
            )
            row.pop("owner", None)
            if entity == "controls":
                row["org_wide"] = not m.applies_to
            if entity == "evidence":
                f = files.get(m.id, FileFacts(None))
                row |= {
                    "local_path": f.local_path,
                    "file_sha256": f.file_sha256,
                    "file_status": f.status,
                    "file_checked_on": f.checked_on,
                }
            rows.append(row)
        if rows:
            out.append(NodeRows(label, rows))
    return out


def _edges(inv: Inventory) -> tuple[list[Unlink], list[EdgeRows]]:
    unlinks, edges = [], []
    for entity, links in LINKS.items():
        items = getattr(inv, entity)
        if not items:
            continue
        for fld, rel, src, dst in links:
            unlinks.append(Unlink(rel, src, dst, [m.id for m in items]))
            rows = []
            for m in items:
                value = getattr(m, fld)
                for v in value if isinstance(value, list) else [value] if value else []:
                    rows.append({"src": m.id, "dst": _target_key(rel, v)})
            if rows:
                edges.append(EdgeRows(rel, src, dst, rows))
    if inv.evidence:  # derived: organisation-level evidence (concerns no system), see schema
        unlinks.append(Unlink("SUPPORTS_ORG", "Evidence", "Control", [m.id for m in inv.evidence]))
        rows = [{"src": m.id, "dst": c} for m in inv.evidence if not m.concerns for c in m.supports]
        if rows:
            edges.append(EdgeRows("SUPPORTS_ORG", "Evidence", "Control", rows))
    return unlinks, edges


def asset_facts(a: AssetIn) -> AssetFacts:
    return AssetFacts(a.id, a.role, a.risk_tier, a.lifecycle, a.in_eu, a.annex_i,
                      a.annex_iii_area, a.public_body)  # fmt: skip


def inventory_batch(inv: Inventory, files: dict[str, FileFacts]) -> tuple[WriteBatch, int]:
    """The batch, and how many SUBJECT_TO edges it derives."""
    unlinks, edges = _edges(inv)
    derived = derive((asset_facts(a) for a in inv.assets), shipped_article_facts())
    if inv.assets:
        unlinks.append(Unlink("SUBJECT_TO", "Asset", "Article", [a.id for a in inv.assets]))
    if derived:
        rows = [{"src": d.asset, "dst": d.article, "reason": d.reason,
                 "applies_from": d.applies_from} for d in derived]  # fmt: skip
        edges.append(EdgeRows("SUBJECT_TO", "Asset", "Article", rows))
    return WriteBatch(nodes=_node_rows(inv, files), edges=edges, unlink=unlinks), len(derived)
