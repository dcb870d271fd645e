"""np6: the Python client for the NP6 CM API 8.1.0 (e-mail and SMS actions).

    import np6

    with np6.Client() as client:                      # the key comes from NP6_API_KEY
        client.actions.validate("000ABC", test_segments=[1319])
        client.actions.send("000ABC", "alice@example.com")

The generated low-level package (`np6_generated`) stays reachable as `client.generated`; its models are
re-exported, with names for their unions, in `np6.models`.
"""

from . import models
from ._action_builders import email_action, sms_action
from ._channel import Channel
from ._client import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, AsyncClient, Client
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
    LengthRequiredError,
    NotFoundError,
    NP6Error,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    UnsupportedMediaTypeError,
)
from ._messages import Attachment, Copy, EmailMessage, Sender, SmsMessage
from ._rate_limit import RateLimitInfo
from ._recipients import Recipient
from ._report import MessageOutcome, Outcome, SendProgress, SendReport
from ._response import APIResponse
from ._retry import RetryPolicy
from ._states import ActionState
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "ActionState",
    "AsyncClient",
    "Attachment",
    "AuthenticationError",
    "BadRequestError",
    "Channel",
    "ChannelMismatchError",
    "Client",
    "ConflictError",
    "Copy",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "EmailMessage",
    "GoneError",
    "InternalServerError",
    "InvalidInputError",
    "MessageOutcome",
    "LengthRequiredError",
    "NP6Error",
    "NotFoundError",
    "Outcome",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "Recipient",
    "ResponseParseError",
    "RetryPolicy",
    "SendProgress",
    "SendReport",
    "Sender",
    "SmsMessage",
    "UnsupportedMediaTypeError",
    "__version__",
    "email_action",
    "models",
    "sms_action",
]
