"""The main job on the embedded store, end to end, for a first look."""

from __future__ import annotations

import typer

from api.cli.common import Format, emit, state
from graph import crosswalk as cw
from loaders.catalog import load_catalogs


def demo(ctx: typer.Context) -> None:
    """Load the shipped catalogs and crosswalk into the store and summarise the crosswalk."""
    st = state(ctx)
    store = st.store()
    where = st.settings.neo4j_uri if st.settings.store_kind == "neo4j" else st.settings.db
    typer.echo(f"store: {st.settings.store_kind} at {where}")
    loaded = load_catalogs(store)
    typer.echo("loaded " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in loaded.items()))
    summary = cw.coverage_summary(store)
    total = summary["total"]
    typer.echo(
        f"ISO/IEC 42001 maps to {total['mapped']} of {total['articles']} AI Act articles "
        f"({total['mapped_pct']}%); {total['partial_or_better']} with a coverage claim, "
        f"{total['full']} fully covered by some ISO element."
    )
    emit(summary["by_tier"], Format.table, title="AI Act articles mapped to ISO/IEC 42001, by tier")
    rows = [{"article": r["article"], "title": r["title"]} for r in summary["no_counterpart"]]
    emit(rows, Format.table, title="AI Act articles with no ISO/IEC 42001 counterpart")
