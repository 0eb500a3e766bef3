"""Errors as RFC 9457 problem details, mapped once from the exception tree. No stack traces,
no Cypher, no file paths of the server ever reach a client."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import AuthError, Forbidden
from graph.coverage import NotFound
from graph.errors import (
    ClausegraphError,
    InvalidParameters,
    LoadValidationError,
    NotLoaded,
    StaleWrite,
    StoreUnavailable,
)
from graph.findings.errors import TransitionForbidden, TransitionRefused
from graph.review.errors import SnapshotExists
from loaders.messages import sentence

log = logging.getLogger("clausegraph.api")
MEDIA_TYPE = "application/problem+json"


class ProblemError(BaseModel):
    path: str
    message: str
    value: str | None = None


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


STATUS: list[tuple[type[ClausegraphError], int, str]] = [
    (AuthError, 401, "Unauthorized"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "Not Found"),
    (LoadValidationError, 422, "Invalid input"),
    (InvalidParameters, 422, "Invalid parameters"),
    (StoreUnavailable, 503, "Store unavailable"),
    (NotLoaded, 409, "Store not loaded"),
    (StaleWrite, 409, "Conflict"),
    (SnapshotExists, 409, "Conflict"),
    (TransitionForbidden, 403, "Forbidden"),
    (TransitionRefused, 422, "Transition refused"),
]


def problem(status: int, title: str, detail: str, errors: list[ProblemError] | None = None,
            headers: Mapping[str, str] | None = None) -> JSONResponse:  # fmt: skip
    body = Problem(title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )  # fmt: skip


def _load_errors(e: LoadValidationError) -> list[ProblemError]:
    out = []
    for err in e.errors:
        index = f"[{err.row - 1}]" if err.row is not None else ""
        field = f".{err.field}" if err.field else ""
        out.append(
            ProblemError(path=f"{err.file}{index}{field}", message=err.message, value=err.value)
        )
    return out


async def on_clausegraph_error(request: Request, exc: Exception) -> JSONResponse:
    for cls, status, title in STATUS:
        if isinstance(exc, cls):
            if isinstance(exc, LoadValidationError):
                n = len(exc.errors)
                return problem(
                    status, title, f"{n} problem(s); nothing was written", _load_errors(exc)
                )
            headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
            detail = str(exc) if status != 503 else "the graph store is not available"
            return problem(status, title, detail, headers=headers)
    log.error("unhandled clausegraph error on %s: %s", request.url.path, exc)
    return problem(500, "Internal Server Error", "the request could not be completed")


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        path = "$" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
        where = loc[0] if loc else "request"
        value = err.get("input")
        shown = None if isinstance(value, dict | list) else str(value)[:80]
        errors.append(ProblemError(path=f"{where}:{path}", message=sentence(err), value=shown))
    return problem(422, "Invalid request", f"{len(errors)} problem(s) in the request", errors)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type
    try:  # the detail may be long (or name the case): the title stays the status's phrase
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "Error"
    return problem(exc.status_code, title, str(exc.detail), headers=exc.headers)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return problem(500, "Internal Server Error", "the request could not be completed")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ClausegraphError, on_clausegraph_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries so clients (and fuzzers) know every error body is a Problem."""
    return {c: {"model": Problem, "content": {MEDIA_TYPE: {}}} for c in codes}
