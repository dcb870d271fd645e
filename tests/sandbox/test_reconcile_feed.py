"""What the sandbox adds for reconcile: an error fault that hits after the request was processed, and an event
feed that records events late (`sandbox.events.lag`)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import np6
from np6.sandbox import EventLog, Fault, Sandbox

from tests.sandbox.support import EMAIL_TYPE, raw, validated_action
from tests.sending.reconcile.support import activation

BODY = b'[{"recipient":{"type":"unicity","value":["alice@example.com"]}}]'


def _send(sandbox: Sandbox, action_id: str) -> httpx.Response:
    with raw(sandbox) as http:
        return http.post(f"/actions/{action_id}/executions", content=BODY, headers={"Content-Type": EMAIL_TYPE})


def test_an_error_after_processing_answers_the_error_and_keeps_what_was_sent(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    sandbox.faults.add(Fault.error(504, after_processing=True, operation="send_messages"))
    response = _send(sandbox, action_id)
    assert response.status_code == 504
    assert response.content == b""
    assert sandbox.deliveries.recipients() == ["alice@example.com"]
    assert [event["type"] for event in sandbox.events.all()] == ["activation"]


def test_an_error_fault_still_answers_before_processing_by_default(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    fault = Fault.error(500, operation="send_messages")
    assert fault.after_processing is False
    assert Fault("error", 500).after_processing is False
    assert Fault.drop().after_processing is True
    assert Fault("drop").after_processing is True
    sandbox.faults.add(fault)
    assert _send(sandbox, action_id).status_code == 500
    assert sandbox.deliveries.count() == 0
    assert sandbox.events.all() == []


def test_error_faults_after_processing_travel_as_json() -> None:
    late = Fault.error(500, after_processing=True, operation="send_messages")
    assert late.to_json()["after_processing"] is True
    assert Fault.from_json(late.to_json()) == late
    assert Fault.from_json({"kind": "error", "status": 502}).after_processing is False
    assert Fault.from_json({"kind": "drop"}).after_processing is True


def test_the_event_log_answers_an_event_once_its_lag_has_passed() -> None:
    now = [100.0]
    log = EventLog(threading.RLock(), clock=lambda: now[0])
    log.lag = 2.0
    late: dict[str, Any] = activation("000ACT", "alice@example.com", 5_000, message_id="m1", event_id="e1")
    log.add(late)
    assert log.query() == []
    assert len(log) == 1
    assert log.all() == [late]
    now[0] = 101.9
    assert log.query() == []
    now[0] = 102.0
    assert [event["id"] for event in log.query(0, 10_000)] == ["e1"]
    log.lag = 0.0
    log.add(activation("000ACT", "bob@example.com", 4_000, message_id="m2", event_id="e2"))
    assert [event["id"] for event in log.query()] == ["e2", "e1"]  # still in timestamp order
    log.clear()
    assert log.query() == []


def test_a_client_polls_late_events_in_the_window_they_belong_to(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    sandbox.events.lag = 60.0
    with sandbox.client(max_retries=0) as client:
        client.actions.send(action_id, "alice@example.com")
        assert list(client.events.iter(0, 2**41, action_id=action_id)) == []
        sandbox.events.lag = 0.0
        assert sandbox.events.query() == []  # the lag of an event is set when it is recorded
    assert isinstance(np6.Event.from_json(sandbox.events.all()[0]), np6.ActivationEvent)
