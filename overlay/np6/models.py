"""The models NP6 answers with (generated from the curated spec), and names for their unions.

The generator does not emit a class for a `oneOf`: these aliases give them back their names, so that
`isinstance(result, np6.models.ExecutionSuccess)` and `def f(action: np6.models.Action)` read naturally.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeAlias

import np6_generated.models as _generated

if TYPE_CHECKING:
    from np6_generated.models import (
        ActionEvent,
        ActionInformations,
        Attachment,
        CarbonCopy,
        ContentOverride,
        EmailMessage,
        EmailRenderDefinition,
        ExecutionError,
        ExecutionSuccess,
        Field,
        FieldConstraint,
        LinkDefinition,
        MailContent,
        MailHeaders,
        MailMessageAction,
        MailMessageActionRequest,
        MailSettings,
        RecipientByFootprint,
        RecipientByHash,
        RecipientById,
        RecipientByUnicity,
        RedlistEntry,
        RenderContext,
        RenderError,
        RenderLinksDefinition,
        RenderLinksResult,
        RenderSuccess,
        ResultErrorValue,
        Segment,
        SegmentRequest,
        Sender,
        SmsContent,
        SmsContentOverride,
        SmsMessage,
        SmsMessageAction,
        SmsMessageActionRequest,
        SmsRenderDefinition,
        SmsSettings,
        Stamp,
        Target,
        TargetFields,
        TargetValues,
        Templating,
        UnknownAction,
        UnknownExecutionResult,
        UnknownRecipient,
        UnknownRenderResult,
        ValidationSettings,
        ValueList,
        ValueListItem,
    )

__all__ = [
    "Action",
    "ActionEvent",
    "ActionRequest",
    "ActionInformations",
    "Attachment",
    "CarbonCopy",
    "ContentOverride",
    "EmailMessage",
    "EmailRenderDefinition",
    "ExecutionError",
    "ExecutionResult",
    "ExecutionSuccess",
    "Field",
    "FieldConstraint",
    "LinkDefinition",
    "MailContent",
    "MailHeaders",
    "MailMessageAction",
    "MailMessageActionRequest",
    "MailSettings",
    "RecipientByFootprint",
    "RecipientByHash",
    "RecipientById",
    "RecipientByUnicity",
    "RedlistEntry",
    "RenderContext",
    "RenderError",
    "RenderLinksDefinition",
    "RenderLinksResult",
    "RenderResult",
    "RenderSuccess",
    "ResultErrorValue",
    "Segment",
    "SegmentRequest",
    "Sender",
    "SmsContent",
    "SmsContentOverride",
    "SmsMessage",
    "SmsMessageAction",
    "SmsMessageActionRequest",
    "SmsRenderDefinition",
    "SmsSettings",
    "Stamp",
    "Target",
    "TargetFields",
    "TargetValues",
    "Templating",
    "UnknownAction",
    "UnknownExecutionResult",
    "UnknownRecipient",
    "UnknownRenderResult",
    "ValidationSettings",
    "ValueList",
    "ValueListItem",
]

# Every name is looked up on first use (`__getattr__` below), and imports its model's module only: the send report
# names ExecutionResult, and a send must not load the ~60 models named here. Type checkers see the plain
# imports and aliases; `_UNIONS` builds the same aliases at run time.
if TYPE_CHECKING:
    Action: TypeAlias = MailMessageAction | SmsMessageAction | UnknownAction
    """An action as NP6 answers it: its `type` and `id` are always there."""
    ActionRequest: TypeAlias = MailMessageActionRequest | SmsMessageActionRequest
    """An action as written to create or update it (`np6.email_action()`, `np6.sms_action()`)."""
    ExecutionResult: TypeAlias = ExecutionSuccess | ExecutionError | UnknownExecutionResult
    RenderResult: TypeAlias = RenderSuccess | RenderError | UnknownRenderResult

_UNIONS = {
    "Action": ("MailMessageAction", "SmsMessageAction", "UnknownAction"),
    "ActionRequest": ("MailMessageActionRequest", "SmsMessageActionRequest"),
    "ExecutionResult": ("ExecutionSuccess", "ExecutionError", "UnknownExecutionResult"),
    "RenderResult": ("RenderSuccess", "RenderError", "UnknownRenderResult"),
}


# Not for type checkers: a module `__getattr__` would make them accept any name as an attribute of this module.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name in _UNIONS:
            members: list[Any] = [getattr(_generated, member) for member in _UNIONS[name]]
            value: object = functools.reduce(lambda union, member: union | member, members)
        elif name in __all__:
            value = getattr(_generated, name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value  # looked up here from now on, without this function
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
