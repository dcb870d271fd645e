"""`client.fields`: the account's contact fields, its unicity field, and the name <-> id translation of contacts.

NP6 creates a contact from field *names* (`{"Email": "alice@example.com"}`) and reads it back with field *ids*
(`{"fields": {"728": "alice@example.com"}}`); names, ids and the unicity field differ from one account to the next.
`FieldMap` holds the account's fields once looked up and translates both ways; the client keeps one per API key
and account, so the lookup happens once per client (and its `with_options` views).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

import attrs
from np6_generated.api.enumerations import get_value_list, list_value_lists
from np6_generated.api.fields import get_field, list_fields
from np6_generated.models import Field, Target, TargetFields, ValueList
from np6_generated.types import Unset

from .._core.engine import Flow
from .._core.errors import InvalidInputError, NP6Error
from .._core.options import RequestOptions
from .._core.retry import OperationKind
from .base import ResourceFlows, check_bool
from .binding import AsyncResource, SyncResource, operation

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["AsyncFields", "FieldMap", "Fields", "FieldsFlows"]


def _known(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def _check_values(values: object) -> None:
    # Before the (possibly first) field lookup: a wrong argument costs no request.
    if not isinstance(values, Mapping):
        raise InvalidInputError(f"contact values must be a mapping of field names, got {type(values).__name__}")


def _check_fields(fields: object) -> None:
    if not isinstance(fields, (Target, TargetFields, Mapping)):
        raise InvalidInputError(f"expected a contact or its fields, got {type(fields).__name__}")


@attrs.frozen
class FieldMap:
    """The contact fields of an account, indexed by name and by id.

    `to_ids()` turns creation-style values (keyed by name) into read-style values (keyed by id, as strings);
    `to_names()` does the reverse with a contact NP6 returned. `unicity()` is the field that identifies a contact.
    """

    fields: tuple[Field, ...]
    _by_name: dict[str, Field] = attrs.field(init=False, repr=False, eq=False)
    _by_id: dict[int, Field] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_name = {f.name: f for f in self.fields if isinstance(f.name, str)}
        by_id = {f.id: f for f in self.fields if isinstance(f.id, int)}
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_id", by_id)

    def field(self, key: str | int) -> Field:
        """The field with this name (a string) or id (an integer)."""
        found = self._by_id.get(key) if isinstance(key, int) and not isinstance(key, bool) else None
        if found is None and isinstance(key, str):
            found = self._by_name.get(key)
        if found is None:
            raise InvalidInputError(f"{key!r} is not a contact field of this account (known: {sorted(self._by_name)})")
        return found

    def unicity_fields(self) -> tuple[Field, ...]:
        """The fields flagged `isUnicity`, in id order (usually one)."""
        return tuple(sorted((f for f in self.fields if f.is_unicity is True), key=lambda f: _known(f.id) or 0))

    def unicity(self) -> Field:
        """The account's unicity field (the first one when the account has several)."""
        fields = self.unicity_fields()
        if not fields:
            raise NP6Error("the account has no unicity field (no field has isUnicity: true)")
        return fields[0]

    @property
    def unicity_name(self) -> str:
        """The name of the unicity field: the key of a contact's identifying value on creation (e.g. "Email")."""
        name = self.unicity().name
        if not isinstance(name, str):
            raise NP6Error("the account's unicity field has no name")
        return name

    def unicity_value(self, values: Mapping[str, Any]) -> str:
        """The unicity value of creation-style values: the unicity field's value (several unicity fields' values are
        concatenated, as NP6 wants them in segment members and lookups)."""
        parts: list[str] = []
        for field in self.unicity_fields():
            value = values.get(str(field.name))
            if not isinstance(value, str) or not value.strip():
                raise InvalidInputError(
                    f"the contact needs a value for the unicity field {field.name!r} (a non-empty string)"
                )
            parts.append(value)
        if not parts:
            raise NP6Error("the account has no unicity field (no field has isUnicity: true)")
        return "".join(parts)

    def to_ids(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """`{"Email": "a@b.c"}` -> `{"728": "a@b.c"}`; an unknown name is an `InvalidInputError`."""
        _check_values(values)
        return {str(self.field(str(name)).id): value for name, value in values.items()}

    def to_names(self, fields: Target | TargetFields | Mapping[str, Any]) -> dict[str, Any]:
        """`{"728": "a@b.c"}` (or a `Target` NP6 returned) -> `{"Email": "a@b.c"}`.

        An id that is not in this map (a field created after the lookup) keeps its id as key.
        """
        if isinstance(fields, Target):
            fields = fields.fields if not isinstance(fields.fields, Unset) else {}
        if isinstance(fields, TargetFields):
            fields = fields.to_dict()
        if not isinstance(fields, Mapping):
            raise InvalidInputError(f"expected a contact or its fields, got {type(fields).__name__}")
        names: dict[str, Any] = {}
        for key, value in fields.items():
            field = self._by_id.get(int(key)) if str(key).isascii() and str(key).isdigit() else None
            names[str(field.name) if field is not None else str(key)] = value
        return names


class FieldsFlows(ResourceFlows):
    def _list(self, **options: Unpack[RequestOptions]) -> Flow[list[Field]]:
        """Every contact field of the account (a fresh lookup, which also refreshes the cached `map()`)."""
        parse = list_fields.parse_response
        fields: list[Field] = yield from self._call(list_fields.build_request(), parse, OperationKind.IDEMPOTENT)
        self._client._field_cache.map = FieldMap(tuple(fields))
        return fields

    list = operation(_list)

    def _map(self, *, refresh: bool = False, **options: Unpack[RequestOptions]) -> Flow[FieldMap]:
        """The account's fields indexed by name and id, looked up once per client (`refresh=True` looks again)."""
        check_bool(refresh, "refresh")
        cached = self._client._field_cache.map
        if cached is not None and not refresh:
            return cached
        yield from self._list()
        found = self._client._field_cache.map
        assert found is not None  # _list() just stored it
        return found

    map = operation(_map)

    def _get(self, field_id: int, **options: Unpack[RequestOptions]) -> Flow[Field]:
        """One contact field, by id (`list()` has them all; `map()` indexes them by name)."""
        return (yield from self._by_id(get_field, field_id, "a field id"))

    get = operation(_get)

    def _unicity(self, **options: Unpack[RequestOptions]) -> Flow[Field]:
        """The account's unicity field (the one whose value identifies a contact), looked up once per client."""
        field_map = yield from self._map()
        return field_map.unicity()

    unicity = operation(_unicity)

    def _value_lists(self, **options: Unpack[RequestOptions]) -> Flow[builtins.list[ValueList]]:
        """The value lists (enumerations) behind the select-list fields."""
        parse = list_value_lists.parse_response
        lists: list[ValueList] = yield from self._call(
            list_value_lists.build_request(), parse, OperationKind.IDEMPOTENT
        )
        return lists

    value_lists = operation(_value_lists)

    def _value_list(self, list_id: int, **options: Unpack[RequestOptions]) -> Flow[ValueList]:
        """One value list (the items of a select-list field), by id."""
        return (yield from self._by_id(get_value_list, list_id, "a value list id"))

    value_list = operation(_value_list)

    def _to_ids(self, values: Mapping[str, Any], **options: Unpack[RequestOptions]) -> Flow[dict[str, Any]]:
        """Creation-style values (by field name) -> read-style values (by field id)."""
        _check_values(values)
        field_map = yield from self._map()
        return field_map.to_ids(values)

    to_ids = operation(_to_ids)

    def _to_names(
        self, fields: Target | TargetFields | Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Flow[dict[str, Any]]:
        """A contact NP6 returned (or its `fields`, by id) -> its values by field name."""
        _check_fields(fields)
        field_map = yield from self._map()
        return field_map.to_names(fields)

    to_names = operation(_to_names)


class Fields(FieldsFlows, SyncResource):
    """Contact fields and value lists of `np6.Client`."""

    _client: Client


class AsyncFields(FieldsFlows, AsyncResource):
    """Contact fields and value lists of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient
