"""What one answer may cost: its size (decompressed), the time of one attempt, and the size of one message sent.

A server (or something in between) can answer anything: a gzip bomb, a body that never ends, a body dripped one
byte at a time so that no read ever times out, a result array of millions of entries. Each costs memory and time
in the caller's process; these limits bound both. The drivers (`engine.run_sync`, `engine.run_async`) read every
answer through a `BodyReader`, which counts what the body decodes to and watches the attempt's deadline.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx

from .errors import InvalidInputError

__all__ = [
    "DEFAULT_LIMITS",
    "BodyReader",
    "DeadlineBeforeSending",
    "DeadlineExceeded",
    "Limits",
    "ResponseTooLarge",
    "StackedEncoding",
    "check_message_bytes",
    "send_answer_limit",
]

MiB = 1024 * 1024


def _positive(what: str, *, integer: bool) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not 0 < value < math.inf:
            raise InvalidInputError(f"Limits.{attribute.name} must be {what} > 0, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on what one request may cost; `np6.Client(limits=np6.Limits(...))`.

    - `max_response_bytes` (16 MiB): the largest answer body read, counted after decompression. A larger one is
      not read further: `np6.ResponseTooLargeError` (on a send, an unknown outcome: NP6 answered, so it may have
      processed the messages). A send's answer is also held to 64 KiB plus 4 KiB per message sent, far above
      what NP6 answers and far below what a hostile result array would cost to decode.
    - `attempt_deadline` (120 s): the longest one attempt may take, from sending the request to the end of the
      answer's body. Unlike `timeout` (each wait for the network), a server that sends a byte now and then cannot
      extend it: the attempt ends as a timeout (`np6.APITimeoutError`, retried by the rules of a timeout). The
      async client runs the attempt under `asyncio.timeout` (a deadline passed while connecting is a request not
      sent); the sync client's own connections cap every network wait at the time left (`_core/deadlines.py`).
      With a transport of the caller's, or an environment proxy, the sync client checks it between body reads.
    - `max_message_bytes` (1 MiB): the largest message sent, as JSON. A larger message is refused before any
      request: `np6.InvalidInputError` for `send()`, a `rejected` outcome with the reason in `send_many`.
    """

    max_response_bytes: int = attrs.field(default=16 * MiB, validator=_positive("a number of bytes", integer=True))
    attempt_deadline: float = attrs.field(default=120.0, validator=_positive("a number of seconds", integer=False))
    max_message_bytes: int = attrs.field(default=1 * MiB, validator=_positive("a number of bytes", integer=True))


DEFAULT_LIMITS = Limits()

_SEND_ANSWER_BASE = 64 * 1024
_SEND_ANSWER_PER_MESSAGE = 4 * 1024


def check_message_bytes(size: int, limit: int) -> None:
    """Refuse, before any request, a message of `size` bytes as JSON over `Limits.max_message_bytes`."""
    if size > limit:
        raise InvalidInputError(
            f"the message is {size:,} bytes as JSON, over np6.Limits.max_message_bytes ({limit:,}): not sent"
        )


def send_answer_limit(limits: Limits, messages: int) -> int:
    """The largest answer read for a send of `messages` messages."""
    return min(limits.max_response_bytes, _SEND_ANSWER_BASE + _SEND_ANSWER_PER_MESSAGE * messages)


class ResponseTooLarge(httpx.RequestError):
    """The answer's body went over its limit; raised by the drivers, mapped to `np6.ResponseTooLargeError`."""

    def __init__(self, message: str, *, request: httpx.Request, response: httpx.Response, limit: int) -> None:
        super().__init__(message, request=request)
        self.response = response
        self.limit = limit


class DeadlineExceeded(httpx.ReadTimeout):
    """The attempt went past `Limits.attempt_deadline`: a timeout like any other, retried by the same rules."""


class DeadlineBeforeSending(httpx.PoolTimeout):
    """The deadline passed before the request started to go out: a timeout that sent nothing (safe to retry)."""


class StackedEncoding(httpx.DecodingError):
    """An answer whose body stacks content encodings; not decoded."""


class _Watched(httpx.SyncByteStream):
    def __init__(self, stream: Any, reader: BodyReader) -> None:
        self._stream = stream
        self._reader = reader

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._reader.tick()
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _Sending:
    """An async httpcore trace hook. `started` is False only on proof that nothing went out: httpcore was seen
    opening the connection (`connection.*` events) and never began to write the request's headers. Without
    such proof (a transport that emits no events, the in-process sandbox's included) the request counts as sent."""

    __slots__ = ("chained", "connecting", "writing")

    def __init__(self, chained: Any) -> None:
        self.connecting = False
        self.writing = False
        self.chained = chained

    @property
    def started(self) -> bool:
        return self.writing or not self.connecting

    async def __call__(self, event: str, info: Any) -> None:
        if event.startswith("connection."):
            self.connecting = True
        elif event.startswith(("http11.send_request_headers", "http2.send_request_headers")):
            self.writing = True
        if self.chained is not None:
            await self.chained(event, info)


class BodyReader:
    """The answer's body of one attempt, taken chunk by chunk (decoded), within its size and time limits.

    Sans-IO: the drivers feed it what `iter_bytes()`/`aiter_bytes()` yield; it raises `ResponseTooLarge` or
    `DeadlineExceeded` (both `httpx.RequestError`s, so the engine sees a transport failure) and builds the
    response the engine parses.
    """

    __slots__ = ("_chunks", "_deadline", "_size", "clock", "limit", "request")

    def __init__(
        self,
        request: httpx.Request,
        limit: int,
        deadline: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.request = request
        self.limit = limit
        self.clock = clock
        self._deadline = clock() + deadline
        self._chunks: list[bytes] = []
        self._size = 0

    @property
    def deadline_at(self) -> float:
        """The attempt's deadline, a `clock()` instant."""
        return self._deadline

    def remaining(self) -> float:
        """Seconds left before the deadline (at least a millisecond: httpx takes 0 as "do not wait")."""
        return max(self._deadline - self.clock(), 0.001)

    def bound_read_timeout(self) -> None:
        """Caps each network wait of the attempt at the time it has left (the sync driver's half of the deadline)."""
        extensions = self.request.extensions
        # The caller's timeouts, kept aside on the first attempt: a retry sends the same request object again.
        original = extensions.setdefault("np6_timeout", dict(extensions.get("timeout") or {}))
        timeouts = dict(original)
        remaining = self.remaining()
        for phase in ("connect", "read", "write", "pool"):
            current = timeouts.get(phase)
            timeouts[phase] = remaining if current is None else min(current, remaining)
        self.request.extensions["timeout"] = timeouts

    def add(self, chunk: bytes, response: httpx.Response) -> None:
        self._size += len(chunk)
        if self._size > self.limit:
            raise ResponseTooLarge(
                f"the answer's body is larger than {self.limit:,} bytes (decompressed): not read further",
                request=self.request,
                response=response,
                limit=self.limit,
            )
        self._chunks.append(chunk)
        self.tick()

    def deadline_exceeded(self, *, sent: bool = True) -> httpx.TimeoutException:
        """The error of an attempt past its deadline; `sent=False` when its request had not started to go out
        (waiting for a connection, connecting, the TLS handshake): then nothing can have been processed."""
        if not sent:
            return DeadlineBeforeSending(
                "the attempt's deadline (Limits.attempt_deadline) passed before its request was sent",
                request=self.request,
            )
        return DeadlineExceeded("the attempt went past its deadline (Limits.attempt_deadline)", request=self.request)

    def check_head(self, response: httpx.Response) -> None:
        """Refuse stacked content encodings (`gzip, gzip`): httpx decodes each layer whole per network read, so
        a few kilobytes could expand past any limit before a chunk is counted. NP6 never stacks them."""
        encodings = [part.strip() for part in response.headers.get_list("content-encoding", split_commas=True)]
        if len([part for part in encodings if part and part != "identity"]) > 1:
            raise StackedEncoding(f"the answer stacks content encodings ({', '.join(encodings)})", request=self.request)

    def watch(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream | Any) -> Any:
        """The raw stream of the sync client's answer, checking the deadline at each network read (a body of
        empty compressed blocks decodes to nothing, and would never reach `add`)."""
        return _Watched(stream, self)

    def watch_sending(self) -> _Sending:
        """A trace hook on the request that notes when its headers start to go out (async client)."""
        watcher = _Sending(self.request.extensions.get("trace"))
        self.request.extensions["trace"] = watcher
        return watcher

    def tick(self) -> None:
        if self.clock() > self._deadline:
            raise self.deadline_exceeded()

    def response(self, streamed: httpx.Response) -> httpx.Response:
        """`streamed` with the body read, as `send(stream=False)` gives it: headers, elapsed time and all.

        httpx has no public way to hand a streamed response the body read from it (its `read()` would read the
        stream again, unbounded); `_content` is what that `read()` sets. The tests of the limits fail at once if
        a new httpx stores it elsewhere.
        """
        streamed._content = b"".join(self._chunks)
        return streamed
