"""A single send either returns NP6's result, or raises an error whose `outcome_unknown` says whether the message may
have been sent: the rule "retry unless outcome_unknown" must be safe whatever the caller catches."""

from __future__ import annotations

import math
from typing import Any

import httpx
import np6
import pytest

from tests.harness import KEY, SUCCESS, Harness, mail_action, resp

ACTION = "000ABC"


def test_every_np6_error_has_outcome_unknown_false_by_default() -> None:
    assert np6.NP6Error().outcome_unknown is False
    assert np6.InvalidInputError("x").outcome_unknown is False
    assert np6.JournalMismatchError("x").outcome_unknown is False


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Service Temporarily Unavailable</body></html>", b"[" * 50_000, b"[1, 2]", b""],
    ids=["html", "nested-too-deep", "wrong-shape", "empty"],
)
def test_a_2xx_that_cannot_be_read_after_a_send_is_an_unknown_outcome(h: Harness, body: bytes) -> None:
    client = h.client(resp(200, content=body, headers={"x-request-id": "req-1"}))
    error = h.raises(lambda: client.actions.send(ACTION, "a@x.io", channel="email"))
    assert isinstance(error, np6.ResponseParseError)
    assert error.outcome_unknown is True
    assert "may have been sent" in str(error)
    assert h.recorder.count == 1, "an unknown outcome is never retried"


def test_a_2xx_that_cannot_be_read_after_a_legacy_send_is_an_unknown_outcome(h: Harness) -> None:
    client = h.client(resp(200, content=b"<html>oops</html>"))
    error = h.raises(lambda: client.actions.send_to_target(ACTION, "000TGT"))
    assert isinstance(error, np6.ResponseParseError)
    assert error.outcome_unknown is True


def test_a_get_that_cannot_be_read_is_not_an_unknown_outcome(h: Harness) -> None:
    client = h.client(resp(200, content=b"<html>oops</html>"))
    error = h.raises(lambda: client.actions.get(ACTION))
    assert isinstance(error, np6.ResponseParseError)
    assert error.outcome_unknown is False


@pytest.mark.parametrize(
    ("failure", "unknown"),
    [
        (httpx.ReadTimeout, True),
        (httpx.RemoteProtocolError, True),
        (httpx.ReadError, True),
        (httpx.ConnectError, False),
    ],
)
def test_transport_failures_of_a_send_say_whether_it_may_have_been_sent(
    h: Harness, failure: type[Exception], unknown: bool
) -> None:
    client = h.client(*([failure] * 3), resp(200, json_body=SUCCESS), max_retries=2)
    call = lambda: client.actions.send(ACTION, "a@x.io", channel="email")  # noqa: E731
    if unknown:
        error = h.raises(call)
        assert isinstance(error, np6.APIConnectionError)
        assert error.outcome_unknown is True
        assert h.recorder.count == 1
    else:
        error = h.raises(call)  # refused three times: nothing was sent, so it was retried and then raised
        assert error.outcome_unknown is False
        assert h.recorder.count == 3


@pytest.mark.parametrize(
    "data",
    [{"x": math.nan}, {"x": math.inf}, {"x": object()}, {"x": "lone \udc80 surrogate"}],
    ids=["nan", "inf", "object", "surrogate"],
)
def test_a_single_send_that_cannot_be_encoded_is_refused_before_any_request(h: Harness, data: dict[str, Any]) -> None:
    client = h.client(resp(200, json_body=mail_action()), default=resp(200, json_body=SUCCESS))
    error = h.raises(lambda: client.actions.send(ACTION, np6.EmailMessage("a@x.io", data=data)))
    assert isinstance(error, np6.InvalidInputError)
    assert error.outcome_unknown is False
    assert h.recorder.count == 0


def test_a_redirect_after_a_send_is_an_unknown_outcome(h: Harness) -> None:
    # 303 See Other is what a server answers after it processed a POST: not a refusal.
    client = h.client(resp(303, headers={"location": "/elsewhere"}))
    error = h.raises(lambda: client.actions.send(ACTION, "a@x.io", channel="email"))
    assert isinstance(error, np6.APIStatusError)
    assert error.outcome_unknown is True
    assert h.recorder.count == 1


def test_a_send_that_may_have_been_processed_stays_unknown_when_a_retry_is_refused(h: Harness) -> None:
    # Opted in to re-sending unknowns: attempt 1 may have been processed (500), its retry is refused (429).
    client = h.client(resp(500), resp(429, headers={"retry-after": "0"}), resp(429, headers={"retry-after": "0"}))
    client = client.with_options(retry_unknown_sends=True)
    error = h.raises(lambda: client.actions.send(ACTION, "a@x.io", channel="email"))
    assert isinstance(error, np6.RateLimitError)
    assert error.outcome_unknown is True, "the first attempt may have delivered it"


def test_a_server_echoing_the_key_in_an_error_body_does_not_put_it_in_the_error(h: Harness) -> None:
    echoed = f"<pre>POST /actions/{ACTION}/execution\nX-Key: {KEY}\nAccept: application/json</pre>".encode()
    client = h.client(resp(400, content=echoed))
    error = h.raises(lambda: client.actions.send(ACTION, "a@x.io", channel="email"))
    assert isinstance(error, np6.BadRequestError)
    assert KEY not in str(error)
    assert KEY not in repr(error.args)
    assert "X-Key" in str(error), "the rest of the excerpt is kept"
