from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RenderContext")


@_attrs_define
class RenderContext:
    """Views overrides of a render.

    Attributes:
        display (int | Unset): Display configuration, an open integer; known values 0, 1, 2, 4, 8, 16 (meanings
            undocumented).
        id (str | Unset): Message id.
        recipient (str | Unset): Recipient address that overrides the send's.
        render (int | Unset): Id of the content to render.
    """

    display: int | Unset = UNSET
    id: str | Unset = UNSET
    recipient: str | Unset = UNSET
    render: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display = self.display

        id = self.id

        recipient = self.recipient

        render = self.render

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if display is not UNSET:
            field_dict["display"] = display
        if id is not UNSET:
            field_dict["id"] = id
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if render is not UNSET:
            field_dict["render"] = render

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display = d.pop("display", UNSET)

        id = d.pop("id", UNSET)

        recipient = d.pop("recipient", UNSET)

        render = d.pop("render", UNSET)

        render_context = cls(
            display=display,
            id=id,
            recipient=recipient,
            render=render,
        )

        render_context.additional_properties = d
        return render_context

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
