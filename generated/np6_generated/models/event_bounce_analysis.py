from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_bounce_subject import EventBounceSubject


T = TypeVar("T", bound="EventBounceAnalysis")


@_attrs_define
class EventBounceAnalysis:
    """
    Attributes:
        subject (EventBounceSubject | Unset):
        verdict (str | Unset): `hard` or `soft` (an open string).
    """

    subject: EventBounceSubject | Unset = UNSET
    verdict: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subject, Unset):
            subject = self.subject.to_dict()

        verdict = self.verdict

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject
        if verdict is not UNSET:
            field_dict["verdict"] = verdict

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_bounce_subject import EventBounceSubject  # noqa: PLC0415

        d = dict(src_dict)
        _subject = d.pop("subject", UNSET)
        subject: EventBounceSubject | Unset
        if isinstance(_subject, Unset):
            subject = UNSET
        else:
            subject = EventBounceSubject.from_dict(_subject)

        verdict = d.pop("verdict", UNSET)

        event_bounce_analysis = cls(
            subject=subject,
            verdict=verdict,
        )

        event_bounce_analysis.additional_properties = d
        return event_bounce_analysis

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
