from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.value_list_item import ValueListItem


T = TypeVar("T", bound="ValueList")


@_attrs_define
class ValueList:
    """An enumeration of the values a select-list field takes.

    Attributes:
        id (int):
        name (str):
        ordered (bool | None | Unset): true to show the values alphabetically rather than in creation order.
        values (list[ValueListItem] | Unset):
    """

    id: int
    name: str
    ordered: bool | None | Unset = UNSET
    values: list[ValueListItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        ordered: bool | None | Unset
        if isinstance(self.ordered, Unset):
            ordered = UNSET
        else:
            ordered = self.ordered

        values: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = []
            for values_item_data in self.values:
                values_item = values_item_data.to_dict()
                values.append(values_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if ordered is not UNSET:
            field_dict["ordered"] = ordered
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.value_list_item import ValueListItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_ordered(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        ordered = _parse_ordered(d.pop("ordered", UNSET))

        _values = d.pop("values", UNSET)
        values: list[ValueListItem] | Unset = UNSET
        if _values is not UNSET:
            values = []
            for values_item_data in _values:
                values_item = ValueListItem.from_dict(values_item_data)

                values.append(values_item)

        value_list = cls(
            id=id,
            name=name,
            ordered=ordered,
            values=values,
        )

        value_list.additional_properties = d
        return value_list

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
