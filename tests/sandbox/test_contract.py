"""The contract layer on its own: how `Spec` reads an OpenAPI document and what `ContractValidator` reports.

Why small documents of our own besides the shipped one: the curated NP6 document has no number or boolean
parameter, no required header, no recursive schema and no schema-less media type, yet the sandbox must handle
them the day the document grows one. The problems are asserted word for word: they are what a
`SpecMismatchError` (and `GET /_sandbox/mismatches`) tells the person whose test failed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from np6.sandbox import Sandbox
from np6.sandbox._spec import Spec, shipped_spec
from np6.sandbox._validation import ContractValidator

from tests.sandbox.support import EMAIL_TYPE, KEY, newsletter, raw, recipient_json, validated_action

API_KEY_SCHEME = {"type": "apiKey", "in": "header", "name": "X-Key"}


def _document(
    paths: dict[str, Any],
    *,
    schemas: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    schemes: dict[str, Any] | None = None,
    security: list[dict[str, list[str]]] | None = None,
) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "contract test", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": schemas or {},
            "parameters": parameters or {},
            "securitySchemes": {"key": API_KEY_SCHEME} if schemes is None else schemes,
        },
        "security": [{"key": []}] if security is None else security,
    }


def _query(name: str, schema: Any, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


THINGS = _document(
    {
        "/things": {
            "get": {
                "operationId": "list_things",
                "parameters": [
                    _query("q", {"type": "string"}, required=True),
                    _query("ratio", {"type": "number", "minimum": 0}),
                    _query("flag", {"type": "boolean"}),
                    _query("count", {"type": ["null", "integer"]}),
                    _query("nothing", {"type": ["null"]}),
                    _query("anything", {"description": "no type"}),
                    _query("opaque", True),
                    {"$ref": "#/components/parameters/Page"},
                ],
                "responses": {
                    "200": {
                        "description": "things",
                        "headers": {"X-Total": {"required": True, "schema": {"type": "integer", "minimum": 0}}},
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": {"type": "string"}}},
                            "text/csv": {"schema": {"type": "string", "maxLength": 1}},
                            "application/octet-stream": {},
                        },
                    },
                    "default": {"description": "anything else"},
                },
            },
            "post": {
                "operationId": "create_thing",
                "requestBody": {"required": True, "content": {"application/json": {}}},
                "responses": {"204": {"description": "created"}},
            },
        },
        "/tree": {
            "get": {
                "operationId": "get_tree",
                "responses": {
                    "200": {
                        "description": "a tree",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}},
                    }
                },
            }
        },
    },
    schemas={
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        },
        "PageNumber": {"type": ["integer", "null"], "minimum": 1},
    },
    parameters={"Page": _query("page", {"$ref": "#/components/schemas/PageNumber"})},
)

# One Spec for the module: compiled checks are cached per Spec for the life of the process.
THINGS_SPEC = Spec(THINGS)
JSON_HEADERS = {"content-type": "application/json", "x-total": "3"}


@pytest.fixture(scope="module")
def things() -> ContractValidator:
    return ContractValidator(THINGS_SPEC)


@pytest.fixture(scope="module")
def np6_spec() -> Spec:
    return shipped_spec()


@pytest.fixture(scope="module")
def full(np6_spec: Spec) -> ContractValidator:
    return ContractValidator(np6_spec)


# ------------------------------------------------------------------------------------------- reading a document
def test_the_api_key_header_is_the_first_header_api_key_the_document_requires() -> None:
    spec = Spec(
        _document(
            {},
            schemes={
                "basic": {"type": "http", "scheme": "basic"},
                "query": {"type": "apiKey", "in": "query", "name": "key"},
                "header": {"type": "apiKey", "in": "header", "name": "X-Custom-Key"},
            },
            security=[{"basic": []}, {"query": [], "header": []}],
        )
    )
    assert spec.api_key_header == "x-custom-key"


def test_a_document_without_a_header_api_key_is_refused() -> None:
    document = _document(
        {}, schemes={"query": {"type": "apiKey", "in": "query", "name": "key"}}, security=[{"query": []}, {}]
    )
    with pytest.raises(ValueError, match="the document declares no header API key"):
        Spec(document)


def test_a_duplicate_operation_id_is_refused() -> None:
    answer = {"responses": {"204": {"description": "done"}}}
    document = _document(
        {"/a": {"get": {"operationId": "same", **answer}}, "/b": {"get": {"operationId": "same", **answer}}}
    )
    with pytest.raises(ValueError, match="duplicate operationId 'same'"):
        Spec(document)


@pytest.mark.parametrize("location", ["header", "cookie"])
def test_header_and_cookie_parameters_are_refused(location: str) -> None:
    # The core reads path and query parameters only: a document needing more must fail at load, not be ignored.
    parameter = {"name": "token", "in": location, "schema": {"type": "string"}}
    document = _document({"/a": {"get": {"operationId": "a", "parameters": [parameter], "responses": {}}}})
    with pytest.raises(ValueError, match=f"unsupported parameter location '{location}' at /paths/~1a/get/parameters/0"):
        Spec(document)


@pytest.mark.parametrize(
    ("parameters", "ref"),
    [
        ({}, "other.json#/components/parameters/Page"),
        (
            {"Page": {"$ref": "#/components/parameters/Again"}, "Again": {"$ref": "#/components/parameters/Page"}},
            "#/components/parameters/Page",
        ),
    ],
    ids=["external", "cyclic"],
)
def test_external_and_cyclic_references_are_refused(parameters: dict[str, Any], ref: str) -> None:
    operation = {"operationId": "a", "parameters": [{"$ref": "#/components/parameters/Page"}], "responses": {}}
    document = _document({"/a": {"get": operation}}, parameters=parameters or {"Page": {"$ref": ref}})
    with pytest.raises(ValueError, match=f"unsupported or cyclic reference '{ref}'"):
        Spec(document)


def test_parameters_decode_to_the_type_their_schema_names(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["list_things"]
    query = {
        "q": ["hello"],
        "ratio": [" 0.25 "],
        "flag": ["TRUE"],
        "count": ["7"],
        "anything": ["12"],
        "opaque": ["false"],
        "page": ["2"],
        "unknown": ["ignored"],
    }
    values, problems = things.parameters(operation, {}, query)
    assert problems == []
    # A nullable type decodes as its concrete type, even through a `$ref`; without a type the text stays text.
    assert values == {
        "q": "hello",
        "ratio": 0.25,
        "flag": True,
        "count": 7,
        "anything": "12",
        "opaque": "false",
        "page": 2,
    }


@pytest.mark.parametrize(
    ("name", "raw", "problem", "kept"),
    [
        ("ratio", "half", "query parameter 'ratio': 'half' is not a number", False),
        ("ratio", "-1", "query parameter 'ratio': -1.0 is less than the minimum of 0", True),
        ("flag", "yes", "query parameter 'flag': 'yes' is not a boolean", False),
        ("count", "many", "query parameter 'count': 'many' is not an integer", False),
        ("nothing", "raw", "query parameter 'nothing': 'raw' is not of type 'null'", True),
        ("page", "0", "query parameter 'page': 0 is less than the minimum of 1", True),
    ],
)
def test_an_undecodable_or_out_of_schema_parameter_is_a_problem(
    things: ContractValidator, name: str, raw: str, problem: str, kept: bool
) -> None:
    values, problems = things.parameters(THINGS_SPEC.operations["list_things"], {}, {"q": ["x"], name: [raw]})
    assert problems == [problem]
    # An undecodable value is left out rather than passed on as text of the wrong type.
    assert (name in values) is kept


def test_a_missing_required_query_parameter_is_a_problem(things: ContractValidator) -> None:
    values, problems = things.parameters(THINGS_SPEC.operations["list_things"], {}, {"q": []})
    assert problems == ["query parameter 'q' is required"]
    assert values == {}


# ---------------------------------------------------------------------------------------------------- answers
def test_a_required_response_header_must_be_sent_and_match_its_schema(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["list_things"]
    body = b'["a"]'
    assert things.response(operation, 200, JSON_HEADERS, body) == []
    assert things.response(operation, 200, {"content-type": "application/json"}, body) == [
        "required header 'x-total' is missing"
    ]
    assert things.response(operation, 200, {**JSON_HEADERS, "x-total": "-1"}, body) == [
        "header 'x-total': -1 is less than the minimum of 0"
    ]


def test_only_json_bodies_are_checked_against_their_schema(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["list_things"]
    assert things.response(operation, 200, JSON_HEADERS, b'[1, "b"]') == ["body[0]: 1 is not of type 'string'"]
    # The sandbox cannot parse CSV nor bytes: a declared media type is all it can check for them.
    assert things.response(operation, 200, {**JSON_HEADERS, "content-type": "text/csv"}, b"too long") == []
    assert things.response(operation, 200, {**JSON_HEADERS, "content-type": "application/octet-stream"}, b"\0") == []
    assert things.response(operation, 200, {**JSON_HEADERS, "content-type": "text/html"}, b"<p>") == [
        "content type 'text/html' is not declared (application/json, text/csv, application/octet-stream)"
    ]


def test_a_default_response_covers_any_undeclared_status(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["list_things"]
    assert operation.declares(418)
    assert things.response(operation, 418, {}, b"") == []


def test_a_recursive_schema_is_checked_at_any_depth(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["get_tree"]
    tree: dict[str, Any] = {"value": 1, "children": [{"value": 2, "children": [{"value": 3, "children": []}]}]}
    assert things.response(operation, 200, {"content-type": "application/json"}, json.dumps(tree).encode()) == []
    tree["children"][0]["children"][0]["value"] = "three"
    assert things.response(operation, 200, {"content-type": "application/json"}, json.dumps(tree).encode()) == [
        "body.children[0].children[0].value: 'three' is not of type 'integer'"
    ]


def test_a_request_body_without_a_schema_takes_any_json(things: ContractValidator) -> None:
    operation = THINGS_SPEC.operations["create_thing"]
    assert things.request_body(operation, "application/json", {"any": ["thing", 1, None]}) == []
    assert things.request_body(operation, "application/xml", "<a/>") == ["media type 'application/xml' is not accepted"]


def test_the_validator_compiles_every_schema_the_operations_use(things: ContractValidator) -> None:
    pointers = set(things.pointers())
    assert "/paths/~1things/get/parameters/1/schema" in pointers
    assert "/components/parameters/Page/schema" in pointers
    assert "/paths/~1things/get/responses/200/headers/X-Total/schema" in pointers
    assert "/paths/~1tree/get/responses/200/content/application~1json/schema" in pointers
    # Media types without a schema have nothing to compile.
    assert not any("octet-stream" in pointer or "/post/requestBody" in pointer for pointer in pointers)
    # Compiled once per Spec, whatever the number of validators (one per sandbox).
    assert ContractValidator(THINGS_SPEC, "off")._checks is things._checks


def test_an_unknown_validation_mode_or_a_tiny_sample_is_refused(np6_spec: Spec) -> None:
    with pytest.raises(ValueError, match=r"validate must be one of \('full', 'sample', 'off'\), not 'strict'"):
        Sandbox(validation="strict")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sample_size must be at least 2"):
        ContractValidator(np6_spec, "sample", sample_size=1)


# ------------------------------------------------------------------------------------ answers of the NP6 spec
def test_each_way_an_np6_answer_breaks_the_spec_is_named(full: ContractValidator, np6_spec: Spec) -> None:
    listing = np6_spec.operations["list_actions"]
    json_type = {"content-type": "application/json"}
    assert full.response(listing, 418, {}, b"") == [
        "status 418 is not declared (declared: 200, 400, 401, 403, 429, 5XX)"
    ]
    assert full.response(listing, 503, {}, b"") == []
    assert full.response(listing, 200, {"content-type": "text/plain"}, b"[]") == [
        "content type 'text/plain' is not declared (application/json)"
    ]
    assert full.response(listing, 200, {"content-type": "application/json; charset=utf-8"}, b"[]") == []
    (not_json,) = full.response(listing, 200, json_type, b"[{")
    assert not_json.startswith("the body is not JSON: Expecting ")
    assert full.response(listing, 200, json_type, b'"actions"') == ["body: 'actions' is not of type 'array'"]
    assert full.response(listing, 429, {"x-ratelimit-limit": "many", "retry-after": "1"}, b"") == [
        "header 'x-ratelimit-limit': 'many' is not an integer"
    ]
    assert full.response(np6_spec.operations["delete_action"], 204, {}, b"{}") == [
        "a body was sent but the spec declares none for 204"
    ]


def test_a_send_body_is_checked_for_the_media_type_it_is_sent_as(full: ContractValidator, np6_spec: Spec) -> None:
    send = np6_spec.operations["send_message"]
    assert full.request_body(send, EMAIL_TYPE, recipient_json("alice@example.com")) == []
    assert full.request_body(send, "application/json", recipient_json("alice@example.com")) == [
        "media type 'application/json' is not accepted"
    ]
    assert full.request_body(send, EMAIL_TYPE, {"recipient": 1}) == [
        "body.recipient: 1 is not valid under any of the given schemas"
    ]


def test_validation_off_keeps_statuses_media_types_and_parameter_types_only(np6_spec: Spec) -> None:
    off = ContractValidator(np6_spec, "off")
    listing = np6_spec.operations["list_actions"]
    assert off.response(listing, 200, {"content-type": "application/json"}, b'"actions"') == []
    assert off.response(listing, 418, {}, b"") == [
        "status 418 is not declared (declared: 200, 400, 401, 403, 429, 5XX)"
    ]
    assert off.response(listing, 200, {"content-type": "text/plain"}, b"[]") == [
        "content type 'text/plain' is not declared (application/json)"
    ]
    assert off.response(listing, 200, {"content-type": "application/json"}, b"[{")[0].startswith("the body is not JSON")
    assert off.request_body(np6_spec.operations["send_message"], EMAIL_TYPE, {"recipient": 1}) == []
    duplication = np6_spec.operations["duplicate_action"]
    assert off.parameters(duplication, {"id": "000AAA"}, {"folder": ["-5"]}) == ({"id": "000AAA", "folder": -5}, [])
    assert off.parameters(duplication, {"id": "000AAA"}, {"folder": ["abc"]}) == (
        {"id": "000AAA"},
        ["query parameter 'folder': 'abc' is not an integer"],
    )


# ------------------------------------------------------------------------------------------------- sampling
def _bad_batch(size: int, bad: range | list[int]) -> list[dict[str, Any]]:
    batch = [recipient_json(f"u{i}@example.com") for i in range(size)]
    for index in bad:
        batch[index] = {"recipient": index}
    return batch


def test_sampled_problems_name_their_items_and_stop_at_five(np6_spec: Spec) -> None:
    sample = ContractValidator(np6_spec, "sample")
    problems = sample.request_body(np6_spec.operations["send_messages"], EMAIL_TYPE, _bad_batch(100, range(100)))
    assert len(problems) == 5
    assert problems[0] == "body[0].recipient: 0 is not valid under any of the given schemas"
    indices = [int(problem.split("]")[0].removeprefix("body[")) for problem in problems]
    assert indices == sorted(set(indices))


def test_a_sample_rotates_until_it_reaches_a_lone_bad_item(np6_spec: Spec) -> None:
    send = np6_spec.operations["send_messages"]
    batch = _bad_batch(100, [37])
    assert ContractValidator(np6_spec, "full").request_body(send, EMAIL_TYPE, batch) == [
        "body[37].recipient: 37 is not valid under any of the given schemas"
    ]
    sample = ContractValidator(np6_spec, "sample", sample_size=4)
    attempts = [sample.request_body(send, EMAIL_TYPE, batch) for _ in range(60)]
    # Four items of a hundred per call: the first call misses item 37, and a later one must not.
    assert attempts[0] == []
    assert ["body[37].recipient: 37 is not valid under any of the given schemas"] in attempts
    # Arrays no longer than the sample are checked whole.
    assert sample.request_body(send, EMAIL_TYPE, _bad_batch(4, [2])) == [
        "body[2].recipient: 2 is not valid under any of the given schemas"
    ]


# ------------------------------------------------------------------------------------ a sandbox with it off
def test_with_validation_off_a_body_the_spec_refuses_reaches_the_operation() -> None:
    sandbox = Sandbox(api_key=KEY, validation="off")
    action_id = validated_action(sandbox)
    body = newsletter().to_dict()
    body["content"]["headers"]["from"] = "news@example.com"
    with raw(sandbox) as http:
        created = http.post("/actions", json=body)
        sent = http.post(
            f"/actions/{action_id}/execution",
            content=json.dumps({"recipient": "alice@example.com"}),
            headers={"content-type": EMAIL_TYPE},
        )
    # A full sandbox answers both with 400 (see test_http): off, NP6's semantics are all that is left.
    assert created.status_code == 200
    assert created.json()["content"]["headers"]["from"] == "news@example.com"
    assert sent.status_code == 200
    assert sent.json() == {
        "type": "error",
        "value": {"type": "unsupported recipient type", "recipient": "alice@example.com"},
    }
    assert sandbox.deliveries.count() == 0
    assert sandbox.mismatches == []


def test_with_validation_off_statuses_media_types_and_parameter_types_still_hold() -> None:
    sandbox = Sandbox(api_key=KEY, validation="off")
    action_id = validated_action(sandbox)
    with raw(sandbox) as http:
        as_json = http.post(f"/actions/{action_id}/execution", json=recipient_json("alice@example.com"))
        folder = http.post(f"/actions/{action_id}/duplication", params={"folder": "abc"})
        field = http.get("/fields/abc")
        # No schema says `yesterday` is not a date-time any more: the operation's own reading of it refuses it.
        listing = http.get("/actions", params={"creation_start": "yesterday"})
        events = http.get("/actions/events", params={"start": "2024-13-01T00:00:00Z"})
        naive = http.get("/actions", params={"creation_end": "2000-01-01T00:00:00"})
    assert [r.status_code for r in (as_json, folder, field, listing, events)] == [415, 404, 404, 400, 400]
    assert all(r.content == b"" for r in (as_json, folder, field, listing, events))
    # A naive instant is taken as UTC, not refused.
    assert (naive.status_code, naive.json()) == (200, [])
    assert sandbox.mismatches == []


def test_a_lower_case_rfc3339_instant_is_accepted(sandbox: Sandbox) -> None:
    with raw(sandbox) as http:
        response = http.get("/actions", params={"creation_start": "2024-06-30t10:00:00z"})
    assert response.status_code == 200
