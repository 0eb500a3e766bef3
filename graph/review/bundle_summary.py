"""The human half of an evidence bundle: summary.md and summary.html from the manifest."""

from __future__ import annotations

from typing import Any

from graph.review.document import Document

Row = dict[str, Any]


def _asset_rows(a: Row) -> list[Row]:
    keys = ("id", "name", "role", "risk_tier", "annex_iii_area", "lifecycle", "owner",
            "owner_name")  # fmt: skip
    return [{"field": k, "value": a.get(k)} for k in keys]


def _trace_rows(manifest: Row) -> list[Row]:
    return [{"article": t["number"], "title": t["title"], "verdict": t["verdict"],
             "applies from": t["applies_from"], "in force": "yes" if t["in_force"] else "no",
             "controls": sorted({c["control"] for c in t["controls"]}),
             "weakest link / reason": t["weakest_link"] or t["reason"]}
            for t in manifest["trace"]]  # fmt: skip


def _evidence_rows(manifest: Row) -> list[Row]:
    return [{"id": e["id"], "kind": e["kind"], "title": e["title"],
             "collected": e["collected_on"], "valid until": e["valid_until"],
             "owner": e["owner"], "freshness": f"{e['freshness']} ({e['why']})",
             "file": e["file"]["path"] if e.get("file") else e.get("file_note") or e["uri"]}
            for e in manifest["evidence"]]  # fmt: skip


def summary_document(manifest: Row) -> Document:
    """Asset, coverage per article, evidence and open gaps, for a reader with no tools."""
    a = manifest["asset"]
    doc = Document(f"Evidence bundle: {a['name']} ({a['id']})")
    scope = manifest["scope"]["article"]
    doc.para(
        f"Situation as of {manifest['as_of']}, generated {manifest['generated_at']} by "
        f"clausegraph. Scope: {'Art. ' + scope if scope else 'every applicable article'}. "
        "Every file in this bundle is listed with its sha256 in manifest.json; check them with "
        "`clausegraph bundle verify <this folder or zip>`."
    )
    doc.heading("AI system")
    doc.table(_asset_rows(a), ["field", "value"])
    doc.heading("Articles and how they are covered")
    doc.table(_trace_rows(manifest))
    doc.heading("Evidence")
    doc.table(_evidence_rows(manifest))
    doc.heading("Open gaps")
    doc.table(manifest["gaps"], ["severity", "rule", "subject", "message", "due", "owner"])
    if manifest.get("view"):
        doc.para("The graph view of this system is in view.html.")
    audit = manifest.get("audit")
    if audit:
        doc.heading("Change history")
        doc.para(
            f"{audit['file']} holds the {audit['events']} audit-log events concerning this system "
            f"and its controls, evidence and datasets. The log's head when this bundle was made: "
            f"event {audit['head']['seq']}, hash {audit['head']['hash']}; compare it with the "
            "head the organisation publishes (`clausegraph audit head`)."
        )
    return doc
