"""`snapshot`, `diff`, `applies` and `bundle`: the quarterly review (docs/review.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from api.cli.catalog import FormatOpt
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


def _default_to(name: str) -> type[TyperGroup]:
    class DefaultGroup(TyperGroup):
        """A group whose first argument, unless it names a subcommand, goes to ``name``."""

        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's vendored Context
            if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
                args = [name, *args]
            return super().parse_args(ctx, args)

    return DefaultGroup


snapshot_app = typer.Typer(
    cls=_default_to("take"), no_args_is_help=True,
    help="Review snapshots: `snapshot --label 2026-Q4` records one, `snapshot list` lists them.",
)  # fmt: skip
bundle_app = typer.Typer(
    cls=_default_to("create"), no_args_is_help=True,
    help="Evidence bundles for a regulator: `bundle ASSET -o DIR|FILE.zip`, `bundle verify PATH`.",
)  # fmt: skip

Reports = Annotated[
    Path | None,
    typer.Option(
        "--reports",
        help="Snapshot folder (default: $CLAUSEGRAPH_REPORTS, else <db>.snapshots next to the "
        "LadybugDB store, or ./neo4j-<database>.snapshots).",
    ),
]


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def _folder(ctx: typer.Context, reports: Path | None) -> Path:
    from graph import review

    return review.settings_reports_dir(state(ctx).settings, reports)


@snapshot_app.command("take")
def snapshot_take(
    ctx: typer.Context,
    label: Annotated[str, typer.Option("--label", help="Snapshot label, e.g. 2026-Q4.")],
    as_of: AsOf = None,
    coverage: Annotated[
        bool,
        typer.Option(help="Count coverage verdicts per chapter and tier (traces every system)."),
    ] = True,
    force: Annotated[
        bool, typer.Option(help="Replace an existing snapshot of that label.")
    ] = False,
    reports: Reports = None,
) -> None:
    """Record the gap set, metrics and inventory hash of a review day (the default command).

    Written atomically to <reports>/<label>.json; an existing label is kept unless --force.
    Reconciles the findings (docs/remediation.md) when the snapshot is for today.
    """
    cg = clausegraph(state(ctx).register())
    snap = cg.snapshot(label, parse_date(as_of), coverage=coverage, force=force,
                       reports=_folder(ctx, reports))  # fmt: skip
    m, head = snap.metrics, snap.headline
    typer.echo(f"snapshot {snap.label} as of {snap.as_of}: {head['in_force']} gaps in force, "
               f"{head['red_line']} red-line, {head['upcoming']} upcoming; "
               f"{m['stale_evidence']} stale evidence items; inventory "
               f"{snap.inventory_hash[:12]}")  # fmt: skip
    typer.echo(f"written to {snap.path}")


@snapshot_app.command("list")
def snapshot_list(
    ctx: typer.Context, reports: Reports = None, fmt: FormatOpt = Format.table
) -> None:
    """Every snapshot, oldest review day first (does not open the store)."""
    from graph import review

    folder = _folder(ctx, reports)
    rows = [{"label": s.label, "as_of": s.as_of, "taken_at": s.taken_at, "gaps": s.metrics["gaps"],
             "in_force": s.headline["in_force"], "red_line": s.headline["red_line"],
             "upcoming": s.headline["upcoming"], "stale_evidence": s.metrics["stale_evidence"],
             "inventory": s.inventory_hash[:12], "file": str(s.path)}
            for s in review.list_snapshots(folder)]  # fmt: skip
    emit(rows, fmt, title=f"snapshots in {folder}")


DIFF_COLUMNS: dict[str, list[str]] = {
    "new_gaps": ["severity", "id", "owner", "detail"],
    "closed_gaps": ["severity", "id", "owner", "detail"],
    "persisting_gaps": ["severity", "id", "owner", "first_seen", "age_days"],
    "evidence_stale": ["id", "owner", "before", "detail"],
    "owner_changes": ["id", "before", "after", "detail"],
    "assets_added": ["id", "after"],
    "assets_removed": ["id", "before"],
    "assets_retired": ["id", "before", "after"],
    "coverage": ["id", "before", "after", "detail"],
}


def diff(
    ctx: typer.Context,
    before: Annotated[str, typer.Argument(help="Earlier snapshot: label, label suffix or path.")],
    after: Annotated[str, typer.Argument(help="Later snapshot: label, label suffix or path.")],
    reports: Reports = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What changed between two snapshots.

    New, closed and persisting gaps (with their age in days), evidence that became stale, owner
    changes, AI systems added, removed or retired, and coverage per chapter. CSV is one row per
    change (column `change` names the section); JSON has every section.
    """
    from graph import review
    from graph.review.diff import SECTIONS

    folder = _folder(ctx, reports)
    history = review.list_snapshots(folder)
    a = review.resolve_snapshot(folder, before, history)
    b = review.resolve_snapshot(folder, after, history)
    result = review.diff_snapshots(a, b, history)
    if fmt is Format.json:
        _json(result.to_dict())
        return
    rows = result.rows()
    if fmt is Format.csv:
        emit(rows, fmt)
        return
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.summary.items())
    typer.echo(f"{a.label} ({a.as_of}) -> {b.label} ({b.as_of}): {summary}")
    for section in SECTIONS:
        part = [{c: r[c] for c in DIFF_COLUMNS[section]} for r in rows if r["change"] == section]
        if part:
            title = f"{section.replace('_', ' ')} ({len(part)})"
            if fmt is Format.md:
                typer.echo(f"\n## {title}\n")
            emit(part, fmt, title=title)


def applies(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="The earlier date (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="The later date (YYYY-MM-DD).")],
    asset: Annotated[str | None, typer.Option(help="Only this AI system.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What starts to apply between two dates, per AI system.

    Articles that apply on --to and did not yet apply on --from, from the SUBJECT_TO dates (as
    amended by Regulation (EU) 2026/1744; Annex I products take their own date).
    """
    day0, day1 = parse_date(start), parse_date(end)
    assert day0 is not None and day1 is not None  # noqa: S101  (both options are required)
    rows = clausegraph(state(ctx).reader()).applies(day0, day1, asset)
    shown = rows
    if fmt is Format.table:
        keep = ("asset", "article", "title", "chapter", "applies_from")
        shown = [{k: r[k] for k in keep} for r in rows]
    emit(shown, fmt, title=f"starts to apply after {day0}, by {day1}")
    systems = len({r["asset"] for r in rows})
    err_console.print(f"{len(rows)} obligations start to apply to {systems} AI systems")


@bundle_app.command("create")
def bundle_create(
    ctx: typer.Context,
    asset: Annotated[str, typer.Argument(help="AI system id.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="New folder, or a file ending in .zip.")],
    article: Annotated[
        str | None, typer.Option(help="Only this article (14, 'Art. 14'); default: all.")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """Bundle one AI system's evidence for a regulator (the default command).

    Writes manifest.json (trace chain, evidence with uri, sha256, dates, owner and freshness,
    open gaps, every file's hash), summary.md, summary.html, view.html when graph views are
    available, and copies of local evidence files.
    """
    cg = clausegraph(state(ctx).reader())
    manifest = cg.bundle(asset, out, article=article, as_of=parse_date(as_of))
    copied = sum(1 for f in manifest["files"] if f["role"] == "evidence")
    typer.echo(f"bundle for {asset}: {len(manifest['trace'])} articles, "
               f"{len(manifest['evidence'])} evidence items ({copied} files copied), "
               f"{len(manifest['gaps'])} open gaps -> {out}")  # fmt: skip
    if manifest["view"] is None:
        err_console.print("view.html skipped: graph.views.asset_view is not available")


@bundle_app.command("verify")
def bundle_verify(
    path: Annotated[Path, typer.Argument(help="Bundle folder or .zip.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Re-hash every file of a bundle against its manifest.

    Exits 4 when a file changed, is missing, or is not listed in the manifest.
    """
    from graph import review

    rows = review.verify_bundle(path)
    bad = [r for r in rows if r["status"] != "ok"]
    emit(rows if fmt is not Format.table else bad or rows, fmt, title=f"bundle {path}")
    err_console.print(f"{len(rows)} files checked, {len(bad)} changed, missing or unexpected")
    if bad:
        raise typer.Exit(ExitCode.RED_LINE_GAPS)


def register(app: typer.Typer) -> None:
    app.add_typer(snapshot_app, name="snapshot")
    app.command()(diff)
    app.command()(applies)
    app.add_typer(bundle_app, name="bundle")
