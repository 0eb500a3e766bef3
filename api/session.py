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
from typing import TYPE_CHECKING, Any

from graph.coverage import coverage, kept_answer_json, trace, traces
from graph.gaps import Gap, GapContext, find_gaps
from graph.readiness import require_loaded
from graph.settings import Settings, date_reading_from_env
from graph.stores import Store, open_store

# graph.review and the loaders are imported by the methods that use them: a `coverage` call
# does not pay for snapshots, catalogs, pyarrow and numpy.
if TYPE_CHECKING:
    from graph import review
    from graph.audit.changes import Bound
    from graph.findings import Finding, ReconcileReport
    from graph.findings.query import Filters
    from graph.findings.transitions import Request
    from graph.settings import FindingsSettings
    from loaders.evidence_verify import VerifyResult
    from loaders.inventory import LoadReport, Progress


def gap_context(as_of: dt.date | None = None, log_max_age_days: int = 30) -> GapContext:
    """The report's date plus the legal numbers, taken from the AI Act catalog (data, not code)."""
    from loaders.catalog import shipped_catalogs

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
        date_reading=date_reading_from_env(),
        article_dates={a.number: (a.applies_from, a.applies_from_annex_i) for a in aia.articles},
    )


def refresh_gap_rows(store: Store, day: dt.date, *, rebuild: bool = False) -> int:
    """Bring the maintained gap rows (graph/gaprows) to the log's head for a report on ``day``;
    how many (query, subject) pairs were re-run (every pair when they are built or re-dated)."""
    from graph.gaprows import model

    return model.update(store, gap_context(day), rebuild=rebuild).recomputed


class Clausegraph:
    def __init__(self, store: Store, findings_policy: FindingsSettings | None = None) -> None:
        self.store = store
        self._policy = findings_policy

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
        from loaders.catalog import load_catalogs

        return load_catalogs(self.store)

    def load_inventory(
        self, path: str | Path, *, prune: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        from loaders.inventory import load_inventory

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
        from graph.gapreport import keeper

        require_loaded(self.store, inventory=True)
        if asset:
            self.require_asset(asset)
        ctx = gap_context(as_of, log_max_age_days)
        if (rules or asset or severity) and not keeper.holds(self.store, ctx):
            from graph.gaprows import model  # one question: run only the rules it needs

            rows_of = model.rows_source(self.store, ctx)  # the maintained rows, when current
            return find_gaps(self.store, ctx, rules=rules, asset=asset, severity=severity,
                             rows_of=rows_of)  # fmt: skip
        return self.filter_gaps(keeper.gaps(self.store, ctx), rules=rules, asset=asset,
                                severity=severity)  # fmt: skip

    def gaps_as_of_state(
        self,
        at: str,
        as_of: dt.date | None = None,
        *,
        rules: list[str] | None = None,
        asset: str | None = None,
        severity: str | None = None,
        log_max_age_days: int = 30,
    ) -> list[Gap]:
        """The gap report against the register as it stood at ``at`` (ISO UTC 'Z'), rebuilt by
        replaying the audit log into a temporary LadybugDB; ``as_of`` is the legal calendar
        date (default: the date of ``at``)."""
        import tempfile

        from graph.audit.replay import state_at, state_batch

        day = as_of or dt.date.fromisoformat(at[:10])
        with tempfile.TemporaryDirectory(prefix="clausegraph-state-") as tmp:
            past = open_store(Settings(store="ladybug", db=Path(tmp) / "state.db"))
            try:
                past.apply_schema()
                past.write(state_batch(state_at(self.store, at)))
                return Clausegraph(past).gaps(day, rules=rules, asset=asset, severity=severity,
                                              log_max_age_days=log_max_age_days)  # fmt: skip
            finally:
                past.close()

    # -- findings (graph/findings; docs/remediation.md) ------------------------------------------

    @property
    def findings_policy(self) -> FindingsSettings:
        if self._policy is None:
            from graph.settings import FindingsSettings

            self._policy = FindingsSettings()
        return self._policy

    def reconcile(
        self, gaps: list[Gap] | None = None, today: dt.date | None = None,
        *, log_max_age_days: int = 30,
    ) -> ReconcileReport:  # fmt: skip
        """Bring the findings in line with the current gaps (all of them, unfiltered)."""
        ctx = gap_context(today, log_max_age_days)
        if gaps is not None:
            from graph.findings import reconcile

            return reconcile(self.store, gaps, ctx, self.findings_policy, today=ctx.as_of)
        from graph.gapreport import keeper

        return keeper.reconciled(self.store, ctx, self.findings_policy, ctx.as_of)[1]

    def gaps_reconciled(
        self, as_of: dt.date | None = None, *, log_max_age_days: int = 30
    ) -> tuple[list[Gap], ReconcileReport | None]:
        """All gaps; the findings are reconciled when the report is for today (a report for
        another date is a question, not the register's state). Both come from the report this
        process keeps (graph/gapreport), patched by the writes since its last use."""
        if as_of not in (None, dt.date.today()) or getattr(self.store, "read_only", False):
            return self.gaps(as_of, log_max_age_days=log_max_age_days), None
        from graph.gapreport import keeper

        require_loaded(self.store, inventory=True)
        ctx = gap_context(as_of, log_max_age_days)
        return keeper.reconciled(self.store, ctx, self.findings_policy, ctx.as_of)

    @staticmethod
    def filter_gaps(
        gaps: list[Gap], *, rules: list[str] | None = None, asset: str | None = None,
        severity: str | None = None,
    ) -> list[Gap]:  # fmt: skip
        """The same selection as :func:`graph.gaps.find_gaps`'s filters, on a full report."""
        return [g for g in gaps if (not rules or g.rule in rules)
                and (not severity or g.severity == severity)
                and (not asset or g.asset == asset or asset in g.systems)]  # fmt: skip

    def no_articles_reason(self, asset: str) -> str:
        """Why the system is subject to no article (an empty :meth:`trace`)."""
        from graph.coverage import no_articles_reason

        return no_articles_reason(self.store, asset)

    def require_asset(self, asset: str) -> None:
        """NotFound unless the AI system exists: a filter on a mistyped id must not read as a
        clean report ("0 gaps") in a CI gate."""
        from graph.coverage import NotFound

        if not self.store.present("Asset", [asset]):
            raise NotFound(f"no asset {asset!r}")

    def reconcile_after_load(self) -> ReconcileReport | None:
        """Reconcile after a load or ingest; nothing to do while catalogs or systems are missing."""
        from graph.errors import NotLoaded

        try:
            require_loaded(self.store, inventory=True)
        except NotLoaded:
            return None
        return self.reconcile()

    def findings(
        self, filters: Filters | None = None, today: dt.date | None = None
    ) -> list[Finding]:
        """The findings the filters select (default: all), overdue first, then by severity and
        due date."""
        from graph.findings.query import Filters, listed

        return listed(self.store, filters or Filters(), today or dt.date.today())

    def remediation_metrics(
        self, today: dt.date | None = None, expiring_within: int = 30
    ) -> dict[str, Any]:
        """Open findings by severity, owner and rule, overdue, exposure, time to close,
        regressions and expiring acceptances (graph/findings/metrics.py)."""
        from graph.findings.metrics import remediation_metrics

        return remediation_metrics(self.store, today or dt.date.today(), expiring_within)

    def findings_frame(
        self, filters: Filters | None = None, today: dt.date | None = None
    ) -> review.DataFrame:
        """:meth:`findings` as a DataFrame, one row per finding (with ``overdue``)."""
        from graph import review

        day = today or dt.date.today()
        return review.frames.frame([f.to_dict(day) for f in self.findings(filters, day)])

    def remediation_frame(self, today: dt.date | None = None) -> review.DataFrame:
        """Per severity: findings to act on, overdue, closed, mean and median days to close
        (from :meth:`remediation_metrics`), most severe first."""
        from graph import review

        m = self.remediation_metrics(today)
        open_ = {r["key"]: r["count"] for r in m["open_by_severity"]}
        late = {r["key"]: r["count"] for r in m["overdue_by_severity"]}
        closed = {r["severity"]: r for r in m["time_to_close"]}
        rows = [{"severity": s, "open": open_.get(s, 0), "overdue": late.get(s, 0),
                 "closed": closed.get(s, {}).get("closed", 0),
                 "mean_days_to_close": closed.get(s, {}).get("mean_days"),
                 "median_days_to_close": closed.get(s, {}).get("median_days")}
                for s in ("critical", "high", "medium", "low")]  # fmt: skip
        return review.frames.frame(rows)

    def closure_frame(self) -> review.DataFrame:
        """Per month: findings to act on at its start, opened, reopened, resolved, accepted,
        marked false positive, the closure rate and the median days to close, replayed from the
        change log (graph/findings/flow.py)."""
        from graph import review
        from graph.findings.flow import COLUMNS, closure_by_month

        return review.frames.frame(closure_by_month(self.store), COLUMNS)

    def digest(
        self, today: dt.date | None = None, within_days: int = 14, owner: str = ""
    ) -> list[dict[str, Any]]:
        """Per owner: findings overdue and due soon, regressions, acceptances and evidence
        expiring (graph/findings/digest.py)."""
        from graph.findings.digest import digest

        return digest(self.store, today or dt.date.today(), within_days, owner)

    def finding(self, finding_id: str) -> Finding:
        from graph.findings import io

        return io.get(self.store, finding_id)

    def finding_story(self, finding_id: str) -> dict[str, Any]:
        """The finding, its transitions (the change log) and the changes that resolved it."""
        from graph.findings import query

        return query.story(self.store, finding_id)

    def transition(
        self, finding_id: str, name: str, request: Request, today: dt.date | None = None
    ) -> Finding:
        from graph.findings import transition

        return transition(self.store, finding_id, name, request, today=today,
                          policy=self.findings_policy)  # fmt: skip

    def coverage(self, asset: str, article: str, as_of: dt.date | None = None) -> dict[str, Any]:
        return coverage(self.store, asset, article, as_of, date_reading_from_env())

    def coverage_now_json(self, asset: str, article: str, as_of: dt.date) -> str | None:
        """``coverage`` as JSON text if the read model answers it at once (an idle read
        connection, the model current for ``as_of``), else None: an async route then asks
        ``coverage`` on a worker thread. (A keyed read is ≈ 0.1 ms; the thread hop, and
        decoding the answer into Python only to validate and encode it again, cost more.)"""
        return kept_answer_json(self.store, asset, article, as_of, date_reading_from_env())

    def trace(self, asset: str, as_of: dt.date | None = None) -> list[dict[str, Any]]:
        return trace(self.store, asset, as_of, date_reading_from_env())

    def traces(
        self, assets: list[str], as_of: dt.date | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """``trace`` for several systems in a few reads (unknown ids get no rows)."""
        return traces(self.store, assets, as_of, date_reading_from_env())

    def verify_evidence(self, today: dt.date | None = None) -> list[VerifyResult]:
        from loaders.evidence_verify import verify_evidence

        return verify_evidence(self.store, today)

    # -- quarterly review (graph/review; docs/review.md) ----------------------------------------
    # Data frames need pandas (extra "notebook"); it is imported only when a *_frame is called.

    def gaps_frame(
        self,
        as_of: dt.date | None = None,
        *,
        rules: list[str] | None = None,
        asset: str | None = None,
        severity: str | None = None,
        log_max_age_days: int = 30,
    ) -> review.DataFrame:
        """The gap report as a DataFrame: one row per gap, most severe first."""
        from graph import review

        found = self.gaps(as_of, rules=rules, asset=asset, severity=severity,
                          log_max_age_days=log_max_age_days)  # fmt: skip
        return review.frames.gaps_frame(found)

    def trace_frame(self, asset: str, as_of: dt.date | None = None) -> review.DataFrame:
        """Every article the AI system is subject to and its coverage verdict, as a DataFrame."""
        from graph import review

        return review.frames.frame(self.trace(asset, as_of), review.frames.TRACE_COLUMNS)

    def reports_dir(self, reports: Path | None = None) -> Path:
        """Where snapshots live: ``reports``, $CLAUSEGRAPH_REPORTS, or ``<db>.snapshots``."""
        from graph import review

        return review.reports_dir(self.store, reports)

    def snapshot(
        self,
        label: str,
        as_of: dt.date | None = None,
        *,
        coverage: bool = True,
        force: bool = False,
        reports: Path | None = None,
        log_max_age_days: int = 30,
    ) -> review.Snapshot:
        """Record today's (or ``as_of``'s) gaps and metrics as snapshot ``label``; return it."""
        from graph import review

        day = as_of or dt.date.today()
        found, _ = self.gaps_reconciled(day, log_max_age_days=log_max_age_days)
        snap = review.build_snapshot(self.store, label, found, day, coverage=coverage)
        path = review.save_snapshot(snap, self.reports_dir(reports), force=force)
        return review.load_snapshot(path)

    def snapshots(self, reports: Path | None = None) -> list[review.Snapshot]:
        """Every snapshot, oldest review day first."""
        from graph import review

        return review.list_snapshots(self.reports_dir(reports))

    def load_snapshot(
        self, ref: str, reports: Path | None = None, *, paths: bool = True
    ) -> review.Snapshot:
        """A snapshot by label, unique label suffix ('Q3') or (unless ``paths=False``) path."""
        from graph import review

        return review.resolve_snapshot(self.reports_dir(reports), ref, paths=paths)

    def snapshots_frame(self, reports: Path | None = None) -> review.DataFrame:
        """The trend: one row per snapshot with gap counts per severity and stale evidence."""
        from graph import review

        return review.frames.trend_frame(self.snapshots(reports))

    def diff(
        self, before: str, after: str, reports: Path | None = None, *, paths: bool = True
    ) -> review.SnapshotDiff:
        """What changed from snapshot ``before`` to ``after`` (labels, suffixes or, unless
        ``paths=False``, paths)."""
        from graph import review

        folder = self.reports_dir(reports)
        history = review.list_snapshots(folder)
        a = review.resolve_snapshot(folder, before, history, paths=paths)
        b = review.resolve_snapshot(folder, after, history, paths=paths)
        return review.diff_snapshots(a, b, history)

    def diff_frame(self, before: str, after: str, reports: Path | None = None) -> review.DataFrame:
        """The diff as one flat row per change (column ``change`` names the section)."""
        from graph import review

        return review.frames.frame(self.diff(before, after, reports).rows())

    def applies(
        self, start: dt.date, end: dt.date, asset: str | None = None
    ) -> list[dict[str, Any]]:
        """Per AI system, the articles that apply on ``end`` and did not yet on ``start``."""
        from graph import review

        return review.applies_between(self.store, start, end, asset or "")

    def applies_frame(
        self, start: dt.date, end: dt.date, asset: str | None = None
    ) -> review.DataFrame:
        """:meth:`applies` as a DataFrame."""
        from graph import review

        return review.frames.frame(self.applies(start, end, asset))

    def bundle(
        self,
        asset: str,
        out: str | Path,
        *,
        article: str | None = None,
        as_of: dt.date | None = None,
        replace: bool = False,
    ) -> dict[str, Any]:
        """Write the regulator's evidence bundle (folder, or zip if ``out`` ends in .zip);
        ``replace`` replaces an earlier bundle in that folder."""
        from graph import review

        day = as_of or dt.date.today()
        return review.write_bundle(self.store, asset, Path(out), as_of=day, gaps=self.gaps(day),
                                   article=article, replace=replace)  # fmt: skip

    # -- the audit log (graph/audit; docs/audit.md) ---------------------------------------------

    def change_bound(
        self, ref: str, *, end: bool = False, reports: Path | None = None, paths: bool = True
    ) -> Bound:
        """A window end from a snapshot label (its recorded audit seq, else its ``taken_at``) or
        an ISO date/datetime (a date as an end: through the end of that day, UTC)."""
        from graph.audit.changes import Bound, iso_utc, parse_time

        at = parse_time(ref, end=end)
        if at is not None:
            return Bound(at=at, label=ref)
        snap = self.load_snapshot(ref, reports, paths=paths)
        if snap.audit_seq is not None:
            return Bound(seq=snap.audit_seq, label=snap.label)
        return Bound(at=iso_utc(snap.taken_at), label=snap.label)

    def changes(
        self,
        since: str,
        until: str | None = None,
        *,
        asset: str | None = None,
        article: str | None = None,
        owner: str | None = None,
        reports: Path | None = None,
        paths: bool = True,
    ) -> list[dict[str, Any]]:
        """What changed since a snapshot label or ISO date/datetime, one row per entity (its
        ``events`` newest first), including what reached ``asset`` through controls and evidence.
        ``paths=False`` (HTTP) takes snapshot labels only, never a file path."""
        from graph.audit.changes import changes
        from graph.coverage import article_key

        start = self.change_bound(since, reports=reports, paths=paths)
        stop = self.change_bound(until, end=True, reports=reports, paths=paths) if until else None
        return changes(self.store, start, stop, asset=asset, owner=owner,
                       article=article_key(article) if article else None)  # fmt: skip

    def changes_frame(
        self, since: str, until: str | None = None, **filters: Any
    ) -> review.DataFrame:
        """:meth:`changes` as a DataFrame: one row per event, with its entity and ``via``."""
        from graph import review
        from graph.audit.changes import event_rows

        return review.frames.frame(event_rows(self.changes(since, until, **filters)))

    def history(self, kind: str, key: str) -> list[dict[str, Any]]:
        """Every change to one entity and the links leaving it, newest first."""
        from graph.audit.read import history

        return history(self.store, kind, key)

    def history_frame(self, kind: str, key: str) -> review.DataFrame:
        """:meth:`history` as a DataFrame."""
        from graph import review

        return review.frames.frame(self.history(kind, key))

    def verify_bundle(self, path: str | Path) -> list[dict[str, Any]]:
        """Re-hash a bundle against its manifest: one row per file with its status."""
        from graph import review

        return review.verify_bundle(Path(path))

    def review_report(
        self,
        label: str,
        out_dir: str | Path,
        *,
        previous: str | None = None,
        charts: dict[str, Path] | None = None,
        reports: Path | None = None,
    ) -> tuple[Path, Path]:
        """Write review.md and review.html for snapshot ``label`` (and its diff to ``previous``)."""
        from graph import review

        snap = self.load_snapshot(label, reports)
        change = self.diff(previous, label, reports) if previous else None
        doc = review.review_report.review_document(snap, change, charts)
        return doc.write(Path(out_dir), "review")
