"""Ctrl-C during a synchronous send lands between two records, never inside one.

Python raises KeyboardInterrupt between any two bytecodes. A report (and its journal) written half-way, say an
outcome stored without its count, would break the promise of one outcome per message. While a synchronous
`send_many` runs in the main thread under Python's default SIGINT handler, `deferring_sigint()` replaces that
handler with one that raises at once, except inside a `critical()` section, where the interrupt waits for the
section's end. A program with its own SIGINT handler keeps it (and its own responsibility). Async sends need none
of this: `asyncio.run` turns Ctrl-C into a cancellation, which only lands on an `await`.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

__all__ = ["critical", "deferring_sigint"]

_depth = 0
_pending = False


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _depth:
        _pending = True
        return
    _interrupt()


def _interrupt() -> None:
    # The send stops here: Python's own handler is back before the interrupt is raised, so that no interrupt
    # landing anywhere later (even in the code that would restore it) can leave this one installed.
    if signal.getsignal(signal.SIGINT) is _on_sigint:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    raise KeyboardInterrupt


class _Critical:
    """A section that Ctrl-C must not cut in two (effective under `deferring_sigint`). A class rather than a
    generator: nothing runs between the count going up and the exit handler being in place."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth
        if threading.current_thread() is threading.main_thread():
            _depth += 1

    def __exit__(self, *exc: object) -> None:
        global _depth, _pending
        if threading.current_thread() is not threading.main_thread():
            return
        _depth -= 1
        if not _depth and _pending:
            _pending = False
            _interrupt()


_CRITICAL = _Critical()


def critical() -> _Critical:
    return _CRITICAL


class _Deferring:
    """Installs the deferring SIGINT handler for a sync send (see the module docstring), and puts Python's back.
    A class rather than a generator: the handler is installed by the last statement of `__enter__`, after which
    the exit handler is already in place, so an interrupt cannot leave it installed."""

    __slots__ = ("_installed",)

    def __init__(self) -> None:
        self._installed = False

    def __enter__(self) -> None:
        global _pending, _depth
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            _pending, _depth = False, 0
            self._installed = True
            signal.signal(signal.SIGINT, _on_sigint)

    def __exit__(self, *exc: object) -> None:
        if self._installed and signal.getsignal(signal.SIGINT) is _on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        self._installed = False


def deferring_sigint() -> _Deferring:
    return _Deferring()
