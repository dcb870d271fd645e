"""Per-call options: what every method of both clients accepts besides its own arguments (`np6.RequestOptions`).

The options are checked when the method is called, before any request, and handed to the driver that runs the
method's flow; the driver applies them to every request the call makes (a validation's two phases, each page of
an iteration, each batch of a `send_many`), retries included. So no flow carries them by hand, and none can forget.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Final, TypedDict, cast

import attrs
import httpx

from .errors import InvalidInputError

__all__ = ["NOT_GIVEN", "CallOptions", "RequestOptions", "call_options", "check_headers", "check_timeout", "per_call"]


class RequestOptions(TypedDict, total=False):
    """The keyword arguments every method of `np6.Client` and `np6.AsyncClient` accepts, for that call only.

    `timeout`: seconds (a number), an `httpx.Timeout`, or None for no timeout; it replaces the client's
    `timeout=` for each request of the call (the attempt deadline of `np6.Limits` still applies).
    `extra_headers`: headers added to each request of the call, checked like the client's `headers=`; they may
    replace np6's own (`User-Agent`), but not the key (`X-Key`) or the message framing.
    """

    timeout: float | httpx.Timeout | None
    extra_headers: Mapping[str, str]


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 field names
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")  # visible ASCII, spaces and tabs: no CR/LF, no NUL
# The key has its own argument; the framing headers are httpx's to write, and a wrong one would desynchronise the
# connection (the next request read as the end of this body).
_NOT_YOURS = {
    "x-key": "pass the key as api_key=..., not as an X-Key header",
    "content-length": "httpx writes Content-Length from the body",
    "transfer-encoding": "httpx writes Transfer-Encoding from the body",
    "host": "the host comes from base_url",
    # np6 writes the body: its media type names the channel (a wrong one is a 415), its encoding is none.
    "content-type": "np6 sets the media type of each body (it names the e-mail or SMS channel)",
    "content-encoding": "np6 sends bodies as they are",
}


def check_headers(headers: object, what: str = "headers") -> Mapping[str, str]:
    """Extra headers, checked before any request: a CR/LF or a non-ASCII byte would otherwise fail only when the
    request is written, looking like a network error."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InvalidInputError(f"{what} must be a mapping of names to values, got {type(headers).__name__}")
    for name, value in cast("Mapping[object, object]", headers).items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidInputError(f"{what}: invalid header name {name!r}")
        if not isinstance(value, str) or not _FIELD_VALUE.fullmatch(value):
            raise InvalidInputError(f"{what}: the value of {name} must be visible ASCII text without CR/LF")
        refusal = _NOT_YOURS.get(name.lower())
        if refusal is not None:
            raise InvalidInputError(f"{what}: {name} cannot be set ({refusal})")
    return cast("Mapping[str, str]", headers)


def _seconds(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return 0 < float(value) < math.inf
    except OverflowError:  # an int too large for a float
        return False


def check_timeout(timeout: object, what: str = "timeout") -> httpx.Timeout:
    """A timeout as httpx takes it, refusing what httpx would take for something else (a bool, a negative, NaN),
    each phase of an `httpx.Timeout` included: httpx would only fail when the request is sent."""
    refusal = f"{what} must be a number of seconds > 0, an httpx.Timeout of such numbers, or None, got {timeout!r}"
    if isinstance(timeout, httpx.Timeout):
        if not all(_seconds(value) for value in timeout.as_dict().values()):
            raise InvalidInputError(refusal)
        return timeout
    if not _seconds(timeout):
        raise InvalidInputError(refusal)
    return httpx.Timeout(None if timeout is None else float(cast(float, timeout)))


@attrs.frozen
class CallOptions:
    """The checked options of one call, as the driver applies them to each request."""

    timeout: httpx.Timeout | None = None  # None: the client's own
    headers: tuple[tuple[str, str], ...] = ()

    def apply(self, request: httpx.Request) -> None:
        # Applied again on each attempt of the same request object: setting the same values twice changes nothing.
        for name, value in self.headers:
            request.headers[name] = value
        if self.timeout is not None:
            timeouts = self.timeout.as_dict()
            request.extensions["timeout"] = timeouts
            # What the sync driver bounds by the attempt's deadline (`BodyReader.bound_read_timeout`).
            request.extensions["np6_timeout"] = dict(timeouts)


class _NotGiven:
    """The default of a per-call `timeout`, which None cannot be: None means no timeout at all."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven()


def per_call(timeout: object = NOT_GIVEN, extra_headers: object = None) -> CallOptions | None:
    """The per-call options, checked; None when there are none (the common case costs nothing)."""
    if timeout is NOT_GIVEN and extra_headers is None:
        return None
    checked_timeout = None if timeout is NOT_GIVEN else check_timeout(timeout)
    headers = check_headers(extra_headers, "extra_headers")
    return CallOptions(checked_timeout, tuple(headers.items()))


def call_options(method: str, options: Mapping[str, object]) -> CallOptions | None:
    """`per_call` for a method that takes `**options: Unpack[RequestOptions]`: a name it does not know is refused
    as Python refuses an unexpected keyword argument."""
    unknown = sorted(set(options) - RequestOptions.__annotations__.keys())
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
    return per_call(options.get("timeout", NOT_GIVEN), options.get("extra_headers"))
