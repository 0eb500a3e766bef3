"""The ``clausegraph`` command line: a thin layer over graph/, loaders/ and queries/."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from api.cli import (
    admin,
    audit,
    catalog,
    findings,
    inventory,
    keys,
    plain_values,
    readmodel,
    review,
    synth,
    views,
)
from api.cli.common import AppState, err_console, exit_code_for
from api.cli.demo import demo
from api.cli.mcp import mcp
from api.cli.serve import serve
from graph.audit.events import Source, acting, new_batch_id, resolve_actor
from graph.errors import ClausegraphError

app = typer.Typer(
    name="clausegraph",
    help="Trace the EU AI Act and ISO/IEC 42001 to your AI systems, evidence and owners, "
    "and find every broken link.",
    epilog="Exit codes: 0 ok; 1 error; 2 bad arguments or settings; 3 invalid input (nothing "
    "written); 4 red-line gaps found; 5 store unavailable or locked; 6 store schema mismatch; "
    "7 unknown query; 8 invalid query parameters; 9 store not loaded (no catalogs, or no AI "
    "systems for a gap report); 10 audit log hash chain broken; 11 overdue findings; 12 "
    "finding transition refused; 13 finding changed meanwhile (stale version or state).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="LadybugDB store path (default: $CLAUSEGRAPH_DB or ./clausegraph.db). "
            "Ignored when NEO4J_URI is set.",
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Who makes this change, for the audit log (default: $CLAUSEGRAPH_ACTOR, "
            "else the OS user).",
        ),
    ] = None,
) -> None:
    """Settings come from the environment (CLAUSEGRAPH_*, NEO4J_*) and these options."""
    from graph.settings import Settings, SettingsError

    try:
        settings = Settings(db=db) if db is not None else Settings()
    except SettingsError as e:
        raise typer.BadParameter(f"invalid settings: {e}") from None
    command = ctx.invoked_subcommand or ""
    ctx.with_resource(
        acting(Source(actor=resolve_actor(actor), command=command, batch_id=new_batch_id()))
    )
    state = AppState(settings)
    ctx.obj = state
    ctx.call_on_close(state.close)


admin.register(app)
audit.register(app)
catalog.register(app)
findings.register(app)
inventory.register(app)
views.register(app)
keys.register(app)
readmodel.register(app)
synth.register(app)
review.register(app)
app.command()(demo)
app.command()(serve)
app.command()(mcp)


def main() -> None:
    """Console entry point: clausegraph errors become one line on stderr and an exit code.

    Click's standalone mode still handles usage errors (exit 2), --help and typer.Exit.
    """
    plain_values.install()  # no pydantic for plain values: ≈ 100 ms less start-up
    try:
        only_invoked(app, sys.argv[1:])()
    except ClausegraphError as e:
        err_console.print(Text("error: ", style="bold red") + Text(str(e)))
        sys.exit(exit_code_for(e))


ROOT_VALUE_OPTIONS = ("--db", "--actor")  # the root callback's options that take a value


def invoked_name(args: list[str]) -> str | None:
    """The top-level command ARGS name, after the root's own options; None for anything else
    (no command, ``--help``, an option the root does not know: the full app answers those)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ROOT_VALUE_OPTIONS:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in ROOT_VALUE_OPTIONS)):
            i += 1
        else:
            return None if arg.startswith("-") else arg
    return None


def only_invoked(full: typer.Typer, args: list[str]) -> typer.Typer:
    """``full`` with only the command or group ARGS invoke, so typer builds one click command
    instead of all of them (≈ 20 ms of start-up); ``full`` itself when the name is not one of
    its commands, so unknown names get typer's usual error and suggestions."""
    name = invoked_name(args)

    def named(info: typer.models.CommandInfo) -> str:
        return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]

    commands = [c for c in full.registered_commands if named(c) == name]
    groups = [g for g in full.registered_groups if g.name == name]
    if not commands and not groups:
        return full
    narrow = copy.copy(full)  # the lists are replaced, not mutated: ``full`` is untouched
    narrow.registered_commands, narrow.registered_groups = commands, groups
    return narrow
