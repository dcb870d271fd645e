"""`client.with_response(method)`: the parsed result of a call with the metadata of its answer (status, headers,
request id, rate limits), on `np6.Client` and `np6.AsyncClient`."""

from __future__ import annotations

import np6

from tests.harness import Harness, mail_action, np6_headers, resp


def test_with_response_exposes_the_request_id_and_rate_limits(h: Harness) -> None:
    headers = np6_headers(request_id="req-ok", limit=600, remaining=599, reset=42)
    client = h.client(resp(200, json_body=mail_action(), headers=headers))
    answer = h.run(client.with_response(client.actions.get)("000ABC"))
    assert isinstance(answer, np6.APIResponse)
    assert answer.parsed.id == "000ABC"
    assert answer.status_code == 200
    assert answer.request_id == "req-ok"
    assert answer.headers["x-ratelimit-limit"] == "600"
    assert answer.rate_limit == np6.RateLimitInfo(limit=600, remaining=599, reset=42)
    assert answer.http_response is not None
    assert answer.http_response.request.url.path == "/actions/000ABC"


def test_with_response_without_metadata(h: Harness) -> None:
    client = h.client(resp(204))
    answer = h.run(client.with_response(client.actions.delete)("000ABC"))
    assert answer.parsed is None
    assert answer.status_code == 204
    assert answer.request_id is None
    assert answer.rate_limit is None


def test_with_response_of_a_several_request_method_is_the_last_one(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=mail_action(state=38), headers={"x-request-id": "get"}),
        resp(204, headers={"x-request-id": "production"}),
    )
    answer = h.run(client.with_response(client.actions.validate)("000ABC"))
    assert answer.parsed == ("production",)
    assert answer.request_id == "production"


def test_with_response_of_a_retried_call_is_the_successful_attempt(h: Harness) -> None:
    client = h.client(
        resp(503, headers={"x-request-id": "first"}),
        resp(200, json_body=mail_action(), headers={"x-request-id": "second"}),
    )
    answer = h.run(client.with_response(client.actions.get)("000ABC"))
    assert answer.request_id == "second"


def test_with_response_keeps_the_wrapped_method_signature(h: Harness) -> None:
    client = h.client()
    wrapped = client.with_response(client.actions.send)
    assert wrapped.__name__ == "send"
    assert wrapped.__doc__ == client.actions.send.__doc__


def test_with_response_does_not_leak_into_plain_calls(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=mail_action(), headers={"x-request-id": "a"}),
        resp(200, json_body=mail_action(), headers={"x-request-id": "b"}),
    )
    first = h.run(client.with_response(client.actions.get)("000ABC"))
    h.run(client.actions.get("000ABC"))
    assert first.request_id == "a"
