"""Errors cross a process boundary with their attributes: a job of a `ProcessPoolExecutor` that raises one gives
the caller that error (status code, request id, headers, body, outcome_unknown), not a `BrokenProcessPool`."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from typing import Any

import httpx
import np6
import pytest

KEY = "sk-pickle-0123456789abcdef"
_BASE = "https://api-cm.np6.com"


def _client(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> np6.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        if status == 0:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(status, content=body, headers=headers or {})

    return np6.Client(KEY, base_url=_BASE, max_retries=0, transport=httpx.MockTransport(answer))


def raise_in_worker(case: str) -> None:
    """Run in the worker process: one client call that raises the error of `case`."""
    rate = {"x-request-id": "req-429", "retry-after": "3", "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0"}
    calls: dict[str, Any] = {
        "not found": lambda: _client(404, headers={"x-request-id": "req-404"}).actions.get("000ABC"),
        "rate limited": lambda: _client(429, headers=rate).actions.get("000ABC"),
        "500 on a send": lambda: _client(500, b"boom", {"x-request-id": "req-500"}).actions.send(
            "000ABC", "a@example.com", channel=np6.Channel.EMAIL
        ),
        "unparseable": lambda: _client(200, b"{not json", {"x-request-id": "req-200"}).actions.get("000ABC"),
        "timeout": lambda: _client(0).actions.get("000ABC"),
        "invalid input": lambda: _client(200).actions.get(".."),
    }
    calls[case]()


EXPECTED: dict[str, tuple[type[np6.NP6Error], dict[str, Any]]] = {
    "not found": (np6.NotFoundError, {"status_code": 404, "request_id": "req-404", "outcome_unknown": False}),
    "rate limited": (np6.RateLimitError, {"status_code": 429, "request_id": "req-429", "retry_after": 3.0}),
    "500 on a send": (
        np6.InternalServerError,
        {"status_code": 500, "request_id": "req-500", "body": b"boom", "outcome_unknown": True},
    ),
    "unparseable": (np6.ResponseParseError, {"status_code": 200, "request_id": "req-200", "body": b"{not json"}),
    "timeout": (np6.APITimeoutError, {"outcome_unknown": False}),
    "invalid input": (np6.InvalidInputError, {}),
}


@pytest.fixture(scope="module")
def pool() -> Any:
    # fork: the worker has this test's import path; the error still travels pickled, as it would with spawn.
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as executor:
        yield executor


@pytest.mark.parametrize("case", EXPECTED)
def test_an_error_raised_in_a_worker_process_reaches_the_caller_whole(pool: Any, case: str) -> None:
    error_type, attributes = EXPECTED[case]
    with np6.Client(KEY, base_url=_BASE, transport=httpx.MockTransport(lambda r: httpx.Response(204))):
        pass  # the key is registered here too, as it is in the worker
    with pytest.raises(error_type) as caught:
        pool.submit(raise_in_worker, case).result(timeout=60)
    error = caught.value
    assert type(error) is error_type
    for name, value in attributes.items():
        assert getattr(error, name) == value, name
    assert str(error)
    if isinstance(error, np6.APIStatusError):
        assert error.headers.get("x-request-id") == attributes["request_id"]
        assert error.response.status_code == error.status_code
        assert error.response.request.headers["x-key"] == "[redacted]"
    if case == "rate limited":
        assert isinstance(error, np6.RateLimitError)
        assert error.rate_limit is not None
        assert error.rate_limit.limit == 10
