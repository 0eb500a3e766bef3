"""The maintained answers (graph/readmodel's coverage cells, graph/gaprows' gap rows): bring
them to a day, check them against recomputation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from api.cli.common import AsOf, ExitCode, err_console, parse_date, state


def refresh(
    ctx: typer.Context,
    as_of: AsOf = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Recompute every cell and gap row from scratch, whatever is stored (after "
            "check-consistency found a difference: rows changed behind the change log's back).",
        ),
    ] = False,
) -> None:
    """Bring the coverage read model and the gap rows to a day (default today): build them when
    the store has none, recompute only the cells whose evidence goes stale or expires or whose
    article starts to apply by then, rebuild for an earlier day or another date reading; re-run
    the gap queries for the systems, evidence and controls changed since the rows were saved
    (all of them for another day). Logged in the change log; a second run the same day changes
    nothing. `serve` runs it at start and on the first read of a new day."""
    from api.session import refresh_gap_rows
    from graph.readmodel import ops

    st = state(ctx)
    day = parse_date(as_of) or dt.date.today()
    before = ops.mark(st.store())
    if rebuild:
        done = ops.rebuild(st.store(), day, st.settings.date_reading)
    else:
        done = ops.refresh(st.store(), day, st.settings.date_reading)
    how = "rebuilt" if done.rebuilt or rebuild else "re-dated"
    same = (day, st.settings.date_reading)
    if before and not rebuild and (before["as_of"], before["date_reading"]) == same:
        how = "already current"
    typer.echo(f"read model {how} for {day}: {done.recomputed} cells recomputed, "
               f"{done.written} written")  # fmt: skip
    rows = refresh_gap_rows(st.store(), day, rebuild=rebuild)
    typer.echo(f"gap rows current for {day}: {rows} (query, subject) re-runs")


def check_consistency(ctx: typer.Context) -> None:
    """Recompute every coverage cell and every gap query from scratch and compare them with the
    maintained read model and gap rows (for the day each was last brought to); list every
    difference and exit 1 if there is one (or no model at all)."""
    from api.session import gap_context
    from graph.gaprows import model
    from graph.readmodel import ops

    store = state(ctx).reader()
    problems = ops.differences(store)
    m = model.mark(store)
    day = m["as_of"] if m is not None else dt.date.today()
    problems += model.differences(store, gap_context(day, m["log_max_age_days"] if m else 30))
    for p in problems:
        err_console.print(p, markup=False, highlight=False)
    if problems:
        raise typer.Exit(code=ExitCode.ERROR)
    typer.echo("read model and gap rows consistent with the from-scratch computation")


def register(app: typer.Typer) -> None:
    app.command()(refresh)
    app.command("check-consistency")(check_consistency)
