"""`findings` and `finding show|start|verify|accept|false-positive|reassign` (docs/remediation.md).

Opening, resolving and reopening belong to the graph (every `gaps`, `snapshot`, load and ingest
reconciles); these commands list findings and make the transitions people make.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.catalog import FormatOpt
from api.cli.common import ExitCode, Format, clausegraph, emit, err_console, parse_date, state

if TYPE_CHECKING:
    from graph.findings import Finding

finding_app = typer.Typer(
    help="One finding: its story, and the transitions people make.", no_args_is_help=True
)
Id = Annotated[str, typer.Argument(help="Finding id: the gap id, 'rule:subject'.")]
Note = Annotated[str, typer.Option("--note", help="Why; recorded in the change log.")]
Version = Annotated[
    int | None,
    typer.Option("--version", help="The version you read (default: the current one); a "
                 "finding changed since then is refused (exit 13)."),
]  # fmt: skip
COLUMNS = ("id", "state", "severity", "assignee", "due", "due_source", "overdue", "version",
           "reopen_count")  # fmt: skip
STATES = ("open", "in_progress", "resolved", "verified", "reopened", "accepted", "false_positive")


def _days(value: str | None) -> int | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*d?\s*", value)
    if not m:
        raise typer.BadParameter(f"{value!r} is not a number of days (14d or 14)")
    return int(m.group(1))


def findings(
    ctx: typer.Context,
    state_: Annotated[
        list[str] | None, typer.Option("--state", help="Only this state (repeatable).")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only findings assigned to this owner.")] = None,
    severity: Annotated[
        str | None, typer.Option(help="Only this severity: critical, high, medium, low.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue findings.")] = False,
    due_within: Annotated[
        str | None, typer.Option("--due-within", help="Only open ones due within, e.g. 14d.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The findings register: overdue first, then by severity and due date.

    Exits 4 when a listed finding still to be acted on (open, in progress, reopened) is
    red-line (critical/high) and its obligation already applies (as `gaps`), else 11 when a
    listed one is overdue, else 0. Expired risk acceptances are reactivated first.
    """
    from graph.findings.query import Filters
    from graph.findings.reconcile import expire_acceptances

    for s in state_ or []:
        if s not in STATES:
            raise typer.BadParameter(f"unknown state {s!r}; one of {', '.join(STATES)}")
    if severity and severity not in ("critical", "high", "medium", "low"):
        raise typer.BadParameter("severity must be critical, high, medium or low")
    today = dt.date.today()
    st = state(ctx)
    store = st.register()
    if not getattr(store, "read_only", False):
        expire_acceptances(store, today)
    flt = Filters(tuple(state_ or ()), owner or "", severity or "", overdue, _days(due_within))
    rows = clausegraph(store).findings(flt, today)
    out = [f.to_dict(today) for f in rows]
    emit([{c: r[c] for c in COLUMNS} for r in out] if fmt is Format.table else out, fmt,
         title=f"{len(rows)} findings")  # fmt: skip
    active = [f for f in rows if f.state in ("open", "in_progress", "reopened")]
    red = sum(f.red_line and f.in_force(today) for f in active)
    late = sum(f.overdue(today) for f in active)
    err_console.print(f"{len(rows)} findings listed: {len(active)} to act on, {red} red-line in "
                      f"force, {late} overdue")  # fmt: skip
    if red:
        raise typer.Exit(ExitCode.RED_LINE_GAPS)
    if late:
        raise typer.Exit(ExitCode.FINDINGS_OVERDUE)


def _show(f: Finding) -> None:
    for k, v in f.to_dict().items():
        if v not in (None, "", [], ()):
            typer.echo(f"{k:16} {', '.join(map(str, v)) if isinstance(v, list) else v}")


@finding_app.command("show")
def show(ctx: typer.Context, finding_id: Id, fmt: FormatOpt = Format.table) -> None:
    """The finding and its whole story: every transition (actor, time, note) from the change
    log, and the change-log events that resolved it."""
    got = clausegraph(state(ctx).reader()).finding_story(finding_id)
    if fmt is Format.json:
        data: dict[str, Any] = dict(got, finding=got["finding"].to_dict())
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        return
    _show(got["finding"])
    emit(got["story"], fmt, title="story (change log)")
    if got["resolved_by"]:
        cols = ("seq", "at", "actor", "command", "change", "kind", "key")
        emit([{c: e[c] for c in cols} for e in got["resolved_by"]], fmt,
             title="resolved by these changes")  # fmt: skip


def _apply(ctx: typer.Context, finding_id: str, name: str, **kw: Any) -> None:
    from graph.audit.events import current_source, resolve_actor
    from graph.findings.transitions import Request

    cur = current_source()
    req = Request(actor=cur.actor if cur else resolve_actor(), role="admin", **kw)
    f = clausegraph(state(ctx).store()).transition(finding_id, name, req)
    typer.echo(f"{f.id}: {f.state} (version {f.version}) by {f.actor}")


@finding_app.command("start")
def start(ctx: typer.Context, finding_id: Id, note: Note = "", version: Version = None) -> None:
    """open/reopened → in_progress (the assignee, or an analyst)."""
    _apply(ctx, finding_id, "start", note=note, version=version)


@finding_app.command("verify")
def verify(
    ctx: typer.Context, finding_id: Id,
    note: Annotated[str, typer.Option("--note", help="What was checked (required).")],
    version: Version = None,
) -> None:  # fmt: skip
    """resolved → verified: sign-off by an approver (--actor) who is neither the assignee nor
    an actor of the change that resolved it."""
    _apply(ctx, finding_id, "verify", note=note, version=version)


@finding_app.command("accept")
def accept(
    ctx: typer.Context, finding_id: Id,
    justification: Annotated[str, typer.Option(help="Why the risk is accepted.")],
    compensating: Annotated[str, typer.Option(help="The compensating controls.")],
    expires: Annotated[str, typer.Option(help="When the acceptance ends (YYYY-MM-DD).")],
    requested_by: Annotated[
        str, typer.Option(help="Who asks for it (default: the assignee); not the approver.")
    ] = "",
    note: Note = "", version: Version = None,
) -> None:  # fmt: skip
    """Risk acceptance, approved by --actor; never for critical (prohibited practice) findings.
    The finding reactivates when the acceptance expires."""
    _apply(ctx, finding_id, "accept", justification=justification, compensating=compensating,
           expires=parse_date(expires), requested_by=requested_by, note=note,
           version=version)  # fmt: skip


@finding_app.command("false-positive")
def false_positive(
    ctx: typer.Context, finding_id: Id,
    justification: Annotated[str, typer.Option(help="Why the gap does not apply.")],
    requested_by: Annotated[str, typer.Option(help="Who asks (default: the assignee).")] = "",
    note: Note = "", version: Version = None,
) -> None:  # fmt: skip
    """Mark a false positive, approved by --actor."""
    _apply(ctx, finding_id, "false_positive", justification=justification,
           requested_by=requested_by, note=note, version=version)  # fmt: skip


@finding_app.command("reassign")
def reassign(
    ctx: typer.Context, finding_id: Id,
    to: Annotated[str, typer.Option("--to", help="The new assignee (an owner id).")],
    note: Note = "", version: Version = None,
) -> None:  # fmt: skip
    """Give the finding to someone else (the assignee, or an analyst)."""
    _apply(ctx, finding_id, "reassign", assignee=to, note=note, version=version)


def metrics(
    ctx: typer.Context,
    expiring_within: Annotated[
        str, typer.Option("--expiring-within", help="Acceptances ending within, e.g. 30d.")
    ] = "30d",
    fmt: FormatOpt = Format.table,
) -> None:
    """Remediation metrics: open findings by severity, owner and rule; overdue; exposure (open
    red-line findings x days open); time to close by severity; closures by month, and closure
    rate and median days to close per month replayed from the change log; regressions;
    acceptances expiring (docs/remediation.md)."""
    days = _days(expiring_within)
    assert days is not None  # noqa: S101  (the option has a default)
    m = clausegraph(state(ctx).reader()).remediation_metrics(dt.date.today(), days)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(m, indent=2, default=str) + "\n")
        return
    for key, value in m.items():
        if isinstance(value, list):
            emit(value, fmt, title=key.replace("_", " "))
        else:
            typer.echo(f"{key.replace('_', ' ')}: {value}")


def digest(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help="Only this owner's digest.")] = None,
    within: Annotated[str, typer.Option(help="The window for 'soon', e.g. 14d.")] = "14d",
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="md (default) or json; table/csv: one "
                             "row per item.")
    ] = Format.md,
    send: Annotated[
        bool, typer.Option("--send", help="Mail each owner their own digest over SMTP "
                           "(CLAUSEGRAPH_SMTP_*), at most once a day; every delivery is "
                           "recorded in the change log.")
    ] = False,
) -> None:  # fmt: skip
    """Per owner: findings overdue and due within the window, regressions (reopened),
    acceptances and evidence expiring in it, and control reviews falling due in it (the day a
    control's newest evidence reaches its review period). With --send, each owner with an
    e-mail address gets theirs by mail; a second --send the same day sends nothing again."""
    from graph.findings.digest import SECTIONS, markdown

    days = _days(within)
    assert days is not None  # noqa: S101  (the option has a default)
    today = dt.date.today()
    if send:
        from graph.findings.mail import send_digests
        from graph.settings import MailSettings

        store = state(ctx).store()
        entries = clausegraph(store).digest(today, days, owner or "")
        err_console.print(send_digests(store, entries, today, days, MailSettings()).summary())
        return
    entries = clausegraph(state(ctx).reader()).digest(today, days, owner or "")
    if fmt is Format.json:
        sys.stdout.write(json.dumps(entries, indent=2, default=str) + "\n")
    elif fmt is Format.md:
        sys.stdout.write(markdown(entries, today, days))
    else:
        rows = [{"owner": e["owner"], "section": s, **item}
                for e in entries for s in SECTIONS for item in e[s]]  # fmt: skip
        cols = ("owner", "section", "id", "title")
        emit([{c: r.get(c) for c in cols} for r in rows], fmt, title="digest")


def register(app: typer.Typer) -> None:
    app.command()(digest)
    app.command()(findings)
    app.command()(metrics)
    app.add_typer(finding_app, name="finding")
