"""The remediation figures as DataFrames (the notebook's remediation section)."""

from __future__ import annotations

from api.session import Clausegraph
from graph.findings.model import ACTIVE
from graph.stores import Store
from tests.findings.conftest import DAY


def test_frames_count_what_the_findings_say(acme: Store) -> None:
    cg = Clausegraph(acme)
    found = cg.findings(today=DAY)
    frame = cg.findings_frame(today=DAY)
    assert len(frame) == len(found) > 0 and set(frame["id"]) == {f.id for f in found}
    per = cg.remediation_frame(DAY).set_index("severity")
    assert list(per.index) == ["critical", "high", "medium", "low"]
    assert int(per["open"].sum()) == sum(f.state in ACTIVE for f in found)
    assert per["open"].to_dict()["critical"] == sum(
        f.state in ACTIVE and f.severity == "critical" for f in found
    )
