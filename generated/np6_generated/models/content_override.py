from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContentOverride")


@_attrs_define
class ContentOverride:
    """Replaces the action's content for this message; it is then sent as is (no personalisation, no
    tracking). Needs templating version 4.1, else NP6 answers 409.

        Attributes:
            amp (str | Unset):
            html (str | Unset):
            text (str | Unset):
            type_ (str | Unset):
    """

    amp: str | Unset = UNSET
    html: str | Unset = UNSET
    text: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amp = self.amp

        html = self.html

        text = self.text

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if amp is not UNSET:
            field_dict["amp"] = amp
        if html is not UNSET:
            field_dict["html"] = html
        if text is not UNSET:
            field_dict["text"] = text
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amp = d.pop("amp", UNSET)

        html = d.pop("html", UNSET)

        text = d.pop("text", UNSET)

        type_ = d.pop("type", UNSET)

        content_override = cls(
            amp=amp,
            html=html,
            text=text,
            type_=type_,
        )

        content_override.additional_properties = d
        return content_override

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
