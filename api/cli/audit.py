"""`audit verify`, `audit head`, `history` and `changes`: the change log (docs/audit.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.cli.catalog import FormatOpt
from api.cli.common import ExitCode, Format, clausegraph, emit, err_console, state
from api.cli.review import Reports

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
        rows = [r | {"fields": _fields(r["fields"])} for r in rows]
    emit(rows, fmt, title=f"history of {kind} {key}")


def _fields(fields: dict[str, list[Any]]) -> str:
    return ", ".join(f"{k}: {v[0]} -> {v[1]}" for k, v in fields.items())


def changes(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option(
            help="Start: a snapshot label (right after the audit seq it recorded) or an ISO "
            "date/datetime (UTC unless it names a zone; a date: from the start of that day)."
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(help="End, the same forms (a date: through the end of that day)."),
    ] = None,
    asset: Annotated[
        str | None,
        typer.Option(
            help="Only what reaches this AI system: it, its owner, controls, their evidence, "
            "datasets, incidents (also those linked at the start or during the window)."
        ),
    ] = None,
    article: Annotated[
        str | None, typer.Option(help="Only controls for this article and their evidence.")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only what this owner is accountable for.")] = (
        None
    ),
    reports: Reports = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What changed in the register since a snapshot or date, grouped by entity, newest first.

    JSON lists each entity's events with their field-level before -> after; CSV and Markdown
    have one row per event.
    """
    from graph.audit.changes import event_rows
    from graph.review.snapshots import settings_reports_dir

    cg = clausegraph(state(ctx).reader())
    folder = settings_reports_dir(state(ctx).settings, reports)
    rows = cg.changes(since, until, asset=asset, article=article, owner=owner, reports=folder)
    title = f"{len(rows)} entities changed since {since}" + (f" until {until}" if until else "")
    if fmt is Format.json:
        emit(rows, fmt, title=title)
    elif fmt is Format.table:
        emit([{k: v for k, v in r.items() if k != "events"} for r in rows], fmt, title=title)
    else:
        emit([r | {"fields": _fields(r["fields"])} for r in event_rows(rows)], fmt, title=title)


def show(
    ctx: typer.Context,
    kind: str = typer.Argument(
        help="Node label: Asset, Control, Dataset, Evidence, Owner, Incident."
    ),
    key: str = typer.Argument(help="The entity's id."),
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="A past moment (ISO datetime, UTC unless it names a zone; a date: its end): "
            "the entity as it stood then, rebuilt by replaying the audit log. Not the legal "
            "calendar date of `gaps --as-of`.",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """One entity's properties and the links leaving it: now, or as they stood --as-of then."""
    from graph.audit import replay
    from graph.audit.changes import parse_time

    if kind not in replay.ORG_LABELS:
        raise typer.BadParameter(f"kind must be one of {', '.join(replay.ORG_LABELS)}")
    store = state(ctx).reader()
    if as_of is None:
        view = replay.show_now(store, kind, key)
    else:
        at = parse_time(as_of, end=True)
        if at is None:
            raise typer.BadParameter(f"--as-of {as_of!r} is not an ISO date or datetime")
        view = replay.show_as_of(store, kind, key, _last_instant(at, as_of))
    if fmt is Format.json:
        emit([view], fmt)
        return
    when = f" as of {as_of}" if as_of else ""
    if not view["exists"]:
        typer.echo(f"{kind} {key}: does not exist{when}")
        return
    props = [{"property": k, "value": v} for k, v in view["properties"].items()]
    emit(props, fmt, title=f"{kind} {key}{when}")
    links = [{"type": x["type"], "to": f"{x['to_kind']} {x['to']}", "props": x["props"]}
             for x in view["links"]]  # fmt: skip
    emit(links, fmt, title="links")


def _last_instant(at: str, given: str) -> str:
    """A date means through its end: the last microsecond before the next day."""
    import datetime as dt

    if len(given.strip()) != 10:
        return at
    return (dt.datetime.fromisoformat(at) - dt.timedelta(microseconds=1)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.command("history")(history)
    app.command("changes")(changes)
    app.command("show")(show)
