from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RenderSender")


@_attrs_define
class RenderSender:
    """
    Attributes:
        bounce (str | Unset):
        label (str | Unset):
        reply (str | Unset):
        value (str | Unset):
    """

    bounce: str | Unset = UNSET
    label: str | Unset = UNSET
    reply: str | Unset = UNSET
    value: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bounce = self.bounce

        label = self.label

        reply = self.reply

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if bounce is not UNSET:
            field_dict["bounce"] = bounce
        if label is not UNSET:
            field_dict["label"] = label
        if reply is not UNSET:
            field_dict["reply"] = reply
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bounce = d.pop("bounce", UNSET)

        label = d.pop("label", UNSET)

        reply = d.pop("reply", UNSET)

        value = d.pop("value", UNSET)

        render_sender = cls(
            bounce=bounce,
            label=label,
            reply=reply,
            value=value,
        )

        render_sender.additional_properties = d
        return render_sender

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
