"""Inputs an independent review found crashing with non-np6 exceptions, and event-walk properties it questioned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import np6
import pytest
from np6.sandbox import Sandbox

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def client() -> Any:
    with Sandbox().client() as sandbox_client:
        yield sandbox_client


BAD_CALLS: dict[str, Callable[[Any], object]] = {
    "event kinds that are not strings": lambda c: list(c.events.iter(T0, T0 + dt.timedelta(days=1), types=[["x"]])),
    "a page kind that is not a string": lambda c: c.events.page(T0, T0 + dt.timedelta(days=1), kind=["bounce"]),
    "redlist detail that is not JSON": lambda c: c.targets.redlist(
        c.targets.create({"Email": "x@example.com"}).id, detail=object()
    ),
    "a timestamp out of range": lambda c: c.actions.list(created_after=10**20),
    "a channel that is not a name": lambda c: c.actions.send_many("000AAA", ["a@example.com"], channel=5),
}


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_bad_input_is_an_invalid_input_error(client: Any, call: Callable[[Any], object]) -> None:
    with pytest.raises(np6.InvalidInputError):
        call(client)


def test_a_field_key_that_only_looks_like_digits_is_kept_as_given(client: Any) -> None:
    assert client.fields.map().to_names({"²": 1}) == {"²": 1}


def test_an_event_with_an_impossible_timestamp_is_still_an_event() -> None:
    event = np6.Event.from_json({"type": "bounce", "id": "e1", "timestamp": 10**16})
    assert event.at is None
    assert event.id == "e1"


def test_a_long_walk_makes_its_windows_one_at_a_time() -> None:
    from np6._resources.events import _Walk

    month_ms = 30 * 24 * 3600 * 1000
    walk = _Walk(0, month_ms, 1, page_limit=10)  # 2.6 million one-millisecond windows
    assert walk.next() == (0, 1)
    assert walk.next() == (1, 2)
    assert len(vars(walk)) < 10
    assert not any(isinstance(value, list) and len(value) > 2 for value in vars(walk).values())
