from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_bounce_code import EventBounceCode


T = TypeVar("T", bound="EventBounceStatus")


@_attrs_define
class EventBounceStatus:
    """
    Attributes:
        code (EventBounceCode | Unset):
        diagnostic (str | Unset):
        mta (str | Unset):
        type_ (str | Unset):
    """

    code: EventBounceCode | Unset = UNSET
    diagnostic: str | Unset = UNSET
    mta: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: dict[str, Any] | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code.to_dict()

        diagnostic = self.diagnostic

        mta = self.mta

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if diagnostic is not UNSET:
            field_dict["diagnostic"] = diagnostic
        if mta is not UNSET:
            field_dict["mta"] = mta
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_bounce_code import EventBounceCode  # noqa: PLC0415

        d = dict(src_dict)
        _code = d.pop("code", UNSET)
        code: EventBounceCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = EventBounceCode.from_dict(_code)

        diagnostic = d.pop("diagnostic", UNSET)

        mta = d.pop("mta", UNSET)

        type_ = d.pop("type", UNSET)

        event_bounce_status = cls(
            code=code,
            diagnostic=diagnostic,
            mta=mta,
            type_=type_,
        )

        event_bounce_status.additional_properties = d
        return event_bounce_status

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
