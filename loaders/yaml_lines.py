"""Read YAML and remember the line of every mapping, so validation errors can name file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import LoadValidationError, RowError

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that stores each mapping's 1-based line under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_FastLineLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLineLoader(yaml.CSafeLoader):
        """The same, parsed by libyaml (about 6x faster)."""

    _CLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLineLoader = _CLineLoader


def load_yaml(path: Path, *, fast: bool = False) -> Any:
    """Parse a YAML file; refuse unreadable, non-UTF-8 or malformed files with file:line.

    ``fast``: parse with libyaml when available (the shipped catalogs, read on every load); a
    file it refuses is parsed again by the pure-Python parser, whose messages are the documented
    ones."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise LoadValidationError([RowError(str(path), None, None, f"cannot read: {e}")]) from None
    except UnicodeDecodeError as e:
        msg = f"not UTF-8 (byte {e.start})"
        raise LoadValidationError([RowError(str(path), None, None, msg)]) from None
    if fast and _FastLineLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        raise LoadValidationError(
            [RowError(str(path), line, None, f"bad YAML: {problem}")]
        ) from None


def strip_lines(data: Any) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Remove the ``__line__`` markers; return the clean data and {json path: line}."""
    lines: dict[tuple[Any, ...], int] = {}

    def walk(value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            if LINE_KEY in value:
                lines[path] = value[LINE_KEY]
            return {k: walk(v, (*path, k)) for k, v in value.items() if k != LINE_KEY}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        return value

    return walk(data, ()), lines


def line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest mapping on ``loc`` (a pydantic error location or json path)."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None
