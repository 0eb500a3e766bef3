"""`view crosswalk|asset|owner`: write the interactive views as self-contained HTML files."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import AsOf, err_console, parse_date, state

if TYPE_CHECKING:  # pyvis and the graph builders load only when a view is written
    from graph.views import ViewGraph

view_app = typer.Typer(
    help="Interactive views as one self-contained HTML file each (works offline, no CDN).",
    no_args_is_help=True,
)


class Tier(StrEnum):
    """The risk tiers of graph.models.RiskTier."""

    prohibited = "prohibited"
    high = "high"
    limited = "limited"
    minimal = "minimal"
    gpai = "gpai"
    gpai_systemic = "gpai_systemic"


Output = Annotated[
    Path, typer.Option("--output", "-o", help="HTML file to write (parent folders are created).")
]
_ROMAN = re.compile(r"^[IVXLC]+$")


def _write(graph: ViewGraph, output: Path) -> None:
    from graph.views.render import render

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(graph), encoding="utf-8")
    err_console.print(
        f"wrote {output}: {len(graph.nodes)} nodes, {len(graph.edges)} edges — {graph.subtitle}"
    )


@view_app.command("crosswalk")
def view_crosswalk(
    ctx: typer.Context,
    output: Output,
    chapter: Annotated[
        str, typer.Option(help="Only articles of this AI Act chapter (roman numeral, e.g. III).")
    ] = "",
    objective: Annotated[
        str,
        typer.Option(
            help="Only this ISO/IEC 42001 objective or clause and what is under it (e.g. A.6)."
        ),
    ] = "",
    tier: Annotated[
        Tier | None,
        typer.Option(help="Only articles concerning this risk tier (and those for all tiers)."),
    ] = None,
) -> None:
    """ISO/IEC 42001 clauses and controls <-> AI Act articles, edges coloured by relation.

    Articles with no ISO counterpart are highlighted red. Unknown filter values exit 1.
    """
    if chapter and not _ROMAN.match(chapter.upper()):
        raise typer.BadParameter(f"{chapter!r} is not a roman chapter number such as III")
    from graph.views import crosswalk_graph

    graph = crosswalk_graph(
        state(ctx).reader(),
        chapter=chapter.upper(),
        objective=objective,
        tier=tier.value if tier else "",
    )
    _write(graph, output)


@view_app.command("asset")
def view_asset(
    ctx: typer.Context,
    asset: Annotated[str, typer.Argument(help="AI system id.")],
    output: Output,
    as_of: AsOf = None,
) -> None:
    """One AI system's trace: articles, ISO elements, controls, evidence, owners and its gaps.

    Coverage green/amber/red, stale evidence amber, fresh green, gaps as red nodes.
    """
    from api.session import gap_context
    from graph.views import asset_graph

    day = parse_date(as_of) or dt.date.today()
    graph = asset_graph(state(ctx).reader(), asset, day, gap_context=gap_context(day))
    _write(graph, output)


@view_app.command("owner")
def view_owner(
    ctx: typer.Context,
    owner: Annotated[str, typer.Argument(help="Owner id.")],
    output: Output,
    as_of: AsOf = None,
) -> None:
    """One owner's workload: their AI systems, controls, datasets, evidence and open gaps."""
    from api.session import gap_context
    from graph.views import owner_graph

    day = parse_date(as_of) or dt.date.today()
    graph = owner_graph(state(ctx).reader(), owner, day, gap_context=gap_context(day))
    _write(graph, output)


def dashboard(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder to write (an earlier export is replaced)."),
    ],
    as_of: AsOf = None,
) -> None:
    """Write the browser dashboard as offline HTML pages for the quarterly pack.

    The overview, the heatmap of articles by systems, gaps, owners, the crosswalk, one page per AI
    system and one per applicable article of it (up to 500 systems), with plotly.js copied beside
    them: open index.html from disk, no server or network needed. Served live by `serve` at /ui.
    """
    from api.cli.common import clausegraph
    from api.dashboard.export import export

    day = parse_date(as_of) or dt.date.today()
    summary = export(clausegraph(state(ctx).reader()), output, day)
    err_console.print(f"wrote {output}/index.html: {summary['pages']} pages, "
                      f"{summary['systems']} of {summary['systems_in_store']} systems")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(view_app, name="view")
    app.command()(dashboard)
