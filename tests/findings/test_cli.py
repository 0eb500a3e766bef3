"""The console script over a real store: reconcile on load, exit codes, show, transitions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.test_cli import run
from tests.findings.conftest import ACME, EVIDENCE_C31

C31 = "control_without_evidence:C-31"


def test_the_loop_on_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    assert run("--db", db, "load", "catalog").returncode == 0
    out = run("--db", db, "--actor", "loader", "load", "inventory", str(ACME))
    assert out.returncode == 0 and "findings: 48 opened" in out.stderr, out.stderr
    # red-line findings to act on: exit 4; only medium ones, some overdue? none yet: 0
    assert run("--db", db, "findings").returncode == 4
    med = run("--db", db, "findings", "--severity", "medium", "--format", "json")
    assert med.returncode == 0, med.stderr
    assert C31 in {f["id"] for f in json.loads(med.stdout)}
    assert run("--db", db, "findings", "--owner", "nobody", "--due-within", "14x").returncode == 2
    # stale version: exit 13; the assignee starts it
    stale = run("--db", db, "--actor", "luc.dubois", "finding", "start", C31, "--version", "7")
    assert stale.returncode == 13 and "changed since version 7" in stale.stderr
    ok = run("--db", db, "--actor", "luc.dubois", "finding", "start", C31, "--note", "on it")
    assert ok.returncode == 0 and "in_progress (version 2)" in ok.stdout, ok.stderr
    # red-line acceptance: exit 12
    acc = run("--db", db, "--actor", "bob", "finding", "accept",
              "prohibited_practice_in_use:emotion-monitor", "--justification", "x",
              "--compensating", "y", "--expires", "2099-01-01")  # fmt: skip
    assert acc.returncode == 12 and "cannot be risk-accepted" in acc.stderr
    # the fix, loaded by alice, resolves it; the gap report reconciles nothing more
    fix = tmp_path / "fix.json"
    fix.write_text(json.dumps(EVIDENCE_C31), encoding="utf-8")
    out = run("--db", db, "--actor", "alice", "load", "inventory", str(fix))
    assert "1 resolved" in out.stderr, out.stderr
    gaps = run("--db", db, "gaps", "--format", "json")
    assert "findings: no change" in gaps.stderr
    mine = run("--db", db, "--actor", "alice", "finding", "verify", C31, "--note", "mine")
    assert mine.returncode == 12 and "cannot verify their own fix" in mine.stderr
    ok = run("--db", db, "--actor", "bob", "finding", "verify", C31, "--note", "report read")
    assert ok.returncode == 0, ok.stderr
    show = run("--db", db, "finding", "show", C31, "--format", "json")
    got = json.loads(show.stdout)
    assert [s["transition"] for s in got["story"]] == ["open", "start", "resolve", "verify"]
    assert {e["actor"] for e in got["resolved_by"]} == {"alice"}
    assert got["finding"]["state"] == "verified"
    d = run("--db", db, "digest", "--owner", "luc.dubois")
    assert d.returncode == 0 and "## luc.dubois" in d.stdout, d.stderr
    m = run("--db", db, "metrics", "--format", "json")
    assert m.returncode == 0, m.stderr
    assert json.loads(m.stdout)["by_state"][-1] == {"key": "verified", "count": 1}
