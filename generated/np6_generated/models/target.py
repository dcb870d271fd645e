from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.target_fields import TargetFields


T = TypeVar("T", bound="Target")


@_attrs_define
class Target:
    """A contact (NP6 target) as NP6 answers it; its field values are keyed by field id under `fields`.

    Attributes:
        id (str): The contact id (for example `000R4M0T`).
        creation_date (datetime.datetime | Unset):
        fields (TargetFields | Unset): Field values of a contact keyed by field **id** (as a string), the shape NP6
            answers with.
        hash_ (str | Unset): The contact hash (an MD5 hex digest).
        last_update_date (datetime.datetime | Unset):
    """

    id: str
    creation_date: datetime.datetime | Unset = UNSET
    fields: TargetFields | Unset = UNSET
    hash_: str | Unset = UNSET
    last_update_date: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        creation_date: str | Unset = UNSET
        if not isinstance(self.creation_date, Unset):
            creation_date = self.creation_date.isoformat()

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        hash_ = self.hash_

        last_update_date: str | Unset = UNSET
        if not isinstance(self.last_update_date, Unset):
            last_update_date = self.last_update_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if creation_date is not UNSET:
            field_dict["creationDate"] = creation_date
        if fields is not UNSET:
            field_dict["fields"] = fields
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if last_update_date is not UNSET:
            field_dict["lastUpdateDate"] = last_update_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.target_fields import TargetFields  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        _creation_date = d.pop("creationDate", UNSET)
        creation_date: datetime.datetime | Unset
        if isinstance(_creation_date, Unset):
            creation_date = UNSET
        else:
            creation_date = datetime.datetime.fromisoformat(_creation_date)

        _fields = d.pop("fields", UNSET)
        fields: TargetFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = TargetFields.from_dict(_fields)

        hash_ = d.pop("hash", UNSET)

        _last_update_date = d.pop("lastUpdateDate", UNSET)
        last_update_date: datetime.datetime | Unset
        if isinstance(_last_update_date, Unset):
            last_update_date = UNSET
        else:
            last_update_date = datetime.datetime.fromisoformat(_last_update_date)

        target = cls(
            id=id,
            creation_date=creation_date,
            fields=fields,
            hash_=hash_,
            last_update_date=last_update_date,
        )

        target.additional_properties = d
        return target

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
