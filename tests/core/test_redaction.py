"""The API key never shows: not in errors (message, repr, args, the request they expose), not in logs (the `np6`
logger at DEBUG, the NP6_LOG=debug handler), not in any repr or str of the clients, their options and responses,
and not in the locals of the library's frames of a formatted traceback."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import np6
import pytest
from np6._core import logs as _logging

from tests.harness import SUCCESS, Harness, mail_action, resp

SECRET = "sk-REDACT-ME-123456"
LIBRARY = str(Path(np6.__file__).parent)

STATUSES = [400, 401, 403, 404, 409, 410, 411, 413, 415, 429, 499, 500, 502, 503, 504, 520]


def assert_hidden(text: str, where: str = "") -> None:
    assert SECRET not in text, f"the key leaks in {where}: {text[:2000]}"
    # Not even a large part of it.
    assert SECRET[3:] not in text, where


def traceback_text(error: BaseException) -> str:
    """The traceback as `traceback` formats it with every frame's locals, and checks that the library's frames do
    not hold the key in any local."""
    formatted = traceback.TracebackException.from_exception(error, capture_locals=True)
    library_frames = 0
    seen: set[int] = set()
    current: traceback.TracebackException | None = formatted
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame in current.stack:
            if frame.filename.startswith(LIBRARY):
                library_frames += 1
                for name, value in (frame.locals or {}).items():
                    assert_hidden(value, f"local {name!r} of {frame.name} ({frame.filename}:{frame.lineno})")
        current = current.__cause__ or current.__context__
    assert library_frames > 0
    return "".join(formatted.format())


def check_error(error: BaseException) -> None:
    assert_hidden(str(error), "str(error)")
    assert_hidden(repr(error), "repr(error)")
    assert_hidden(repr(error.args), "error.args")
    assert_hidden(repr(vars(error)), "vars(error)")
    requests: list[httpx.Request] = []
    response = getattr(error, "response", None)
    if response is not None:
        requests.append(response.request)
        assert_hidden(repr(response), "error.response")
        assert_hidden(repr(response.headers), "error.response.headers")
    request = getattr(error, "request", None)
    if request is not None:
        requests.append(request)
    for exposed in requests:
        assert_hidden(repr(exposed), "the exposed request")
        assert_hidden(repr(exposed.headers), "the exposed request's headers")
        assert_hidden(repr(dict(exposed.headers)), "the exposed request's headers as a dict")
        assert_hidden(repr(exposed.headers.raw), "the exposed request's raw headers")
    assert_hidden(traceback_text(error), "the formatted traceback")
    assert_hidden("".join(traceback.format_exception(error)), "traceback.format_exception")


def failing(h: Harness, call: Callable[[], Any], expected: type[BaseException] = np6.NP6Error) -> BaseException:
    with pytest.raises(expected) as info:
        h.run(call())
    return info.value


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every test runs with the np6 logger at DEBUG; after it, nothing logged may show the key."""
    caplog.set_level(logging.DEBUG, logger="np6")
    yield caplog
    for record in caplog.records:
        assert_hidden(record.getMessage(), f"log record {record.msg!r}")
        assert_hidden(repr(record.args), "log record args")
    assert_hidden(caplog.text, "the captured log")


# ------------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("body", [b"", b'{"message": "nope"}'], ids=["empty", "json"])
def test_status_errors_do_not_show_the_key(h: Harness, status: int, body: bytes) -> None:
    client = h.client(default=resp(status, content=body, headers={"x-request-id": "rid"}), api_key=SECRET)
    error = failing(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.APIStatusError)
    check_error(error)
    assert h.recorder.requests[0].headers["x-key"] == SECRET  # the wire did carry it


@pytest.mark.parametrize("status", [500, 504, 409])
def test_send_errors_do_not_show_the_key(h: Harness, status: int) -> None:
    client = h.client(resp(status), api_key=SECRET)
    error = failing(h, lambda: client.actions.send("000ABC", np6.EmailMessage("a@x.io", subject="s"), channel="email"))
    check_error(error)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.UnsupportedProtocol],
)
def test_connection_errors_do_not_show_the_key(h: Harness, failure: type[httpx.TransportError]) -> None:
    client = h.client(default=failure, api_key=SECRET)
    error = failing(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.APIConnectionError)
    assert error.request is not None
    check_error(error)
    send_error = failing(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    check_error(send_error)


def test_parse_errors_do_not_show_the_key(h: Harness) -> None:
    client = h.client(resp(200, content=b"not json"), resp(200, json_body={"id": 1}), api_key=SECRET)
    for _ in range(2):
        error = failing(h, lambda: client.actions.get("000ABC"))
        assert isinstance(error, np6.ResponseParseError)
        check_error(error)


@pytest.mark.parametrize("status", [201, 203])
def test_an_undocumented_success_echoing_the_key_does_not_show_it(h: Harness, status: int) -> None:
    # A proxy answering a status the spec does not document, with the request's headers echoed in its body.
    echo = resp(status, content=f"proxy echo x-key: {SECRET}".encode())
    client = h.client(echo, echo, api_key=SECRET)
    for call in (
        lambda: client.actions.get("000ABC"),
        lambda: client.actions.send("000ABC", "a@x.io", channel="email"),
    ):
        error = failing(h, call)
        assert isinstance(error, np6.ResponseParseError)
        assert f"documents no {status} answer" in str(error)
        check_error(error)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.actions.send("", "a@x.io"),
        lambda c: c.actions.send("000ABC", "", channel="email"),
        lambda c: c.actions.send("000ABC", "a@x.io", channel="fax"),
        lambda c: c.actions.validate_for_test("000ABC", test_segments="1"),
        lambda c: c.actions.render("000ABC", np6.SmsMessage("+33600000000"), channel="email"),
        lambda c: c.actions.create({"type": "mailMessage"}),
    ],
    ids=["action-id", "recipient", "channel", "segments", "mismatch", "create"],
)
def test_invalid_input_errors_do_not_show_the_key(h: Harness, call: Callable[[Any], Any]) -> None:
    client = h.client(api_key=SECRET)
    error = failing(h, lambda: call(client), np6.InvalidInputError)
    check_error(error)
    assert h.recorder.count == 0


def test_send_many_errors_do_not_show_the_key(h: Harness) -> None:
    client = h.client(resp(500), api_key=SECRET)
    report = h.run(client.actions.send_many("000ABC", ["a@x.io"], channel="email"))
    assert report.unknown == 1
    assert_hidden(repr(report), "repr(report)")
    assert_hidden(report.summary(), "report.summary()")
    for outcome in report:
        assert_hidden(repr(outcome), "a message outcome")


# ----------------------------------------------------------------------------------------- construction


def _client_class(h: Harness) -> type[np6.Client] | type[np6.AsyncClient]:
    return np6.AsyncClient if h.is_async else np6.Client


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "http://api-cm.np6.com"},
        {"base_url": "not a url at all"},
        {"max_retries": -1},
        {"max_retries": 3, "retry_policy": np6.RetryPolicy()},
    ],
    ids=["http", "garbage-url", "negative-retries", "both-retry-settings"],
)
def test_construction_errors_do_not_show_the_key(h: Harness, kwargs: dict[str, Any]) -> None:
    with pytest.raises(np6.InvalidInputError) as info:
        _client_class(h)(SECRET, **kwargs)
    check_error(info.value)


@pytest.mark.parametrize("suffix", ["\nX-Other: 1", "\x00", "\x7f", "\u00e9"])
def test_a_key_with_a_character_headers_cannot_carry_is_refused_without_being_shown(h: Harness, suffix: str) -> None:
    # httpx would quote such a key in its own error (and so in ours and in the logs): refuse it up front.
    with pytest.raises(np6.InvalidInputError, match=r"control|non-ASCII") as info:
        _client_class(h)(SECRET + suffix)
    check_error(info.value)


def test_a_key_from_the_environment_is_not_shown(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_API_KEY", SECRET)
    with pytest.raises(np6.InvalidInputError) as info:
        _client_class(h)(base_url="ftp://x")
    check_error(info.value)
    client = h.client(resp(404), api_key=None)
    error = failing(h, lambda: client.actions.get("000ABC"))
    check_error(error)
    assert h.recorder.requests[0].headers["x-key"] == SECRET


# ------------------------------------------------------------------------------------------ repr and str


def test_reprs_of_clients_options_and_copies(h: Harness) -> None:
    client = h.client(api_key=SECRET)
    views = [client, client.with_options(max_retries=0), client.with_options(retry_unknown_sends=True, max_wait=1)]
    for view in views:
        for text in (repr(view), str(view), f"{view}", f"{view!r}"):
            assert_hidden(text, "a client")
            assert "[redacted]" in text
        for option in (view.retry_policy, view.timeout, view.base_url, view.max_retries, view.generated):
            assert_hidden(repr(option), f"option {option!r}")
            assert_hidden(str(option), f"option {option!r}")
        assert_hidden(repr(view.actions), "client.actions")
        assert_hidden(repr(view._api_key), "the key holder")
        assert_hidden(str(view._api_key), "the key holder")
    assert type(client).__name__ in repr(client)


def test_api_response_does_not_show_the_key(h: Harness) -> None:
    headers = {"x-request-id": "rid", "x-ratelimit-remaining": "9"}
    client = h.client(resp(200, json_body=mail_action(), headers=headers), api_key=SECRET)
    answer = h.run(client.with_response(client.actions.get)("000ABC"))
    assert isinstance(answer, np6.APIResponse)
    assert answer.request_id == "rid"
    for text in (repr(answer), str(answer), repr(answer.headers), repr(answer.rate_limit), repr(answer.parsed)):
        assert_hidden(text, "the APIResponse")
    assert answer.http_response is not None
    assert_hidden(repr(answer.http_response.request.headers), "APIResponse.http_response.request.headers")
    assert answer.http_response.request.headers["x-key"] == "[redacted]"


def test_send_results_do_not_show_the_key(h: Harness) -> None:
    client = h.client(resp(200, json_body=SUCCESS), api_key=SECRET)
    result = h.run(client.actions.send("000ABC", "a@x.io", channel="email"))
    assert_hidden(repr(result), "a send result")


# ------------------------------------------------------------------------------------------------ logging


def test_debug_logs_show_requests_without_the_key(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    client = h.client(
        resp(503, headers={"x-request-id": "r-1"}),
        httpx.ConnectError,
        resp(200, json_body=mail_action(), headers={"x-request-id": "r-3"}),
        api_key=SECRET,
    )
    h.run(client.actions.get("000ABC"))
    text = caplog.text
    assert "request GET https://api-cm.np6.com/actions/000ABC attempt=1" in text
    assert "'x-key': '[redacted]'" in text.lower()
    assert "request_id=r-1" in text
    assert "request_id=r-3" in text
    assert "transport error" in text


def test_the_filter_scrubs_the_key_from_any_np6_record(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    client = h.client(api_key=SECRET)
    logging.getLogger("np6").warning("a careless message with %s inside", SECRET)
    logging.getLogger("np6").info(f"and an f-string {SECRET}")
    assert "a careless message with [redacted] inside" in caplog.text
    assert "and an f-string [redacted]" in caplog.text
    del client


@pytest.fixture
def np6_log_debug(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """NP6_LOG=debug as if the process had just started; the handler it adds is removed afterwards."""
    logger = logging.getLogger("np6")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setenv("NP6_LOG", "debug")
    monkeypatch.setattr(_logging, "_configured", False)
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.usefixtures("np6_log_debug")
def test_np6_log_debug_writes_to_stderr_without_the_key(h: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    client = h.client(
        resp(429, headers={"x-request-id": "r-env"}), resp(404, headers={"x-request-id": "r-404"}), api_key=SECRET
    )
    failing(h, lambda: client.actions.get("000ABC"))
    logging.getLogger("np6").debug("explicit %s", SECRET)
    err = capsys.readouterr().err
    assert "np6 DEBUG request GET https://api-cm.np6.com/actions/000ABC attempt=1" in err
    assert "np6 INFO retrying GET /actions/000ABC" in err
    assert "request_id=r-env" in err
    assert "request_id=r-404" in err
    assert "'x-key': '[redacted]'" in err.lower()
    assert "explicit [redacted]" in err
    assert_hidden(err, "NP6_LOG=debug output")


def test_a_very_short_key_does_not_mangle_every_log_line(caplog: pytest.LogCaptureFixture) -> None:
    short = np6.Client("k", base_url="http://127.0.0.1")
    long_key = "sk-LONG-ENOUGH-0123456789"
    long = np6.Client(long_key, base_url="http://127.0.0.1")
    with caplog.at_level(logging.DEBUG, logger="np6"):
        logging.getLogger("np6").warning("kept: the x-key header; scrubbed: %s", long_key)
    assert "kept: the x-key header; scrubbed: [redacted]" in caplog.text
    assert long_key not in caplog.text
    short.close()
    long.close()
