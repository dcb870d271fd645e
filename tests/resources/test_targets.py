"""`client.targets` against the sandbox, sync and async: create (by field name), read back (by field id), find,
update, delete, upsert, count and redlists; bad arguments refused before any request."""

from __future__ import annotations

import json
from typing import Any

import httpx
import np6
import pytest
from np6.models import RedlistEntry, Target
from np6.sandbox import Fault, Sandbox

from tests.resources.contacts_support import KEY, Driver

ALICE = {"Email": "alice@example.com", "FirstName": "Alice"}


def test_create_with_names_reads_back_with_ids(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    created = d.run(client.targets.create(ALICE))
    assert isinstance(created, Target)
    assert created.fields.to_dict() == {"728": "alice@example.com", "730": "Alice"}
    assert d.exchanges[0].body == ALICE  # names at the top level, as NP6 wants them on creation
    again = d.run(client.targets.get(created.id))
    assert (again.id, again.hash_) == (created.id, created.hash_)
    assert d.run(client.fields.to_names(again)) == ALICE


def test_find_by_unicity_or_hash_and_none_when_absent(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    created = d.run(client.targets.create(ALICE))
    by_unicity = d.run(client.targets.find(unicity="alice@example.com"))
    by_hash = d.run(client.targets.find(hash=created.hash_))
    assert by_unicity.id == by_hash.id == created.id
    assert d.run(client.targets.find(unicity="nobody@example.com")) is None
    # The lookup answers with NP6's experimental media type; it parses all the same.
    assert ("GET", "/targets", 404) in d.calls()


def test_update_merges_and_delete_removes(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    created = d.run(client.targets.create(ALICE))
    updated = d.run(client.targets.update(created.id, {"LastName": "Martin"}))
    assert d.run(client.fields.to_names(updated)) == {**ALICE, "LastName": "Martin"}
    assert d.run(client.targets.count()) == 1
    assert d.run(client.targets.delete(created.id)) is None
    assert d.run(client.targets.count()) == 0
    error = d.raises(lambda: client.targets.get(created.id))
    assert isinstance(error, np6.NotFoundError)


def test_create_of_an_existing_contact_is_a_conflict(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    d.run(client.targets.create(ALICE))
    error = d.raises(lambda: client.targets.create(ALICE))
    assert isinstance(error, np6.ConflictError)
    assert error.request_id
    assert KEY not in str(error)
    assert KEY not in repr(error)


def test_upsert_is_idempotent(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    first = d.run(client.targets.upsert(ALICE))
    second = d.run(client.targets.upsert({**ALICE, "FirstName": "Someone else"}))
    third = d.run(client.targets.upsert(ALICE))
    assert first.id == second.id == third.id
    assert len(sandbox.contacts) == 1
    # The existing contact is returned as it is: upsert never overwrites.
    assert d.run(client.fields.to_names(third))["FirstName"] == "Alice"
    assert d.calls() == [
        ("GET", "/fields", 200),  # the unicity field, looked up once for the whole client
        ("POST", "/targets", 200),
        ("POST", "/targets", 409),
        ("GET", "/targets", 200),
        ("POST", "/targets", 409),
        ("GET", "/targets", 200),
    ]
    assert d.exchanges[3].query == {"unicity": "alice@example.com"}


def test_upsert_without_the_unicity_field_writes_nothing(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    error = d.raises(lambda: client.targets.upsert({"FirstName": "Alice"}))
    assert isinstance(error, np6.InvalidInputError)
    assert "Email" in str(error)
    assert d.calls() == [("GET", "/fields", 200)]


def test_a_conflict_that_is_not_an_existing_contact_is_raised(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    sandbox.faults.add(Fault.error(409, operation="create_target"))
    error = d.raises(lambda: client.targets.upsert(ALICE))
    assert isinstance(error, np6.ConflictError)
    assert [call[1:] for call in d.calls()] == [("/fields", 200), ("/targets", 409), ("/targets", 404)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.targets.create(["alice@example.com"]), "mapping"),
        (lambda c: c.targets.create({}), "empty"),
        (lambda c: c.targets.create({"728": "alice@example.com"}), "field id"),
        (lambda c: c.targets.create({"Email": {"nested": 1}}), "value"),
        (lambda c: c.targets.create({"Email": float("nan")}), "JSON"),
        (lambda c: c.targets.update("", ALICE), "contact id"),
        (lambda c: c.targets.get(None), "contact id"),
        (lambda c: c.targets.find(), "exactly one"),
        (lambda c: c.targets.find(unicity="a@b.co", hash="0" * 32), "exactly one"),
        (lambda c: c.targets.find(unicity=""), "unicity"),
        (lambda c: c.targets.redlist("000R4M0T", "fax"), "channel"),
        (lambda c: c.targets.redlist("000R4M0T", origin="api"), "origin"),
        (lambda c: c.targets.redlisted(start="yesterday"), "start"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(sandbox: Sandbox, d: Driver, call: Any, message: str) -> None:
    client = d.client(sandbox)
    error = d.raises(lambda: call(client))
    assert isinstance(error, np6.InvalidInputError), error
    assert message in str(error)
    assert d.calls() == []


def test_redlists(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    alice = d.run(client.targets.create(ALICE))
    entry = d.run(client.targets.redlist(alice.id))
    assert isinstance(entry, RedlistEntry)
    assert (entry.id, entry.origin) == (alice.id, 1)
    stop = d.run(client.targets.redlist(alice.id, np6.Channel.SMS, origin=6, detail="STOP"))
    assert (stop.origin, stop.detail) == (6, "STOP")
    assert [e.id for e in d.run(client.targets.redlisted())] == [alice.id]
    assert [e.origin for e in d.run(client.targets.redlisted("sms", start=entry.timestamp))] == [6]
    assert d.run(client.targets.redlisted("sms", end=entry.timestamp)) == []
    assert [path for _, path, _ in d.calls()][-3:] == [
        "/targets/redlist/mail",
        "/targets/redlist/sms",
        "/targets/redlist/sms",
    ]


def test_redlist_detail_that_is_not_json_is_invalid_input(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    contact = d.run(client.targets.create(ALICE))
    assert isinstance(d.raises(lambda: client.targets.redlist(contact.id, detail=object())), np6.InvalidInputError)
    assert [path for _, path, _ in d.calls()] == ["/targets"], "only the creation went out"


def test_an_empty_creation_answer_is_completed_by_a_lookup() -> None:
    """NP6's answer to a creation is not documented; an empty 200 must still give the contact."""
    target = {"id": "000R4M0T", "hash": "0441619ab4631d18548aa8835dd2c28b", "fields": {"728": "alice@example.com"}}
    fields = [{"type": "email", "id": 728, "name": "Email", "isUnicity": True}]
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/fields":
            return httpx.Response(200, json=fields)
        if request.method == "POST":
            return httpx.Response(200)
        assert request.url.params["unicity"] == "alice@example.com"
        return httpx.Response(200, content=json.dumps(target), headers={"content-type": "application/json"})

    with np6.Client(api_key="k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
        created = client.targets.create({"Email": "alice@example.com"})
    assert created.id == "000R4M0T"
    assert seen == ["POST /targets", "GET /fields", "GET /targets"]
