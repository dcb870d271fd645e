from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_activation import EventActivation
    from ..models.event_bounce import EventBounce
    from ..models.event_cancellation import EventCancellation
    from ..models.event_execution import EventExecution
    from ..models.event_link import EventLink
    from ..models.event_response import EventResponse


T = TypeVar("T", bound="EventDetail")


@_attrs_define
class EventDetail:
    """What happened; which members are present depends on the event type.

    Attributes:
        activation (EventActivation | Unset): The message the event is about.
        bounce (EventBounce | Unset):
        cancellation (EventCancellation | Unset):
        execution (EventExecution | Unset): The execution request the event is about.
        link (EventLink | Unset): The link of a hit.
        response (EventResponse | Unset): The reply of a `reply` event (an SMS answer).
    """

    activation: EventActivation | Unset = UNSET
    bounce: EventBounce | Unset = UNSET
    cancellation: EventCancellation | Unset = UNSET
    execution: EventExecution | Unset = UNSET
    link: EventLink | Unset = UNSET
    response: EventResponse | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.activation, Unset):
            activation = self.activation.to_dict()

        bounce: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bounce, Unset):
            bounce = self.bounce.to_dict()

        cancellation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cancellation, Unset):
            cancellation = self.cancellation.to_dict()

        execution: dict[str, Any] | Unset = UNSET
        if not isinstance(self.execution, Unset):
            execution = self.execution.to_dict()

        link: dict[str, Any] | Unset = UNSET
        if not isinstance(self.link, Unset):
            link = self.link.to_dict()

        response: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if activation is not UNSET:
            field_dict["activation"] = activation
        if bounce is not UNSET:
            field_dict["bounce"] = bounce
        if cancellation is not UNSET:
            field_dict["cancellation"] = cancellation
        if execution is not UNSET:
            field_dict["execution"] = execution
        if link is not UNSET:
            field_dict["link"] = link
        if response is not UNSET:
            field_dict["response"] = response

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_activation import EventActivation  # noqa: PLC0415
        from ..models.event_bounce import EventBounce  # noqa: PLC0415
        from ..models.event_cancellation import EventCancellation  # noqa: PLC0415
        from ..models.event_execution import EventExecution  # noqa: PLC0415
        from ..models.event_link import EventLink  # noqa: PLC0415
        from ..models.event_response import EventResponse  # noqa: PLC0415

        d = dict(src_dict)
        _activation = d.pop("activation", UNSET)
        activation: EventActivation | Unset
        if isinstance(_activation, Unset):
            activation = UNSET
        else:
            activation = EventActivation.from_dict(_activation)

        _bounce = d.pop("bounce", UNSET)
        bounce: EventBounce | Unset
        if isinstance(_bounce, Unset):
            bounce = UNSET
        else:
            bounce = EventBounce.from_dict(_bounce)

        _cancellation = d.pop("cancellation", UNSET)
        cancellation: EventCancellation | Unset
        if isinstance(_cancellation, Unset):
            cancellation = UNSET
        else:
            cancellation = EventCancellation.from_dict(_cancellation)

        _execution = d.pop("execution", UNSET)
        execution: EventExecution | Unset
        if isinstance(_execution, Unset):
            execution = UNSET
        else:
            execution = EventExecution.from_dict(_execution)

        _link = d.pop("link", UNSET)
        link: EventLink | Unset
        if isinstance(_link, Unset):
            link = UNSET
        else:
            link = EventLink.from_dict(_link)

        _response = d.pop("response", UNSET)
        response: EventResponse | Unset
        if isinstance(_response, Unset):
            response = UNSET
        else:
            response = EventResponse.from_dict(_response)

        event_detail = cls(
            activation=activation,
            bounce=bounce,
            cancellation=cancellation,
            execution=execution,
            link=link,
            response=response,
        )

        event_detail.additional_properties = d
        return event_detail

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
