"""Error mapping, through real client calls (sync and async): every status NP6 (or a gateway) answers, with and
without a body, unparseable 2xx answers, transport failures, and the exception tree as documented."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import np6
import pytest
from np6._core import errors as _exceptions

from tests.harness import KEY, SUCCESS, Harness, mail_action, np6_headers, resp

# status -> (exception class, words of the cause the message must explain)
STATUSES: dict[int, tuple[type[np6.APIStatusError], tuple[str, ...]]] = {
    400: (np6.BadRequestError, ("refused the body", "`from`", "array")),
    401: (np6.AuthenticationError, ("X-Key",)),
    403: (np6.PermissionDeniedError, ("right",)),
    404: (np6.NotFoundError, ("does not exist",)),
    409: (np6.ConflictError, ("validated for production", "already exist")),
    410: (np6.GoneError, ("no longer available",)),
    411: (np6.LengthRequiredError, ("Content-Length",)),
    413: (np6.PayloadTooLargeError, ("too large", "smaller batches")),
    415: (
        np6.UnsupportedMediaTypeError,
        ("Content-Type", "application/vnd.np6.cm.email", "application/vnd.np6.cm.sms"),
    ),
    429: (np6.RateLimitError, ("rate limit",)),
    499: (np6.APIStatusError, ()),
    500: (np6.InternalServerError, ("NP6 failed",)),
    502: (np6.InternalServerError, ("NP6 failed",)),
    503: (np6.InternalServerError, ("NP6 failed",)),
    504: (np6.InternalServerError, ("NP6 failed",)),
    520: (np6.InternalServerError, ("NP6 failed",)),
}

STATUS_IDS = [str(code) for code in STATUSES]


def fail(h: Harness, call: Callable[[], object]) -> np6.NP6Error:
    """Run a client call (sync, or awaited for the async client) that must raise an np6 error; return the error."""
    with pytest.raises(np6.NP6Error) as info:
        h.run(call())
    return info.value


# ------------------------------------------------------------------------------------------- status codes


@pytest.mark.parametrize("status", STATUSES, ids=STATUS_IDS)
def test_status_maps_to_its_class_without_a_body(h: Harness, status: int) -> None:
    expected, cause_words = STATUSES[status]
    client = h.client(resp(status, headers={"x-request-id": "req-42", "x-extra": "yes"}), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert type(error) is expected
    assert isinstance(error, np6.APIStatusError)
    assert error.status_code == status
    assert error.request_id == "req-42"
    assert error.headers["x-request-id"] == "req-42"
    assert error.headers["x-extra"] == "yes"
    assert error.body == b""
    assert error.response.status_code == status
    assert error.outcome_unknown is False
    message = str(error)
    assert message.startswith(f"{status} ")
    assert "GET /actions/000ABC" in message
    assert "(request id req-42)" in message
    assert "NP6 support" in message
    assert "Body:" not in message
    assert "may have been sent" not in message
    for word in cause_words:
        assert word in message, (word, message)
    assert h.recorder.count == 1


@pytest.mark.parametrize("status", STATUSES, ids=STATUS_IDS)
def test_status_error_keeps_the_raw_body(h: Harness, status: int) -> None:
    expected, _ = STATUSES[status]
    raw = b'{"error": "invalid recipient", "code": 12}'
    client = h.client(resp(status, content=raw, headers={"content-type": "application/json"}), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert type(error) is expected
    assert isinstance(error, np6.APIStatusError)
    assert error.body == raw
    assert error.response.content == raw
    assert error.request_id is None
    message = str(error)
    assert "(no request id)" in message
    assert 'Body: {"error": "invalid recipient", "code": 12}' in message
    # Without a request id there is nothing to give NP6 support.
    assert "NP6 support" not in message


def test_long_bodies_are_cut_in_the_message_but_kept_whole(h: Harness) -> None:
    raw = b"x" * 1000
    client = h.client(resp(400, content=raw), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.BadRequestError)
    assert error.body == raw
    assert "x" * 300 + "..." in str(error)
    assert "x" * 301 not in str(error)


def test_non_utf8_body_does_not_break_the_message(h: Harness) -> None:
    client = h.client(resp(400, content=b"\xff\xfe bad"), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.BadRequestError)
    assert error.body == b"\xff\xfe bad"
    assert "bad" in str(error)


@pytest.mark.parametrize("status", [499, 520, 599])
def test_non_standard_statuses_have_a_reason(h: Harness, status: int) -> None:
    client = h.client(resp(status), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.APIStatusError)
    assert error.status_code == status
    assert str(error).startswith(f"{status} ")
    # 499 is not a 5xx: the generic class; every 5xx, standard or not, is an InternalServerError.
    assert (type(error) is np6.APIStatusError) == (status < 500)
    assert isinstance(error, np6.InternalServerError) == (status >= 500)


def test_status_errors_of_other_operations_name_them(h: Harness) -> None:
    client = h.client(resp(409, headers={"x-request-id": "r-9"}), resp(415), max_retries=0)
    conflict = fail(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(conflict, np6.ConflictError)
    assert "POST /actions/000ABC/execution" in str(conflict)
    assert "client.actions.validate" in str(conflict)
    assert conflict.outcome_unknown is False
    media = fail(h, lambda: client.actions.send("000SMS", "+33600000000", channel="sms"))
    assert isinstance(media, np6.UnsupportedMediaTypeError)
    assert media.response.request.headers["content-type"] == "application/vnd.np6.cm.sms"


def test_a_500_on_a_send_says_the_messages_may_have_been_sent(h: Harness) -> None:
    client = h.client(resp(500, headers={"x-request-id": "r-500"}))
    error = fail(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(error, np6.InternalServerError)
    assert error.outcome_unknown is True
    assert "may have been sent" in str(error)
    assert "not retried" in str(error)
    assert h.recorder.count == 1


# ------------------------------------------------------------------------------------------------ 429


def test_rate_limit_error_carries_retry_after_and_limits(h: Harness) -> None:
    headers = np6_headers(retry_after=7, limit=100, remaining=0, reset=30, request_id="r-429")
    client = h.client(resp(429, headers=headers), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.RateLimitError)
    assert error.retry_after == 7.0
    assert error.rate_limit == np6.RateLimitInfo(limit=100, remaining=0, reset=30)
    assert error.rate_limit.reset_in(0.0) == 30.0
    assert error.request_id == "r-429"
    assert "rate limit exceeded" in str(error)


def test_rate_limit_error_without_headers(h: Harness) -> None:
    client = h.client(resp(429), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.RateLimitError)
    assert error.retry_after is None
    assert error.rate_limit is None


def test_rate_limit_reset_alone_gives_retry_after(h: Harness) -> None:
    client = h.client(resp(429, headers={"x-ratelimit-reset": "12"}), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.RateLimitError)
    assert error.retry_after == 12.0
    assert error.rate_limit == np6.RateLimitInfo(limit=None, remaining=None, reset=12)


def test_rate_limit_info_on_other_errors(h: Harness) -> None:
    client = h.client(resp(404, headers={"x-ratelimit-limit": "10", "x-ratelimit-remaining": "3"}), max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.NotFoundError)
    assert error.rate_limit == np6.RateLimitInfo(limit=10, remaining=3, reset=None)


# ------------------------------------------------------------------------------------------ parse errors


@pytest.mark.parametrize(
    ("answer", "cause"),
    [
        (resp(200, content=b"<html>maintenance</html>", headers={"x-request-id": "r-p"}), ValueError),
        (resp(200, content=b"", headers={"x-request-id": "r-p"}), ValueError),
        (resp(200, json_body=[1, 2], headers={"x-request-id": "r-p"}), TypeError),
        (resp(200, json_body={"id": "000ABC"}, headers={"x-request-id": "r-p"}), KeyError),
    ],
    ids=["not-json", "empty", "not-an-object", "no-type"],
)
def test_unparseable_2xx_raises_response_parse_error(
    h: Harness, answer: httpx.Response, cause: type[BaseException]
) -> None:
    client = h.client(answer)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.ResponseParseError)
    assert not isinstance(error, np6.APIStatusError)
    assert error.status_code == 200
    assert error.body == answer.content
    assert error.response.content == answer.content
    assert error.request_id == "r-p"
    assert "GET /actions/000ABC" in str(error)
    assert "(request id r-p)" in str(error)
    assert isinstance(error.__cause__, cause)
    assert type(error.__cause__).__name__ in str(error)
    # A 2xx is an answer: never retried.
    assert h.recorder.count == 1


def test_action_type_that_is_not_a_string_is_a_parse_error(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": 5, "id": "000ABC"}))
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(error, np6.ResponseParseError)


def test_unparseable_send_answer_keeps_the_raw_bytes(h: Harness) -> None:
    client = h.client(resp(200, content=b'{"type": "success", "id": '))
    error = fail(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(error, np6.ResponseParseError)
    assert error.body == b'{"type": "success", "id": '
    assert 'Body: {"type": "success", "id":' in str(error)
    assert h.recorder.count == 1


def test_a_parseable_answer_is_not_an_error(h: Harness) -> None:
    client = h.client(resp(200, json_body=mail_action()), resp(200, json_body=SUCCESS))
    assert h.run(client.actions.get("000ABC")).id == "000ABC"
    assert h.run(client.actions.send("000ABC", "a@x.io")).id == "MSG-1"


# ------------------------------------------------------------------------------------- transport errors


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx.ConnectError, np6.APIConnectionError),
        (httpx.RemoteProtocolError, np6.APIConnectionError),
        (httpx.ReadError, np6.APIConnectionError),
        (httpx.ConnectTimeout, np6.APITimeoutError),
        (httpx.ReadTimeout, np6.APITimeoutError),
        (httpx.WriteTimeout, np6.APITimeoutError),
        (httpx.PoolTimeout, np6.APITimeoutError),
    ],
)
def test_transport_failures_map_to_connection_errors(
    h: Harness, failure: type[httpx.TransportError], expected: type[np6.APIConnectionError]
) -> None:
    client = h.client(failure, max_retries=0)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert type(error) is expected
    assert error.outcome_unknown is False  # a GET has no outcome to be unsure of
    assert error.request is not None
    assert (error.request.method, error.request.url.path) == ("GET", "/actions/000ABC")
    message = str(error)
    assert message.startswith("GET /actions/000ABC ")
    assert ("timed out" if expected is np6.APITimeoutError else "failed") in message
    assert failure.__name__ in message
    assert not isinstance(error, np6.APIStatusError)


@pytest.mark.parametrize(
    ("failure", "unknown"),
    [
        (httpx.ConnectError, False),  # refused before NP6 saw the request
        (httpx.ConnectTimeout, False),
        (httpx.ReadTimeout, True),  # sent, no answer: NP6 may have processed it
        (httpx.RemoteProtocolError, True),  # connection dropped mid-response
    ],
)
def test_transport_failure_of_a_send_tells_whether_the_outcome_is_unknown(
    h: Harness, failure: type[httpx.TransportError], unknown: bool
) -> None:
    client = h.client(failure, max_retries=0)
    error = fail(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(error, np6.APIConnectionError)
    assert error.outcome_unknown is unknown
    assert ("may have been sent" in str(error)) is unknown


def test_unsupported_protocol_is_a_connection_error_not_retried(h: Harness) -> None:
    client = h.client(httpx.UnsupportedProtocol)
    error = fail(h, lambda: client.actions.get("000ABC"))
    assert type(error) is np6.APIConnectionError
    assert h.recorder.count == 1
    assert h.sleeps == []


def test_non_transport_exceptions_are_not_wrapped(h: Harness) -> None:
    client = h.client(RuntimeError("bug in a transport"))
    with pytest.raises(RuntimeError, match="bug in a transport"):
        h.run(client.actions.get("000ABC"))


# ------------------------------------------------------------------------------------------- the tree


def test_exception_tree() -> None:
    assert issubclass(np6.InvalidInputError, np6.NP6Error)
    assert issubclass(np6.InvalidInputError, ValueError)
    assert issubclass(np6.ChannelMismatchError, np6.InvalidInputError)
    assert issubclass(np6.APITimeoutError, np6.APIConnectionError)
    assert issubclass(np6.APIConnectionError, np6.NP6Error)
    assert issubclass(np6.ResponseParseError, np6.NP6Error)
    assert not issubclass(np6.ResponseParseError, np6.APIStatusError)
    for cls, _ in STATUSES.values():
        assert issubclass(cls, np6.APIStatusError)
        assert issubclass(cls, np6.NP6Error)
        assert not issubclass(cls, np6.APIConnectionError)
    assert issubclass(np6.NP6Error, Exception)


def _tree_from_docstring() -> dict[str, tuple[str | None, str]]:
    """The tree drawn in `np6._core.errors`' docstring: name -> (parent name, note)."""
    doc = _exceptions.__doc__ or ""
    lines = doc[doc.index("NP6Error\n") :].split("\n\n", 1)[0].splitlines()
    tree: dict[str, tuple[str | None, str]] = {}
    stack: list[str] = []
    for line in lines:
        match = re.fullmatch(r"(?P<prefix>[ │├└─]*)(?P<name>[A-Za-z0-9]+)\s*(?P<note>.*)", line)
        assert match, line
        prefix = match["prefix"]
        assert len(prefix) % 5 == 0, line
        depth = len(prefix) // 5
        assert depth <= len(stack), line
        del stack[depth:]
        tree[match["name"]] = (stack[-1] if stack else None, match["note"])
        stack.append(match["name"])
    return tree


def test_the_drawn_tree_is_the_real_one() -> None:
    tree = _tree_from_docstring()
    real = {name for name, value in vars(np6).items() if isinstance(value, type) and issubclass(value, np6.NP6Error)}
    assert set(tree) == real
    for name, (parent, _) in tree.items():
        cls = getattr(np6, name)
        np6_bases = [base for base in cls.__bases__ if issubclass(base, np6.NP6Error)]
        if parent is None:
            assert cls is np6.NP6Error
        else:
            assert np6_bases == [getattr(np6, parent)], name


def test_the_drawn_status_codes_are_the_mapped_ones() -> None:
    tree = _tree_from_docstring()
    documented = {name: note.split()[0] for name, (parent, note) in tree.items() if parent == "APIStatusError" and note}
    assert documented["InternalServerError"] == "5xx"
    for name, code in documented.items():
        statuses = range(500, 600) if code == "5xx" else [int(code)]
        for status in statuses:
            request = httpx.Request("GET", "https://api-cm.np6.com/actions/X")
            error = _exceptions.status_error(httpx.Response(status, request=request))
            assert type(error).__name__ == name, status
    # Every code of the table above is drawn, and no other status has a class of its own.
    for status, (cls, _) in STATUSES.items():
        if cls is not np6.APIStatusError:
            assert cls.__name__ in documented, status
    request = httpx.Request("GET", "https://api-cm.np6.com/actions/X")
    for status in (402, 405, 406, 408, 412, 418, 422, 451, 499):
        assert type(_exceptions.status_error(httpx.Response(status, request=request))) is np6.APIStatusError


def test_every_np6_error_is_exported() -> None:
    for name in _exceptions.__all__:
        if name != "status_error":
            assert getattr(np6, name) is getattr(_exceptions, name)
            assert name in np6.__all__


def test_key_is_not_in_the_request_an_error_exposes(h: Harness) -> None:
    client = h.client(resp(404), httpx.ConnectError, max_retries=0)
    status = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(status, np6.APIStatusError)
    assert status.response.request.headers["x-key"] == "[redacted]"
    connection = fail(h, lambda: client.actions.get("000ABC"))
    assert isinstance(connection, np6.APIConnectionError)
    assert connection.request is not None
    assert connection.request.headers["x-key"] == "[redacted]"
    # What went on the wire was the real key.
    assert [r.headers["x-key"] for r in h.recorder.requests] == [KEY, KEY]


def test_the_exposed_copies_keep_everything_but_the_key(h: Harness) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            499,
            content=b"closed",
            headers={"x-request-id": "r-499"},
            extensions={"reason_phrase": b"Client Closed Request", "http_version": b"HTTP/1.1"},
        )

    client = h.client(answer, max_retries=0)
    error = fail(h, lambda: client.actions.send("000ABC", "a@x.io", channel="email"))
    assert isinstance(error, np6.APIStatusError)
    assert str(error).startswith("499 Client Closed Request on POST /actions/000ABC/execution")
    assert error.response.reason_phrase == "Client Closed Request"
    assert error.response.http_version == "HTTP/1.1"
    assert error.response.content == b"closed"
    exposed = error.response.request
    (sent,) = h.recorder.requests
    assert exposed is not sent
    assert exposed.extensions["timeout"] == sent.extensions["timeout"]
    assert exposed.content == sent.content
    assert {k: v for k, v in exposed.headers.items() if k != "x-key"} == {
        k: v for k, v in sent.headers.items() if k != "x-key"
    }
    assert exposed.headers["x-key"] == "[redacted]"
    assert sent.headers["x-key"] == KEY
