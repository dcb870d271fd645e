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
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["critical", "deferring_sigint"]

_depth = 0
_pending = False


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _depth:
        _pending = True
        return
    raise KeyboardInterrupt


@contextmanager
def critical() -> Iterator[None]:
    """A section that Ctrl-C must not cut in two (effective under `deferring_sigint`)."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _pending:
            _pending = False
            raise KeyboardInterrupt


@contextmanager
def deferring_sigint() -> Iterator[None]:
    global _pending
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    _pending = False
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is _on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)
