from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_informations import ActionInformations
    from ..models.sms_content import SmsContent
    from ..models.sms_settings import SmsSettings


T = TypeVar("T", bound="SmsMessageAction")


@_attrs_define
class SmsMessageAction:
    """An SMS action, as NP6 answers it (with its id).

    Attributes:
        id (str):
        type_ (Literal['smsMessage']):
        content (SmsContent | Unset):
        creation_date (datetime.datetime | Unset):
        description (None | str | Unset):
        informations (ActionInformations | Unset):
        name (str | Unset):
        settings (SmsSettings | Unset): Settings of an SMS action.
    """

    id: str
    type_: Literal["smsMessage"]
    content: SmsContent | Unset = UNSET
    creation_date: datetime.datetime | Unset = UNSET
    description: None | str | Unset = UNSET
    informations: ActionInformations | Unset = UNSET
    name: str | Unset = UNSET
    settings: SmsSettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        creation_date: str | Unset = UNSET
        if not isinstance(self.creation_date, Unset):
            creation_date = self.creation_date.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        informations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.informations, Unset):
            informations = self.informations.to_dict()

        name = self.name

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )
        if content is not UNSET:
            field_dict["content"] = content
        if creation_date is not UNSET:
            field_dict["creationDate"] = creation_date
        if description is not UNSET:
            field_dict["description"] = description
        if informations is not UNSET:
            field_dict["informations"] = informations
        if name is not UNSET:
            field_dict["name"] = name
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_informations import ActionInformations  # noqa: PLC0415
        from ..models.sms_content import SmsContent  # noqa: PLC0415
        from ..models.sms_settings import SmsSettings  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["smsMessage"], d.pop("type"))
        if type_ != "smsMessage":
            raise ValueError(f"type must match const 'smsMessage', got '{type_}'")

        _content = d.pop("content", UNSET)
        content: SmsContent | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = SmsContent.from_dict(_content)

        _creation_date = d.pop("creationDate", UNSET)
        creation_date: datetime.datetime | Unset
        if isinstance(_creation_date, Unset):
            creation_date = UNSET
        else:
            creation_date = datetime.datetime.fromisoformat(_creation_date)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _informations = d.pop("informations", UNSET)
        informations: ActionInformations | Unset
        if isinstance(_informations, Unset):
            informations = UNSET
        else:
            informations = ActionInformations.from_dict(_informations)

        name = d.pop("name", UNSET)

        _settings = d.pop("settings", UNSET)
        settings: SmsSettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = SmsSettings.from_dict(_settings)

        sms_message_action = cls(
            id=id,
            type_=type_,
            content=content,
            creation_date=creation_date,
            description=description,
            informations=informations,
            name=name,
            settings=settings,
        )

        sms_message_action.additional_properties = d
        return sms_message_action

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
