"""The rooms' import rules, read from the source with ``ast`` (nothing is imported).

Every import counts, including ones inside functions and under ``TYPE_CHECKING``: a lazy import
still ties two modules together, and the change-event work depends on a one-way ingest path.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("graph", "queries", "loaders", "api", "synth")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for room in ROOMS for p in sorted((ROOT / room).rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it (None: the graph is acyclic)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def _edge_ignoring_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop edges into a package's own ``__init__`` from inside it (a re-export, not a step)."""
    return {name: {m for m in deps if not name.startswith(m + ".")} for name, deps in graph.items()}


def test_no_import_cycles() -> None:
    cycle = _cycle(_edge_ignoring_packages(_graph()))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _room(module: str) -> str:
    return module.split(".")[0]


def _violations(lower: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{name} imports {dep}"
        for name, deps in _graph().items()
        if _room(name) == lower
        for dep in deps
        if _room(dep) in forbidden
    )


def test_lower_rooms_never_import_higher() -> None:
    for lower in ("graph", "queries"):
        assert _violations(lower, {"loaders", "api", "synth"}) == []


def test_queries_never_import_graph() -> None:
    assert _violations("queries", {"graph"}) == []


def test_checker_sees_a_planted_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_checker_resolves_relative_and_from_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    mod = pkg / "one.py"
    mod.write_text("from . import two\nfrom pkg.three import x\ndef f():\n    import pkg.four\n")
    known = {"pkg", "pkg.one", "pkg.two", "pkg.three", "pkg.four"}
    assert _imports("pkg.one", mod, known) == {"pkg", "pkg.two", "pkg.three", "pkg.four"}
