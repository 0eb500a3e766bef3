"""docs/gap-rules.md, rendered from the rule table (`make docs` writes it; a test compares)."""

from __future__ import annotations

import datetime as dt

from graph.gap_rules import RULES
from graph.gaps import EXTRA_PARTS, GapContext, rule_query

HEADER = """# Gap rules

Generated from `graph/gap_rules.py` by `make docs`; do not edit by hand.

A gap is a missing or stale link in the chain article → ISO clause → control → evidence → AI
system → owner. `clausegraph gaps` runs every rule below once over the whole graph and lists the
gaps in force first, then the upcoming ones in their own section. Each gap has a stable id,
`<rule>:<subject>`, so reviews can be compared over time. **Red-line** gaps are `critical` or
`high`; when any is *in force* on `--as-of`, `clausegraph gaps` exits with code 4 so a pipeline
can gate on it. Upcoming gaps (an obligation that starts later) never set the exit code.

Each gap also carries `due`: the date the underlying obligation applies to that system, read from
the same SUBJECT_TO edges `coverage` and `trace` use (as amended by Regulation (EU) 2026/1744;
Annex I products take their own date), and `in_force` (`due` is on or before `--as-of`).
`--in-force` lists only gaps already due. **Date reading:** by default (`practical`) an
obligation that exists only because a system is high-risk (Arts 43-49, 72-73 …) follows that
system's own Chapter III date (2 Dec 2027 Annex III, 2 Aug 2028 Annex I); with
`CLAUSEGRAPH_DATE_READING=literal` each article keeps its Art. 113 date. Where the readings
differ the gap's `dated_by` says which one set `due`.

Order: in force first; then legal consequence (severity, then the rule's place in the table
below); then exposure (production before development before planned; most overdue first).
Duties of the organisation (Art. 4 AI literacy) are one gap, `org:AIA-4`, listing the systems
in scope; a "no control addresses Art. 5" row is not repeated when the prohibited-practice gap
for the same system already reports it. The table and Markdown views fold one system's
per-article rows into one line ("8 applicable articles have no control: 8, 16, …"); JSON and
CSV keep one row per gap.

Presence rules count only evidence that is valid on `--as-of` (collected by then, not past its
`valid_until`); an expired item becomes a gap on the system and article it was for ("FRIA expired
on …"), and that item's own `evidence_expired` and `evidence_stale` gaps are then not listed as
well (one fact, one finding: renewing the item closes all three; they stay when the system's duty
is only upcoming, since the expiry is a fact today).
Record kinds (graph/evidence_policy.py) need a sha256 and a version wherever they live.

| severity | meaning |
|---|---|
| critical | prohibited practice (Art. 99(3): up to EUR 35m or 7 % of turnover) |
| high | obligation fined under Art. 99(4) or 101 (to EUR 15m or 3 %); or obligations unknowable |
| medium | the management system cannot show a control works (ISO/IEC 42001 7.5, 9.1) |
| low | evidence hygiene |

"""


def render() -> str:
    out = [HEADER]
    ctx = GapContext(as_of=dt.date(2026, 1, 1))
    for r in RULES:
        query, _ = rule_query(r.id, ctx)
        out.append(f"## `{r.id}` — {r.title}\n")
        out.append(f"- **severity:** {r.severity}")
        out.append(f"- **legal basis:** {r.legal_basis}")
        out.append(f"- **remediation:** {r.remediation}")
        out.append(f"- **route to:** {r.route_to}")
        if r.articles:
            arts = " or ".join(a.removeprefix("AIA-") for a in r.articles)
            out.append(f"- **applies to:** systems SUBJECT_TO Art. {arts}, dated by that edge")
        files = [query, *EXTRA_PARTS.get(r.id, ())]
        paths = " and ".join(f"`queries/{q.replace('.', '/', 1)}.cypher`" for q in files)
        out.append(f"- **{'queries' if len(files) > 1 else 'query'}:** {paths}\n")
    return "\n".join(out)
