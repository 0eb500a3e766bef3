"""docs/gap-rules.md, rendered from the rule table (`make docs` writes it; a test compares)."""

from __future__ import annotations

import datetime as dt

from graph.gap_rules import RULES
from graph.gaps import GapContext, rule_query

HEADER = """# Gap rules

Generated from `graph/gap_rules.py` by `make docs`; do not edit by hand.

A gap is a missing or stale link in the chain article → ISO clause → control → evidence → AI
system → owner. `clausegraph gaps` runs every rule below once over the whole graph and lists the
gaps most severe first. Each gap has a stable id, `<rule>:<subject>`, so reviews can be compared
over time. **Red-line** gaps are `critical` or `high`; when any is listed, `clausegraph gaps`
exits with code 4 so a pipeline can gate on it.

Each gap also carries `due`: the date the underlying obligation applies to that system (as
amended by Regulation (EU) 2026/1744; Annex I products take their own date), and `in_force`
(`due` is on or before `--as-of`). `--in-force` lists only gaps already due.

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
        out.append(f"- **query:** `queries/{query.replace('.', '/', 1)}.cypher`\n")
    return "\n".join(out)
