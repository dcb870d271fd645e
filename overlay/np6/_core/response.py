"""Response metadata (request id, rate limits) for successful calls."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable, Generator, Mapping
from contextlib import contextmanager
from typing import Generic, ParamSpec, TypeVar

import attrs
import httpx

from .logs import redact_response
from .rate_limit import RateLimitInfo

__all__ = ["APIResponse", "with_response", "async_with_response", "record_response"]

T = TypeVar("T")
P = ParamSpec("P")


@attrs.frozen
class APIResponse(Generic[T]):
    """What a method returned (`parsed`) with the HTTP response it came from.

    For methods that make several requests (e.g. `validate`), `http_response` is the last one. Its `.request` is a
    copy whose X-Key header is redacted.
    """

    parsed: T
    http_response: httpx.Response | None

    @property
    def status_code(self) -> int | None:
        """The HTTP status of the (last) response; None when the method made no request."""
        return self.http_response.status_code if self.http_response is not None else None

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers of the (last) response, case-insensitive; empty when the method made no request."""
        return self.http_response.headers if self.http_response is not None else {}

    @property
    def request_id(self) -> str | None:
        """NP6's `x-request-id`: what its support needs to trace the call."""
        return self.headers.get("x-request-id")

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The `X-RateLimit-*` headers of the response, parsed; None when NP6 sent none."""
        return RateLimitInfo.from_headers(self.headers)


class _Capture:
    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: httpx.Response | None = None


_capture: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar("np6_response_capture", default=None)


def record_response(response: httpx.Response) -> None:
    capture = _capture.get()
    if capture is not None:
        capture.response = response


@contextmanager
def _capturing() -> Generator[_Capture, None, None]:
    capture = _Capture()
    token = _capture.set(capture)
    try:
        yield capture
    finally:
        _capture.reset(token)


def _exposed(response: httpx.Response | None) -> httpx.Response | None:
    return None if response is None else redact_response(response)


def with_response(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a client method so that it also returns the HTTP response:

    >>> answer = client.with_response(client.actions.get)("000ABC")   # doctest: +SKIP
    >>> answer.parsed.name, answer.request_id, answer.rate_limit     # doctest: +SKIP
    """

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        with _capturing() as capture:
            parsed = method(*args, **kwargs)
        return APIResponse(parsed, _exposed(capture.response))

    return call


def async_with_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """The async twin of `with_response`."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        with _capturing() as capture:
            parsed = await method(*args, **kwargs)
        return APIResponse(parsed, _exposed(capture.response))

    return call
