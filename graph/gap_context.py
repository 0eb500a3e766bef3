"""What a gap report depends on besides the graph: the as-of date, legal numbers, date reading.

Its own module so that the rule messages (graph/gap_messages.py) and the report
(graph/gaps.py) can both name it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from graph.incident_clock import DEADLINE_DAYS

DateReading = Literal["practical", "literal"]


@dataclass(frozen=True)
class GapContext:
    """Everything a report depends on besides the graph: the date and the legal numbers."""

    as_of: dt.date
    log_max_age_days: int = 30
    min_log_retention_days: int = 183  # six months (Art. 19(1), 26(6)), rounded up
    incident_days: dict[str, int] = field(default_factory=lambda: dict(DEADLINE_DAYS))
    # Which SUBJECT_TO date dates a gap: the practical one (obligations that exist because a
    # system is high-risk follow its Chapter III date; default) or the literal Art. 113 one.
    date_reading: DateReading = "practical"
    # article number -> (applies_from, Annex I date); kept for callers, gaps are dated by edges.
    article_dates: dict[int, tuple[dt.date, dt.date | None]] = field(default_factory=dict)
