"""The named-query registry: ``queries/<namespace>/<name>.cypher`` files, checked when loaded.

A file looks like::

    // name: asset_without_tier
    // params: as_of
    // Assets whose risk tier is not assigned.
    MATCH (a:Asset) WHERE a.risk_tier IS NULL ...

* the folder is the namespace, so the file above is ``gaps.asset_without_tier``;
* ``name`` must equal the file's stem; ``params`` lists every ``$param`` the body uses, no more;
* the other header lines are the description shown by ``clausegraph queries`` and the docs;
* the header is stripped, so the engines get the body only; comments inside the body are refused;
* ``queries/<namespace>/<store>/<name>.cypher`` is a per-store variant, preferred for that store.
  A variant without a shared twin must say why in a ``// variant-only: <reason>`` line.
* ``// anchor: a:Asset`` says every row is about one node ``a`` of that label (the body binds
  it first as ``(a:Asset)``, WITH clauses start a line); the registry then also serves
  ``<namespace>.<name>.scoped``, the same query for the nodes whose ``id`` is in ``$keys``
  (the rows of changed subjects only; docs/architecture.md, "Named queries").

Every error names ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import LiteralString

from queries.errors import QueryDefinitionError, QueryNotFound

QUERY_ROOT = Path(__file__).resolve().parent
STORES = ("ladybug", "neo4j")
_HEADER = re.compile(r"^//\s*(name|params|variant-only|anchor):\s*(.*)$")
_ANCHOR = re.compile(r"^([a-z][A-Za-z0-9_]*):([A-Z][A-Za-z0-9]*)$")
SCOPED = ".scoped"  # the suffix of an anchored query's scoped twin
ONE = ".one"  # the suffix of its one-key twin
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RETURN = re.compile(r"\bRETURN\s+(?:DISTINCT\s+)?")


@dataclass(frozen=True)
class Query:
    namespace: str
    name: str
    params: tuple[str, ...]
    doc: str
    text: LiteralString
    path: Path
    store: str | None = None  # None: shared by both stores
    variant_only: str | None = None
    anchor: tuple[str, str] | None = None  # (variable, label) every row is about

    def scoped(self) -> Query:
        """The same query restricted to the anchor nodes whose id is in ``$keys`` (distinct):
        ``UNWIND $keys AS k``, the anchor's first binding keyed by ``{id: k}``, ``k`` carried
        through every ``WITH`` (LadybugDB 0.22 cannot plan a node bound by ``{id: k}`` once
        ``k`` is out of scope: "Cannot evaluate expression with type VARIABLE") and returned
        first, as ``anchor_key``. Keyed where the anchor is bound, so the engine never scans
        its table (docs/architecture.md)."""
        if self.anchor is None:
            raise QueryDefinitionError(f"{self.path}:1: {self.qualified} has no '// anchor:'")
        var, label = self.anchor
        # var and label matched _ANCHOR and the body is a shipped file: never user input
        bind: LiteralString = "(" + var + ":" + label
        at = self.text.index(bind) + len(bind)
        body: LiteralString = self.text[:at] + " {id: k}" + self.text[at:]
        text: LiteralString = "UNWIND $keys AS k\n" + body.replace("\nWITH ", "\nWITH k, ")
        # the key as the first column, so rows of many anchors can be told apart (graph/gaprows)
        at = [m.end() for m in _RETURN.finditer(text)][-1]
        text = text[:at] + "k AS anchor_key, " + text[at:]
        return replace(self, name=self.name + SCOPED, params=("keys", *self.params), text=text)

    def one(self) -> Query:
        """The scoped twin for one anchor, ``$key``: the anchor bound by ``{id: $key}`` itself.
        LadybugDB 0.22 plans that as a primary-key scan and extends from it, while a key that
        comes from ``UNWIND`` (or ``WITH $key AS k``) is joined against a scan of the pattern's
        other tables: 3 ms against 217 ms for `log_retention_too_short` at 100,000 systems
        (docs/performance.md, "Kept gap report")."""
        if self.anchor is None:
            raise QueryDefinitionError(f"{self.path}:1: {self.qualified} has no '// anchor:'")
        var, label = self.anchor
        bind: LiteralString = "(" + var + ":" + label  # checked by _ANCHOR; a shipped file
        at = self.text.index(bind) + len(bind)
        text: LiteralString = self.text[:at] + " {id: $key}" + self.text[at:]
        at = [m.end() for m in _RETURN.finditer(text)][-1]
        text = text[:at] + "$key AS anchor_key, " + text[at:]
        return replace(self, name=self.name + ONE, params=("key", *self.params), text=text)

    @property
    def qualified(self) -> str:
        return f"{self.namespace}.{self.name}"


def parse_query_file(path: Path, namespace: str, store: str | None = None) -> Query:
    """Parse and check one file; raise :class:`QueryDefinitionError` naming ``file:line``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, tuple[str, int]] = {}
    doc: list[str] = []
    body_start = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("//"):
            body_start = i
            break
        m = _HEADER.match(stripped)
        if m:
            meta[m.group(1)] = (m.group(2).strip(), i + 1)
        elif stripped != "//":
            doc.append(stripped[2:].strip())
    where = f"{path}"
    if "name" not in meta:
        raise QueryDefinitionError(f"{where}:1: missing '// name:' header line")
    name, name_line = meta["name"]
    if name != path.stem or not _NAME.match(name):
        raise QueryDefinitionError(
            f"{where}:{name_line}: name {name!r} must equal the file name {path.stem!r} "
            "and be lower_snake_case"
        )
    declared_text, params_line = meta.get("params", ("", 1))
    declared = tuple(p.strip().lstrip("$") for p in declared_text.split(",") if p.strip())
    body_lines = lines[body_start:]
    for j, line in enumerate(body_lines, start=body_start + 1):
        if line.strip().startswith("//"):
            raise QueryDefinitionError(f"{where}:{j}: comments belong in the header only")
    body = "\n".join(body_lines).strip()
    if not body:
        raise QueryDefinitionError(f"{where}:{len(lines)}: the query body is empty")
    used: dict[str, int] = {}
    for j, line in enumerate(body_lines, start=body_start + 1):
        for m in _PARAM.finditer(_STRING.sub("''", line)):
            used.setdefault(m.group(1), j)
    for p, j in used.items():
        if p not in declared:
            raise QueryDefinitionError(
                f"{where}:{j}: ${p} is used but not declared in '// params:'"
            )
    for p in declared:
        if p not in used:
            raise QueryDefinitionError(f"{where}:{params_line}: param {p!r} is declared but unused")
    if len(set(declared)) != len(declared):
        raise QueryDefinitionError(f"{where}:{params_line}: a param is declared twice")
    variant_only = meta["variant-only"][0] if "variant-only" in meta else None
    anchor = _anchor(meta["anchor"], body, where) if "anchor" in meta else None
    if anchor is not None and "keys" in declared:
        raise QueryDefinitionError(f"{where}:{params_line}: an anchored query cannot use $keys")
    # The one audited place where file text becomes query text (LiteralString): it comes from
    # .cypher files shipped in this package, never from user input.
    text: LiteralString = body
    return Query(namespace, name, declared, " ".join(doc), text, path, store, variant_only, anchor)


def _anchor(value: tuple[str, int], body: str, where: str) -> tuple[str, str]:
    text, line = value
    m = _ANCHOR.match(text)
    if m is None:
        raise QueryDefinitionError(f"{where}:{line}: anchor {text!r} must look like 'a:Asset'")
    bind = f"({m.group(1)}:{m.group(2)}"
    if bind not in body:
        raise QueryDefinitionError(f"{where}:{line}: the body never binds ({text}")
    if not body[body.index(bind) + len(bind) :].startswith(")"):
        raise QueryDefinitionError(f"{where}:{line}: the first {bind} must have no properties")
    return m.group(1), m.group(2)


class Registry:
    """All queries under one root, resolved per store (store variant first, then shared)."""

    def __init__(self, root: Path = QUERY_ROOT) -> None:
        self.root = root
        self.shared: dict[str, Query] = {}
        self.variants: dict[tuple[str, str], Query] = {}
        for path in sorted(root.rglob("*.cypher")):
            parts = path.relative_to(root).parts
            if len(parts) == 2:
                q = parse_query_file(path, parts[0])
                self.shared[q.qualified] = q
            elif len(parts) == 3 and parts[1] in STORES:
                q = parse_query_file(path, parts[0], parts[1])
                self.variants[(parts[1], q.qualified)] = q
            else:
                raise QueryDefinitionError(
                    f"{path}:1: expected queries/<namespace>/<name>.cypher or "
                    f"queries/<namespace>/<{'|'.join(STORES)}>/<name>.cypher"
                )
        for (store, qname), q in self.variants.items():
            twin = self.shared.get(qname)
            if twin is None and not q.variant_only:
                raise QueryDefinitionError(
                    f"{q.path}:1: {store} variant has no shared twin; "
                    "add the shared query or a '// variant-only: <reason>' line"
                )
            if twin is not None and twin.params != q.params:
                raise QueryDefinitionError(
                    f"{q.path}:1: params {q.params} differ from the shared twin's {twin.params}"
                )

    def get(self, name: str, store: str) -> Query:
        if name.endswith(SCOPED):
            return self.get(name.removesuffix(SCOPED), store).scoped()
        if name.endswith(ONE):
            return self.get(name.removesuffix(ONE), store).one()
        q = self.variants.get((store, name)) or self.shared.get(name)
        if q is None:
            known = ", ".join(sorted(self.names())) or "none"
            raise QueryNotFound(f"no query named {name!r} for store {store!r} (known: {known})")
        return q

    def names(self) -> set[str]:
        return set(self.shared) | {n for _, n in self.variants}

    def all(self) -> list[Query]:
        return sorted(
            [*self.shared.values(), *self.variants.values()],
            key=lambda q: (q.qualified, q.store or ""),
        )

    def scoped(self) -> list[Query]:
        """The scoped and one-key twins of every anchored query (generated: not files of their
        own)."""
        return [t for q in self.all() if q.anchor is not None for t in (q.scoped(), q.one())]


@cache
def default_registry() -> Registry:
    """The package's queries, loaded (and checked) once per process on first use."""
    return Registry()
