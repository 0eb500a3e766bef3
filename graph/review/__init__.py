"""Quarterly review: snapshots, diffs, what starts to apply, and evidence bundles.

The modules take a store (and, where gaps matter, the gaps already found by the caller, so this
package needs no catalog loading of its own) and return plain rows:

* :mod:`~graph.review.snapshots` — record one review day as a JSON file; list and find them;
* :mod:`~graph.review.diff` — what changed between two snapshots;
* :mod:`~graph.review.applies` — which articles start to apply between two dates;
* :mod:`~graph.review.bundle` / :mod:`~graph.review.bundle_verify` — the regulator's bundle;
* :mod:`~graph.review.review_report` — the quarterly report (Markdown + HTML);
* :mod:`~graph.review.frames` — the same as pandas DataFrames (optional dependency).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.review import frames, review_report
from graph.review.applies import applies_between
from graph.review.bundle import write_bundle
from graph.review.bundle_verify import verify_bundle
from graph.review.diff import SnapshotDiff, diff_snapshots
from graph.review.errors import (
    BundleInvalid,
    ReviewError,
    SnapshotAmbiguous,
    SnapshotExists,
    SnapshotNotFound,
)
from graph.review.snapshots import (
    Snapshot,
    build_snapshot,
    check_label,
    list_snapshots,
    load_snapshot,
    reports_dir,
    resolve_snapshot,
    save_snapshot,
    settings_reports_dir,
)

if TYPE_CHECKING:
    from pandas import DataFrame as DataFrame  # re-exported for api/session.py annotations

__all__ = [
    "BundleInvalid",
    "ReviewError",
    "Snapshot",
    "SnapshotAmbiguous",
    "SnapshotDiff",
    "SnapshotExists",
    "SnapshotNotFound",
    "applies_between",
    "build_snapshot",
    "check_label",
    "diff_snapshots",
    "frames",
    "list_snapshots",
    "load_snapshot",
    "reports_dir",
    "resolve_snapshot",
    "review_report",
    "save_snapshot",
    "settings_reports_dir",
    "verify_bundle",
    "write_bundle",
]
