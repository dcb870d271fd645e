"""Message builders: e-mail and SMS messages with Python names, checked before anything is sent.

They produce the generated models (`to_model()` for sends, `to_render_model()` for renders); the channel is the
builder's type, so `client.actions.send(action_id, np6.SmsMessage(...))` needs no `channel=`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypedDict, TypeVar

import attrs

# The models the public annotations name, importable at run time (`typing.get_type_hints`, cattrs and the like
# read them); each is one module, the generated package loading a model on first use.
from np6_generated.models import Attachment as AttachmentModel
from np6_generated.models import CarbonCopy, EmailRenderDefinition, RenderContext, SmsRenderDefinition, Stamp
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import Sender as SenderModel
from np6_generated.models import SmsMessage as SmsMessageModel
from np6_generated.types import UNSET, Unset

from .._core.errors import InvalidInputError
from .channel import Channel
from .recipients import RecipientLike, RecipientModel, to_recipient

if TYPE_CHECKING:
    # The other builders' models are imported when a builder makes them: a send of e-mails never loads the
    # render models.
    from np6_generated.models import (
        ContentOverride,
        MailHeaders,
        SmsContentOverride,
    )

__all__ = ["Sender", "Copy", "Attachment", "EmailMessage", "SmsMessage", "Message"]


class _Extensible(Protocol):
    @property
    def additional_properties(self) -> MutableMapping[str, Any]: ...


D = TypeVar("D")
B = TypeVar("B")
V = TypeVar("V")
M = TypeVar("M", bound=_Extensible)


class _SharedFields(TypedDict, Generic[D, B, V]):
    related: RecipientModel | Unset
    stamp: Stamp | Unset
    data: D | Unset
    blocks: list[B] | Unset
    variables: list[V] | Unset


def _opt(value: Any) -> Any:
    return UNSET if value is None else value


def _check_str(value: object, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, got {type(value).__name__}")


def _check_bool(value: object, what: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{what} must be True or False, got {value!r}")


def _mapping_list(values: Sequence[Mapping[str, Any]], what: str) -> list[dict[str, Any]]:
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InvalidInputError(f"{what} must be a list of mappings")
    items: list[dict[str, Any]] = []
    for item in values:
        if not isinstance(item, Mapping):
            raise InvalidInputError(f"{what} must contain mappings, got {type(item).__name__}")
        items.append(dict(item))
    return items


@attrs.frozen
class Sender:
    """The From header as NP6 wants it: `prefix@domain` with a display `label` (never a plain string)."""

    prefix: str
    domain: str
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("prefix", "domain"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or "@" in value:
                raise InvalidInputError(f"Sender.{name} must be a non-empty string without '@', got {value!r}")
            _check_str(value, f"Sender.{name}")
        _check_str(self.label, "Sender.label")

    @classmethod
    def parse(cls, address: str, label: str | None = None) -> Sender:
        """`Sender.parse("news@example.com", "Example")`."""
        if not isinstance(address, str):
            raise InvalidInputError(f"Sender.parse() takes an e-mail address string, got {type(address).__name__}")
        prefix, at, domain = address.strip().partition("@")
        if not at:
            raise InvalidInputError(f"{address!r} is not an e-mail address")
        return cls(prefix=prefix, domain=domain, label=label)

    def to_model(self) -> SenderModel:
        """The generated `Sender` model, for the headers of a generated message or action."""
        return SenderModel(prefix=self.prefix, domain=self.domain, label=_opt(self.label))


@attrs.frozen
class Copy:
    """A carbon copy of an e-mail to another contact; `blind=True` for Bcc."""

    to: RecipientLike
    blind: bool = False

    def __attrs_post_init__(self) -> None:
        self.to_model()  # checked when built, where the mistake is

    def to_model(self) -> CarbonCopy:
        """The generated `CarbonCopy` model, as an e-mail's `copies` hold it."""

        if not isinstance(self.blind, bool):
            raise InvalidInputError(f"Copy.blind must be True or False, got {self.blind!r}")
        recipient = to_recipient(self.to, "a copy's recipient")
        value = getattr(recipient, "value", UNSET)
        if isinstance(value, Unset):
            raise InvalidInputError("a copy's recipient must be given by id, unicity value or hash")
        return CarbonCopy(type_=recipient.type_, value=value, blind=self.blind)


@attrs.frozen
class Attachment:
    """A file attached to an e-mail. NP6 does not document the structure of `data`; it is sent as given."""

    name: str
    mime: str | None = None
    data: Mapping[str, Any] | None = None

    def __attrs_post_init__(self) -> None:
        self.to_model()  # checked when built, where the mistake is

    def to_model(self) -> AttachmentModel:
        """The generated `Attachment` model, as an e-mail's `attachments` hold it."""
        from np6_generated.models import AttachmentData

        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInputError("an attachment needs a file name")
        _check_str(self.name, "Attachment.name")
        _check_str(self.mime, "Attachment.mime")
        data: AttachmentData | Unset = UNSET
        if self.data is not None:
            if not isinstance(self.data, Mapping):
                raise InvalidInputError("Attachment.data must be a mapping")
            data = AttachmentData.from_dict(dict(self.data))
        return AttachmentModel(name=self.name, mime=_opt(self.mime), data=data)


def _sender(value: object) -> SenderModel | Unset:
    if value is None:
        return UNSET
    if isinstance(value, str):
        raise InvalidInputError(
            "`sender` (the From header) must be np6.Sender(prefix=..., domain=..., label=...), not a string:"
            " NP6 refuses a string with 400. Sender.parse('news@example.com', 'Label') builds one."
        )
    if isinstance(value, Sender):
        return value.to_model()

    if isinstance(value, SenderModel):
        return value
    raise InvalidInputError(f"`sender` must be an np6.Sender, got {type(value).__name__}")


@attrs.frozen(kw_only=True)
class _MessageBase:
    to: RecipientLike = attrs.field(kw_only=False)
    related: RecipientLike | None = None
    data: Mapping[str, Any] | None = None
    blocks: Sequence[Mapping[str, Any]] = ()
    variables: Sequence[Mapping[str, Any]] = ()
    stamp: Stamp | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict[str, Any])
    """Fields NP6 accepts that this version does not model; sent as given."""

    def _recipient(self) -> RecipientModel:
        return to_recipient(self.to)

    def _related(self) -> RecipientModel | Unset:
        return UNSET if self.related is None else to_recipient(self.related, "related")

    def _data(self) -> dict[str, Any] | None:
        if self.data is None:
            return None
        if not isinstance(self.data, Mapping):
            raise InvalidInputError("`data` must be a mapping of personalisation values")
        return dict(self.data)

    def _check(self) -> None:
        self._recipient()
        self._related()
        # Types are checked here, when the message is built; what only encoding can refuse (NaN, a lone
        # surrogate, a key that is not a string) makes this message `rejected` when it is sent. A message built in
        # the caller's generator must not raise there: a bad value in message 150 is that message's outcome.
        self._data()
        _mapping_list(self.blocks, "`blocks`")
        _mapping_list(self.variables, "`variables`")
        if not isinstance(self.extra, Mapping):
            raise InvalidInputError(f"`extra` must be a mapping of wire fields, got {type(self.extra).__name__}")
        if self.stamp is not None and not isinstance(self.stamp, Stamp):
            raise InvalidInputError("`stamp` must be a np6 Stamp model")

    def _shared_fields(
        self,
        data: Callable[[Mapping[str, Any]], D],
        block: Callable[[Mapping[str, Any]], B],
        variable: Callable[[Mapping[str, Any]], V],
    ) -> _SharedFields[D, B, V]:
        """The fields every body shares, as the model types of one body: each body has types of its own."""
        values = self._data()
        blocks = [block(item) for item in _mapping_list(self.blocks, "`blocks`")]
        variables = [variable(item) for item in _mapping_list(self.variables, "`variables`")]
        return {
            "related": self._related(),
            "stamp": _opt(self.stamp),
            "data": UNSET if values is None else data(values),
            "blocks": blocks or UNSET,
            "variables": variables or UNSET,
        }

    def _extended(self, model: M) -> M:
        """The model with the caller's `extra` wire fields."""
        model.additional_properties.update(self.extra)
        return model


@attrs.frozen(kw_only=True)
class EmailMessage(_MessageBase):
    """One e-mail of a send. Every override is optional; without any, NP6 sends the action as configured.

    `html`/`text`/`amp` replace the action's content (NP6 then sends it as is, without personalisation or
    tracking, and needs templating version 4.1); `sender`, `reply_to` and `subject` override the headers.
    """

    subject: str | None = None
    sender: Sender | None = None
    reply_to: str | None = None
    html: str | None = None
    text: str | None = None
    amp: str | None = None
    content_type: str | None = None
    copies: Sequence[Copy] = ()
    attachments: Sequence[Attachment] = ()
    urgent: bool | None = None
    important: bool | None = None

    channel = Channel.EMAIL

    def __attrs_post_init__(self) -> None:
        self._check()
        for name in ("subject", "reply_to", "html", "text", "amp", "content_type"):
            _check_str(getattr(self, name), f"`{name}`")
        _check_bool(self.urgent, "`urgent`")
        _check_bool(self.important, "`important`")
        self._content()
        _sender(self.sender)
        for name in ("copies", "attachments"):
            if isinstance(getattr(self, name), (str, bytes, Mapping)) or not isinstance(getattr(self, name), Iterable):
                raise InvalidInputError(f"`{name}` must be a list, got {type(getattr(self, name)).__name__}")
        for copy in self.copies:
            if not isinstance(copy, Copy):
                raise InvalidInputError(f"`copies` must contain np6.Copy values, got {type(copy).__name__}")
            copy.to_model()
        for attachment in self.attachments:
            if not isinstance(attachment, Attachment):
                raise InvalidInputError(f"`attachments` must contain np6.Attachment values, got {attachment!r}")
            attachment.to_model()

    def _headers(self) -> MailHeaders | Unset:
        if self.sender is None and self.reply_to is None:
            return UNSET
        from np6_generated.models import MailHeaders

        return MailHeaders(from_=_sender(self.sender), reply=_opt(self.reply_to))

    def _content(self) -> ContentOverride | Unset:
        if self.html is None and self.text is None and self.amp is None:
            if self.content_type is not None:
                raise InvalidInputError("`content_type` needs html, text or amp to override")
            return UNSET
        from np6_generated.models import ContentOverride

        return ContentOverride(
            type_=_opt(self.content_type), html=_opt(self.html), text=_opt(self.text), amp=_opt(self.amp)
        )

    def to_model(self) -> EmailMessageModel:
        """The generated `EmailMessage` model: this message as a send's body holds it, `extra` fields included."""
        from np6_generated.models import EmailMessageBlocksItem, EmailMessageData, EmailMessageVariablesItem

        shared = self._shared_fields(
            EmailMessageData.from_dict, EmailMessageBlocksItem.from_dict, EmailMessageVariablesItem.from_dict
        )
        return self._extended(
            EmailMessageModel(
                recipient=self._recipient(),
                copies=[copy.to_model() for copy in self.copies] or UNSET,
                headers=self._headers(),
                subject=_opt(self.subject),
                attachments=[attachment.to_model() for attachment in self.attachments] or UNSET,
                content=self._content(),
                urgent=_opt(self.urgent),
                important=_opt(self.important),
                **shared,
            )
        )

    def to_render_model(self, context: RenderContext | None = None) -> EmailRenderDefinition:
        """The generated `EmailRenderDefinition`: this message as a render previews it, in `context` if given.

        Copies, attachments, `urgent` and `important` are not part of a render: a message with any of them raises
        `InvalidInputError`.
        """
        if self.copies or self.attachments or self.urgent is not None or self.important is not None:
            raise InvalidInputError("copies, attachments, urgent and important are not part of a render")
        from np6_generated.models import (
            EmailRenderDefinitionBlocksItem,
            EmailRenderDefinitionData,
            EmailRenderDefinitionVariablesItem,
        )

        shared = self._shared_fields(
            EmailRenderDefinitionData.from_dict,
            EmailRenderDefinitionBlocksItem.from_dict,
            EmailRenderDefinitionVariablesItem.from_dict,
        )
        return self._extended(
            EmailRenderDefinition(
                receiver=self._recipient(),
                headers=self._headers(),
                subject=_opt(self.subject),
                content=self._content(),
                context=_opt(context),
                **shared,
            )
        )


@attrs.frozen(kw_only=True)
class SmsMessage(_MessageBase):
    """One SMS of a send; `text` replaces the action's text for this message."""

    text: str | None = None

    channel = Channel.SMS

    def __attrs_post_init__(self) -> None:
        self._check()
        _check_str(self.text, "`text`")

    def _content(self) -> SmsContentOverride | Unset:
        if self.text is None:
            return UNSET
        from np6_generated.models import SmsContentOverride

        return SmsContentOverride(text=self.text)

    def to_model(self) -> SmsMessageModel:
        """The generated `SmsMessage` model: this message as a send's body holds it, `extra` fields included."""
        from np6_generated.models import SmsMessageBlocksItem, SmsMessageData, SmsMessageVariablesItem

        shared = self._shared_fields(
            SmsMessageData.from_dict, SmsMessageBlocksItem.from_dict, SmsMessageVariablesItem.from_dict
        )
        return self._extended(
            SmsMessageModel(
                recipient=self._recipient(),
                content=self._content(),
                **shared,
            )
        )

    def to_render_model(self, context: RenderContext | None = None) -> SmsRenderDefinition:
        """The generated `SmsRenderDefinition`: this message as a render previews it.

        `context` is for e-mail renders only: passing one raises `InvalidInputError`.
        """
        if context is not None:
            raise InvalidInputError("a render context applies to e-mail renders only")
        from np6_generated.models import (
            SmsRenderDefinitionBlocksItem,
            SmsRenderDefinitionData,
            SmsRenderDefinitionVariablesItem,
        )

        shared = self._shared_fields(
            SmsRenderDefinitionData.from_dict,
            SmsRenderDefinitionBlocksItem.from_dict,
            SmsRenderDefinitionVariablesItem.from_dict,
        )
        return self._extended(
            SmsRenderDefinition(
                receiver=self._recipient(),
                content=self._content(),
                **shared,
            )
        )


Message = EmailMessage | SmsMessage
"""A message builder of either channel."""
