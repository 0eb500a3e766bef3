"""The Python API: what notebooks and the CLI and HTTP layers call. One object, one store.

from api.session import Clausegraph
cg = Clausegraph.open()                       # settings from the environment
cg.load_inventory("examples/acme")
cg.gaps(as_of=date(2027, 12, 2))
cg.coverage("cv-screening", "14")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph.coverage import coverage, trace
from graph.gaps import Gap, GapContext, find_gaps
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.catalog import load_catalogs, shipped_catalogs
from loaders.evidence_verify import VerifyResult, verify_evidence
from loaders.inventory import LoadReport, Progress, load_inventory


def gap_context(as_of: dt.date | None = None, log_max_age_days: int = 30) -> GapContext:
    """The report's date plus the legal numbers, taken from the AI Act catalog (data, not code)."""
    aia = shipped_catalogs().ai_act
    nums = {k.id: k.value for k in aia.key_numbers}
    days = {
        "serious": int(nums["serious_incident_days"]),
        "death": int(nums["serious_incident_death_days"]),
        "widespread_infringement": int(nums["serious_incident_widespread_or_critical_days"]),
        "critical_infrastructure": int(nums["serious_incident_widespread_or_critical_days"]),
    }
    months = int(nums["log_retention_min_months"])
    return GapContext(
        as_of=as_of or dt.date.today(),
        log_max_age_days=log_max_age_days,
        min_log_retention_days=-(-months * 365 // 12),  # 6 months -> 183 days, rounded up
        incident_days=days,
        article_dates={a.number: (a.applies_from, a.applies_from_annex_i) for a in aia.articles},
    )


class Clausegraph:
    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, settings: Settings | None = None) -> Clausegraph:
        store = open_store(settings or Settings())
        store.apply_schema()
        return cls(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Clausegraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load_catalogs(self) -> dict[str, int]:
        return load_catalogs(self.store)

    def load_inventory(
        self, path: str | Path, *, prune: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        return load_inventory(self.store, Path(path), prune=prune, progress=progress)

    def gaps(
        self,
        as_of: dt.date | None = None,
        *,
        rules: list[str] | None = None,
        asset: str | None = None,
        severity: str | None = None,
        log_max_age_days: int = 30,
    ) -> list[Gap]:
        ctx = gap_context(as_of, log_max_age_days)
        return find_gaps(self.store, ctx, rules=rules, asset=asset, severity=severity)

    def coverage(self, asset: str, article: str, as_of: dt.date | None = None) -> dict[str, Any]:
        return coverage(self.store, asset, article, as_of)

    def trace(self, asset: str, as_of: dt.date | None = None) -> list[dict[str, Any]]:
        return trace(self.store, asset, as_of)

    def verify_evidence(self, today: dt.date | None = None) -> list[VerifyResult]:
        return verify_evidence(self.store, today)
