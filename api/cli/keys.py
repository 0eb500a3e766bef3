"""API keys for the HTTP API: created here, stored hashed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

keys_app = typer.Typer(help="API keys for `clausegraph serve`.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key, e.g. ci, alice.")],
    role: Annotated[
        str,
        typer.Option(
            help="reader < analyst (works findings) < editor (also ingests) < approver "
            "(also signs off and accepts) < admin (docs/api.md)."
        ),
    ] = "reader",
    file: Annotated[
        Path,
        typer.Option(
            envvar="CLAUSEGRAPH_API_KEYS_FILE",
            help="Keys file (created if absent): the one `serve` reads, CLAUSEGRAPH_API_KEYS_FILE, "
            "when that is set.",
        ),
    ] = Path("api-keys.json"),
) -> None:
    """Create a key, store only its sha256 in the keys file, and print the key once."""
    from api.auth import RANK, create_key

    if role not in RANK:
        raise typer.BadParameter(f"role must be one of {', '.join(RANK)}")
    key = create_key(file, name, role)  # type: ignore[arg-type]  # checked just above
    typer.echo(key)
    typer.echo(f"stored the hash of {name}'s {role} key in {file}; the key is not kept", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
