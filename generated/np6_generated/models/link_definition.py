from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link_definition_destination import LinkDefinitionDestination


T = TypeVar("T", bound="LinkDefinition")


@_attrs_define
class LinkDefinition:
    """
    Attributes:
        destination (LinkDefinitionDestination | Unset):
        type_ (str | Unset):
    """

    destination: LinkDefinitionDestination | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        destination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.destination, Unset):
            destination = self.destination.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if destination is not UNSET:
            field_dict["destination"] = destination
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.link_definition_destination import LinkDefinitionDestination  # noqa: PLC0415

        d = dict(src_dict)
        _destination = d.pop("destination", UNSET)
        destination: LinkDefinitionDestination | Unset
        if isinstance(_destination, Unset):
            destination = UNSET
        else:
            destination = LinkDefinitionDestination.from_dict(_destination)

        type_ = d.pop("type", UNSET)

        link_definition = cls(
            destination=destination,
            type_=type_,
        )

        link_definition.additional_properties = d
        return link_definition

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
