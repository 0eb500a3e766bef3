"""Cypher is built from identifiers in exactly one module; everything else uses $parameters."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {ROOT / "graph" / "cypher_gen.py"}
FSTRING_CYPHER = re.compile(r"""\bf(["']).*\b(MATCH|MERGE|CREATE|DELETE|SET)\b""")


def test_no_fstring_cypher_outside_cypher_gen() -> None:
    offenders = []
    for folder in ("graph", "loaders", "queries", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            if path in ALLOWED:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if FSTRING_CYPHER.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_check_would_catch_one() -> None:
    assert FSTRING_CYPHER.search('q = f"MATCH (n:{label}) RETURN n"')
    assert not FSTRING_CYPHER.search('q = "MATCH (n:Asset) RETURN n"')
