"""SSSOM/TSV with its embedded YAML metadata block, both ways: ``to_sssom`` and ``from_sssom``."""

from __future__ import annotations

import csv
import io
import re
from functools import partial
from typing import Any

import yaml

from graph.errors import LoadValidationError, RowError
from loaders import catalog_models as cm
from loaders.catalog import Catalogs, shipped_catalogs
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


def _curie(article: int | str, paragraph: str | None) -> str:
    local = str(article).replace("Annex ", "Annex-")
    return "AIA:" + local + "".join(f"({p})" for p in paragraph_parts(paragraph))


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
        raise Bad(col, "not a CURIE with a prefix declared in curie_map", row[col])
    return prefixes[prefix] + local


def _confidence(value: str) -> str:
    try:
        x = float(value or 1)  # SSSOM: no confidence means 1.0
    except ValueError:
        raise Bad("confidence", "not a number", value) from None
    if not 0 <= x <= 1:
        raise Bad("confidence", "not within 0..1", value)
    return "high" if x >= 0.75 else "medium" if x >= 0.45 else "low"


def _sssom_row(row: dict[str, str], prefixes: dict[str, str]) -> dict[str, Any]:
    article, paragraph = aia_ref(
        _expand(row, "object_id", prefixes), SSSOM_TARGET, "object_id", row["object_id"]
    )
    if row.get("predicate_modifier"):
        raise Bad("predicate_modifier", "negated mappings are not supported", "Not")
    if not row["mapping_justification"]:
        raise Bad("mapping_justification", "empty")
    subject = _expand(row, "subject_id", prefixes)
    if subject == SSSOM_NS + "NoTermFound":
        return {"article": article, "paragraph": paragraph, "reason": row.get("comment")}
    relation = FROM_SKOS.get(_expand(row, "predicate_id", prefixes))
    if relation is None:
        raise Bad("predicate_id", "unknown mapping predicate", row["predicate_id"])
    if PREDICATE.get(ours := row.get("relation") or relation) != PREDICATE[relation]:
        raise Bad("relation", f"unknown, or does not fit {row['predicate_id']}", ours)
    return {
        "clause": iso_ref(subject, CURIE_MAP["ISO42001"], "subject_id", row["subject_id"]),
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
    return head, (Loc(None, "", SLOTS), data)


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
        loc, consumed = Loc(n + consumed + 1, "", SSSOM_FIELDS), reader.line_num
        if len(record) != len(header):
            errs.append(loc.error(path, "", f"{len(record)} cells for {len(header)} columns"))
            continue
        parse = partial(_sssom_row, dict(zip(header, record, strict=True)), prefixes)
        if data := parse_row(errs, path, loc, parse):
            (gaps if "reason" in data else rows).append((loc, data))
    return finish(meta, rows, gaps, path, errs, catalogs)
