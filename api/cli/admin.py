"""Store administration: create the schema, show what is loaded, list the named queries."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import Format, emit, state
from queries.registry import default_registry


def init(ctx: typer.Context) -> None:
    """Create the schema in the store (idempotent) and print the store's location."""
    st = state(ctx)
    st.store()
    where = st.settings.neo4j_uri if st.settings.store_kind == "neo4j" else st.settings.db
    typer.echo(f"schema applied to {st.settings.store_kind} store at {where}")


def status(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    all_: Annotated[bool, typer.Option("--all", help="Also list empty labels and types.")] = False,
) -> None:
    """Count the nodes per label and edges per relationship type in the store."""
    counts = state(ctx).store().counts()
    rows = [{"what": k, "count": v} for k, v in counts.items() if v or all_]
    emit(rows, fmt, title="store contents")


def queries(
    variants: Annotated[
        bool, typer.Option("--variants", help="List only per-store variants (the exceptions).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """List the named Cypher queries: name, store (blank = shared), parameters, description."""
    reg = default_registry()
    rows = [
        {
            "name": q.qualified,
            "store": q.store or "",
            "params": list(q.params),
            "description": q.variant_only or q.doc if q.store else q.doc,
        }
        for q in reg.all()
        if q.store or not variants
    ]
    emit(rows, fmt, title="per-store variants" if variants else "named queries")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(status)
    app.command()(queries)
