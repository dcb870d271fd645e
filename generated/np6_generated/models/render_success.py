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
    from ..models.render_sender import RenderSender
    from ..models.render_success_headers import RenderSuccessHeaders


T = TypeVar("T", bound="RenderSuccess")


@_attrs_define
class RenderSuccess:
    """A rendered message. The SMS render result is undocumented; presumably a subset of these fields.

    Attributes:
        type_ (Literal['success']):
        amp (str | Unset):
        headers (RenderSuccessHeaders | Unset):
        html (str | Unset):
        recipient (str | Unset):
        sender (RenderSender | Unset):
        subject (str | Unset):
        text (str | Unset):
    """

    type_: Literal["success"]
    amp: str | Unset = UNSET
    headers: RenderSuccessHeaders | Unset = UNSET
    html: str | Unset = UNSET
    recipient: str | Unset = UNSET
    sender: RenderSender | Unset = UNSET
    subject: str | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        amp = self.amp

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        html = self.html

        recipient = self.recipient

        sender: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sender, Unset):
            sender = self.sender.to_dict()

        subject = self.subject

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if amp is not UNSET:
            field_dict["amp"] = amp
        if headers is not UNSET:
            field_dict["headers"] = headers
        if html is not UNSET:
            field_dict["html"] = html
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if sender is not UNSET:
            field_dict["sender"] = sender
        if subject is not UNSET:
            field_dict["subject"] = subject
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.render_sender import RenderSender  # noqa: PLC0415
        from ..models.render_success_headers import RenderSuccessHeaders  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["success"], d.pop("type"))
        if type_ != "success":
            raise ValueError(f"type must match const 'success', got '{type_}'")

        amp = d.pop("amp", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: RenderSuccessHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = RenderSuccessHeaders.from_dict(_headers)

        html = d.pop("html", UNSET)

        recipient = d.pop("recipient", UNSET)

        _sender = d.pop("sender", UNSET)
        sender: RenderSender | Unset
        if isinstance(_sender, Unset):
            sender = UNSET
        else:
            sender = RenderSender.from_dict(_sender)

        subject = d.pop("subject", UNSET)

        text = d.pop("text", UNSET)

        render_success = cls(
            type_=type_,
            amp=amp,
            headers=headers,
            html=html,
            recipient=recipient,
            sender=sender,
            subject=subject,
            text=text,
        )

        render_success.additional_properties = d
        return render_success

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
