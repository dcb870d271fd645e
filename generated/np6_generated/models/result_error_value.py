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
    from ..models.unknown_recipient import UnknownRecipient


T = TypeVar("T", bound="ResultErrorValue")


@_attrs_define
class ResultErrorValue:
    """
    Attributes:
        recipient (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient |
            Unset): Who receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        type_ (str | Unset): The kind of error, for example "recipient not found".
    """

    recipient: (
        RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset
    ) = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415

        recipient: dict[str, Any] | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        elif isinstance(self.recipient, RecipientById):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByUnicity):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByHash):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, RecipientByFootprint):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415
        from ..models.unknown_recipient import UnknownRecipient  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_recipient(
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

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        type_ = d.pop("type", UNSET)

        result_error_value = cls(
            recipient=recipient,
            type_=type_,
        )

        result_error_value.additional_properties = d
        return result_error_value

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
