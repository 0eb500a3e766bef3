"""The dashboard's routes under ``/ui``: login, logout, and one page per question.

Every page needs a session (else a redirect to the login form); every POST needs the session's
CSRF token; every response carries the security headers of :func:`secured`. Lists answer
``?format=csv`` with the same rows (spreadsheet-safe cells, graph/safe_cells.py).
"""

from __future__ import annotations

import datetime as dt
import hmac
import importlib.util
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)

from api.auth import RANK, AuthError, authenticate
from api.dashboard import figures
from api.dashboard.render import HERE, render, served_url
from api.dashboard.sessions import COOKIE, Session, Sessions
from api.session import Clausegraph
from graph import crosswalk as cw
from graph import safe_cells
from graph.coverage import NotFound
from graph.errors import ClausegraphError
from graph.models import ID_PATTERN

router = APIRouter(prefix="/ui", include_in_schema=False)
# Scripts only from this app; plotly sets inline styles, so styles may be inline (never scripts).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")  # fmt: skip
# plotly.js as the plotly Python package ships it (found, not imported: we use only the file)
_SPEC = importlib.util.find_spec("plotly")
PLOTLY = (
    FilePath(_SPEC.origin if _SPEC and _SPEC.origin else ".").parent
    / "package_data"
    / "plotly.min.js"
)
STATIC = {"dashboard.css": HERE / "static" / "dashboard.css",
          "dashboard.js": HERE / "static" / "dashboard.js", "plotly.min.js": PLOTLY}  # fmt: skip
Id = Annotated[str, Path(pattern=ID_PATTERN)]
OptId = Annotated[str, Query(pattern=f"({ID_PATTERN})|^$", max_length=64)]
Day = Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
Fmt = Annotated[str, Query(pattern=r"^(html|csv)?$")]
Severity = Annotated[str, Query(pattern=r"^(critical|high|medium|low)?$")]
Chapter = Annotated[str, Query(pattern=r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)?$")]
Tier = Annotated[str, Query(pattern=r"^(prohibited|high|limited|minimal|gpai|gpai_systemic)?$")]


def secured(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.ui_sessions
    return found


def _user(request: Request) -> Session | None:
    return sessions(request).get(request.cookies.get(COOKIE))


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return secured(RedirectResponse("/ui/login?" + urlencode({"next": target}), status_code=303))


def _graph(request: Request) -> Clausegraph:
    return Clausegraph(request.app.state.store)


def _day(value: str) -> dt.date:
    from api.routes.catalog import EARLIEST, LATEST

    when = dt.date.fromisoformat(value) if value else dt.date.today()
    return min(max(when, EARLIEST), LATEST)  # a page shows the nearest day it can compute


def _head(request: Request) -> int:
    """The change log's sequence number now: what a page was drawn at (the live banner)."""
    from graph.audit import read

    return int(read.head(request.app.state.store)["seq"])


def _html(request: Request, template: str, page: str, user: Session, **ctx: Any) -> Response:
    body = render(template, page=page, user=user, csrf=user.csrf, head=_head(request), **ctx)
    return secured(HTMLResponse(body))


def _csv(rows: list[dict[str, Any]], columns: list[str], name: str) -> Response:
    text = safe_cells.csv_text(rows, columns)
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return secured(Response(text, media_type="text/csv; charset=utf-8", headers=headers))


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC.get(name)
    if path is None:
        return secured(Response("not found", status_code=404, media_type="text/plain"))
    response = FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/head")
def head(request: Request) -> Response:
    """The change log's head, polled by open pages: a page drawn at an older one says the
    register changed and offers to reload (the dashboard stays live without a socket)."""
    if _user(request) is None:
        return secured(JSONResponse({"detail": "log in"}, status_code=401))
    return secured(JSONResponse({"seq": _head(request)}))


@router.get("/login")
def login_form(request: Request, next: str = "/ui/") -> Response:
    return secured(HTMLResponse(render("login.html", next=_local(next), error="")))


def _local(target: str) -> str:
    """Only a path of this dashboard is a place to go after login (no open redirect)."""
    return target if target.startswith("/ui/") and not target.startswith("//") else "/ui/"


@router.post("/login")
def login(
    request: Request, api_key: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/ui/",
) -> Response:  # fmt: skip
    try:
        principal = authenticate(api_key, request.app.state.api_keys)
    except AuthError:
        body = render("login.html", next=_local(next), error="That API key is not valid.")
        return secured(HTMLResponse(body, status_code=401))
    cookie, _ = sessions(request).start(principal.name, principal.role)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        COOKIE, cookie, max_age=sessions(request).max_age_s, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/ui",
    )  # fmt: skip
    return secured(response)


def csrf_ok(user: Session, token: str) -> bool:
    return hmac.compare_digest(user.csrf.encode(), token.encode())


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    user = _user(request)
    if user is None or not csrf_ok(user, csrf):
        return secured(Response("invalid or missing CSRF token", status_code=403))
    sessions(request).end(request.cookies.get(COOKIE))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/ui")
    return secured(response)


@router.get("/")
def overview(request: Request, as_of: Day = "") -> Response:
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    data = figures.overview(_graph(request), when)
    return _html(request, "overview.html", "overview", user, data=data, as_of=when)


PAGE = 200  # rows per page of the gaps and owners lists (their CSV has them all)
GAP_COLUMNS = ["id", "severity", "title", "asset", "systems", "article", "owner", "due",
               "in_force", "message"]  # fmt: skip


@router.get("/gaps")
def gaps(
    request: Request, severity: Severity = "",
    owner: OptId = "", asset: OptId = "", rule: OptId = "", red_line: bool = False,
    upcoming: bool = False, as_of: Day = "", format: Fmt = "",
    offset: Annotated[int, Query(ge=0, le=10**8)] = 0,
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    # "stale" on the overview counts stale and expired evidence: its link lists both
    rules = {rule} | ({"evidence_expired"} if rule == "evidence_stale" else set())
    found = figures.gaps_behind(
        _graph(request), when, severity=severity, owner=owner, asset=asset,
        in_force=not upcoming, upcoming=upcoming, red_line=red_line,
        rules=frozenset(rules) if rule else frozenset(),
    )  # fmt: skip
    if format == "csv":
        return _csv(figures.gap_rows(found), GAP_COLUMNS, "gaps")
    params = {"severity": severity, "owner": owner, "asset": asset, "rule": rule,
              "red_line": red_line, "upcoming": upcoming}  # fmt: skip
    shown = ", ".join(f"{k} {v}" for k, v in params.items() if v and v is not True)
    shown += ", red lines" if red_line else ""
    later = (served_url("gaps", offset=offset + PAGE, **params)
             if offset + PAGE < len(found) else "")  # fmt: skip
    return _html(request, "gaps.html", "gaps", user,
                 rows=figures.gap_rows(found[offset : offset + PAGE]), total=len(found),
                 offset=offset, later=later, as_of=when, upcoming=upcoming,
                 severity=severity, owner=owner, asset=asset, filters=shown.strip(", "),
                 csv_href=served_url("gaps", format="csv", **params))  # fmt: skip


@router.get("/articles")
def articles(
    request: Request,
    chapter: Chapter = "", tier: Tier = "",
    owner: OptId = "", offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    as_of: Day = "", format: Fmt = "",
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    graph = _graph(request)
    data = figures.heatmap(graph, when, chapter=chapter, tier=tier, owner=owner, offset=offset)
    if format == "csv":
        flat = [{"asset": r["asset"], "article": a, **c} for r in data["rows"]
                for a, c in r["cells"].items()]  # fmt: skip
        return _csv(flat, ["asset", "article", "verdict", "in_force", "weakest_link"], "articles")
    found = {r["chapter"] for r in cw.articles(graph.store) if r["chapter"]}
    chapters = ["", *sorted(found, key=figures.roman)]
    return _html(request, "articles.html", "articles", user, data=data, as_of=when,
                 chapter=chapter, tier=tier, owner=owner, chapters=chapters,
                 csv_href=served_url("articles", chapter=chapter, tier=tier, owner=owner,
                                     offset=offset, format="csv"))  # fmt: skip


@router.get("/systems/{asset_id}")
def system(request: Request, asset_id: Id, as_of: Day = "") -> Response:
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    try:
        data = figures.system(_graph(request), asset_id, when)
    except NotFound as e:
        return _missing(request, user, str(e), when)
    return _html(request, "system.html", "system", user, data=data, as_of=when)


def _missing(request: Request, user: Session, message: str, when: dt.date) -> Response:
    response = _html(request, "missing.html", "", user, message=message, as_of=when)
    response.status_code = 404
    return response


@router.get("/systems/{asset_id}/coverage/{article}")
def coverage(
    request: Request, asset_id: Id,
    article: Annotated[str, Path(pattern=r"^\d{1,3}$|^Annex [IVX]{1,5}$")], as_of: Day = "",
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    try:
        data = _graph(request).coverage(asset_id, article, when)
    except NotFound as e:
        return _missing(request, user, str(e), when)
    return _html(request, "coverage.html", "articles", user, data=data, as_of=when,
                 article=article)  # fmt: skip


OWNER_COLUMNS = ["owner", "name", "team", "items", "red_line", "open", "overdue", "due_soon"]


@router.get("/owners")
def owners(
    request: Request, as_of: Day = "", format: Fmt = "",
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    limit: Annotated[int, Query(ge=1, le=1_000)] = PAGE,
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    when = _day(as_of)
    rows = figures.owners(_graph(request), when)  # kept per register state: paging is a slice
    if format == "csv":
        return _csv(rows, OWNER_COLUMNS, "owners")
    later = (served_url("owners", as_of=as_of, offset=offset + limit, limit=limit)
             if offset + limit < len(rows) else "")  # fmt: skip
    return _html(request, "owners.html", "owners", user, rows=rows[offset : offset + limit],
                 total=len(rows), offset=offset, later=later, as_of=when,
                 csv_href=served_url("owners", format="csv"))  # fmt: skip


PAIR_COLUMNS = ["clause", "relation", "article", "paragraph", "coverage", "confidence",
                "rationale", "source"]  # fmt: skip


@router.get("/crosswalk")
def crosswalk(
    request: Request,
    article: Annotated[str, Query(pattern=r"^(\d{1,3}|Annex [IVX]{1,5})?$")] = "",
    clause: Annotated[str, Query(pattern=r"^((A\.)?\d{1,2}(\.\d{1,2}){0,2})?$")] = "",
    format: Fmt = "",
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    rows = figures.crosswalk(_graph(request), article, clause)
    if format == "csv":
        return _csv(rows, PAIR_COLUMNS, "crosswalk")
    return _html(request, "crosswalk.html", "crosswalk", user, rows=rows,
                 as_of=dt.date.today(), article=article, clause=clause,
                 csv_href=served_url("crosswalk", article=article, clause=clause,
                                     format="csv"))  # fmt: skip


CHANGE_COLUMNS = ["entity", "key", "summary", "via", "n_events", "first_seq", "last_seq",
                  "last_at", "actors"]  # fmt: skip


@router.get("/changes")
def changes(
    request: Request,
    since: Annotated[str, Query(max_length=80, pattern=r"^[\w.:+-]*$")] = "",
    asset: OptId = "", owner: OptId = "", format: Fmt = "",
) -> Response:  # fmt: skip
    if (user := _user(request)) is None:
        return _login_redirect(request)
    graph = _graph(request)
    try:
        labels = [s.label for s in graph.snapshots()]
    except OSError:
        labels = []
    since = since or (labels[-1] if labels else "")
    rows: list[dict[str, Any]] = []
    error = ""
    if since:
        try:
            rows = graph.changes(since, asset=asset or None, owner=owner or None)
        except ClausegraphError as e:  # an unknown snapshot label, a malformed date
            error = str(e)
    if format == "csv":
        return _csv(rows, CHANGE_COLUMNS, "changes")
    return _html(request, "changes.html", "changes", user, rows=rows, since=since, asset=asset,
                 owner=owner, snapshots=labels, error=error, as_of=dt.date.today(),
                 csv_href=served_url("changes", since=since, asset=asset, owner=owner,
                                     format="csv"))  # fmt: skip


FINDING_COLUMNS = ["id", "severity", "state", "assignee", "due", "due_source", "overdue",
                   "reopen_count", "message"]  # fmt: skip
# transition -> (label, least role offered the button; the rules in graph/findings decide)
ACTIONS = {"start": ("Start work", "analyst"), "verify": ("Verify (sign off)", "approver"),
           "accept": ("Accept the risk", "approver"),
           "false_positive": ("Mark false positive", "approver")}  # fmt: skip


def _settled(request: Request) -> None:
    request.app.state.reconciler.flush()  # an ingest's reconcile first (api/reconciler.py)


@router.get("/findings")
def findings_page(
    request: Request, state: Annotated[str, Query(pattern=r"^[a-z_]*$", max_length=20)] = "",
    severity: Severity = "", owner: OptId = "", overdue: bool = False,
    format: Fmt = "",
) -> Response:  # fmt: skip
    from graph.findings.model import STATES
    from graph.findings.query import Filters

    if (user := _user(request)) is None:
        return _login_redirect(request)
    _settled(request)
    today = dt.date.today()
    flt = Filters(states=(state,) if state else (), owner=owner, severity=severity,
                  overdue=overdue)  # fmt: skip
    rows = [f.to_dict(today) for f in _graph(request).findings(flt, today)]
    if format == "csv":
        return _csv(rows, FINDING_COLUMNS, "findings")
    params = {"state": state, "severity": severity, "owner": owner, "overdue": overdue}
    shown = ", ".join(f"{k} {v}" for k, v in params.items() if v and v is not True)
    shown += ", overdue" if overdue else ""
    return _html(request, "findings.html", "findings", user, rows=rows, as_of=today,
                 states=list(STATES), state=state, severity=severity, owner=owner,
                 overdue=overdue, filters=shown.strip(", "), detail=_detail_url,
                 csv_href=served_url("findings", format="csv", **params))  # fmt: skip


def _detail_url(finding_id: str) -> str:
    return "/ui/findings/" + quote(finding_id, safe="")


FindingId = Annotated[str, Path(max_length=200, pattern=r"^[\w.:@-]+$")]


def _finding_page(request: Request, user: Session, finding_id: str, error: str = "",
                  status: int = 200) -> Response:  # fmt: skip
    from graph.findings.transitions import TRANSITIONS

    story = _graph(request).finding_story(finding_id)
    f = story["finding"]
    offered = [
        {"name": name, "label": label, "href": f"{_detail_url(f.id)}/{name}"}
        for name, (label, role) in ACTIONS.items()
        if f.state in TRANSITIONS[name][0] and RANK.get(user.role, -1) >= RANK[role]
    ]  # fmt: skip
    response = _html(request, "finding.html", "findings", user, f=f, story=story["story"],
                     resolved_by=story["resolved_by"], actions=offered, error=error,
                     as_of=dt.date.today())  # fmt: skip
    response.status_code = status
    return response


@router.get("/findings/{finding_id}")
def finding_page(request: Request, finding_id: FindingId) -> Response:
    if (user := _user(request)) is None:
        return _login_redirect(request)
    _settled(request)
    try:
        return _finding_page(request, user, finding_id)
    except NotFound as e:
        return _missing(request, user, str(e), dt.date.today())


@router.post("/findings/{finding_id}/{name}")
def finding_transition(
    request: Request, finding_id: FindingId,
    name: Annotated[str, Path(pattern=r"^(start|verify|accept|false_positive)$")],
    csrf: Annotated[str, Form(max_length=100)] = "",
    version: Annotated[int, Form(ge=0)] = 0, note: Annotated[str, Form(max_length=2000)] = "",
    justification: Annotated[str, Form(max_length=2000)] = "",
    compensating: Annotated[str, Form(max_length=2000)] = "",
    expires: Annotated[str, Form(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:  # fmt: skip
    """One transition from the page: CSRF token, a ticked confirmation and the version the
    page showed; the finding's own rules decide (graph/findings/transitions.py)."""
    from graph.audit.events import Source, acting
    from graph.findings.errors import StaleFinding, TransitionForbidden, TransitionRefused
    from graph.findings.transitions import Request as Ask

    user = _user(request)
    if user is None or not csrf_ok(user, csrf):
        return secured(Response("invalid or missing CSRF token", status_code=403))
    if RANK.get(user.role, -1) < RANK[ACTIONS[name][1]]:
        return secured(Response(f"{name} needs the {ACTIONS[name][1]} role; you are "
                                f"{user.role}", status_code=403))  # fmt: skip
    _settled(request)
    if confirm != "yes":
        return _finding_page(request, user, finding_id, "Tick “I confirm” to go ahead.", 422)
    ask = Ask(actor=user.name, role=user.role, version=version, note=note,
              justification=justification, compensating=compensating,
              expires=dt.date.fromisoformat(expires) if expires else None,
              requested_by=user.name)  # fmt: skip
    try:
        with acting(Source(user.name, f"dashboard: finding {name}")):
            _graph(request).transition(finding_id, name, ask)
    except StaleFinding as e:
        return _finding_page(request, user, finding_id, str(e), 409)
    except TransitionForbidden as e:
        return _finding_page(request, user, finding_id, str(e), 403)
    except TransitionRefused as e:
        return _finding_page(request, user, finding_id, str(e), 422)
    except NotFound as e:
        return _missing(request, user, str(e), dt.date.today())
    return secured(RedirectResponse(_detail_url(finding_id), status_code=303))
