"""The collector pause: off inside, back on after the last of nested or concurrent uses, and
left off if it was off before; the gap report and the gap rows' update use it. (Not the
findings' reconcile: paused, its first run at 100k grew past 24 GB and was killed, so its
writes leave cyclic garbage that must be collected as it goes.)"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable, Iterator

import pytest

from graph import gc_pause
from graph.gaprows.model import update
from graph.gaps import find_gaps


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_nested_pauses_restore_the_collector_after_the_outer_one() -> None:
    with gc_pause.paused():
        assert not gc.isenabled()
        with gc_pause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner block ended; the outer one still runs"
    assert gc.isenabled()


def test_an_exception_still_restores_the_collector() -> None:
    with pytest.raises(ValueError), gc_pause.paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with gc_pause.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_threads_turn_it_back_on_once_both_end() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_pause.paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other)
    with gc_pause.paused():
        worker.start()
        assert inside.wait(5)
    assert not gc.isenabled(), "the other thread's step still runs"
    release.set()
    worker.join(5)
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("module", "inner", "call"),
    [
        ("graph.gaps", "run_rule", lambda: find_gaps(None, None)),  # type: ignore[arg-type]
        ("graph.gaprows.model", "current", lambda: update(None, None)),  # type: ignore[arg-type]
    ],
)
def test_the_bulk_steps_run_with_the_collector_off(
    monkeypatch: pytest.MonkeyPatch, module: str, inner: str, call: Callable[[], object]
) -> None:
    """Each step's first inner call sees the collector off (and stops the step there)."""
    seen: list[bool] = []

    class Stop(Exception):
        pass

    def spy(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        raise Stop

    monkeypatch.setattr(importlib.import_module(module), inner, spy)
    with pytest.raises(Stop):
        call()
    assert seen == [False]
    assert gc.isenabled(), "and back on after it failed"
