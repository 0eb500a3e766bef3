"""The main job on the embedded store, end to end: catalogs, sample organisation, gap report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import Format, emit, state
from api.cli.inventory import AsOf, parse_date
from api.session import Clausegraph
from graph import crosswalk as cw

SAMPLE = Path("examples") / "acme"


def demo(
    ctx: typer.Context,
    inventory: Annotated[
        Path, typer.Option(help="Inventory to load (default: the sample organisation).")
    ] = SAMPLE,
    as_of: AsOf = None,
) -> None:
    """Load the catalogs, the crosswalk and an inventory, then print the gap report.

    Run from a clone, it loads the sample organisation in examples/acme (Acme Group).
    """
    st = state(ctx)
    cg = Clausegraph(st.store())
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
