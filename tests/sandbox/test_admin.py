"""The `/_sandbox/` endpoints in-process: what they refuse, and what each does to the sandbox's state.

Why in-process: another process scripts the sandbox through these endpoints, and a refused request must leave
the state as it was; `test_server` covers the happy path over a socket."""

from __future__ import annotations

import json
from typing import Any

import pytest
from np6.sandbox import Fault, Sandbox

from tests.sandbox.support import KEY, UUID, raw, stored_action


def _assert_empty(response: Any, status: int) -> None:
    assert response.status_code == status
    assert response.content == b""
    assert UUID.match(response.headers["x-request-id"])


# --------------------------------------------------------------------------------------------------- contacts
@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"",
        b'["a@example.com"]',
        b'"a@example.com"',
        b"{}",
        b'{"unicity": ""}',
        b'{"unicity": []}',
        b'{"unicity": ["a@example.com", ""]}',
        b'{"unicity": ["a@example.com", 7]}',
        b'{"unicity": "a@example.com", "fields": ["first_name"]}',
        b'{"unicity": "a@example.com", "id": 42}',
    ],
    ids=[
        "malformed-json",
        "no-body",
        "array",
        "string",
        "no-unicity",
        "empty-unicity",
        "no-unicity-part",
        "empty-unicity-part",
        "number-unicity-part",
        "fields-not-an-object",
        "id-not-a-string",
    ],
)
def test_a_malformed_contact_is_400_and_creates_nothing(sandbox: Sandbox, body: bytes) -> None:
    with raw(sandbox) as http:
        response = http.post("/_sandbox/contacts", content=body)
    _assert_empty(response, 400)
    assert len(sandbox.contacts) == 0


def test_a_contact_of_several_unicity_parts_is_found_by_its_joined_value(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        response = http.post("/_sandbox/contacts", json={"unicity": ["Alice", "+33600000001"]})
    assert response.status_code == 201
    contact = response.json()
    assert contact["type"] == "footprint"
    assert contact["unicity"] == "Alice|+33600000001"
    assert contact["fields"] == {}
    found = sandbox.contacts.get(contact["id"])
    assert found is not None
    assert (found.unicity, found.hash) == (contact["unicity"], contact["hash"])


def test_a_known_unicity_value_gets_the_same_contact_with_merged_fields(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        first = http.post("/_sandbox/contacts", json={"unicity": "vip@example.com", "fields": {"first_name": "V"}})
        again = http.post("/_sandbox/contacts", json={"unicity": "vip@example.com", "fields": {"last_name": "IP"}})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["fields"] == {"first_name": "V", "last_name": "IP"}
    assert len(sandbox.contacts) == 1


def test_a_contact_id_already_taken_is_409(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        taken = http.post("/_sandbox/contacts", json={"unicity": "one@example.com", "id": "ID000001"})
        clash = http.post("/_sandbox/contacts", json={"unicity": "two@example.com", "id": "ID000001"})
    assert taken.status_code == 201
    _assert_empty(clash, 409)
    assert [contact.unicity for contact in sandbox.contacts] == ["one@example.com"]


# ----------------------------------------------------------------------------------------------------- faults
@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"",
        b"{}",
        b'{"faults": {"kind": "error"}}',
        b"[1]",
        b'[{"kind": "error"}, "drop"]',
        b'[{"kind": "error", "status": 200}]',
        b'[{"kind": "error", "status": "five hundred"}]',
        b'[{"kind": "delay", "delay": -1}]',
        b'[{"kind": "error", "times": "twice"}]',
        b'[{"kind": "error", "times": null}]',
        b'[{"kind": "error", "operation": "get_action", "when": "always"}]',
    ],
    ids=[
        "malformed-json",
        "no-body",
        "object-without-faults",
        "faults-not-a-list",
        "item-not-an-object",
        "one-item-not-an-object",
        "status-not-an-error",
        "status-not-a-number",
        "negative-delay",
        "times-not-a-number",
        "times-null",
        "unknown-field",
    ],
)
def test_a_malformed_fault_list_is_400_and_queues_nothing(sandbox: Sandbox, body: bytes) -> None:
    with raw(sandbox) as http:
        response = http.post("/_sandbox/faults", content=body)
        pending = http.get("/_sandbox/faults").json()
    _assert_empty(response, 400)
    assert pending == {"pending": []}


def test_a_fault_list_is_queued_whole_or_not_at_all(sandbox: Sandbox) -> None:
    faults = [{"kind": "error", "status": 502, "times": 2}, {"kind": "error", "status": 600}]
    with raw(sandbox) as http:
        response = http.post("/_sandbox/faults", json=faults)
    _assert_empty(response, 400)
    assert sandbox.faults.pending() == []


def test_faults_scripted_over_http_are_consumed_in_order(sandbox: Sandbox) -> None:
    action_id = stored_action(sandbox)
    faults = [{"kind": "error", "status": 502, "operation": "get_action", "times": 2}, {"status": 504}]
    with raw(sandbox) as http:
        _assert_empty(http.post("/_sandbox/faults", json={"faults": faults}), 204)
        pending = http.get("/_sandbox/faults").json()["pending"]
        statuses = [http.get(f"/actions/{action_id}").status_code for _ in range(4)]
        left = http.get("/_sandbox/faults").json()
    assert [(fault["kind"], fault["status"], fault["operation"]) for fault in pending] == [
        ("error", 502, "get_action"),
        ("error", 502, "get_action"),
        ("error", 504, None),
    ]
    assert statuses == [502, 502, 504, 200]
    assert left == {"pending": []}


def test_faults_added_in_python_are_listed_in_their_json_form(sandbox: Sandbox) -> None:
    sandbox.faults.add(Fault.drop(operation="send_messages", path=r"/executions$"), Fault.slow(0.5, method="get"))
    with raw(sandbox) as http:
        pending = http.get("/_sandbox/faults").json()["pending"]
    assert pending == [
        {
            "kind": "drop",
            "status": 503,
            "delay": 0.0,
            "after_processing": True,
            "operation": "send_messages",
            "method": None,
            "path": "/executions$",
        },
        {
            "kind": "delay",
            "status": 503,
            "delay": 0.5,
            "after_processing": True,
            "operation": None,
            "method": "get",
            "path": None,
        },
    ]


def test_sandbox_endpoints_never_consume_a_fault(sandbox: Sandbox) -> None:
    sandbox.faults.add(Fault.error(503), Fault.drop(after_processing=False))
    with raw(sandbox) as http:
        answers = [
            http.get("/_sandbox/faults"),
            http.get("/_sandbox/deliveries"),
            http.get("/_sandbox/mismatches"),
            http.post("/_sandbox/contacts", json={"unicity": "a@example.com"}),
        ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 201]
    assert [fault.kind for fault in sandbox.faults.pending()] == ["error", "drop"]


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_other_methods_on_the_fault_queue_are_405(sandbox: Sandbox, method: str) -> None:
    with raw(sandbox) as http:
        response = http.request(method, "/_sandbox/faults", json=[{"kind": "error"}])
    _assert_empty(response, 405)
    assert sandbox.faults.pending() == []


@pytest.mark.parametrize("field", ["times", "status"])
def test_an_infinite_count_or_status_is_400(sandbox: Sandbox, field: str) -> None:
    with raw(sandbox) as http:
        response = http.post("/_sandbox/faults", content=f'[{{"kind": "error", "{field}": Infinity}}]')
    _assert_empty(response, 400)
    assert sandbox.faults.pending() == []


def test_a_nan_delay_is_400(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        response = http.post("/_sandbox/faults", content=b'[{"kind": "delay", "delay": NaN}]')
        listed = http.get("/_sandbox/faults")
    assert response.status_code == 400
    json.loads(listed.content, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


# ------------------------------------------------------------------------------------- deliveries, routes
def test_the_delivery_listing_takes_a_trailing_slash_and_filters_by_action(sandbox: Sandbox) -> None:
    first, second = stored_action(sandbox), stored_action(sandbox)
    with sandbox.client(max_retries=0) as client:
        client.actions.send(first, "alice@example.com")
        client.actions.send_many(second, ["bob@example.com", "carol@example.com"])
    with raw(sandbox) as http:
        everything = http.get("/_sandbox/deliveries/").json()
        of_second = http.get("/_sandbox/deliveries", params={"action_id": second}).json()
    assert everything["count"] == 3
    assert [item["contact"]["unicity"] for item in of_second["deliveries"]] == ["bob@example.com", "carol@example.com"]
    assert {item["operation_id"] for item in of_second["deliveries"]} == {"send_messages"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/_sandbox"), ("GET", "/_sandbox/reset"), ("POST", "/_sandbox/deliveries"), ("GET", "/_sandbox/x")],
)
def test_an_unknown_sandbox_route_is_404_and_changes_nothing(sandbox: Sandbox, method: str, path: str) -> None:
    action_id = stored_action(sandbox)
    with raw(sandbox) as http:
        response = http.request(method, path)
    _assert_empty(response, 404)
    assert sandbox.actions.get(action_id)["id"] == action_id


def test_the_sandbox_endpoints_need_the_key_even_to_answer_404(sandbox: Sandbox) -> None:
    with raw(sandbox, key=None) as http:
        _assert_empty(http.get("/_sandbox/nothing"), 401)
        _assert_empty(http.post("/_sandbox/reset"), 401)
    assert sandbox.faults.pending() == []


# ---------------------------------------------------------------------------------------- mismatches, reset
def test_reset_forgets_recorded_mismatches_and_queued_faults() -> None:
    sandbox = Sandbox(api_key=KEY, strict=False)
    # 413 is not declared on GET /actions: a lenient sandbox answers it and records the mismatch.
    sandbox.faults.add(Fault.error(413, operation="list_actions"), Fault.error(503, operation="get_action"))
    with raw(sandbox) as http:
        assert http.get("/actions").status_code == 413
        before = http.get("/_sandbox/mismatches").json()
        _assert_empty(http.post("/_sandbox/reset/"), 204)
        after = http.get("/_sandbox/mismatches").json()
        faults = http.get("/_sandbox/faults").json()
    assert before["count"] == 1
    assert before["mismatches"][0].startswith("GET /actions (list_actions) answered 413, which the spec does not allow")
    assert after == {"count": 0, "mismatches": []}
    assert faults == {"pending": []}
    assert sandbox.mismatches == []
