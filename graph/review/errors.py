"""The review package's errors; all are :class:`graph.errors.ClausegraphError` (CLI exit 1)."""

from __future__ import annotations

from graph.errors import ClausegraphError


class ReviewError(ClausegraphError):
    """A review operation cannot be carried out (bad label, bad date range, bad output path)."""


class SnapshotNotFound(ReviewError):
    """No snapshot with that label (or more than one matches a short label)."""


class SnapshotAmbiguous(SnapshotNotFound):
    """More than one snapshot matches a short label."""


class SnapshotExists(ReviewError):
    """A snapshot with that label exists already; snapshots are not overwritten silently."""


class BundleInvalid(ReviewError):
    """A bundle cannot be read: no manifest, or a manifest that is not a clausegraph bundle."""
