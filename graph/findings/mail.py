"""Mail each owner their remediation digest, at most once a day, and record every delivery.

A delivery is a ``DigestDelivery`` node (key ``<day>:<owner>``) written through the store's
audited write path right after that owner's message is accepted by the SMTP server, so the
change log records who was sent what and when, and a second ``--send`` the same day finds the
node and sends nothing again (also after a crash half-way: the owners already sent are
recorded). Owners without an e-mail address are reported, never silently skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from graph.errors import ClausegraphError
from graph.findings.digest import SECTIONS, markdown
from graph.settings import MailSettings
from graph.stores import NodeRows, Store, WriteBatch

LABEL = "DigestDelivery"


class MailNotConfigured(ClausegraphError):
    """--send without an SMTP server (CLAUSEGRAPH_SMTP_HOST)."""


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # owner ids
    already: list[str] = field(default_factory=list)  # sent earlier the same day
    no_email: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"digest: sent to {len(self.sent)} owner(s), {len(self.already)} already sent "
                f"today, {len(self.no_email)} without an e-mail address"
                + (f" ({', '.join(self.no_email)})" if self.no_email else ""))  # fmt: skip


def _connect(cfg: MailSettings) -> smtplib.SMTP:
    if not cfg.host:
        raise MailNotConfigured("set CLAUSEGRAPH_SMTP_HOST (and _PORT, _SECURITY, _USER, "
                                "_PASSWORD, _SENDER) to send digests")  # fmt: skip
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if cfg.security == "tls":
        server = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=context)
    else:
        server = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        if cfg.security == "starttls":
            server.starttls(context=context)
    if cfg.user:
        server.login(cfg.user, cfg.password.get_secret_value() if cfg.password else "")
    return server


def send_digests(
    store: Store, entries: list[dict[str, Any]], today: dt.date, within_days: int,
    cfg: MailSettings,
) -> SendReport:  # fmt: skip
    """Mail every entry's owner the digest of their own items (see module docstring)."""
    report = SendReport()
    emails = {o["id"]: o["email"] for o in store.read("review.owners")}
    done = set(store.keys(LABEL))
    todo = []
    for entry in entries:
        owner = str(entry["owner"])
        if f"{today.isoformat()}:{owner}" in done:
            report.already.append(owner)
        elif not emails.get(owner):
            report.no_email.append(owner)
        else:
            todo.append(entry)
    if not todo:
        return report
    with _connect(cfg) as server:
        for entry in todo:
            owner = str(entry["owner"])
            body = markdown([entry], today, within_days)
            msg = EmailMessage()
            msg["From"], msg["To"] = cfg.sender, str(emails[owner])
            msg["Subject"] = f"clausegraph: your remediation digest for {today.isoformat()}"
            msg["Message-ID"] = make_msgid(domain="clausegraph")
            msg.set_content(body)
            server.send_message(msg)
            items = sum(len(entry[s]) for s in SECTIONS)
            store.write(WriteBatch(nodes=[NodeRows(LABEL, [{
                "id": f"{today.isoformat()}:{owner}", "owner": owner, "email": emails[owner],
                "day": today, "sha256": hashlib.sha256(body.encode()).hexdigest(),
                "items": items}])]))  # fmt: skip
            report.sent.append(owner)
    return report
