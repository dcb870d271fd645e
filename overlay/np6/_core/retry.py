"""When a failed request is retried, and after how long.

The rule that matters: a send (`/execution`, `/executions`) that NP6 may have processed is never retried
automatically, because NP6 has no idempotency key and a retry could deliver the messages twice.

A request is known not to have been processed when it provably never reached NP6 whole: the connection was
refused, or (sync client, own connection pool) the socket refused part of its bytes. httpcore hides the second
case: it swallows the write error and then reads, so the caller only sees the read fail ("Server disconnected",
"Connection reset"), exactly as if the answer had been lost. `WriteWatch`, an httpcore `trace` hook put on each
attempt, records that the write failed, so that such a failure is classified as not sent.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
import httpx

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidInputError,
    NP6Error,
    ResponseTooLargeError,
    status_error,
)
from .limits import ResponseTooLarge
from .logs import scrub_exception, scrub_head
from .rate_limit import retry_after_seconds

__all__ = [
    "Decision",
    "OperationKind",
    "RetryPolicy",
    "WriteWatch",
    "as_unknown",
    "decide_on_exception",
    "decide_on_response",
]


class OperationKind(enum.Enum):
    """How safe an operation is to repeat."""

    IDEMPOTENT = "idempotent"  # GET, PUT, DELETE, and renders (POST without side effects)
    WRITE = "write"  # POST that creates or changes state (create, duplicate, validation)
    SEND = "send"  # POST that delivers messages


# Refused before NP6 saw the request: always safe to repeat.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# The httpcore trace events of an HTTP/1.1 request whose bytes were being written (headers, then body).
_WRITE_EVENTS_FAILED = frozenset({"http11.send_request_headers.failed", "http11.send_request_body.failed"})
# 503 means NP6 (or its gateway) did not take the request. 502 usually means the same, but a proxy also answers
# it when the upstream processed a request and then failed to answer: on a send that is an unknown outcome.


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInputError(f"{name} must be an integer >= 0, got {value!r}")


def _check_seconds(name: str, value: object) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < float("inf"):
        raise InvalidInputError(f"{name} must be a number of seconds >= 0, got {value!r}")


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be True or False, got {value!r}")


async def asyncio_sleep(seconds: float) -> None:
    """`asyncio.sleep`, imported when first awaited: a program that never waits asynchronously never loads
    asyncio (a tenth of a cold start)."""
    import asyncio

    await asyncio.sleep(seconds)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Retry settings of a client. Every clock and sleep is injectable, so tests run instantly.

    - `max_retries`: retries after the first attempt (0 disables retrying).
    - Backoff: `backoff_base * 2**retry`, capped at `backoff_max`, with jitter (between half and all of it).
    - `max_wait`: the longest server-requested wait (`Retry-After`, `X-RateLimit-Reset`) that is honoured;
      when NP6 asks for longer, the error is raised at once instead.
    - `retry_unknown_sends`: opt-in to retrying sends whose outcome is unknown (they may be delivered twice).
    """

    max_retries: int = attrs.field(default=2, validator=lambda _, a, v: _check_count(a.name, v))
    backoff_base: float = attrs.field(default=0.5, validator=lambda _, a, v: _check_seconds(a.name, v))
    backoff_max: float = attrs.field(default=8.0, validator=lambda _, a, v: _check_seconds(a.name, v))
    max_wait: float = attrs.field(default=60.0, validator=lambda _, a, v: _check_seconds(a.name, v))
    # A truthy string here would turn on re-sending: only a real bool is accepted.
    retry_unknown_sends: bool = attrs.field(default=False, validator=lambda _, a, v: _check_bool(a.name, v))
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, validator=attrs.validators.is_callable())
    async_sleep: Callable[[float], Awaitable[None]] = attrs.field(
        default=asyncio_sleep, validator=attrs.validators.is_callable()
    )
    clock: Callable[[], float] = attrs.field(default=time.monotonic, validator=attrs.validators.is_callable())
    wall_clock: Callable[[], float] = attrs.field(default=time.time, validator=attrs.validators.is_callable())
    jitter: Callable[[], float] = attrs.field(default=random.random, validator=attrs.validators.is_callable())

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0 first): exponential up to `backoff_max`, with jitter, so
        that clients refused together do not come back together."""
        ceiling = min(self.backoff_max, self.backoff_base * (2.0**retry))
        return ceiling * (0.5 + 0.5 * self.jitter())


class WriteWatch:
    """An httpcore `trace` hook for one attempt of a request: `incomplete` turns True when writing the request's
    bytes failed (a write error or timeout while sending its headers or body).

    Only sound with httpcore's synchronous network streams, whose write raises only while bytes of the buffer
    are still unsent: a request whose last bytes never left the client cannot have been received in full, and a
    server does not process an HTTP message it did not receive in full (RFC 9112, section 8). NP6 reads the whole
    JSON body of a send before acting on it. (The async streams hand bytes to asyncio's buffer, and can report a
    failure after the buffer was flushed: the async client does not install this hook.) Any hook that was already
    on the request is still called.
    """

    __slots__ = ("chained", "incomplete")

    def __init__(self, chained: Callable[[str, Mapping[str, Any]], object] | None = None) -> None:
        self.incomplete = False
        self.chained = chained

    def __call__(self, event: str, info: Mapping[str, Any]) -> None:
        if event in _WRITE_EVENTS_FAILED:
            import httpcore  # loaded already: the event comes from it

            if isinstance(info.get("exception"), (httpcore.WriteError, httpcore.WriteTimeout)):
                self.incomplete = True
        if self.chained is not None:
            self.chained(event, info)

    @classmethod
    def install(cls, request: httpx.Request) -> None:
        """An httpx request event hook: a fresh watch for each attempt (the engine sends one request object again
        on a retry)."""
        current = request.extensions.get("trace")
        if isinstance(current, WriteWatch):
            current = current.chained
        request.extensions["trace"] = cls(current)

    @staticmethod
    def saw_incomplete_write(request: httpx.Request) -> bool:
        watch = request.extensions.get("trace")
        return isinstance(watch, WriteWatch) and watch.incomplete


@attrs.frozen
class Decision:
    """The error to raise, or to retry after `delay` seconds when `delay` is not None."""

    error: NP6Error
    delay: float | None
    gate_for: float | None = None  # close the client's rate-limit gate this long


def decide_on_exception(
    exc: httpx.RequestError, request: httpx.Request, kind: OperationKind, policy: RetryPolicy, retry: int
) -> Decision:
    if isinstance(exc, ResponseTooLarge):  # the same answer again would be as large: not retried
        head = scrub_head(exc.response)  # its body was not read: the engine could not scrub it
        too_large = ResponseTooLargeError(head, exc.limit, outcome_unknown=kind is OperationKind.SEND)
        return Decision(too_large, None)
    unwritten = not isinstance(exc, _NOT_SENT) and WriteWatch.saw_incomplete_write(request)
    not_sent = unwritten or isinstance(exc, _NOT_SENT)
    unknown = not not_sent and kind is OperationKind.SEND
    error_cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if error_cls is APITimeoutError else "failed"
    scrub_exception(exc)  # httpcore quotes what it could not parse (a status line, a header): an echoed key too
    message = f"{request.method} {request.url.path} {what}: {exc!r}"
    if unwritten:
        message += (
            " The connection broke before the whole request was written (typically a kept-alive connection the"
            " server had just closed): NP6 cannot have processed it, so it is safe to send again."
        )
    error = error_cls(message, request=request, outcome_unknown=unknown)
    if isinstance(exc, httpx.UnsupportedProtocol):
        retryable = False
    elif not_sent or kind is OperationKind.IDEMPOTENT:
        retryable = True
    else:
        retryable = unknown and policy.retry_unknown_sends
    return Decision(error, _delay(policy, retry, None) if retryable else None)


def decide_on_response(response: httpx.Response, kind: OperationKind, policy: RetryPolicy, retry: int) -> Decision:
    code = response.status_code
    asked = retry_after_seconds(response.headers, policy.wall_clock())
    if code == 429:
        error = status_error(response, retry_after=asked)
        delay = _delay(policy, retry, asked)
        # Every request of the client waits too, but never longer than the client agreed to wait.
        # `asked` may be 0.0 ("now"): only None means the server did not say.
        wait = asked if asked is not None else policy.backoff(retry)
        gate_for = delay if delay is not None else min(wait, policy.max_wait)
        return Decision(error, delay, gate_for=gate_for)
    if code == 503 or (code == 502 and kind is not OperationKind.SEND):
        return Decision(status_error(response), _delay(policy, retry, asked))
    if code < 400 and kind is OperationKind.SEND:
        # 1xx/3xx: not a refusal. A 303 is what a server answers after it processed a POST.
        return Decision(status_error(response, outcome_unknown=True), None)
    if code >= 500 and code != 501:
        # 500, 502 on a send, 504 and non-standard 5xx: NP6 (or the gateway's upstream) may have processed it.
        unknown = kind is OperationKind.SEND
        error = status_error(response, outcome_unknown=unknown)
        retryable = kind is OperationKind.IDEMPOTENT or (unknown and policy.retry_unknown_sends)
        return Decision(error, _delay(policy, retry, asked) if retryable else None)
    return Decision(status_error(response), None)


def as_unknown(error: NP6Error) -> NP6Error:
    """The same error, saying that the request may have been processed: after an earlier attempt of a send that
    may have been (re-sent by `retry_unknown_sends`), a later refusal does not make the messages unsent."""
    if error.outcome_unknown:
        return error
    if isinstance(error, APIStatusError):
        return status_error(error.response, outcome_unknown=True, retry_after=getattr(error, "retry_after", None))
    if isinstance(error, APIConnectionError):
        return type(error)(str(error), request=error.request, outcome_unknown=True)
    return error


def _delay(policy: RetryPolicy, retry: int, asked: float | None) -> float | None:
    if retry >= policy.max_retries:
        return None
    if asked is not None:
        return asked if asked <= policy.max_wait else None
    return policy.backoff(retry)
