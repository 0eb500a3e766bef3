"""The Art. 73 notification clock of one serious incident: by when it had to be notified, and
whether it was — in time, late, not yet, or never owed. The gap rule (``incident_not_notified``,
graph/gap_messages.py) and the coverage answer for Art. 73 (graph/coverage_answer.py) both read
it here, so a system cannot be "covered" for an incident the gap report calls notified late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

NOTIFICATION_ARTICLE = "AIA-73"
# Art. 73(2)-(4): days from awareness to notification. The defaults of the AI Act catalog's key
# numbers (loaders/catalog/eu_ai_act.yaml; a test keeps the two equal).
DEADLINE_DAYS: dict[str, int] = {
    "serious": 15,
    "death": 10,
    "widespread_infringement": 2,
    "critical_infrastructure": 2,
}
Status = Literal["before_duty", "future", "notified", "running", "late", "overdue"]


@dataclass(frozen=True)
class Clock:
    incident: str
    severity: str
    aware_on: dt.date
    reported_on: dt.date | None  # as recorded; a report after the as-of date is not yet made
    deadline: dt.date | None  # None: no duty arose (known before Art. 73 bound the system)
    days: int
    status: Status

    @property
    def breached(self) -> bool:
        return self.status in ("late", "overdue")

    def text(self) -> str:
        """What a finding says of it (the gap rule's message)."""
        if self.status == "before_duty":
            known = f"{self.severity} incident known {self.aware_on}"
            return f"{known}, before Art. 73 bound the system"
        if self.status == "late":
            return (
                f"{self.severity} incident notified {self.reported_on}, after the {self.days}-day "
                f"deadline {self.deadline}"
            )
        if self.status == "overdue":
            return (
                f"{self.severity} incident not notified; deadline {self.deadline} "
                f"({self.days} days) passed"
            )
        if self.status == "future":
            return f"{self.severity} incident known only from {self.aware_on}"
        if self.status == "running":
            return f"{self.severity} incident to be notified by {self.deadline}"
        return f"{self.severity} incident notified {self.reported_on}, by {self.deadline}"

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.incident, "severity": self.severity, "aware_on": self.aware_on,
            "deadline": self.deadline, "reported_on": self.reported_on, "status": self.status,
        }  # fmt: skip


def deadline_of(aware_on: dt.date, severity: str, days: dict[str, int] = DEADLINE_DAYS) -> dt.date:
    """The day by which an incident known on ``aware_on`` must be notified (Art. 73(2)-(4))."""
    return aware_on + dt.timedelta(days=days[severity])


def clock(
    incident: str,
    severity: str,
    aware_on: dt.date,
    reported_on: dt.date | None,
    bound: dt.date | None,
    as_of: dt.date,
    days: dict[str, int] = DEADLINE_DAYS,
) -> Clock:
    """The clock of one incident as of ``as_of``. ``bound``: the day Art. 73 binds the system
    (by the date reading in use); an incident known before it owes no notification, now or
    later (the Act does not reach back to earlier incidents)."""
    n = days[severity]
    if bound is not None and aware_on < bound:
        return Clock(incident, severity, aware_on, reported_on, None, n, "before_duty")
    deadline = deadline_of(aware_on, severity, days)
    if aware_on > as_of:  # not known yet on the as-of date (as evidence collected later is)
        return Clock(incident, severity, aware_on, reported_on, deadline, n, "future")
    made = reported_on if reported_on is not None and reported_on <= as_of else None
    if made is None:
        status: Status = "overdue" if as_of > deadline else "running"
    else:
        status = "notified" if made <= deadline else "late"
    return Clock(incident, severity, aware_on, reported_on, deadline, n, status)


def changes_after(row: dict[str, Any], as_of: dt.date) -> dt.date | None:
    """For a clock as :meth:`Clock.as_row` gives it: the first day after ``as_of`` on which its
    status can change (the day it becomes known, the day after a running deadline, the day a
    report recorded for later is made); None: never."""
    ahead = []
    deadline, reported = row["deadline"], row["reported_on"]
    if row["status"] == "future":
        ahead.append(row["aware_on"])
    if row["status"] in ("running", "future") and deadline is not None:
        ahead.append(deadline + dt.timedelta(days=1))
    if reported is not None and reported > as_of and deadline is not None:
        ahead.append(reported)
    return min(ahead) if ahead else None
