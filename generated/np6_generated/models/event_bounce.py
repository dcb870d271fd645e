from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_bounce_analysis import EventBounceAnalysis
    from ..models.event_bounce_status import EventBounceStatus


T = TypeVar("T", bound="EventBounce")


@_attrs_define
class EventBounce:
    """
    Attributes:
        analysis (EventBounceAnalysis | Unset):
        status (EventBounceStatus | Unset):
    """

    analysis: EventBounceAnalysis | Unset = UNSET
    status: EventBounceStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        analysis: dict[str, Any] | Unset = UNSET
        if not isinstance(self.analysis, Unset):
            analysis = self.analysis.to_dict()

        status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if analysis is not UNSET:
            field_dict["analysis"] = analysis
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_bounce_analysis import EventBounceAnalysis  # noqa: PLC0415
        from ..models.event_bounce_status import EventBounceStatus  # noqa: PLC0415

        d = dict(src_dict)
        _analysis = d.pop("analysis", UNSET)
        analysis: EventBounceAnalysis | Unset
        if isinstance(_analysis, Unset):
            analysis = UNSET
        else:
            analysis = EventBounceAnalysis.from_dict(_analysis)

        _status = d.pop("status", UNSET)
        status: EventBounceStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EventBounceStatus.from_dict(_status)

        event_bounce = cls(
            analysis=analysis,
            status=status,
        )

        event_bounce.additional_properties = d
        return event_bounce

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
