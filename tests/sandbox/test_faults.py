"""Rehearsing failures: rate limits, scripted and random faults, dropped connections. What matters is what the
overlay concludes (retried, failed, unknown) and whether the sandbox recorded the messages."""

from __future__ import annotations

import time
from typing import Any

import httpx
import np6
import pytest
from np6.sandbox import Fault, RateLimit, Sandbox

from tests.sandbox.support import KEY, Clock, Driver, raw, stored_action, validated_action

# ------------------------------------------------------------------------------------------------- rate limit


def test_beyond_the_limit_the_answer_is_429_with_the_rate_limit_headers() -> None:
    sandbox = Sandbox(api_key=KEY, api_keys=["other-key"], rate_limit=RateLimit(requests=2, window=60))
    with raw(sandbox) as http:
        first, second, third = (http.get("/actions") for _ in range(3))
        admin = http.get("/_sandbox/deliveries")
        other_key = http.get("/actions", headers={"X-Key": "other-key"})
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 429]
    assert [r.headers["x-ratelimit-remaining"] for r in (first, second, third)] == ["1", "0", "0"]
    assert {r.headers["x-ratelimit-limit"] for r in (first, second, third)} == {"2"}
    assert third.content == b""
    assert 0 < int(third.headers["x-ratelimit-reset"]) <= 60
    assert int(third.headers["retry-after"]) >= 1
    assert third.headers["x-request-id"]
    # Sandbox endpoints are never limited, and each key has its own window.
    assert admin.status_code == 200
    assert (other_key.status_code, other_key.headers["x-ratelimit-remaining"]) == (200, "1")
    sandbox.reset()
    with raw(sandbox) as http:
        assert http.get("/actions").status_code == 200
    assert sandbox.mismatches == []


def test_a_shared_window_counts_every_key() -> None:
    sandbox = Sandbox(api_key=KEY, api_keys=["other-key"], rate_limit=RateLimit(requests=1, window=60, per_key=False))
    with raw(sandbox) as http:
        assert http.get("/actions").status_code == 200
        assert http.get("/actions", headers={"X-Key": "other-key"}).status_code == 429


def test_the_overlay_waits_out_a_429_and_succeeds(d: Driver) -> None:
    window = 0.5
    sandbox = Sandbox(api_key=KEY, rate_limit=RateLimit(requests=2, window=window))
    action_id = stored_action(sandbox)
    clock = Clock(real_cap=window + 0.05)
    client = d.client(sandbox, clock=clock)
    actions = client.actions  # loaded before the window fills: the request must follow within `window` seconds
    with raw(sandbox) as http:
        assert [http.get("/actions").status_code for _ in range(2)] == [200, 200]
    action = d.run(actions.get(action_id))
    assert action.id == action_id
    assert d.recording is not None
    assert d.recording.statuses() == [429, 200]
    # It waited what the 429 asked (Retry-After), nothing more.
    assert clock.sleeps == [1.0]


def test_concurrent_batches_under_a_rate_limit_all_arrive_once() -> None:
    window = 0.1
    sandbox = Sandbox(api_key=KEY, rate_limit=RateLimit(requests=3, window=window))
    action_id = stored_action(sandbox)
    driver = Driver("async")
    try:
        client = driver.client(sandbox, clock=Clock(real_cap=window * 1.2), max_retries=10)
        recipients = [f"user{i}@example.com" for i in range(100)]
        report = driver.run(client.actions.send_many(action_id, recipients, batch_size=10, concurrency=4))
    finally:
        driver.close()
    assert report.ok
    assert driver.recording is not None
    statuses = driver.recording.statuses("/executions")
    assert 429 in statuses
    assert statuses.count(200) == 10
    assert sorted(sandbox.deliveries.recipients()) == sorted(recipients)
    assert sandbox.deliveries.duplicates() == {}


# ------------------------------------------------------------------------------------------------ error faults
def test_a_503_once_is_retried(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.error(503, operation="get_action"))
    assert d.run(client.actions.get(action_id)).id == action_id
    assert d.recording is not None
    assert d.recording.statuses() == [503, 200]
    assert len(d.clock.sleeps) == 1
    assert sandbox.faults.pending() == []
    assert [fault for _, fault in sandbox.faults.fired] == [Fault.error(503, operation="get_action")]


def test_a_503_on_a_batch_is_retried_without_sending_twice(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.error(503, operation="send_messages"))
    recipients = [f"user{i}@example.com" for i in range(12)]
    report = d.run(client.actions.send_many(action_id, recipients, batch_size=6))
    assert report.ok
    assert d.recording is not None
    assert d.recording.statuses("/executions") == [503, 200, 200]
    assert sandbox.deliveries.recipients() == recipients
    assert sandbox.deliveries.duplicates() == {}


def test_retries_give_up_after_max_retries(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox, max_retries=2)
    sandbox.faults.add(Fault.error(502, operation="get_action"), times=3)
    error = d.raises(lambda: client.actions.get(action_id))
    assert isinstance(error, np6.InternalServerError)
    assert error.status_code == 502
    assert d.recording is not None
    assert d.recording.statuses() == [502, 502, 502]


def test_a_500_on_a_send_is_not_retried(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.error(500, operation="send_message"))
    error = d.raises(lambda: client.actions.send(action_id, "alice@example.com"))
    assert isinstance(error, np6.InternalServerError)
    # NP6 could have processed it: the overlay must not send it again on its own.
    assert error.outcome_unknown
    assert d.recording is not None
    assert d.recording.statuses("/execution") == [500]
    # An error fault answers before processing: nothing was delivered.
    assert sandbox.deliveries.count() == 0


# ------------------------------------------------------------------------------------------------ dropped answers
def _dropped_send(sandbox: Sandbox, d: Driver, *, after_processing: bool) -> Any:
    """What a send to alice raises when its connection drops (after or before the sandbox processed it): an
    APIConnectionError with an unknown outcome, whichever it was."""
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.drop(after_processing=after_processing, operation="send_message"))
    error = d.raises(lambda: client.actions.send(action_id, "alice@example.com"))
    assert isinstance(error, np6.APIConnectionError)
    assert error.outcome_unknown
    return error


def test_a_send_dropped_after_processing_is_unknown_and_was_delivered(sandbox: Sandbox, d: Driver) -> None:
    error = _dropped_send(sandbox, d, after_processing=True)
    assert "unknown" in str(error)
    assert d.recording is not None
    assert d.recording.statuses("/execution") == ["RemoteProtocolError"]
    assert sandbox.deliveries.recipients() == ["alice@example.com"]


def test_a_batch_dropped_after_processing_is_reported_unknown(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.drop(operation="send_messages"))
    recipients = [f"user{i}@example.com" for i in range(15)]
    report = d.run(client.actions.send_many(action_id, recipients, batch_size=5))
    assert report.counts == {"sent": 10, "rejected": 0, "failed": 0, "unknown": 5}
    assert [item.index for item in report.outcomes(np6.Outcome.UNKNOWN)] == [0, 1, 2, 3, 4]
    assert report.retryable() == []
    assert "unknown" in (report[0].reason or "")
    # The sandbox processed the dropped batch: every message was delivered, once.
    assert sandbox.deliveries.recipients() == recipients
    assert sandbox.deliveries.duplicates() == {}


def test_a_get_dropped_before_processing_is_retried(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.drop(after_processing=False, operation="get_action"))
    assert d.run(client.actions.get(action_id)).id == action_id
    assert d.recording is not None
    assert d.recording.statuses() == ["RemoteProtocolError", 200]


def test_a_send_dropped_before_processing_is_unknown_to_the_client_but_not_delivered(
    sandbox: Sandbox, d: Driver
) -> None:
    # Both drops look alike on the wire; only the sandbox knows that this one never went through.
    _dropped_send(sandbox, d, after_processing=False)
    assert sandbox.deliveries.count() == 0


# ---------------------------------------------------------------------------------------- the fault queue
def test_faults_apply_to_the_first_matching_request_in_order(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    sandbox.faults.add(
        Fault.error(502, method="DELETE"),
        Fault.error(504, path=r"/export/"),
        Fault.error(500, when=lambda info: info.operation_id == "get_action" and info.sequence % 2 == 0),
    )
    sandbox.faults.add(Fault.error(503, operation="list_actions"), times=2)
    with raw(sandbox) as http:
        assert http.get("/actions").status_code == 503
        assert http.get(f"/actions/{action_id}/export/tracking/opens").status_code == 504
        assert http.get(f"/actions/{action_id}/export/tracking/clicks").status_code == 204
        assert http.request("DELETE", f"/actions/{action_id}/validation", json={}).status_code == 502
        assert sandbox.actions.get(action_id)["informations"]["state"] == 50
        assert len(sandbox.faults.pending()) == 2
        statuses = [http.get(f"/actions/{action_id}").status_code for _ in range(2)]
        assert sorted(statuses) == [200, 500]
        assert http.get("/actions").status_code == 503
        assert http.get("/actions").status_code == 200
    assert sandbox.faults.pending() == []


def test_a_slow_answer_is_held_back() -> None:
    sandbox = Sandbox(api_key=KEY)
    sandbox.faults.add(Fault.slow(0.05))
    with raw(sandbox) as http:
        started = time.perf_counter()
        assert http.get("/actions").status_code == 200
        assert time.perf_counter() - started >= 0.05


def test_random_faults_are_reproducible_with_a_seed() -> None:
    def statuses() -> list[int]:
        sandbox = Sandbox(api_key=KEY, error_rate=0.3, drop_rate=0.2, seed=7)
        found = []
        with raw(sandbox) as http:
            for _ in range(30):
                try:
                    found.append(http.get("/actions").status_code)
                except httpx.RemoteProtocolError:
                    found.append(0)
        assert sandbox.mismatches == []
        return found

    first = statuses()
    assert first == statuses()
    assert {0, 200} <= set(first)
    assert set(first) - {0, 200} <= {500, 502, 503}
    assert set(first) != {0, 200}


@pytest.mark.parametrize("fault", [Fault.error(503), Fault.drop(), Fault.slow(1.0)], ids=["error", "drop", "slow"])
def test_sandbox_endpoints_are_never_faulted(fault: Fault) -> None:
    sandbox = Sandbox(api_key=KEY)
    sandbox.faults.add(fault)
    with raw(sandbox) as http:
        assert http.get("/_sandbox/deliveries").json() == {"count": 0, "deliveries": []}
    assert sandbox.faults.pending() == [fault]


def test_reset_forgets_everything(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    with sandbox.client() as client:
        client.actions.send(action_id, "alice@example.com")
    sandbox.faults.add(Fault.error(503))
    sandbox.reset()
    assert (len(sandbox.actions), len(sandbox.contacts), sandbox.deliveries.count()) == (0, 0, 0)
    assert sandbox.faults.pending() == []
