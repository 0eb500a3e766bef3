"""Articles, clauses and the crosswalk."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Reader, Run, StoreDep
from api.problems import responses
from api.schemas import ArticleOut, ClauseOut, Page, PairOut
from graph import crosswalk as cw
from graph.coverage import NotFound, article_key
from graph.errors import InvalidParameters
from graph.models import ID_PATTERN

ARTICLE_REF = r"^(Art\. ?)?\d{1,3}$|^Annex [IVX]{1,5}$|^AIA-(\d{1,3}|ANNEX-[IVX]{1,5})$"
CHAPTER = r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)?$"
ISO_NUMBER = r"^((A\.)?\d{1,2}(\.\d{1,2}){0,2})?$"
# An id filter: an id, or "" for none.
OptIdQuery = Annotated[str, Query(pattern=f"({ID_PATTERN})|^$")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many items.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many items.")]
ERRORS = responses(401, 403, 409, 422, 503)


# The years `day` accepts (1900-01-01 .. 9000-12-31), in the schema too, so a client (or a
# fuzzer) reading the OpenAPI document is not told a date is valid that the route refuses.
DATE = r"^(19\d\d|[2-8]\d{3}|9000)-\d{2}-\d{2}$"
AsOf = Annotated[
    str | None,
    Query(
        pattern=DATE,
        description="YYYY-MM-DD, 1900-01-01 to 9000-12-31; default today.",
        examples=["2027-12-02"],
        json_schema_extra={"format": "date"},
    ),
]


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 12, 31)


def day(value: str | None, name: str = "as_of") -> dt.date | None:
    """A query date, strictly YYYY-MM-DD (pydantic's lax mode would take `0` as 1970-01-01)."""
    if value is None:
        return None
    try:
        when = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameters(f"{name} {value!r} is not a calendar date") from None
    if not EARLIEST <= when <= LATEST:  # review periods and SLAs are subtracted/added to it
        raise InvalidParameters(f"{name} {value!r} must be between {EARLIEST} and {LATEST}")
    return when


def page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    return {"data": items[offset : offset + limit], "count": len(items), "offset": offset,
            "limit": limit}  # fmt: skip


articles = APIRouter(prefix="/articles", tags=["articles"], responses=ERRORS)


@articles.get("", response_model=Page[ArticleOut])
async def list_articles(
    store: StoreDep, run: Run, _: Reader,
    chapter: Annotated[str, Query(pattern=CHAPTER, description="Roman numeral, e.g. III.")] = "",
    as_of: AsOf = None,
    offset: Offset = 0, limit: Limit = 200,
) -> dict[str, Any]:  # fmt: skip
    """AI Act articles and annexes with whom they bind, tiers and application dates."""
    return page(await run(cw.articles, store, chapter, day(as_of)), offset, limit)


@articles.get("/{article}", response_model=ArticleOut, responses=responses(404))
async def get_article(
    store: StoreDep, run: Run, _: Reader,
    article: Annotated[str, Path(pattern=ARTICLE_REF, description="14, 'Annex III' or AIA-14.")],
) -> dict[str, Any]:  # fmt: skip
    """One article or annex."""
    key = article_key(article)
    for row in await run(cw.articles, store):
        if row["id"] == key:
            return row
    raise NotFound(f"no article {article!r}")


clauses = APIRouter(prefix="/clauses", tags=["clauses"], responses=ERRORS)


@clauses.get("", response_model=Page[ClauseOut])
async def list_clauses(
    store: StoreDep, run: Run, _: Reader,
    kind: Annotated[str, Query(pattern=r"^(clause|objective|annex_a_control)?$")] = "",
    offset: Offset = 0, limit: Limit = 200,
) -> dict[str, Any]:  # fmt: skip
    """ISO/IEC 42001 clauses, Annex A objectives and controls (ids and short titles only)."""
    return page(await run(cw.clauses, store, kind), offset, limit)


crosswalk = APIRouter(prefix="/crosswalk", tags=["crosswalk"], responses=ERRORS)


@crosswalk.get("", response_model=Page[PairOut])
async def list_pairs(
    store: StoreDep, run: Run, _: Reader,
    article: Annotated[str, Query(pattern=r"^(\d{1,3}|Annex [IVX]{1,5})?$")] = "",
    clause: Annotated[str, Query(pattern=ISO_NUMBER)] = "",
    offset: Offset = 0, limit: Limit = 200,
) -> dict[str, Any]:  # fmt: skip
    """ISO clause -> AI Act article pairs with relation, rationale, confidence and source."""
    return page(await run(cw.pairs, store, article, clause), offset, limit)
