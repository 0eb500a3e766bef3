"""The LadybugDB store's files beside the engine's: the writer lock that outlives a swap, the
staged copy, and fsync. (Stage and swap itself: ``LadybugStore._stage_and_swap``.)

LadybugDB 0.22 keeps a database in one file plus a ``.wal``; its writer lock is a POSIX lock on
that file's inode, which a swap replaces and which any open/close of the file *in this process*
silently drops (fcntl locks are per process and inode).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

from graph.errors import WriteFailed

# sendfile/copy_file_range where the OS has it; fsync so the stage is durable before it is used
_COPY_FILE = (
    "import os, shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2]); "
    "fd = os.open(sys.argv[2], os.O_RDONLY); os.fsync(fd); os.close(fd)"
)

# writer lock file (real path) -> [descriptor, store objects of this process using it]
_WRITERS: dict[str, list[int]] = {}
_WRITERS_LOCK = threading.Lock()


def side(db: Path, suffix: str) -> Path:
    """A file next to the database: ``<db>.<suffix>``."""
    return db.with_name(f"{db.name}.{suffix}")


class WriterLock:
    """An flock on ``<db>.writer.lock``, held while a store has the database open for writing.
    Like the engine's lock it is per process: store objects of one process on one path share it
    (the engine lets one process open a file twice, and the API tests do). The last release
    deletes the file, so a closed store leaves nothing behind."""

    def __init__(self, db: Path) -> None:
        self._key = os.path.realpath(side(db, "writer.lock"))
        with _WRITERS_LOCK:
            if self._key in _WRITERS:
                _WRITERS[self._key][1] += 1
                return
            _WRITERS[self._key] = [_lock_file(self._key), 1]

    def sole(self) -> bool:
        """No other store object of this process holds it (that one would keep using the old
        file after a swap)."""
        with _WRITERS_LOCK:
            return _WRITERS[self._key][1] == 1

    def release(self) -> None:
        with _WRITERS_LOCK:
            entry = _WRITERS[self._key]
            entry[1] -= 1
            if entry[1] == 0:
                os.unlink(self._key)  # while still locked: see _lock_file
                os.close(entry[0])
                del _WRITERS[self._key]


def _lock_file(path: str) -> int:
    """Open and flock ``path``. The holder deletes the file before unlocking, so a lock won on
    a file that is no longer at ``path`` (deleted, or replaced by a newer one) is worthless:
    try again on the file that is there now."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OSError("writer lock is held by another process") from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def remove_stale_stages(db: Path) -> None:
    """A staged copy left by a writer that died before the swap: never swapped, discard."""
    for p in db.parent.glob(f"{db.name}.stage*"):
        p.unlink(missing_ok=True)


def copy_durably(src: Path, dst: Path) -> None:
    """Copy and fsync ``src`` to ``dst`` in a child process: opening and closing the database
    file in *this* process would drop the engine's lock on it."""
    try:
        subprocess.run(  # noqa: S603 - our own interpreter, fixed code, two paths
            [sys.executable, "-c", _COPY_FILE, str(src), str(dst)], check=True, capture_output=True
        )
    except subprocess.CalledProcessError as e:
        raise WriteFailed(f"cannot stage a copy of {src}: {e.stderr!r}") from None


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
