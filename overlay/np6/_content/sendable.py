"""What a send or a render accepts for one message, and how it becomes the generated model NP6 reads."""

from __future__ import annotations

from typing import cast

from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import SmsMessage as SmsMessageModel
from np6_generated.types import UNSET, Unset

from .._core.errors import InvalidInputError
from .channel import Channel
from .messages import EmailMessage, SmsMessage
from .recipients import RecipientLike, to_recipient

__all__ = ["MessageLike", "check_message", "message_channel", "render_builder", "send_model"]

MessageLike = RecipientLike | EmailMessage | SmsMessage | EmailMessageModel | SmsMessageModel
"""What a send accepts for one message: a unicity string, a recipient, a message builder or a generated model."""


def message_channel(message: object) -> Channel | None:
    if isinstance(message, (EmailMessage, EmailMessageModel)):
        return Channel.EMAIL
    if isinstance(message, (SmsMessage, SmsMessageModel)):
        return Channel.SMS
    return None


def check_message(message: object) -> None:
    """What can be checked of one message before its action's channel is known (so before any lookup request):
    a builder or a generated model was checked when made; anything else must be a valid recipient."""
    if message_channel(message) is None:
        to_recipient(message)


def send_model(message: object, channel: Channel) -> EmailMessageModel | SmsMessageModel:
    if isinstance(message, (EmailMessage, SmsMessage)):
        return message.to_model()
    if isinstance(message, (EmailMessageModel, SmsMessageModel)):
        to_recipient(message.recipient)
        headers = getattr(message, "headers", UNSET)
        if not isinstance(headers, Unset) and isinstance(getattr(headers, "from_", None), str):
            raise InvalidInputError(
                "headers.from_ must be a generated Sender model (np6.Sender(...).to_model()): NP6 refuses a string"
            )
        try:
            message.to_dict()
        except (AttributeError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"this generated message cannot be serialised: {exc!r}") from exc
        return message
    recipient = to_recipient(message)
    if channel is Channel.EMAIL:
        return EmailMessageModel(recipient=recipient)
    return SmsMessageModel(recipient=recipient)


def render_builder(message: object, channel: Channel) -> EmailMessage | SmsMessage:
    if isinstance(message, (EmailMessage, SmsMessage)):
        return message
    if isinstance(message, (EmailMessageModel, SmsMessageModel)):
        raise InvalidInputError("render takes a recipient or an np6.EmailMessage / np6.SmsMessage builder")
    recipient = cast(RecipientLike, message)
    return EmailMessage(recipient) if channel is Channel.EMAIL else SmsMessage(recipient)
