"""The main job on the embedded store, end to end: catalogs, sample organisation, gap report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import AppState, AsOf, Format, emit, err_console, parse_date, state
from graph.errors import SchemaMismatch

if TYPE_CHECKING:  # the API and views load when the demo runs, not for every command
    from api.session import Clausegraph
    from graph.stores import Store

SAMPLE = Path("examples") / "acme"


def demo(
    ctx: typer.Context,
    inventory: Annotated[
        Path, typer.Option(help="Inventory to load (default: the sample organisation).")
    ] = SAMPLE,
    as_of: AsOf = None,
    out: Annotated[Path, typer.Option(help="Folder for the HTML views.")] = Path("out"),
) -> None:
    """Load catalogs, crosswalk and an inventory; print the gap report; write views, a snapshot
    and an evidence bundle.

    Run from a clone, it loads the sample organisation in examples/acme (Acme Group), walks one
    finding through its life (open, routed, evidence ingested, resolved by that change,
    verified by an approver), writes the crosswalk, one high-risk system's trace, its owner's
    workload and that system's evidence bundle to out/, and records a snapshot next to the
    store.
    """
    from api.session import Clausegraph
    from graph import crosswalk as cw

    st = state(ctx)
    cg = Clausegraph(_demo_store(st))
    where = st.settings.neo4j_uri if st.settings.store_kind == "neo4j" else st.settings.db
    typer.echo(f"store: {st.settings.store_kind} at {where}")
    loaded = cg.load_catalogs()
    typer.echo("catalogs: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in loaded.items()))
    total = cw.coverage_summary(cg.store)["total"]
    typer.echo(
        f"crosswalk: ISO/IEC 42001 maps to {total['mapped']} of {total['articles']} AI Act "
        f"articles ({total['mapped_pct']}%), {total['partial_or_better']} with a coverage claim"
    )
    if not inventory.exists():
        raise typer.BadParameter(f"{inventory} not found; run from a clone or pass --inventory")
    report = cg.load_inventory(inventory)
    _reset_walk(cg)
    typer.echo("inventory: " + ", ".join(f"{n} {e}" for e, n in report.loaded.items()))
    gaps = cg.gaps(parse_date(as_of))
    by_sev = Counter(g.severity for g in gaps)
    typer.echo(
        f"gaps: {len(gaps)} (" + ", ".join(f"{by_sev[s]} {s}" for s in
                                          ("critical", "high", "medium", "low")) + ")"
    )  # fmt: skip
    from api.cli.inventory import print_gap_report

    print_gap_report(gaps)  # the same report as `clausegraph gaps`
    _walk_finding(cg, parse_date(as_of) or dt.date.today())
    asset = _write_views(cg, out, parse_date(as_of))
    day = parse_date(as_of) or dt.date.today()
    snap = cg.snapshot(f"demo-{day.isoformat()}", day, force=True)
    typer.echo(
        f"snapshot: {snap.label} in {cg.reports_dir()} (compare later with `clausegraph diff`)"
    )
    if asset:
        _audit_trail(cg, asset, snap.label, day)
        cg.bundle(asset, out / f"bundle-{asset}", as_of=day, replace=True)
        typer.echo(
            f"evidence bundle: {out / f'bundle-{asset}'} (check with `clausegraph bundle verify`)"
        )


def _audit_trail(cg: Clausegraph, asset: str, label: str, day: dt.date) -> None:
    """Re-collect one remote evidence item of the system (a one-row ingest, as `POST /ingest`
    would), then print its recent history and what changed since the demo's snapshot."""
    from graph.audit import replay
    from loaders.inventory import load_inventory
    from loaders.inventory.read import RawInventory, RawRow

    ids = sorted({r["id"] for r in cg.store.read("audit.asset_scope", asset=asset)
                  if r["kind"] == "Evidence"})  # fmt: skip
    views = [replay.show_now(cg.store, "Evidence", i) for i in ids]
    remote = [v for v in views if str(v["properties"].get("uri", "")).startswith("https://")]
    if not remote:
        return
    ev = remote[0]
    keep = ("id", "title", "kind", "uri", "sha256", "valid_until", "retention_days", "version")
    row = {k: ev["properties"].get(k) for k in keep} | {"collected_on": day.isoformat()}
    if ev["properties"].get("collected_on") == row["collected_on"]:
        row["collected_on"] = (day - dt.timedelta(days=1)).isoformat()
    for rel, field in (("SUPPORTS", "supports"), ("CONCERNS", "concerns"), ("REPORTS", "reports")):
        row[field] = [x["to"] for x in ev["links"] if x["type"] == rel]
    row["owner"] = next((x["to"] for x in ev["links"] if x["type"] == "OWNED_BY"), None)
    body = {"evidence": [RawRow("evidence", row, "$.evidence", 1, "evidence[0]")]}
    load_inventory(cg.store, RawInventory(body, None, {"evidence": "demo"}))
    key = str(ev["id"])
    typer.echo(f"audit: re-collected evidence {key} after snapshot {label} (a one-row ingest)")
    history = [{"seq": h["seq"], "at": h["at"], "actor": h["actor"], "command": h["command"],
                "change": h["change"], "entity": h["entity"],
                "fields": ", ".join(f"{f}: {v[0]} -> {v[1]}" for f, v in h["fields"].items())}
               for h in cg.history("Evidence", key)[:4]]  # fmt: skip
    emit(
        history, Format.table, title=f"history of Evidence {key} (newest 4; `clausegraph history`)"
    )
    changed = cg.changes(label, asset=asset)
    rows = [{k: r[k] for k in ("entity", "key", "via", "n_events", "summary", "actors")}
            for r in changed]  # fmt: skip
    emit(rows, Format.table, title=f"changes reaching {asset} since snapshot {label} "
                                   "(`clausegraph changes --since`)")  # fmt: skip


FIXER, APPROVER = "demo-fixer", "demo-approver"


def _reset_walk(cg: Clausegraph) -> None:
    """Undo an earlier demo's walk: delete its evidence and that finding (both logged), so the
    gap report and the walk print the same on every run."""
    from graph.audit.events import Source, acting
    from graph.stores import DeleteNodes, WriteBatch

    old = sorted(k for k in cg.store.keys("Evidence") if k.startswith("E-DEMO-"))
    if old:
        ids = [f"control_without_evidence:{k.removeprefix('E-DEMO-')}" for k in old]
        with acting(Source(FIXER, "demo: reset")):
            cg.store.write(WriteBatch(delete=[DeleteNodes("Evidence", old),
                                              DeleteNodes("Finding", ids)]))  # fmt: skip


def _walk_finding(cg: Clausegraph, day: dt.date) -> None:
    """One finding's life: open → routed → evidence ingested → resolved by that change →
    verified by an approver."""
    import hashlib
    import json
    import tempfile

    from graph.audit.events import Source, acting
    from graph.findings.log import head_seq
    from graph.findings.transitions import Request

    since = head_seq(cg.store)
    cg.reconcile(today=day)
    first = min((f.id for f in cg.findings() if f.rule == "control_without_evidence"), default="")
    if not first:
        return
    f = cg.finding(first)
    typer.echo(f"\nfinding {f.id}: {f.state}, routed to {f.assignee} ({f.routed_by}), due "
               f"{f.due} ({f.due_source})")  # fmt: skip
    evidence = f"E-DEMO-{f.subject}"
    doc = {"evidence": [{"id": evidence, "title": f"Operating evidence for {f.subject}",
                         "kind": "test_report", "uri": f"https://grc.acme.example/{evidence}",
                         "version": "1.0", "collected_on": day.isoformat(),
                         "sha256": hashlib.sha256(evidence.encode()).hexdigest(),
                         "owner": f.assignee, "supports": [f.subject]}]}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, acting(Source(FIXER, "demo: load inventory")):
        (Path(tmp) / "fix.json").write_text(json.dumps(doc), encoding="utf-8")
        cg.load_inventory(Path(tmp) / "fix.json")
    cg.reconcile(today=day)
    got = cg.finding_story(first)
    typer.echo(f"  {FIXER} ingested {evidence}; the graph resolved the finding, naming:")
    for e in got["resolved_by"]:
        typer.echo(f"    {e['change']} {e['kind']} {e['key']} by {e['actor']} ({e['command']})")
    f = cg.transition(first, "verify", Request(actor=APPROVER, note="evidence read"), day)
    typer.echo(f"  {APPROVER} verified it (not the assignee, not the fixer)")
    steps = [s for s in cg.finding_story(first)["story"] if s["seq"] > since]
    emit([{"actor": s["actor"], "transition": s["transition"], "state": s["state"],
           "assignee": s["assignee"]} for s in steps], Format.table,
         title=f"story of {first} (clausegraph finding show)")  # fmt: skip


def _write_views(cg: Clausegraph, out: Path, as_of: dt.date | None) -> str | None:
    """The crosswalk, the first high-risk system's trace and its owner's workload, as HTML."""
    from api.session import gap_context
    from graph.views import asset_view, crosswalk_view, owner_view

    day = as_of or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    pages = {"crosswalk.html": crosswalk_view(cg.store)}
    high = cg.store.read("assets.list", tier="high", owner="", lifecycle="production")
    high.sort(key=lambda a: a["role"] != "provider")  # a provider's trace shows the most
    if high:
        pages[f"asset-{high[0]['id']}.html"] = asset_view(
            cg.store, high[0]["id"], day, gap_context=gap_context(day))  # fmt: skip
        if high[0]["owner"]:
            pages[f"owner-{high[0]['owner']}.html"] = owner_view(
                cg.store, high[0]["owner"], day, gap_context=gap_context(day))  # fmt: skip
    for name, html in pages.items():
        (out / name).write_text(html, encoding="utf-8")
    typer.echo(f"views: {', '.join(str(out / n) for n in pages)} (open in a browser; offline)")
    return str(high[0]["id"]) if high else None


def _demo_store(st: AppState) -> Store:
    """The store, or, when it is the demo's own and of an older schema, a fresh one.

    The demo's own: LadybugDB, with a snapshot a demo took (``<db>.snapshots/demo-*.json``).
    The old database is moved aside, not deleted; any other store stops with exit 6 as usual.
    """
    try:
        return st.store()
    except SchemaMismatch as e:
        db = st.settings.db
        demo_made = any(db.with_name(db.name + ".snapshots").glob("demo-*.json"))
        if st.settings.store_kind != "ladybug" or not demo_made:
            raise
        st.close()
        aside = db.with_name(f"{db.name}.old-{dt.datetime.now():%Y%m%dT%H%M%S}")
        for src in (db, db.with_name(db.name + ".wal")):
            if src.exists():
                src.rename(aside.with_name(aside.name + src.name.removeprefix(db.name)))
        err_console.print(
            f"{e}\nThis is the demo's store (a demo snapshot is next to it), so the demo "
            f"rebuilds it: the old database was moved to {aside}; delete it when not needed."
        )
        return st.store()
