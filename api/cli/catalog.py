"""`load catalog`, `catalog articles|clauses` and `crosswalk`: the regulatory side of the graph."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import ExitCode, Format, emit, err_console, parse_date, state

load_app = typer.Typer(help="Load data into the store.", no_args_is_help=True)
catalog_app = typer.Typer(help="The EU AI Act and ISO/IEC 42001 catalogs.", no_args_is_help=True)
crosswalk_app = typer.Typer(
    help="The ISO/IEC 42001 <-> EU AI Act crosswalk: pairs, coverage, checks, interchange.",
    invoke_without_command=True,
)

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@load_app.command("catalog")
def load_catalog(
    ctx: typer.Context,
    ai_act: Annotated[
        Path | None, typer.Option(help="AI Act catalog YAML [default: the shipped one].")
    ] = None,
    iso: Annotated[
        Path | None, typer.Option(help="ISO/IEC 42001 catalog YAML [default: the shipped one].")
    ] = None,
    crosswalk: Annotated[
        Path | None, typer.Option(help="Crosswalk YAML [default: the shipped one].")
    ] = None,
) -> None:
    """Validate the catalogs and crosswalk (all errors at once), then load them in one transaction.

    Loading the same files again changes nothing; a changed crosswalk replaces the old pairs.
    """
    from loaders.catalog import AI_ACT_FILE, CROSSWALK_FILE, ISO_FILE, load_catalogs, parse_catalogs

    cats = parse_catalogs(ai_act or AI_ACT_FILE, iso or ISO_FILE, crosswalk or CROSSWALK_FILE)
    loaded = load_catalogs(state(ctx).store(), cats)
    typer.echo("loaded " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in loaded.items()))


@catalog_app.command("articles")
def catalog_articles(
    ctx: typer.Context,
    chapter: Annotated[str, typer.Option(help="Only this chapter (roman numeral, e.g. III).")] = "",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Add whether each applies on this date.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """AI Act articles and annexes: title, chapter, whom each binds, tiers, application dates."""
    from graph import crosswalk as cw

    rows = cw.articles(state(ctx).reader(), chapter.upper(), parse_date(as_of))
    if fmt is Format.table:
        keep = (
            "number",
            "title",
            "chapter",
            "binds",
            "tiers",
            "applies_from",
            "applies_from_original",
            "applies",
        )
        rows = [{k: r[k] for k in keep if k in r} for r in rows]
    emit(rows, fmt, title="EU AI Act (Regulation (EU) 2024/1689)")


@catalog_app.command("clauses")
def catalog_clauses(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help="Only clause, objective or annex_a_control.")] = "",
    fmt: FormatOpt = Format.table,
) -> None:
    """ISO/IEC 42001:2023 clauses, Annex A objectives and controls (ids and short titles)."""
    from graph import crosswalk as cw

    if kind and kind not in ("clause", "objective", "annex_a_control"):
        raise typer.BadParameter("kind must be clause, objective or annex_a_control")
    emit(cw.clauses(state(ctx).reader(), kind), fmt, title="ISO/IEC 42001:2023")


@crosswalk_app.callback()
def crosswalk_pairs(
    ctx: typer.Context,
    article: Annotated[str, typer.Option(help="Only this article: 14, or 'Annex IV'.")] = "",
    clause: Annotated[str, typer.Option(help="Only this ISO number: 9.1, A.6.2.8.")] = "",
    check: Annotated[
        bool,
        typer.Option("--check", help="Run the mapping QA; exit 3 on unknown ids or conflicts."),
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List crosswalk pairs: clause, article, paragraph, relation, rationale, confidence, source."""
    from graph import crosswalk as cw

    if ctx.invoked_subcommand is not None:
        return
    store = state(ctx).reader()
    if check:
        _check(store, fmt)
        return
    rows = cw.pairs(store, article.strip(), clause.strip())
    if fmt is Format.table:
        rows = [{k: v for k, v in r.items() if k != "source"} for r in rows]
    emit(rows, fmt, title="ISO/IEC 42001 -> EU AI Act")


def _check(store: Any, fmt: Format) -> None:
    from graph import crosswalk as cw
    from loaders.catalog import parse_catalogs

    parse_catalogs()  # unknown ids and malformed rows raise LoadValidationError (exit 3)
    report = cw.quality_report(store)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        for name, rows in report.items():
            emit(rows, fmt, title=name.replace("_", " "))
    if report["conflicts"]:
        err_console.print(f"{len(report['conflicts'])} conflicting mapping(s)")
        raise typer.Exit(ExitCode.INVALID_INPUT)


@crosswalk_app.command("coverage")
def crosswalk_coverage(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """How much of the AI Act ISO/IEC 42001 maps to, per chapter and tier, and what it lacks."""
    from graph import crosswalk as cw

    summary = cw.coverage_summary(state(ctx).reader())
    if fmt is Format.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    emit(summary["by_chapter"] + [summary["total"]], fmt, title="articles mapped, by chapter")
    emit(summary["by_tier"], fmt, title="articles mapped, by tier")
    emit(summary["no_counterpart"], fmt, title="articles with no ISO/IEC 42001 counterpart")


def register(app: typer.Typer) -> None:
    app.add_typer(load_app, name="load")
    app.add_typer(catalog_app, name="catalog")
    app.add_typer(crosswalk_app, name="crosswalk")


class Interchange(StrEnum):
    oscal = "oscal"
    sssom = "sssom"


@crosswalk_app.command("export")
def crosswalk_export(
    to: Annotated[Interchange, typer.Option("--to", help="OSCAL 1.2 mapping JSON or SSSOM TSV.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    crosswalk: Annotated[
        Path | None, typer.Option(help="Crosswalk YAML [default: the shipped one].")
    ] = None,
) -> None:
    """Export the crosswalk as an OSCAL mapping collection or SSSOM (see docs/interchange.md)."""
    from loaders import interchange
    from loaders.catalog import AI_ACT_FILE, CROSSWALK_FILE, ISO_FILE, parse_catalogs

    cats = parse_catalogs(AI_ACT_FILE, ISO_FILE, crosswalk or CROSSWALK_FILE)
    if to is Interchange.oscal:
        text = json.dumps(interchange.to_oscal(cats.crosswalk), indent=2) + "\n"
    else:
        text = interchange.to_sssom(cats.crosswalk, cats)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {len(cats.crosswalk.mappings)} pairs to {output} ({to.value})")


@crosswalk_app.command("import")
def crosswalk_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="OSCAL .json or SSSOM .tsv file.")],
) -> None:
    """Validate an OSCAL/SSSOM crosswalk and load it in place of the current one, atomically."""
    from loaders import interchange
    from loaders.catalog import load_catalogs, shipped_catalogs

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise typer.BadParameter(f"cannot read {file}: {e}") from None
    cats = shipped_catalogs()
    if file.suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise typer.BadParameter(f"{file} is not JSON: {e.msg} (line {e.lineno})") from None
        imported = interchange.from_oscal(doc, str(file), cats)
    else:
        imported = interchange.from_sssom(text, str(file), cats)
    loaded = load_catalogs(state(ctx).store(), replace(cats, crosswalk=imported))
    typer.echo(f"imported {loaded['crosswalk_pairs']} pairs and {loaded['no_counterpart']} "
               "articles without counterpart")  # fmt: skip
