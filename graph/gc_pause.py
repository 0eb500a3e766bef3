"""Python's cyclic garbage collector paused while a step builds millions of long-lived objects.

CPython starts a full collection after enough allocations, and each one walks every tracked
object on the heap. Building the 1.3M gaps of the report at 100,000 systems set off 6-11 full
collections that found almost nothing: 4-8 s of a 14-18 s report (docs/performance.md,
"Gap report"). The objects these steps build hold no reference cycles, so reference counting
frees them as before; cycles made meanwhile are collected once the step ends and the collector
is on again. Only for steps that read and shape: the findings' first reconcile, paused, grew
past 24 GB at 100k (its writes leave cyclic garbage that must be collected as it goes). Nested
and concurrent uses share one count: the collector comes back when the last of them ends, and
only if it was on before the first.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_lock = threading.Lock()
_active = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block (explicit ``gc.collect()`` still works)."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()


def gc_paused(fn: Callable[P, T]) -> Callable[P, T]:
    """``fn`` run inside :func:`paused`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with paused():
            return fn(*args, **kwargs)

    return wrapper
