"""The `np6` logger: request/response lines at DEBUG, API keys never written.

`NP6_LOG=debug` (or `info`) turns on a stderr handler without touching the application's logging setup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Mapping
from typing import TypeVar

import httpx

__all__ = [
    "REDACTED",
    "configure_from_env",
    "logger",
    "redact_headers",
    "redact_request",
    "redact_response",
    "register_secret",
    "scrub",
    "scrub_bytes",
    "scrub_response",
]

logger = logging.getLogger("np6")

REDACTED = "[redacted]"
_SENSITIVE_HEADERS = frozenset({"x-key", "authorization", "proxy-authorization", "cookie", "set-cookie"})


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()}


def redact_request(request: httpx.Request) -> httpx.Request:
    """A copy of `request` with its credential headers (X-Key...) redacted, for what the library hands out (errors,
    `APIResponse`): httpx's own repr of headers hides `Authorization` only. The original, which a retry may send
    again, is left untouched."""
    if not any(name.lower() in _SENSITIVE_HEADERS for name in request.headers):
        return request
    clone = _shallow_copy(request)
    clone.headers = httpx.Headers(
        [(k, REDACTED if k.lower() in _SENSITIVE_HEADERS else v) for k, v in request.headers.multi_items()]
    )
    return clone


def redact_response(response: httpx.Response) -> httpx.Response:
    """A shallow copy of `response` whose `.request` is `redact_request(response.request)`."""
    try:
        request = response.request
    except RuntimeError:  # a response built without a request
        return response
    redacted = redact_request(request)
    if redacted is request:
        return response
    clone = _shallow_copy(response)
    clone.request = redacted
    return clone


_T = TypeVar("_T", httpx.Request, httpx.Response)


def _shallow_copy(value: _T) -> _T:
    # Not copy.copy(): httpx's pickling support drops `extensions` (timeouts, reason phrase, HTTP version) and
    # `stream` from copies.
    clone = object.__new__(type(value))
    clone.__dict__.update(value.__dict__)
    return clone


MIN_SCRUBBED_LENGTH = 8


class _SecretRegistry:
    """Keys of the live clients, so that the filter can scrub them from any record, whoever wrote it.

    No lock: every answer is scrubbed, and a Ctrl-C that lands between a lock's acquisition and the `with` block
    that would release it (CPython bpo-29988) would leave the next client or answer waiting forever. The
    dictionary operations used here are each atomic in CPython.
    """

    def __init__(self) -> None:
        self._secrets: weakref.WeakValueDictionary[int, _Holder] = weakref.WeakValueDictionary()

    def add(self, holder: _Holder) -> None:
        self._secrets[id(holder)] = holder

    def values(self) -> list[str]:
        # A very short "key" (a test's "k") would scrub every such letter from every line and make the logs
        # unreadable; real keys are long. Headers are redacted by name whatever the key's length.
        holders = (reference() for reference in self._secrets.valuerefs())
        return [holder.value for holder in holders if holder is not None and len(holder.value) >= MIN_SCRUBBED_LENGTH]


class _Holder:
    __slots__ = ("__weakref__", "value")

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return REDACTED


_registry = _SecretRegistry()


def register_secret(value: str) -> object:
    """Scrub `value` from np6 log records while the returned handle is alive (keep it on the client)."""
    holder = _Holder(value)
    _registry.add(holder)
    return holder


def scrub(text: str) -> str:
    """`text` with every registered secret replaced: for what np6 copies from a server into its errors and
    reports (a proxy or an error page can echo the request's headers, the key among them)."""
    for secret in _registry.values():
        text = text.replace(secret, REDACTED)
    return text


def scrub_bytes(data: bytes) -> bytes:
    """`scrub` for a raw body: what an error keeps of it for the caller to read."""
    for secret in _registry.values():
        data = data.replace(secret.encode(), REDACTED.encode())
    return data


def scrub_response(response: httpx.Response) -> httpx.Response:
    """`response` as np6 keeps it: with every registered secret replaced in its body and header values.

    Done once, where an answer enters np6, so that nothing derived from it (error messages and their `body`,
    per-message results, report reasons and exports, CLI output) can carry the key a proxy or a hostile server
    echoed back. The same response when there is nothing to replace (the usual case: one search per secret).
    """
    secrets = _registry.values()
    if not secrets:
        return response
    content = response.content
    in_body = [secret for secret in secrets if secret.encode() in content]
    in_headers = [secret for secret in secrets if any(secret in value for value in response.headers.values())]
    if not in_body and not in_headers:
        return response
    headers = [
        (name, scrub(value))
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length")  # the body below is the decoded one
    ]
    clone = httpx.Response(
        response.status_code,
        headers=headers,
        content=scrub_bytes(content),
        extensions=response.extensions,
    )
    with contextlib.suppress(RuntimeError):  # a response built without its request has none to carry over
        clone.request = response.request
    return clone


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _registry.values()
        if secrets:
            message = record.getMessage()
            scrubbed = message
            for secret in secrets:
                scrubbed = scrubbed.replace(secret, REDACTED)
            if scrubbed != message:
                record.msg, record.args = scrubbed, None
        return True


logger.addFilter(RedactingFilter())

_configured = False


def configure_from_env() -> None:
    """Honour NP6_LOG once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    level_name = os.environ.get("NP6_LOG", "").strip().upper()
    if not level_name:
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(level)
