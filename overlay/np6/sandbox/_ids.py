"""Message, event and request ids of a sandbox, in the uuid4 form: random, or reproducible when a seed is given.

Why a counter under a random prefix: the sandbox makes three ids per message, and `uuid.uuid4()` costs more than
the rest of a send's bookkeeping. Each sandbox draws 80 random bits once (the first 20 hex digits, with the
version and variant digits of a uuid4) and counts in the last 12: ids stay unique within the sandbox, and differ
between sandboxes (but from a shared seed) as uuid4s would.

Why serials: an event's ids are only read when an answer lists the event, which most never are. A send reserves
the serials of all its ids at once (`reserve`) and `format_id` writes an event's ids when an answer lists it.
"""

from __future__ import annotations

import random
import threading
import uuid

__all__ = ["Ids", "format_id"]

_LOW_BITS = 0xFFFFFFFFFFFF


def format_id(prefix: str, serial: int) -> str:
    """The id of `serial` under `prefix` (see `Ids.prefix`)."""
    return f"{prefix}{serial & _LOW_BITS:012x}"


class Ids:
    """The id source of one sandbox."""

    def __init__(self, seed: int | None = None) -> None:
        draw = random.Random(seed) if seed is not None else random.SystemRandom()
        head = uuid.UUID(int=draw.getrandbits(128), version=4).hex[:20]
        self.prefix: str = f"{head[:8]}-{head[8:12]}-{head[12:16]}-{head[16:20]}-"
        self._next = draw.getrandbits(40)
        self._lock = threading.Lock()  # the loopback server draws request ids from its threads

    def reserve(self, count: int) -> int:
        """Reserve `count` consecutive serials; return the first."""
        with self._lock:
            first = self._next
            self._next += count
            return first

    def serial(self) -> int:
        """A new serial."""
        return self.reserve(1)

    def uuid(self) -> str:
        """A new id in the uuid4 form."""
        return format_id(self.prefix, self.reserve(1))
