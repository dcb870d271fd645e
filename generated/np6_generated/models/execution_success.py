from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recipient_by_footprint import RecipientByFootprint


T = TypeVar("T", bound="ExecutionSuccess")


@_attrs_define
class ExecutionSuccess:
    """
    Attributes:
        id (str): The NP6 message id.
        type_ (Literal['success']):
        recipient (RecipientByFootprint | Unset): A contact as NP6 resolved it; returned by sends, also accepted as
            input.
    """

    id: str
    type_: Literal["success"]
    recipient: RecipientByFootprint | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        recipient: dict[str, Any] | Unset = UNSET
        if not isinstance(self.recipient, Unset):
            recipient = self.recipient.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )
        if recipient is not UNSET:
            field_dict["recipient"] = recipient

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["success"], d.pop("type"))
        if type_ != "success":
            raise ValueError(f"type must match const 'success', got '{type_}'")

        _recipient = d.pop("recipient", UNSET)
        recipient: RecipientByFootprint | Unset
        if isinstance(_recipient, Unset):
            recipient = UNSET
        else:
            recipient = RecipientByFootprint.from_dict(_recipient)

        execution_success = cls(
            id=id,
            type_=type_,
            recipient=recipient,
        )

        execution_success.additional_properties = d
        return execution_success

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
