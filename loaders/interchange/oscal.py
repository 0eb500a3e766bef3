"""OSCAL 1.2 mapping collections (JSON), both ways: ``to_oscal`` and ``from_oscal``."""

from __future__ import annotations

import json
import re
import uuid
from functools import partial
from typing import Any

from graph.errors import LoadValidationError, RowError
from loaders import catalog_models as cm
from loaders.catalog import Catalogs
from loaders.interchange.common import (
    CG,
    META_TEXTS,
    RELATIONS,
    Bad,
    Item,
    Loc,
    aia_ref,
    finish,
    iso_ref,
    paragraph_parts,
    parse_row,
)

OSCAL_VERSION = "1.2.1"  # the schema version the tests validate against (docs/interchange.md)
OSCAL_NS, CG_NS = "http://csrc.nist.gov/ns/oscal", CG + "oscal"  # CG_NS: our props, related-to
UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, CG_NS)
_NIST = "equal-to subset-of superset-of intersects-with related-to"
NIST = dict(zip(RELATIONS, _NIST.split(), strict=True))
FROM_NIST = {v: k for k, v in NIST.items() if k != "related"} | {"equivalent-to": "equal"}
OSCAL_FIELDS = {"clause": "sources[0].id-ref", "article": "targets[0].id-ref", "source": "props"}
OSCAL_FIELDS |= {"paragraph": "targets[0].id-ref", "relation": "relationship"}
OSCAL_FIELDS |= {"rationale": "remarks", "confidence": "confidence-score.category"}
OSCAL_TARGET = re.compile(r"^AIA-(?:(\d{1,3})|ANNEX-([IVX]+))(?:_smt\.([0-9a-z]+(?:\.[a-z]+)*))?$")
RESOURCES = {
    "iso": ("ISO/IEC 42001:2023", "https://www.iso.org/standard/81230.html"),
    "aia": ("Regulation (EU) 2024/1689", "http://data.europa.eu/eli/reg/2024/1689/oj"),
}
PROVENANCE = {"method": "human", "matching-rationale": "semantic", "status": "complete"}
PROVENANCE["mapping-description"] = (
    "ISO/IEC 42001:2023 clauses and Annex A controls (sources) mapped to articles, paragraphs and"
    " annexes of Regulation (EU) 2024/1689 (targets). Relationships are NIST IR 8477 set theory,"
    f" source = ISO element; 'related-to' in namespace {CG_NS} is an informative link claiming no"
    " coverage. No map gives a presumption of conformity."
)


def _oscal_target(article: int | str, paragraph: str | None) -> dict[str, str]:
    parts = paragraph_parts(paragraph)
    ref = cm.article_id(article) + ("_smt." + ".".join(parts) if parts else "")
    return {"type": "statement" if parts else "control", "id-ref": ref}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(UUID_NS, "|".join(parts)))


def _prop(name: str, value: str, remarks: str | None = None) -> dict[str, str]:
    prop = {"ns": CG_NS, "name": name, "value": " ".join(value.split())}
    return prop | ({"remarks": remarks} if remarks else {})


def _oscal_map(m: cm.Mapping) -> dict[str, Any]:
    return {
        "uuid": _uuid("map", m.clause, str(m.article), m.paragraph or ""),
        **({"ns": CG_NS} if m.relation == "related" else {}),
        "relationship": NIST[m.relation],
        "sources": [{"type": "control", "id-ref": cm.clause_id(m.clause)}],
        "targets": [_oscal_target(m.article, m.paragraph)],
        "confidence-score": {"category": m.confidence},
        "props": [_prop("relation", m.relation)]
        + ([_prop("source", m.source)] if m.source else []),
        "remarks": m.rationale,
    }


def _oscal_metadata(meta: cm.Meta) -> dict[str, Any]:
    stamp = f"{meta.publication_date.isoformat()}T00:00:00Z"
    texts = [(k, getattr(meta, k)) for k in META_TEXTS if k != "source"]
    texts += [("source", s) for s in meta.source]
    return {
        "title": meta.title,
        "published": stamp,
        "last-modified": stamp,
        "version": meta.version,
        "oscal-version": OSCAL_VERSION,
        "document-ids": [{"scheme": CG_NS, "identifier": meta.id}],
        "props": [_prop(name.replace("_", "-"), text) for name, text in texts if text],
    }


def to_oscal(cw: cm.Crosswalk) -> dict[str, Any]:
    """The crosswalk as an OSCAL 1.2 mapping collection; the same crosswalk gives the same bytes."""
    res = {key: _uuid("resource", key) for key in RESOURCES}
    mapping: dict[str, Any] = {
        "uuid": _uuid("mapping", cw.meta.id),
        "source-resource": {"type": "catalog", "href": "#" + res["iso"]},
        "target-resource": {"type": "catalog", "href": "#" + res["aia"]},
        "maps": [_oscal_map(m) for m in cw.mappings],
    }
    if cw.no_counterpart:
        refs = [
            (_oscal_target(n.article, n.paragraph)["id-ref"], n.reason) for n in cw.no_counterpart
        ]
        mapping["props"] = [_prop("no-counterpart", ref, reason) for ref, reason in refs]
    mapped = {m.article for m in cw.mappings}  # the gap summary lists controls never mapped
    gone = [n.article for n in cw.no_counterpart if n.paragraph is None and n.article not in mapped]
    if whole := [cm.article_id(article) for article in gone]:
        gaps = {"uuid": _uuid("gaps", cw.meta.id), "unmapped-controls": [{"with-ids": whole}]}
        mapping["target-gap-summary"] = gaps
    back = [
        {"uuid": res[k], "title": t, "rlinks": [{"href": h}]} for k, (t, h) in RESOURCES.items()
    ]
    content = json.dumps(cw.model_dump(mode="json"), sort_keys=True)
    collection: dict[str, Any] = {"uuid": _uuid("collection", content)}
    collection["metadata"] = _oscal_metadata(cw.meta)
    collection |= {"provenance": PROVENANCE, "mappings": [mapping]}
    return {"mapping-collection": collection | {"back-matter": {"resources": back}}}


def _props(obj: Any) -> dict[str, list[dict[str, Any]]]:
    """Our (CG_NS) props of an OSCAL object, by name."""
    out: dict[str, list[dict[str, Any]]] = {}
    props = obj.get("props") if isinstance(obj, dict) else None
    for p in props if isinstance(props, list) else []:
        if isinstance(p, dict) and p.get("ns") == CG_NS:
            out.setdefault(str(p.get("name")), []).append(p)
    return out


def _one(m: dict[str, Any], key: str) -> Any:
    items = m.get(key)
    if not (isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict)):
        raise Bad(key, "must hold exactly one object: one ISO element, one article or paragraph")
    return items[0].get("id-ref")


def _oscal_row(m: Any) -> dict[str, Any]:
    if not isinstance(m, dict):
        raise Bad("", "not an object")
    ns, rel, props = m.get("ns", OSCAL_NS), m.get("relationship"), _props(m)
    known = FROM_NIST if ns == OSCAL_NS else {NIST["related"]: "related"} if ns == CG_NS else {}
    relation = known.get(str(rel))
    ours = next((p.get("value") for p in props.get("relation", [])), relation)
    if relation is None or ours != relation:
        shown = rel if ns == OSCAL_NS else f"{ns} {rel}"
        raise Bad("relationship", "unknown, or not the one the relation prop names", shown)
    src, tgt = _one(m, "sources"), _one(m, "targets")
    article, paragraph = aia_ref(tgt, OSCAL_TARGET, "targets[0].id-ref", tgt)
    score = m.get("confidence-score")
    return {
        "clause": iso_ref(src, "ISO42001-", "sources[0].id-ref", src),
        **{"article": article, "paragraph": paragraph, "relation": relation},
        "rationale": m.get("remarks"),
        "confidence": score.get("category") if isinstance(score, dict) else None,
        "source": next((p.get("value") for p in props.get("source", [])), ""),
    }


def _oscal_meta(root: dict[str, Any]) -> Item:
    md = root["metadata"] if isinstance(root.get("metadata"), dict) else {}
    props = {k.replace("-", "_"): [p.get("value") for p in v] for k, v in _props(md).items()}
    docs = md["document-ids"] if isinstance(md.get("document-ids"), list) else []
    ids = [d.get("identifier") for d in docs if isinstance(d, dict) and d.get("scheme") == CG_NS]
    data = {k: (props.get(k) or [None])[0] for k in META_TEXTS} | {"source": props.get("source")}
    data |= {"id": ids[0] if ids else root.get("uuid"), "title": md.get("title")}
    data |= {"version": md.get("version")}
    data["publication_date"] = str(md.get("published") or md.get("last-modified") or "")[:10]
    names = dict.fromkeys(META_TEXTS, "props") | {"id": "document-ids"}
    names["publication_date"] = "published"
    return Loc(None, "$.mapping-collection.metadata", names), data


def from_oscal(doc: dict[str, Any], path: str, catalogs: Catalogs | None = None) -> cm.Crosswalk:
    """Read an OSCAL 1.2 mapping collection; raise with every problem, by file and JSON path."""
    root = doc.get("mapping-collection") if isinstance(doc, dict) else None
    if not isinstance(root, dict):
        raise LoadValidationError([RowError(path, None, "$.mapping-collection", "missing")])
    errs: list[RowError] = []
    rows: list[Item] = []
    gaps: list[Item] = []
    mappings = root.get("mappings")
    for i, mp in enumerate(mappings if isinstance(mappings, list) else [mappings]):
        where = f"$.mapping-collection.mappings[{i}]"
        maps = mp.get("maps") if isinstance(mp, dict) else None
        if not isinstance(maps, list) or not maps:
            errs.append(RowError(path, None, where + ".maps", "missing or empty"))
        for j, m in enumerate(maps or []):
            loc = Loc(None, f"{where}.maps[{j}]", OSCAL_FIELDS)
            if (row := parse_row(errs, path, loc, partial(_oscal_row, m))) is not None:
                rows.append((loc, row))
        for k, p in enumerate(_props(mp).get("no-counterpart", [])):
            loc = Loc(None, f"{where}.props[{k}]", {"article": "value", "reason": "remarks"})
            ref = p.get("value")
            parse = partial(aia_ref, ref, OSCAL_TARGET, "value", ref)
            if target := parse_row(errs, path, loc, parse):
                data = {"article": target[0], "paragraph": target[1], "reason": p.get("remarks")}
                gaps.append((loc, data))
    return finish(_oscal_meta(root), rows, gaps, path, errs, catalogs)
