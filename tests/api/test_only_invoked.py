"""api/cli's ``only_invoked``: the console entry point builds only the command it runs, and a
user cannot tell — every command's help and usage errors read exactly as from the full app,
and anything that is not a command name is answered by the full app."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from api.cli import app, invoked_name, only_invoked


def _every_command_path() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


PATHS = _every_command_path()


def _run(target: typer.Typer, args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(target, args, env={"COLUMNS": "100"})
    return result.exit_code, result.output


def test_the_walk_found_the_commands_and_groups() -> None:
    names = {p[0] for p in PATHS}
    assert {"coverage", "gaps", "audit", "finding", "load"} <= names
    assert ["audit", "verify"] in PATHS


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_reads_the_same_as_from_the_full_app(path: list[str]) -> None:
    args = ["--db", "unused.db", *path, "--help"]
    narrow = only_invoked(app, args)
    assert narrow is not app
    assert len(narrow.registered_commands) + len(narrow.registered_groups) == 1
    assert _run(narrow, args) == _run(app, args)


@pytest.mark.parametrize("path", [p for p in PATHS if len(p) == 1], ids=" ".join)
def test_a_usage_error_reads_the_same(path: list[str]) -> None:
    args = [*path, "--no-such-option"]
    code, out = _run(only_invoked(app, args), args)
    assert code == 2
    assert (code, out) == _run(app, args)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["coverage", "a", "14"], "coverage"),
        (["--db", "x.db", "gaps"], "gaps"),
        (["--db=x.db", "--actor", "ann", "audit", "verify"], "audit"),
        (["--actor=ann", "findings", "--db", "y"], "findings"),
        (["--help"], None),
        (["--db", "x.db"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_invoked_name_skips_the_roots_own_options(args: list[str], name: str | None) -> None:
    assert invoked_name(args) == name


@pytest.mark.parametrize("args", [["--help"], ["covrage", "a", "14"], [], ["--db", "x"]])
def test_anything_but_a_command_name_gets_the_full_app(args: list[str]) -> None:
    assert only_invoked(app, args) is app


def test_a_misspelt_command_keeps_typers_suggestion() -> None:
    code, out = _run(only_invoked(app, ["covrage"]), ["covrage"])
    assert code == 2
    assert "coverage" in out


def test_the_full_app_is_untouched() -> None:
    before = (list(app.registered_commands), list(app.registered_groups))
    only_invoked(app, ["coverage"])
    assert (app.registered_commands, app.registered_groups) == before
