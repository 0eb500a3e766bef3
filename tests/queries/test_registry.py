"""The registry loads every shipped file and refuses malformed ones with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import QueryDefinitionError, QueryNotFound
from queries.registry import Registry, default_registry, parse_query_file


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_query_loads_with_header() -> None:
    reg = Registry()
    assert reg.all(), "no queries found"
    for q in reg.all():
        assert q.doc, f"{q.path}: add a description line to the header"
        assert "//" not in q.text.splitlines()[0]


def test_header_is_stripped_and_params_parsed(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "gaps/x.cypher",
        "// name: x\n// params: a, b\n// Finds x.\n// Second line.\n"
        "MATCH (n) WHERE n.a = $a\nRETURN $b AS b\n",
    )
    q = parse_query_file(p, "gaps")
    assert q.qualified == "gaps.x"
    assert q.params == ("a", "b")
    assert q.doc == "Finds x. Second line."
    assert q.text == "MATCH (n) WHERE n.a = $a\nRETURN $b AS b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("MATCH (n) RETURN n\n", r"x\.cypher:1: missing '// name:'"),
        ("// name: y\nRETURN 1\n", r"x\.cypher:1: name 'y' must equal the file name 'x'"),
        ("// name: x\n// params:\n// d\nRETURN $a\n", r"x\.cypher:4: \$a is used but not declared"),
        (
            "// name: x\n// params: a, b\n// d\nRETURN $a\n",
            r"x\.cypher:2: param 'b' is declared but unused",
        ),
        (
            "// name: x\n// d\nMATCH (n)\n// inner\nRETURN n\n",
            r"x\.cypher:4: comments belong in the header",
        ),
        ("// name: x\n// d\n", r"x\.cypher:2: the query body is empty"),
        ("// name: x\n// anchor: Asset\nMATCH (a:Asset) RETURN a\n", r"x\.cypher:2: anchor"),
        (
            "// name: x\n// anchor: e:Evidence\nMATCH (a:Asset) RETURN a\n",
            r"x\.cypher:2: the body never binds \(e:Evidence",
        ),
        (
            "// name: x\n// anchor: a:Asset\nMATCH (a:Asset {id: 'x'}) RETURN a\n",
            r"x\.cypher:2: the first \(a:Asset must have no properties",
        ),
        (
            "// name: x\n// params: keys\n// anchor: a:Asset\n"
            "MATCH (a:Asset) WHERE a.id IN $keys RETURN a\n",
            r"x\.cypher:2: an anchored query cannot use \$keys",
        ),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    p = write(tmp_path, "ns/x.cypher", text)
    with pytest.raises(QueryDefinitionError, match=message):
        parse_query_file(p, "ns")


def test_dollar_inside_string_literal_is_not_a_param(tmp_path: Path) -> None:
    p = write(tmp_path, "ns/x.cypher", "// name: x\n// d\nRETURN '$notaparam' AS s\n")
    assert parse_query_file(p, "ns").params == ()


def test_store_variant_wins_for_its_store_only(tmp_path: Path) -> None:
    write(tmp_path, "ns/q.cypher", "// name: q\n// shared\nRETURN 1 AS v\n")
    write(tmp_path, "ns/ladybug/q.cypher", "// name: q\n// ladybug\nRETURN 2 AS v\n")
    reg = Registry(tmp_path)
    assert reg.get("ns.q", "ladybug").text == "RETURN 2 AS v"
    assert reg.get("ns.q", "neo4j").text == "RETURN 1 AS v"
    with pytest.raises(
        QueryNotFound, match=r"no query named 'ns.z' for store 'neo4j' \(known: ns.q\)"
    ):
        reg.get("ns.z", "neo4j")


def test_variant_needs_a_twin_or_a_reason(tmp_path: Path) -> None:
    write(tmp_path, "ns/neo4j/q.cypher", "// name: q\n// only\nRETURN 1 AS v\n")
    with pytest.raises(QueryDefinitionError, match="variant has no shared twin"):
        Registry(tmp_path)
    write(
        tmp_path,
        "ns/neo4j/q.cypher",
        "// name: q\n// variant-only: uses a Neo4j procedure\n// only\nRETURN 1 AS v\n",
    )
    assert Registry(tmp_path).get("ns.q", "neo4j").variant_only == "uses a Neo4j procedure"


def test_variant_params_must_match_twin(tmp_path: Path) -> None:
    write(tmp_path, "ns/q.cypher", "// name: q\n// params: a\n// d\nRETURN $a AS v\n")
    write(tmp_path, "ns/ladybug/q.cypher", "// name: q\n// d\nRETURN 1 AS v\n")
    with pytest.raises(QueryDefinitionError, match="differ from the shared twin"):
        Registry(tmp_path)


def test_misplaced_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a/b/c/q.cypher", "// name: q\n// d\nRETURN 1\n")
    with pytest.raises(QueryDefinitionError, match=r"expected queries/<namespace>/<name>\.cypher"):
        Registry(tmp_path)


def test_shipped_variants_are_listed() -> None:
    """Every shipped variant has a twin or a reason (checked on load) — and there are few."""
    reg = default_registry()
    assert len(reg.variants) <= len(reg.shared) // 4 + 1


def test_anchored_query_has_a_scoped_twin(tmp_path: Path) -> None:
    write(tmp_path, "ns/q.cypher", "// name: q\n// params: t\n// anchor: a:Asset\n// d\n"
          "MATCH (a:Asset) WHERE a.t = $t RETURN a.id AS id\n")  # fmt: skip
    reg = Registry(tmp_path)
    twin = reg.get("ns.q.scoped", "ladybug")
    assert twin.params == ("keys", "t")
    assert (
        twin.text == "UNWIND $keys AS k\n"
        "MATCH (a:Asset {id: k}) WHERE a.t = $t RETURN k AS anchor_key, a.id AS id"
    )
    one = reg.get("ns.q.one", "ladybug")
    assert one.params == ("key", "t")
    assert one.text == (
        "MATCH (a:Asset {id: $key}) WHERE a.t = $t RETURN $key AS anchor_key, a.id AS id"
    )
    assert [q.qualified for q in reg.scoped()] == ["ns.q.scoped", "ns.q.one"]
    write(tmp_path, "ns/p.cypher", "// name: p\n// d\nRETURN 1 AS v\n")
    with pytest.raises(QueryDefinitionError, match="has no '// anchor:'"):
        Registry(tmp_path).get("ns.p.scoped", "neo4j")
