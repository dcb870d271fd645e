from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RecipientByFootprint")


@_attrs_define
class RecipientByFootprint:
    """A contact as NP6 resolved it; returned by sends, also accepted as input.

    Attributes:
        type_ (Literal['footprint']):
        hash_ (str | Unset):
        id (str | Unset):
        unicity (list[str] | str | Unset): The unicity value (a string in 8.1.0 answers; an array in older ones).
    """

    type_: Literal["footprint"]
    hash_: str | Unset = UNSET
    id: str | Unset = UNSET
    unicity: list[str] | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        hash_ = self.hash_

        id = self.id

        unicity: list[str] | str | Unset
        if isinstance(self.unicity, Unset):
            unicity = UNSET
        elif isinstance(self.unicity, list):
            unicity = self.unicity

        else:
            unicity = self.unicity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if id is not UNSET:
            field_dict["id"] = id
        if unicity is not UNSET:
            field_dict["unicity"] = unicity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["footprint"], d.pop("type"))
        if type_ != "footprint":
            raise ValueError(f"type must match const 'footprint', got '{type_}'")

        hash_ = d.pop("hash", UNSET)

        id = d.pop("id", UNSET)

        def _parse_unicity(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                unicity_type_1 = cast(list[str], data)

                return unicity_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        unicity = _parse_unicity(d.pop("unicity", UNSET))

        recipient_by_footprint = cls(
            type_=type_,
            hash_=hash_,
            id=id,
            unicity=unicity,
        )

        recipient_by_footprint.additional_properties = d
        return recipient_by_footprint

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
