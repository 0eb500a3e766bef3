"""Crosswalk interchange: OSCAL 1.2 and SSSOM/TSV round trips, schema validity, located errors.

The OSCAL output is validated with compliance-trestle's pydantic models of the OSCAL 1.2.1
mapping-collection schema (generated from NIST's published JSON schema), and against the
allowed-values constraints that NIST's OSCAL 1.2.1 metaschema adds and JSON schema cannot
express (usnistgov/OSCAL src/metaschema/oscal_mapping-common_metaschema.xml), transcribed below.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from trestle.oscal.mapping import Model

from graph.crosswalk import pairs
from graph.errors import LoadValidationError
from graph.stores import Store
from loaders.catalog import load_catalogs, parse_catalogs, shipped_catalogs
from loaders.catalog_models import Crosswalk, Mapping, NoCounterpart
from loaders.interchange import CG_NS, from_oscal, from_sssom, to_oscal, to_sssom

# OSCAL 1.2.1 metaschema allowed values (allow-other="no" unless noted).
RELATIONSHIPS = {
    "equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship",
}  # fmt: skip
METHODS = {"human", "automation", "hybrid"}
MATCHING_RATIONALES = {"syntactic", "semantic", "functional"}
STATUSES = {"complete", "not-complete", "draft", "deprecated", "superseded"}
ITEM_TYPES = {"control", "statement"}
CONFIDENCE_CATEGORIES = {"unspecified", "high", "medium", "low"}  # allow-other="yes"
OSCAL_NS = "http://csrc.nist.gov/ns/oscal"

Trip = Callable[[Crosswalk], Crosswalk]


def _via_oscal(cw: Crosswalk) -> Crosswalk:
    return from_oscal(json.loads(json.dumps(to_oscal(cw))), "crosswalk.oscal.json")


def _via_sssom(cw: Crosswalk) -> Crosswalk:
    return from_sssom(to_sssom(cw), "crosswalk.sssom.tsv")


TRIPS = pytest.mark.parametrize("trip", [_via_oscal, _via_sssom], ids=["oscal", "sssom"])


def _tricky() -> Crosswalk:
    """Every relation, every id shape and awkward text, on real catalog ids."""
    src = "editors | reviewers"  # '|' separates values in SSSOM multi-valued slots
    rows = [
        ("A.6.2.8", 12, "1(a)", "equal", "high", 'Tab\there, "quotes", and a\nline break.'),
        ("6.1.2", 9, "2a", "subset", "low", "Paragraph number with a letter."),
        ("A.6.2.8", 16, "(c)", "superset", "medium", "Point only, no paragraph number."),
        ("A.6.2.7", "Annex IV", "2(c)", "intersect", "medium", "Annex section and point."),
        ("4.1", 6, None, "related", "low", "Whole article."),
        ("4.1", 14, "1(a)(ii)", "related", "high", "Nested points."),
    ]
    keys = ("clause", "article", "paragraph", "relation", "confidence", "rationale")
    mappings = [
        Mapping.model_validate(dict(zip(keys, r, strict=True)) | {"source": src}) for r in rows
    ]
    gaps = [
        NoCounterpart(article=5, paragraph=None, reason="Whole article, no counterpart."),
        NoCounterpart(article=16, paragraph="(b)", reason='A point; "quoted" reason.'),
        NoCounterpart(article="Annex IV", paragraph="1(a)", reason="An annex point."),
    ]
    meta = shipped_catalogs().crosswalk.meta
    return Crosswalk(meta=meta, mappings=mappings, no_counterpart=gaps)


@TRIPS
def test_shipped_crosswalk_round_trips_exactly(trip: Trip) -> None:
    cw = shipped_catalogs().crosswalk
    back = trip(cw)
    assert back.mappings == cw.mappings
    assert back.no_counterpart == cw.no_counterpart
    assert back.meta == cw.meta  # both formats carry every meta field of the shipped file


@TRIPS
def test_tricky_ids_relations_and_text_round_trip(trip: Trip) -> None:
    cw = _tricky()
    assert trip(cw) == cw


@TRIPS
def test_imported_crosswalk_loads_to_the_same_pairs(store: Store, trip: Trip) -> None:
    shipped = shipped_catalogs()
    imported = trip(shipped.crosswalk)
    load_catalogs(store, dataclasses.replace(shipped, crosswalk=imported))  # into a fresh store
    got = pairs(store)
    load_catalogs(store, shipped)  # the shipped crosswalk replaces the imported one
    want = pairs(store)
    assert len(want) == len(shipped.crosswalk.mappings)
    assert got == want


def test_relation_tables() -> None:
    cw = _tricky()
    maps = to_oscal(cw)["mapping-collection"]["mappings"][0]["maps"]
    assert [(m["relationship"], m.get("ns")) for m in maps] == [
        ("equal-to", None),
        ("subset-of", None),
        ("superset-of", None),
        ("intersects-with", None),
        ("related-to", CG_NS),
        ("related-to", CG_NS),
    ]
    assert [m["targets"][0]["id-ref"] for m in maps] == [
        "AIA-12_smt.1.a", "AIA-9_smt.2a", "AIA-16_smt.c", "AIA-ANNEX-IV_smt.2.c", "AIA-6",
        "AIA-14_smt.1.a.ii",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(_table(to_sssom(cw))), delimiter="\t"))
    # subject = ISO element: ISO broader than the article (superset) -> the object is narrower.
    assert [(r["predicate_id"], r["object_id"], r["relation"]) for r in rows] == [
        ("skos:exactMatch", "AIA:12(1)(a)", "equal"),
        ("skos:broadMatch", "AIA:9(2a)", "subset"),
        ("skos:narrowMatch", "AIA:16(c)", "superset"),
        ("skos:relatedMatch", "AIA:Annex-IV(2)(c)", "intersect"),
        ("skos:relatedMatch", "AIA:6", "related"),
        ("skos:relatedMatch", "AIA:14(1)(a)(ii)", "related"),
        ("skos:relatedMatch", "AIA:5", ""),
        ("skos:relatedMatch", "AIA:16(b)", ""),
        ("skos:relatedMatch", "AIA:Annex-IV(1)(a)", ""),
    ]
    assert {r["subject_id"] for r in rows[-3:]} == {"sssom:NoTermFound"}
    mapping = to_oscal(cw)["mapping-collection"]["mappings"][0]
    assert [(p["value"], p["remarks"]) for p in mapping["props"]] == [
        ("AIA-5", "Whole article, no counterpart."),
        ("AIA-16_smt.b", 'A point; "quoted" reason.'),
        ("AIA-ANNEX-IV_smt.1.a", "An annex point."),
    ]
    assert mapping["target-gap-summary"]["unmapped-controls"] == [{"with-ids": ["AIA-5"]}]
    assert [r["confidence"] for r in rows[:3]] == ["0.9", "0.3", "0.6"]


def test_oscal_output_validates_against_the_oscal_1_2_schema() -> None:
    doc = json.loads(json.dumps(to_oscal(shipped_catalogs().crosswalk)))
    dumped = Model.model_validate(doc).model_dump(by_alias=True, exclude_none=True, mode="json")
    # Nothing dropped or coerced: the validated model dumps back to the document (the schema's
    # date-time type only re-spells 'Z' as '+00:00').
    assert dumped == json.loads(json.dumps(doc).replace("T00:00:00Z", "T00:00:00+00:00"))
    mc = doc["mapping-collection"]
    assert mc["metadata"]["oscal-version"] == "1.2.1"
    prov = mc["provenance"]
    assert prov["method"] in METHODS and prov["status"] in STATUSES
    assert prov["matching-rationale"] in MATCHING_RATIONALES
    resources = {r["uuid"] for r in mc["back-matter"]["resources"]}
    for mapping in mc["mappings"]:
        assert {mapping[k]["href"][1:] for k in ("source-resource", "target-resource")} <= resources
        for m in mapping["maps"]:
            assert m["relationship"] in RELATIONSHIPS or m["ns"] == CG_NS
            assert m["confidence-score"]["category"] in CONFIDENCE_CATEGORIES
            assert {i["type"] for i in m["sources"] + m["targets"]} <= ITEM_TYPES
    props = _all(doc, "props")
    assert props and all(p["ns"] == CG_NS for ps in props for p in ps)  # none in OSCAL's namespace
    uuids = _all(doc, "uuid")
    assert len(uuids) == len(set(uuids))


def test_exports_are_deterministic() -> None:
    a, b = shipped_catalogs().crosswalk, parse_catalogs().crosswalk  # two separate parses
    assert a is not b
    assert json.dumps(to_oscal(a)) == json.dumps(to_oscal(b))
    assert to_sssom(a) == to_sssom(b)
    changed = a.model_copy(update={"mappings": a.mappings[1:]})
    before, after = to_oscal(a)["mapping-collection"], to_oscal(changed)["mapping-collection"]
    assert before["uuid"] != after["uuid"]  # a revised document gets a new uuid ...
    assert before["mappings"][0]["maps"][1]["uuid"] == after["mappings"][0]["maps"][0]["uuid"]
    # ... while each map keeps its own, per subject.


def test_malformed_oscal_names_every_problem_by_json_path() -> None:
    doc = to_oscal(shipped_catalogs().crosswalk)
    mc = doc["mapping-collection"]
    maps = mc["mappings"][0]["maps"]
    maps[0]["relationship"] = "overlaps-with"
    maps[1]["sources"][0]["id-ref"] = "ISO42001-A.9.9"
    maps[2]["targets"][0]["id-ref"] = "AIA-14(4)"
    del maps[3]["remarks"]
    maps[4]["confidence-score"] = {"category": "certain"}
    maps[5]["props"][0]["value"] = "superset"  # relation prop contradicts the relationship
    maps[6]["sources"].append(maps[6]["sources"][0])
    del mc["metadata"]["version"]
    mapped = maps[7]["targets"][0]["id-ref"]
    gap = {"ns": CG_NS, "name": "no-counterpart", "value": mapped, "remarks": "Also mapped."}
    mc["mappings"][0]["props"].append(gap)
    with pytest.raises(LoadValidationError) as info:
        from_oscal(doc, "bad.json")
    errors = info.value.errors
    assert {e.file for e in errors} == {"bad.json"}
    at = "$.mapping-collection.mappings[0]"
    assert {(e.field, e.message) for e in errors} == {
        (f"{at}.maps[0].relationship", "unknown, or not the one the relation prop names"),
        (f"{at}.maps[1].sources[0].id-ref", "unknown ISO/IEC 42001 number"),
        (f"{at}.maps[2].targets[0].id-ref", "not an AI Act article, annex or paragraph id"),
        (f"{at}.maps[3].remarks", "Field required"),
        (f"{at}.maps[4].confidence-score.category", "Input should be 'high', 'medium' or 'low'"),
        (f"{at}.maps[5].relationship", "unknown, or not the one the relation prop names"),
        (
            f"{at}.maps[6].sources",
            "must hold exactly one object: one ISO element, one article or paragraph",
        ),
        ("$.mapping-collection.metadata.version", "Field required"),
        (
            f"{at}.props[{len(mc['mappings'][0]['props']) - 1}].value",
            "no counterpart, yet also mapped",
        ),
    }
    shown = next(e.value for e in errors if "maps[0]" in (e.field or ""))
    assert shown == f"{CG_NS} overlaps-with"  # a related-to map: the namespace is ours


def test_oscal_without_a_mapping_collection_is_refused() -> None:
    with pytest.raises(LoadValidationError) as info:
        from_oscal({"catalog": {}}, "other.json")
    assert [(e.file, e.field) for e in info.value.errors] == [
        ("other.json", "$.mapping-collection")
    ]


def test_malformed_sssom_names_every_problem_by_line_and_column() -> None:
    text = to_sssom(shipped_catalogs().crosswalk)
    header_line = sum(1 for line in text.splitlines() if line.startswith("#")) + 1
    edits = {
        (0, "predicate_id"): "skos:closeMatch",
        (1, "object_id"): "AIA:14[4]",
        (2, "subject_id"): "FOO:1",
        (3, "subject_id"): "ISO42001:A.9.9",
        (4, "relation"): "subset",  # the row's predicate is skos:relatedMatch
        (5, "confidence"): "very",
        (6, "comment"): "",
    }
    with pytest.raises(LoadValidationError) as info:
        from_sssom(_edit(text, edits), "bad.sssom.tsv")
    errors = info.value.errors
    assert {e.file for e in errors} == {"bad.sssom.tsv"}
    assert {(e.row, e.field, e.message) for e in errors} == {
        (header_line + 1, "predicate_id", "unknown mapping predicate"),
        (header_line + 2, "object_id", "not an AI Act article, annex or paragraph id"),
        (header_line + 3, "subject_id", "not a CURIE with a prefix declared in curie_map"),
        (header_line + 4, "subject_id", "unknown ISO/IEC 42001 number"),
        (header_line + 5, "relation", "unknown, or does not fit skos:relatedMatch"),
        (header_line + 6, "confidence", "not a number"),
        (header_line + 7, "comment", "String should have at least 1 character"),
    }
    assert next(e.value for e in errors if e.row == header_line + 2) == "AIA:14[4]"


def test_sssom_missing_column_and_bad_metadata() -> None:
    text = to_sssom(shipped_catalogs().crosswalk)
    header_line = sum(1 for line in text.splitlines() if line.startswith("#")) + 1
    with pytest.raises(LoadValidationError) as info:
        from_sssom(_edit(text, {}, drop="predicate_id"), "bad.sssom.tsv")
    assert [(e.row, e.field) for e in info.value.errors] == [(header_line, "predicate_id")]
    with pytest.raises(LoadValidationError) as info:
        from_sssom("#mapping_set_id: x\n#curie_map: {AIA: [x}\n" + _table(text), "bad.sssom.tsv")
    assert [(e.row, e.field) for e in info.value.errors] == [(2, "metadata")]


def _table(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def _edit(text: str, edits: dict[tuple[int, str], str], drop: str = "") -> str:
    head = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    rows = list(csv.reader(io.StringIO(_table(text)), delimiter="\t"))
    for (i, column), value in edits.items():
        rows[i + 1][rows[0].index(column)] = value
    if drop:
        gone = rows[0].index(drop)
        rows = [r[:gone] + r[gone + 1 :] for r in rows]
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return head + out.getvalue()


def _all(node: Any, key: str) -> list[Any]:
    """Every value stored under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == key] + [
            x for v in node.values() for x in _all(v, key)
        ]
    if isinstance(node, list):
        return [x for v in node for x in _all(v, key)]
    return []
