"""Every JSON example of the curated spec goes through the generated code and comes back unchanged.

The examples are found by walking the spec, and mapped to the generated code by operationId (plus `_email` /
`_sms` for the vendor media types) or by schema name, so an example added to the spec is covered here without
touching this file.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Union

import attrs
import httpx
import pytest
from np6_generated import models
from np6_generated.types import Unset

from tests.codegen.spec_support import load_spec as _load_spec

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
CHANNEL_SUFFIX = {"application/vnd.np6.cm.email": "email", "application/vnd.np6.cm.sms": "sms"}
# The exceptions on which a generated union parse falls through to its next variant.
UNION_FALLTHROUGH = (TypeError, ValueError, AttributeError, KeyError)
EXTRA_KEY = "x_np6_test_extra"


SPEC = _load_spec()


def _ref_parts(node: dict[str, Any]) -> list[str]:
    ref = node["$ref"]
    assert isinstance(ref, str)
    assert ref.startswith("#/"), ref
    return [part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")]


def _resolve(node: Any) -> Any:
    """Follow local `$ref`s; the result is the very object of the document (its identity is used below)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in _ref_parts(node):
            target = target[part]
        node = target
    return node


# --------------------------------------------------------------------------------------- generated code


def _tag_of(operation_id: str) -> str:
    """The generated package of an operation: the snake_case form of its first tag."""
    for item in SPEC["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is not None and operation_id in (
                operation["operationId"],
                *(f"{operation['operationId']}_{suffix}" for suffix in CHANNEL_SUFFIX.values()),
            ):
                return re.sub(r"(?<!^)(?=[A-Z])", "_", operation["tags"][0]).lower()
    raise KeyError(operation_id)


def _module(name: str) -> types.ModuleType:
    return importlib.import_module(f"np6_generated.api.{_tag_of(name)}.{name}")


def _module_names(operation: dict[str, Any], media_type: str | None) -> list[str]:
    """The generated module(s) of an operation: one per vendor media type when its body has several."""
    content = _resolve(operation.get("requestBody", {})).get("content", {})
    if len(content) <= 1:
        return [operation["operationId"]]
    if media_type is not None:
        return [f"{operation['operationId']}_{CHANNEL_SUFFIX[media_type]}"]
    return [f"{operation['operationId']}_{CHANNEL_SUFFIX[media]}" for media in content]


def _union_members(annotation: Any) -> list[Any]:
    return [member for member in typing.get_args(annotation) if member not in (Unset, type(None))]


def _parse(annotation: Any, data: Any) -> Any:
    """Parse `data` as the generated code does for `annotation`: models by `from_dict`, unions by trying each
    variant in declaration order (the last one unconditionally), lists item by item."""
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        if not isinstance(data, list):
            raise TypeError(f"expected a list, got {data!r}")
        return [_parse(item, element) for element in data]
    if origin in (Union, types.UnionType):
        *first, last = _union_members(annotation)
        for member in first:
            try:
                return _parse(member, data)
            except UNION_FALLTHROUGH:
                continue
        return _parse(last, data)
    if hasattr(annotation, "from_dict"):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {data!r}")
        return annotation.from_dict(data)
    if annotation is Any:
        return data
    if not isinstance(data, annotation):
        raise TypeError(f"expected {annotation}, got {data!r}")
    return data


def _body_annotation(module: types.ModuleType) -> Any:
    return typing.get_type_hints(module.build_request)["body"]


def _path_arguments(module: types.ModuleType) -> dict[str, Any]:
    signature = inspect.signature(module.build_request)
    return {
        name: "000ABC"
        for name, parameter in signature.parameters.items()
        if name != "body" and parameter.default is inspect.Parameter.empty
    }


def _schema_annotation(name: str) -> Any:
    """The generated type of a component schema: its model class, or the union of its `oneOf` variants."""
    schema = SPEC["components"]["schemas"][name]
    if "oneOf" in schema:
        variants = [_schema_annotation(_ref_parts(variant)[-1]) for variant in schema["oneOf"]]
        return Union[tuple(variants)]  # noqa: UP007 - built at run time
    model = getattr(models, name, None)
    assert model is not None, f"no generated model for components/schemas/{name}"
    return model


def _to_json(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def _models_in(value: Any) -> Iterator[Any]:
    """Every generated model instance in a parsed value, nested ones included."""
    if isinstance(value, list):
        for item in value:
            yield from _models_in(item)
    elif attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _models_in(getattr(value, field.name))
        for item in getattr(value, "additional_properties", {}).values():
            yield from _models_in(item)


def _assert_parsed_as_declared(parsed: Any) -> None:
    """A round trip alone would not see a union falling back to its catch-all (which keeps everything): check that
    a catch-all only holds the types its `not` excludes, and that no declared property ended up as an extra one."""
    schemas = SPEC["components"]["schemas"]
    for model in _models_in(parsed):
        schema = schemas.get(type(model).__name__)
        if schema is None:  # an inline model (free-form object)
            continue
        declared = set(schema.get("properties", {}))
        assert not declared & set(model.additional_properties), f"{type(model).__name__} kept declared fields as extras"
        excluded = schema.get("properties", {}).get("type", {}).get("not", {}).get("enum", [])
        if excluded:
            assert model.type_ not in excluded, f"{model.type_!r} parsed as {type(model).__name__}: its variant failed"


# -------------------------------------------------------------------------------------------- comparison

DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")


def _normalise(value: Any) -> Any:
    """JSON with every date-time string replaced by its instant (an aware datetime), so that "...Z" and
    "...+00:00" compare equal and a lost offset does not."""
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, str) and DATE_TIME.fullmatch(value):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return value


def _with_extra_fields(value: Any) -> Any:
    """The example with an unknown field added to every object in it."""
    if isinstance(value, dict):
        return {**{key: _with_extra_fields(item) for key, item in value.items()}, EXTRA_KEY: "kept"}
    if isinstance(value, list):
        return [_with_extra_fields(item) for item in value]
    return value


def test_normalise_compares_instants() -> None:
    assert _normalise({"at": "2019-08-24T14:15:22Z"}) == _normalise({"at": "2019-08-24T14:15:22+00:00"})
    assert _normalise({"at": "2019-08-24T16:15:22+02:00"}) == _normalise({"at": "2019-08-24T14:15:22Z"})
    assert _normalise({"at": "2019-08-24T14:15:22Z"}) != _normalise({"at": "2019-08-24T14:15:22"})
    assert _normalise({"at": "2019-08-24T14:15:22Z"}) != _normalise({"at": "2019-08-24T14:15:23Z"})


# ----------------------------------------------------------------------------------------- the examples


def _media_examples(media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "example", media["example"]
    for name, example in media.get("examples", {}).items():
        resolved = _resolve(example)
        if "value" in resolved:
            yield name, resolved["value"]


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def _request_examples() -> Iterator[Any]:
    for _, _, operation in _operations():
        content = _resolve(operation.get("requestBody", {})).get("content", {})
        for media_type, media in content.items():
            for name, value in _media_examples(media):
                for module_name in _module_names(operation, media_type):
                    yield pytest.param(module_name, value, id=f"{module_name}[{name}]")


def _response_examples() -> Iterator[Any]:
    for _, _, operation in _operations():
        for status, response in operation["responses"].items():
            for media_type, media in _resolve(response).get("content", {}).items():
                if "json" not in media_type:
                    continue
                for name, value in _media_examples(media):
                    for module_name in _module_names(operation, None):
                        yield pytest.param(module_name, int(status), value, id=f"{module_name}[{status} {name}]")


def _schema_examples() -> Iterator[Any]:
    """Examples of component schemas and of the (nested) properties of their inline objects, with the path of
    property names that leads to them."""

    def walk(schema: dict[str, Any], keys: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], int, Any]]:
        for index, example in enumerate(schema.get("examples", [])):
            yield keys, index, example
        for key, child in schema.get("properties", {}).items():
            if isinstance(child, dict) and "$ref" not in child:
                yield from walk(child, (*keys, key))

    for name, schema in SPEC["components"]["schemas"].items():
        for keys, index, example in walk(schema, ()):
            label = "/".join((name, *keys))
            yield pytest.param(name, keys, example, id=f"{label}[{index}]")


REQUEST_EXAMPLES = list(_request_examples())
RESPONSE_EXAMPLES = list(_response_examples())
SCHEMA_EXAMPLES = list(_schema_examples())


def _count_examples(node: Any) -> int:
    """Every `examples`/`example` of the spec (media types and schemas), wherever it is."""
    if isinstance(node, list):
        return sum(_count_examples(item) for item in node)
    if not isinstance(node, dict):
        return 0
    total = 0
    for key, value in node.items():
        if key == "examples" and isinstance(value, dict):  # a media type's named examples
            total += sum(1 for example in value.values() if "value" in _resolve(example))
        elif key == "examples" and isinstance(value, list):  # a schema's examples
            total += len(value)
        elif key == "example":
            total += 1
        else:
            total += _count_examples(value)
    return total


def test_every_example_of_the_spec_is_covered() -> None:
    """The walks above miss nothing: an example in a place they do not visit fails here instead of going untested."""
    media_examples = {
        (id(media), name)
        for _, _, operation in _operations()
        for media in [
            *_resolve(operation.get("requestBody", {})).get("content", {}).values(),
            *(
                media
                for response in operation["responses"].values()
                for media in _resolve(response).get("content", {}).values()
            ),
        ]
        for name, _ in _media_examples(media)
    }
    assert media_examples, "the walk finds no media-type example"
    assert SCHEMA_EXAMPLES, "the walk finds no schema example"
    # components/examples are counted where they are used.
    components = {key: value for key, value in SPEC.get("components", {}).items() if key != "examples"}
    assert _count_examples({"paths": SPEC["paths"], "components": components}) == len(media_examples) + len(
        SCHEMA_EXAMPLES
    )


@pytest.mark.parametrize("extra", [False, True], ids=["as_is", "with_extra_fields"])
@pytest.mark.parametrize(("module_name", "example"), REQUEST_EXAMPLES)
def test_request_example_round_trips(module_name: str, example: Any, extra: bool) -> None:
    module = _module(module_name)
    value = _with_extra_fields(example) if extra else example
    body = _parse(_body_annotation(module), value)
    _assert_parsed_as_declared(body)
    assert _normalise(_to_json(body)) == _normalise(value)
    # And what the operation actually sends.
    kwargs = module.build_request(**_path_arguments(module), body=body)
    assert _normalise(kwargs["json"]) == _normalise(value)


@pytest.mark.parametrize("extra", [False, True], ids=["as_is", "with_extra_fields"])
@pytest.mark.parametrize(("module_name", "status", "example"), RESPONSE_EXAMPLES)
def test_response_example_round_trips(module_name: str, status: int, example: Any, extra: bool) -> None:
    module = _module(module_name)
    value = _with_extra_fields(example) if extra else example
    parsed = module.parse_response(httpx.Response(status, json=value))
    assert parsed is not None
    _assert_parsed_as_declared(parsed)
    assert _normalise(_to_json(parsed)) == _normalise(value)


def _nest(keys: tuple[str, ...], value: Any) -> Any:
    for key in reversed(keys):
        value = {key: value}
    return value


def _dig(value: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = value[key]
    return value


@pytest.mark.parametrize("extra", [False, True], ids=["as_is", "with_extra_fields"])
@pytest.mark.parametrize(("schema_name", "keys", "example"), SCHEMA_EXAMPLES)
def test_schema_example_round_trips(schema_name: str, keys: tuple[str, ...], example: Any, extra: bool) -> None:
    schema = SPEC["components"]["schemas"][schema_name]
    if keys:
        # A property's example travels inside its object; a required sibling comes from the object's own example.
        base = dict(schema.get("examples", [{}])[0])
        missing = set(schema.get("required", [])) - set(base) - {keys[0]}
        assert not missing, f"{schema_name} needs an example of its own to test its properties' examples"
        instance = {**base, **_nest(keys, example)}
    else:
        instance = example
    value = _with_extra_fields(instance) if extra else instance
    parsed = _parse(_schema_annotation(schema_name), value)
    _assert_parsed_as_declared(parsed)
    serialised = _to_json(parsed)
    assert _normalise(serialised) == _normalise(value)
    if keys:
        assert _dig(serialised, keys) == example


# ----------------------------------------------------------------------------------- open sets of values


def test_unknown_action_type_parses_as_unknown_action() -> None:
    action = {
        "type": "mailCampaign",
        "id": "000AB1",
        "name": "Test Campaign",
        "scheduler": {"type": "asap", "startDate": "2015-10-30T15:23:00Z"},
    }
    parsed = _module("get_action").parse_response(httpx.Response(200, json=action))
    assert isinstance(parsed, models.UnknownAction)
    assert parsed.type_ == "mailCampaign"
    assert parsed.additional_properties["scheduler"] == action["scheduler"]
    assert parsed.to_dict() == action

    listed = _module("list_actions").parse_response(
        httpx.Response(200, json=[{"type": "smsMessage", "id": "000SMS"}, action])
    )
    assert [type(item) for item in listed] == [models.SmsMessageAction, models.UnknownAction]


def test_known_action_types_do_not_parse_as_unknown() -> None:
    for action, model in (
        ({"type": "mailMessage", "id": "000ML"}, models.MailMessageAction),
        ({"type": "smsMessage", "id": "000SM"}, models.SmsMessageAction),
    ):
        parsed = _module("get_action").parse_response(httpx.Response(200, json=action))
        assert type(parsed) is model


@pytest.mark.parametrize("module_name", ["send_message_email", "send_message_sms"])
def test_unknown_execution_result_type_parses_as_unknown_execution_result(module_name: str) -> None:
    result = {"type": "queued", "id": "497a760d-e444-484f-b964-125cf548bb9c", "eta": 3}
    parsed = _module(module_name).parse_response(httpx.Response(200, json=result))
    assert isinstance(parsed, models.UnknownExecutionResult)
    assert parsed.type_ == "queued"
    assert parsed.to_dict() == result


def test_unknown_execution_result_in_a_batch() -> None:
    results = [{"type": "success", "id": "m1"}, {"type": "deferred"}, {"type": "error", "value": {"type": "x"}}]
    parsed = _module("send_messages_email").parse_response(httpx.Response(200, json=results))
    assert [type(item) for item in parsed] == [
        models.ExecutionSuccess,
        models.UnknownExecutionResult,
        models.ExecutionError,
    ]


def test_unknown_recipient_type_parses_as_unknown_recipient() -> None:
    recipient = {"type": "email", "value": "alice@example.com"}
    message = models.EmailMessage.from_dict({"recipient": recipient})
    assert isinstance(message.recipient, models.UnknownRecipient)
    assert message.recipient.type_ == "email"
    assert message.to_dict() == {"recipient": recipient}

    # Also inside an answer: the recipient of an error result.
    answer = [{"type": "error", "value": {"type": "recipient not found", "recipient": recipient}}]
    parsed = _module("send_messages_sms").parse_response(httpx.Response(200, json=answer))
    assert isinstance(parsed[0], models.ExecutionError)
    assert isinstance(parsed[0].value.recipient, models.UnknownRecipient)


@pytest.mark.parametrize("state", [100, 80, 90, 55])
def test_action_state_outside_the_8_1_0_enum_is_kept(state: int) -> None:
    action = {"type": "mailMessage", "id": "000ABC", "informations": {"folder": 1, "category": 2, "state": state}}
    parsed = _module("get_action").parse_response(httpx.Response(200, json=action))
    assert isinstance(parsed, models.MailMessageAction)
    assert parsed.informations.state == state
    assert parsed.to_dict() == action
