"""What a crosswalk relation claims: the one place a relation becomes full/partial/none
coverage (NIST IR 8477 set-theory relations; source = ISO element, target = article). Its own
module, free of store access, so that the coverage assembly (graph/coverage_answer.py) can use
it without importing the store.
"""

from __future__ import annotations

from typing import Literal

Coverage = Literal["full", "partial", "none"]
FULL_COVERAGE = frozenset({"equal", "superset"})
PARTIAL_COVERAGE = frozenset({"subset", "intersect"})


def coverage_of(relation: str) -> Coverage:
    """What a crosswalk relation claims: full (equal, superset), partial (subset, intersect),
    or none (related: an informative link only)."""
    if relation in FULL_COVERAGE:
        return "full"
    if relation in PARTIAL_COVERAGE:
        return "partial"
    return "none"
