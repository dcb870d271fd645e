"""The matching rules of reconcile, on events built in memory: which unknown messages an event feed proves sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import np6
import pytest
from np6._sending.reconcile import DEFAULT_MARGIN, Matcher, match_events, recipient_key

ACTION = "000ACT"
T0 = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Message:
    index: int
    recipient: Any
    attempted_at: dt.datetime | None = T0


def unicity(value: str) -> dict[str, Any]:
    return {"type": "unicity", "value": [value]}


def event(
    at: dt.datetime | None,
    *,
    unicity: str | None = "alice@example.com",
    contact_id: str | None = None,
    hash: str | None = None,
    message_id: str | None = "m1",
    event_id: str | None = "e1",
    kind: str = "activation",
    action_id: str | None = ACTION,
) -> np6.Event:
    receiver: dict[str, Any] = {"type": "footprint"}
    if contact_id is not None:
        receiver["id"] = contact_id
    if unicity is not None:
        receiver["unicity"] = unicity
    if hash is not None:
        receiver["hash"] = hash
    activation: dict[str, Any] = {"receiver": receiver}
    if action_id is not None:
        activation["id"] = action_id
    if message_id is not None:
        activation["stamp"] = {"id": message_id}
    raw: dict[str, Any] = {"type": kind, "source": {"type": "email", "detail": {"activation": activation}}}
    if event_id is not None:
        raw["id"] = event_id
    if at is not None:
        raw["timestamp"] = int(at.timestamp() * 1000)
    return np6.Event.from_json(raw)


def later(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


# ------------------------------------------------------------------------------------------------ recipients


def test_recipient_keys_of_every_wire_shape() -> None:
    assert recipient_key(unicity("alice@example.com")) == ("unicity", "alice@example.com")
    assert recipient_key({"type": "unicity", "value": ["A", "B"]}) == ("unicity", "AB")  # NP6 joins a composite
    assert recipient_key({"type": "id", "value": "000R4M0T"}) == ("id", "000R4M0T")
    assert recipient_key({"type": "hash", "value": "ABCDEF"}) == ("hash", "abcdef")
    assert recipient_key({"type": "footprint", "id": "000R4M0T", "unicity": "a@b.co"}) == ("id", "000R4M0T")
    assert recipient_key({"type": "footprint", "unicity": ["a@b.co"], "hash": "ff"}) == ("unicity", "a@b.co")
    assert recipient_key({"type": "footprint", "hash": "FF"}) == ("hash", "ff")
    for unmatched in (None, "alice@example.com", {"type": "unicity", "value": []}, {"type": "list", "value": "x"}):
        assert recipient_key(unmatched) is None


def test_an_event_proves_a_message_by_unicity_id_or_hash() -> None:
    messages = [
        Message(0, unicity("alice@example.com")),
        Message(1, {"type": "id", "value": "000BOB00"}),
        Message(2, {"type": "hash", "value": "C0FFEE"}),
        Message(3, unicity("dave@example.com")),
    ]
    events = [
        event(later(1), unicity="alice@example.com", message_id="m-alice", event_id="e-alice"),
        event(later(1), unicity=None, contact_id="000BOB00", message_id="m-bob", event_id="e-bob"),
        event(later(1), unicity=None, hash="c0ffee", message_id="m-carol", event_id="e-carol"),
    ]
    found = match_events(messages, events, action_id=ACTION)
    assert sorted(found) == [0, 1, 2]
    assert found[0] == np6.Evidence("activation", "e-alice", later(1).replace(microsecond=0), "m-alice")
    assert found[1].message_id == "m-bob"
    assert found[2].event_id == "e-carol"


def test_unicity_values_match_exactly_as_sent() -> None:
    # Whether NP6 folds case is not documented: another case may be another contact, so it proves nothing.
    found = match_events([Message(0, unicity("Alice@Example.com"))], [event(later(1))], action_id=ACTION)
    assert found == {}


# ------------------------------------------------------------------------------------------------ what is not proof


def test_events_of_another_action_without_a_time_or_an_identity_prove_nothing() -> None:
    messages = [Message(0, unicity("alice@example.com"))]
    assert match_events(messages, [event(later(1), action_id="000OTHER")], action_id=ACTION) == {}
    assert match_events(messages, [event(None)], action_id=ACTION) == {}
    assert match_events(messages, [event(later(1), message_id=None, event_id=None)], action_id=ACTION) == {}
    assert match_events(messages, [event(later(1), unicity="bob@example.com")], action_id=ACTION) == {}
    # An event that does not name its action is taken from the action's own feed: it counts.
    assert list(match_events(messages, [event(later(1), action_id=None)], action_id=ACTION)) == [0]


def test_an_event_before_the_attempt_minus_the_margin_is_not_proof() -> None:
    messages = [Message(0, unicity("alice@example.com"))]
    too_early = event(T0 - DEFAULT_MARGIN - dt.timedelta(milliseconds=1))
    assert match_events(messages, [too_early], action_id=ACTION) == {}
    # Within the margin (clock skew between this host and NP6) it counts, down to the millisecond.
    assert list(match_events(messages, [event(T0 - DEFAULT_MARGIN)], action_id=ACTION)) == [0]
    skewed = event(T0 - dt.timedelta(seconds=30))
    assert list(match_events(messages, [skewed], action_id=ACTION)) == [0]
    assert match_events(messages, [skewed], action_id=ACTION, margin=dt.timedelta(seconds=5)) == {}
    assert (
        match_events(messages, [event(T0 - dt.timedelta(milliseconds=1))], action_id=ACTION, margin=dt.timedelta())
        == {}
    )
    assert list(match_events(messages, [event(T0)], action_id=ACTION, margin=dt.timedelta())) == [0]


def test_a_message_without_an_attempt_time_or_a_matchable_recipient_cannot_be_proven() -> None:
    matcher = Matcher(
        [Message(0, unicity("alice@example.com"), None), Message(1, {"type": "list", "value": "x"})], action_id=ACTION
    )
    assert matcher.unmatchable == [0, 1]
    assert matcher.start is None
    assert not matcher.offer(event(later(1)))
    assert matcher.match() == {}


def test_events_of_messages_the_report_already_knows_prove_nothing_new() -> None:
    messages = [Message(0, unicity("alice@example.com"))]
    events = [event(later(1), message_id="m-sent", event_id="e-sent")]
    assert match_events(messages, events, action_id=ACTION, known_message_ids={"m-sent"}) == {}
    assert match_events(messages, events, action_id=ACTION, known_event_ids={"e-sent"}) == {}
    assert list(match_events(messages, events, action_id=ACTION, known_message_ids={"m-other"})) == [0]


# ------------------------------------------------------------------------------------------------ counting


def test_one_event_proves_one_message_of_a_recipient() -> None:
    messages = [Message(0, unicity("alice@example.com")), Message(1, unicity("alice@example.com"))]
    one = [event(later(1), message_id="m1", event_id="e1")]
    assert list(match_events(messages, one, action_id=ACTION)) == [0]  # same attempt: the lowest index
    two = [*one, event(later(2), message_id="m2", event_id="e2")]
    found = match_events(messages, two, action_id=ACTION)
    assert {index: evidence.message_id for index, evidence in found.items()} == {0: "m1", 1: "m2"}


def test_the_same_event_twice_is_one_proof() -> None:
    messages = [Message(0, unicity("alice@example.com")), Message(1, unicity("alice@example.com"))]
    repeated = [event(later(1)), event(later(3))]  # NP6 may answer an event twice, even with another timestamp
    found = match_events(messages, repeated, action_id=ACTION)
    assert list(found) == [0]
    assert found[0].time == later(1).replace(microsecond=0)  # the earliest of them


def test_events_of_one_np6_message_are_one_proof() -> None:
    # The activation and the bounce of one message are about the same NP6 message id: one message proven.
    messages = [Message(0, unicity("bob@example.com")), Message(1, unicity("bob@example.com"))]
    events = [
        event(later(1), unicity="bob@example.com", message_id="m1", event_id="e1"),
        event(later(2), unicity="bob@example.com", message_id="m1", event_id="e2", kind="bounce"),
    ]
    found = match_events(messages, events, action_id=ACTION, require_message_id=True)
    assert list(found) == [0]
    assert found[0].event_type == "activation"
    # Reading several kinds, an event without a message id cannot be told apart from the others: not counted.
    anonymous = [event(later(1), message_id=None, event_id="e3", kind="bounce")]
    assert match_events(messages, anonymous, action_id=ACTION, require_message_id=True) == {}


def test_each_event_goes_to_the_earliest_attempt_it_can_prove() -> None:
    # Alice was sent to twice, five minutes apart; an event between the attempts can only be about the first.
    messages = [Message(0, unicity("alice@example.com")), Message(1, unicity("alice@example.com"), later(300))]
    between = event(later(120), message_id="m1", event_id="e1")
    assert list(match_events(messages, [between], action_id=ACTION)) == [0]
    after = event(later(301), message_id="m2", event_id="e2")
    found = match_events(messages, [after, between], action_id=ACTION)  # in any order
    assert {index: evidence.message_id for index, evidence in found.items()} == {0: "m1", 1: "m2"}
    # One event after both attempts proves one of them (the earliest attempted), not both.
    assert list(match_events(messages, [after], action_id=ACTION)) == [0]


def test_one_contact_named_two_ways_is_still_counted_once_per_event() -> None:
    messages = [Message(0, unicity("alice@example.com")), Message(1, {"type": "id", "value": "000ALICE"})]
    both = event(later(1), unicity="alice@example.com", contact_id="000ALICE")
    assert len(match_events(messages, [both], action_id=ACTION)) == 1
    second = event(later(2), unicity="alice@example.com", contact_id="000ALICE", message_id="m2", event_id="e2")
    assert sorted(match_events(messages, [both, second], action_id=ACTION)) == [0, 1]


def test_a_negative_margin_is_refused() -> None:
    with pytest.raises(np6.InvalidInputError):
        Matcher([], action_id=ACTION, margin=dt.timedelta(seconds=-1))
