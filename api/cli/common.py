"""What every command shares: exit codes, the store from the global options, output formats."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from graph import safe_cells
from graph.errors import (
    ClausegraphError,
    InvalidParameters,
    LoadValidationError,
    NotLoaded,
    QueryDefinitionError,
    QueryNotFound,
    SchemaMismatch,
    StaleWrite,
    StoreLocked,
    StoreUnavailable,
)

if TYPE_CHECKING:  # imported when a command runs: `--help` stays fast (bench/startup.py)
    from api.session import Clausegraph
    from graph.settings import Settings
    from graph.stores import Store

err_console = Console(stderr=True, soft_wrap=True)


class ExitCode(IntEnum):
    """Exit codes, documented in docs/cli.md so pipelines can branch on them."""

    OK = 0
    ERROR = 1  # any other clausegraph error
    BAD_ARGS = 2  # wrong command-line usage (typer/click's own code)
    INVALID_INPUT = 3  # an input batch failed validation; nothing was written
    RED_LINE_GAPS = 4  # `gaps` found red-line gaps
    STORE_UNAVAILABLE = 5  # the store cannot be opened/reached, or is locked by a writer
    SCHEMA_MISMATCH = 6  # the store was created with a different schema
    UNKNOWN_QUERY = 7  # no named query by that name, or a malformed .cypher file
    INVALID_PARAMETERS = 8  # a query was called with wrong parameters
    NOT_LOADED = 9  # the store lacks the catalogs or inventory the report needs
    AUDIT_BROKEN = 10  # `audit verify`: the log's hash chain does not match (docs/audit.md)
    FINDINGS_OVERDUE = 11  # `findings`: overdue findings listed (no red-line ones; those exit 4)
    TRANSITION_REFUSED = 12  # `finding …`: the transition breaks a rule (docs/remediation.md)
    STALE_FINDING = 13  # `finding …`: it changed since --version, or its state forbids it


def exit_code_for(error: ClausegraphError) -> ExitCode:
    from graph.findings.errors import TransitionRefused

    table: list[tuple[type[ClausegraphError], ExitCode]] = [
        (TransitionRefused, ExitCode.TRANSITION_REFUSED),
        (StaleWrite, ExitCode.STALE_FINDING),
        (LoadValidationError, ExitCode.INVALID_INPUT),
        (StoreUnavailable, ExitCode.STORE_UNAVAILABLE),
        (SchemaMismatch, ExitCode.SCHEMA_MISMATCH),
        (QueryNotFound, ExitCode.UNKNOWN_QUERY),
        (QueryDefinitionError, ExitCode.UNKNOWN_QUERY),
        (InvalidParameters, ExitCode.INVALID_PARAMETERS),
        (NotLoaded, ExitCode.NOT_LOADED),
    ]
    for cls, code in table:
        if isinstance(error, cls):
            return code
    return ExitCode.ERROR


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Answer as of this date (YYYY-MM-DD); default today.")
]


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@dataclass
class AppState:
    settings: Settings
    _store: Store | None = None

    def store(self) -> Store:
        """The store for a command that writes (LadybugDB: takes the one writer's lock)."""
        if self._store is None:
            from graph.stores import open_store

            self._store = open_store(self.settings)
            self._store.apply_schema()
        return self._store

    def reader(self) -> Store:
        """The store for a command that only reads. LadybugDB opens it read-only, so it works
        while a writer (`clausegraph serve`, a load) holds it; a missing or empty store exits 9.
        """
        if self._store is None:
            from graph.stores import open_store

            self._store = open_store(self.settings, read_only=True)
            self._store.apply_schema()  # read-only: checks, creates nothing
        return self._store

    def register(self) -> Store:
        """The writer's store for a report that also reconciles the findings; the read-only
        store (and a note) while another process holds the writer's lock. A missing LadybugDB
        store is not created (the read-only open reports it: exit 9)."""
        if self.settings.store_kind == "ladybug" and not self.settings.db.exists():
            return self.reader()
        try:
            return self.store()
        except StoreLocked:
            err_console.print("note: the store is locked by a writer; findings not reconciled")
            return self.reader()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def clausegraph(store: Store) -> Clausegraph:
    """The Python API over ``store`` (imported on first use, not at start-up)."""
    from api.session import Clausegraph

    return Clausegraph(store)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)  # set by the root callback  # noqa: S101
    return obj


@contextmanager
def open_state(settings: Settings) -> Iterator[AppState]:
    st = AppState(settings)
    try:
        yield st
    finally:
        st.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def emit(rows: Sequence[dict[str, Any]], fmt: Format, *, title: str = "") -> None:
    """Print rows in the chosen format; JSON is the stable contract (dates as ISO strings)."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(list(rows), indent=2, default=str) + "\n")
        return
    columns = list(rows[0].keys()) if rows else []
    if fmt is Format.csv:  # one writer for every CSV/Markdown: no cell runs as a formula
        sys.stdout.write(safe_cells.csv_text(rows, columns))
        return
    if fmt is Format.md:
        sys.stdout.write(safe_cells.md_table(rows, columns) + "\n")
        return
    if not rows:  # an empty Rich table prints only blank lines
        typer.echo(f"{title}: none" if title else "(none)")
        return
    table = Table(title=title or None, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(_cell(r[c]) for c in columns))
    # Piped output (logs, CI) gets a wide table instead of Rich's 80-column default.
    Console(width=None if sys.stdout.isatty() else 160).print(table)
