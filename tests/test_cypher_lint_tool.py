"""Tests for tools/cypher-lint/lint.mjs, run for real through node.

The linter is Neo4j's @neo4j-cypher/language-support, pinned in
tools/cypher-lint/package.json; `npm ci` in that folder installs it.
Each node run costs ~1 s to load the package plus ~1 s for the first
query, so the cases are batched: one run over all clean files, one over
all broken files, and a few cheap runs for the usage errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TOOL_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = TOOL_DIR / "lint.mjs"
NODE = shutil.which("node")

if NODE is None:
    pytest.skip("node is not on PATH: cannot run tools/cypher-lint", allow_module_level=True)
if not (TOOL_DIR / "node_modules").is_dir():
    pytest.skip(
        "tools/cypher-lint/node_modules is missing: run `npm ci` in tools/cypher-lint",
        allow_module_level=True,
    )

SCHEMA: dict[str, object] = {
    "labels": ["Asset", "Control", "Evidence"],
    "relationshipTypes": ["SUPPORTS", "APPLIES_TO"],
    "propertyKeys": ["id", "name", "collected_on"],
    "graphSchema": [
        {"from": "Evidence", "to": "Control", "relType": "SUPPORTS"},
        {"from": "Control", "to": "Asset", "relType": "APPLIES_TO"},
    ],
    "parameters": {},
}

# Query files written for a test run, keyed by file stem.
Files = dict[str, Path]

HEADER = "// name: test.{name}\n// params: as_of\n// A test query.\n"

# Files that must lint clean (all in one node run).
CLEAN_QUERIES: dict[str, str] = {
    "valid": (
        "MATCH (e:Evidence)-[:SUPPORTS]->(c:Control)\n"
        "WHERE e.collected_on <= $as_of\n"
        "RETURN c.id AS id, count(e) AS evidence\n"
        "ORDER BY id\n"
    ),
    "exists_subquery": (
        "MATCH (c:Control)\nWHERE EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset) }\nRETURN c.id AS id\n"
    ),
    "count_subquery_zero": (
        "MATCH (c:Control)\n"
        "WHERE COUNT { MATCH (c)-[:APPLIES_TO]->(:Asset) } = 0\n"
        "RETURN c.id AS id\n"
    ),
    "is_not_null": "MATCH (c:Control)\nWHERE c.name IS NOT NULL\nRETURN c.id AS id\n",
    "scoped_call": (
        "MATCH (c:Control)\n"
        "CALL (c) {\n"
        "  MATCH (e:Evidence)-[:SUPPORTS]->(c)\n"
        "  RETURN max(e.collected_on) AS latest\n"
        "}\n"
        "RETURN c.id AS id, latest\n"
    ),
}

# Files with findings (all in one node run), keyed by file stem.
BROKEN_QUERIES: dict[str, str] = {
    # Line 6 of the file: 3 header lines, then MATCH, WHERE, and the typo.
    "syntax_error": "MATCH (c:Control)\nWHERE c.id = 1\nRETRUN c\n",
    "unknown_label": "MATCH (w:Widget)\nRETURN w.id AS id\n",
    "unknown_property": "MATCH (c:Control)\nRETURN c.colour AS colour\n",
    "exists_property": "MATCH (c:Control)\nWHERE exists(c.name)\nRETURN c.id AS id\n",
    "size_pattern": "MATCH (c:Control)\nRETURN size((c)-[:APPLIES_TO]->()) AS n\n",
    "reversed_relationship": "MATCH (a:Asset)-[:APPLIES_TO]->(c:Control)\nRETURN a.id AS id\n",
    "unscoped_call": (
        "MATCH (c:Control)\n"
        "CALL { WITH c MATCH (c)-[:APPLIES_TO]->(a:Asset) RETURN count(a) AS n }\n"
        "RETURN c.id AS id, n\n"
    ),
    "not_exists_false_positive": (
        "MATCH (c:Control)\n"
        "WHERE NOT EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset) }\n"
        "RETURN c.id AS id\n"
    ),
    "header_only": "",
}

DIAGNOSTIC_RE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|warning): (?P<message>.*)$"
)
SUMMARY_RE = re.compile(r"^cypher-lint: (\d+) files, (\d+) errors, (\d+) warnings$", re.MULTILINE)


@dataclass(frozen=True)
class Diagnostic:
    path: Path
    line: int
    col: int
    kind: str
    message: str


@dataclass(frozen=True)
class LintRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for raw in self.stdout.splitlines():
            match = DIAGNOSTIC_RE.match(raw)
            if match is not None:
                found.append(
                    Diagnostic(
                        path=Path(match["path"]),
                        line=int(match["line"]),
                        col=int(match["col"]),
                        kind=match["kind"],
                        message=match["message"],
                    )
                )
        return found

    def for_file(self, path: Path) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]

    @property
    def summary(self) -> tuple[int, int, int]:
        match = SUMMARY_RE.search(self.stdout)
        assert match is not None, f"no summary line in:\n{self.stdout}\n{self.stderr}"
        return int(match[1]), int(match[2]), int(match[3])


def run_lint(*args: str | Path) -> LintRun:
    assert NODE is not None
    proc = subprocess.run(
        [NODE, str(LINT_SCRIPT), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return LintRun(proc.returncode, proc.stdout, proc.stderr)


def write_queries(directory: Path, queries: dict[str, str]) -> Files:
    directory.mkdir(parents=True, exist_ok=True)
    paths: Files = {}
    for name, body in queries.items():
        path = directory / f"{name}.cypher"
        path.write_text(HEADER.format(name=name) + body, encoding="utf-8")
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean_files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return write_queries(tmp_path_factory.mktemp("clean"), CLEAN_QUERIES)


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return write_queries(tmp_path_factory.mktemp("broken"), BROKEN_QUERIES)


@pytest.fixture(scope="module")
def clean_run(schema_path: Path, clean_files: Files) -> LintRun:
    return run_lint("--schema", schema_path, *clean_files.values())


@pytest.fixture(scope="module")
def broken_run(schema_path: Path, broken_files: Files) -> LintRun:
    return run_lint("--schema", schema_path, *broken_files.values())


def test_valid_queries_with_header_pass(clean_run: LintRun, clean_files: Files) -> None:
    assert clean_run.returncode == 0, clean_run.stdout + clean_run.stderr
    assert clean_run.diagnostics == []
    assert clean_run.summary == (len(clean_files), 0, 0)


def test_undeclared_parameters_are_not_reported(clean_run: LintRun) -> None:
    # `valid` uses $as_of while the schema declares no parameters.
    assert "Parameter" not in clean_run.stdout


def test_broken_run_exits_1_with_summary(broken_run: LintRun, broken_files: Files) -> None:
    assert broken_run.returncode == 1, broken_run.stdout + broken_run.stderr
    files, errors, warnings = broken_run.summary
    assert files == len(broken_files)
    kinds = [d.kind for d in broken_run.diagnostics]
    assert (errors, warnings) == (kinds.count("error"), kinds.count("warning"))
    for name, path in broken_files.items():
        assert broken_run.for_file(path), f"{name} produced no diagnostic"


def test_syntax_error_names_file_and_line(broken_run: LintRun, broken_files: Files) -> None:
    path = broken_files["syntax_error"]
    first = broken_run.for_file(path)[0]
    assert first.kind == "error"
    assert (first.line, first.col) == (6, 1)
    assert "Invalid input 'RETRUN'" in first.message
    assert f"{path}:6:1: error: Invalid input 'RETRUN'" in broken_run.stdout


def test_unknown_label_is_a_warning(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["unknown_label"])
    assert [(d.kind, d.line, d.col) for d in found] == [("warning", 4, 10)]
    assert found[0].message.startswith("Label Widget is not present in the database")


def test_unknown_property_is_a_warning(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["unknown_property"])
    assert [(d.kind, d.line) for d in found] == [("warning", 5)]
    assert found[0].message.startswith("colour is not present in the database")


def test_exists_on_property_fails(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["exists_property"])
    assert [(d.kind, d.line, d.col) for d in found] == [("error", 5, 7)]
    assert "exists(variable.property)` is no longer supported" in found[0].message


def test_size_of_pattern_fails(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["size_pattern"])
    assert [(d.kind, d.line) for d in found] == [("error", 5)]
    assert "replace size() with COUNT {}" in found[0].message


def test_relationship_against_graph_schema_warns(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["reversed_relationship"])
    assert [d.kind for d in found] == ["warning", "warning"]
    assert {d.message for d in found} == {
        "[:APPLIES_TO] has no incoming (:Asset)",
        "(:Control) has no incoming [:APPLIES_TO]",
    }


def test_call_without_variable_scope_is_deprecated(
    broken_run: LintRun, broken_files: Files
) -> None:
    found = broken_run.for_file(broken_files["unscoped_call"])
    assert [(d.kind, d.line) for d in found] == [("warning", 5)]
    assert "CALL subquery without a variable scope clause is deprecated" in found[0].message


def test_not_exists_false_positive_is_still_there(broken_run: LintRun, broken_files: Files) -> None:
    # Known false positive of the pinned linter (see README): NOT EXISTS { }
    # negates the inner pattern's types. If this starts failing after an
    # upgrade, the COUNT { } = 0 workaround is no longer needed.
    found = broken_run.for_file(broken_files["not_exists_false_positive"])
    expected = [("warning", "[:!APPLIES_TO] has no incoming (:Control)")]
    assert [(d.kind, d.message) for d in found] == expected


def test_header_only_file_is_an_error(broken_run: LintRun, broken_files: Files) -> None:
    found = broken_run.for_file(broken_files["header_only"])
    expected = [("error", 1, "no Cypher statement after the header")]
    assert [(d.kind, d.line, d.message) for d in found] == expected


def test_missing_schema_option_is_a_usage_error(clean_files: Files) -> None:
    result = run_lint(clean_files["valid"])
    assert result.returncode == 2
    assert "--schema" in result.stderr


def test_no_files_is_a_usage_error(schema_path: Path) -> None:
    result = run_lint("--schema", schema_path)
    assert result.returncode == 2


def test_malformed_schema_is_a_usage_error(tmp_path: Path, clean_files: Files) -> None:
    bad_schema = tmp_path / "schema.json"
    bad_schema.write_text(json.dumps({"labels": "Asset"}), encoding="utf-8")
    result = run_lint("--schema", bad_schema, clean_files["valid"])
    assert result.returncode == 2
    assert '"labels" must be a list of strings' in result.stderr


def test_unreadable_file_exits_2(tmp_path: Path, schema_path: Path) -> None:
    missing = tmp_path / "missing.cypher"
    result = run_lint("--schema", schema_path, missing)
    assert result.returncode == 2
    assert f"cannot read {missing}" in result.stderr
