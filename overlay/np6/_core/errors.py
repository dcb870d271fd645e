"""Every error the client raises.

NP6Error
 ├── InvalidInputError              bad arguments, caught before any request (also a ValueError)
 │    └── ChannelMismatchError      an e-mail message for an SMS action, or the reverse
 ├── APIConnectionError             no HTTP answer (connection refused, reset, dropped)
 │    └── APITimeoutError           the request timed out
 ├── APIStatusError                 NP6 answered with a non-2xx status
 │    ├── BadRequestError           400
 │    ├── AuthenticationError       401
 │    ├── PermissionDeniedError     403
 │    ├── NotFoundError             404
 │    ├── ConflictError             409
 │    ├── GoneError                 410
 │    ├── LengthRequiredError       411
 │    ├── PayloadTooLargeError      413
 │    ├── UnsupportedMediaTypeError 415
 │    ├── RateLimitError            429
 │    └── InternalServerError       5xx
 ├── ResponseParseError             a 2xx body the models cannot parse (the raw bytes are kept)
 ├── ResponseTooLargeError          an answer larger than `np6.Limits.max_response_bytes` (not read further)
 ├── JournalError                   a send journal that cannot be used (nothing was sent)
 │    ├── JournalLockedError        another process is using the journal
 │    └── JournalMismatchError      the journal records another send (action, channel or messages differ)
 └── SendAborted                    send_many stopped because the caller's own code raised (also SendInterrupted)

SendInterrupted (a BaseException)   send_many stopped before the end of its input; `.report` is the partial report
 ├── SendAborted                    the input iterable or on_progress raised an Exception (`__cause__`)
 └── SendKeyboardInterrupt          Ctrl-C (also a KeyboardInterrupt, so Python still treats it as one)

NP6 answers most errors with an empty body; the `x-request-id` header (`request_id` here) is what NP6 support
needs. The requests that errors expose (`error.request`, `error.response.request`) are copies whose X-Key header
is redacted. A send whose outcome is unknown (timeout after the request went out, connection lost mid-response, 500)
raises with `outcome_unknown=True`: the messages may have been sent, so it is never retried automatically. Every
NP6Error has `outcome_unknown` (False unless NP6 may have processed the request), so one check serves them all.

`SendInterrupted` is not an `Exception`: an `except Exception` meant for errors must not swallow Ctrl-C because a
send was running. `asyncio.CancelledError` is re-raised as itself (Python 3.11's `asyncio.timeout` and task groups
compare its type exactly), with the partial report reachable through `SendInterrupted.report_of(error)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from .logs import redact_request, redact_response, scrub, scrub_bytes
from .rate_limit import RateLimitInfo

if TYPE_CHECKING:
    from .._sending.report import SendReport

__all__ = [
    "NP6Error",
    "InvalidInputError",
    "ChannelMismatchError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "GoneError",
    "LengthRequiredError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "RateLimitError",
    "InternalServerError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "SendInterrupted",
    "SendAborted",
    "SendKeyboardInterrupt",
    "status_error",
]

_UNKNOWN_OUTCOME = (
    " The outcome is unknown: NP6 may have processed the request, so the messages may have been sent."
    " It was not retried; check the deliveries before sending again."
)


class NP6Error(Exception):
    """Base class of every error raised by np6.

    `outcome_unknown` is True when the request may have been processed by NP6 (a send whose answer was lost or
    unreadable): the messages may have been sent, so do not send them again without checking.
    """

    outcome_unknown: bool = False

    def __reduce__(self) -> tuple[object, ...]:
        # Exception's own pickling calls `cls(*args)`, which the errors built from a response cannot take: an
        # error raised in a worker process (ProcessPoolExecutor, multiprocessing) would come back as a
        # BrokenProcessPool. Rebuilt from its attributes instead, without calling __init__.
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[NP6Error], args: tuple[object, ...], state: dict[str, object]) -> NP6Error:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidInputError(NP6Error, ValueError):
    """An argument NP6 would refuse (or that makes no sense), caught before any request."""


class ChannelMismatchError(InvalidInputError):
    """The message's channel (e-mail or SMS) is not the action's."""


def _describe(request: httpx.Request | None) -> str:
    if request is None:
        return "request"
    url = request.url.copy_with(fragment=None, query=None)
    return f"{request.method} {url.path}" if url.host else f"{request.method} {url}"


class APIConnectionError(NP6Error):
    """No HTTP answer was received."""

    def __init__(self, message: str, *, request: httpx.Request | None = None, outcome_unknown: bool = False) -> None:
        self.request: httpx.Request | None = None if request is None else redact_request(request)
        self.outcome_unknown = outcome_unknown
        super().__init__(message + (_UNKNOWN_OUTCOME if outcome_unknown else ""))


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIStatusError(NP6Error):
    """NP6 answered with a non-2xx status.

    Attributes: `status_code`, `request_id` (the `x-request-id` header), `headers`, `body` (raw bytes, usually
    empty), `response` (the httpx response), `rate_limit` (the `X-RateLimit-*` headers, parsed) and
    `outcome_unknown` (True for a send that NP6 may have processed).
    """

    cause = ""

    def __init__(self, response: httpx.Response, *, outcome_unknown: bool = False) -> None:
        self.response: httpx.Response = redact_response(response)
        self.status_code: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self.body: bytes = response.content
        self.request_id: str | None = response.headers.get("x-request-id")
        self.rate_limit: RateLimitInfo | None = RateLimitInfo.from_headers(response.headers)
        self.outcome_unknown = outcome_unknown
        super().__init__(self._message())

    def _cause(self) -> str:
        return self.cause

    def _message(self) -> str:
        reason = self.response.reason_phrase or "Unknown status"
        text = f"{self.status_code} {reason} on {_describe(self.response.request)}"
        text += f" (request id {self.request_id})" if self.request_id else " (no request id)"
        cause = self._cause()
        if cause:
            text += f": {cause}"
        detail = _body_excerpt(self.body)
        if detail:
            text += f" Body: {detail}"
        if self.request_id:
            text += " Give the request id to NP6 support if the cause is not clear."
        if self.outcome_unknown:
            text += _UNKNOWN_OUTCOME
        return text


def _body_excerpt(body: bytes, limit: int = 300) -> str:
    # Scrubbed before it is cut: a key split by the cut would escape the replacement.
    text = scrub(body.decode("utf-8", errors="replace").strip())
    return text if len(text) <= limit else text[:limit] + "..."


class BadRequestError(APIStatusError):
    """400: NP6 refused the request as malformed; nothing was processed."""

    cause = (
        "NP6 refused the body: malformed JSON, a missing field or a wrong shape (for example `from` given as a"
        " string instead of {prefix, domain, label}, or a unicity value given as a string instead of an array)."
    )


class AuthenticationError(APIStatusError):
    """401: the API key is missing or unknown to NP6."""

    cause = "the X-Key API key is missing or unknown."


class PermissionDeniedError(APIStatusError):
    """403: the key is valid, but its owner may not do this (rights come from the owner's NP6 user)."""

    cause = "the API key's owner lacks the right for this operation in the NP6 interface."


class NotFoundError(APIStatusError):
    """404: the action, contact, field or segment does not exist, or a field holds an invalid value."""

    cause = (
        "the resource does not exist, or (NP6 answers 404 for this too) a field holds an invalid value, such as a"
        " `settings.field` id that is not one of the account's fields."
    )


class ConflictError(APIStatusError):
    """409: the state forbids it, most often a send to an action not validated for production (empty body)."""

    cause = (
        "the action is not in a state that allows this. A send needs an action validated for production"
        " (state 50: run client.actions.validate(action_id, test_segments=[...])); a validation phase may already"
        " be passed; the resource may already exist; or the key's owner lacks the validate/send right."
    )
    resource_cause = (
        "the resource already exists (a contact with this unicity value, a segment with this name) or its state"
        " forbids the change (for example the members of a dynamic segment, or a segment an action uses)."
    )

    def _cause(self) -> str:
        try:
            path = self.response.request.url.path
        except RuntimeError:  # a response built without its request
            return self.cause
        return self.cause if path.startswith("/actions") else self.resource_cause


class GoneError(APIStatusError):
    """410: the action is no longer available."""

    cause = "the action is no longer available."


class LengthRequiredError(APIStatusError):
    """411: a request with a body went without its Content-Length."""

    cause = "the request had a body but no Content-Length header."


class PayloadTooLargeError(APIStatusError):
    """413: the batch was too large; NP6 processed none of it."""

    cause = "the batch is too large; NP6 processed none of it. Send smaller batches."


class UnsupportedMediaTypeError(APIStatusError):
    """415: the body had the wrong media type for the channel (e-mail or SMS)."""

    cause = (
        "wrong Content-Type. Sends and renders take application/vnd.np6.cm.email (e-mail actions) or"
        " application/vnd.np6.cm.sms (SMS actions), never application/json; check the channel."
    )


class RateLimitError(APIStatusError):
    """429: over the account's rate limit; `retry_after` (seconds, when NP6 says) and `rate_limit` tell
    when to try again. Nothing was processed."""

    cause = "rate limit exceeded."

    def __init__(self, response: httpx.Response, *, outcome_unknown: bool = False, retry_after: float | None = None):
        self.retry_after = retry_after
        super().__init__(response, outcome_unknown=outcome_unknown)


class InternalServerError(APIStatusError):
    """5xx: NP6 failed. For a send, the outcome is unknown (`outcome_unknown`): it may have been processed."""

    cause = "NP6 failed."


class ResponseParseError(NP6Error):
    """A successful answer whose body the generated models cannot parse; `body` keeps its bytes (with the API key
    replaced, should the server echo it)."""

    def __init__(self, response: httpx.Response, error: BaseException, *, outcome_unknown: bool = False) -> None:
        self.outcome_unknown = outcome_unknown
        self.response: httpx.Response = redact_response(response)
        self.status_code: int = response.status_code
        self.body: bytes = scrub_bytes(response.content)
        self.request_id: str | None = response.headers.get("x-request-id")
        where = _describe(response.request)
        rid = f" (request id {self.request_id})" if self.request_id else ""
        # The parser's message may quote the body (and so whatever the server echoed): scrubbed and cut like it.
        reason = _body_excerpt(str(error).encode())
        super().__init__(
            f"could not parse the {self.status_code} answer to {where}{rid}: {type(error).__name__}: {reason}."
            f" Body: {_body_excerpt(self.body)}" + (_UNKNOWN_OUTCOME if outcome_unknown else "")
        )


class ResponseTooLargeError(NP6Error):
    """An answer whose body went over its limit (`np6.Limits`), decompressed; what was read of it is dropped.

    Attributes: `status_code`, `request_id`, `headers`, `limit` (in bytes), `response` (without its body) and
    `outcome_unknown` (True for a send: NP6 answered, so it may have processed the messages).
    """

    def __init__(self, response: httpx.Response, limit: int, *, outcome_unknown: bool = False) -> None:
        self.response: httpx.Response = redact_response(response)
        self.status_code: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self.request_id: str | None = response.headers.get("x-request-id")
        self.limit: int = limit
        self.outcome_unknown = outcome_unknown
        rid = f" (request id {self.request_id})" if self.request_id else ""
        super().__init__(
            f"the {self.status_code} answer to {_describe(response.request)}{rid} is larger than {limit:,} bytes"
            " (np6.Limits): not read further." + (_UNKNOWN_OUTCOME if outcome_unknown else "")
        )


class JournalError(NP6Error):
    """A send journal that cannot be used as asked; raised before any request."""


class JournalLockedError(JournalError):
    """Another process (or another send in this one) holds the journal."""


class JournalMismatchError(JournalError):
    """The journal records another send: another action or channel, or messages that differ from the input."""


_REPORT_ATTRIBUTE = "_np6_send_report"


class SendInterrupted(BaseException):
    """send_many stopped before the end of its input. `report` holds every message taken from the input so far,
    each with one outcome (batches in flight are `unknown`); `__cause__` is what stopped it."""

    def __init__(self, message: str, report: SendReport) -> None:
        super().__init__(message)
        self.report: SendReport = report

    @staticmethod
    def report_of(error: BaseException) -> SendReport | None:
        """The partial report of the send that `error` interrupted (a SendInterrupted, or an
        `asyncio.CancelledError` that cancelled a send_many), else None."""
        if isinstance(error, SendInterrupted):
            return error.report
        from .._sending.report import SendReport

        report = getattr(error, _REPORT_ATTRIBUTE, None)
        return report if isinstance(report, SendReport) else None

    @staticmethod
    def attach(error: BaseException, report: SendReport) -> None:
        """Keep the partial report on an exception that must propagate as itself (cancellation)."""
        with contextlib.suppress(AttributeError):  # an exception type without a __dict__
            setattr(error, _REPORT_ATTRIBUTE, report)


class SendAborted(SendInterrupted, NP6Error):
    """send_many stopped because the caller's own code raised: the input iterable or `on_progress`."""


class SendKeyboardInterrupt(SendInterrupted, KeyboardInterrupt):
    """Ctrl-C (SIGINT) stopped send_many; still a KeyboardInterrupt for everything that handles one."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    411: LengthRequiredError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    429: RateLimitError,
}


def status_error(
    response: httpx.Response, *, outcome_unknown: bool = False, retry_after: float | None = None
) -> APIStatusError:
    """The exception for a non-2xx response; any status, standard or not (499, 520...), maps to a class."""
    code = response.status_code
    if code == 429:
        return RateLimitError(response, outcome_unknown=outcome_unknown, retry_after=retry_after)
    cls = _BY_STATUS.get(code) or (InternalServerError if code >= 500 else APIStatusError)
    return cls(response, outcome_unknown=outcome_unknown)
