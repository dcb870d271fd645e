"""The compiled schema checks against the reference validator: the same verdicts and problems, value for value.

Why: the sandbox checks every value with `jsonschema-rs` first and asks the reference
(`openapi-schema-validator`) only about a value the compiled check refuses. That is only sound if the compiled
checks never let through a value the reference refuses. This corpus holds them to it: for every schema the
operations use, a value built from the schema and several hundred mutations of it (wrong types, missing and extra
members, integer-format edges, floats, NaN, integers beyond 64 bits, malformed instants and uuids, nesting), each
checked by both, in full and sample modes.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator, Mapping
from typing import Any, cast

import jsonschema_rs
import pytest
from np6.sandbox._spec import DOCUMENT_URI, Spec, follow_pointer, shipped_spec
from np6.sandbox._validation import (
    STRING_FORMATS,
    ContractValidator,
    SchemaCheck,
    _compiled_checks,  # pyright: ignore[reportPrivateUsage]
    _Document,  # pyright: ignore[reportPrivateUsage]
    schema_pointers,
)

MUTATIONS_PER_SCHEMA = 100
_DATA_KEYWORDS = frozenset({"const", "enum", "examples", "example", "default"})

# Values that sit on, or just past, the edges the reference checks.
REPLACEMENTS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    1.5,
    3e10,
    -3e10,
    float("nan"),
    float("inf"),
    (1 << 31) - 1,
    1 << 31,
    -(1 << 31),
    -(1 << 31) - 1,
    (1 << 63) - 1,
    1 << 63,
    -(1 << 63) - 1,
    10**30,
    "",
    "x",
    "2026-01-01T00:00:00Z",
    "2026-01-01t00:00:00z",
    "2026-13-01T00:00:00Z",
    "2026-01-01 00:00:00",
    "2026-01-01T00:00:00",
    "0000000a-0000-4000-8000-000000000000",
    "0000000a00004000800000000000000a",
    "{0000000a-0000-4000-8000-000000000000}",
    "0000000a-0000-4000-8000-00000000000g",
    "unicity",
    "email",
    "sms",
    "mailMessage",
    "success",
    "error",
    [],
    {},
    ["x"],
    [1],
    {"type": "unicity", "value": ["a@example.com"]},
]


def _resolve(schema: Any, document: Mapping[str, Any]) -> Any:
    while isinstance(schema, Mapping) and "$ref" in schema:
        ref = str(cast("Mapping[str, Any]", schema)["$ref"])
        schema = follow_pointer(document, ref.removeprefix(DOCUMENT_URI).removeprefix("#"))
    return schema


def example(schema: Any, document: Mapping[str, Any], depth: int = 0) -> Any:
    """A value shaped by `schema`: every property, one or two items, formats respected (not always valid)."""
    schema = _resolve(schema, document)
    if not isinstance(schema, Mapping) or depth > 8:
        return None
    schema = cast("Mapping[str, Any]", schema)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("allOf"):
        merged: Any = None
        for part in schema["allOf"]:
            value = example(part, document, depth + 1)
            merged = {**merged, **value} if isinstance(merged, dict) and isinstance(value, dict) else value
        rest = {key: value for key, value in schema.items() if key != "allOf"}
        own = example(rest, document, depth + 1) if "type" in rest or "properties" in rest else None
        return {**merged, **own} if isinstance(merged, dict) and isinstance(own, dict) else merged
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return example(schema[key][depth % len(schema[key])], document, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in cast("list[str]", kind) if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        properties = cast("Mapping[str, Any]", schema.get("properties", {}))
        return {name: example(sub, document, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        items = schema.get("items", {})
        return [example(items, document, depth + 1) for _ in range(2)]
    if kind == "string":
        return {"date-time": "2026-01-01T00:00:00Z", "uuid": "0000000a-0000-4000-8000-000000000000"}.get(
            str(schema.get("format")), "x" * int(schema.get("minLength", 1))
        )
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return None


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in cast("dict[str, Any]", value).items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(cast("list[Any]", value)):
            yield from _paths(inner, (*prefix, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value, allow_nan=True)) if not isinstance(value, (int, float)) else value
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return copy


def mutations(base: Any, rng: random.Random) -> Iterator[Any]:
    """Mutated copies of `base`: one change each, at a random place."""
    paths = list(_paths(base))
    for _ in range(MUTATIONS_PER_SCHEMA):
        path = rng.choice(paths)
        parent_path, target = path[:-1], _get(base, path)
        move = rng.randrange(6)
        if move == 0 and path and isinstance(_get(base, parent_path), dict):  # a member left out
            parent = dict(_get(base, parent_path))
            parent.pop(path[-1])
            yield _replace(base, parent_path, parent)
        elif move == 1 and isinstance(target, dict):  # a member NP6 does not know
            yield _replace(base, path, {**cast("dict[str, Any]", target), "unexpected": rng.choice(REPLACEMENTS)})
        elif move == 2 and isinstance(target, list):  # fewer or more items
            items = cast("list[Any]", target)
            yield _replace(base, path, items[:0] if rng.random() < 0.5 else [*items, rng.choice(REPLACEMENTS)])
        elif move == 3:  # nested where a value was
            yield _replace(base, path, [target] if rng.random() < 0.5 else {"value": target})
        else:
            yield _replace(base, path, rng.choice(REPLACEMENTS))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@pytest.fixture(scope="module")
def spec() -> Spec:
    return shipped_spec()


@pytest.fixture(scope="module")
def both(spec: Spec) -> tuple[ContractValidator, ContractValidator]:
    return ContractValidator(spec, "full"), ContractValidator(spec, "full", compiled=False)


def _check(validator: ContractValidator, pointer: str) -> SchemaCheck:
    return validator._checks[pointer]  # pyright: ignore[reportPrivateUsage]


def corpus(spec: Spec) -> Iterator[tuple[str, Any]]:
    rng = random.Random(20261201)
    for pointer in schema_pointers(spec):
        base = example(follow_pointer(spec.document, pointer), spec.document)
        yield pointer, base
        for mutated in mutations(base, rng):
            yield pointer, mutated


def test_the_corpus_is_large_and_mixes_verdicts(spec: Spec, both: tuple[ContractValidator, ContractValidator]) -> None:
    _, reference = both
    verdicts = [bool(_check(reference, pointer).problems(value, where="body")) for pointer, value in corpus(spec)]
    assert len(verdicts) >= 5_000
    refused = sum(verdicts)
    # Both kinds in numbers: a corpus of refusals only would not show that the compiled checks accept anything.
    assert 0.2 * len(verdicts) < refused < 0.9 * len(verdicts), (refused, len(verdicts))


def test_compiled_checks_give_the_references_verdicts_and_problems(
    spec: Spec, both: tuple[ContractValidator, ContractValidator]
) -> None:
    compiled, reference = both
    differences = []
    for pointer, value in corpus(spec):
        fast = _check(compiled, pointer).problems(value, where="body")
        slow = _check(reference, pointer).problems(value, where="body")
        if fast != slow:
            differences.append((pointer, value, fast, slow))
    assert not differences, differences[:5]


def test_compiled_checks_accept_what_the_reference_accepts_without_asking_it(
    spec: Spec, both: tuple[ContractValidator, ContractValidator]
) -> None:
    # The speed comes from here: a value the reference accepts is accepted by the compiled check alone. The one
    # known exception is by design: an integral float beyond an integer format's bounds (3e10 for an int32), which
    # the reference's format check lets through and the compiled bounds do not.
    compiled, reference = both
    asked = []
    accepted = 0
    for pointer, value in corpus(spec):
        if _check(reference, pointer).problems(value, where="body") or _has_float_beyond_int32(value):
            continue
        accepted += 1
        if not _check(compiled, pointer)._fast_accepts(value):  # pyright: ignore[reportPrivateUsage]
            asked.append((pointer, value))
    assert accepted > 1_000
    assert not asked, asked[:5]


def _has_float_beyond_int32(value: Any) -> bool:
    if isinstance(value, float):
        return abs(value) >= 1 << 31
    if isinstance(value, dict):
        return any(_has_float_beyond_int32(inner) for inner in cast("dict[str, Any]", value).values())
    if isinstance(value, list):
        return any(_has_float_beyond_int32(inner) for inner in cast("list[Any]", value))
    return False


def test_sampled_checks_agree_on_batches_with_one_bad_item(spec: Spec) -> None:
    pointer = next(p for p in schema_pointers(spec) if p.endswith("vnd.np6.cm.email/schema") and "executions" in p)
    # Fresh checks (not the ones cached for the process): each sample rotates with the calls its check had.
    fast_check = _compiled_checks.__wrapped__(spec, compiled=True)[pointer]
    slow_check = _compiled_checks.__wrapped__(spec, compiled=False)[pointer]
    item = example(follow_pointer(spec.document, pointer), spec.document)[0]
    rng = random.Random(7)
    for _, bad in zip(range(40), itertools.cycle(mutations(item, rng)), strict=False):
        batch = [item] * 30
        batch[rng.randrange(30)] = bad
        assert fast_check.problems(batch, where="body", sample=4) == slow_check.problems(batch, where="body", sample=4)


def test_every_format_the_document_uses_is_checked_by_the_references_rules(spec: Spec) -> None:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node = cast("dict[str, Any]", node)
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            for key, value in node.items():
                if key not in _DATA_KEYWORDS:
                    walk(value)
        elif isinstance(node, list):
            for value in cast("list[Any]", node):
                walk(value)

    walk(spec.document)
    # Integer formats become bounds; string formats use the reference's rules. A new format fails here first.
    assert found <= {"int32", "int64", *STRING_FORMATS}, found


def _pair(schema: dict[str, Any]) -> tuple[SchemaCheck, SchemaCheck]:
    """The compiled check and the reference of a schema of a small document of our own."""
    document = _Document({"openapi": "3.1.0", "components": {"schemas": {}}})
    registry = jsonschema_rs.Registry([(DOCUMENT_URI, document.mapping)], draft=jsonschema_rs.Draft202012)
    return SchemaCheck(schema, document, registry), SchemaCheck(schema, document, None, compiled=False)


INT32 = {"type": "integer", "format": "int32"}


@pytest.mark.parametrize(
    "schema",
    [
        {"not": INT32},
        {"not": {"anyOf": [INT32, {"type": "string"}]}},
        {"type": "object", "properties": {"default": INT32, "enum": INT32, "const": INT32}},
        {"anyOf": [INT32, {"type": "string"}]},
        {"oneOf": [{"type": "object", "properties": {"n": INT32}}, {"type": "array"}]},
    ],
)
def test_the_integer_bounds_never_make_a_check_looser_wherever_the_format_sits(schema: dict[str, Any]) -> None:
    # Most of these shapes are not in the document today; a curation that adds one must not open a hole.
    fast, slow = _pair(schema)
    edges: list[Any] = [1, 3e10, -3e10, 1 << 31, -(1 << 31) - 1, 2.5, "x"]
    values = [*edges, [*edges, 1], {"default": 1 << 31, "enum": 3e10, "const": 1}]
    for value in values:
        assert fast.problems(value, where="body") == slow.problems(value, where="body"), (schema, value)


def _has_integer_format(node: Any, document: Mapping[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    if isinstance(node, Mapping):
        node = cast("Mapping[str, Any]", node)
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref not in seen and _has_integer_format(_resolve(node, document), document, seen | {ref})
        if node.get("format") in ("int32", "int64"):
            return True
        return any(_has_integer_format(v, document, seen) for k, v in node.items() if k not in _DATA_KEYWORDS)
    if isinstance(node, list):
        return any(_has_integer_format(v, document, seen) for v in cast("list[Any]", node))
    return False


def _exclusive_by(branch: Any, document: Mapping[str, Any]) -> tuple[str, Any]:
    """What tells a `oneOf` branch from the others: its JSON type, or its `type` property's constant (or the known
    constants it excludes)."""
    schema = cast("Mapping[str, Any]", _resolve(branch, document))
    kind = _resolve(schema.get("properties", {}).get("type"), document)
    if isinstance(kind, Mapping) and "const" in kind:
        return ("const", cast("Mapping[str, Any]", kind)["const"])
    if isinstance(kind, Mapping) and "not" in kind:
        return ("not", tuple(cast("Mapping[str, Any]", kind)["not"].get("enum", ())))
    return ("json type", schema.get("type"))


def test_the_document_has_no_shape_where_the_integer_bounds_could_loosen_a_check(spec: Spec) -> None:
    # `if` and `contains` with an integer format inside, or a `oneOf` whose branches could both match: there a
    # stricter subschema could make the whole check looser (see `_NO_BOUNDS_UNDER`).
    document = spec.document
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            node = cast("dict[str, Any]", node)
            for key in ("if", "contains"):
                if key in node and _has_integer_format(node[key], document):
                    found.append(f"{path}/{key}")
            if "oneOf" in node and _has_integer_format(node["oneOf"], document):
                tells = [_exclusive_by(branch, document) for branch in node["oneOf"]]
                consts = [value for how, value in tells if how == "const"]
                excluded = [set(value) for how, value in tells if how == "not"]
                types = [value for how, value in tells if how == "json type"]
                exclusive = (
                    len(set(consts)) == len(consts)
                    and all(set(consts) <= known for known in excluded)
                    and len(excluded) <= 1
                    and (not types or (not consts and not excluded and len(set(map(str, types))) == len(types)))
                )
                if not exclusive:
                    found.append(f"{path}/oneOf {tells}")
            for key, value in node.items():
                if key not in _DATA_KEYWORDS:
                    walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(cast("list[Any]", node)):
                walk(value, f"{path}/{index}")

    walk(document, "")
    assert not found, found
