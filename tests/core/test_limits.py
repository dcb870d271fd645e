"""`np6.Limits`: checked when built, and what each limit does to a send before any request (message size) and to
the answer (its size; the hostile-server cases are in test_hostile_answers.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import np6
import pytest

from tests.harness import mail_action

BIG = "x" * (2 * 1024 * 1024) + "@example.com"


class Recording:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "GET":
            return httpx.Response(200, json=mail_action("000ABC", state=50))
        count = len(json.loads(request.content)) if request.url.path.endswith("executions") else 1
        results = [{"type": "success", "id": f"M{i}"} for i in range(count)]
        return httpx.Response(200, json=results if count > 1 or "executions" in request.url.path else results[0])


@pytest.mark.parametrize(
    "options",
    [
        {"max_response_bytes": 0},
        {"max_response_bytes": -1},
        {"max_response_bytes": 1.5},
        {"max_response_bytes": True},
        {"attempt_deadline": 0},
        {"attempt_deadline": float("nan")},
        {"attempt_deadline": float("inf")},
        {"attempt_deadline": "10"},
        {"max_message_bytes": 0},
        {"max_message_bytes": None},
    ],
)
def test_limits_refuse_values_that_are_not_positive_numbers(options: dict[str, Any]) -> None:
    with pytest.raises(np6.InvalidInputError, match="Limits"):
        np6.Limits(**options)


def test_a_client_refuses_limits_that_are_not_limits() -> None:
    with pytest.raises(np6.InvalidInputError, match=r"np6\.Limits"):
        np6.Client("k", limits={"max_response_bytes": 10})  # type: ignore[arg-type]


def test_the_defaults_are_documented_ones() -> None:
    limits = np6.Limits()
    assert (limits.max_response_bytes, limits.attempt_deadline, limits.max_message_bytes) == (16 << 20, 120.0, 1 << 20)
    assert np6.Client("k").limits == limits


def test_a_single_send_over_the_message_limit_is_refused_before_any_request() -> None:
    transport = Recording()
    with (
        np6.Client("k", transport=httpx.MockTransport(transport)) as client,
        pytest.raises(np6.InvalidInputError, match="max_message_bytes"),
    ):
        client.actions.send("000ABC", BIG, channel=np6.Channel.EMAIL)
    small = np6.Limits(max_message_bytes=100)
    with (
        np6.Client("k", transport=httpx.MockTransport(transport), limits=small) as client,
        pytest.raises(np6.InvalidInputError, match="max_message_bytes"),
    ):
        client.actions.send("000ABC", np6.EmailMessage("a@example.com", subject="s" * 200))
    assert transport.requests == []


@pytest.mark.parametrize("big", [BIG, np6.EmailMessage("b@example.com", html="<p>" + "x" * (2 << 20) + "</p>")])
def test_send_many_rejects_a_message_over_the_limit_and_sends_the_others(big: Any) -> None:
    transport = Recording()
    with np6.Client("k", transport=httpx.MockTransport(transport)) as client:
        report = client.actions.send_many("000ABC", ["a@example.com", big, "c@example.com"])
    assert [outcome.outcome for outcome in report] == [np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.SENT]
    assert "max_message_bytes" in (report[1].reason or "")
    (send,) = [r for r in transport.requests if r.method == "POST"]
    assert len(send.content) < 1000
    assert len(json.loads(send.content)) == 2


def test_the_answer_to_a_send_is_held_to_what_its_messages_justify() -> None:
    padding = "p" * 200_000  # 200 kB for one message: over 64 KiB + 4 KiB

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=mail_action("000ABC", state=50))
        return httpx.Response(200, json=[{"type": "success", "id": "M1", "padding": padding}])

    with np6.Client("k", transport=httpx.MockTransport(answer)) as client:
        report = client.actions.send_many("000ABC", ["a@example.com"])
        outcome = report[0]
        assert outcome.outcome is np6.Outcome.UNKNOWN
        assert "larger than" in (outcome.reason or "")
        # A read of the same size is within the general limit.
        got = client.with_response(client.actions.get)("000ABC")
        assert got.status_code == 200


def test_a_single_send_over_the_limit_costs_not_even_the_channel_lookup() -> None:
    transport = Recording()
    with (
        np6.Client("k", transport=httpx.MockTransport(transport)) as client,
        pytest.raises(np6.InvalidInputError, match="max_message_bytes"),
    ):
        client.actions.send("000ABC", BIG)  # no channel given: the action would have to be looked up first
    assert transport.requests == []
