"""Sends and renders against the sandbox: results per message, footprints, unknown recipients, batch limits, the
delivery record, and what a render substitutes."""

from __future__ import annotations

import hashlib
import json

import np6
import pytest
from np6.models import ExecutionError, ExecutionSuccess, RecipientByFootprint, RenderError, RenderSuccess
from np6.sandbox import Sandbox

from tests.sandbox.support import (
    EMAIL_TYPE,
    KEY,
    UUID,
    Driver,
    draft_action,
    newsletter,
    promo_sms,
    raw,
    recipient_json,
    validated_action,
)


def _md5(value: str) -> str:
    return hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()


# ------------------------------------------------------------------------------------------------ single sends
def test_a_success_carries_a_message_id_and_the_contacts_footprint(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    result = d.run(client.actions.send(action_id, "alice@example.com"))
    assert isinstance(result, ExecutionSuccess)
    assert UUID.match(result.id)
    footprint = result.recipient
    assert isinstance(footprint, RecipientByFootprint)
    assert footprint.unicity == "alice@example.com"
    assert footprint.hash_ == _md5("alice@example.com")
    [delivery] = sandbox.deliveries
    assert (delivery.action_id, delivery.message_id, delivery.contact_id) == (action_id, result.id, footprint.id)
    assert (delivery.channel, delivery.operation_id) == ("email", "send_message")
    assert delivery.recipient == {"type": "unicity", "value": ["alice@example.com"]}
    assert delivery.message == {"recipient": {"type": "unicity", "value": ["alice@example.com"]}}


def test_every_recipient_shape_reaches_the_same_contact(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    first = d.run(client.actions.send(action_id, "alice@example.com")).recipient
    others = [
        np6.Recipient.by_id(first.id),
        np6.Recipient.by_hash(first.hash_),
        np6.Recipient.by_hash(first.hash_.upper()),
        np6.Recipient.by_footprint(id=first.id),
        np6.Recipient.by_footprint(hash=first.hash_.upper()),
        np6.Recipient.by_footprint(unicity="alice@example.com"),
    ]
    for recipient in others:
        result = d.run(client.actions.send(action_id, recipient))
        assert isinstance(result, ExecutionSuccess), recipient
        assert result.recipient.id == first.id
    assert len(sandbox.contacts) == 1
    assert sandbox.deliveries.count() == 1 + len(others)
    # The same contact reached again is what `duplicates()` exists to show.
    [(key, deliveries)] = sandbox.deliveries.duplicates(action_id).items()
    assert key == (action_id, first.id)
    assert len(deliveries) == 1 + len(others)


def test_an_unknown_recipient_is_an_error_result_not_an_exception(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, unknown_recipients=["Ghost@Example.com"])
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    for recipient in ("ghost@example.com", "nobody@invalid.example", np6.Recipient.by_id("NOSUCHID")):
        result = d.run(client.actions.send(action_id, recipient))
        assert isinstance(result, ExecutionError)
        assert result.value.type_ == "recipient not found"
    assert sandbox.deliveries.count() == 0
    assert sandbox.mismatches == []


def test_a_content_override_needs_templating_4_1(sandbox: Sandbox, d: Driver) -> None:
    old_templating = newsletter("Old templating")
    old_templating.settings.templating.version = "2"
    modern_id = validated_action(sandbox)
    old_id = validated_action(sandbox, old_templating)
    client = d.client(sandbox)
    override = np6.EmailMessage("alice@example.com", subject="Flash", html="<p>Flash sale</p>")
    assert isinstance(d.run(client.actions.send(modern_id, override)), ExecutionSuccess)
    assert isinstance(d.raises(lambda: client.actions.send(old_id, override)), np6.ConflictError)
    # Without an override the older action sends as configured.
    assert isinstance(d.run(client.actions.send(old_id, "alice@example.com")), ExecutionSuccess)
    assert [x.action_id for x in sandbox.deliveries] == [modern_id, old_id]
    assert sandbox.deliveries[0].message is not None
    assert sandbox.deliveries[0].message["content"] == {"html": "<p>Flash sale</p>"}


def test_sms_sends_use_the_sms_channel(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox, promo_sms())
    client = d.client(sandbox)
    result = d.run(client.actions.send(action_id, np6.SmsMessage("+33600000001", text="Custom")))
    assert result.recipient.unicity == "+33600000001"
    [delivery] = sandbox.deliveries
    assert delivery.channel == "sms"
    assert delivery.message == {
        "recipient": {"type": "unicity", "value": ["+33600000001"]},
        "content": {"text": "Custom"},
    }


def test_the_legacy_send_by_target_id(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    contact = sandbox.contacts.create("alice@example.com")
    client = d.client(sandbox)
    message_id = d.run(client.actions.send_to_target(action_id, contact.id, data={"first_name": "Alice"}))
    [delivery] = sandbox.deliveries
    assert (delivery.message_id, delivery.contact_id, delivery.operation_id) == (
        message_id,
        contact.id,
        "send_message_to_target",
    )
    assert isinstance(d.raises(lambda: client.actions.send_to_target(action_id, "NOSUCHID")), np6.NotFoundError)


def test_messages_are_not_kept_when_told_so(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, keep_messages=False)
    action_id = validated_action(sandbox)
    d.run(d.client(sandbox).actions.send(action_id, "alice@example.com"))
    assert sandbox.deliveries[0].message is None
    assert sandbox.deliveries[0].unicity == "alice@example.com"


# ------------------------------------------------------------------------------------------------- send_many
def test_send_many_sends_each_message_once_with_per_message_results(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, validation="sample", unknown_recipients=["ghost@example.com"])
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    recipients = [f"user{i}@example.com" for i in range(1000)]
    recipients[10] = "ghost@example.com"
    recipients[500] = "someone@invalid.example"
    report = d.run(client.actions.send_many(action_id, recipients, batch_size=250))
    assert report.counts == {"sent": 998, "rejected": 2, "failed": 0, "unknown": 0}
    assert len(report) == 1000
    assert [item.index for item in report.outcomes(np6.Outcome.REJECTED)] == [10, 500]
    rejected = report[10]
    assert rejected.reason == "recipient not found"
    assert isinstance(rejected.result, ExecutionError)
    assert rejected.message_id is None
    sent = report[11]
    assert sent.outcome is np6.Outcome.SENT
    assert sent.footprint is not None
    assert sent.footprint.unicity == "user11@example.com"
    assert sent.message_id == sandbox.deliveries[10].message_id
    assert UUID.match(sent.request_id or "")
    expected = [r for r in recipients if r not in ("ghost@example.com", "someone@invalid.example")]
    assert sandbox.deliveries.recipients(action_id) == expected
    assert sandbox.deliveries.duplicates() == {}
    assert sandbox.mismatches == []


def test_a_batch_over_the_limit_is_413_and_nothing_of_it_is_sent() -> None:
    limited = Sandbox(api_key=KEY, max_batch_size=3)
    action_id = validated_action(limited)
    with raw(limited) as http:
        for endpoint in ("executions", "renders"):
            body = json.dumps([recipient_json(f"u{i}@example.com", endpoint) for i in range(4)])
            response = http.post(f"/actions/{action_id}/{endpoint}", content=body, headers={"content-type": EMAIL_TYPE})
            assert response.status_code == 413
            assert response.content == b""
            assert UUID.match(response.headers["x-request-id"])
        at_limit = [recipient_json(f"u{i}@example.com") for i in range(3)]
        response = http.post(
            f"/actions/{action_id}/executions", content=json.dumps(at_limit), headers={"content-type": EMAIL_TYPE}
        )
        assert response.status_code == 200
    assert limited.deliveries.recipients() == ["u0@example.com", "u1@example.com", "u2@example.com"]


def test_send_many_splits_batches_the_sandbox_finds_too_large(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, validation="sample", max_batch_size=30)
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    recipients = [f"user{i}@example.com" for i in range(250)]
    if d.is_async:
        call = client.actions.send_many(action_id, recipients, batch_size=100, concurrency=4)
    else:
        call = client.actions.send_many(action_id, recipients, batch_size=100)
    report = d.run(call)
    assert report.ok
    assert report.sent == 250
    assert [item.recipient["value"][0] for item in report] == recipients
    assert d.recording is not None
    statuses = d.recording.statuses("/executions")
    assert 413 in statuses
    assert statuses.count(200) * 30 >= 250
    assert sandbox.deliveries.count(action_id) == 250
    assert sorted(sandbox.deliveries.recipients()) == sorted(recipients)
    assert sandbox.deliveries.duplicates() == {}


def test_send_many_of_sms_messages(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox, promo_sms())
    client = d.client(sandbox)
    numbers = [f"+336{i:08d}" for i in range(20)]
    report = d.run(client.actions.send_many(action_id, numbers, batch_size=7))
    assert report.sent == 20
    assert {delivery.channel for delivery in sandbox.deliveries} == {"sms"}
    assert sandbox.deliveries.recipients() == numbers


def test_an_explicit_contact_id_is_never_given_to_another_contact(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    with raw(sandbox) as http:
        created = http.post("/_sandbox/contacts", json={"unicity": "vip@example.com", "id": "00000001"})
        assert created.status_code == 201
        assert http.post("/_sandbox/contacts", json={"unicity": []}).status_code == 400
        assert (
            http.post("/_sandbox/contacts", json={"unicity": "other@example.com", "id": "00000001"}).status_code == 409
        )
    client = d.client(sandbox)
    # The first automatic id would have been 00000001 too.
    newcomer = d.run(client.actions.send(action_id, "newcomer@example.com")).recipient
    assert newcomer.id != "00000001"
    vip = d.run(client.actions.send(action_id, np6.Recipient.by_id("00000001"))).recipient
    assert vip.unicity == "vip@example.com"
    assert sandbox.deliveries.recipients() == ["newcomer@example.com", "vip@example.com"]


# ------------------------------------------------------------------------------------------------------ renders
def test_render_substitutes_the_recipients_values(sandbox: Sandbox, d: Driver) -> None:
    action_id = draft_action(sandbox)
    contact = sandbox.contacts.create("alice@example.com", fields={"first_name": "Ally"})
    client = d.client(sandbox)
    from_fields = d.run(client.actions.render(action_id, "alice@example.com"))
    assert isinstance(from_fields, RenderSuccess)
    assert from_fields.recipient == "alice@example.com"
    assert from_fields.subject == "Hello Ally"
    # Spaces inside the brackets are allowed; the contact's own id fills [[id]].
    assert from_fields.html == f'<p>Hello Ally</p><a href="https://example.com/u/{contact.id}">you</a>'
    # An unknown placeholder stays as written, so that a typo shows.
    assert from_fields.text == "Hello Ally <alice@example.com> [[no_such_value]]"
    assert from_fields.sender.label == "Example for Ally"
    assert from_fields.sender.value == "news@example.com"
    assert from_fields.sender.reply == "reply@example.com"
    # The message's data wins over the contact's fields.
    from_data = d.run(
        client.actions.render(action_id, np6.EmailMessage("alice@example.com", data={"first_name": "Al"}))
    )
    assert from_data.subject == "Hello Al"
    # Rendering sends nothing, whatever the action's state.
    assert sandbox.deliveries.count() == 0


def test_a_content_override_is_rendered_as_is(sandbox: Sandbox, d: Driver) -> None:
    action_id = draft_action(sandbox)
    client = d.client(sandbox)
    message = np6.EmailMessage(
        "bob@example.com", subject="Hi [[first_name]]", html="<p>[[first_name]]</p>", data={"first_name": "Bob"}
    )
    rendered = d.run(client.actions.render(action_id, message))
    assert rendered.html == "<p>[[first_name]]</p>"
    assert rendered.subject == "Hi Bob"


def test_sms_render_and_render_many(sandbox: Sandbox, d: Driver) -> None:
    action_id = draft_action(sandbox, promo_sms())
    client = d.client(sandbox)
    results = d.run(
        client.actions.render_many(
            action_id,
            [
                np6.SmsMessage("+33600000001", data={"first_name": "Ann"}),
                np6.SmsMessage("+33600000002"),
                np6.SmsMessage("nobody@invalid.example"),
            ],
        )
    )
    assert [type(r) for r in results] == [RenderSuccess, RenderSuccess, RenderError]
    assert results[0].text == "Hi Ann, -20% today"
    assert results[1].text == "Hi [[first_name]], -20% today"
    assert results[2].value.type_ == "recipient not found"
    single = d.run(client.actions.render(action_id, np6.SmsMessage("+33600000001", text="Override")))
    assert (single.recipient, single.text) == ("+33600000001", "Override")
    assert sandbox.deliveries.count() == 0


def test_render_links_substitutes_each_link(sandbox: Sandbox, d: Driver) -> None:
    action_id = draft_action(sandbox)
    client = d.client(sandbox)
    result = d.run(client.actions.render_links(action_id, "carol@example.com"))
    contact_id = sandbox.contacts.resolve({"type": "unicity", "value": ["carol@example.com"]}).id
    assert result.links == [f"https://example.com/u/{contact_id}"]
    assert isinstance(d.raises(lambda: client.actions.render_links(action_id, "x@invalid.example")), np6.NotFoundError)


@pytest.mark.parametrize("unknown", ["ghost@example.com", "GHOST@example.com"])
def test_unknown_values_are_matched_without_case(unknown: str) -> None:
    sandbox = Sandbox(api_key=KEY, unknown_recipients=["ghost@example.com"])
    action_id = validated_action(sandbox)
    with sandbox.client() as client:
        assert isinstance(client.actions.send(action_id, unknown), ExecutionError)
