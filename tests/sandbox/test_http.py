"""The sandbox at the HTTP level: what NP6 answers to wrong keys, media types and lengths, request ids, and the
spec checks on both sides. Raw httpx sends what the overlay never would; each case runs in-process and, where
sockets change something, on the loopback server."""

from __future__ import annotations

import asyncio
import json
import socket
import traceback
from collections.abc import AsyncIterator, Iterator

import httpx
import np6
import pytest
from np6.sandbox import Fault, RateLimit, Sandbox, SpecMismatchError

from tests.sandbox.support import (
    BASE_URL,
    EMAIL_TYPE,
    KEY,
    SMS_TYPE,
    UUID,
    Driver,
    draft_action,
    newsletter,
    promo_sms,
    raw,
    recipient_json,
    validated_action,
)

SEND_AND_RENDER = ["execution", "render"]


@pytest.fixture(params=["in-process", "loopback"])
def http(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A plain httpx client with the sandbox's key, in-process or through a socket."""
    if request.param == "in-process":
        with raw(sandbox) as client:
            yield client
        return
    with sandbox.serve(port=0) as server, httpx.Client(base_url=server.url, headers={"X-Key": KEY}) as client:
        yield client


def _assert_empty_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.content == b""
    assert UUID.match(response.headers["x-request-id"])


# ------------------------------------------------------------------------------------------------ media type
@pytest.mark.parametrize("endpoint", SEND_AND_RENDER)
def test_json_content_type_on_a_send_or_render_is_415(http: httpx.Client, sandbox: Sandbox, endpoint: str) -> None:
    action_id = validated_action(sandbox)
    response = http.post(f"/actions/{action_id}/{endpoint}", json=recipient_json("alice@example.com", endpoint))
    _assert_empty_error(response, 415)
    # The very same body under the vendor type goes through.
    ok = http.post(
        f"/actions/{action_id}/{endpoint}",
        content=json.dumps(recipient_json("alice@example.com", endpoint)),
        headers={"content-type": EMAIL_TYPE},
    )
    assert ok.status_code == 200
    assert ok.json()["type"] == "success"
    assert sandbox.deliveries.count() == (1 if endpoint == "execution" else 0)


@pytest.mark.parametrize("endpoint", ["executions", "renders"])
def test_json_content_type_on_a_batch_is_415(sandbox: Sandbox, endpoint: str) -> None:
    action_id = validated_action(sandbox)
    with raw(sandbox) as http:
        response = http.post(f"/actions/{action_id}/{endpoint}", json=[recipient_json("alice@example.com", endpoint)])
    _assert_empty_error(response, 415)
    assert sandbox.deliveries.count() == 0


@pytest.mark.parametrize("endpoint", SEND_AND_RENDER)
def test_the_other_channels_vendor_type_is_415(sandbox: Sandbox, endpoint: str) -> None:
    email_id = validated_action(sandbox)
    sms_id = validated_action(sandbox, promo_sms())
    with raw(sandbox) as http:
        on_email = http.post(
            f"/actions/{email_id}/{endpoint}",
            content=json.dumps(recipient_json("+33600000001", endpoint)),
            headers={"content-type": SMS_TYPE},
        )
        on_sms = http.post(
            f"/actions/{sms_id}/{endpoint}",
            content=json.dumps(recipient_json("alice@example.com", endpoint)),
            headers={"content-type": EMAIL_TYPE},
        )
    _assert_empty_error(on_email, 415)
    _assert_empty_error(on_sms, 415)


def test_the_overlay_maps_415_to_its_error(sandbox: Sandbox, d: Driver) -> None:
    sms_id = validated_action(sandbox, promo_sms())
    client = d.client(sandbox)
    # A typed e-mail message names its channel, so the overlay sends it as e-mail without asking the action.
    error = d.raises(lambda: client.actions.send(sms_id, np6.EmailMessage("alice@example.com")))
    assert isinstance(error, np6.UnsupportedMediaTypeError)
    assert error.status_code == 415
    assert sandbox.deliveries.count() == 0


# ------------------------------------------------------------------------------------------------------ X-Key
@pytest.mark.parametrize("key", [None, "", "not-the-key"], ids=["missing", "empty", "wrong"])
def test_a_missing_or_wrong_key_is_401(http: httpx.Client, sandbox: Sandbox, key: str | None) -> None:
    action_id = validated_action(sandbox)
    headers = {"content-type": EMAIL_TYPE}
    del http.headers["X-Key"]
    if key is not None:
        headers["X-Key"] = key
    send = http.post(
        f"/actions/{action_id}/execution", content=json.dumps(recipient_json("a@example.com")), headers=headers
    )
    admin = http.get("/_sandbox/deliveries", headers=headers)
    unknown_route = http.get("/no/such/route", headers=headers)
    for response in (send, admin, unknown_route):
        _assert_empty_error(response, 401)
    assert sandbox.deliveries.count() == 0


def test_any_configured_key_is_accepted() -> None:
    sandbox = Sandbox(api_key=KEY, api_keys=["second-key"])
    with raw(sandbox, key="second-key") as http:
        assert http.get("/actions").status_code == 200


def test_the_overlay_raises_401_without_ever_showing_the_key(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    wrong = "WRONG-KEY-must-not-leak-9876"
    client = d.client(sandbox, api_key=wrong)
    error = d.raises(lambda: client.actions.send(action_id, "alice@example.com"))
    assert isinstance(error, np6.AuthenticationError)
    assert error.status_code == 401
    assert UUID.match(error.request_id or "")
    shown = "\n".join([str(error), repr(error), repr(error.args), *traceback.format_exception(error), repr(client)])
    assert wrong not in shown
    assert KEY not in shown
    assert sandbox.deliveries.count() == 0


def test_the_valid_key_is_not_shown_by_other_errors_either(sandbox: Sandbox, d: Driver) -> None:
    client = d.client(sandbox)
    action_id = d.run(client.actions.create(newsletter())).id
    error = d.raises(lambda: client.actions.send(action_id, "alice@example.com"))
    assert isinstance(error, np6.ConflictError)
    assert KEY not in "\n".join([str(error), repr(error), *traceback.format_exception(error)])


# ----------------------------------------------------------------------------------------------- Content-Length
def _chunks() -> Iterator[bytes]:
    yield json.dumps(recipient_json("alice@example.com")).encode()


async def _async_chunks() -> AsyncIterator[bytes]:
    yield json.dumps(recipient_json("alice@example.com")).encode()


def test_a_body_without_content_length_is_411(http: httpx.Client, sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    # A generator body makes httpx stream it chunked, without Content-Length.
    response = http.post(f"/actions/{action_id}/execution", content=_chunks(), headers={"content-type": EMAIL_TYPE})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    _assert_empty_error(response, 411)
    assert sandbox.deliveries.count() == 0


def test_an_async_streamed_body_is_411_too(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(transport=sandbox.transport, base_url=BASE_URL, headers={"X-Key": KEY}) as http:
            return await http.post(
                f"/actions/{action_id}/executions", content=_async_chunks(), headers={"content-type": EMAIL_TYPE}
            )

    _assert_empty_error(asyncio.run(post()), 411)
    assert sandbox.deliveries.count() == 0


def _read_until_closed(connection: socket.socket) -> bytes:
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    return data


def test_a_raw_post_without_content_length_is_411_and_the_connection_is_closed(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    body = json.dumps(recipient_json("alice@example.com")).encode()
    head = (
        f"POST /actions/{action_id}/execution HTTP/1.1\r\nHost: sandbox\r\nX-Key: {KEY}\r\n"
        f"Content-Type: {EMAIL_TYPE}\r\n\r\n"
    )
    with sandbox.serve() as server, socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(head.encode() + body)
        # The server cannot tell where the body ends: it must close rather than read it as a next request
        # (a timeout here means the connection was kept alive with the body pending).
        answer = _read_until_closed(connection)
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 411 Length Required"
    assert b"x-request-id: " in rest
    assert b"connection: close" in rest.lower()
    assert answer.count(b"HTTP/1.1") == 1
    assert sandbox.deliveries.count() == 0


def test_a_malformed_content_length_is_400_with_a_request_id(sandbox: Sandbox) -> None:
    head = f"POST /actions/000AAA/execution HTTP/1.1\r\nHost: sandbox\r\nX-Key: {KEY}\r\nContent-Length: -3\r\n\r\n"
    with sandbox.serve() as server, socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(head.encode())
        answer = _read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"x-request-id: " in answer


# ---------------------------------------------------------------------------------------------------- request id
def test_every_answer_carries_its_own_request_id() -> None:
    sandbox = Sandbox(api_key=KEY, rate_limit=RateLimit(requests=40, window=60), max_batch_size=1)
    draft = draft_action(sandbox)
    action_id = validated_action(sandbox)
    body = json.dumps(recipient_json("alice@example.com"))
    email = {"content-type": EMAIL_TYPE}
    with raw(sandbox) as http:
        answers = [
            http.get(f"/actions/{action_id}"),  # 200
            http.post(f"/actions/{action_id}/execution", content=body, headers=email),  # 200
            http.get(f"/actions/{action_id}/export/tracking/opens"),  # 204
            http.post(f"/actions/{action_id}/execution", content='{"recipient": 1}', headers=email),  # 400
            http.get(f"/actions/{action_id}", headers={"X-Key": "nope"}),  # 401
            http.get("/actions/NOSUCH"),  # 404
            http.get("/nowhere"),  # 404, no operation
            http.patch(f"/actions/{action_id}"),  # 405
            http.post(f"/actions/{draft}/execution", content=body, headers=email),  # 409
            http.post(f"/actions/{action_id}/execution", content=_chunks(), headers=email),  # 411
            http.post(f"/actions/{action_id}/executions", content=f"[{body},{body}]", headers=email),  # 413
            http.post(f"/actions/{action_id}/execution", json=recipient_json("a@example.com")),  # 415
            http.get("/_sandbox/deliveries"),  # 200, sandbox endpoint
        ]
        while (limited := http.get("/actions")).status_code != 429:
            pass
        answers.append(limited)
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200, 200, 204, 400, 401, 404, 404, 405, 409, 411, 413, 415, 200, 429]
    ids = [answer.headers.get("x-request-id", "") for answer in answers]
    assert all(UUID.match(value) for value in ids), ids
    assert len(set(ids)) == len(ids)
    assert answers[7].headers["allow"] == "DELETE, GET, PUT"
    # A delivery remembers the request that carried it.
    assert sandbox.deliveries[0].request_id == ids[1]
    assert sandbox.mismatches == []


def test_the_overlay_exposes_the_request_id_of_a_success(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    answer = d.run(client.with_response(client.actions.send)(action_id, "alice@example.com"))
    assert answer.status_code == 200
    assert UUID.match(answer.request_id or "")
    assert sandbox.deliveries[0].request_id == answer.request_id
    assert sandbox.deliveries[0].message_id == answer.parsed.id


# ------------------------------------------------------------------------------------------- spec validation
@pytest.mark.parametrize("endpoint", SEND_AND_RENDER)
@pytest.mark.parametrize(
    "body",
    [
        {"type": "unicity", "value": "alice@example.com"},
        {"type": "id"},
        {"type": "unicity", "value": []},
        "alice@example.com",
    ],
    ids=["unicity-scalar", "id-without-value", "no-unicity-value", "string"],
)
def test_a_contact_the_spec_refuses_is_400(http: httpx.Client, sandbox: Sandbox, endpoint: str, body: object) -> None:
    action_id = validated_action(sandbox)
    definition = recipient_json("alice@example.com", endpoint)
    definition[next(iter(definition))] = body
    response = http.post(
        f"/actions/{action_id}/{endpoint}", content=json.dumps(definition), headers={"content-type": EMAIL_TYPE}
    )
    _assert_empty_error(response, 400)
    assert sandbox.deliveries.count() == 0


def test_malformed_json_is_400(sandbox: Sandbox) -> None:
    action_id = validated_action(sandbox)
    with raw(sandbox) as http:
        response = http.post(f"/actions/{action_id}/execution", content=b"{", headers={"content-type": EMAIL_TYPE})
    _assert_empty_error(response, 400)


def test_an_action_with_a_string_sender_is_400(sandbox: Sandbox) -> None:
    body = newsletter().to_dict()
    # What the builders prevent: NP6 wants `from` as {prefix, domain, label}, never a string (facts sheet 3.4).
    body["content"]["headers"]["from"] = "news@example.com"
    with raw(sandbox) as http:
        response = http.post("/actions", json=body)
    _assert_empty_error(response, 400)
    assert len(sandbox.actions) == 0


def test_a_bad_query_value_on_duplication_answers_a_declared_status(sandbox: Sandbox) -> None:
    action_id = draft_action(sandbox)
    with raw(sandbox) as http:
        response = http.post(f"/actions/{action_id}/duplication", params={"folder": "abc"})
        on_list = http.get("/actions", params={"creation_start": "yesterday"})
    # The spec declares no 400 on duplication: the sandbox answers 404 (NP6's answer to invalid values) rather
    # than a status that would be a spec mismatch.
    _assert_empty_error(response, 404)
    _assert_empty_error(on_list, 400)
    assert len(sandbox.actions) == 1


def test_sandboxes_share_the_compiled_spec() -> None:
    # Compiled schema checks are cached per spec for the life of the process: one spec per sandbox would keep
    # every sandbox's checks alive (about half a megabyte each, one sandbox per test).
    assert Sandbox().app.spec is Sandbox(validation="off").app.spec


def test_a_full_workflow_in_full_validation_leaves_no_mismatch(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, validation="full", unknown_recipients=["ghost@example.com"])
    client = d.client(sandbox)
    email = d.run(client.actions.create(newsletter()))
    sms = d.run(client.actions.create(promo_sms()))
    copy = d.run(client.actions.duplicate(email.id))
    d.run(client.actions.update(copy.id, newsletter("Copy")))
    d.run(client.actions.delete(copy.id))
    d.run(client.actions.list())
    for action in (email, sms):
        d.run(client.actions.validate_for_test(action.id, test_segments=[1]))
        d.run(client.actions.unvalidate(action.id))
        d.run(client.actions.validate(action.id, test_segments=[1]))
    d.run(client.actions.render(email.id, np6.EmailMessage("alice@example.com", data={"first_name": "Alice"})))
    d.run(client.actions.render_many(sms.id, ["+33600000001", "ghost@example.com"]))
    d.run(client.actions.render_links(email.id, "alice@example.com"))
    d.run(client.actions.send(email.id, np6.EmailMessage("alice@example.com", subject="Hi", html="<p>Hi</p>")))
    d.run(client.actions.send(sms.id, "ghost@example.com"))
    report = d.run(client.actions.send_many(email.id, [f"u{i}@example.com" for i in range(30)] + ["ghost@example.com"]))
    d.run(client.actions.send_many(sms.id, [np6.SmsMessage(f"+3360000{i:04d}", text="Hi") for i in range(10)]))
    target = sandbox.deliveries[0].contact_id
    d.run(client.actions.send_to_target(email.id, target, data={"first_name": "Alice"}))
    d.run(client.actions.export_opens(email.id))
    d.run(client.actions.export_clicks(email.id))
    assert report.counts == {"sent": 30, "rejected": 1, "failed": 0, "unknown": 0}
    assert sandbox.deliveries.count() == 1 + 30 + 10 + 1
    assert sandbox.mismatches == []
    with raw(sandbox) as http:
        assert http.get("/_sandbox/mismatches").json() == {"count": 0, "mismatches": []}


# ------------------------------------------------------------------------------------ mismatches are loud
def test_an_answer_the_spec_forbids_raises_in_the_caller_when_strict(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY)
    client = d.client(sandbox)
    # 413 is declared on batch operations only: a scripted 413 on a GET is something NP6 cannot answer.
    sandbox.faults.add(Fault.error(413, operation="list_actions"))
    error = d.raises(client.actions.list)
    assert isinstance(error, SpecMismatchError)
    assert (error.operation_id, error.status) == ("list_actions", 413)
    assert len(sandbox.mismatches) == 1


def test_a_lenient_sandbox_records_the_mismatch_and_answers(d: Driver) -> None:
    sandbox = Sandbox(api_key=KEY, strict=False)
    client = d.client(sandbox)
    sandbox.faults.add(Fault.error(413, operation="list_actions"))
    assert isinstance(d.raises(client.actions.list), np6.PayloadTooLargeError)
    assert [m.status for m in sandbox.mismatches] == [413]


def test_the_server_turns_a_mismatch_into_a_500() -> None:
    sandbox = Sandbox(api_key=KEY)
    sandbox.faults.add(Fault.error(413, operation="list_actions"))
    with sandbox.serve() as server, httpx.Client(base_url=server.url, headers={"X-Key": KEY}) as http:
        response = http.get("/actions")
        recorded = http.get("/_sandbox/mismatches").json()
    assert response.status_code == 500
    assert response.text.startswith("SpecMismatchError: GET /actions (list_actions) answered 413")
    assert UUID.match(response.headers["x-request-id"])
    assert recorded["count"] == 1
    assert "413" in recorded["mismatches"][0]
