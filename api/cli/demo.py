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

    Run from a clone, it loads the sample organisation in examples/acme (Acme Group), writes the
    crosswalk, one high-risk system's trace, its owner's workload and that system's evidence
    bundle to out/, and records a snapshot next to the store.
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
    typer.echo("inventory: " + ", ".join(f"{n} {e}" for e, n in report.loaded.items()))
    gaps = cg.gaps(parse_date(as_of))
    by_sev = Counter(g.severity for g in gaps)
    typer.echo(
        f"gaps: {len(gaps)} (" + ", ".join(f"{by_sev[s]} {s}" for s in
                                          ("critical", "high", "medium", "low")) + ")"
    )  # fmt: skip
    rows = [{"severity": g.severity, "rule": g.rule, "subject": g.subject, "owner": g.owner,
             "message": g.message, "due": g.due} for g in gaps]  # fmt: skip
    emit(rows, Format.table, title="gap report, most severe first")
    _walk_finding(cg, parse_date(as_of) or dt.date.today(), out)
    asset = _write_views(cg, out, parse_date(as_of))
    day = parse_date(as_of) or dt.date.today()
    snap = cg.snapshot(f"demo-{day.isoformat()}", day, force=True)
    typer.echo(
        f"snapshot: {snap.label} in {cg.reports_dir()} (compare later with `clausegraph diff`)"
    )
    if asset:
        cg.bundle(asset, out / f"bundle-{asset}", as_of=day, replace=True)
        typer.echo(
            f"evidence bundle: {out / f'bundle-{asset}'} (check with `clausegraph bundle verify`)"
        )


FIXER, APPROVER = "demo-fixer", "demo-approver"


def _walk_finding(cg: Clausegraph, day: dt.date, out: Path) -> None:
    """One finding's life: open → routed → evidence ingested → resolved by that change →
    verified by an approver. A re-run first removes the demo's evidence, so the finding reopens
    (a regression) and walks again."""
    import json

    from graph.audit.events import Source, acting
    from graph.findings.transitions import Request
    from graph.stores import DeleteNodes, WriteBatch

    first = next((f for f in cg.findings() if f.rule == "control_without_evidence"), None)
    if first is None:
        return
    control = first.subject
    evidence = f"E-DEMO-{control}"
    with acting(Source(FIXER, "demo: reset")):
        if evidence in cg.store.keys("Evidence"):
            cg.store.write(WriteBatch(delete=[DeleteNodes("Evidence", [evidence])]))
    cg.reconcile(today=day)
    f = cg.finding(first.id)
    typer.echo(f"\nfinding {f.id}: {f.state} (reopened {f.reopen_count}x); routed to "
               f"{f.assignee} ({f.routed_by}); due {f.due} ({f.due_source})")  # fmt: skip
    doc = {"evidence": [{"id": evidence, "title": f"Operating evidence for {control}",
                         "kind": "test_report", "uri": f"https://grc.acme.example/{evidence}",
                         "version": "1.0", "sha256": "0" * 64,
                         "collected_on": day.isoformat(), "owner": f.assignee,
                         "supports": [control]}]}  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo-fix.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    with acting(Source(FIXER, "demo: load inventory")):
        cg.load_inventory(out / "demo-fix.json")
    cg.reconcile(today=day)
    f = cg.finding(first.id)
    typer.echo(
        f"  {FIXER} ingested {evidence}: {f.state}, by change(s) "
        f"{', '.join(f'#{s}' for s in f.resolved_by_seq)} of {', '.join(f.resolved_by)}"
    )
    f = cg.transition(f.id, "verify", Request(actor=APPROVER, note="evidence read"), day)
    typer.echo(f"  {APPROVER} verified it (version {f.version})")
    story = cg.finding_story(f.id)["story"]
    emit(
        [{k: s[k] for k in ("seq", "at", "actor", "transition", "state", "note")} for s in story],
        Format.table,
        title=f"story of {f.id} (clausegraph finding show)",
    )


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
