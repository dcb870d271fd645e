"""What the sandbox keeps of the messages it accepts: deliveries and events read back exactly as they were sent,
whichever way a message came (a batch with gaps, a single send, a legacy send by target id, messages not kept),
and a state the garbage collector does not have to walk message by message."""

from __future__ import annotations

import gc
import json
from typing import Any, cast

import pytest
from np6.sandbox import Contact, Delivery, Sandbox

from tests.sandbox.support import EMAIL_TYPE, KEY, SMS_TYPE, promo_sms, raw, stored_action


def _message(address: str, **extra: Any) -> dict[str, Any]:
    return {"recipient": {"type": "unicity", "value": [address]}, **extra}


def _send_all(sandbox: Sandbox) -> list[tuple[str, dict[str, Any]]]:
    """Sends of every kind; (message id, message as sent) of each message the sandbox accepted, in order."""
    email, sms = stored_action(sandbox), stored_action(sandbox, promo_sms())
    batch = [
        _message("a@example.com"),
        _message("gone@invalid.example"),  # refused: the accepted ones are not at their batch positions
        _message("b@example.com", content={"html": "<p>é</p>"}),
        _message("a@example.com"),
    ]
    accepted: list[tuple[str, dict[str, Any]]] = []
    with raw(sandbox) as http:
        results = http.post(f"/actions/{email}/executions", json=batch, headers={"content-type": EMAIL_TYPE}).json()
        accepted += [(r["id"], m) for r, m in zip(results, batch, strict=True) if r["type"] == "success"]
        single = _message("+33612345678")
        result = http.post(f"/actions/{sms}/execution", json=single, headers={"content-type": SMS_TYPE}).json()
        accepted.append((result["id"], single))
        target = sandbox.contacts.find(unicity="b@example.com")
        assert target is not None
        legacy = {"attributes": {"coupon": "X1"}}
        message_id = http.post(f"/actions/{email}/targets/{target.id}", json=legacy).json()
        accepted.append((message_id, legacy))
    assert len(accepted) == 5
    return accepted


def test_every_delivery_reads_back_the_message_sent_by_index_from_either_end(sandbox: Sandbox) -> None:
    accepted = _send_all(sandbox)
    deliveries = sandbox.deliveries.all()
    assert [(d.message_id, d.message) for d in deliveries] == accepted
    assert [d.recipient for d in deliveries[:-1]] == [m["recipient"] for _, m in accepted[:-1]]
    assert deliveries[-1].recipient == {"type": "id", "value": deliveries[-1].contact_id}
    assert [d.operation_id for d in deliveries] == ["send_messages"] * 3 + ["send_message", "send_message_to_target"]
    assert list(sandbox.deliveries) == deliveries
    for index in range(len(deliveries)):
        assert sandbox.deliveries[index] == deliveries[index]
        assert sandbox.deliveries[index - len(deliveries)] == deliveries[index]
    for index in (len(deliveries), -len(deliveries) - 1):
        with pytest.raises(IndexError):
            sandbox.deliveries[index]
    # Read twice, a kept message is the same object, as when the sandbox kept the message itself.
    assert sandbox.deliveries[1].message is sandbox.deliveries[1].message
    assert sandbox.deliveries[1:4] == deliveries[1:4]
    assert sandbox.deliveries[-2:] == deliveries[-2:]
    assert sandbox.deliveries[::-1] == deliveries[::-1]
    assert sandbox.deliveries.recipients() == [
        "a@example.com", "b@example.com", "a@example.com", "+33612345678", "b@example.com"
    ]  # fmt: skip
    duplicates = sandbox.deliveries.duplicates()
    assert duplicates == {
        (deliveries[0].action_id, deliveries[0].contact_id): [deliveries[0], deliveries[2]],
        (deliveries[1].action_id, deliveries[1].contact_id): [deliveries[1], deliveries[4]],
    }
    email_action = deliveries[0].action_id
    assert [d.message_id for d in sandbox.deliveries.all(email_action)] == [
        d.message_id for d in deliveries if d.action_id == email_action
    ]
    assert sandbox.deliveries.count(email_action) == 4


def test_without_kept_messages_the_recipients_are_still_read_back() -> None:
    sandbox = Sandbox(api_key=KEY, keep_messages=False)
    accepted = _send_all(sandbox)
    deliveries = sandbox.deliveries.all()
    assert [d.message for d in deliveries] == [None] * 5
    assert [d.recipient for d in deliveries[:-1]] == [m["recipient"] for _, m in accepted[:-1]]


def test_a_delivery_recorded_by_hand_reads_back_as_given(sandbox: Sandbox) -> None:
    _send_all(sandbox)
    delivery = sandbox.deliveries[0]
    sandbox.deliveries.clear()
    sandbox.deliveries.record([delivery, delivery])
    assert sandbox.deliveries.all() == [delivery, delivery]
    assert sandbox.deliveries[-1] == delivery
    assert list(sandbox.deliveries.duplicates().values()) == [[delivery, delivery]]


def test_events_read_back_in_order_with_their_ids_tying_each_reaction_to_its_message(sandbox: Sandbox) -> None:
    sandbox.reactions.bounce("b@example.com", verdict="soft")
    sandbox.reactions.click("a@example.com")
    accepted = _send_all(sandbox)
    events = sandbox.events.query()
    # An activation per message; a click after each of a's two, a bounce after each of b's two.
    assert len(events) == len(sandbox.events) == 5 + 2 + 2
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
    activations = [e for e in events if e["type"] == "activation"]
    reactions = [e for e in events if e["type"] != "activation"]
    stamps = [e["source"]["detail"]["activation"]["stamp"] for e in activations]
    assert [s["id"] for s in stamps] == [message_id for message_id, _ in accepted]
    thread_of = {s["id"]: s["thread"] for s in stamps}
    time_of = {s["id"]: e["timestamp"] for s, e in zip(stamps, activations, strict=True)}
    for event in reactions:
        stamp = event["source"]["detail"]["activation"]["stamp"]
        assert stamp["thread"] == thread_of[stamp["id"]]
        assert event["timestamp"] == time_of[stamp["id"]] + 1  # 1 ms after the activation of its message
    reacted = [(e["type"], e["source"]["detail"]["activation"]["stamp"]["id"]) for e in reactions]
    assert sorted(reacted) == sorted(
        [("hit", accepted[0][0]), ("hit", accepted[2][0]), ("bounce", accepted[1][0]), ("bounce", accepted[4][0])]
    )
    ids = [e["id"] for e in events] + list(thread_of.values()) + list(thread_of)
    assert len(set(ids)) == len(ids)
    assert sandbox.events.query(descending=True) == events[::-1]
    for limit in range(1, 9):
        assert sandbox.events.query(limit=limit) == events[:limit]
        assert sandbox.events.query(limit=limit, descending=True) == events[::-1][:limit]
    first, last = events[0]["timestamp"], events[-1]["timestamp"]
    assert sandbox.events.query(first + 1) == [e for e in events if e["timestamp"] > first]
    assert sandbox.events.query(first, last) == [e for e in events if e["timestamp"] < last]
    email_action = sandbox.deliveries[0].action_id
    assert sandbox.events.query(action_id=email_action) == [
        e for e in events if e["source"]["detail"]["activation"]["id"] == email_action
    ]
    assert len(sandbox.events.query(action_id=email_action)) == 8
    assert sandbox.events.all() == events
    events[0]["source"]["detail"]["activation"]["recipient"] = "changed"
    assert sandbox.events.query() != events  # answers are copies


def test_a_large_send_leaves_no_object_per_message_for_the_collector_to_walk(sandbox: Sandbox) -> None:
    action = stored_action(sandbox)
    with raw(sandbox) as http:

        def send(first: int) -> None:
            batch = [_message(f"user{i}@example.com") for i in range(first, first + 2_000)]
            answer = http.post(f"/actions/{action}/executions", json=batch, headers={"content-type": EMAIL_TYPE})
            assert [r["type"] for r in answer.json()] == ["success"] * len(batch)

        send(0)
        gc.collect()
        before = len(gc.get_objects())
        send(0)  # known contacts
        send(2_000)  # new ones
        gc.collect()
        kept = len(gc.get_objects()) - before
    assert (sandbox.deliveries.count(), len(sandbox.events), len(sandbox.contacts)) == (6_000, 6_000, 4_000)
    assert kept < 0.01 * 4_000, f"{kept} objects for the collector to walk, for 4,000 messages"
    assert isinstance(sandbox.deliveries[-1], Delivery)
    assert sandbox.contacts.find(unicity="user3999@example.com") is not None


def test_the_same_body_sent_twice_gives_each_send_messages_of_its_own(sandbox: Sandbox) -> None:
    action = stored_action(sandbox)
    body = json.dumps([_message("a@example.com")]).encode()
    with raw(sandbox) as http:
        for _ in range(2):
            http.post(f"/actions/{action}/executions", content=body, headers={"content-type": EMAIL_TYPE})
    first, second = sandbox.deliveries.all()
    assert first.message == second.message
    assert first.message is not second.message


def test_a_contacts_fields_are_the_books_own(sandbox: Sandbox) -> None:
    bare = sandbox.contacts.create("a@example.com")
    filled = sandbox.contacts.create("b@example.com", fields={"FirstName": "B"})
    cast("dict[str, Any]", bare.fields)["FirstName"] = "A"  # as before contacts were kept as rows
    assert sandbox.contacts.get(bare.id) == Contact(bare.id, bare.unicity, bare.hash, {"FirstName": "A"})
    assert sandbox.contacts.update(filled.id, {"LastName": "C"}).fields == {"FirstName": "B", "LastName": "C"}
    assert sandbox.contacts.create("b@example.com", fields={"City": "D"}).fields == {
        "FirstName": "B", "LastName": "C", "City": "D"
    }  # fmt: skip
    removed = sandbox.contacts.remove(filled.id)
    assert removed.fields["City"] == "D"
    assert sandbox.contacts.create("b@example.com").fields == {}  # a new contact under the same value
    assert [c.unicity for c in sandbox.contacts] == ["a@example.com", "b@example.com"]
    assert bool(sandbox.reactions)
