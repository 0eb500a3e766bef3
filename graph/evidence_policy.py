"""Which evidence must carry a sha256 and a version wherever it lives — the one per-kind policy.

Records the AI Act requires to be kept unaltered and traceable (logs, Art. 12, 19(1), 26(6);
assessments, FRIAs, test reports, technical documentation, Art. 11, 18, 27; registrations and
notifications, Art. 49, 73; oversight and training records, Art. 4, 14, 26(2); declarations of
conformity, Art. 47) cannot be checked against tampering or told apart from a later edition
without a hash and a version, whether the item is a local file or an entry in someone else's
system (ISO/IEC 42001 7.5.2 identification, 7.5.3 protection of integrity). Such an item is
*unverifiable*: the gap rule ``evidence_without_version_or_hash`` flags it and coverage treats it
as at most partial support. Plain ``document`` and ``other`` items need a hash only when they are
a local file (checked by the gap rule as before), and every item should carry a version.
"""

from __future__ import annotations

from functools import cache

RECORD_KINDS: frozenset[str] = frozenset(
    {"log", "technical_documentation", "test_report", "assessment", "fria", "registration",
     "notification", "training_record", "oversight_record", "conformity_declaration"}
)  # fmt: skip

REQUIRES_HASH: frozenset[str] = RECORD_KINDS
REQUIRES_VERSION: frozenset[str] = RECORD_KINDS


def unverifiable(kind: str, sha256: str | None, version: str | None) -> str | None:
    """Why an item of ``kind`` cannot be verified (no hash / no version), or None if it can."""
    return _unverifiable(kind, bool(sha256), bool(version))


@cache  # a handful of distinct answers; the report asks once per evidence item (1.27M at 100k)
def _unverifiable(kind: str, has_hash: bool, has_version: bool) -> str | None:
    no_hash = not has_hash and kind in REQUIRES_HASH
    no_version = not has_version and kind in REQUIRES_VERSION
    if not (no_hash or no_version):
        return None
    missing = " or ".join(w for w, m in (("sha256", no_hash), ("version", no_version)) if m)
    return f"{kind} evidence without {missing}"


def hygiene(
    kind: str, sha256: str | None, version: str | None, local_path: str | None
) -> str | None:
    """What ``evidence_without_version_or_hash`` reports for an item, or None if nothing."""
    reason = _unverifiable(kind, bool(sha256), bool(version))
    if reason is not None:
        return reason
    if local_path is not None and not sha256:
        return "local file without a declared sha256"
    return "no version" if not version else None
