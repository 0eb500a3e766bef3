"""Which AI systems' coverage a write can change: from the keys it touches to the systems
those reach (read in the write's transaction, before and after it is applied)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.incident_clock import NOTIFICATION_ARTICLE
from graph.readmodel.tx import Tx
from graph.schema import SCHEMA

if TYPE_CHECKING:  # graph.stores imports this package; avoid the cycle at runtime
    from graph.stores.base import WriteBatch

# A catalog change (articles, clauses, the crosswalk, chapters) can change any cell.
CATALOG = frozenset({"Article", "Clause", "Chapter"})
# Labels a cell reads; a write of only other labels (findings, datasets) reaches none.
INPUTS = CATALOG | {"Asset", "Control", "Evidence", "Owner", "Incident"}
GONE_OWNER = "Owner (deleted)"  # a pseudo-label of :func:`touched`


@dataclass
class Reach:
    """The systems whose cells to recompute; ``everything``: all of them. ``articles``: only
    the cells of these articles can change (a write of evidence alone); None: any article."""

    assets: set[str] = field(default_factory=set)
    everything: bool = False
    articles: set[str] | None = None

    def __or__(self, other: Reach) -> Reach:
        if not (self.assets or self.everything):  # reaches nothing: restricts nothing either
            return other
        if not (other.assets or other.everything):
            return self
        either = None
        if self.articles is not None and other.articles is not None:
            either = self.articles | other.articles
        return Reach(self.assets | other.assets, self.everything or other.everything, either)

    def covers(self, cell_article: str) -> bool:
        return self.articles is None or cell_article in self.articles


def touched(batch: WriteBatch) -> dict[str, set[str]]:
    """Label -> keys the batch upserts, deletes, links from or to, or unlinks (inputs only)."""
    from graph.stores.base import key_list, row_chunks

    out: dict[str, set[str]] = {}

    def add(label: str, keys: object) -> None:
        if label in INPUTS or label == GONE_OWNER:
            out.setdefault(label, set()).update(str(k) for k in keys)  # type: ignore[attr-defined]

    for d in batch.delete:
        add(d.label, key_list(d.keys))
    for u in batch.unlink:
        add(u.src, key_list(u.keys))
    for n in batch.nodes:
        if n.label in INPUTS:
            key = SCHEMA.node(n.label).key
            add(n.label, (r[key] for chunk in row_chunks(n.rows, 10_000) for r in chunk))
    # An edge is an input of the cells its source reaches (before and after the write), never
    # of its target's: SUBJECT_TO's article, SUPPORTS' control or OWNED_BY's owner does not
    # change when a system, an evidence item or a control links to it.
    for e in batch.edges:
        if e.src in INPUTS:
            for chunk in row_chunks(e.rows, 10_000):
                add(e.src, (r["src"] for r in chunk))
    # A deleted owner takes its OWNED_BY edges along: whatever it owned loses it.
    for d in batch.delete:
        if d.label == "Owner":
            add(GONE_OWNER, key_list(d.keys))
    return {k: v for k, v in out.items() if v}


def reach(tx: Tx, keys: dict[str, set[str]]) -> Reach:
    """The systems the touched keys reach as the store stands now (in the transaction)."""
    if CATALOG & set(keys):
        return Reach(everything=True)
    assets = set(keys.get("Asset", ()))
    controls = set(keys.get("Control", ()))
    evidence = set(keys.get("Evidence", ()))
    # An owner's own properties enter only the cells of the systems it owns (``owner_name``);
    # a deleted owner, every cell that named it.
    gone = keys.get(GONE_OWNER, set())
    owners = keys.get("Owner", set()) | gone
    if owners:
        for r in tx.named("readmodel.owner_reach", keys=sorted(owners)):
            if r["key"] is None or (r["kind"] != "Asset" and r["owner"] not in gone):
                continue
            {"Asset": assets, "Control": controls, "Evidence": evidence}[r["kind"]].add(r["key"])
    on_paths: set[str] = set()  # the controls on whose paths the evidence appears
    if evidence:
        for r in tx.named("readmodel.evidence_reach", keys=sorted(evidence)):
            if r["asset"]:
                assets.add(r["asset"])
            if r["control"]:
                controls.add(r["control"])
            if r["supports"]:
                on_paths.add(r["supports"])
    if controls:
        for r in tx.named("readmodel.control_reach", keys=sorted(controls)):
            if r["org_wide"]:
                return Reach(everything=True)
            if r["asset"] is not None:
                assets.add(r["asset"])
    if incidents := keys.get("Incident", set()):
        assets |= {r["asset"] for r in tx.named("readmodel.incident_reach", keys=sorted(incidents))}
    if not set(keys) <= {"Evidence", "Incident"} or not assets:
        return Reach(assets)
    # Evidence enters a cell only on the paths of its controls: the articles those reach; an
    # incident only the Art. 73 cells of the systems it involves.
    on_paths |= controls
    rows = tx.named("readmodel.control_articles", keys=sorted(on_paths)) if on_paths else []
    articles = {r["article"] for r in rows if r["article"] is not None}
    return Reach(assets, articles=articles | ({NOTIFICATION_ARTICLE} if incidents else set()))
