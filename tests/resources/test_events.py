"""`client.events` against the sandbox, sync and async: typed events after real sends (activations, bounces with
their verdict, clicks, SMS STOP), windows split across a page cap with no loss and no duplicate, unknown types
yielded, per-action and per-type operations, bad arguments refused before any request."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import np6
import pytest
from np6.sandbox import Sandbox

from tests.resources.contacts_support import KEY, Driver, email_action

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
T0_MS = int(T0.timestamp()) * 1000


def _window() -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.UTC)
    return now - dt.timedelta(minutes=5), now + dt.timedelta(minutes=5)


def _raw(number: int, at_ms: int, kind: str = "activation", **detail: Any) -> dict[str, Any]:
    activation = {"id": "000PE4", "kind": "message", "receiver": {"type": "id", "value": f"T{number:07d}"}}
    return {
        "type": kind,
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "timestamp": at_ms,
        "identity": {"type": "customer", "agency": "SANDBOX", "customer": "001"},
        "source": {"type": "email", "detail": {"activation": activation, **detail}},
    }


def test_end_to_end_send_then_poll_the_outcome(sandbox: Sandbox, d: Driver) -> None:
    """The documented workflow: upsert contacts, validate the action, send_many, poll the events."""
    client = d.client(sandbox)
    people = ["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"]
    for address in people:
        d.run(client.targets.upsert({"Email": address}))
    sandbox.reactions.bounce("bob@example.com", verdict="hard")
    sandbox.reactions.bounce("carol@example.com", verdict="soft", diagnostic="mailbox full")
    sandbox.reactions.click("alice@example.com")
    sandbox.reactions.unsubscribe("dave@example.com")
    action = d.run(client.actions.create(email_action()))
    d.run(client.actions.validate(action.id, test_segments=[1]))
    report = d.run(client.actions.send_many(action.id, [*people, "stranger@example.com"]))
    assert [o.outcome for o in report] == [np6.Outcome.SENT] * 4 + [np6.Outcome.REJECTED]  # no contact, no send

    events = d.collect(client.events.iter(*_window(), action_id=action.id))
    message_of = {o.footprint.unicity: o.message_id for o in report.outcomes(np6.Outcome.SENT)}
    assert sorted(e.unicity for e in events if isinstance(e, np6.ActivationEvent)) == sorted(people)
    for event in events:
        assert event.message_id == message_of[event.unicity]  # how an event is matched with its send
        assert event.action_id == action.id
    bounces = {e.unicity: e for e in events if isinstance(e, np6.BounceEvent)}
    assert (bounces["bob@example.com"].verdict, bounces["bob@example.com"].hard) == ("hard", True)
    assert (bounces["carol@example.com"].soft, bounces["carol@example.com"].diagnostic) == (True, "mailbox full")
    assert [e.unicity for e in events if isinstance(e, np6.ClickEvent)] == ["alice@example.com"]
    assert [e.unicity for e in events if isinstance(e, np6.UnsubscribeEvent)] == ["dave@example.com"]
    assert all(isinstance(e, np6.HitEvent) for e in events if isinstance(e, (np6.ClickEvent, np6.UnsubscribeEvent)))

    hard = d.collect(client.events.iter(*_window(), types={"bounce"}, action_id=action.id))
    assert [(e.unicity, e.verdict) for e in hard] == [("bob@example.com", "hard"), ("carol@example.com", "soft")]
    # One kind of one action: NP6's per-type operation is used, not the whole feed.
    assert d.exchanges[-1].path == f"/actions/{action.id}/events/bounces"
    assert d.exchanges[-1].query["sort"] == "asc"


def test_sms_stop_replies(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    d.run(client.targets.upsert({"Email": "+33600000001"}))
    sandbox.reactions.sms_stop("+33600000001")
    action = d.run(client.actions.create(np6.sms_action(name="Promo", text="-20% today")))
    d.run(client.actions.validate(action.id, test_segments=[1]))
    d.run(client.actions.send(action.id, "+33600000001"))
    stops = d.collect(client.events.iter(*_window(), types={"sms_stop"}, action_id=action.id))
    assert [(type(e), e.channel, e.text, e.unicity) for e in stops] == [
        (np6.SmsStopEvent, "sms", "STOP", "+33600000001")
    ]
    assert d.exchanges[-1].path == f"/actions/{action.id}/events/responses/stop"
    everything = d.collect(client.events.iter(*_window()))
    assert [e.kind for e in everything] == ["activation", "sms_stop"]


def test_windows_are_split_across_the_page_cap_without_loss_or_duplicates(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, events_page_cap=40, validation="sample")
    rng = random.Random(1234)
    minute = 60_000
    events = [_raw(n, T0_MS + rng.randrange(10 * minute)) for n in range(600)]
    # NP6 may send an event twice (overlapping answers): the same id at another instant.
    events += [{**events[n], "timestamp": T0_MS + 10 * minute - 1 - n} for n in range(0, 600, 60)]
    events += [_raw(n, T0_MS + 5 * minute) for n in range(600, 640)]  # a burst in one millisecond, as many as a page
    sandbox.events.add(*events)
    client = d.client(sandbox)

    found = d.collect(client.events.iter(T0, T0 + dt.timedelta(minutes=10), page_limit=40))

    assert sorted(e.id for e in found) == sorted({e["id"] for e in events})
    assert len(found) == 640
    assert [e.at for e in found] == sorted(e.at for e in found)  # earliest first, window after window
    requests = [e for e in d.exchanges if e.path == "/actions/events"]
    assert len(requests) > 640 // 40
    assert all(e.status == 200 for e in requests)
    # The one-millisecond window of the burst cannot be split further: it is read as it is.
    burst = dt.datetime.fromtimestamp((T0_MS + 5 * minute) / 1000, dt.UTC)
    assert sum(1 for e in found if e.at == burst) >= 40


def test_a_page_limit_above_the_cap_misses_events(d: Driver) -> None:
    """Control: the walk does rely on the page limit; a limit NP6 never reaches cannot detect truncation."""
    sandbox = Sandbox(api_key=KEY, events_page_cap=40, validation="sample")
    sandbox.events.add(*(_raw(n, T0_MS + n) for n in range(100)))
    client = d.client(sandbox)
    found = d.collect(client.events.iter(T0, T0 + dt.timedelta(minutes=1), page_limit=41))
    assert len(found) == 40


def test_unknown_and_partial_events_are_yielded(sandbox: Sandbox, d: Driver) -> None:
    sandbox.events.add(
        _raw(1, T0_MS, kind="teleportation"),
        _raw(2, T0_MS + 1, kind="optout"),
        _raw(3, T0_MS + 2, kind="hit"),  # no link: a hit of an unknown kind
        _raw(4, T0_MS + 3, kind="hit", link={"type": "mirror"}),
        _raw(5, T0_MS + 4, kind="complaint"),
        _raw(
            6, T0_MS + 5, kind="cancellation", cancellation={"type": "user defined policy", "value": {"type": "render"}}
        ),
        {"type": "activation", "timestamp": T0_MS + 6},  # no id, no source
    )
    client = d.client(sandbox)
    found = d.collect(client.events.iter(T0, T0 + dt.timedelta(seconds=1)))
    assert [type(e).__name__ for e in found] == [
        "UnknownEvent",
        "UnknownEvent",
        "HitEvent",
        "HitEvent",
        "ComplaintEvent",
        "CancellationEvent",
        "ActivationEvent",
    ]
    assert [e.type for e in found[:2]] == ["teleportation", "optout"]
    assert found[0].contact_id == "T0000001"
    assert found[3].link_type == "mirror"
    assert (found[5].reason, found[5].subject) == ("user defined policy", "render")
    assert found[6].id is None
    mirrors = d.collect(client.events.iter(T0, T0 + dt.timedelta(seconds=1), types={"mirror", "optout"}))
    assert [e.type for e in mirrors] == ["optout", "hit"]


def test_page_is_one_request(sandbox: Sandbox, d: Driver) -> None:
    sandbox.events.add(*(_raw(n, T0_MS + n) for n in range(5)), _raw(1, T0_MS + 9))
    client = d.client(sandbox)
    page = d.run(client.events.page(T0, T0_MS + 1000))  # a datetime or a timestamp in milliseconds
    assert len(page) == 6  # as NP6 answered it: the duplicate is there
    activations = d.run(client.events.page(T0, T0 + dt.timedelta(seconds=1), kind="activation"))
    assert activations[0].at == T0
    assert len(d.exchanges) == 2


def test_events_of_an_unknown_action_are_a_not_found_error(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    error = d.raises(lambda: d.collect(client.events.iter(*_window(), action_id="NOPE")))
    assert isinstance(error, np6.NotFoundError)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"types": "bounce"}, "collection"),
        ({"types": {"bounces"}}, "unknown event kinds"),
        ({"types": set()}, "at least one"),
        ({"action_id": ""}, "action_id"),
        ({"page_limit": 0}, "page_limit"),
        ({"window": dt.timedelta(0)}, "window"),
        ({"end": T0}, "after start"),
        ({"start": "2026-03-02"}, "datetime"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    sandbox: Sandbox, d: Driver, arguments: dict[str, Any], message: str
) -> None:
    client = d.client(sandbox)
    call = {"start": T0, "end": T0 + dt.timedelta(hours=1), **arguments}
    start, end = call.pop("start"), call.pop("end")
    with pytest.raises(np6.InvalidInputError, match=message):
        client.events.iter(start, end, **call)  # raises at the call, before any iteration
    assert d.calls() == []


def test_window_option_bounds_each_request(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    assert d.collect(client.events.iter(T0, T0 + dt.timedelta(hours=1), window=dt.timedelta(minutes=15))) == []
    starts = [e.query["start"] for e in d.exchanges]
    assert [dt.datetime.fromisoformat(s) for s in starts] == [T0 + dt.timedelta(minutes=15 * n) for n in range(4)]


def test_event_from_json_reads_the_reference_example() -> None:
    bounce = np6.Event.from_json(
        {
            "type": "bounce",
            "id": "6d1e9b45-3c8b-4c5f-8b5a-4a6c1b2d3e4f",
            "timestamp": 1614089581002,
            "source": {
                "type": "email",
                "detail": {
                    "activation": {
                        "id": "000PE4",
                        "receiver": {"type": "id", "value": "0013KDC0"},
                        "stamp": {"time": 1614089576625, "id": "7bb1d0c4-5f6e-4a8b-9c0d-1e2f3a4b5c6d"},
                        "recipient": "example@np6.com",
                    },
                    "bounce": {
                        "status": {"type": "sync", "code": {"enhanced": "5.4.4"}, "diagnostic": "unable to route"},
                        "analysis": {"verdict": "soft"},
                    },
                },
            },
        }
    )
    assert isinstance(bounce, np6.BounceEvent)
    assert (bounce.contact_id, bounce.unicity, bounce.action_id, bounce.code) == (
        "0013KDC0",
        "example@np6.com",
        "000PE4",
        "5.4.4",
    )
    assert bounce.at == dt.datetime(2021, 2, 23, 14, 13, 1, 2000, tzinfo=dt.UTC)
    assert "raw" not in repr(bounce)
    with pytest.raises(np6.InvalidInputError):
        np6.Event.from_json([])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda c, d: d.collect(c.events.iter(T0, T0 + dt.timedelta(days=1), types=[["x"]])),
        lambda c, d: c.events.page(T0, T0 + dt.timedelta(days=1), kind=["bounce"]),
    ],
    ids=["event kinds that are not strings", "a page kind that is not a string"],
)
def test_kinds_that_are_not_strings_are_invalid_input(sandbox: Sandbox, d: Driver, call: Any) -> None:
    client = d.client(sandbox)
    assert isinstance(d.raises(lambda: call(client, d)), np6.InvalidInputError)
    assert d.calls() == []


EVENT_CLASSES = [getattr(np6, name) for name in np6.__all__ if name.endswith("Event")]


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_event_class_is_a_frozen_value_of_its_own_kind(cls: type[np6.Event]) -> None:
    """Kinds without fields of their own are plain subclasses: they must behave as the attrs-decorated ones do."""
    import pickle

    import attrs

    values = {field.name: None for field in attrs.fields(cls)} | {"type": cls.kind, "raw": {}}
    event = cls(**values)
    assert cls.kind in event.kinds
    assert pickle.loads(pickle.dumps(event)) == event
    assert hash(event) == hash(cls(**values))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.id = "changed"  # type: ignore[misc]
    others = [other for other in EVENT_CLASSES if other is not cls and attrs.fields(other) == attrs.fields(cls)]
    assert all(event != other(**values) for other in others)
    assert repr(event).startswith(f"{cls.__name__}(")


def test_event_kinds_are_distinct() -> None:
    kinds = [cls.kind for cls in EVENT_CLASSES]
    assert len(set(kinds)) == len(kinds) == 12
    assert set(kinds) - {"event", "unknown"} <= set(np6.EVENT_KINDS)


def test_an_event_with_an_impossible_timestamp_is_still_an_event() -> None:
    event = np6.Event.from_json({"type": "bounce", "id": "e1", "timestamp": 10**16})
    assert event.at is None
    assert event.id == "e1"


def test_a_long_walk_makes_its_windows_one_at_a_time() -> None:
    from np6._events.walk import Windows

    month_ms = 30 * 24 * 3600 * 1000
    walk = Windows(0, month_ms, 1, page_limit=10)  # 2.6 million one-millisecond windows
    assert walk.next() == (0, 1)
    assert walk.next() == (1, 2)
    assert len(vars(walk)) < 10
    assert not any(isinstance(value, list) and len(value) > 2 for value in vars(walk).values())


def test_several_kinds_of_one_action_come_in_time_order(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action = d.run(client.actions.create(email_action()))

    def of_action(event: dict[str, Any]) -> dict[str, Any]:
        event["source"]["detail"]["activation"]["id"] = action.id
        return event

    sandbox.events.add(
        of_action(_raw(1, T0_MS + 10, kind="hit", link={"type": "redirection"})),
        of_action(_raw(2, T0_MS + 1, kind="hit", link={"type": "unsubscribe"})),
        of_action(_raw(3, T0_MS + 5, kind="bounce", bounce={"type": "hard"})),
    )
    found = d.collect(
        client.events.iter(T0, T0 + dt.timedelta(minutes=1), action_id=action.id, types={"click", "unsubscribe"})
    )
    assert [e.kind for e in found] == ["unsubscribe", "click"]
