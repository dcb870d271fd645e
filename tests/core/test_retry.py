"""The retry matrix (which failures are retried for which operations), backoff, server-requested waits, the shared
rate-limit gate, and the logging of attempts; on `np6.Client` and `np6.AsyncClient`, with a fake clock and sleep."""

from __future__ import annotations

import email.utils
import enum
import logging
from collections.abc import Callable
from typing import Any

import httpx
import np6
import pytest
from np6._core import retry as _retry

from tests.harness import SUCCESS, WALL_EPOCH, Harness, Reply, mail_action, resp, sms_action


class Kind(enum.Enum):
    IDEMPOTENT = "idempotent"
    WRITE = "write"
    SEND = "send"


ALL = frozenset(Kind)
IDEMPOTENT_ONLY = frozenset({Kind.IDEMPOTENT})
NONE: frozenset[Kind] = frozenset()
NOT_SENDS = frozenset({Kind.IDEMPOTENT, Kind.WRITE})

# name -> (kind, the call, a successful answer)
Operation = tuple[Kind, Callable[[Any], Any], httpx.Response]
OPERATIONS: dict[str, Operation] = {
    "get": (Kind.IDEMPOTENT, lambda c: c.actions.get("000ABC"), resp(200, json_body=mail_action())),
    "list": (Kind.IDEMPOTENT, lambda c: c.actions.list(), resp(200, json_body=[])),
    "update": (
        Kind.IDEMPOTENT,
        lambda c: c.actions.update("000SMS", np6.sms_action(name="x", text="t")),
        resp(200, json_body=sms_action()),
    ),
    "delete": (Kind.IDEMPOTENT, lambda c: c.actions.delete("000ABC"), resp(204)),
    "render": (
        Kind.IDEMPOTENT,
        lambda c: c.actions.render("000ABC", "a@x.io", channel="email"),
        resp(200, json_body={"type": "success"}),
    ),
    "create": (
        Kind.WRITE,
        lambda c: c.actions.create(np6.sms_action(name="x", text="t")),
        resp(200, json_body=sms_action()),
    ),
    "duplicate": (Kind.WRITE, lambda c: c.actions.duplicate("000ABC"), resp(200, json_body=mail_action())),
    "validate_for_production": (Kind.WRITE, lambda c: c.actions.validate_for_production("000ABC"), resp(204)),
    "send_email": (
        Kind.SEND,
        lambda c: c.actions.send("000ABC", "a@x.io", channel="email"),
        resp(200, json_body=SUCCESS),
    ),
    "send_sms": (
        Kind.SEND,
        lambda c: c.actions.send("000SMS", np6.SmsMessage("+33600000000", text="Hi")),
        resp(200, json_body=SUCCESS),
    ),
    "send_to_target": (Kind.SEND, lambda c: c.actions.send_to_target("000ABC", "000TGT"), resp(204)),
}

# name -> (the failure, the operation kinds that retry it, whether a send's outcome is then unknown)
Failure = tuple[Reply, frozenset[Kind], bool]
FAILURES: dict[str, Failure] = {
    "connect-error": (httpx.ConnectError, ALL, False),
    "connect-timeout": (httpx.ConnectTimeout, ALL, False),
    "pool-timeout": (httpx.PoolTimeout, ALL, False),
    "429": (resp(429), ALL, False),
    "502": (resp(502), NOT_SENDS, True),
    "503": (resp(503), ALL, False),
    "500": (resp(500), IDEMPOTENT_ONLY, True),
    "504": (resp(504), IDEMPOTENT_ONLY, True),
    "520": (resp(520), IDEMPOTENT_ONLY, True),
    "read-timeout": (httpx.ReadTimeout, IDEMPOTENT_ONLY, True),
    "write-timeout": (httpx.WriteTimeout, IDEMPOTENT_ONLY, True),
    "connection-lost": (httpx.RemoteProtocolError, IDEMPOTENT_ONLY, True),
    "read-error": (httpx.ReadError, IDEMPOTENT_ONLY, True),
    "400": (resp(400), NONE, False),
    "401": (resp(401), NONE, False),
    "404": (resp(404), NONE, False),
    "409": (resp(409), NONE, False),
    "413": (resp(413), NONE, False),
    "501": (resp(501), NONE, False),
}


def run_failing(h: Harness, call: Callable[[], Any]) -> np6.NP6Error:
    with pytest.raises(np6.NP6Error) as info:
        h.run(call())
    return info.value


def test_operation_kinds_are_the_library_ones() -> None:
    assert {k.value for k in Kind} == {k.value for k in _retry.OperationKind}


# ---------------------------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("failure_name", FAILURES)
@pytest.mark.parametrize("operation_name", OPERATIONS)
def test_retry_matrix(h: Harness, operation_name: str, failure_name: str) -> None:
    kind, call, success = OPERATIONS[operation_name]
    failure, retried_for, unknown_for_sends = FAILURES[failure_name]
    client = h.client(failure, success, max_retries=2)
    if kind in retried_for:
        h.run(call(client))
        assert h.recorder.count == 2
        assert h.recorder.requests[0].url == h.recorder.requests[1].url
        assert h.recorder.requests[0].content == h.recorder.requests[1].content
        assert len(h.sleeps) == 1
        return
    error = run_failing(h, lambda: call(client))
    assert h.recorder.count == 1
    assert h.sleeps == []
    unknown = kind is Kind.SEND and unknown_for_sends
    assert getattr(error, "outcome_unknown", None) is unknown
    assert ("may have been sent" in str(error)) is unknown


@pytest.mark.parametrize("failure_name", [name for name, (_, _, unknown) in FAILURES.items() if unknown])
@pytest.mark.parametrize("operation_name", OPERATIONS)
def test_unknown_sends_are_retried_only_when_the_user_opts_in(
    h: Harness, operation_name: str, failure_name: str
) -> None:
    kind, call, success = OPERATIONS[operation_name]
    failure, retried_for, _ = FAILURES[failure_name]
    client = h.client(failure, success, max_retries=2, policy={"retry_unknown_sends": True})
    if kind is Kind.WRITE and kind not in retried_for:
        # The opt-in is about sends; a create or a validation that may have happened is still not repeated.
        error = run_failing(h, lambda: call(client))
        assert error.outcome_unknown is False  # type: ignore[attr-defined]
        assert h.recorder.count == 1
    else:
        h.run(call(client))
        assert h.recorder.count == 2


@pytest.mark.parametrize("failure", [resp(500), httpx.ReadTimeout, resp(504)])
def test_with_options_opts_in_for_one_view_only(h: Harness, failure: Reply) -> None:
    client = h.client(failure, resp(200, json_body=SUCCESS), failure)
    daring = client.with_options(retry_unknown_sends=True)
    h.run(daring.actions.send("000ABC", "a@x.io", channel="email"))
    assert h.recorder.count == 2
    error = run_failing(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert error.outcome_unknown is True  # type: ignore[attr-defined]
    assert h.recorder.count == 3
    assert client.retry_policy.retry_unknown_sends is False
    assert daring.retry_policy.retry_unknown_sends is True


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_failure_on_a_send_is_an_unknown_outcome_by_design(h: Harness, status: int) -> None:
    """A 502 or 504 may follow an upstream (NP6) that processed the request and then failed to answer, so on a
    send they are unknown outcomes, never retried; on a GET they are retried. 503 says NP6 did not take it."""
    client = h.client(resp(status, headers={"x-request-id": "gw"}), resp(status), resp(200, json_body=mail_action()))
    error = run_failing(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(error, np6.InternalServerError)
    assert error.outcome_unknown is True
    assert error.request_id == "gw"
    assert "may have been sent" in str(error)
    assert h.recorder.count == 1
    h.run(client.actions.get("000ABC"))
    assert h.recorder.count == 3


def test_a_503_on_a_send_is_retried(h: Harness) -> None:
    client = h.client(resp(503), resp(200, json_body=SUCCESS))
    result = h.run(client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(result, np6.models.ExecutionSuccess)
    assert h.recorder.count == 2


# ------------------------------------------------------------------------------------------ attempt count


@pytest.mark.parametrize("max_retries", [0, 1, 3])
@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        (resp(503), np6.InternalServerError),
        (httpx.ConnectError, np6.APIConnectionError),
        (resp(429), np6.RateLimitError),
    ],
    ids=["503", "connect", "429"],
)
def test_attempts_are_max_retries_plus_one(
    h: Harness, max_retries: int, failure: Reply, error_type: type[np6.NP6Error]
) -> None:
    client = h.client(default=failure, max_retries=max_retries)
    error = run_failing(h, lambda: client.actions.get("000ABC"))
    assert type(error) is error_type
    assert h.recorder.count == max_retries + 1
    # A sleep before each retry (plus, after the last 429, the gate's wait is for the *next* call).
    assert len(h.sleeps) == max_retries
    assert client.max_retries == max_retries


def test_max_retries_zero_disables_retrying(h: Harness) -> None:
    client = h.client(default=resp(503), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    assert h.recorder.count == 1
    assert h.sleeps == []


def test_with_options_changes_the_attempts_of_its_view_only(h: Harness) -> None:
    client = h.client(default=resp(502), max_retries=3)
    run_failing(h, lambda: client.with_options(max_retries=0).actions.get("000ABC"))
    assert h.recorder.count == 1
    run_failing(h, lambda: client.actions.get("000ABC"))
    assert h.recorder.count == 1 + 4
    assert client.max_retries == 3


def test_the_client_max_retries_argument(h: Harness) -> None:
    for max_retries in (0, 5):
        client_cls = np6.AsyncClient if h.is_async else np6.Client
        client = client_cls("k", max_retries=max_retries)
        assert client.max_retries == max_retries == client.retry_policy.max_retries
        h.run(client.aclose() if h.is_async else client.close())  # type: ignore[union-attr]
    assert np6.DEFAULT_MAX_RETRIES == 2
    assert np6.RetryPolicy().max_retries == 2


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_bad_max_retries_is_refused(h: Harness, bad: Any) -> None:
    client_cls = np6.AsyncClient if h.is_async else np6.Client
    with pytest.raises(np6.InvalidInputError, match="max_retries"):
        client_cls("k", max_retries=bad)
    client = h.client()
    with pytest.raises(np6.InvalidInputError):
        client.with_options(max_retries=-1)


def test_max_retries_and_retry_policy_together_are_refused(h: Harness) -> None:
    client_cls = np6.AsyncClient if h.is_async else np6.Client
    with pytest.raises(np6.InvalidInputError, match="not both"):
        client_cls("k", max_retries=4, retry_policy=np6.RetryPolicy())


# ------------------------------------------------------------------------------------------------ backoff


@pytest.mark.parametrize(
    ("jitter", "expected"),
    [
        (0.5, [0.375, 0.75, 1.5, 3.0, 3.0, 3.0]),
        (0.0, [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]),
        (1.0, [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]),
    ],
)
def test_backoff_is_exponential_with_jitter_and_a_cap(h: Harness, jitter: float, expected: list[float]) -> None:
    h.time.jitter_value = jitter
    client = h.client(default=resp(503), max_retries=6, policy={"backoff_base": 0.5, "backoff_max": 4.0})
    run_failing(h, lambda: client.actions.get("000ABC"))
    assert h.sleeps == pytest.approx(expected)
    # Sleeps happen between attempts, never before the first or after the last.
    kinds = [event[0] for event in h.events]
    assert kinds == ["request"] + ["sleep", "request"] * 6


def test_default_backoff_policy() -> None:
    policy = np6.RetryPolicy(jitter=lambda: 1.0)
    assert [policy.backoff(retry) for retry in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert (policy.max_wait, policy.retry_unknown_sends) == (60.0, False)


def test_real_jitter_stays_between_half_and_all_of_the_delay() -> None:
    policy = np6.RetryPolicy(backoff_base=1.0, backoff_max=10.0)
    for retry in range(6):
        ceiling = min(10.0, 2.0**retry)
        delays = {policy.backoff(retry) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # it is random


# --------------------------------------------------------------------------------- server-requested waits


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "date+5"}, 5.0),
        ({"x-ratelimit-reset": "4"}, 4.0),
        ({"x-ratelimit-reset": "epoch+6"}, 6.0),
        ({"x-ratelimit-reset": "epoch-ms+7"}, 7.0),
        ({"retry-after": "2", "x-ratelimit-reset": "9"}, 2.0),  # Retry-After first
        ({"retry-after": "soon"}, 0.375),  # unreadable: the backoff
        ({}, 0.375),
    ],
)
def test_429_waits_what_the_server_asks(h: Harness, headers: dict[str, str], expected: float) -> None:
    now = WALL_EPOCH + h.time.now
    placeholders = {
        "date+5": email.utils.formatdate(now + 5, usegmt=True),
        "epoch+6": str(int(now + 6)),
        "epoch-ms+7": str(int((now + 7) * 1000)),
    }
    resolved = {name: placeholders.get(value, value) for name, value in headers.items()}
    client = h.client(resp(429, headers=resolved), resp(200, json_body=mail_action()))
    h.run(client.actions.get("000ABC"))
    assert h.sleeps == pytest.approx([expected])
    assert h.recorder.count == 2


@pytest.mark.parametrize("status", [502, 503])
def test_retry_after_is_honoured_on_gateway_errors(h: Harness, status: int) -> None:
    client = h.client(resp(status, headers={"retry-after": "4"}), resp(204))
    h.run(client.actions.delete("000ABC"))
    assert h.sleeps == [4.0]


def test_retry_after_is_honoured_on_a_retried_500(h: Harness) -> None:
    client = h.client(resp(500, headers={"retry-after": "6"}), resp(200, json_body=mail_action()))
    h.run(client.actions.get("000ABC"))
    assert h.sleeps == [6.0]


def test_a_wait_longer_than_max_wait_raises_at_once(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "120"}), max_retries=5)
    error = run_failing(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.RateLimitError)
    assert error.retry_after == 120.0
    assert h.recorder.count == 1
    assert h.sleeps == []


def test_max_wait_is_the_cap(h: Harness) -> None:
    client = h.client(
        resp(429, headers={"retry-after": "10"}),
        resp(503, headers={"x-ratelimit-reset": "11"}),
        resp(200, json_body=mail_action()),
        policy={"max_wait": 10.0},
    )
    with pytest.raises(np6.InternalServerError):
        h.run(client.actions.get("000ABC"))
    assert h.sleeps == [10.0]  # 10 s is within the cap, 11 s is not
    assert h.recorder.count == 2


def test_with_options_raises_max_wait(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "120"}), resp(200, json_body=mail_action()))
    h.run(client.with_options(max_wait=300).actions.get("000ABC"))
    assert h.sleeps == [120.0]


# -------------------------------------------------------------------------------------- rate-limit gate


def test_a_429_slows_the_next_call_of_the_same_client(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "5"}), resp(200, json_body=mail_action()), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    assert h.sleeps == []
    h.run(client.actions.get("000ABC"))
    assert h.events == [
        ("request", "GET", "/actions/000ABC"),
        ("sleep", 5.0),
        ("request", "GET", "/actions/000ABC"),
    ]


def test_the_gate_waits_no_longer_than_max_wait(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "500"}), resp(204), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    h.run(client.actions.delete("000ABC"))
    assert h.sleeps == [60.0]


def test_a_429_without_headers_closes_the_gate_for_a_backoff(h: Harness) -> None:
    client = h.client(resp(429), resp(204), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    h.run(client.actions.delete("000ABC"))
    assert h.sleeps == [0.375]


def test_a_retried_429_sleeps_once(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "2"}), default=resp(200, json_body=mail_action()))
    h.run(client.actions.get("000ABC"))
    h.run(client.actions.get("000ABC"))
    assert h.sleeps == [2.0]


def test_the_gate_is_shared_by_with_options_views_and_every_operation(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "3"}), resp(200, json_body=SUCCESS), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    h.run(client.with_options(max_retries=4).actions.send("000ABC", "a@x.io", channel="email"))
    assert h.sleeps == [3.0]


def test_the_gate_opens_once_the_time_has_passed(h: Harness) -> None:
    client = h.client(resp(429, headers={"retry-after": "5"}), resp(204), max_retries=0)
    run_failing(h, lambda: client.actions.get("000ABC"))
    h.time.now += 5.0
    h.run(client.actions.delete("000ABC"))
    assert h.sleeps == []


def test_the_gate_is_per_client(h: Harness) -> None:
    first = h.client(resp(429, headers={"retry-after": "5"}), max_retries=0)
    run_failing(h, lambda: first.actions.get("000ABC"))
    second = h.client(resp(204))
    h.run(second.actions.delete("000ABC"))
    assert h.sleeps == []


@pytest.mark.parametrize(("remaining", "expected"), [("0", [3.0]), ("1", [])])
def test_an_exhausted_window_slows_the_next_call(h: Harness, remaining: str, expected: list[float]) -> None:
    headers = {"x-ratelimit-limit": "10", "x-ratelimit-remaining": remaining, "x-ratelimit-reset": "3"}
    client = h.client(resp(200, json_body=mail_action(), headers=headers), resp(204))
    h.run(client.actions.get("000ABC"))
    h.run(client.actions.delete("000ABC"))
    assert h.sleeps == expected


# ------------------------------------------------------------------------------------------------ logging


def test_the_request_id_of_every_attempt_is_logged(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="np6")
    client = h.client(
        resp(503, headers={"x-request-id": "rid-1"}),
        resp(429, headers={"x-request-id": "rid-2"}),
        resp(200, json_body=mail_action(), headers={"x-request-id": "rid-3"}),
    )
    h.run(client.actions.get("000ABC"))
    messages = [r.getMessage() for r in caplog.records if r.name == "np6"]
    for attempt, request_id in enumerate(["rid-1", "rid-2", "rid-3"], start=1):
        assert any(f"attempt={attempt}" in m for m in messages), attempt
        assert any(f"request_id={request_id}" in m for m in messages), request_id
    retries = [r for r in caplog.records if r.name == "np6" and r.levelno == logging.INFO]
    assert len(retries) == 2
    assert "retrying GET /actions/000ABC" in retries[0].getMessage()
    assert "rid-1" in retries[0].getMessage()
    assert "rid-2" in retries[1].getMessage()


def test_retries_are_logged_at_info_without_debug(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="np6")
    client = h.client(httpx.ConnectError, resp(204))
    h.run(client.actions.delete("000ABC"))
    (record,) = [r for r in caplog.records if r.name == "np6"]
    assert record.levelno == logging.INFO
    assert "retrying DELETE /actions/000ABC in 0.38 s" in record.getMessage()
    assert "ConnectError" in record.getMessage()


# ---------------------------------------------------------------------------------------------- send_many


@pytest.mark.parametrize(
    ("failure", "attempts", "outcome"),
    [
        (resp(503), 2, "sent"),
        (httpx.ConnectError, 2, "sent"),
        (resp(500), 1, "unknown"),
        (httpx.ReadTimeout, 1, "unknown"),
    ],
    ids=["503", "connect", "500", "read-timeout"],
)
def test_batch_sends_follow_the_same_rules(h: Harness, failure: Reply, attempts: int, outcome: str) -> None:
    results = [{"type": "success", "id": "M1"}, {"type": "success", "id": "M2"}]
    client = h.client(failure, resp(200, json_body=results))
    report = h.run(client.actions.send_many("000ABC", ["a@x.io", "b@x.io"], channel="email"))
    assert h.recorder.count == attempts
    assert all(call == ("POST", "/actions/000ABC/executions") for call in h.recorder.calls)
    assert report.counts[outcome] == 2


@pytest.mark.parametrize(
    "options",
    [
        {"retry_unknown_sends": "no"},
        {"retry_unknown_sends": 1},
        {"max_wait": "5"},
        {"max_wait": -1},
        {"max_retries": True},
        {"max_retries": 2.5},
    ],
)
def test_retry_settings_of_the_wrong_type_are_refused(options: dict[str, Any]) -> None:
    # A truthy string for retry_unknown_sends would turn on re-sending messages whose outcome is unknown.
    with pytest.raises(np6.InvalidInputError):
        np6.RetryPolicy(**options)
    client = np6.Client("k", base_url="http://127.0.0.1")
    with pytest.raises(np6.InvalidInputError):
        client.with_options(**options)
    client.close()


def test_a_retry_policy_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(np6.InvalidInputError, match="RetryPolicy"):
        np6.Client("k", base_url="http://127.0.0.1", retry_policy="fast")  # type: ignore[arg-type]
