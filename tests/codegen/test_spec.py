"""The curated spec (`spec/np6-cm.openapi.yaml`): valid OpenAPI 3.1 and faithful to NP6 CM 8.1.0.

Everything here reads the YAML source itself; nothing is taken from the generated package.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.codegen.spec_support import load_spec as _load_spec

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
VENDOR_TYPES = {"application/vnd.np6.cm.email", "application/vnd.np6.cm.sms"}


SPEC = _load_spec()


def _resolve(node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`) until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert isinstance(ref, str)
        assert ref.startswith("#/"), f"only local references are expected, got {ref}"
        assert ref not in seen, f"reference cycle at {ref}"
        seen.add(ref)
        node = SPEC
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(method, path, operation, path item) of every operation of the spec."""
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method], item


OPERATIONS = {operation["operationId"]: (method, path, operation) for method, path, operation, _ in _operations()}

# The operations of NP6 CM 8.1.0 "Email & SMS" (method, path) -> operationId.
EXPECTED_OPERATIONS = {
    ("get", "/actions"): "list_actions",
    ("post", "/actions"): "create_action",
    ("get", "/actions/{id}"): "get_action",
    ("put", "/actions/{id}"): "update_action",
    ("delete", "/actions/{id}"): "delete_action",
    ("post", "/actions/{id}/duplication"): "duplicate_action",
    ("post", "/actions/{id}/validation"): "validate_action",
    ("delete", "/actions/{id}/validation"): "unvalidate_action",
    ("post", "/actions/{id}/render"): "render_message",
    ("post", "/actions/{id}/renders"): "render_messages",
    ("post", "/actions/{id}/execution"): "send_message",
    ("post", "/actions/{id}/executions"): "send_messages",
    ("post", "/actions/{id}/render/links"): "render_links",
    ("get", "/actions/{id}/export/tracking/opens"): "export_action_openers",
    ("get", "/actions/{id}/export/tracking/clicks"): "export_action_clickers",
    ("post", "/actions/{id}/targets/{targetId}"): "send_message_to_target",
}
DEPRECATED = {
    "list_actions",
    "export_action_openers",
    "export_action_clickers",
    "render_links",
    "send_message_to_target",
    # Flagged "Deprecated" in the 8.1.0 reference, with no successor named (catalog 4.11).
    "list_fields",
    "list_value_lists",
    "update_segment",
    "list_segment_targets",
    "add_segment_targets",
    "clear_segment_targets",
}
VENDOR_OPERATIONS = {"render_message", "render_messages", "send_message", "send_messages"}
ARRAY_BODY_OPERATIONS = {"render_messages", "send_messages"}


# ----------------------------------------------------------------------------------------------- document


def test_spec_is_valid_openapi_3_1() -> None:
    validate(SPEC, cls=OpenAPIV31SpecValidator)


def test_spec_validator_rejects_an_invalid_response_key() -> None:
    """Control: the validator used above does catch a broken document."""
    broken = _load_spec()
    broken["paths"]["/actions/{id}"]["get"]["responses"]["abc"] = {"description": "not a status code"}
    with pytest.raises(OpenAPIValidationError, match="abc"):
        validate(broken, cls=OpenAPIV31SpecValidator)


def test_info_version_and_openapi_dialect() -> None:
    assert SPEC["info"]["version"] == "8.1.0"
    assert re.fullmatch(r"3\.1\.\d+", SPEC["openapi"]), SPEC["openapi"]


def test_server_is_the_np6_production_api() -> None:
    assert [server["url"] for server in SPEC["servers"]] == ["https://api-cm.np6.com"]


def test_global_api_key_security_in_the_x_key_header() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    api_key_schemes = [
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header" and scheme.get("name") == "X-Key"
    ]
    assert api_key_schemes, "no apiKey security scheme for the X-Key header"
    required = {name for requirement in SPEC.get("security", []) for name in requirement}
    assert required & set(api_key_schemes), "the X-Key scheme is not required globally"
    for method, path, operation, _ in _operations():
        if "security" in operation:  # an override must keep the key (and `[]` would make the call anonymous)
            names = {name for requirement in operation["security"] for name in requirement}
            assert names & set(api_key_schemes), f"{method.upper()} {path} drops the X-Key security"


def _all_parameters() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, parameter in SPEC.get("components", {}).get("parameters", {}).items():
        yield f"components/parameters/{name}", _resolve(parameter)
    for path, item in SPEC["paths"].items():
        for parameter in item.get("parameters", []):
            yield path, _resolve(parameter)
        for method in HTTP_METHODS:
            for parameter in item.get(method, {}).get("parameters", []):
                yield f"{method.upper()} {path}", _resolve(parameter)


def test_no_x_key_header_parameter_anywhere() -> None:
    parameters = list(_all_parameters())
    assert parameters  # the walk does find parameters (the path ids at least)
    offenders = [
        where
        for where, parameter in parameters
        if parameter["in"] == "header" and parameter["name"].lower() in {"x-key", "authorization"}
    ]
    assert offenders == [], "the key is a security scheme, not a parameter"


# --------------------------------------------------------------------------------------------- operations


def test_every_np6_operation_is_present_with_its_method_and_path() -> None:
    found = {(method, path): operation["operationId"] for method, path, operation, _ in _operations()}
    missing = {key: op_id for key, op_id in EXPECTED_OPERATIONS.items() if found.get(key) != op_id}
    assert missing == {}, f"missing or renamed: {missing}"
    assert len(OPERATIONS) == len(found), "operationIds must be unique"


def test_every_path_parameter_is_declared_and_required() -> None:
    for method, path, operation, item in _operations():
        declared = {
            parameter["name"]: parameter
            for parameter in map(_resolve, [*item.get("parameters", []), *operation.get("parameters", [])])
            if parameter["in"] == "path"
        }
        assert set(declared) == set(re.findall(r"{([^}]+)}", path)), f"{method.upper()} {path}"
        assert all(parameter.get("required") is True for parameter in declared.values())


def test_list_actions_filters_by_creation_date() -> None:
    _, _, operation = OPERATIONS["list_actions"]
    query = {p["name"]: p for p in map(_resolve, operation.get("parameters", [])) if p["in"] == "query"}
    assert {"creation_start", "creation_end"} <= set(query)
    for name in ("creation_start", "creation_end"):
        assert not query[name].get("required", False)
        assert query[name]["schema"].get("format") == "date-time"


def test_deprecated_operations() -> None:
    deprecated = {op_id for op_id, (_, _, operation) in OPERATIONS.items() if operation.get("deprecated") is True}
    assert deprecated == DEPRECATED


@pytest.mark.parametrize("operation_id", sorted(VENDOR_OPERATIONS))
def test_send_and_render_declare_exactly_both_vendor_media_types(operation_id: str) -> None:
    _, _, operation = OPERATIONS[operation_id]
    body = _resolve(operation["requestBody"])
    assert body.get("required") is True
    assert set(body["content"]) == VENDOR_TYPES
    for media_type, media in body["content"].items():
        schema = _resolve(media["schema"])
        is_array = schema.get("type") == "array"
        assert is_array == (operation_id in ARRAY_BODY_OPERATIONS), f"{operation_id} {media_type}"
        if is_array:
            assert "items" in schema


def test_no_other_operation_uses_a_vendor_media_type() -> None:
    for op_id, (_, _, operation) in OPERATIONS.items():
        if op_id not in VENDOR_OPERATIONS and "requestBody" in operation:
            assert set(_resolve(operation["requestBody"])["content"]) == {"application/json"}, op_id


def _error_responses() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for _, _, operation, _ in _operations():
        for status, response in operation["responses"].items():
            if str(status)[0] in "45":
                yield f"{operation['operationId']} {status}", str(status), _resolve(response)


ERROR_RESPONSES = list(_error_responses())


def test_the_usual_error_statuses_are_documented() -> None:
    statuses = {status for _, status, _ in ERROR_RESPONSES}
    assert {"400", "401", "403", "404", "409", "411", "415", "429", "5XX"} <= statuses


@pytest.mark.parametrize(
    ("status", "response"), [pytest.param(status, response, id=where) for where, status, response in ERROR_RESPONSES]
)
def test_error_response_has_no_body_and_documents_its_headers(status: str, response: dict[str, Any]) -> None:
    assert not response.get("content"), "NP6 error responses have no documented body"
    headers = response.get("headers", {})
    wanted = {"x-request-id"}
    if status == "429":
        wanted |= {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
    assert wanted <= set(headers)
    for name in wanted:
        assert "schema" in _resolve(headers[name]), name


# ----------------------------------------------------------------------------------------------- examples

BASE_URI = "urn:np6-cm:openapi"
REGISTRY = Registry().with_resource(BASE_URI, DRAFT202012.create_resource(SPEC))
SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def _pointer(*parts: str) -> str:
    return "".join("/" + quote(part.replace("~", "~0").replace("/", "~1"), safe="") for part in parts)


def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{BASE_URI}#{pointer}"}, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _schema_examples(schema: Any, parts: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    """(label, pointer parts of the schema, example) for `examples`/`example` in `schema` and its subschemas."""
    if not isinstance(schema, dict):
        return
    for index, example in enumerate(schema.get("examples", [])):
        yield f"{'/'.join(parts)}[{index}]", parts, example
    if "example" in schema:
        yield f"{'/'.join(parts)}[example]", parts, schema["example"]
    for key in SCHEMA_CHILDREN:
        yield from _schema_examples(schema.get(key), (*parts, key))
    for key in SCHEMA_LISTS:
        for index, child in enumerate(schema.get(key, [])):
            yield from _schema_examples(child, (*parts, key, str(index)))
    for key in SCHEMA_MAPS:
        for name, child in schema.get(key, {}).items():
            yield from _schema_examples(child, (*parts, key, name))


def _media_examples(media: dict[str, Any], parts: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    schema_parts = (*parts, "schema")
    if "example" in media:
        yield f"{'/'.join(parts)}[example]", schema_parts, media["example"]
    for name, reference in media.get("examples", {}).items():
        example = _resolve(reference)
        if "value" in example:
            yield f"{'/'.join(parts)}[{name}]", schema_parts, example["value"]


def _all_examples() -> Iterator[tuple[str, tuple[str, ...], Any]]:
    for name, schema in SPEC["components"].get("schemas", {}).items():
        yield from _schema_examples(schema, ("components", "schemas", name))
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            base = ("paths", path, method)
            body = operation.get("requestBody", {})
            if "$ref" not in body:
                for media_type, media in body.get("content", {}).items():
                    yield from _schema_examples(
                        media.get("schema"), (*base, "requestBody", "content", media_type, "schema")
                    )
                    yield from _media_examples(media, (*base, "requestBody", "content", media_type))
            for status, response in operation["responses"].items():
                if "$ref" in response:  # shared responses are walked below, once
                    continue
                for media_type, media in response.get("content", {}).items():
                    where = (*base, "responses", str(status), "content", media_type)
                    yield from _schema_examples(media.get("schema"), (*where, "schema"))
                    yield from _media_examples(media, where)
            for index, parameter in enumerate(operation.get("parameters", [])):
                if "$ref" not in parameter:
                    yield from _schema_examples(parameter.get("schema"), (*base, "parameters", str(index), "schema"))


EXAMPLES = list(_all_examples())


def test_the_example_walk_finds_schema_and_media_type_examples() -> None:
    assert any(parts[0] == "components" for _, parts, _ in EXAMPLES)
    assert any("requestBody" in parts for _, parts, _ in EXAMPLES)
    assert any("responses" in parts for _, parts, _ in EXAMPLES)


@pytest.mark.parametrize(
    ("parts", "example"), [pytest.param(parts, example, id=label) for label, parts, example in EXAMPLES]
)
def test_example_validates_against_its_schema(parts: tuple[str, ...], example: Any) -> None:
    errors = sorted(_validator(_pointer(*parts)).iter_errors(example), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


EXECUTION_EMAIL_BODY = (
    "paths",
    "/actions/{id}/execution",
    "post",
    "requestBody",
    "content",
    "application/vnd.np6.cm.email",
)


@pytest.mark.parametrize(
    ("parts", "instance"),
    [
        (("components", "schemas", "Action"), {"type": "mailMessage", "creationDate": "yesterday"}),  # formats
        (("components", "schemas", "Action"), {"type": "mailMessage", "informations": {"state": "x"}}),  # two $refs
        (("components", "schemas", "UnknownAction"), {"type": "smsMessage"}),  # the catch-all is exclusive
        (("components", "schemas", "Stamp"), {"id": "not-a-uuid"}),
        ((*EXECUTION_EMAIL_BODY, "schema"), {"recipient": {"type": "unicity", "value": "alice@example.com"}}),
        ((*EXECUTION_EMAIL_BODY, "schema"), [{"recipient": {"type": "id", "value": "000PIZ76"}}]),  # not an array
    ],
)
def test_example_validation_rejects_wrong_instances(parts: tuple[str, ...], instance: Any) -> None:
    """Control: the validator resolves references (also from path items) and checks formats, so the test above can
    fail."""
    assert not _validator(_pointer(*parts)).is_valid(instance)
