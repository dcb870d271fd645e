from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Stamp")


@_attrs_define
class Stamp:
    """
    Attributes:
        id (UUID | Unset):
        set_ (UUID | Unset):
        thread (UUID | Unset):
        time (int | Unset): Milliseconds since 1970-01-01T00:00:00Z.
    """

    id: UUID | Unset = UNSET
    set_: UUID | Unset = UNSET
    thread: UUID | Unset = UNSET
    time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        set_: str | Unset = UNSET
        if not isinstance(self.set_, Unset):
            set_ = str(self.set_)

        thread: str | Unset = UNSET
        if not isinstance(self.thread, Unset):
            thread = str(self.thread)

        time = self.time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if set_ is not UNSET:
            field_dict["set"] = set_
        if thread is not UNSET:
            field_dict["thread"] = thread
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        _set_ = d.pop("set", UNSET)
        set_: UUID | Unset
        if isinstance(_set_, Unset):
            set_ = UNSET
        else:
            set_ = UUID(_set_)

        _thread = d.pop("thread", UNSET)
        thread: UUID | Unset
        if isinstance(_thread, Unset):
            thread = UNSET
        else:
            thread = UUID(_thread)

        time = d.pop("time", UNSET)

        stamp = cls(
            id=id,
            set_=set_,
            thread=thread,
            time=time,
        )

        stamp.additional_properties = d
        return stamp

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
