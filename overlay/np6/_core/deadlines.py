"""The sync client's half of `Limits.attempt_deadline`: network streams whose every wait ends at the deadline.

Why a network backend: httpcore reads the timeouts of a request once per phase and waits that long for each read,
so a server that sends its headers one byte at a time, each byte within the timeout, could keep a synchronous
attempt going for hours. The async client puts the whole attempt under `asyncio.timeout`; a blocking read cannot
be interrupted that way, but it can be given no longer to wait than the attempt has left. The driver sets the
attempt's deadline (`attempt_deadline`); the streams of the client's own pool (`deadline_streams.py`, which needs
httpcore: a client on another transport never loads it) read it before each wait.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator
from contextvars import ContextVar

__all__ = ["attempt_deadline", "bounded"]

_DEADLINE: ContextVar[float | None] = ContextVar("np6_attempt_deadline", default=None)


@contextlib.contextmanager
def attempt_deadline(at: float) -> Generator[None, None, None]:
    """Every network wait of the sync client, in this context, ends by `at` (a `time.monotonic()` instant)."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout`, or less: no later than the attempt's deadline; `expired` raised once it has passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the attempt went past its deadline (Limits.attempt_deadline)")
    return remaining if timeout is None else min(timeout, remaining)
