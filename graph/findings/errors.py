"""The findings' errors: unknown id (404), a refused transition (422), a stale one (409)."""

from __future__ import annotations

from graph.coverage import NotFound
from graph.errors import ClausegraphError, StaleWrite


class FindingNotFound(NotFound):
    """No finding has that id."""


class TransitionRefused(ClausegraphError):
    """The transition breaks a rule: a red-line acceptance, an assignee verifying their own fix,
    a missing note or justification, an expiry past the maximum (CLI exit 12, HTTP 422)."""


class StaleFinding(StaleWrite):
    """The finding changed since the caller read it (another version), or its state no longer
    allows the transition (CLI exit 13, HTTP 409)."""


class TransitionForbidden(TransitionRefused):
    """The actor may not make it: a role below the one needed, an assignee or fixer verifying
    their own fix, an approver approving their own request (HTTP 403)."""
