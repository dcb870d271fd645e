from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attachment import Attachment
    from ..models.carbon_copy import CarbonCopy
    from ..models.content_override import ContentOverride
    from ..models.email_message_blocks_item import EmailMessageBlocksItem
    from ..models.email_message_data import EmailMessageData
    from ..models.email_message_variables_item import EmailMessageVariablesItem
    from ..models.mail_headers import MailHeaders
    from ..models.recipient_by_footprint import RecipientByFootprint
    from ..models.recipient_by_hash import RecipientByHash
    from ..models.recipient_by_id import RecipientById
    from ..models.recipient_by_unicity import RecipientByUnicity
    from ..models.stamp import Stamp
    from ..models.unknown_recipient import UnknownRecipient


T = TypeVar("T", bound="EmailMessage")


@_attrs_define
class EmailMessage:
    """One e-mail message definition of a send.

    Attributes:
        recipient (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient): Who
            receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        attachments (list[Attachment] | Unset):
        blocks (list[EmailMessageBlocksItem] | Unset):
        content (ContentOverride | Unset): Replaces the action's content for this message; it is then sent as is (no
            personalisation, no
            tracking). Needs templating version 4.1, else NP6 answers 409.
        copies (list[CarbonCopy] | Unset):
        data (EmailMessageData | Unset): Personalisation data.
        headers (MailHeaders | Unset):
        important (bool | Unset):
        related (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient |
            Unset): Who receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        stamp (Stamp | Unset):
        subject (str | Unset):
        urgent (bool | Unset):
        variables (list[EmailMessageVariablesItem] | Unset):
    """

    recipient: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient
    attachments: list[Attachment] | Unset = UNSET
    blocks: list[EmailMessageBlocksItem] | Unset = UNSET
    content: ContentOverride | Unset = UNSET
    copies: list[CarbonCopy] | Unset = UNSET
    data: EmailMessageData | Unset = UNSET
    headers: MailHeaders | Unset = UNSET
    important: bool | Unset = UNSET
    related: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset = (
        UNSET
    )
    stamp: Stamp | Unset = UNSET
    subject: str | Unset = UNSET
    urgent: bool | Unset = UNSET
    variables: list[EmailMessageVariablesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415

        recipient: dict[str, Any]
        if isinstance(self.recipient, RecipientById):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByUnicity):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByHash):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByFootprint):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient.to_dict()

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)

        blocks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.blocks, Unset):
            blocks = []
            for blocks_item_data in self.blocks:
                blocks_item = blocks_item_data.to_dict()
                blocks.append(blocks_item)

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        copies: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.copies, Unset):
            copies = []
            for copies_item_data in self.copies:
                copies_item = copies_item_data.to_dict()
                copies.append(copies_item)

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        important = self.important

        related: dict[str, Any] | Unset
        if isinstance(self.related, Unset):
            related = UNSET
        elif isinstance(self.related, RecipientById):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByUnicity):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByHash):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByFootprint):
            related = self.related.to_dict()
        else:
            related = self.related.to_dict()

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

        subject = self.subject

        urgent = self.urgent

        variables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = []
            for variables_item_data in self.variables:
                variables_item = variables_item_data.to_dict()
                variables.append(variables_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipient": recipient,
            }
        )
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if blocks is not UNSET:
            field_dict["blocks"] = blocks
        if content is not UNSET:
            field_dict["content"] = content
        if copies is not UNSET:
            field_dict["copies"] = copies
        if data is not UNSET:
            field_dict["data"] = data
        if headers is not UNSET:
            field_dict["headers"] = headers
        if important is not UNSET:
            field_dict["important"] = important
        if related is not UNSET:
            field_dict["related"] = related
        if stamp is not UNSET:
            field_dict["stamp"] = stamp
        if subject is not UNSET:
            field_dict["subject"] = subject
        if urgent is not UNSET:
            field_dict["urgent"] = urgent
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment import Attachment  # noqa: PLC0415
        from ..models.carbon_copy import CarbonCopy  # noqa: PLC0415
        from ..models.content_override import ContentOverride  # noqa: PLC0415
        from ..models.email_message_blocks_item import EmailMessageBlocksItem  # noqa: PLC0415
        from ..models.email_message_data import EmailMessageData  # noqa: PLC0415
        from ..models.email_message_variables_item import EmailMessageVariablesItem  # noqa: PLC0415
        from ..models.mail_headers import MailHeaders  # noqa: PLC0415
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415
        from ..models.stamp import Stamp  # noqa: PLC0415
        from ..models.unknown_recipient import UnknownRecipient  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_recipient(
            data: object,
        ) -> RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_0 = RecipientById.from_dict(data)

                return componentsschemas_recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_1 = RecipientByUnicity.from_dict(data)

                return componentsschemas_recipient_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_2 = RecipientByHash.from_dict(data)

                return componentsschemas_recipient_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_3 = RecipientByFootprint.from_dict(data)

                return componentsschemas_recipient_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_recipient_type_4 = UnknownRecipient.from_dict(data)

            return componentsschemas_recipient_type_4

        recipient = _parse_recipient(d.pop("recipient"))

        _attachments = d.pop("attachments", UNSET)
        attachments: list[Attachment] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = Attachment.from_dict(attachments_item_data)

                attachments.append(attachments_item)

        _blocks = d.pop("blocks", UNSET)
        blocks: list[EmailMessageBlocksItem] | Unset = UNSET
        if _blocks is not UNSET:
            blocks = []
            for blocks_item_data in _blocks:
                blocks_item = EmailMessageBlocksItem.from_dict(blocks_item_data)

                blocks.append(blocks_item)

        _content = d.pop("content", UNSET)
        content: ContentOverride | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = ContentOverride.from_dict(_content)

        _copies = d.pop("copies", UNSET)
        copies: list[CarbonCopy] | Unset = UNSET
        if _copies is not UNSET:
            copies = []
            for copies_item_data in _copies:
                copies_item = CarbonCopy.from_dict(copies_item_data)

                copies.append(copies_item)

        _data = d.pop("data", UNSET)
        data: EmailMessageData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EmailMessageData.from_dict(_data)

        _headers = d.pop("headers", UNSET)
        headers: MailHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = MailHeaders.from_dict(_headers)

        important = d.pop("important", UNSET)

        def _parse_related(
            data: object,
        ) -> RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_0 = RecipientById.from_dict(data)

                return componentsschemas_recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_1 = RecipientByUnicity.from_dict(data)

                return componentsschemas_recipient_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_2 = RecipientByHash.from_dict(data)

                return componentsschemas_recipient_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_3 = RecipientByFootprint.from_dict(data)

                return componentsschemas_recipient_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_recipient_type_4 = UnknownRecipient.from_dict(data)

            return componentsschemas_recipient_type_4

        related = _parse_related(d.pop("related", UNSET))

        _stamp = d.pop("stamp", UNSET)
        stamp: Stamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = Stamp.from_dict(_stamp)

        subject = d.pop("subject", UNSET)

        urgent = d.pop("urgent", UNSET)

        _variables = d.pop("variables", UNSET)
        variables: list[EmailMessageVariablesItem] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = EmailMessageVariablesItem.from_dict(variables_item_data)

                variables.append(variables_item)

        email_message = cls(
            recipient=recipient,
            attachments=attachments,
            blocks=blocks,
            content=content,
            copies=copies,
            data=data,
            headers=headers,
            important=important,
            related=related,
            stamp=stamp,
            subject=subject,
            urgent=urgent,
            variables=variables,
        )

        email_message.additional_properties = d
        return email_message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
