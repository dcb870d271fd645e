"""The action workflow of the sandbox, driven through the overlay: states 10/20 -> 38 -> 50, unvalidation, and
which operations each state allows (facts sheet 3.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import np6
import pytest
from np6.models import SmsMessageActionRequest
from np6.sandbox import STATE_CREATED, STATE_DRAFT, STATE_TEST_VALIDATED, STATE_VALIDATED, Sandbox

from tests.sandbox.support import UUID, Driver, newsletter, promo_sms, state_of


def test_states_are_the_overlays_known_values() -> None:
    assert (STATE_CREATED, STATE_DRAFT, STATE_TEST_VALIDATED, STATE_VALIDATED) == (
        np6.ActionState.CREATED,
        np6.ActionState.DRAFT,
        np6.ActionState.TEST_VALIDATED,
        np6.ActionState.VALIDATED,
    )


def test_a_created_action_is_a_draft_with_content_or_a_bare_one_without(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    email = d.run(client.actions.create(newsletter()))
    sms = d.run(client.actions.create(promo_sms()))
    bare = d.run(client.actions.create(SmsMessageActionRequest(type_="smsMessage", name="Bare")))
    assert email.informations.state == STATE_DRAFT
    assert sms.informations.state == STATE_DRAFT
    assert bare.informations.state == STATE_CREATED
    # The id and creation date are the sandbox's, and GET answers the same action.
    fetched = d.run(client.actions.get(email.id))
    assert fetched.id == email.id
    assert fetched.name == "Newsletter"
    assert fetched.creation_date.tzinfo is not None


def test_each_validation_phase_moves_the_state(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    d.run(client.actions.validate_for_test(action_id, test_segments=[1319]))
    assert d.run(client.actions.get(action_id)).informations.state == STATE_TEST_VALIDATED
    d.run(client.actions.validate_for_production(action_id))
    assert d.run(client.actions.get(action_id)).informations.state == STATE_VALIDATED


def test_validate_runs_both_phases_then_nothing(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    assert d.run(client.actions.validate(action_id, test_segments=[1])) == ("test", "production")
    assert state_of(sandbox, action_id) == STATE_VALIDATED
    assert d.run(client.actions.validate(action_id, test_segments=[1])) == ()
    assert d.recording is not None
    assert d.recording.statuses("/validation") == [204, 204]


def test_validate_from_the_test_state_runs_the_production_phase_only(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    d.run(client.actions.validate_for_test(action_id, test_segments=[1]))
    assert d.run(client.actions.validate(action_id, test_segments=[1])) == ("production",)
    assert state_of(sandbox, action_id) == STATE_VALIDATED


def test_phases_out_of_order_conflict(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    error = d.raises(lambda: client.actions.validate_for_production(action_id))
    assert isinstance(error, np6.ConflictError)
    assert state_of(sandbox, action_id) == STATE_DRAFT
    d.run(client.actions.validate_for_test(action_id, test_segments=[1]))
    assert isinstance(
        d.raises(lambda: client.actions.validate_for_test(action_id, test_segments=[1])), np6.ConflictError
    )
    assert state_of(sandbox, action_id) == STATE_TEST_VALIDATED


def _validated(d: Driver, client: Any, *, production: bool) -> str:
    """A new newsletter validated for test (state 38), and for production too (state 50) when `production`."""
    action_id = str(d.run(client.actions.create(newsletter())).id)
    d.run(client.actions.validate_for_test(action_id, test_segments=[1]))
    if production:
        d.run(client.actions.validate_for_production(action_id))
    return action_id


@pytest.mark.parametrize("production", [False, True], ids=["from-38", "from-50"])
def test_unvalidate_returns_to_draft_and_conflicts_when_repeated(sandbox: Sandbox, d: Driver, production: bool) -> None:
    client = d.client(sandbox)
    action_id = _validated(d, client, production=production)
    d.run(client.actions.unvalidate(action_id))
    assert state_of(sandbox, action_id) == STATE_DRAFT
    error = d.raises(lambda: client.actions.unvalidate(action_id))
    assert isinstance(error, np6.ConflictError)
    assert error.body == b""


def test_drafts_can_be_updated_and_their_state_follows_the_content(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action = d.run(client.actions.create(SmsMessageActionRequest(type_="smsMessage", name="Bare")))
    assert action.informations.state == STATE_CREATED
    updated = d.run(client.actions.update(action.id, promo_sms("Filled")))
    assert (updated.id, updated.name, updated.informations.state) == (action.id, "Filled", STATE_DRAFT)
    assert updated.creation_date == action.creation_date
    emptied = d.run(client.actions.update(action.id, SmsMessageActionRequest(type_="smsMessage", name="Empty again")))
    assert emptied.informations.state == STATE_CREATED
    assert sandbox.actions.get(action.id)["name"] == "Empty again"


@pytest.mark.parametrize("production", [False, True], ids=["state-38", "state-50"])
def test_validated_actions_refuse_update_and_delete(sandbox: Sandbox, d: Driver, production: bool) -> None:
    client = d.client(sandbox)
    action_id = _validated(d, client, production=production)
    before = sandbox.actions.get(action_id)
    assert isinstance(d.raises(lambda: client.actions.update(action_id, newsletter("Changed"))), np6.ConflictError)
    assert isinstance(d.raises(lambda: client.actions.delete(action_id)), np6.ConflictError)
    assert sandbox.actions.get(action_id) == before
    # Unvalidating is the way back to an editable draft.
    d.run(client.actions.unvalidate(action_id))
    assert d.run(client.actions.update(action_id, newsletter("Changed"))).name == "Changed"


def test_an_update_cannot_change_the_action_type(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    assert isinstance(d.raises(lambda: client.actions.update(action_id, promo_sms())), np6.ConflictError)
    assert sandbox.actions.get(action_id)["type"] == "mailMessage"


def test_delete_then_get_is_not_found(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    d.run(client.actions.delete(action_id))
    error = d.raises(lambda: client.actions.get(action_id))
    assert isinstance(error, np6.NotFoundError)
    assert UUID.match(error.request_id or "")
    assert len(sandbox.actions) == 0


def test_duplicate_names_the_copy_and_starts_it_over(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    source = d.run(client.actions.create(newsletter()))
    d.run(client.actions.validate(source.id, test_segments=[1]))
    first = d.run(client.actions.duplicate(source.id, folder=7))
    second = d.run(client.actions.duplicate(source.id))
    assert (first.name, second.name) == ("Newsletter(1)", "Newsletter(2)")
    assert first.id not in (source.id, second.id)
    assert first.informations.state == STATE_CREATED
    assert first.informations.folder == 7
    assert first.content.subject == source.content.subject
    assert state_of(sandbox, source.id) == STATE_VALIDATED


def test_list_filters_on_the_creation_date(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    ids = [d.run(client.actions.create(newsletter(f"N{i}"))).id for i in range(3)]
    hour = dt.timedelta(hours=1)
    now = dt.datetime.now(dt.UTC)
    assert [a.id for a in d.run(client.actions.list())] == ids
    assert [a.id for a in d.run(client.actions.list(created_after=now - hour))] == ids
    assert d.run(client.actions.list(created_after=now + hour)) == []
    assert d.run(client.actions.list(created_before=now - hour)) == []


@pytest.mark.parametrize("phase", ["draft", "test-validated"])
def test_a_send_before_production_validation_is_an_empty_409(sandbox: Sandbox, d: Driver, phase: str) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    if phase == "test-validated":
        d.run(client.actions.validate_for_test(action_id, test_segments=[1]))
    error = d.raises(lambda: client.actions.send(action_id, "alice@example.com"))
    assert isinstance(error, np6.ConflictError)
    assert error.status_code == 409
    assert error.body == b""
    assert UUID.match(error.request_id or "")
    assert error.request_id in str(error)
    assert sandbox.deliveries.count() == 0


def test_send_many_stops_at_the_first_409_and_sends_nothing(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    report = d.run(client.actions.send_many(action_id, [f"user{i}@example.com" for i in range(25)], batch_size=5))
    assert report.counts == {"sent": 0, "rejected": 0, "failed": 25, "unknown": 0}
    assert isinstance(report.stopped_by, np6.ConflictError)
    assert d.recording is not None
    # A 409 would answer every batch alike: one request, the other batches are reported without being sent.
    assert d.recording.statuses("/executions") == [409]
    assert sandbox.deliveries.count() == 0


def test_an_unvalidated_action_cannot_be_sent_again(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    d.run(client.actions.validate(action_id, test_segments=[1]))
    d.run(client.actions.send(action_id, "alice@example.com"))
    d.run(client.actions.unvalidate(action_id))
    assert isinstance(d.raises(lambda: client.actions.send(action_id, "bob@example.com")), np6.ConflictError)
    assert sandbox.deliveries.recipients() == ["alice@example.com"]
