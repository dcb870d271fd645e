from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EventStamp")


@_attrs_define
class EventStamp:
    """The stamp of the message; `id` is the message id a send answered with.

    Attributes:
        id (str | Unset):
        set_ (str | Unset):
        thread (str | Unset):
        time (int | Unset): Milliseconds since 1970-01-01T00:00:00Z.
    """

    id: str | Unset = UNSET
    set_: str | Unset = UNSET
    thread: str | Unset = UNSET
    time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        set_ = self.set_

        thread = self.thread

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
        id = d.pop("id", UNSET)

        set_ = d.pop("set", UNSET)

        thread = d.pop("thread", UNSET)

        time = d.pop("time", UNSET)

        event_stamp = cls(
            id=id,
            set_=set_,
            thread=thread,
            time=time,
        )

        event_stamp.additional_properties = d
        return event_stamp

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
