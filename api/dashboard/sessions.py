"""Browser sessions: an API key, presented once in the login form, becomes a session cookie.

The cookie holds a random session id and its HMAC (the server's secret, SHA-256); the session
itself (key name, role, expiry, CSRF token) lives in memory on the server. So logout ends it at
once (the id is forgotten, a copied cookie is worthless), a restart ends every session, and
nothing about the key is ever in the cookie. The secret is ``CLAUSEGRAPH_SESSION_SECRET`` or,
when unset, random per process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

COOKIE = "cg_session"


@dataclass(frozen=True)
class Session:
    name: str
    role: str
    csrf: str
    expires: float


class Sessions:
    def __init__(self, secret: str | None, max_age_s: int) -> None:
        self._secret = (secret or secrets.token_urlsafe(32)).encode()
        self.max_age_s = max_age_s
        self._live: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _sign(self, sid: str) -> str:
        return hmac.new(self._secret, sid.encode(), hashlib.sha256).hexdigest()

    def start(self, name: str, role: str) -> tuple[str, Session]:
        """A new session: (cookie value, session)."""
        sid = secrets.token_urlsafe(24)
        session = Session(name, role, secrets.token_urlsafe(24), time.time() + self.max_age_s)
        with self._lock:
            now = time.time()
            self._live = {k: v for k, v in self._live.items() if v.expires > now}
            self._live[sid] = session
        return f"{sid}.{self._sign(sid)}", session

    def get(self, cookie: str | None) -> Session | None:
        """The live session a cookie names, or None (absent, forged, expired or ended)."""
        if not cookie or "." not in cookie:
            return None
        sid, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._sign(sid)):
            return None
        with self._lock:
            session = self._live.get(sid)
            if session is not None and session.expires <= time.time():
                del self._live[sid]
                return None
        return session

    def end(self, cookie: str | None) -> None:
        if cookie and "." in cookie:
            with self._lock:
                self._live.pop(cookie.rsplit(".", 1)[0], None)
