"""The main job on the embedded store, end to end, for a first look."""

from __future__ import annotations

import typer

from api.cli.common import Format, emit, state


def demo(ctx: typer.Context) -> None:
    """Create the store, load what ships with clausegraph, and show what is in it."""
    st = state(ctx)
    store = st.store()
    where = st.settings.neo4j_uri if st.settings.store_kind == "neo4j" else st.settings.db
    typer.echo(f"store: {st.settings.store_kind} at {where} (schema applied)")
    rows = [{"what": k, "count": v} for k, v in store.counts().items()]
    emit(rows, Format.table, title="store contents")
