"""Store administration: create the schema, show what is loaded, list the named queries."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import Format, emit, state


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
    counts = state(ctx).reader().counts()
    rows = [{"what": k, "count": v} for k, v in counts.items() if v or all_]
    emit(rows, fmt, title="store contents")


def queries(
    variants: Annotated[
        bool, typer.Option("--variants", help="List only per-store variants (the exceptions).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """List the named Cypher queries: name, store (blank = shared), parameters, description."""
    from queries.registry import default_registry

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


def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Write the whole graph as canonical JSON lines (backup; diffable; byte-identical for
    equal graphs). Restore with `clausegraph import`."""
    from graph import backup

    lines = backup.export_lines(state(ctx).reader())
    if output is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    tmp = output.with_name(output.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
    tmp.replace(output)  # atomic: a crash never leaves half a backup under the real name
    typer.echo(f"wrote {output}", err=True)


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `clausegraph export`.")],
    merge: Annotated[
        bool, typer.Option(help="Upsert into the current graph instead of replacing it.")
    ] = False,
) -> None:
    """Restore an export: validate every line, then replace the graph with it in one transaction."""
    from graph import backup

    try:
        with file.open(encoding="utf-8") as f:
            n = backup.import_lines(state(ctx).store(), f, str(file), replace=not merge)
    except (OSError, UnicodeDecodeError) as e:
        raise typer.BadParameter(f"cannot read {file}: {e}") from None
    typer.echo(f"imported {n} rows from {file}")


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command("import")(import_)
    app.command()(init)
    app.command()(status)
    app.command()(queries)
