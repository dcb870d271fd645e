"""The `np6` logger: request/response lines at DEBUG, API keys never written.

`NP6_LOG=debug` (or `info`) turns on a stderr handler without touching the application's logging setup.
"""

from __future__ import annotations

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
    "scrub_exception",
    "scrub_head",
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
    """`response`, with every registered secret replaced in its body, its header names and values and its reason
    phrase; changed in place, so that no reference to it (a driver's local, shown by a traceback that prints
    locals) keeps the original.

    Done once, where an answer enters np6, so that nothing derived from it (error messages and their `body`,
    per-message results, report reasons and exports, CLI output) can carry the key a proxy or a hostile server
    echoed back. Nothing changes when there is nothing to replace (the usual case: one search per secret).
    """
    secrets = _registry.values()
    if not secrets:
        return response
    scrub_head(response, secrets)
    content = response.content
    if any(secret.encode() in content for secret in secrets):
        # What httpx's own read() sets: the body of the response, the headers left as the server sent them.
        response._content = scrub_bytes(content)
    return response


def scrub_head(response: httpx.Response, secrets: list[str] | None = None) -> httpx.Response:
    """`response` with every registered secret replaced in its status line and headers, in place; its body, read
    or not, left as it is (for an answer whose body is not read: one over its size limit)."""
    secrets = _registry.values() if secrets is None else secrets
    reason = response.extensions.get("reason_phrase", b"")
    reason_text = reason.decode("latin-1") if isinstance(reason, bytes) else str(reason)
    pairs = response.headers.multi_items()
    texts = [reason_text, *(part for pair in pairs for part in pair)]
    if any(secret in text for secret in secrets for text in texts):
        response.headers = httpx.Headers([(scrub(name), scrub(value)) for name, value in pairs])
        response.extensions["reason_phrase"] = scrub(reason_text).encode("latin-1", "replace")
    return response


def scrub_exception(exc: BaseException) -> BaseException:
    """`exc` and the exceptions it chains, with every registered secret replaced in their arguments, in place:
    httpcore quotes what it could not parse (a status line, a header), which may be an echoed key."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(scrub(arg) if isinstance(arg, str) else arg for arg in current.args)
        current = current.__cause__ or current.__context__
    return exc


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
# httpx and httpcore log the status line and, at DEBUG, the headers of each answer: a server echoing the key there
# must not put it in the application's logs either.
for _name in ("httpx", "httpcore.http11", "httpcore.http2", "httpcore.connection", "httpcore.proxy"):
    logging.getLogger(_name).addFilter(RedactingFilter())

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
    level = logging.getLevelNamesMapping().get(level_name)
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(level)
