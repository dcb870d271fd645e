from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_receiver import EventReceiver
    from ..models.event_stamp import EventStamp


T = TypeVar("T", bound="EventActivation")


@_attrs_define
class EventActivation:
    """The message the event is about.

    Attributes:
        id (str | Unset): The action id.
        kind (str | Unset):
        receiver (EventReceiver | Unset): The contact, as `{type: id, value}` or as a footprint `{type: footprint, id,
            unicity, hash}`.
        recipient (str | Unset): The address the message went to.
        stamp (EventStamp | Unset): The stamp of the message; `id` is the message id a send answered with.
    """

    id: str | Unset = UNSET
    kind: str | Unset = UNSET
    receiver: EventReceiver | Unset = UNSET
    recipient: str | Unset = UNSET
    stamp: EventStamp | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        receiver: dict[str, Any] | Unset = UNSET
        if not isinstance(self.receiver, Unset):
            receiver = self.receiver.to_dict()

        recipient = self.recipient

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if kind is not UNSET:
            field_dict["kind"] = kind
        if receiver is not UNSET:
            field_dict["receiver"] = receiver
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if stamp is not UNSET:
            field_dict["stamp"] = stamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_receiver import EventReceiver  # noqa: PLC0415
        from ..models.event_stamp import EventStamp  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        kind = d.pop("kind", UNSET)

        _receiver = d.pop("receiver", UNSET)
        receiver: EventReceiver | Unset
        if isinstance(_receiver, Unset):
            receiver = UNSET
        else:
            receiver = EventReceiver.from_dict(_receiver)

        recipient = d.pop("recipient", UNSET)

        _stamp = d.pop("stamp", UNSET)
        stamp: EventStamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = EventStamp.from_dict(_stamp)

        event_activation = cls(
            id=id,
            kind=kind,
            receiver=receiver,
            recipient=recipient,
            stamp=stamp,
        )

        event_activation.additional_properties = d
        return event_activation

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
