"""One exception tree for the whole product.

The CLI maps it to exit codes (``api/cli`` ``ExitCode``) and the HTTP API to status codes, each
in one place. Messages are written for the person who has to act on them: they name the file,
row and field, the query, or the store URI (never a password).
"""

from __future__ import annotations

from dataclasses import dataclass

# The root and the registry's errors live in the lowest room (queries/); re-exported here.
from queries.errors import ClausegraphError as ClausegraphError
from queries.errors import QueryDefinitionError as QueryDefinitionError
from queries.errors import QueryNotFound as QueryNotFound


class StoreUnavailable(ClausegraphError):
    """The store cannot be opened or reached (bad path, server down, locked by a writer)."""


class StoreLocked(StoreUnavailable):
    """Another process holds the embedded store's write lock."""


class SchemaMismatch(ClausegraphError):
    """The store holds tables/constraints that disagree with ``graph/schema.py``."""


class NotLoaded(ClausegraphError):
    """The store lacks what a report needs (no catalogs, or no inventory): an empty answer would
    read as "no gaps" when nothing was checked."""


class InvalidParameters(ClausegraphError):
    """A query was called with missing, unexpected or wrongly typed parameters."""


class QueryFailed(ClausegraphError):
    """The store refused to run a query (e.g. a parameter of the wrong type)."""


class WriteFailed(ClausegraphError):
    """A write batch was refused by the store; nothing of it was written."""


class StaleWrite(ClausegraphError):
    """A write expected a stored value (a finding's version) that another write changed first;
    nothing was written (HTTP 409)."""


@dataclass(frozen=True)
class RowError:
    """One problem in one input row: where it is, which field, what value, and why."""

    file: str
    row: int | None
    field: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file + (f" row {self.row}" if self.row is not None else "")
        what = f" field {self.field!r}" if self.field else ""
        # said once is enough: a message that ends with the value ("... unknown asset x2")
        shown = self.value is None or self.message.endswith(f" {self.value}")
        val = "" if shown else f" (value {self.value!r})"
        return f"{where}:{what} {self.message}{val}"


class LoadValidationError(ClausegraphError):
    """A batch failed validation; it lists every problem found, and nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "\n  ".join(str(e) for e in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(
            f"{len(errors)} invalid input problem(s); nothing was written:\n  {shown}{more}"
        )
