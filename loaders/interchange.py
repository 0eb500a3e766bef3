"""Crosswalk interchange: OSCAL 1.2 mapping collections (JSON) and SSSOM/TSV, both ways.

Source/subject = ISO/IEC 42001 element, target/object = AI Act article or paragraph, as in the
crosswalk. ``docs/interchange.md`` has the relation tables, the id and CURIE scheme and what does
not round-trip. Imports collect every problem (file, line or JSON path, field), check the ids
against the catalogs, and raise one :class:`LoadValidationError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from graph.errors import LoadValidationError, RowError
from loaders import catalog_models as cm
from loaders.catalog import Catalogs, shipped_catalogs

M = TypeVar("M", bound=BaseModel)
Item = tuple["_Loc", dict[str, Any]]
RELATIONS: tuple[str, ...] = get_args(cm.Relation)  # equal subset superset intersect related
CG = "urn:clausegraph:"
NOT_STATED = "not stated in the imported file"
META_TEXTS = ("licence", "source", "checked", "notes", "legal_effect")  # carried as props/slots

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

SKOS, SSSOM_NS = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/sssom/"
_SKOS = "exactMatch broadMatch narrowMatch relatedMatch relatedMatch"
PREDICATE = dict(zip(RELATIONS, _SKOS.split(), strict=True))
FROM_SKOS = {SKOS + v: k for k, v in PREDICATE.items() if k != "intersect"}
BUILT_IN = {"skos": SKOS, "sssom": SSSOM_NS, "semapv": "https://w3id.org/semapv/vocab/"}
CURIE_MAP = {"AIA": CG + "aia:", "ISO42001": CG + "iso42001:", "clausegraph": CG}
SSSOM_TARGET = re.compile(re.escape(CG) + r"aia:(?:(\d{1,3})|Annex-([IVX]+))((?:\([0-9a-z]+\))*)$")
SET_PREFIX, JUSTIFICATION = CG + "mapping-set:", "semapv:ManualMappingCuration"
CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3}
COLUMNS = "subject_id subject_label predicate_id object_id object_label mapping_justification"
COLUMNS += " author_label confidence comment relation"
SSSOM_FIELDS = {"clause": "subject_id", "article": "object_id", "paragraph": "object_id"}
SSSOM_FIELDS |= {"relation": "predicate_id", "rationale": "comment", "reason": "comment"}
SSSOM_FIELDS |= {"source": "author_label"}
SLOTS = {"licence": "licence_text", "source": "sources", "title": "mapping_set_title"}
SLOTS |= {"id": "mapping_set_id", "version": "mapping_set_version"}
LICENCES = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}


class _Bad(ValueError):
    """One problem in one input row: the field (column or JSON sub-path) and the value."""

    def __init__(self, field: str, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.field, self.value = field, value


@dataclass(frozen=True)
class _Loc:
    """Where an imported row came from: a line (SSSOM) or a JSON path (OSCAL), and field names."""

    row: int | None
    base: str
    names: dict[str, str]

    def error(
        self, path: str, field: str, message: str, value: Any = None, raw: bool = False
    ) -> RowError:
        sub = field if raw else self.names.get(field, field)
        where = f"{self.base}.{sub}" if self.base and sub else self.base or sub
        return RowError(path, self.row, where, message, None if value is None else str(value)[:80])


def _parse(errs: list[RowError], path: str, loc: _Loc, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except _Bad as bad:
        errs.append(loc.error(path, bad.field, str(bad), bad.value, raw=True))
        return None


# -- ids --------------------------------------------------------------------------------------
def _parts(paragraph: str | None) -> list[str]:
    """'1(a)(ii)' or '1.a.ii' -> ['1', 'a', 'ii']; '(c)' -> ['c']; None -> []."""
    return [p for p in re.split(r"[().]+", paragraph or "") if p]


def _aia(
    ref: Any, pattern: re.Pattern[str], field: str, shown: Any
) -> tuple[int | str, str | None]:
    match = pattern.match(ref) if isinstance(ref, str) else None
    if not match:
        raise _Bad(field, "not an AI Act article, annex or paragraph id", shown)
    parts = _parts(match[3])
    num = parts[0] if parts and parts[0][0].isdigit() else ""
    paragraph = num + "".join(f"({p})" for p in parts[1 if num else 0 :])
    return (int(match[1]) if match[1] else f"Annex {match[2]}"), paragraph or None


def _iso(ref: Any, prefix: str, field: str, shown: Any) -> str:
    number = ref.removeprefix(prefix) if isinstance(ref, str) and ref.startswith(prefix) else ""
    if not cm.ISO_NUMBER.match(number):
        raise _Bad(field, "not an ISO/IEC 42001 clause or control id", shown)
    return number


def _oscal_target(article: int | str, paragraph: str | None) -> dict[str, str]:
    parts = _parts(paragraph)
    ref = cm.article_id(article) + ("_smt." + ".".join(parts) if parts else "")
    return {"type": "statement" if parts else "control", "id-ref": ref}


def _curie(article: int | str, paragraph: str | None) -> str:
    local = str(article).replace("Annex ", "Annex-")
    return "AIA:" + local + "".join(f"({p})" for p in _parts(paragraph))


# -- OSCAL ------------------------------------------------------------------------------------
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
        raise _Bad(key, "must hold exactly one object: one ISO element, one article or paragraph")
    return items[0].get("id-ref")


def _oscal_row(m: Any) -> dict[str, Any]:
    if not isinstance(m, dict):
        raise _Bad("", "not an object")
    ns, rel, props = m.get("ns", OSCAL_NS), m.get("relationship"), _props(m)
    known = FROM_NIST if ns == OSCAL_NS else {NIST["related"]: "related"} if ns == CG_NS else {}
    relation = known.get(str(rel))
    ours = next((p.get("value") for p in props.get("relation", [])), relation)
    if relation is None or ours != relation:
        shown = rel if ns == OSCAL_NS else f"{ns} {rel}"
        raise _Bad("relationship", "unknown, or not the one the relation prop names", shown)
    src, tgt = _one(m, "sources"), _one(m, "targets")
    article, paragraph = _aia(tgt, OSCAL_TARGET, "targets[0].id-ref", tgt)
    score = m.get("confidence-score")
    return {
        "clause": _iso(src, "ISO42001-", "sources[0].id-ref", src),
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
    return _Loc(None, "$.mapping-collection.metadata", names), data


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
            loc = _Loc(None, f"{where}.maps[{j}]", OSCAL_FIELDS)
            if (row := _parse(errs, path, loc, partial(_oscal_row, m))) is not None:
                rows.append((loc, row))
        for k, p in enumerate(_props(mp).get("no-counterpart", [])):
            loc = _Loc(None, f"{where}.props[{k}]", {"article": "value", "reason": "remarks"})
            ref = p.get("value")
            if target := _parse(errs, path, loc, partial(_aia, ref, OSCAL_TARGET, "value", ref)):
                data = {"article": target[0], "paragraph": target[1], "reason": p.get("remarks")}
                gaps.append((loc, data))
    return _finish(_oscal_meta(root), rows, gaps, path, errs, catalogs)


# -- SSSOM ------------------------------------------------------------------------------------
def _sssom_header(meta: cm.Meta) -> str:
    texts = {SLOTS.get(k, k): getattr(meta, k) for k in META_TEXTS}
    ext = {k: v for k, v in sorted(texts.items()) if v}
    licence = LICENCES.get((meta.licence.split() or [""])[0], CG + "licence:see-licence_text")
    block: dict[str, Any] = {"curie_map": CURIE_MAP, "sssom_version": "1.1"}
    block |= {"mapping_set_id": SET_PREFIX + meta.id, "mapping_set_version": meta.version}
    block |= {"mapping_set_title": meta.title, "license": licence}
    block |= {"subject_source": "clausegraph:iso42001", "object_source": "clausegraph:aia"}
    block |= {"publication_date": meta.publication_date, "extension_definitions": []}
    for slot in sorted({"relation", *ext}):
        block["extension_definitions"].append(
            {"slot_name": slot, "property": "clausegraph:" + slot}
        )
    text = yaml.safe_dump(block | ext, sort_keys=False, allow_unicode=True, width=10**6)
    return "".join(f"#{line}\n" for line in text.splitlines())


def to_sssom(cw: cm.Crosswalk, catalogs: Catalogs | None = None) -> str:
    """The crosswalk as SSSOM/TSV with its YAML metadata block; same crosswalk, same text."""
    cats = catalogs or shipped_catalogs()
    clauses = {c.number: c.title for c in cats.iso.clauses}
    arts: dict[int | str, str] = {a.number: a.title for a in cats.ai_act.articles}
    arts |= {x.id: x.title for x in cats.ai_act.annexes}
    rows = [COLUMNS.split()]
    for m in cw.mappings:
        subject, predicate = f"ISO42001:{m.clause}", "skos:" + PREDICATE[m.relation]
        rows.append([subject, clauses.get(m.clause, ""), predicate, _curie(m.article, m.paragraph)])
        rows[-1] += [arts.get(m.article, ""), JUSTIFICATION, m.source]
        rows[-1] += [f"{CONFIDENCE[m.confidence]:g}", m.rationale, m.relation]
    for n in cw.no_counterpart:
        obj, title = _curie(n.article, n.paragraph), arts.get(n.article, "")
        rows.append(["sssom:NoTermFound", "", "skos:relatedMatch", obj, title, JUSTIFICATION])
        rows[-1] += ["", "", n.reason, ""]
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return _sssom_header(cw.meta) + out.getvalue()


def _expand(row: dict[str, str], col: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = row[col].partition(":")
    if not (sep and local and prefix in prefixes):
        raise _Bad(col, "not a CURIE with a prefix declared in curie_map", row[col])
    return prefixes[prefix] + local


def _confidence(value: str) -> str:
    try:
        x = float(value or 1)  # SSSOM: no confidence means 1.0
    except ValueError:
        raise _Bad("confidence", "not a number", value) from None
    if not 0 <= x <= 1:
        raise _Bad("confidence", "not within 0..1", value)
    return "high" if x >= 0.75 else "medium" if x >= 0.45 else "low"


def _sssom_row(row: dict[str, str], prefixes: dict[str, str]) -> dict[str, Any]:
    article, paragraph = _aia(
        _expand(row, "object_id", prefixes), SSSOM_TARGET, "object_id", row["object_id"]
    )
    if row.get("predicate_modifier"):
        raise _Bad("predicate_modifier", "negated mappings are not supported", "Not")
    if not row["mapping_justification"]:
        raise _Bad("mapping_justification", "empty")
    subject = _expand(row, "subject_id", prefixes)
    if subject == SSSOM_NS + "NoTermFound":
        return {"article": article, "paragraph": paragraph, "reason": row.get("comment")}
    relation = FROM_SKOS.get(_expand(row, "predicate_id", prefixes))
    if relation is None:
        raise _Bad("predicate_id", "unknown mapping predicate", row["predicate_id"])
    if PREDICATE.get(ours := row.get("relation") or relation) != PREDICATE[relation]:
        raise _Bad("relation", f"unknown, or does not fit {row['predicate_id']}", ours)
    return {
        "clause": _iso(subject, CURIE_MAP["ISO42001"], "subject_id", row["subject_id"]),
        **{"article": article, "paragraph": paragraph, "relation": ours},
        "rationale": row.get("comment"),
        "confidence": _confidence(row.get("confidence", "")),
        "source": row.get("author_label", ""),
    }


def _sssom_meta(lines: list[str], path: str) -> tuple[dict[str, Any], Item]:
    try:
        head = yaml.safe_load("\n".join(line[1:] for line in lines)) if lines else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        row = mark.line + 1 if mark else 1
        raise LoadValidationError([RowError(path, row, "metadata", f"not valid YAML: {e}")]) from e
    if not isinstance(head, dict):
        raise LoadValidationError([RowError(path, 1, "metadata", "not a YAML mapping")])
    data = {k: head.get(SLOTS.get(k, k)) for k in (*META_TEXTS, "id", "title", "version")}
    data["id"] = data["id"] and str(data["id"]).removeprefix(SET_PREFIX)
    data["version"] = data["version"] and str(data["version"])  # YAML may read 1.0 as a number
    data |= {"publication_date": head.get("publication_date")}
    data["licence"] = data["licence"] or head.get("license")
    return head, (_Loc(None, "", SLOTS), data)


def from_sssom(text: str, path: str, catalogs: Catalogs | None = None) -> cm.Crosswalk:
    """Read SSSOM/TSV (embedded metadata); raise with every problem, by file, line and column."""
    lines = text.split("\n")
    n = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    head, meta = _sssom_meta(lines[:n], path)
    curie_map = head["curie_map"] if isinstance(head.get("curie_map"), dict) else {}
    prefixes = BUILT_IN | {str(k): str(v) for k, v in curie_map.items()}
    reader = csv.reader(io.StringIO("\n".join(lines[n:])), delimiter="\t")
    header = next(reader, [])
    required = ("subject_id", "predicate_id", "object_id", "mapping_justification")
    if missing := [RowError(path, n + 1, c, "column missing") for c in required if c not in header]:
        raise LoadValidationError(missing)
    errs: list[RowError] = []
    rows: list[Item] = []
    gaps: list[Item] = []
    consumed = reader.line_num
    for record in reader:
        loc, consumed = _Loc(n + consumed + 1, "", SSSOM_FIELDS), reader.line_num
        if len(record) != len(header):
            errs.append(loc.error(path, "", f"{len(record)} cells for {len(header)} columns"))
            continue
        parse = partial(_sssom_row, dict(zip(header, record, strict=True)), prefixes)
        if data := _parse(errs, path, loc, parse):
            (gaps if "reason" in data else rows).append((loc, data))
    return _finish(meta, rows, gaps, path, errs, catalogs)


# -- checks shared by both formats --------------------------------------------------------------
def _valid(
    model: type[M], items: list[Item], path: str, errs: list[RowError]
) -> list[tuple[_Loc, M]]:
    out: list[tuple[_Loc, M]] = []
    for loc, data in items:
        try:
            out.append(
                (loc, model.model_validate({k: v for k, v in data.items() if v is not None}))
            )
        except ValidationError as e:
            for err in e.errors():
                value = None if isinstance(err.get("input"), dict | list) else err.get("input")
                errs.append(
                    loc.error(path, str(err["loc"][0]) if err["loc"] else "", err["msg"], value)
                )
    return out


def _finish(
    meta: Item,
    rows: list[Item],
    gaps: list[Item],
    path: str,
    errs: list[RowError],
    cats: Catalogs | None,
) -> cm.Crosswalk:
    """Validate the rows and meta, check ids against the catalogs, and build the crosswalk."""
    loc, data = meta
    defaults = {"licence": NOT_STATED, "checked": NOT_STATED, "source": [NOT_STATED]}
    data = {k: v for k, v in data.items() if v not in (None, "")}
    metas = _valid(cm.Meta, [(loc, defaults | data)], path, errs)
    maps, nocp = _valid(cm.Mapping, rows, path, errs), _valid(cm.NoCounterpart, gaps, path, errs)
    cats = cats or shipped_catalogs()
    clauses = {c.number for c in cats.iso.clauses}
    articles = {a.number for a in cats.ai_act.articles} | {x.id for x in cats.ai_act.annexes}
    keys = [(m.clause, m.article, m.paragraph) for _, m in maps]
    for i, (at, m) in enumerate(maps):
        if m.clause not in clauses:
            errs.append(at.error(path, "clause", "unknown ISO/IEC 42001 number", m.clause))
        if keys[i] in keys[:i]:
            errs.append(at.error(path, "clause", "pair listed twice", f"{m.clause} {m.article}"))
    mapped = {(m.article, m.paragraph) for _, m in maps}
    both: list[tuple[_Loc, cm.Mapping | cm.NoCounterpart]] = [*maps, *nocp]
    for at, x in both:
        if x.article not in articles:
            errs.append(at.error(path, "article", "unknown AI Act article or annex", x.article))
        if isinstance(x, cm.NoCounterpart) and (x.article, x.paragraph) in mapped:
            errs.append(at.error(path, "article", "no counterpart, yet also mapped", x.article))
    if errs or not metas:
        raise LoadValidationError(errs)
    return cm.Crosswalk(
        meta=metas[0][1], mappings=[m for _, m in maps], no_counterpart=[n for _, n in nocp]
    )
