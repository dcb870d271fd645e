from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SmsSettings")


@_attrs_define
class SmsSettings:
    """Settings of an SMS action.

    Attributes:
        countries (list[Any] | Unset):
        field (int | Unset):
        sms_format (int | Unset):
        sms_type (int | Unset):
    """

    countries: list[Any] | Unset = UNSET
    field: int | Unset = UNSET
    sms_format: int | Unset = UNSET
    sms_type: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        countries: list[Any] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        field = self.field

        sms_format = self.sms_format

        sms_type = self.sms_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if countries is not UNSET:
            field_dict["countries"] = countries
        if field is not UNSET:
            field_dict["field"] = field
        if sms_format is not UNSET:
            field_dict["smsFormat"] = sms_format
        if sms_type is not UNSET:
            field_dict["smsType"] = sms_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        countries = cast(list[Any], d.pop("countries", UNSET))

        field = d.pop("field", UNSET)

        sms_format = d.pop("smsFormat", UNSET)

        sms_type = d.pop("smsType", UNSET)

        sms_settings = cls(
            countries=countries,
            field=field,
            sms_format=sms_format,
            sms_type=sms_type,
        )

        sms_settings.additional_properties = d
        return sms_settings

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
