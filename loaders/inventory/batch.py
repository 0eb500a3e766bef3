"""Turn a validated inventory (typed Arrow tables) into one write batch: nodes, replaced links,
derived SUBJECT_TO, all as Arrow tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph.applicability import AssetFacts, derive
from graph.models import AssetIn, EvidenceIn
from graph.stores import EdgeRows, NodeRows, Unlink, WriteBatch
from loaders.catalog import shipped_article_facts
from loaders.catalog_models import article_id, clause_id
from loaders.evidence_files import FileFacts, inspect_evidence
from loaders.inventory.validate import exploded

if TYPE_CHECKING:
    from loaders.inventory.validate import Parsed

STR = pa.string()
# A uri with one of these schemes is remote: not hashed, and recognised without parsing it
# (evidence_files.local_path gives every other uri its usual treatment).
REMOTE = r"(?i)^(https?|s3|gs|ftp)://"

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


@dataclass
class EvidenceFiles:
    """What the load records about evidence files: rows with a remote uri (http(s), s3, gs, ftp:
    counted, not inspected), and the facts of every other row with a uri (one by one)."""

    facts: dict[str, FileFacts]
    remote: int
    is_remote: Any  # pyarrow bool array over the evidence rows


def evidence_files(evidence: Any, base_dir: Path | None) -> EvidenceFiles:
    uri = evidence["uri"].combine_chunks()
    remote = pc.fill_null(pc.match_substring_regex(uri, REMOTE), False)
    odd = pc.and_(pc.is_valid(uri), pc.invert(remote))
    rows = evidence.filter(odd).select(["id", "uri", "sha256"]).to_pylist()
    models = [EvidenceIn.model_construct(**r) for r in rows]
    facts = inspect_evidence(models, base_dir)
    return EvidenceFiles(facts, int(pc.sum(remote).as_py() or 0), remote)


def _file_columns(evidence: Any, files: EvidenceFiles) -> dict[str, Any]:
    n = evidence.num_rows
    status = pc.if_else(files.is_remote, "remote", pa.scalar(None, STR))
    cols = {"local_path": pa.nulls(n, STR), "file_sha256": pa.nulls(n, STR),
            "file_status": status, "file_checked_on": pa.nulls(n, pa.date32())}  # fmt: skip
    if not files.facts:
        return cols
    inspected = pa.array(list(files.facts), STR)
    where = pc.index_in(evidence["id"], value_set=inspected)
    rows = pc.indices_nonzero(pc.is_valid(where)).to_pylist()
    ids = [inspected[where[i].as_py()].as_py() for i in rows]
    attrs = {"file_status": "status", "local_path": "local_path",
             "file_sha256": "file_sha256", "file_checked_on": "checked_on"}  # fmt: skip
    for name, attr in attrs.items():
        values = pa.array([getattr(files.facts[e], attr) for e in ids], cols[name].type)
        cols[name] = pc.replace_with_mask(cols[name], pa.array(np.isin(np.arange(n), rows)), values)
    return cols


def _node_rows(parsed: Parsed, files: EvidenceFiles) -> list[NodeRows]:
    link_fields = {f for links in LINKS.values() for f, *_ in links}
    out = []
    for entity, label in LABELS.items():
        t = parsed.table(entity)
        if not t.num_rows:
            continue
        keep = [c for c in t.column_names if c not in link_fields and c != "_i"]
        cols = {c: t[c] for c in keep}
        if entity == "controls":
            cols["org_wide"] = pc.equal(pc.list_value_length(t["applies_to"]), 0)
        if entity == "evidence":
            cols |= _file_columns(t, files)
        out.append(NodeRows(label, pa.table(cols)))
    return out


def _targets(rel: str, values: Any) -> Any:
    if rel not in ("IMPLEMENTS", "ADDRESSES"):
        return values
    unique = pc.unique(values)
    mapped = pa.array([_target_key(rel, v) for v in unique.to_pylist()], STR)
    return pc.take(mapped, pc.index_in(values, value_set=unique))


def _edges(parsed: Parsed) -> tuple[list[Unlink], list[EdgeRows]]:
    unlinks, edges = [], []
    for entity, links in LINKS.items():
        t = parsed.table(entity)
        if not t.num_rows:
            continue
        ids = t["id"].combine_chunks()
        for fld, rel, src, dst in links:
            unlinks.append(Unlink(rel, src, dst, ids))
            parents, values = exploded(t, fld)
            if len(values):
                rows = pa.table({"src": pc.take(ids, parents), "dst": _targets(rel, values)})
                edges.append(EdgeRows(rel, src, dst, rows))
    unlinks_org, edges_org = _supports_org(parsed.table("evidence"))
    return unlinks + unlinks_org, edges + edges_org


def _supports_org(evidence: Any) -> tuple[list[Unlink], list[EdgeRows]]:
    """Derived SUPPORTS_ORG: the SUPPORTS edges of evidence that concerns no system (see schema)."""
    if not evidence.num_rows:
        return [], []
    ids = evidence["id"].combine_chunks()
    org = pc.equal(pc.fill_null(pc.list_value_length(evidence["concerns"]), 0), 0)
    org_level = evidence.filter(org)
    parents, values = exploded(org_level, "supports")
    unlink = [Unlink("SUPPORTS_ORG", "Evidence", "Control", ids)]
    if not len(values):
        return unlink, []
    src = pc.take(org_level["id"].combine_chunks(), parents)
    return unlink, [
        EdgeRows("SUPPORTS_ORG", "Evidence", "Control", pa.table({"src": src, "dst": values}))
    ]


# The asset columns applicability depends on (graph.applicability.AssetFacts, by name).
FACTS = ("role", "risk_tier", "lifecycle", "in_eu", "annex_i", "annex_iii_area", "public_body",
         "eu_market", "eu_deployer", "eu_output", "rebranded_or_modified", "own_use",
         "prohibited_practice", "transparency_use")  # fmt: skip


NULLABLE_FACTS = frozenset({"risk_tier", "annex_iii_area", "prohibited_practice", "eu_market",
                            "eu_deployer", "eu_output", "transparency_use"})  # fmt: skip


def asset_facts(a: AssetIn) -> AssetFacts:
    return AssetFacts(a.id, **{f: getattr(a, f) for f in FACTS})


def inventory_batch(parsed: Parsed, files: EvidenceFiles) -> tuple[WriteBatch, int]:
    """The batch (Arrow rows), and how many SUBJECT_TO edges it derives."""
    unlinks, edges = _edges(parsed)
    assets = parsed.table("assets")
    if assets.num_rows:
        unlinks.append(Unlink("SUBJECT_TO", "Asset", "Article", assets["id"].combine_chunks()))
    rows = _subject_to(assets)
    if rows.num_rows:
        edges.append(EdgeRows("SUBJECT_TO", "Asset", "Article", rows))
    return WriteBatch(nodes=_node_rows(parsed, files), edges=edges, unlink=unlinks), rows.num_rows


def _subject_to(assets: Any) -> Any:
    """The derived SUBJECT_TO edges. Applicability depends on an asset's facts, not on its id,
    so the rules run once per distinct combination of facts (a few hundred at most)."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    for r in assets.select(["id", *FACTS]).to_pylist():
        groups.setdefault(tuple(r[f] for f in FACTS), []).append(r["id"])
    articles = shipped_article_facts()
    src: list[str] = []
    dst, reason, since, literal = [], [], [], []
    for key, ids in groups.items():
        facts = dict(zip(FACTS, key, strict=True))
        # a null flag takes the model's default; risk_tier and the eu_* facts may be null
        facts = {k: v for k, v in facts.items() if v is not None or k in NULLABLE_FACTS}
        for d in derive([AssetFacts("", **facts)], articles):
            src += ids
            dst += [d.article] * len(ids)
            reason += [d.reason] * len(ids)
            since += [d.applies_from] * len(ids)
            literal += [d.applies_from_literal] * len(ids)
    return pa.table({
        "src": pa.array(src, STR), "dst": pa.array(dst, STR),
        "reason": pa.array(reason, STR), "applies_from": pa.array(since, pa.date32()),
        "applies_from_literal": pa.array(literal, pa.date32()),
    })  # fmt: skip
