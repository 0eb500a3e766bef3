"""The root of clausegraph's exception tree and the errors of the named-query registry.

They live here, in the lowest room, so ``queries/`` needs nothing from ``graph/``;
:mod:`graph.errors` re-exports them, and callers keep importing from there.
"""

from __future__ import annotations


class ClausegraphError(Exception):
    """Root of every error clausegraph raises on purpose."""


class QueryNotFound(ClausegraphError):
    """No named query with that name (for that store)."""


class QueryDefinitionError(ClausegraphError):
    """A ``.cypher`` file is malformed: bad header, params declared but unused, or vice versa."""
