from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SegmentRequest")


@_attrs_define
class SegmentRequest:
    """A segment as written to create or update it.

    Attributes:
        type_ (str): `static` or `dynamic`, an open string.
        creation (datetime.datetime | None | Unset):
        description (None | str | Unset):
        expiration (datetime.datetime | None | Unset):
        id (int | Unset): Server-assigned id; ignored on create.
        is_test (bool | None | Unset): true for a segment of test contacts, usable by action test phases.
        name (str | Unset):
        parent_id (int | None | Unset):
        search_id (int | None | Unset):
        targets_count (int | None | Unset): An estimate of the number of contacts.
    """

    type_: str
    creation: datetime.datetime | None | Unset = UNSET
    description: None | str | Unset = UNSET
    expiration: datetime.datetime | None | Unset = UNSET
    id: int | Unset = UNSET
    is_test: bool | None | Unset = UNSET
    name: str | Unset = UNSET
    parent_id: int | None | Unset = UNSET
    search_id: int | None | Unset = UNSET
    targets_count: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        creation: None | str | Unset
        if isinstance(self.creation, Unset):
            creation = UNSET
        elif isinstance(self.creation, datetime.datetime):
            creation = self.creation.isoformat()
        else:
            creation = self.creation

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        expiration: None | str | Unset
        if isinstance(self.expiration, Unset):
            expiration = UNSET
        elif isinstance(self.expiration, datetime.datetime):
            expiration = self.expiration.isoformat()
        else:
            expiration = self.expiration

        id = self.id

        is_test: bool | None | Unset
        if isinstance(self.is_test, Unset):
            is_test = UNSET
        else:
            is_test = self.is_test

        name = self.name

        parent_id: int | None | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        search_id: int | None | Unset
        if isinstance(self.search_id, Unset):
            search_id = UNSET
        else:
            search_id = self.search_id

        targets_count: int | None | Unset
        if isinstance(self.targets_count, Unset):
            targets_count = UNSET
        else:
            targets_count = self.targets_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if creation is not UNSET:
            field_dict["creation"] = creation
        if description is not UNSET:
            field_dict["description"] = description
        if expiration is not UNSET:
            field_dict["expiration"] = expiration
        if id is not UNSET:
            field_dict["id"] = id
        if is_test is not UNSET:
            field_dict["isTest"] = is_test
        if name is not UNSET:
            field_dict["name"] = name
        if parent_id is not UNSET:
            field_dict["parentId"] = parent_id
        if search_id is not UNSET:
            field_dict["searchId"] = search_id
        if targets_count is not UNSET:
            field_dict["targetsCount"] = targets_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        def _parse_creation(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                creation_type_0 = datetime.datetime.fromisoformat(data)

                return creation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        creation = _parse_creation(d.pop("creation", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_expiration(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expiration_type_0 = datetime.datetime.fromisoformat(data)

                return expiration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expiration = _parse_expiration(d.pop("expiration", UNSET))

        id = d.pop("id", UNSET)

        def _parse_is_test(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_test = _parse_is_test(d.pop("isTest", UNSET))

        name = d.pop("name", UNSET)

        def _parse_parent_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parent_id = _parse_parent_id(d.pop("parentId", UNSET))

        def _parse_search_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        search_id = _parse_search_id(d.pop("searchId", UNSET))

        def _parse_targets_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        targets_count = _parse_targets_count(d.pop("targetsCount", UNSET))

        segment_request = cls(
            type_=type_,
            creation=creation,
            description=description,
            expiration=expiration,
            id=id,
            is_test=is_test,
            name=name,
            parent_id=parent_id,
            search_id=search_id,
            targets_count=targets_count,
        )

        segment_request.additional_properties = d
        return segment_request

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
