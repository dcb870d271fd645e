"""Builders for the two action types, with the fields NP6 needs and nothing tenant-specific."""

from __future__ import annotations

from np6_generated.models import (
    MailContent,
    MailHeaders,
    MailMessageActionRequest,
    MailSettings,
    SmsContent,
    SmsMessageActionRequest,
    Templating,
)
from np6_generated.types import UNSET

from .._core.engine import check_json_value
from .._core.errors import InvalidInputError
from .messages import Sender

__all__ = ["email_action", "sms_action"]

# The version that lets a send override the content; the only one the 8.1.0 reference documents.
TEMPLATING_VERSION = "4.1"
_EDITION_MODE_HTML = 1


def _text(value: object, what: str, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    check_json_value(value, what)


def email_action(
    *,
    name: str,
    sender: Sender,
    subject: str,
    html: str | None = None,
    text: str | None = None,
    reply_to: str | None = None,
    description: str | None = None,
) -> MailMessageActionRequest:
    """A new e-mail action (`type: mailMessage`), ready for `client.actions.create()`, which answers the
    `np6.models.MailMessageAction` NP6 created, with its id.

    `settings.field` is left out on purpose: NP6 then applies the account's default unicity field, while a wrong
    value answers a misleading 404.
    """
    _text(name, "name")
    _text(subject, "subject")
    if html is None and text is None:
        raise InvalidInputError("an e-mail action needs html or text content")
    _text(html, "html", required=False)
    _text(text, "text", required=False)
    _text(reply_to, "reply_to", required=False)
    _text(description, "description", required=False)
    if not isinstance(sender, Sender):
        raise InvalidInputError("sender must be np6.Sender(prefix=..., domain=..., label=...): NP6 refuses a string")
    return MailMessageActionRequest(
        type_="mailMessage",
        name=name,
        description=UNSET if description is None else description,
        settings=MailSettings(templating=Templating(version=TEMPLATING_VERSION), edition_mode=_EDITION_MODE_HTML),
        content=MailContent(
            headers=MailHeaders(from_=sender.to_model(), reply=UNSET if reply_to is None else reply_to),
            subject=subject,
            html=UNSET if html is None else html,
            text=UNSET if text is None else text,
        ),
    )


def sms_action(*, name: str, text: str, description: str | None = None) -> SmsMessageActionRequest:
    """A new SMS action (`type: smsMessage`) whose message is `text`, ready for `client.actions.create()`, which
    answers the `np6.models.SmsMessageAction` NP6 created."""
    _text(name, "name")
    _text(text, "text")
    _text(description, "description", required=False)
    return SmsMessageActionRequest(
        type_="smsMessage",
        name=name,
        description=UNSET if description is None else description,
        content=SmsContent(text_content=text),
    )
