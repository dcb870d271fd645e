from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RedlistEntry")


@_attrs_define
class RedlistEntry:
    """A contact on a redlist (a suppression list), and why.

    Attributes:
        detail (Any | Unset): Free detail (its type is not documented).
        id (str | Unset): The contact id.
        origin (int | Unset): Why the contact is redlisted, an open integer; known values 0 unknown, 1 listed by the
            API, 2 by an import,
            3 by a form, 4 unsubscribe redlist, 5 complaint, 6 SMS STOP, 7 SMS blacklist, 8 SMS administrative,
            9 SMS specific.
        timestamp (datetime.datetime | None | Unset): When the contact was redlisted.
    """

    detail: Any | Unset = UNSET
    id: str | Unset = UNSET
    origin: int | Unset = UNSET
    timestamp: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        id = self.id

        origin = self.origin

        timestamp: None | str | Unset
        if isinstance(self.timestamp, Unset):
            timestamp = UNSET
        elif isinstance(self.timestamp, datetime.datetime):
            timestamp = self.timestamp.isoformat()
        else:
            timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if detail is not UNSET:
            field_dict["detail"] = detail
        if id is not UNSET:
            field_dict["id"] = id
        if origin is not UNSET:
            field_dict["origin"] = origin
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail", UNSET)

        id = d.pop("id", UNSET)

        origin = d.pop("origin", UNSET)

        def _parse_timestamp(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timestamp_type_0 = datetime.datetime.fromisoformat(data)

                return timestamp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        timestamp = _parse_timestamp(d.pop("timestamp", UNSET))

        redlist_entry = cls(
            detail=detail,
            id=id,
            origin=origin,
            timestamp=timestamp,
        )

        redlist_entry.additional_properties = d
        return redlist_entry

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
