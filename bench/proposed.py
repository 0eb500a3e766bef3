"""Proposed rewrites of shared queries, timed by bench.explain next to the originals.

Not used by the product: measured proposals (docs/performance.md), so a reviewer can see what a
change would buy before ``queries/`` is touched. Each entry: name -> (Cypher text, parameters it
takes from {asset, article, controls, periods}).

Adopted and removed from here (perf-queries): the system's own evidence reached from the system
and organisation-level evidence through the derived ``SUPPORTS_ORG`` edge
(``queries/coverage/evidence.cypher``); the single-pass ``evidence_stale``
(``queries/gaps/evidence_stale.cypher``, since reworked to walk from the systems). Measured and
dropped: ``direct_controls`` keyed on the asset first (no gain over ``coverage.controls``).
"""

from __future__ import annotations

PROPOSED: dict[str, tuple[str, tuple[str, ...]]] = {}
