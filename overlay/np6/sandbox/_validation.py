"""Validation of requests and responses against the curated OpenAPI 3.1 document.

Why this library: the project pins `openapi-spec-validator==0.9.0`, and no release of openapi-core can be
installed next to it (openapi-core 0.23.1, the newest, needs openapi-spec-validator < 0.9; the resolver then
falls back to openapi-core 0.14, which predates OpenAPI 3.1 and does not import with 0.9.0). So the sandbox uses
`openapi-schema-validator` (the OpenAPI 3.1 schema dialect on top of `jsonschema`, the very library
openapi-core validates schemas with) and does the OpenAPI part itself: `_spec.py` routes and reads parameters,
media types, statuses and headers, this module checks values against the schemas of the document.

Why the vendor media types are listed here: `application/vnd.np6.cm.email` and `application/vnd.np6.cm.sms`
carry JSON, but nothing in their name says so; `JSON_MEDIA_TYPES` is what teaches the sandbox to parse them.

Why a `sample` mode: for the largest bodies, even compiled checks cost. `full` (the default) checks everything;
`sample` checks every non-array body fully and, for array bodies (batch sends and renders, and their results),
the array itself and a deterministic, rotating sample of its items; `off` checks no schema (statuses, media
types, empty error bodies and parameter types are still enforced).

Why two validators: `openapi-schema-validator` (with `jsonschema`) is the reference, and an interpreter: checking
one 500-message body costs it about 0.1 s. `jsonschema-rs` (compiled) checks the same schemas about 50 times faster,
so every value is checked by it first; only a value it refuses is checked again by the reference, which writes the
problems (the same messages as ever) and has the last word. The compiled schemas are made at least as strict as
the reference (`_as_strict`): a value the reference refuses is never let through, and a test holds both to the same
verdicts on a corpus of mutated requests and answers. The reference is imported on the first refusal only (it
pulls in pydantic: a third of a second).

This is the only module that touches the untyped validator objects; they stay behind `SchemaCheck`.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, cast

from .._core import jsonio
from .._extras import extra_imports

# The sandbox's only third-party imports at import time: without the `sandbox` extra, one line says how to
# install it.
with extra_imports("np6.sandbox"):
    import jsonschema_rs
    from rfc3339_validator import validate_rfc3339  # type: ignore[import-untyped]  # no stubs published

from ._spec import DOCUMENT_URI, Operation, Scalar, Spec, follow_pointer

__all__ = [
    "JSON_MEDIA_TYPES",
    "ContractValidator",
    "SchemaCheck",
    "ValidationMode",
    "media_type_of",
]

ValidationMode = Literal["full", "sample", "off"]
VALIDATION_MODES: tuple[ValidationMode, ...] = ("full", "sample", "off")
DEFAULT_SAMPLE_SIZE = 16
_MAX_PROBLEMS = 5
_MAX_MESSAGE = 240
# Schema keywords whose values are data, not schemas: never inline `$ref`s inside them.
_DATA_KEYWORDS = frozenset({"const", "enum", "examples", "example", "default"})
# Maps whose keys are names (of properties, definitions, components), never keywords: each value is a schema.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"})


def _json(body: bytes) -> Any:
    return jsonio.loads(body)  # exactly json.loads, faster with the `speed` extra


#: Media types whose bodies are JSON: the standard one, NP6's two vendor types, and the experimental type of the
#: contact lookup.
JSON_MEDIA_TYPES: dict[str, Callable[[bytes], Any]] = {
    "application/json": _json,
    "application/vnd.np6.cm.email": _json,
    "application/vnd.np6.cm.sms": _json,
    "application/vnd.np6.experimental+json": _json,
}


def media_type_of(content_type: str | None) -> str:
    """The bare, lower-cased media type of a Content-Type header value ("" when there is none)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def _members(node: Mapping[str, Any], schema: Callable[[str, Any], Any]) -> dict[str, Any]:
    """A copy of a schema object with `schema(keyword, value)` applied to what its members hold: the values of
    the maps of named schemas (`properties`...) one by one, every other member whole; data (`enum`...) kept."""
    copy: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS and isinstance(value, Mapping):
            named = cast("Mapping[str, Any]", value)
            copy[key] = {name: schema(key, subschema) for name, subschema in named.items()}
        elif key in _DATA_KEYWORDS:
            copy[key] = value
        else:
            copy[key] = schema(key, value)
    return copy


def _inline(document: Mapping[str, Any], node: Any, stack: tuple[str, ...]) -> Any:
    """Copy `node` with the document's `$ref`s inlined (3x faster to validate); cycles stay absolute refs."""
    if isinstance(node, Mapping):
        node = cast("Mapping[str, Any]", node)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            pointer = ref[1:]
            siblings = {key: _inline(document, value, stack) for key, value in node.items() if key != "$ref"}
            if pointer in stack:
                target: Any = {"$ref": DOCUMENT_URI + ref}
            else:
                target = _inline(document, follow_pointer(document, pointer), (*stack, pointer))
            return {**siblings, "allOf": [target]} if siblings else target
        return _members(node, lambda _, value: _inline(document, value, stack))
    if isinstance(node, list):
        return [_inline(document, value, stack) for value in cast("list[object]", node)]
    return node


def _format(error: Any) -> str:
    message = str(error.message)
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"{error.json_path}: {message}"


#: OpenAPI's integer formats, as the reference checks them (integers only, bounds included).
_INTEGER_BOUNDS = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}


def _is_date_time(instance: str) -> bool:
    # What the reference's format checker does (jsonschema's `is_datetime`).
    return bool(validate_rfc3339(instance.upper()))


def _is_uuid(instance: str) -> bool:
    # What the reference's format checker does (jsonschema's `is_uuid`): the hyphens where RFC 4122 puts them.
    try:
        uuid.UUID(instance)
    except ValueError:
        return False
    return all(instance[position] == "-" for position in (8, 13, 18, 23))


#: The string formats the document uses, checked by the compiled validator with the reference's own rules (its
#: built-in ones differ at the edges); `test_validation_equivalence` fails if the document gains another one.
STRING_FORMATS: dict[str, Callable[[str], bool]] = {"date-time": _is_date_time, "uuid": _is_uuid}


# Under `not`, a stricter subschema makes the whole check looser: there the bounds are left out (a looser
# subschema, a stricter check). Where neither direction is safe (`if`, `contains`, a `oneOf` whose branches could
# both match), the document must have no integer format: `test_validation_equivalence` checks its shape.
_NO_BOUNDS_UNDER = frozenset({"not"})


def _as_strict(node: Any, *, bounds: bool = True) -> Any:
    """A copy of a schema for the compiled validator: its integer formats as bounds, since it checks formats of
    strings only. The bounds also refuse a float out of range, which the reference accepts: stricter, never looser
    (a refusal is decided by the reference)."""
    if isinstance(node, Mapping):
        node = cast("Mapping[str, Any]", node)
        copy = _members(node, lambda key, value: _as_strict(value, bounds=bounds and key not in _NO_BOUNDS_UNDER))
        limits = _INTEGER_BOUNDS.get(node.get("format")) if bounds and isinstance(node.get("format"), str) else None
        if limits is not None:
            copy["allOf"] = [*copy.get("allOf", []), {"minimum": limits[0], "maximum": limits[1]}]
        return copy
    if isinstance(node, list):
        return [_as_strict(value, bounds=bounds) for value in cast("list[object]", node)]
    return node


def _compiled(schema: Mapping[str, Any], registry: Any) -> Any:
    return jsonschema_rs.Draft202012Validator(
        _as_strict(schema), registry=registry, validate_formats=True, formats=STRING_FORMATS
    )


@functools.cache
def _reference_registry(document: Any) -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry[Any]().with_resource(
        DOCUMENT_URI, Resource[Any].from_contents(dict(document.mapping), default_specification=DRAFT202012)
    )


class _Document:
    """The document as a hashable key, so that the reference's registry is built once per document."""

    __slots__ = ("mapping",)

    def __init__(self, mapping: Mapping[str, Any]) -> None:
        self.mapping = mapping


def _reference(schema: Mapping[str, Any], document: _Document) -> Any:
    with extra_imports("np6.sandbox"):
        from openapi_schema_validator import OAS31Validator, oas31_format_checker
    return OAS31Validator(schema, registry=_reference_registry(document), format_checker=oas31_format_checker)


class SchemaCheck:
    """A check of one schema of the document (and of its items, when it is an array schema): compiled first, the
    reference on a refusal (`compiled=False`: the reference only, as the equivalence test needs)."""

    def __init__(
        self, schema: Mapping[str, Any], document: _Document, compiled_registry: Any, *, compiled: bool = True
    ) -> None:
        self._schema = schema
        self._document = document
        items = schema.get("items") if schema.get("type") == "array" else None
        self._item_schema: Mapping[str, Any] | None = (
            cast("Mapping[str, Any]", items) if isinstance(items, Mapping) else None
        )
        self._fast: Any = _compiled(schema, compiled_registry) if compiled else None
        self._fast_items: Any = (
            _compiled(self._item_schema, compiled_registry) if compiled and self._item_schema is not None else None
        )
        self._rotation = itertools.count()

    @functools.cached_property
    def _validator(self) -> Any:
        return _reference(self._schema, self._document)

    @functools.cached_property
    def _items(self) -> Any:
        return None if self._item_schema is None else _reference(self._item_schema, self._document)

    def problems(self, instance: Any, *, where: str, sample: int | None = None) -> list[str]:
        """Describe why `instance` does not match (empty when it does); `sample` caps the array items checked."""
        if sample is not None and self._item_schema is not None and isinstance(instance, list):
            items = cast("list[object]", instance)
            if len(items) > sample:
                found: list[str] = []
                for index in self._sample(len(items), sample):
                    if _accepts(self._fast_items, items[index]):
                        continue
                    found.extend(f"{where}[{index}]{p[1:]}" for p in self._collect(self._items, items[index]))
                    if len(found) >= _MAX_PROBLEMS:
                        break
                return found[:_MAX_PROBLEMS]
        if self._fast_accepts(instance):
            return []
        return [f"{where}{p[1:]}" for p in self._collect(self._validator, instance)]

    def _fast_accepts(self, instance: Any) -> bool:
        return _accepts(self._fast, instance)

    @staticmethod
    def _collect(validator: Any, instance: Any) -> list[str]:
        return [_format(error) for error in itertools.islice(validator.iter_errors(instance), _MAX_PROBLEMS)]

    def _sample(self, length: int, size: int) -> list[int]:
        """First, last and evenly spaced items, shifted at each call so that repeated batches cover more items."""
        offset = next(self._rotation)
        stride = max(1, length // max(1, size - 2))
        middle = ((offset + i * stride) % length for i in range(size - 2))
        return sorted({0, length - 1, *middle})


def _accepts(compiled: Any, instance: Any) -> bool:
    """Whether the compiled validator accepts `instance`; False when it cannot tell (a value it cannot convert,
    such as an integer beyond 64 bits): the reference decides."""
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(instance))
    except Exception:  # whatever it cannot read, the reference reads
        return False


def schema_pointers(spec: Spec) -> list[str]:
    """Every schema the operations use, by pointer."""
    pointers: set[str] = set()
    for operation in spec.operations.values():
        pointers.update(parameter.schema_pointer for parameter in operation.parameters)
        if operation.request_body is not None:
            pointers.update(m.schema_pointer for m in operation.request_body.content.values() if m.schema_pointer)
        for response in operation.responses.values():
            pointers.update(header.schema_pointer for header in response.headers)
            pointers.update(m.schema_pointer for m in response.content.values() if m.schema_pointer)
    return sorted(pointers)


@functools.cache
def _compiled_checks(spec: Spec, *, compiled: bool = True) -> dict[str, SchemaCheck]:
    """A `SchemaCheck` for every schema the operations use (once per `Spec`)."""
    document = _Document(spec.document)
    registry = (
        jsonschema_rs.Registry([(DOCUMENT_URI, _as_strict(spec.document))], draft=jsonschema_rs.Draft202012)
        if compiled
        else None
    )
    checks: dict[str, SchemaCheck] = {}
    for pointer in schema_pointers(spec):
        schema = _inline(spec.document, follow_pointer(spec.document, pointer), (pointer,))
        checks[pointer] = SchemaCheck(
            cast("Mapping[str, Any]", schema) if isinstance(schema, Mapping) else {},
            document,
            registry,
            compiled=compiled,
        )
    return checks


def _decode_scalar(raw: str, schema_type: str | None) -> tuple[Any, str | None]:
    """Turn a query-string or header value into the JSON value its schema describes."""
    if schema_type == "integer":
        try:
            return int(raw.strip()), None
        except ValueError:
            return raw, f"{raw!r} is not an integer"
    if schema_type == "number":
        try:
            return float(raw.strip()), None
        except ValueError:
            return raw, f"{raw!r} is not a number"
    if schema_type == "boolean":
        lowered = raw.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true", None
        return raw, f"{raw!r} is not a boolean"
    return raw, None


class ContractValidator:
    """Checks requests and responses of the operations of a `Spec` with the chosen `ValidationMode`."""

    def __init__(
        self,
        spec: Spec,
        mode: ValidationMode = "full",
        *,
        sample_size: int = DEFAULT_SAMPLE_SIZE,
        compiled: bool = True,
    ) -> None:
        if mode not in VALIDATION_MODES:
            raise ValueError(f"validate must be one of {VALIDATION_MODES}, not {mode!r}")
        if sample_size < 2:
            raise ValueError("sample_size must be at least 2")
        self.spec = spec
        self.mode: ValidationMode = mode
        self.sample_size = sample_size
        # `compiled=False` checks with the reference alone: what the compiled checks are measured against.
        self._checks = _compiled_checks(spec, compiled=compiled)

    @property
    def _sample(self) -> int | None:
        return self.sample_size if self.mode == "sample" else None

    def parameters(
        self, operation: Operation, path_params: Mapping[str, str], query: Mapping[str, Sequence[str]]
    ) -> tuple[dict[str, Any], list[str]]:
        """Decode the path and query parameters of a request; return them with the problems found."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for parameter in operation.parameters:
            if parameter.location == "path":
                raw: str | None = path_params.get(parameter.name)
            else:
                given = query.get(parameter.name)
                raw = given[0] if given else None
            where = f"{parameter.location} parameter {parameter.name!r}"
            value, found = self._scalar(parameter, raw, where, missing=f"{where} is required")
            problems.extend(found)
            if value is not None:
                values[parameter.name] = value
        return values, problems

    def _scalar(self, declared: Scalar, raw: str | None, where: str, *, missing: str) -> tuple[Any, list[str]]:
        """The decoded value of a parameter or header (None when absent or undecodable) and its problems; `missing`
        is the problem of an absent required one."""
        if raw is None:
            return None, [missing] if declared.required else []
        value, error = _decode_scalar(raw, declared.schema_type)
        if error is not None:
            return None, [f"{where}: {error}"]
        if self.mode == "off":
            return value, []
        return value, self._checks[declared.schema_pointer].problems(value, where=where)

    def request_body(self, operation: Operation, media_type: str, body: Any) -> list[str]:
        """Problems of a parsed request body sent as `media_type` (which the operation must accept)."""
        if self.mode == "off" or operation.request_body is None:
            return []
        media = operation.request_body.content.get(media_type)
        if media is None:
            return [f"media type {media_type!r} is not accepted"]
        if media.schema_pointer is None:
            return []
        return self._checks[media.schema_pointer].problems(body, where="body", sample=self._sample)

    def response(self, operation: Operation, status: int, headers: Mapping[str, str], body: bytes) -> list[str]:
        """Problems of a response about to be sent (`headers` with lower-cased names)."""
        declared = operation.response_for(status)
        if declared is None:
            return [f"status {status} is not declared (declared: {', '.join(operation.responses)})"]
        problems: list[str] = []
        for header in declared.headers:
            where = f"header {header.name!r}"
            _, found = self._scalar(header, headers.get(header.name), where, missing=f"required {where} is missing")
            problems.extend(found)
        if not declared.content:
            if body:
                problems.append(f"a body was sent but the spec declares none for {declared.key}")
            return problems
        media_type = media_type_of(headers.get("content-type"))
        media = declared.content.get(media_type)
        if media is None:
            problems.append(f"content type {media_type!r} is not declared ({', '.join(declared.content)})")
            return problems
        if media.schema_pointer is None:
            return problems
        parse = JSON_MEDIA_TYPES.get(media_type)
        if parse is None:
            return problems
        try:
            value = parse(body)
        except ValueError as exc:
            problems.append(f"the body is not JSON: {exc}")
            return problems
        if self.mode != "off":
            problems.extend(self._checks[media.schema_pointer].problems(value, where="body", sample=self._sample))
        return problems

    def pointers(self) -> Iterable[str]:
        """The schema pointers this validator has compiled (for introspection and tests)."""
        return self._checks.keys()
