"""A bounded pool of LadybugDB read connections on one Database (see docs/api.md)."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from graph.errors import StoreUnavailable


class PoolClosed(StoreUnavailable):
    """The pool was closed: the store is closing, or swapping its database file."""


def default_read_connections() -> int:
    """Read connections per store: one per core, at least 2, at most 8 (see docs/api.md)."""
    return max(2, min(8, os.cpu_count() or 2))


class _Waiter:
    """A thread waiting for a read connection; a returned connection is handed to it."""

    __slots__ = ("conn", "ready")

    def __init__(self) -> None:
        self.conn: Any | None = None
        self.ready = threading.Event()


class ReadPool:
    """A bounded pool of read connections on one Database, opened on first use.

    LadybugDB runs read-only queries on different connections of one Database concurrently and
    releases the GIL while a query runs. Every statement sees one committed state: a write
    transaction on the writer's connection is invisible to these connections until COMMIT.
    A connection is used by one thread at a time (each runs its queries on one engine thread,
    so concurrent queries do not oversubscribe the cores). When all are busy, waiting threads
    are served first come, first served: a returned connection goes straight to the longest
    waiter, so no reader is overtaken indefinitely under load.
    """

    def __init__(self, connect: Callable[[], Any], size: int) -> None:
        if size < 1:
            raise ValueError("a read pool needs at least one connection")
        self._connect = connect  # opens one read connection
        self.size = size
        self._idle: list[Any] = []
        self._waiters: deque[_Waiter] = deque()
        self._opened = 0
        self._closed = False
        self._cond = threading.Condition()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)

    def acquire(self) -> Any:
        while True:
            with self._cond:
                if self._closed:
                    raise PoolClosed("the store is closed")
                if self._idle:
                    return self._idle.pop()
                if self._opened < self.size:
                    self._opened += 1
                    waiter = None
                else:
                    waiter = _Waiter()
                    self._waiters.append(waiter)
            if waiter is None:
                return self._open()
            waiter.ready.wait()
            if waiter.conn is not None:
                return waiter.conn
            # woken without a connection: the pool closed, or a slot freed up; try again

    def try_acquire(self) -> Any | None:
        """An idle connection (or a new one while the pool is not full), or None at once: for
        a caller that must not wait, such as an event loop answering from the read model."""
        with self._cond:
            if self._closed:
                raise PoolClosed("the store is closed")
            if self._idle:
                return self._idle.pop()
            if self._opened >= self.size:
                return None
            self._opened += 1
        return self._open()

    def _open(self) -> Any:
        try:
            return self._connect()
        except BaseException:
            with self._cond:
                self._opened -= 1
                if self._waiters:  # let the next waiter try to open one instead
                    self._waiters.popleft().ready.set()
            raise

    def release(self, conn: Any) -> None:
        with self._cond:
            if self._waiters and not self._closed:
                waiter = self._waiters.popleft()
                waiter.conn = conn
                waiter.ready.set()
                return
            self._idle.append(conn)
            self._cond.notify_all()  # close() may be waiting for the reads in flight

    def close(self) -> None:
        """Refuse new reads, wait for the reads in flight, close every connection."""
        with self._cond:
            self._closed = True
            while self._waiters:
                self._waiters.popleft().ready.set()
            while len(self._idle) < self._opened:
                self._cond.wait()
            for conn in self._idle:
                conn.close()
            self._idle.clear()
            self._opened = 0
