"""api/cli/plain_values.py coerces every parameter of the real CLI exactly as typer's own
(pydantic) path does: the same value, or the same error, for good and bad input."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import _coercion, core
from typer._click import Context

from api.cli import app, plain_values


def _params() -> Iterator[tuple[str, Any, Any]]:
    def walk(cmd: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
        for p in cmd.params:
            yield f"{path} {p.name}", cmd, p
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "clausegraph")


def _samples(annotation: Any, tmp: Path) -> list[Any]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [m.value for m in annotation]
        return [*values, values[0].upper(), next(iter(annotation)), "no-such-choice", 3]
    by_type: dict[Any, list[Any]] = {
        str: ["x", "", "ünï", 5, b"bytes"],
        bool: [True, False, "true", "no"],
        int: ["7", "-3", "+4", "007", "0", "70000", " 8", "1_000", "1.5", "abc", 12, True],
        Path: [str(tmp / "missing"), str(tmp), str(tmp / "file.txt"), tmp, "-", 5],
        list[str]: [("a", "b"), ["c"], (), ("a", 1)],
    }
    return by_type[annotation]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except Exception as e:  # the error, as the user would read it
        message = e.format_message() if hasattr(e, "format_message") else str(e)
        return type(e).__name__, message


def test_install_patches_typer_once() -> None:
    plain_values.install()
    assert getattr(core.build_runtime_param, "plain", False)  # type: ignore[attr-defined]
    assert plain_values.install() is False  # already in place: installs nothing twice


PARAMS = list(_params())


@pytest.mark.parametrize(("where", "cmd", "param"), PARAMS, ids=[w for w, _, _ in PARAMS])
def test_plain_values_are_typers_values(where: str, cmd: Any, param: Any, tmp_path: Path) -> None:
    plain_values.install()
    (tmp_path / "file.txt").write_text("x")
    descriptor = param.type_descriptor
    plain = core.build_runtime_param(descriptor)  # type: ignore[attr-defined]
    typers = _coercion.build_runtime_param(descriptor)
    ctx = Context(cmd)
    for value in _samples(descriptor.annotation, tmp_path):
        assert _outcome(plain, value, param, ctx) == _outcome(typers, value, param, ctx), value


def test_every_parameter_takes_the_plain_path() -> None:
    """No parameter of this CLI needs pydantic (a new kind would cost start-up time)."""
    plain_values.install()
    build = core.build_runtime_param  # type: ignore[attr-defined]
    assert {type(build(p.type_descriptor)).__name__ for _, _, p in PARAMS} == {"PlainFirst"}
