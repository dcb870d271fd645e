"""`client.fields` against the sandbox, sync and async: the unicity field looked up once and cached, the translation
between the field names a contact is written with and the field ids NP6 reads it back with, and the value lists."""

from __future__ import annotations

from typing import Any

import np6
import pytest
from np6.models import Field, Target, TargetFields, ValueList
from np6.sandbox import Sandbox

from tests.resources.contacts_support import Driver


def _field(name: str, field_id: int, *, unicity: bool = False) -> Field:
    return Field.from_dict({"type": "textField", "id": field_id, "name": name, "isUnicity": unicity})


FIELD_MAP = np6.FieldMap((_field("Email", 728, unicity=True), _field("FirstName", 730), _field("City", 740)))


def test_unicity_field_is_looked_up_once_per_client(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    first = d.run(client.fields.unicity())
    assert (first.name, first.id, first.is_unicity) == ("Email", 728, True)
    again = d.run(client.fields.unicity())
    view = client.with_options(max_retries=3)  # a view of the same client shares its cache
    assert d.run(view.fields.unicity()) is again
    d.run(view.targets.upsert({"Email": "alice@example.com"}))
    assert [call for call in d.calls() if call[1] == "/fields"] == [("GET", "/fields", 200)]
    d.run(client.fields.map(refresh=True))
    assert [call for call in d.calls() if call[1] == "/fields"] == [("GET", "/fields", 200)] * 2


def test_names_and_ids_round_trip_through_a_contact(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    values = {"Email": "alice@example.com", "FirstName": "Alice", "Pastimes": ["Chess", "Tennis"]}
    created = d.run(client.targets.create(values))
    by_id = d.run(client.fields.to_ids(values))
    assert by_id == {"728": "alice@example.com", "730": "Alice", "733": ["Chess", "Tennis"]}
    assert created.fields.to_dict() == by_id
    assert d.run(client.fields.to_names(created)) == values
    assert d.run(client.fields.to_names(created.fields)) == values


def test_list_get_and_value_lists(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    fields = d.run(client.fields.list())
    assert [f.name for f in fields] == ["Email", "Mobile", "FirstName", "LastName", "BirthDate", "Pastimes"]
    pastimes = d.run(client.fields.get(733))
    assert (pastimes.type_, pastimes.value_list_id) == ("multipleSelectList", 23)
    lists = d.run(client.fields.value_lists())
    assert [(v.id, v.name) for v in lists] == [(23, "Pastimes")]
    one = d.run(client.fields.value_list(23))
    assert isinstance(one, ValueList)
    assert [item.value for item in one.values] == ["Football", "Tennis", "Chess"]
    error = d.raises(lambda: client.fields.get(999))
    assert isinstance(error, np6.NotFoundError)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.fields.get("728"),
        lambda c: c.fields.value_list(True),
        lambda c: c.fields.to_ids(["Email"]),
        lambda c: c.fields.to_names("728"),
    ],
)
def test_bad_ids_are_refused_before_any_request(sandbox: Sandbox, d: Driver, call: Any) -> None:
    client = d.client(sandbox)
    assert isinstance(d.raises(lambda: call(client)), np6.InvalidInputError)
    assert d.calls() == []


def test_a_field_key_that_only_looks_like_digits_is_kept_as_given(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    assert d.run(client.fields.map()).to_names({"²": 1}) == {"²": 1}


def test_field_map_translates_both_ways() -> None:
    assert FIELD_MAP.to_ids({"Email": "a@b.co", "City": "Lyon"}) == {"728": "a@b.co", "740": "Lyon"}
    assert FIELD_MAP.to_names({"728": "a@b.co", "740": "Lyon"}) == {"Email": "a@b.co", "City": "Lyon"}
    # A field created after the lookup keeps its id: nothing is dropped.
    assert FIELD_MAP.to_names({"728": "a@b.co", "999": "x"}) == {"Email": "a@b.co", "999": "x"}
    target = Target.from_dict({"id": "000R4M0T", "fields": {"730": "Alice"}})
    assert FIELD_MAP.to_names(target) == {"FirstName": "Alice"}
    assert FIELD_MAP.to_names(TargetFields.from_dict({"730": "Alice"})) == {"FirstName": "Alice"}
    assert FIELD_MAP.field(740).name == FIELD_MAP.field("City").name == "City"
    assert FIELD_MAP.unicity().name == FIELD_MAP.unicity_name == "Email"
    assert FIELD_MAP.unicity_value({"Email": "a@b.co", "City": "Lyon"}) == "a@b.co"


def test_field_map_refuses_unknown_names_and_missing_unicity_values() -> None:
    with pytest.raises(np6.InvalidInputError, match="Town"):
        FIELD_MAP.to_ids({"Town": "Lyon"})
    with pytest.raises(np6.InvalidInputError, match="unicity field 'Email'"):
        FIELD_MAP.unicity_value({"City": "Lyon"})
    with pytest.raises(np6.InvalidInputError):
        FIELD_MAP.to_ids(["Email"])  # type: ignore[arg-type]
    with pytest.raises(np6.NP6Error, match="no unicity field"):
        np6.FieldMap((_field("City", 740),)).unicity()


def test_composite_unicity_values_are_concatenated() -> None:
    composite = np6.FieldMap((_field("Country", 2, unicity=True), _field("Number", 1, unicity=True)))
    assert [f.name for f in composite.unicity_fields()] == ["Number", "Country"]
    assert composite.unicity_value({"Country": "FR", "Number": "0600"}) == "0600FR"
