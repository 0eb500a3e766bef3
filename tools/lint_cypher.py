"""Lint every Cypher statement the product can send to Neo4j with Neo4j's own linter.

That is: every shared ``queries/**/*.cypher`` file, every ``queries/<ns>/neo4j/*.cypher`` variant,
and every statement generated from the schema for Neo4j (upserts, deletes, counts) or from
an anchored query (its scoped twin). The schema
(labels, relationship types with endpoints, property keys) is handed to the linter so unknown
names are reported too. LadybugDB variants are not linted for Neo4j: they never run there.

Usage: python tools/lint_cypher.py [--keep DIR]
Exit status: 0 clean, 1 diagnostics, 2 the linter could not run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tools" / "cypher-lint" / "lint.mjs"
sys.path.insert(0, str(ROOT))

from graph.cypher_gen import generated_queries, lint_schema  # noqa: E402
from queries.registry import Registry  # noqa: E402


def files_to_lint(workdir: Path) -> list[Path]:
    reg = Registry()
    files = [q.path for q in reg.all() if q.store in (None, "neo4j")]
    gen_dir = workdir / "generated"
    gen_dir.mkdir()
    for g in generated_queries("neo4j"):
        path = gen_dir / f"{g.name.lower()}.cypher"
        path.write_text(f"// name: {g.name.lower()}\n// generated from graph/schema.py\n{g.text}\n")
        files.append(path)
    for q in reg.scoped():  # the scoped twins of anchored queries (queries/registry.py)
        path = gen_dir / f"{q.qualified.replace('.', '_')}.cypher"
        header = f"// name: {q.name}\n// generated: scoped twin of {q.path.name}\n"
        path.write_text(header + q.text + "\n")
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the schema and generated files here")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not (LINTER.parent / "node_modules").is_dir():
        sys.stderr.write("cypher-lint: needs node and `npm ci` in tools/cypher-lint\n")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        schema_path = workdir / "schema.json"
        schema_path.write_text(json.dumps(lint_schema(write_lock=True), indent=2))
        files = files_to_lint(workdir)
        cmd = [node, str(LINTER), "--schema", str(schema_path), *map(str, files)]
        return subprocess.run(cmd, check=False).returncode  # noqa: S603 - our own argv


if __name__ == "__main__":
    sys.exit(main())
