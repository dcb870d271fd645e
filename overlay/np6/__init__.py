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

from ._channel import Channel
from ._exceptions import (
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
    SendAborted,
    SendInterrupted,
    SendKeyboardInterrupt,
    UnsupportedMediaTypeError,
)
from ._rate_limit import RateLimitInfo
from ._response import APIResponse
from ._retry import RetryPolicy
from ._states import ActionState
from ._version import __version__

# What needs the generated models (about 60 attrs classes, most of the import time) is imported on first use:
# `import np6` stays as cheap as httpx for code that only catches np6 errors, a CLI's --help, or a service
# that builds its client later. Type checkers see the plain imports below.
_LAZY = {
    "models": ".models",
    "email_action": "._action_builders",
    "sms_action": "._action_builders",
    "AsyncClient": "._client",
    "Client": "._client",
    "DEFAULT_BASE_URL": "._client",
    "DEFAULT_KEEPALIVE_EXPIRY": "._client",
    "DEFAULT_MAX_RETRIES": "._client",
    "DEFAULT_TIMEOUT": "._client",
    "Attachment": "._messages",
    "Copy": "._messages",
    "EmailMessage": "._messages",
    "Sender": "._messages",
    "SmsMessage": "._messages",
    "Recipient": "._recipients",
    "Evidence": "._report",
    "MessageOutcome": "._report",
    "Outcome": "._report",
    "SendProgress": "._report",
    "SendReport": "._report",
    "FieldMap": "._fields",
    "MEMBERS_PER_CALL": "._segments",
    **dict.fromkeys(
        (
            "DEFAULT_PAGE_LIMIT",
            "EVENT_KINDS",
            "ActivationEvent",
            "BounceEvent",
            "CancellationEvent",
            "ClickEvent",
            "ComplaintEvent",
            "Event",
            "ExecutionEvent",
            "HitEvent",
            "OpenEvent",
            "SmsStopEvent",
            "UnknownEvent",
            "UnsubscribeEvent",
        ),
        "._events",
    ),
}

if TYPE_CHECKING:
    from . import models
    from ._action_builders import email_action, sms_action
    from ._client import (
        DEFAULT_BASE_URL,
        DEFAULT_KEEPALIVE_EXPIRY,
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        AsyncClient,
        Client,
    )
    from ._events import (
        DEFAULT_PAGE_LIMIT,
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
    from ._fields import FieldMap
    from ._messages import Attachment, Copy, EmailMessage, Sender, SmsMessage
    from ._recipients import Recipient
    from ._report import Evidence, MessageOutcome, Outcome, SendProgress, SendReport
    from ._segments import MEMBERS_PER_CALL


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
    "MessageOutcome",
    "LengthRequiredError",
    "MEMBERS_PER_CALL",
    "NP6Error",
    "NotFoundError",
    "OpenEvent",
    "Outcome",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "Recipient",
    "ResponseParseError",
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
