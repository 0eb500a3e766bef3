"""`audit verify`, `audit head` and `history`: the change log (docs/audit.md)."""

from __future__ import annotations

import typer

from api.cli.catalog import FormatOpt
from api.cli.common import ExitCode, Format, emit, err_console, state

audit_app = typer.Typer(
    no_args_is_help=True, help="The audit log: verify its hash chain, print its head."
)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Recompute the hash chain; name the first event that does not match (exit 10)."""
    from graph.audit import read

    result = read.verify(state(ctx).store())
    if not result.ok:
        err_console.print(f"audit log broken at event {result.bad_seq}: {result.reason} "
                          f"({result.checked} events before it verify)")  # fmt: skip
        raise typer.Exit(ExitCode.AUDIT_BROKEN)
    typer.echo(f"ok: {result.checked} events, head {result.head_seq} {result.head_hash}")


@audit_app.command("head")
def head(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """The newest event's sequence number and hash, to publish or archive."""
    from graph.audit import read

    emit([read.head(state(ctx).store())], fmt, title="audit head")


def history(
    ctx: typer.Context,
    kind: str = typer.Argument(
        help="Node label: Asset, Control, Dataset, Evidence, Owner, Incident."
    ),
    key: str = typer.Argument(help="The entity's id."),
    fmt: FormatOpt = Format.table,
) -> None:
    """Every change to one entity and the links leaving it, newest first, with actor and source."""
    from graph.audit import read

    rows = read.history(state(ctx).store(), kind, key)
    if fmt is not Format.json:
        rows = [r | {"fields": ", ".join(f"{k}: {v[0]} -> {v[1]}" for k, v in r["fields"].items())}
                for r in rows]  # fmt: skip
    emit(rows, fmt, title=f"history of {kind} {key}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.command("history")(history)
