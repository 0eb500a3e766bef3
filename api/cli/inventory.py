"""`load inventory`, `gaps`, `coverage`, `trace` and `evidence verify`: the organisation's side."""

from __future__ import annotations

import dataclasses
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.catalog import FormatOpt, load_app
from api.cli.common import (
    AsOf,
    ExitCode,
    Format,
    clausegraph,
    emit,
    err_console,
    parse_date,
    state,
)
from graph import safe_cells

if TYPE_CHECKING:
    from graph.gaps import Gap

evidence_app = typer.Typer(help="Evidence integrity.", no_args_is_help=True)


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@load_app.command("inventory")
def load_inventory(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Inventory folder, or one .json/.yaml document.")],
    prune: Annotated[
        bool,
        typer.Option(help="Delete ids of the loaded entity types that the input no longer lists."),
    ] = False,
) -> None:
    """Validate the whole inventory, then write it in one transaction.

    Every row's field errors are reported at once; the checks across rows (duplicates, dates,
    references) run on the rows that parse. Nothing is written when any row is invalid (exit 3).
    Loading the same input twice changes nothing; a changed row updates in place, links
    included. Without --prune nothing is deleted.
    The findings are reconciled afterwards (docs/remediation.md).
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from graph.audit.events import acting, current_source

    src = current_source()
    command = "load inventory --prune" if prune else "load inventory"
    cg = clausegraph(state(ctx).store())
    with acting(dataclasses.replace(src, command=command)) if src else nullcontext(), Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("reading files")
        report = cg.load_inventory(
            path, prune=prune, progress=lambda m: bar.update(task, description=m)
        )
    for entity, n in report.loaded.items():
        typer.echo(f"{entity:10} {n:6} loaded, {report.new[entity]} new")
    typer.echo(f"applicability: {report.subject_to} SUBJECT_TO edges derived")
    if report.evidence_files:
        typer.echo(
            "evidence files: "
            + ", ".join(f"{v} {k}" for k, v in sorted(report.evidence_files.items()))
        )
    for entity, ids in report.pruned.items():
        typer.echo(f"pruned {len(ids)} {entity}: {', '.join(ids)}")
    if report.skipped:
        typer.echo("unchanged since their last load, not read again: " + ", ".join(report.skipped))
    if report.partial:
        changed = ", ".join(f"{e} ({n} rows)" for e, n in sorted(report.partial.items()))
        typer.echo("read only their changed rows: " + changed)
    reconciled = cg.reconcile_after_load()
    if reconciled is not None:
        err_console.print(reconciled.summary())


def gaps(
    ctx: typer.Context,
    asset: Annotated[str | None, typer.Option(help="Only gaps about this AI system.")] = None,
    rule: Annotated[list[str] | None, typer.Option(help="Only this rule (repeatable).")] = None,
    severity: Annotated[
        str | None, typer.Option(help="Only this severity: critical, high, medium, low.")
    ] = None,
    as_of: AsOf = None,
    in_force: Annotated[
        bool, typer.Option("--in-force", help="Only gaps whose obligation applies on the date.")
    ] = False,
    log_max_age_days: Annotated[
        int, typer.Option(help="A high-risk system's newest log may be this old.", min=1)
    ] = 30,
    as_of_state: Annotated[
        str | None,
        typer.Option(
            "--as-of-state",
            help="Report on the register as it stood at this moment (ISO datetime, UTC unless "
            "it names a zone; a date: its end), rebuilt from the audit log into a temporary "
            "store. --as-of stays the legal calendar date (default: that moment's date).",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The gap report: in force first (most severe, then most exposed), then upcoming ones.

    --as-of moves the legal calendar only (which obligations apply on that date) and reads the
    register as it is now; --as-of-state replays the register as it stood at a past moment.
    Reconciles the findings (docs/remediation.md) when the report is for today and the register
    as it is now. Exits 4 when red-line (critical/high) gaps are in force on the date; upcoming
    gaps (an obligation that starts later) are listed in their own section and never set the
    exit code.
    Table and Markdown fold a system's per-article "no control" rows into one; JSON and CSV
    keep one row per gap with its stable id.
    """
    from graph.gap_rules import RULES_BY_ID

    for r in rule or []:
        if r not in RULES_BY_ID:
            raise typer.BadParameter(f"unknown rule {r!r}; see docs/gap-rules.md")
    if severity and severity not in ("critical", "high", "medium", "low"):
        raise typer.BadParameter("severity must be critical, high, medium or low")
    if as_of_state is None:
        cg = clausegraph(state(ctx).register())
        if asset:
            cg.require_asset(asset)
        every, reconciled = cg.gaps_reconciled(parse_date(as_of), log_max_age_days=log_max_age_days)
        found = cg.filter_gaps(every, rules=rule, asset=asset, severity=severity)
        if reconciled is not None:
            err_console.print(reconciled.summary())
    else:
        from graph.audit.changes import parse_time

        cg = clausegraph(state(ctx).reader())
        at = parse_time(as_of_state, end=True)
        if at is None:
            raise typer.BadParameter(f"--as-of-state {as_of_state!r} is not an ISO datetime")
        if len(as_of_state.strip()) == 10:  # a date: through its end
            at = parse_time(as_of_state + "T23:59:59.999999") or at
        found = cg.gaps_as_of_state(
            at, parse_date(as_of), rules=rule, asset=asset, severity=severity,
            log_max_age_days=log_max_age_days,
        )  # fmt: skip
    if print_gap_report(found if not in_force else [g for g in found if g.in_force], fmt):
        raise typer.Exit(ExitCode.RED_LINE_GAPS)


def _gaps(n: int, what: str = "") -> str:
    """``1 gap``, ``2 upcoming gaps``: the count with its noun."""
    return f"{n} {what + ' ' if what else ''}{'gap' if n == 1 else 'gaps'}"


def print_gap_report(found: list[Gap], fmt: Format = Format.table) -> int:
    """Gaps in force, then upcoming ones in their own section (table and Markdown fold a
    system's per-article rows); a summary line on stderr. Returns the red-line count in force.
    The `gaps` command and `demo` print the report through this one function."""
    from graph.gap_table import table_rows

    now = [g for g in found if g.in_force]
    upcoming = [g for g in found if not g.in_force]
    if fmt in (Format.table, Format.md):
        emit(table_rows(now), fmt, title=f"{_gaps(len(now))} in force")
        if upcoming:
            title = f"{_gaps(len(upcoming), 'upcoming')} (not yet due)"
            emit(table_rows(upcoming), fmt, title=title)
    else:
        emit([g.to_dict() for g in now + upcoming], fmt, title=_gaps(len(now + upcoming)))
    red = sum(g.red_line for g in now)
    err_console.print(
        f"{_gaps(len(now))} in force, {red} red-line (critical or high); {len(upcoming)} upcoming"
    )
    return red


def coverage(
    ctx: typer.Context,
    asset: Annotated[str, typer.Argument(help="AI system id.")],
    article: Annotated[str, typer.Argument(help="Article: 14, 'Art. 14', 'Annex III'.")],
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What covers the article for the AI system: verdict, paths, evidence freshness, owners."""
    c = clausegraph(state(ctx).reader()).coverage(asset, article, parse_date(as_of))
    if fmt is Format.json:
        _json(c)
        return
    a, art = c["asset"], c["article"]
    ref = art["number"] if art["number"].startswith("Annex") else f"Art. {art['number']}"
    head = f"{a['name']} ({a['id']}) / {ref} {art['title']}"
    lines = [f"{head}: {c['verdict'].upper()}", f"  reason: {c['reason']}"]
    if c.get("applies_from"):
        when = "applies" if c["in_force"] else "applies only"
        lines.append(f"  {when} from {c['applies_from']} ({c.get('applicability', '')})")
    if c["weakest_link"]:
        lines.append(f"  weakest link: {c['weakest_link']}")
    for line in lines:  # CSV: stdout is the table alone; Markdown: the prose is escaped too
        if fmt is Format.csv:
            typer.echo(line, err=True)
        else:
            typer.echo(safe_cells.md_cell(line) if fmt is Format.md else line)
    rows = [
        {"control": p["control"], "status": p["status"], "via": p["clause"] or "direct",
         "relation": p["relation"], "paragraph": p["paragraph"], "state": p["state"],
         "evidence": [f"{e['id']} {e['freshness']}" for e in p["evidence"]], "owner": p["owner"]}
        for p in c["paths"]
    ]  # fmt: skip
    emit(rows, fmt, title="paths")
    if c["unimplemented_clauses"]:
        emit(c["unimplemented_clauses"], fmt, title="mapped ISO clauses no control implements")
    if c.get("incidents"):
        emit(c["incidents"], fmt, title="serious incidents (Art. 73 notification clocks)")


def trace(
    ctx: typer.Context,
    asset: Annotated[str, typer.Argument(help="AI system id.")],
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Everything that applies to the AI system and how each article is covered."""
    cg = clausegraph(state(ctx).reader())
    rows = cg.trace(asset, parse_date(as_of))
    if fmt is Format.table:
        rows = [{k: r[k] for k in ("article", "title", "verdict", "applies_from", "in_force",
                                   "weakest_link")} for r in rows]  # fmt: skip
    emit(rows, fmt, title=f"trace of {asset}")
    if not rows:  # say why, instead of a bare "none"
        err_console.print(cg.no_articles_reason(asset))


@evidence_app.command("verify")
def evidence_verify(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Re-hash every local evidence file; changed or missing ones become gaps. Exits 4 if any."""
    results = clausegraph(state(ctx).store()).verify_evidence()
    rows = [r.__dict__ for r in results]
    emit(rows, fmt, title="local evidence files")
    bad = [r for r in results if r.status != "ok"]
    err_console.print(f"{len(results)} local files checked, {len(bad)} changed or missing")
    if bad:
        raise typer.Exit(ExitCode.RED_LINE_GAPS)


def register(app: typer.Typer) -> None:
    app.command()(gaps)
    app.command()(coverage)
    app.command()(trace)
    app.add_typer(evidence_app, name="evidence")
