"""`client.segments` against the sandbox, sync and async: CRUD, members added 50 per call, test segments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import np6
import pytest
from np6.models import Segment
from np6.sandbox import Sandbox

from tests.resources.contacts_support import Driver


def test_create_get_update_delete(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    expiration = dt.datetime(2030, 3, 1, 11, tzinfo=dt.UTC)
    created = d.run(client.segments.create("Newsletter", description="Weekly", expiration=expiration))
    assert isinstance(created, Segment)
    assert (created.type_, created.name, created.description, created.targets_count) == (
        "static",
        "Newsletter",
        "Weekly",
        0,
    )
    assert d.run(client.segments.get(created.id)).expiration == expiration
    renamed = d.run(client.segments.update(created.id, name="Weekly newsletter"))
    # The others are kept: update reads the segment first, NP6's PUT replaces it.
    assert (renamed.name, renamed.description, renamed.expiration) == ("Weekly newsletter", "Weekly", expiration)
    cleared = d.run(client.segments.update(created.id, description=None))
    assert (cleared.name, cleared.description) == ("Weekly newsletter", None)
    assert [call[:2] for call in d.calls()[-2:]] == [
        ("GET", f"/segments/{created.id}"),
        ("PUT", f"/segments/{created.id}"),
    ]
    d.run(client.segments.delete(created.id))
    assert isinstance(d.raises(lambda: client.segments.get(created.id)), np6.NotFoundError)


def test_a_taken_name_is_a_conflict(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    d.run(client.segments.create("Twins"))
    assert isinstance(d.raises(lambda: client.segments.create("Twins")), np6.ConflictError)


def test_members_are_added_fifty_per_call(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    for index in range(120):
        sandbox.contacts.create(f"member{index}@example.com")
    segment = d.run(client.segments.create("Big"))
    values = [f"member{index}@example.com" for index in range(120)]
    assert d.run(client.segments.add_members(segment.id, iter(values))) == 120
    puts = [e for e in d.exchanges if e.method == "PUT"]
    assert [len(e.body) for e in puts] == [50, 50, 20]
    assert [value for e in puts for value in e.body] == values
    members = d.run(client.segments.members(segment.id))
    assert len(members) == 120
    assert d.run(client.segments.get(segment.id)).targets_count == 120
    # Ids work as well as unicity values, and a member is never added twice.
    assert d.run(client.segments.add_members(segment.id, members[:3])) == 0
    d.run(client.segments.clear_members(segment.id))
    assert d.run(client.segments.members(segment.id)) == []
    assert d.run(client.segments.add_members(segment.id, [])) == 0


def test_test_segments(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    d.run(client.segments.create("Proofs", is_test=True))
    d.run(client.segments.create("Customers", is_test=False))
    d.run(client.segments.create("Search", type="dynamic"))
    assert [s.name for s in d.run(client.segments.test_segments())] == ["BAT TEST", "Proofs"]
    assert [s.name for s in d.run(client.segments.list())] == ["BAT TEST", "Proofs", "Customers", "Search"]


def test_member_operations_of_a_dynamic_segment_conflict(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    search = d.run(client.segments.create("Search", type="dynamic"))
    assert search.targets_count is None
    assert isinstance(d.raises(lambda: client.segments.members(search.id)), np6.ConflictError)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.segments.create(""),
        lambda c: c.segments.create("x", type="smart"),
        lambda c: c.segments.create("x", is_test="yes"),
        lambda c: c.segments.create("x", expiration="tomorrow"),
        lambda c: c.segments.get("1"),
        lambda c: c.segments.get(-1),
        lambda c: c.segments.update(1),
        lambda c: c.segments.update(1, name=""),
        lambda c: c.segments.add_members(1, "alice@example.com"),
        lambda c: c.segments.add_members(1, ["alice@example.com", ""]),
    ],
)
def test_bad_arguments_are_refused_before_any_request(sandbox: Sandbox, d: Driver, call: Any) -> None:
    client = d.client(sandbox)
    assert isinstance(d.raises(lambda: call(client)), np6.InvalidInputError)
    assert d.calls() == []
