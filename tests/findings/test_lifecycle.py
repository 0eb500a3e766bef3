"""A finding's life on the sample organisation, on a real store: routing, due dates, resolution
only through the graph (naming the change), sign-off rules, acceptance, regression."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.audit.events import Source, acting
from graph.findings import StaleFinding, TransitionRefused, io
from graph.findings.errors import TransitionForbidden
from graph.findings.log import story
from graph.findings.transitions import Request, transition
from graph.settings import FindingsSettings
from graph.stores import DeleteNodes, Store, WriteBatch
from tests.findings.conftest import DAY, EVIDENCE_C31, ingest, run

C31 = "control_without_evidence:C-31"


def test_routing_rule_owner_asset_owner_and_triage(acme: Store) -> None:
    got = {f.id: (f.assignee, f.routed_by) for f in io.all_findings(acme).values()}
    assert got[C31] == ("luc.dubois", "rule_owner")  # the control's owner
    # evidence nobody owns goes to the owner of the AI system it concerns
    assert got["evidence_without_owner:E-106"] == ("luc.dubois", "asset_owner")
    # an unowned system, control or dataset: nobody is named, so the triage owner
    triage = FindingsSettings().triage_owner
    assert got["asset_without_owner:shadow-meeting-notes"] == (triage, "triage")
    assert got["control_without_owner:C-24"] == (triage, "triage")
    assert all(assignee for assignee, _ in got.values())  # never nobody


def test_due_dates_sla_versus_legal_deadline(acme: Store) -> None:
    fs = io.all_findings(acme)
    medium = fs[C31]
    assert (medium.due, medium.due_source) == (DAY + dt.timedelta(days=90), "sla")
    # the sample's incidents became known before Art. 73 binds their systems: no finding
    assert not [f for f in fs if f.startswith("incident_not_notified:")]
    # readiness: the article applies on 2027-12-02, later than the 30-day SLA
    reg = fs["high_risk_without_registration:life-health-pricing"]
    assert (reg.due, reg.due_source, reg.legal_deadline) == (
        DAY + dt.timedelta(days=30),
        "sla",
        dt.date(2027, 12, 2),
    )
    assert fs["prohibited_practice_in_use:emotion-monitor"].due_source == "legal"
    # the readiness gap's obligation is still ahead: not in force (no red-line exit for it)
    assert not reg.in_force(DAY) and medium.in_force(DAY)


def test_incident_due_is_the_art_73_deadline(acme_literal: Store) -> None:
    fs = io.all_findings(acme_literal)
    # Art. 73: a serious incident must be notified within 15 days of awareness (2026-10-20)
    inc = fs["incident_not_notified:INC-2026-003"]
    assert (inc.due, inc.due_source) == (dt.date(2026, 11, 4), "legal") and inc.in_force(DAY)
    # widespread infringement: 2 days from awareness on 2026-10-01
    assert fs["incident_not_notified:INC-2026-002"].due == dt.date(2026, 10, 3)


def test_a_short_sla_beats_a_later_legal_date(store: Store) -> None:
    from api.session import Clausegraph
    from tests.findings.conftest import ACME

    Clausegraph(store).load_catalogs()
    Clausegraph(store).load_inventory(ACME)
    run(store, DAY, FindingsSettings(sla_critical_days=1, sla_high_days=1))
    reg = io.get(store, "high_risk_without_registration:life-health-pricing")
    assert (reg.due, reg.due_source) == (DAY + dt.timedelta(days=1), "sla")


def test_sla_settings_keep_the_red_line_shortest() -> None:
    with pytest.raises(ValueError, match="critical <= high"):
        FindingsSettings(sla_critical_days=40, sla_high_days=30)


def test_resolved_only_by_the_graph_naming_the_change(acme: Store, tmp_path: Path) -> None:
    before = io.get(acme, C31)
    assert before.state == "open" and before.version == 1
    ingest(acme, tmp_path, "alice", EVIDENCE_C31)
    report = run(acme, DAY + dt.timedelta(days=1))
    assert C31 in report.resolved
    f = io.get(acme, C31)
    assert f.state == "resolved" and f.resolved_at == DAY + dt.timedelta(days=1)
    assert f.resolved_by == ("alice",)
    causes = {(e["kind"], e["key"]) for e in _events(acme, f.resolved_by_seq)}
    assert ("SUPPORTS(Evidence->Control)", "E-900->C-31") in causes
    # nothing else changed: a second reconcile writes nothing
    head = _head(acme)
    assert run(acme, DAY + dt.timedelta(days=1)).summary() == "findings: no change"
    assert _head(acme) == head


def test_nobody_can_mark_a_finding_resolved(acme: Store) -> None:
    assert "resolve" not in __import__("graph.findings", fromlist=["TRANSITIONS"]).TRANSITIONS
    with pytest.raises(TransitionRefused, match="unknown transition"):
        transition(acme, C31, "resolve", Request(actor="luc.dubois"), today=DAY)


def test_assignee_and_fixer_cannot_verify(acme: Store, tmp_path: Path) -> None:
    with pytest.raises(StaleFinding, match="is open; verify needs it to be resolved"):
        transition(acme, C31, "verify", Request(actor="bob", note="ok"), today=DAY)
    ingest(acme, tmp_path, "alice", EVIDENCE_C31)
    run(acme, DAY)
    for who, why in (("luc.dubois", "is the assignee"), ("alice", "made the change")):
        with pytest.raises(TransitionForbidden, match=why):
            transition(acme, C31, "verify", Request(actor=who, note="looks fine"), today=DAY)
    with pytest.raises(TransitionRefused, match="needs a note"):
        transition(acme, C31, "verify", Request(actor="bob"), today=DAY)
    with pytest.raises(TransitionForbidden, match="needs the approver role"):
        transition(acme, C31, "verify", Request(actor="bob", role="analyst", note="x"))
    f = transition(acme, C31, "verify", Request(actor="bob", note="report read"), today=DAY)
    assert (f.state, f.verified_by) == ("verified", "bob")
    assert _states(acme, C31) == ["open", "resolved", "verified"]


def test_red_line_acceptance_is_refused(acme: Store) -> None:
    fid = "prohibited_practice_in_use:emotion-monitor"
    req = Request(actor="bob", justification="needed", compensating="none",
                  expires=DAY + dt.timedelta(days=30))  # fmt: skip
    with pytest.raises(TransitionRefused, match=r"red line .*cannot be risk-accepted"):
        transition(acme, fid, "accept", req, today=DAY)
    assert io.get(acme, fid).state == "open" and io.get(acme, fid).version == 1


def test_acceptance_rules_and_expiry_reactivates(acme: Store) -> None:
    fid = "evidence_stale:E-073"
    ok = Request(actor="bob", justification="vendor audit pending", compensating="C-05 review",
                 expires=DAY + dt.timedelta(days=10), requested_by="pieter.devries")  # fmt: skip
    with pytest.raises(TransitionForbidden, match="requested the acceptance"):
        transition(acme, fid, "accept", Request(**{**ok.__dict__, "requested_by": "bob"}),
                   today=DAY)  # fmt: skip
    with pytest.raises(TransitionRefused, match="no later than"):
        far = Request(**{**ok.__dict__, "expires": DAY + dt.timedelta(days=400)})
        transition(acme, fid, "accept", far, today=DAY)
    f = transition(acme, fid, "accept", ok, today=DAY)
    assert (f.state, f.approver, f.requested_by) == ("accepted", "bob", "pieter.devries")
    assert run(acme, DAY + dt.timedelta(days=10)).reactivated == ()  # still valid on its last day
    assert run(acme, DAY + dt.timedelta(days=11)).reactivated == (fid,)
    f = io.get(acme, fid)
    assert f.state == "open" and f.transition == "reactivate" and f.expires is None


def test_regression_reopens_with_count_two(acme: Store, tmp_path: Path) -> None:
    from graph.findings.flow import closure_by_month

    def totals() -> tuple[int, int, int]:
        months = closure_by_month(acme)
        opened, resolved, reopened = (sum(m[k] for m in months)
                                      for k in ("opened", "resolved", "reopened"))  # fmt: skip
        return opened, resolved, reopened

    opened0, resolved0, reopened0 = totals()
    assert opened0 == len(io.all_findings(acme)) and (resolved0, reopened0) == (0, 0)
    opened, resolved, reopened = opened0, 0, 0
    for n in (1, 2):
        ingest(acme, tmp_path, "alice", EVIDENCE_C31)
        fixed = run(acme, DAY)
        assert io.get(acme, C31).state == "resolved"
        with acting(Source("mallory", "manual delete")):
            acme.write(WriteBatch(delete=[DeleteNodes("Evidence", ["E-900"])]))
        report = run(acme, DAY)
        assert C31 in report.reopened
        for r in (fixed, report):
            opened += len(r.opened)
            resolved += len(r.resolved)
            reopened += len(r.reopened)
        f = io.get(acme, C31)
        assert (f.state, f.reopen_count, f.resolved_by_seq) == ("reopened", n, ())
    assert _states(acme, C31) == ["open", "resolved", "reopened", "resolved", "reopened"]
    # the log keeps both closures, though the finding itself is open again
    assert totals() == (opened, resolved, reopened) and resolved >= 2


def test_stale_version_is_refused(acme: Store) -> None:
    f = transition(acme, C31, "start", Request(actor="luc.dubois", version=1), today=DAY)
    assert (f.state, f.version) == ("in_progress", 2)
    with pytest.raises(StaleFinding, match="changed since version 1"):
        transition(acme, C31, "reassign", Request(actor="x", version=1, assignee="y"))
    assert io.get(acme, C31).assignee == "luc.dubois"


def _events(store: Store, seqs: tuple[int, ...]) -> list[dict[str, object]]:
    from graph.findings.log import events_by_seq

    return events_by_seq(store, seqs)


def _head(store: Store) -> int:
    from graph.findings.log import head_seq

    return head_seq(store)


def _states(store: Store, fid: str) -> list[str]:
    out, state = [], {}
    for e in story(store, fid):
        state.update({k: v[1] for k, v in e["fields"].items()})
        out.append(state["state"])
    return out


def test_the_store_refuses_a_write_of_a_stale_version(acme: Store) -> None:
    """The check runs inside the write's transaction, not only before it."""
    from dataclasses import replace

    from graph.errors import StaleWrite

    f = io.get(acme, C31)
    io.write(acme, [(replace(f, version=2, note="first"), 1)], None)
    with pytest.raises(StaleWrite, match="expected 1"):
        io.write(acme, [(replace(f, version=2, note="second"), 1)], None)
    assert io.get(acme, C31).note == "first"


def test_listing_filters_overdue_and_due_within(acme: Store) -> None:
    from graph.findings.query import Filters, listed

    overdue = listed(acme, Filters(overdue=True), DAY)
    ids = {f.id for f in overdue}
    assert {"prohibited_practice_in_use:emotion-monitor",
            "gpai_without_technical_documentation:embed-model"} <= ids  # fmt: skip
    assert all(f.due < DAY for f in overdue) and C31 not in ids
    soon = listed(acme, Filters(due_within_days=30), DAY)
    assert "high_risk_without_registration:life-health-pricing" in {f.id for f in soon}
    assert C31 not in {f.id for f in soon}  # medium: due in 90 days
    assert C31 in {f.id for f in listed(acme, Filters(due_within_days=90), DAY)}
    mine = listed(acme, Filters(owner="luc.dubois", severity="medium"), DAY)
    assert C31 in {f.id for f in mine} and {f.assignee for f in mine} == {"luc.dubois"}
    # the register is ordered: overdue first
    everything = listed(acme, Filters(), DAY)
    assert everything[0].overdue(DAY) and not everything[-1].overdue(DAY)


def test_the_triage_owner_is_configurable(store: Store) -> None:
    from api.session import Clausegraph
    from tests.findings.conftest import ACME

    Clausegraph(store).load_catalogs()
    Clausegraph(store).load_inventory(ACME)
    run(store, DAY, FindingsSettings(triage_owner="ai-office"))
    f = io.get(store, "control_without_owner:C-24")
    assert (f.assignee, f.routed_by) == ("ai-office", "triage")


def test_a_snapshot_for_today_reconciles(store: Store, tmp_path: Path) -> None:
    from api.session import Clausegraph
    from tests.findings.conftest import ACME

    cg = Clausegraph(store)
    cg.load_catalogs()
    cg.load_inventory(ACME)
    assert io.all_findings(store) == {}
    cg.snapshot("past", dt.date(2026, 1, 1), coverage=False, reports=tmp_path)
    assert io.all_findings(store) == {}  # a report for another day leaves the register alone
    snap = cg.snapshot("today", coverage=False, reports=tmp_path)
    assert len(io.all_findings(store)) == snap.metrics["gaps"] > 0


def test_remediation_metrics(acme: Store, tmp_path: Path) -> None:
    from graph.findings.metrics import remediation_metrics

    ingest(acme, tmp_path, "alice", EVIDENCE_C31)
    day = DAY + dt.timedelta(days=3)
    run(acme, day)
    req = Request(actor="bob", justification="j", compensating="c",
                  expires=DAY + dt.timedelta(days=10))  # fmt: skip
    transition(acme, "evidence_stale:E-073", "accept", req, today=day)
    m = remediation_metrics(acme, day)
    fs = io.all_findings(acme).values()
    active = [f for f in fs if f.state in ("open", "in_progress", "reopened")]
    assert m["findings"] == len(fs) and sum(c["count"] for c in m["open_by_severity"]) == len(
        active
    )
    assert m["open_by_severity"][0] == {"key": "critical", "count": 1}
    assert m["time_to_close"] == [
        {"severity": "medium", "closed": 1, "mean_days": 3.0, "median_days": 3}
    ]
    assert m["closed_by_month"] == [{"key": "2026-12", "count": 1}]
    assert m["acceptances_expiring"] == [
        {"id": "evidence_stale:E-073", "expires": DAY + dt.timedelta(days=10), "approver": "bob"}
    ]
    assert m["exposure_days"] == 3 * sum(f.severity in ("critical", "high") for f in active)
    assert m["overdue"] == sum(f.due < day for f in active) > 0
    assert (m["regressions"], m["reopened_total"]) == (0, 0)
    assert remediation_metrics(acme, day, expiring_within=5)["acceptances_expiring"] == []


def test_owner_digest(acme: Store) -> None:
    from graph.findings.digest import digest, markdown

    luc = digest(acme, DAY, 14, "luc.dubois")
    assert [e["owner"] for e in luc] == ["luc.dubois"]
    overdue = {i["id"] for i in luc[0]["overdue"]}
    assert "prohibited_practice_in_use:emotion-monitor" in overdue
    assert C31 not in {i["id"] for i in luc[0]["due_soon"]}  # due in 90 days
    assert C31 in {i["id"] for i in digest(acme, DAY, 90, "luc.dubois")[0]["due_soon"]}
    # evidence whose valid-until date falls in the window, for its owner
    elena = digest(acme, DAY, 150, "elena.rossi")[0]
    assert {"id": "E-010", "title": elena["evidence_expiring"][0]["title"],
            "valid_until": dt.date(2027, 4, 30)} in elena["evidence_expiring"]  # fmt: skip
    everyone = digest(acme, DAY, 90)
    assert {e["owner"] for e in everyone} >= {"luc.dubois", "ai-governance-triage"}
    text = markdown(luc, DAY, 14)
    assert text.startswith("# Remediation digest, 2026-12-04") and "## luc.dubois" in text
    assert "emotion-monitor" in text


def test_digest_lists_control_reviews_falling_due(acme: Store, tmp_path: Path) -> None:
    """A control's newest evidence per AI system (and its organisation-level evidence) reaches
    the control's review period in the window: its owner's digest says so, until newer evidence
    arrives."""
    from graph.findings.digest import digest

    def item(eid: str, days_ago: int, concerns: list[str]) -> dict[str, object]:
        return {"id": eid, "title": f"review test {eid}", "kind": "test_report", "version": "1",
                "uri": f"https://grc.acme.example/{eid}.pdf", "owner": "luc.dubois",
                "collected_on": str(DAY - dt.timedelta(days=days_ago)), "supports": ["C-31"],
                "concerns": concerns}  # fmt: skip

    def reviews() -> set[tuple[str, str, dt.date]]:
        luc = digest(acme, DAY, 14, "luc.dubois")[0]
        return {(r["id"], r["asset"], r["review_due"]) for r in luc["control_reviews_due"]}

    assert not {r for r in reviews() if r[0] == "C-31"}  # C-31 has no evidence yet
    period = 365  # C-31's review_every_days in examples/acme
    ingest(acme, tmp_path, "alice", {"evidence": [
        item("E-950", period - 5, []), item("E-951", period - 10, ["cv-screening"]),
        item("E-952", period + 30, ["acme-legal-llm"]),  # already stale: a finding, not a review
    ]})  # fmt: skip
    got = {r for r in reviews() if r[0] == "C-31"}
    assert got == {("C-31", "", DAY + dt.timedelta(days=5)),
                   ("C-31", "cv-screening", DAY + dt.timedelta(days=10))}  # fmt: skip
    ingest(acme, tmp_path, "alice", {"evidence": [item("E-953", 0, ["cv-screening"])]})
    assert {r for r in reviews() if r[0] == "C-31"} == {("C-31", "", DAY + dt.timedelta(days=5))}
    # another owner's digest does not carry luc.dubois's control
    assert all(r["id"] != "C-31" for e in digest(acme, DAY, 14, "elena.rossi")
               for r in e["control_reviews_due"])  # fmt: skip
