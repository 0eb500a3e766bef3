"""`clausegraph digest --send` against a real SMTP server (aiosmtpd) on loopback: each owner
with an address gets their own digest, a second send the same day sends nothing, and every
delivery is in the change log."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from api.session import Clausegraph
from graph.stores.ladybug_store import LadybugStore
from tests.api.test_uvicorn import free_port
from tests.findings.conftest import ACME

EXE = str(Path(sys.executable).parent / "clausegraph")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _cli(db: Path, port: int | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}  # fmt: skip
    if port is not None:
        env |= {"CLAUSEGRAPH_SMTP_HOST": "127.0.0.1", "CLAUSEGRAPH_SMTP_PORT": str(port),
                "CLAUSEGRAPH_SMTP_SECURITY": "none",
                "CLAUSEGRAPH_SMTP_SENDER": "cg@acme.example"}  # fmt: skip
    return subprocess.run([EXE, "--db", str(db), *args], env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def _reconciled_acme(db: Path) -> tuple[set[str], dict[str, str]]:
    """The sample organisation, findings reconciled, store closed: (owners with a digest today,
    every owner's e-mail address)."""
    store = LadybugStore(db)
    try:
        store.apply_schema()
        cg = Clausegraph(store)
        cg.load_catalogs()
        cg.load_inventory(ACME)
        cg.reconcile()
        owners = {str(e["owner"]) for e in cg.digest()}
        return owners, {o["id"]: o["email"] for o in store.read("review.owners")}
    finally:
        store.close()


def test_each_owner_gets_their_digest_once_a_day(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    db = tmp_path / "g.db"
    expected, emails = _reconciled_acme(db)
    assert expected, "the sample organisation has something due for someone"

    done = _cli(db, port, "digest", "--send")
    assert done.returncode == 0, done.stderr
    to = sorted(m["To"] for m in inbox.messages)
    assert to == sorted(emails[o] for o in expected if emails.get(o))
    for m in inbox.messages:
        owner = next(o for o, a in emails.items() if a == m["To"])
        body = m.get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert f"## {owner}" in body and body.count("\n## ") == 1, "only the owner's own items"
        assert m["From"] == "cg@acme.example"

    again = _cli(db, port, "digest", "--send")
    assert again.returncode == 0, again.stderr
    assert len(inbox.messages) == len(to), "a second send the same day sends nothing"
    assert f"{len(to)} already sent today" in again.stderr

    store = LadybugStore(db, read_only=True)
    try:
        delivered = store.keys("DigestDelivery")
        log = [e for e in store.read("audit.events_between", from_seq=0, to_seq=10**12)
               if e["entity_kind"] == "DigestDelivery"]  # fmt: skip
    finally:
        store.close()
    assert len(delivered) == len(to) == len(log)
    assert all(e["change"] == "created" for e in log)


def test_send_without_a_server_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    _reconciled_acme(db)
    done = _cli(db, None, "digest", "--send")
    assert done.returncode != 0 and "CLAUSEGRAPH_SMTP_HOST" in done.stderr
