"""The models NP6 answers with (generated from the curated spec), and names for their unions.

The generator does not emit a class for a `oneOf`: these aliases give them back their names, so that
`isinstance(result, np6.models.ExecutionSuccess)` and `def f(action: np6.models.Action)` read naturally.
"""

from __future__ import annotations

from typing import TypeAlias

from np6_generated.models import (
    ActionInformations,
    Attachment,
    CarbonCopy,
    ContentOverride,
    EmailMessage,
    EmailRenderDefinition,
    ExecutionError,
    ExecutionSuccess,
    LinkDefinition,
    MailContent,
    MailHeaders,
    MailMessageAction,
    MailSettings,
    RecipientByFootprint,
    RecipientByHash,
    RecipientById,
    RecipientByUnicity,
    RenderContext,
    RenderError,
    RenderLinksDefinition,
    RenderLinksResult,
    RenderSuccess,
    ResultErrorValue,
    Sender,
    SmsContent,
    SmsContentOverride,
    SmsMessage,
    SmsMessageAction,
    SmsRenderDefinition,
    SmsSettings,
    Stamp,
    Templating,
    UnknownAction,
    UnknownExecutionResult,
    UnknownRecipient,
    UnknownRenderResult,
    ValidationSettings,
)

__all__ = [
    "Action",
    "ActionInformations",
    "Attachment",
    "CarbonCopy",
    "ContentOverride",
    "EmailMessage",
    "EmailRenderDefinition",
    "ExecutionError",
    "ExecutionResult",
    "ExecutionSuccess",
    "LinkDefinition",
    "MailContent",
    "MailHeaders",
    "MailMessageAction",
    "MailSettings",
    "RecipientByFootprint",
    "RecipientByHash",
    "RecipientById",
    "RecipientByUnicity",
    "RenderContext",
    "RenderError",
    "RenderLinksDefinition",
    "RenderLinksResult",
    "RenderResult",
    "RenderSuccess",
    "ResultErrorValue",
    "Sender",
    "SmsContent",
    "SmsContentOverride",
    "SmsMessage",
    "SmsMessageAction",
    "SmsRenderDefinition",
    "SmsSettings",
    "Stamp",
    "Templating",
    "UnknownAction",
    "UnknownExecutionResult",
    "UnknownRecipient",
    "UnknownRenderResult",
    "ValidationSettings",
]

Action: TypeAlias = MailMessageAction | SmsMessageAction | UnknownAction
ExecutionResult: TypeAlias = ExecutionSuccess | ExecutionError | UnknownExecutionResult
RenderResult: TypeAlias = RenderSuccess | RenderError | UnknownRenderResult

ACTION_TYPES = (MailMessageAction, SmsMessageAction, UnknownAction)
EXECUTION_RESULT_TYPES = (ExecutionSuccess, ExecutionError, UnknownExecutionResult)
RENDER_RESULT_TYPES = (RenderSuccess, RenderError, UnknownRenderResult)
