from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recipient_by_footprint import RecipientByFootprint
    from ..models.recipient_by_hash import RecipientByHash
    from ..models.recipient_by_id import RecipientById
    from ..models.recipient_by_unicity import RecipientByUnicity
    from ..models.sms_content_override import SmsContentOverride
    from ..models.sms_message_blocks_item import SmsMessageBlocksItem
    from ..models.sms_message_data import SmsMessageData
    from ..models.sms_message_variables_item import SmsMessageVariablesItem
    from ..models.stamp import Stamp
    from ..models.unknown_recipient import UnknownRecipient


T = TypeVar("T", bound="SmsMessage")


@_attrs_define
class SmsMessage:
    """One SMS message definition of a send.

    Attributes:
        recipient (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient): Who
            receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        blocks (list[SmsMessageBlocksItem] | Unset):
        content (SmsContentOverride | Unset): Replaces the SMS text for this message.
        data (SmsMessageData | Unset): Personalisation data.
        related (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient |
            Unset): Who receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        stamp (Stamp | Unset):
        variables (list[SmsMessageVariablesItem] | Unset):
    """

    recipient: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient
    blocks: list[SmsMessageBlocksItem] | Unset = UNSET
    content: SmsContentOverride | Unset = UNSET
    data: SmsMessageData | Unset = UNSET
    related: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset = (
        UNSET
    )
    stamp: Stamp | Unset = UNSET
    variables: list[SmsMessageVariablesItem] | Unset = UNSET
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

        blocks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.blocks, Unset):
            blocks = []
            for blocks_item_data in self.blocks:
                blocks_item = blocks_item_data.to_dict()
                blocks.append(blocks_item)

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

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
        if blocks is not UNSET:
            field_dict["blocks"] = blocks
        if content is not UNSET:
            field_dict["content"] = content
        if data is not UNSET:
            field_dict["data"] = data
        if related is not UNSET:
            field_dict["related"] = related
        if stamp is not UNSET:
            field_dict["stamp"] = stamp
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415
        from ..models.sms_content_override import SmsContentOverride  # noqa: PLC0415
        from ..models.sms_message_blocks_item import SmsMessageBlocksItem  # noqa: PLC0415
        from ..models.sms_message_data import SmsMessageData  # noqa: PLC0415
        from ..models.sms_message_variables_item import SmsMessageVariablesItem  # noqa: PLC0415
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

        _blocks = d.pop("blocks", UNSET)
        blocks: list[SmsMessageBlocksItem] | Unset = UNSET
        if _blocks is not UNSET:
            blocks = []
            for blocks_item_data in _blocks:
                blocks_item = SmsMessageBlocksItem.from_dict(blocks_item_data)

                blocks.append(blocks_item)

        _content = d.pop("content", UNSET)
        content: SmsContentOverride | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = SmsContentOverride.from_dict(_content)

        _data = d.pop("data", UNSET)
        data: SmsMessageData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = SmsMessageData.from_dict(_data)

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

        _variables = d.pop("variables", UNSET)
        variables: list[SmsMessageVariablesItem] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = SmsMessageVariablesItem.from_dict(variables_item_data)

                variables.append(variables_item)

        sms_message = cls(
            recipient=recipient,
            blocks=blocks,
            content=content,
            data=data,
            related=related,
            stamp=stamp,
            variables=variables,
        )

        sms_message.additional_properties = d
        return sms_message

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
