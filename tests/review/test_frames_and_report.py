"""DataFrames for notebooks and the quarterly review report (Markdown + HTML)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from api.session import Clausegraph
from graph.review import diff_snapshots
from graph.review.document import Document
from graph.review.frames import GAP_COLUMNS, coverage_frame, trend_frame
from graph.review.review_report import review_document
from tests.review.builders import gap, snapshot
from tests.review.conftest import REVIEW_DAY

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_gap_and_trace_frames(acme_ro: Clausegraph) -> None:
    gaps = acme_ro.gaps_frame(REVIEW_DAY)
    assert list(gaps.columns) == GAP_COLUMNS
    assert len(gaps) == 47 and gaps.iloc[0]["id"] == "prohibited_practice_in_use:emotion-monitor"
    assert gaps["severity"].value_counts().to_dict() == {"high": 35, "medium": 7, "low": 4,
                                                         "critical": 1}  # fmt: skip
    trace = acme_ro.trace_frame("cv-screening", REVIEW_DAY)
    assert trace.loc[trace["article"] == "14", "verdict"].item() == "covered"
    applies = acme_ro.applies_frame(REVIEW_DAY, dt.date(2027, 12, 2), "cv-screening")
    assert "14" in set(applies["article"])


def test_snapshot_frames(acme_ro: Clausegraph, tmp_path: Path) -> None:
    acme_ro.snapshot("2026-Q3", dt.date(2026, 9, 30), coverage=False, reports=tmp_path)
    acme_ro.snapshot("2026-Q4", REVIEW_DAY, coverage=False, reports=tmp_path)
    trend = acme_ro.snapshots_frame(tmp_path)
    assert list(trend["label"]) == ["2026-Q3", "2026-Q4"]
    assert list(trend["gaps"]) == [55, 47] and list(trend["critical"]) == [1, 1]
    changes = acme_ro.diff_frame("Q3", "Q4", tmp_path)
    assert changes["change"].value_counts().to_dict() == {
        "persisting_gaps": 44, "closed_gaps": 11, "new_gaps": 3, "evidence_stale": 2}  # fmt: skip
    empty = coverage_frame(acme_ro.load_snapshot("Q4", tmp_path))
    assert list(empty.columns) == ["chapter", "covered", "partial", "uncovered"] and empty.empty


def test_trend_and_coverage_frames_from_hand_built_snapshots() -> None:
    s1 = snapshot("a", dt.date(2026, 1, 1), [gap("x:1")], coverage={"III": {"covered": 2}})
    s0 = snapshot("b", dt.date(2025, 1, 1), [])
    assert list(trend_frame([s1, s0])["label"]) == ["b", "a"]  # oldest first
    cov = coverage_frame(s1)
    assert cov.to_dict("records") == [{"chapter": "III", "covered": 2, "partial": 0,
                                       "uncovered": 0}]  # fmt: skip


def test_review_report_markdown_and_html(tmp_path: Path) -> None:
    before = snapshot("2026-Q3", dt.date(2026, 9, 30), [gap("asset_without_owner:a1", "medium")])
    after = snapshot("2026-Q4", REVIEW_DAY, [gap("evidence_expired:E-1|x", "medium", "o<1>")])
    chart = tmp_path / "charts" / "severity.png"
    chart.parent.mkdir()
    chart.write_bytes(PNG)
    doc = review_document(after, diff_snapshots(before, after), {"Gaps by severity": chart})
    md, html = doc.write(tmp_path, "review")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# AI compliance review 2026-Q4")
    assert "![Gaps by severity](charts/severity.png)" in text
    assert "## Changes since 2026-Q3 (2026-09-30)" in text
    assert "| E-1\\|x |" in text  # table cells escaped
    page = html.read_text(encoding="utf-8")
    assert "o&lt;1&gt;" in page and "<o<1>" not in page
    assert 'src="data:image/png;base64,' in page
    assert not re.search(r"""(src|href)=["']https?:""", page)  # opens offline


def test_document_empty_tables() -> None:
    doc = Document("T")
    doc.table([], ["a"])
    doc.bullets([])
    assert doc.markdown().count("_(none)_") == 2
    assert doc.html().count("<em>(none)</em>") == 2
