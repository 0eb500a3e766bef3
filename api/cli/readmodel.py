"""The maintained read model (graph/readmodel): re-date it, check it against recomputation."""

from __future__ import annotations

import datetime as dt

import typer

from api.cli.common import AsOf, ExitCode, err_console, parse_date, state


def refresh(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Bring the coverage read model to a day (default today): build it when the store has
    none, recompute only the cells whose evidence goes stale or expires or whose article
    starts to apply by then, rebuild for an earlier day or another date reading. Logged in the
    change log; a second run the same day changes nothing. `serve` runs it at start and on the
    first read of a new day."""
    from graph.readmodel import ops

    st = state(ctx)
    day = parse_date(as_of) or dt.date.today()
    before = ops.mark(st.store())
    done = ops.refresh(st.store(), day, st.settings.date_reading)
    how = "rebuilt" if done.rebuilt else "re-dated"
    if before and (before["as_of"], before["date_reading"]) == (day, st.settings.date_reading):
        how = "already current"
    typer.echo(f"read model {how} for {day}: {done.recomputed} cells recomputed, "
               f"{done.written} written")  # fmt: skip


def check_consistency(ctx: typer.Context) -> None:
    """Recompute every coverage cell from scratch and compare it with the maintained read
    model; list every difference and exit 1 if there is one (or no model at all)."""
    from graph.readmodel import ops

    problems = ops.differences(state(ctx).reader())
    for p in problems:
        err_console.print(p, markup=False, highlight=False)
    if problems:
        raise typer.Exit(code=ExitCode.ERROR)
    typer.echo("read model consistent with the from-scratch computation")


def register(app: typer.Typer) -> None:
    app.command()(refresh)
    app.command("check-consistency")(check_consistency)
