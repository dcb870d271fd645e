from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_identity import EventIdentity
    from ..models.event_source import EventSource


T = TypeVar("T", bound="ActionEvent")


@_attrs_define
class ActionEvent:
    """One event of an e-mail or SMS action. `type` is an open string; known values `execution`, `cancellation`,
    `activation`, `bounce`, `hit`, `creation`, `modification`, `impression`, `suppression`, `optout`, `reply`,
    `complaint`. What happened is told by `source.detail`.

        Attributes:
            type_ (str):
            id (str | Unset): The event id (a uuid); the key to de-duplicate events.
            identity (EventIdentity | Unset): The account the event belongs to.
            source (EventSource | Unset):
            timestamp (int | Unset): Milliseconds since 1970-01-01T00:00:00Z.
    """

    type_: str
    id: str | Unset = UNSET
    identity: EventIdentity | Unset = UNSET
    source: EventSource | Unset = UNSET
    timestamp: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        identity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.identity, Unset):
            identity = self.identity.to_dict()

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if identity is not UNSET:
            field_dict["identity"] = identity
        if source is not UNSET:
            field_dict["source"] = source
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_identity import EventIdentity  # noqa: PLC0415
        from ..models.event_source import EventSource  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id", UNSET)

        _identity = d.pop("identity", UNSET)
        identity: EventIdentity | Unset
        if isinstance(_identity, Unset):
            identity = UNSET
        else:
            identity = EventIdentity.from_dict(_identity)

        _source = d.pop("source", UNSET)
        source: EventSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = EventSource.from_dict(_source)

        timestamp = d.pop("timestamp", UNSET)

        action_event = cls(
            type_=type_,
            id=id,
            identity=identity,
            source=source,
            timestamp=timestamp,
        )

        action_event.additional_properties = d
        return action_event

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
