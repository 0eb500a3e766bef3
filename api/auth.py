"""API keys with roles. Keys are stored as sha256 hashes and compared in constant time.

The keys file (``CLAUSEGRAPH_API_KEYS_FILE``) is a JSON list written by
``clausegraph keys create``: ``[{"name": "ci", "role": "reader", "sha256": "<hex>"}]``.
A key is sent as ``X-API-Key: <key>`` (or ``Authorization: Bearer <key>``).
Roles are ordered: reader < analyst < editor < approver < admin; a route names the least role
it needs (docs/api.md, docs/remediation.md): analysts work findings, editors also ingest,
approvers also sign off and accept risks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from graph.errors import ClausegraphError

Role = Literal["reader", "analyst", "editor", "approver", "admin"]
# The same order as graph.findings.transitions.ROLES (a test checks).
RANK: dict[str, int] = {"reader": 0, "analyst": 1, "editor": 2, "approver": 3, "admin": 4}


class AuthError(ClausegraphError):
    """Missing or invalid API key (401)."""


class Forbidden(ClausegraphError):
    """Valid key, insufficient role (403)."""


class KeyConfigError(ClausegraphError):
    """The keys file is missing or malformed."""


class StoredKey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=64)
    role: Role
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


_KEYS = TypeAdapter(list[StoredKey])


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def load_keys(path: Path) -> list[StoredKey]:
    try:
        return _KEYS.validate_json(path.read_bytes())
    except OSError as e:
        raise KeyConfigError(f"cannot read API keys file {path}: {e.strerror or e}") from None
    except ValidationError as e:
        raise KeyConfigError(f"API keys file {path} is malformed: {e.errors()[0]['msg']}") from None


def authenticate(presented: str | None, keys: list[StoredKey]) -> Principal:
    if not presented:
        raise AuthError("missing API key: send it as X-API-Key")
    wanted = digest(presented)
    match = None
    for k in keys:  # compare against every key so timing does not reveal which one matched
        if hmac.compare_digest(k.sha256, wanted):
            match = k
    if match is None:
        raise AuthError("invalid API key")
    return Principal(match.name, match.role)


def authorise(principal: Principal, needed: Role) -> None:
    if RANK[principal.role] < RANK[needed]:
        raise Forbidden(f"this needs the {needed} role; key {principal.name!r} is {principal.role}")


def create_key(path: Path, name: str, role: Role) -> str:
    """Add a new random key to the file (created if absent) and return it; only its hash is kept."""
    keys = load_keys(path) if path.exists() else []
    if any(k.name == name for k in keys):
        raise KeyConfigError(f"a key named {name!r} already exists in {path}")
    key = "cg_" + secrets.token_urlsafe(32)
    keys.append(StoredKey(name=name, role=role, sha256=digest(key)))
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps([k.model_dump() for k in keys], indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return key
