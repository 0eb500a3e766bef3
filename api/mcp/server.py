"""The MCP tools and resources over one :class:`~api.session.Clausegraph`.

Each tool validates its inputs with the same patterns as the HTTP route it mirrors and returns
the route's response model as JSON (structured content), so ``coverage`` here and
``GET /assets/{id}/coverage/{article}`` give the same answer. Errors the user can fix (an unknown
system, a bad date) come back as tool errors with our message; anything else as a generic one,
logged here, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from pydantic import Field, TypeAdapter

from api.schemas import ArticleOut, ClauseOut, CoverageOut, GapOut, PairOut, TraceRow
from api.session import Clausegraph
from graph import crosswalk as cw
from graph.coverage import article_key
from graph.errors import ClausegraphError
from graph.models import ID_PATTERN

log = logging.getLogger("clausegraph.mcp")
P = ParamSpec("P")
T = TypeVar("T")

INSTRUCTIONS = """clausegraph traces the EU AI Act (Regulation (EU) 2024/1689, as amended by
Regulation (EU) 2026/1744) and ISO/IEC 42001:2023 down to one organisation's AI systems,
controls, evidence and owners. Ask `coverage` what covers an article for a system (verdict,
paths article -> ISO clause -> control -> evidence, weakest link); `trace` for every article a
system is subject to; `gaps` for the broken links; `findings` for the tracked gaps, their owners
and due dates; `history` for who changed an entity and when; `crosswalk` for ISO <-> AI Act
mappings; `applies` for what starts to apply between two dates.
Dates are YYYY-MM-DD; `as_of` defaults to today."""

AssetId = Annotated[str, Field(pattern=ID_PATTERN, description="AI system id, e.g. cv-screening.")]
ArticleRef = Annotated[
    str,
    Field(
        pattern=r"^(Art\. ?)?\d{1,3}$|^Annex [IVX]{1,5}$|^AIA-(\d{1,3}|ANNEX-[IVX]{1,5})$",
        description="AI Act article: 14, 'Art. 14', 'Annex III' or AIA-14.",
    ),
]
Day = Annotated[
    str | None, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD; default today.")
]
OptId = Annotated[str, Field(pattern=f"({ID_PATTERN})|^$")]
Kind = Literal["Asset", "Control", "Dataset", "Evidence", "Owner", "Incident"]
Severity = Literal["", "critical", "high", "medium", "low"]
IsoNumber = Annotated[str, Field(pattern=r"^((A\.)?\d{1,2}(\.\d{1,2}){0,2})?$")]


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ToolError(f"{value!r} is not a calendar date (YYYY-MM-DD)") from None


def answered(fn: Callable[P, T]) -> Callable[P, T]:
    """Our errors as tool errors with their message; anything else generic (and logged)."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except ToolError:
            raise
        except ClausegraphError as e:
            raise ToolError(str(e)) from None
        except Exception:
            log.exception("MCP tool %s failed", fn.__name__)
            raise ToolError("the request could not be completed") from None

    return call


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO strings (JSON-ready structured content)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}


def _json(model: Any, value: Any) -> Any:
    """``value`` validated by the route's response model, as JSON-ready data."""
    return TypeAdapter(model).dump_python(TypeAdapter(model).validate_python(value), mode="json")


def build_server(session: Callable[[], Clausegraph]) -> MCPServer:
    """The MCP server; ``session()`` gives the graph to answer from at each call (stdio: one
    read-only store for the process; HTTP: the app's store, opened by its lifespan)."""
    server = MCPServer(
        name="clausegraph", instructions=INSTRUCTIONS, version="0.1.0", log_level="WARNING"
    )

    @server.tool(title="What covers an article for one AI system")
    @answered
    def coverage(asset: AssetId, article: ArticleRef, as_of: Day = None) -> dict[str, Any]:
        """Verdict (COVERED / PARTIAL / UNCOVERED / NOT_APPLICABLE) and reason, the paths
        article -> ISO clause -> control -> evidence with each hop's freshness, owners and the
        weakest link. Same answer as GET /assets/{asset}/coverage/{article}."""
        answer = session().coverage(asset, article, _day(as_of))
        result: dict[str, Any] = _json(CoverageOut, answer)
        return result

    @server.tool(title="Every article an AI system is subject to, and its coverage")
    @answered
    def trace(asset: AssetId, as_of: Day = None) -> list[dict[str, Any]]:
        """One row per applicable article: its verdict, date and weakest link."""
        rows: list[dict[str, Any]] = _json(list[TraceRow], session().trace(asset, _day(as_of)))
        return rows

    @server.tool(title="The gap report")
    @answered
    def gaps(
        severity: Severity = "", asset: OptId = "", owner: OptId = "", as_of: Day = None,
        in_force: bool = False,
        limit: Annotated[int, Field(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:  # fmt: skip
        """Gaps (missing or stale links), most severe first, each with a stable id, legal basis,
        remediation, owner and due date. `count` is the number before `limit`."""
        found = session().gaps(_day(as_of), asset=asset or None, severity=severity or None)
        found = [g for g in found if (not owner or g.owner == owner)
                 and (not in_force or g.in_force)]  # fmt: skip
        data = _json(list[GapOut], [g.to_dict() for g in found[:limit]])
        return {"count": len(found), "data": data}

    @server.tool(title="Findings: every gap tracked to closure")
    @answered
    def findings(
        state: Annotated[str, Field(pattern=r"^[a-z_]*$", max_length=20)] = "",
        severity: Severity = "", owner: OptId = "", overdue: bool = False,
        limit: Annotated[int, Field(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:  # fmt: skip
        """Findings (docs/remediation.md), overdue first: state, assignee, due date and what set
        it, reopen count. Same selection as GET /findings. `count` is the number before `limit`."""
        from graph.findings.query import Filters

        today = dt.date.today()
        flt = Filters(states=(state,) if state else (), owner=owner, severity=severity,
                      overdue=overdue)  # fmt: skip
        found = [f.to_dict(today) for f in session().findings(flt, today)]
        return {"count": len(found), "data": [_plain(f) for f in found[:limit]]}

    @server.tool(title="Who changed an entity, when, from where")
    @answered
    def history(kind: Kind, id: AssetId) -> list[dict[str, Any]]:
        """Every change-log event about one asset, control, dataset, evidence item, owner or
        incident (and the links leaving it), newest first, with actor and source."""
        from graph.audit import read

        return read.history(session().store, kind, id)

    @server.tool(title="ISO/IEC 42001 <-> AI Act mappings")
    @answered
    def crosswalk(
        article: Annotated[str, Field(pattern=r"^(\d{1,3}|Annex [IVX]{1,5})?$")] = "",
        iso_id: IsoNumber = "",
    ) -> list[dict[str, Any]]:
        """Clause -> article pairs with relation, rationale, confidence and source; filter by an
        article number (14, 'Annex IV') or an ISO number (9.1, A.6.2.8)."""
        pairs = cw.pairs(session().store, article, iso_id)
        rows: list[dict[str, Any]] = _json(list[PairOut], pairs)
        return rows

    @server.tool(title="What starts to apply between two dates")
    @answered
    def applies(
        start: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")],
        end: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")],
        asset: OptId = "",
    ) -> list[dict[str, Any]]:
        """Per AI system, the articles that apply on `end` and did not yet on `start`."""
        first, last = _day(start), _day(end)
        assert first is not None and last is not None  # noqa: S101 - required arguments
        return session().applies(first, last, asset or None)

    _resources(server, session)
    return server


def _resources(server: MCPServer, session: Callable[[], Clausegraph]) -> None:

    def found(rows: list[dict[str, Any]], what: str) -> dict[str, Any]:
        if not rows:
            raise ResourceError(f"no {what}")
        return rows[0]

    @server.resource("clausegraph://articles", mime_type="application/json")
    def article_list() -> str:
        """Every AI Act article and annex: whom it binds, tiers, application dates."""
        return json.dumps(_json(list[ArticleOut], cw.articles(session().store)))

    @server.resource("clausegraph://articles/{article}", mime_type="application/json")
    def article(article: str) -> str:
        """One AI Act article or annex (14, AIA-14, 'Annex III')."""
        key = article_key(article)
        rows = [r for r in cw.articles(session().store) if r["id"] == key]
        row = found(rows, f"article {article!r}")
        return json.dumps(_json(ArticleOut, row))

    @server.resource("clausegraph://clauses/{number}", mime_type="application/json")
    def clause(number: str) -> str:
        """One ISO/IEC 42001 clause or Annex A control (id and short title only) and the
        articles it maps to."""
        store = session().store
        rows = [r for r in cw.clauses(store) if r["number"] == number or r["id"] == number]
        row = _json(ClauseOut, found(rows, f"ISO/IEC 42001 element {number!r}"))
        return json.dumps(row | {"maps_to": _json(list[PairOut], cw.pairs(store, "", number))})

    @server.resource("clausegraph://controls/{control_id}", mime_type="application/json")
    def control(control_id: str) -> str:
        """One of the organisation's controls: status, owner, what it implements and addresses,
        the AI systems it applies to."""
        rows = [r for r in session().store.read("review.controls") if r["id"] == control_id]
        return json.dumps(found(rows, f"control {control_id!r}"), default=str)
