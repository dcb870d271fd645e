from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EventReceiver")


@_attrs_define
class EventReceiver:
    """The contact, as `{type: id, value}` or as a footprint `{type: footprint, id, unicity, hash}`.

    Attributes:
        hash_ (str | Unset):
        id (str | Unset):
        type_ (str | Unset):
        unicity (list[str] | str | Unset):
        value (list[str] | str | Unset):
    """

    hash_: str | Unset = UNSET
    id: str | Unset = UNSET
    type_: str | Unset = UNSET
    unicity: list[str] | str | Unset = UNSET
    value: list[str] | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hash_ = self.hash_

        id = self.id

        type_ = self.type_

        unicity: list[str] | str | Unset
        if isinstance(self.unicity, Unset):
            unicity = UNSET
        elif isinstance(self.unicity, list):
            unicity = self.unicity

        else:
            unicity = self.unicity

        value: list[str] | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        elif isinstance(self.value, list):
            value = self.value

        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if id is not UNSET:
            field_dict["id"] = id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if unicity is not UNSET:
            field_dict["unicity"] = unicity
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hash_ = d.pop("hash", UNSET)

        id = d.pop("id", UNSET)

        type_ = d.pop("type", UNSET)

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

        def _parse_value(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_1 = cast(list[str], data)

                return value_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        event_receiver = cls(
            hash_=hash_,
            id=id,
            type_=type_,
            unicity=unicity,
            value=value,
        )

        event_receiver.additional_properties = d
        return event_receiver

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
