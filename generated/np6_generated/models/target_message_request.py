from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content_override import ContentOverride
    from ..models.target_message_request_data import TargetMessageRequestData


T = TypeVar("T", bound="TargetMessageRequest")


@_attrs_define
class TargetMessageRequest:
    """Body of the legacy send by target id. Its 8.1.0 schema is only partly published.

    Attributes:
        content (ContentOverride | Unset): Replaces the action's content for this message; it is then sent as is (no
            personalisation, no
            tracking). Needs templating version 4.1, else NP6 answers 409.
        data (TargetMessageRequestData | Unset): Personalisation data.
    """

    content: ContentOverride | Unset = UNSET
    data: TargetMessageRequestData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if content is not UNSET:
            field_dict["content"] = content
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content_override import ContentOverride  # noqa: PLC0415
        from ..models.target_message_request_data import TargetMessageRequestData  # noqa: PLC0415

        d = dict(src_dict)
        _content = d.pop("content", UNSET)
        content: ContentOverride | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = ContentOverride.from_dict(_content)

        _data = d.pop("data", UNSET)
        data: TargetMessageRequestData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = TargetMessageRequestData.from_dict(_data)

        target_message_request = cls(
            content=content,
            data=data,
        )

        target_message_request.additional_properties = d
        return target_message_request

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
