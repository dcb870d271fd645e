"""np6: the Python client for the NP6 CM API 8.1.0 (e-mail and SMS actions, their events, contacts, segments).

    import np6

    with np6.Client() as client:                      # the key comes from NP6_API_KEY
        client.targets.upsert({"Email": "alice@example.com"})
        client.actions.validate("000ABC", test_segments=[1319])
        client.actions.send("000ABC", "alice@example.com")
        for event in client.events.iter(start, end, action_id="000ABC"):
            ...

The generated low-level package (`np6_generated`) stays reachable as `client.generated`; its models are
re-exported, with names for their unions, in `np6.models`.
"""

import importlib
from typing import TYPE_CHECKING

from ._content.channel import Channel
from ._content.states import ActionState
from ._core.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChannelMismatchError,
    ConflictError,
    GoneError,
    InternalServerError,
    InvalidInputError,
    JournalError,
    JournalLockedError,
    JournalMismatchError,
    LengthRequiredError,
    NotFoundError,
    NP6Error,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ResponseTooLargeError,
    SendAborted,
    SendInterrupted,
    SendKeyboardInterrupt,
    UnsupportedMediaTypeError,
)
from ._core.limits import Limits
from ._core.options import RequestOptions
from ._core.rate_limit import RateLimitInfo
from ._core.response import APIResponse
from ._core.retry import RetryPolicy
from ._version import __version__

# What needs the generated models (about 60 attrs classes, most of the import time) is imported on first use:
# `import np6` stays as cheap as httpx for code that only catches np6 errors, a CLI's --help, or a service
# that builds its client later. Type checkers see the plain imports below.
_LAZY_BY_MODULE = {
    ".models": "models",
    "._client": "AsyncClient Client DEFAULT_BASE_URL DEFAULT_KEEPALIVE_EXPIRY DEFAULT_MAX_RETRIES DEFAULT_TIMEOUT",
    "._content.action_builders": "email_action sms_action",
    "._content.messages": "Attachment Copy EmailMessage Sender SmsMessage",
    "._content.recipients": "Recipient",
    "._events.kinds": "EVENT_KINDS Event ActivationEvent ExecutionEvent CancellationEvent BounceEvent HitEvent"
    " OpenEvent ClickEvent UnsubscribeEvent SmsStopEvent ComplaintEvent UnknownEvent",
    "._events.walk": "DEFAULT_PAGE_LIMIT",
    "._resources.fields": "FieldMap",
    "._resources.segments": "MEMBERS_PER_CALL",
    "._sending.report": "Evidence MessageOutcome Outcome SendProgress SendReport",
}
_LAZY = {name: module for module, names in _LAZY_BY_MODULE.items() for name in names.split()}

if TYPE_CHECKING:
    from . import models
    from ._client import (
        DEFAULT_BASE_URL,
        DEFAULT_KEEPALIVE_EXPIRY,
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        AsyncClient,
        Client,
    )
    from ._content.action_builders import email_action, sms_action
    from ._content.messages import Attachment, Copy, EmailMessage, Sender, SmsMessage
    from ._content.recipients import Recipient
    from ._events.kinds import (
        EVENT_KINDS,
        ActivationEvent,
        BounceEvent,
        CancellationEvent,
        ClickEvent,
        ComplaintEvent,
        Event,
        ExecutionEvent,
        HitEvent,
        OpenEvent,
        SmsStopEvent,
        UnknownEvent,
        UnsubscribeEvent,
    )
    from ._events.walk import DEFAULT_PAGE_LIMIT
    from ._resources.fields import FieldMap
    from ._resources.segments import MEMBERS_PER_CALL
    from ._sending.report import Evidence, MessageOutcome, Outcome, SendProgress, SendReport


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    value = module if name == "models" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "ActionState",
    "ActivationEvent",
    "AsyncClient",
    "Attachment",
    "AuthenticationError",
    "BadRequestError",
    "BounceEvent",
    "CancellationEvent",
    "Channel",
    "ChannelMismatchError",
    "ClickEvent",
    "Client",
    "ComplaintEvent",
    "ConflictError",
    "Copy",
    "DEFAULT_BASE_URL",
    "DEFAULT_KEEPALIVE_EXPIRY",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_PAGE_LIMIT",
    "DEFAULT_TIMEOUT",
    "EVENT_KINDS",
    "EmailMessage",
    "Event",
    "Evidence",
    "ExecutionEvent",
    "FieldMap",
    "GoneError",
    "HitEvent",
    "InternalServerError",
    "InvalidInputError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "LengthRequiredError",
    "Limits",
    "MEMBERS_PER_CALL",
    "MessageOutcome",
    "NP6Error",
    "NotFoundError",
    "OpenEvent",
    "Outcome",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "Recipient",
    "RequestOptions",
    "ResponseParseError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "SendAborted",
    "SendInterrupted",
    "SendKeyboardInterrupt",
    "SendProgress",
    "SendReport",
    "Sender",
    "SmsMessage",
    "SmsStopEvent",
    "UnknownEvent",
    "UnsubscribeEvent",
    "UnsupportedMediaTypeError",
    "__version__",
    "email_action",
    "models",
    "sms_action",
]
