"""Command-line values coerced without pydantic, so a command starts without importing it.

Typer 0.29 coerces every value through a pydantic ``TypeAdapter``: importing pydantic and
building the adapters cost each command ≈ 100 ms of start-up (docs/performance.md). The values
this CLI takes are plain (text, integers, paths, enum choices, lists of text) and typer's own
helpers coerce them: :func:`install` routes those through the helpers and leaves everything
else, and every value the plain path does not accept as is, to typer's pydantic path, so the
results and the error messages are typer's. It reaches into typer's private modules; with a
typer that lacks them it installs nothing and typer works as shipped (only slower to start:
tests/api/test_startup_imports.py then fails, to say so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

_INT = re.compile(r"[+-]?[0-9]+")  # text that pydantic's int parsing also reads as int(text)
_NOT_PLAIN = object()


def _is_plain(annotation: Any) -> bool:
    enum = isinstance(annotation, type) and issubclass(annotation, Enum)
    return enum or annotation in (str, bool, int, Path) or annotation == list[str]


def install() -> bool:
    """Make typer try the plain coercion first; whether it could (it can only once)."""
    try:
        from typer import _coercion, core
        from typer._param_types import coerce_cli_choice, coerce_cli_path
    except ImportError:
        return False
    found = getattr(core, "build_runtime_param", None)
    if found is None or not hasattr(_coercion, "RuntimeParam") or hasattr(found, "plain"):
        return False
    typers: Callable[[Any], Any] = found  # typer's own: a pydantic-backed coercion

    def plain(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
        """``value`` coerced as typer would, or _NOT_PLAIN (typer's own path then decides)."""
        if annotation in (str, bool):
            return value if isinstance(value, annotation) else _NOT_PLAIN
        if annotation is int:
            if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, str) and _INT.fullmatch(value))
            ):
                return _NOT_PLAIN
            n, low, high = int(value), info.min, info.max
            in_range = (low is None or n >= low) and (high is None or n <= high)
            return n if in_range and not info.clamp else _NOT_PLAIN
        if annotation is Path:
            if info.path_type is not None or not isinstance(value, str | Path):
                return _NOT_PLAIN
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        if annotation == list[str]:
            ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
            return list(value) if ok else _NOT_PLAIN
        try:  # an Enum
            choices = list(annotation)
            case = info.case_sensitive
            return coerce_cli_choice(value, choices=choices, case_sensitive=case, ctx=ctx)
        except ValueError:
            return _NOT_PLAIN  # typer's own path words the error

    @dataclass(frozen=True)
    class PlainFirst(_coercion.RuntimeParam):
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            result = plain(self.annotation, self.parameter_info, value, param, ctx)
            if result is _NOT_PLAIN:
                return typers(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
            return result

    def build_runtime_param(descriptor: Any) -> Any:
        info = descriptor.parameter_info
        if (
            descriptor.file_annotation is None
            and info.parser is None
            and _is_plain(descriptor.annotation)
        ):
            return PlainFirst(info, descriptor.annotation, descriptor)
        return typers(descriptor)

    build_runtime_param.plain = True  # type: ignore[attr-defined]
    core.build_runtime_param = build_runtime_param  # type: ignore[attr-defined]
    return True
