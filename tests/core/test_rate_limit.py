"""Rate-limit headers from the network: 0 means "now", and a value that cannot be trusted (not a number, negative,
infinite, absurdly large) is ignored, logged at DEBUG, and never raises: the retry falls back to its backoff.

Unit tests of `RateLimitInfo` / `retry_after_seconds` / the gate, then end to end through `np6.Client` and
`np6.AsyncClient` (the `h` fixture runs each test with both) for a send, a batch send and a GET.
"""

from __future__ import annotations

import email.utils
import logging
import math
from typing import Any

import httpx
import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from np6._core.rate_limit import LONGEST_PLAUSIBLE_WAIT, RateLimitGate, retry_after_seconds

from tests.harness import SUCCESS, WALL_EPOCH, Harness, mail_action, resp

NOW = 1_700_000_000.0
BASE_URL = "http://127.0.0.1"
# FakeTime's jitter is 0.5: the first backoff is 0.5 s x (0.5 + 0.5 x 0.5).
FIRST_BACKOFF = 0.375

# Values no header may make the client trust (or raise on).
ABSURD = [
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "1e400",  # float() says inf; int(float()) raised OverflowError out of a send
    "1e3",  # exponents are not delay-seconds
    "-1",
    "-0.5",
    "+5",
    "9" * 400,  # a huge integer: inf as a float
    "9" * 5000,  # past int()'s digit limit too
    "99999999999999999999",  # finite, but an epoch in ms thousands of years ahead
    "garbage",
    "",
    "   ",
    "0x10",
    "1_000",  # float() accepts the underscore
    "\u0663",  # ARABIC-INDIC DIGIT THREE: float() accepts it, HTTP does not
    "5, 5",  # two headers joined by a comma
    "Fri, 31 Dec 9999 23:59:59 GMT",  # a date eight thousand years ahead
]


def ignored_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "np6" and r.levelno == logging.DEBUG]


# --------------------------------------------------------------------------------------------- zero is now


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"retry-after": "0.0"},
        {"retry-after": " 0 "},
        {"x-ratelimit-reset": "0"},
        {"retry-after": email.utils.formatdate(NOW - 30, usegmt=True)},  # a date already passed
        {"x-ratelimit-reset": str(int(NOW - 30))},  # an epoch already passed
        {"x-ratelimit-reset": str(int((NOW - 30) * 1000))},  # in milliseconds
    ],
)
def test_zero_and_passed_instants_mean_now(headers: dict[str, str]) -> None:
    assert retry_after_seconds(headers, NOW) == 0.0


def test_a_reset_of_zero_is_zero_seconds_not_unknown() -> None:
    info = np6.RateLimitInfo.from_headers({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"})
    assert info == np6.RateLimitInfo(limit=None, remaining=0, reset=0)
    assert info.reset_in(NOW) == 0.0
    assert np6.RateLimitInfo(None, None, None).reset_in(NOW) is None


def test_plausible_values_are_read_as_before() -> None:
    assert retry_after_seconds({"retry-after": "3"}, NOW) == 3.0
    assert retry_after_seconds({"retry-after": "2.5"}, NOW) == 2.5
    assert retry_after_seconds({"x-ratelimit-reset": "4"}, NOW) == 4.0
    assert retry_after_seconds({"x-ratelimit-reset": str(int(NOW + 6))}, NOW) == 6.0
    assert retry_after_seconds({"x-ratelimit-reset": str(int((NOW + 7) * 1000))}, NOW) == pytest.approx(7.0)
    assert retry_after_seconds({"retry-after": email.utils.formatdate(NOW + 5, usegmt=True)}, NOW) == 5.0
    # Long but plausible: returned, for the policy to refuse (raise at once) past max_wait.
    assert retry_after_seconds({"retry-after": "86400"}, NOW) == 86400.0
    info = np6.RateLimitInfo.from_headers({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "10.7"})
    assert info == np6.RateLimitInfo(limit=100, remaining=10, reset=None)


# ------------------------------------------------------------------------------------------ absurd values


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_retry_after_is_ignored_and_logged(value: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="np6")
    assert retry_after_seconds({"retry-after": value}, NOW) is None
    (line,) = ignored_lines(caplog)
    assert line.startswith("ignoring the retry-after header")
    assert len(line) < 300  # a 5000-digit value is shortened


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_reset_is_ignored_and_logged(value: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="np6")
    assert retry_after_seconds({"x-ratelimit-reset": value}, NOW) is None
    assert any(line.startswith("ignoring the x-ratelimit-reset header") for line in ignored_lines(caplog))


def test_an_absurd_retry_after_falls_back_to_a_sane_reset() -> None:
    assert retry_after_seconds({"retry-after": "inf", "x-ratelimit-reset": "4"}, NOW) == 4.0
    assert retry_after_seconds({"retry-after": "-1", "x-ratelimit-reset": "0"}, NOW) == 0.0


@pytest.mark.parametrize("value", ABSURD)
def test_absurd_rate_limit_fields_are_none(value: str) -> None:
    headers = {"x-ratelimit-limit": value, "x-ratelimit-remaining": value, "x-ratelimit-reset": value}
    assert np6.RateLimitInfo.from_headers(headers) is None
    headers["x-ratelimit-remaining"] = "0"
    assert np6.RateLimitInfo.from_headers(headers) == np6.RateLimitInfo(limit=None, remaining=0, reset=None)


def test_a_reset_that_is_not_a_plausible_wait_has_no_reset_in() -> None:
    assert np6.RateLimitInfo(None, 0, 10**15).reset_in(NOW) is None  # an epoch in ms, year 33658
    assert np6.RateLimitInfo(None, 0, 5 * 10**9).reset_in(NOW) is None  # an epoch in s, year 2128
    assert np6.RateLimitInfo(None, 0, -1).reset_in(NOW) is None  # built by hand


header_names = st.sampled_from(["retry-after", "x-ratelimit-reset", "x-ratelimit-limit", "x-ratelimit-remaining"])
header_values = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\A[+-]?[0-9]{0,400}(\.[0-9]{0,5})?([eE][+-]?[0-9]{1,4})?\Z"),
    st.floats().map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
)


# The 400-digit regex strategy is slow to warm up in a fresh interpreter (a new venv): the generation, not the code.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(header_names, header_values, max_size=4), st.floats(0, 4e9))
def test_no_header_value_raises_or_yields_an_untrusted_wait(headers: dict[str, str], now: float) -> None:
    asked = retry_after_seconds(headers, now)
    assert asked is None or 0.0 <= asked <= LONGEST_PLAUSIBLE_WAIT
    info = np6.RateLimitInfo.from_headers(headers)
    if info is not None:
        for field in (info.limit, info.remaining, info.reset):
            assert field is None or (isinstance(field, int) and 0 <= field < 2**53)
        reset_in = info.reset_in(now)
        assert reset_in is None or 0.0 <= reset_in <= LONGEST_PLAUSIBLE_WAIT


@pytest.mark.parametrize("seconds", [0.0, -1.0, math.inf, math.nan])
def test_the_gate_ignores_zero_negative_and_non_finite_times(seconds: float) -> None:
    gate = RateLimitGate(lambda: 100.0)
    gate.close_for(seconds)
    assert gate.wait_time() == 0.0
    gate.close_for(2.0)
    gate.close_for(seconds)
    assert gate.wait_time() == 2.0


# ------------------------------------------------------------------------------------------- end to end

SEND = ("POST", "/actions/000ABC/execution")
BATCH = ("POST", "/actions/000ABC/executions")
GET = ("GET", "/actions/000ABC")
RESULTS = [{"type": "success", "id": "M1"}, {"type": "success", "id": "M2"}]


def client_of(h: Harness, *replies: Any, **kwargs: Any) -> Any:
    return h.client(*replies, base_url=BASE_URL, **kwargs)


def send(client: Any) -> Any:
    return client.actions.send("000ABC", "a@x.io", channel="email")


def send_many(client: Any) -> Any:
    return client.actions.send_many("000ABC", ["a@x.io", "b@x.io"], channel="email")


def get(client: Any) -> Any:
    return client.actions.get("000ABC")


# operation name -> (the call, its success answer, the request it makes)
OPERATIONS = {
    "send": (send, resp(200, json_body=SUCCESS), SEND),
    "send_many": (send_many, resp(200, json_body=RESULTS), BATCH),
    "get": (get, resp(200, json_body=mail_action()), GET),
}


def check_success(name: str, result: Any) -> None:
    if name == "send":
        assert result.id == "MSG-1"
    elif name == "send_many":
        assert result.counts == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 0}
        assert [item.message_id for item in result] == ["M1", "M2"]
    else:
        assert result.id == "000ABC"


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize(
    "headers",
    [{"x-ratelimit-reset": "0"}, {"retry-after": "0"}, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"}],
    ids=["reset-0", "retry-after-0", "remaining-0-reset-0"],
)
def test_a_429_asking_for_zero_is_retried_at_once(h: Harness, name: str, headers: dict[str, str]) -> None:
    call, success, request = OPERATIONS[name]
    client = client_of(h, resp(429, headers=headers), success)
    check_success(name, h.run(call(client)))
    assert h.sleeps == [0.0]  # retried after 0 s, not after the backoff
    assert h.recorder.calls == [request, request]


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize("header", ["retry-after", "x-ratelimit-reset"])
@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-1", "9" * 400, "99999999999999999999", "garbage"])
def test_an_absurd_wait_falls_back_to_the_backoff(
    h: Harness, name: str, header: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="np6")
    call, success, request = OPERATIONS[name]
    client = client_of(h, resp(429, headers={header: value, "x-ratelimit-remaining": "0"}), success)
    check_success(name, h.run(call(client)))
    assert h.sleeps == [FIRST_BACKOFF]
    assert h.recorder.calls == [request, request]
    assert any(line.startswith(f"ignoring the {header} header") for line in ignored_lines(caplog))


@pytest.mark.parametrize("name", OPERATIONS)
def test_absurd_headers_on_a_success_do_not_break_it(h: Harness, name: str) -> None:
    # The send succeeded at NP6: an OverflowError here would lose its result (and stop a send_many).
    call, success, _ = OPERATIONS[name]
    headers = {"x-ratelimit-limit": "1e400", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "inf"}
    answer = httpx.Response(success.status_code, content=success.content, headers=headers)
    client = client_of(h, answer, default=success)
    wrapped = client.with_response(call)(client)
    response = h.run(wrapped)
    check_success(name, response.parsed)
    if name != "send_many":
        assert response.rate_limit == np6.RateLimitInfo(limit=None, remaining=0, reset=None)
    h.run(call(client))
    assert h.sleeps == []  # no wait could be trusted: the next call does not wait either


def test_an_exhausted_window_with_reset_zero_does_not_slow_the_next_call(h: Harness) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"}
    client = client_of(h, resp(200, json_body=RESULTS, headers=headers), resp(200, json_body=RESULTS))
    assert h.run(send_many(client)).counts["sent"] == 2
    assert h.run(send_many(client)).counts["sent"] == 2
    assert h.sleeps == []


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_last_429_asking_for_zero_leaves_the_gate_open(h: Harness, name: str) -> None:
    """Retries spent: the error (or failed batch) is reported, and since NP6 said "now", the next call goes at
    once (the gate used to close for a backoff, reading 0 as "not given")."""
    call, success, request = OPERATIONS[name]
    client = client_of(h, resp(429, headers={"retry-after": "0"}), success, max_retries=0)
    if name == "send_many":
        report = h.run(call(client))
        assert report.counts == {"sent": 0, "rejected": 0, "failed": 2, "unknown": 0}  # never processed
        assert report[0].outcome is np6.Outcome.FAILED
    else:
        error = h.raises(lambda: call(client))
        assert isinstance(error, np6.RateLimitError)
        assert error.retry_after == 0.0
        assert error.outcome_unknown is False
    check_success(name, h.run(call(client)))
    assert h.sleeps == []
    assert h.recorder.calls == [request, request]


@pytest.mark.parametrize("name", ["send", "get"])
def test_an_absurd_wait_on_a_last_429_is_not_exposed(h: Harness, name: str) -> None:
    call, _, _ = OPERATIONS[name]
    headers = {"retry-after": "1e400", "x-ratelimit-limit": "inf", "x-ratelimit-remaining": "-1"}
    client = client_of(h, resp(429, headers=headers), max_retries=0)
    error = h.raises(lambda: call(client))
    assert isinstance(error, np6.RateLimitError)
    assert error.retry_after is None
    assert error.rate_limit is None
    assert error.outcome_unknown is False


def test_a_batch_refused_with_an_absurd_wait_and_no_retries_left_is_failed(h: Harness) -> None:
    client = client_of(h, resp(429, headers={"x-ratelimit-reset": "inf"}), max_retries=0)
    report = h.run(send_many(client))
    assert report.counts == {"sent": 0, "rejected": 0, "failed": 2, "unknown": 0}
    assert "429" in (report[1].reason or "")


def test_a_503_on_a_send_asking_for_zero_is_retried_at_once(h: Harness) -> None:
    client = client_of(h, resp(503, headers={"retry-after": "0"}), resp(200, json_body=SUCCESS))
    check_success("send", h.run(send(client)))
    assert h.sleeps == [0.0]


def test_the_wall_clock_of_the_policy_reads_epoch_resets(h: Harness) -> None:
    # FakeTime's wall clock: an epoch reset 3 s ahead of it is a 3 s wait, one 3 s behind it is "now".
    now = WALL_EPOCH + h.time.now
    client = client_of(
        h,
        resp(429, headers={"x-ratelimit-reset": str(int(now + 3))}),
        resp(429, headers={"x-ratelimit-reset": str(int(now - 3))}),
        resp(200, json_body=SUCCESS),
    )
    check_success("send", h.run(send(client)))
    assert h.sleeps == [3.0, 0.0]
