"""Build the graph of a synthetic organisation straight from its Arrow tables with COPY.

The query benches (gaps, coverage, API, EXPLAIN) need the organisation in a store; building it
here (the same nodes and edges the loader writes, ``tests/scale/test_arrow_org.py`` checks that
the two stores export identically, vectorised, then COPY-ed) is the raw-COPY baseline of the
load bench and quicker than a full load for the query benches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from bench.copy_baseline import ARROW, copy_all
from graph.applicability import derive
from graph.models import AssetIn, EvidenceIn
from graph.schema import SCHEMA
from loaders.catalog import shipped_article_facts
from loaders.evidence_files import inspect_evidence
from loaders.inventory.batch import LINKS, asset_facts
from synth.evidence import LOCAL
from synth.organisation import synth_tables

Tables = list[tuple[str, dict[str, str], Any]]
LABELS = {"owners": "Owner", "assets": "Asset", "datasets": "Dataset", "controls": "Control",
          "evidence": "Evidence", "incidents": "Incident"}  # fmt: skip
STR = pa.string()


def _node_table(label: str, t: Any) -> Any:
    node = SCHEMA.node(label)
    n = t.num_rows
    cols = {p.name: t[p.name] if p.name in t.column_names else pa.nulls(n, ARROW[p.type])
            for p in node.props}  # fmt: skip
    for p in node.props:
        if pa.types.is_list(ARROW[p.type]):
            cols[p.name] = pc.fill_null(cols[p.name], pa.scalar([], ARROW[p.type]))
    if label == "Control":
        cols["org_wide"] = pc.fill_null(pc.equal(pc.list_value_length(t["applies_to"]), 0), True)
    return pa.table(cols, schema=pa.schema([(p.name, ARROW[p.type]) for p in node.props]))


def _file_facts(t: Any, folder: Path) -> Any:
    """What the loader records about each evidence file: remote URLs, and the local files."""
    n = t.num_rows
    remote = pc.starts_with(pc.fill_null(t["uri"], ""), "https://")
    cols = {"file_status": pc.if_else(remote, "remote", pa.scalar(None, STR)),
            "local_path": pa.nulls(n, STR), "file_sha256": pa.nulls(n, STR),
            "file_checked_on": pa.nulls(n, pa.date32())}  # fmt: skip
    local = t.filter(pc.is_in(t["id"], value_set=pa.array([x[0] for x in LOCAL])))
    rows = [{k: v for k, v in r.items() if v is not None} for r in local.to_pylist()]
    models = [EvidenceIn.model_validate(r) for r in rows]
    facts = inspect_evidence(models, folder)
    index = {eid: i for i, eid in enumerate(t["id"].to_pylist()) if eid in facts}
    attrs = {"file_status": "status", "local_path": "local_path",
             "file_sha256": "file_sha256", "file_checked_on": "checked_on"}  # fmt: skip
    for name, attr in attrs.items():
        values = cols[name].to_pylist()
        for eid, i in index.items():
            values[i] = getattr(facts[eid], attr)
        cols[name] = pa.array(values, cols[name].type)
    for name, values in cols.items():
        t = t.append_column(name, values)
    return t


def _target(rel: str, values: Any) -> Any:
    if rel == "IMPLEMENTS":
        return pc.binary_join_element_wise("ISO42001-", values, "")
    if rel == "ADDRESSES":
        annex = pc.replace_substring(values, "Annex ", "AIA-ANNEX-")
        is_annex = pc.starts_with(values, "Annex ")
        return pc.if_else(is_annex, annex, pc.binary_join_element_wise("AIA-", values, ""))
    return values


def _explode(t: Any, column: str, rel: str) -> Any:
    """One row per (row id, referenced id) for a list or single-reference column."""
    values = t[column].combine_chunks()
    if pa.types.is_list(values.type):
        parents, dst = pc.list_parent_indices(values), pc.list_flatten(values)
    else:
        parents = pc.indices_nonzero(pc.is_valid(values))
        dst = pc.take(values, parents)
    src = pc.take(t["id"].combine_chunks(), parents)
    return pa.table({"from": src, "to": _target(rel, dst)})


def _subject_to(assets: Any) -> Any:
    clean = ({k: v for k, v in r.items() if v is not None} for r in assets.to_pylist())
    facts = (asset_facts(AssetIn.model_validate(r)) for r in clean)
    rows = derive(facts, shipped_article_facts())
    return pa.table({
        "from": pa.array([d.asset for d in rows], STR),
        "to": pa.array([d.article for d in rows], STR),
        "reason": pa.array([d.reason for d in rows], STR),
        "applies_from": pa.array([d.applies_from for d in rows], pa.date32()),
        "applies_from_literal": pa.array([d.applies_from_literal for d in rows], pa.date32()),
    })  # fmt: skip


def graph_tables(assets: int, seed: int, folder: Path) -> Tables:
    """(table, COPY options, Arrow table) for the organisation's nodes and edges."""
    src = synth_tables(assets, seed)
    src["evidence"] = _file_facts(src["evidence"], folder)
    out: Tables = [(LABELS[e], {}, _node_table(LABELS[e], t)) for e, t in src.items()]
    for entity, links in LINKS.items():
        for column, rel, a, b in links:
            out.append((rel, {"from": a, "to": b}, _explode(src[entity], column, rel)))
    out.append(("SUBJECT_TO", {"from": "Asset", "to": "Article"}, _subject_to(src["assets"])))
    ev = src["evidence"]
    org_level = ev.filter(pc.fill_null(pc.equal(pc.list_value_length(ev["concerns"]), 0), True))
    out.append(("SUPPORTS_ORG", {"from": "Evidence", "to": "Control"},
                _explode(org_level, "supports", "SUPPORTS_ORG")))  # fmt: skip
    return out


def build(assets: int, seed: int, folder: Path, db: Path) -> int:
    """COPY the organisation into ``db`` (schema and catalogs already there); rows copied."""
    return copy_all(db, graph_tables(assets, seed, folder))
