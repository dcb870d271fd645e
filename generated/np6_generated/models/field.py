from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_constraint import FieldConstraint


T = TypeVar("T", bound="Field")


@_attrs_define
class Field:
    """A contact field of the account.

    Attributes:
        id (int):
        name (str): The name a contact creation uses as key.
        type_ (str): The kind of field, an open string; known values `email`, `phone`, `textArea`, `textField`,
            `numeric`,
            `date`, `singleSelectList`, `multipleSelectList`.
        constraint (FieldConstraint | Unset): A constraint on the field's values.
        is_criterion (bool | Unset):
        is_mandatory (bool | Unset):
        is_unicity (bool | Unset): Whether the field identifies a contact (its unicity field).
        value_list_id (int | None | Unset): The value list of a select-list field.
    """

    id: int
    name: str
    type_: str
    constraint: FieldConstraint | Unset = UNSET
    is_criterion: bool | Unset = UNSET
    is_mandatory: bool | Unset = UNSET
    is_unicity: bool | Unset = UNSET
    value_list_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_ = self.type_

        constraint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.constraint, Unset):
            constraint = self.constraint.to_dict()

        is_criterion = self.is_criterion

        is_mandatory = self.is_mandatory

        is_unicity = self.is_unicity

        value_list_id: int | None | Unset
        if isinstance(self.value_list_id, Unset):
            value_list_id = UNSET
        else:
            value_list_id = self.value_list_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
            }
        )
        if constraint is not UNSET:
            field_dict["constraint"] = constraint
        if is_criterion is not UNSET:
            field_dict["isCriterion"] = is_criterion
        if is_mandatory is not UNSET:
            field_dict["isMandatory"] = is_mandatory
        if is_unicity is not UNSET:
            field_dict["isUnicity"] = is_unicity
        if value_list_id is not UNSET:
            field_dict["valueListId"] = value_list_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_constraint import FieldConstraint  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = d.pop("type")

        _constraint = d.pop("constraint", UNSET)
        constraint: FieldConstraint | Unset
        if isinstance(_constraint, Unset):
            constraint = UNSET
        else:
            constraint = FieldConstraint.from_dict(_constraint)

        is_criterion = d.pop("isCriterion", UNSET)

        is_mandatory = d.pop("isMandatory", UNSET)

        is_unicity = d.pop("isUnicity", UNSET)

        def _parse_value_list_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        value_list_id = _parse_value_list_id(d.pop("valueListId", UNSET))

        field = cls(
            id=id,
            name=name,
            type_=type_,
            constraint=constraint,
            is_criterion=is_criterion,
            is_mandatory=is_mandatory,
            is_unicity=is_unicity,
            value_list_id=value_list_id,
        )

        field.additional_properties = d
        return field

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
