"""`scripts/api_diff.py`: the client-visible diff of two OpenAPI documents, and its use by `scripts/regenerate.py`.

The unit tests diff small hand-made documents; the end-to-end test regenerates a copy of the repository from the
fictional 8.2.0 fixture (one regeneration, a few seconds) and runs the overlay against the result.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.scripts.support import PYTHON, ROOT, load_script

SPEC_RELATIVE = Path("spec") / "np6-cm.openapi.yaml"
FIXTURE_820 = Path(__file__).resolve().parents[1] / "fixtures" / "np6-cm-8.2.0.openapi.yaml"
api_diff = load_script("api_diff.py", "np6_api_diff")  # the name regenerate.py loads it under

# (kind, location, breaking) of the four changes that tests/fixtures/np6-cm-8.2.0.openapi.yaml makes.
FIXTURE_CHANGES = {
    ("operation-added", "GET /actions/{id}/statistics", False),
    ("operation-deprecated", "POST /actions/{id}/duplication", False),
    ("response-media-type-added", "GET /actions response 200 text/csv", False),
    ("response-field-removed", "POST /actions/{id}/render/links response 200 application/json type", True),
}


# --------------------------------------------------------------------------------------------- documents


def _document(
    paths: dict[str, Any], schemas: dict[str, Any] | None = None, *, version: str = "1.0.0"
) -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": version}, "paths": paths}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    return document


def _ok(schema: Any = None, media_type: str = "application/json") -> dict[str, Any]:
    if schema is None:
        return {"description": "ok"}
    return {"description": "ok", "content": {media_type: {"schema": schema}}}


def _operation(**parts: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"responses": {"200": _ok()}}
    operation.update(parts)
    return operation


def _body(schema: Any, *, media_type: str = "application/json", required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {media_type: {"schema": schema}}}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _triples(changes: list[Any]) -> set[tuple[str, str, bool]]:
    return {(change.kind, change.location, change.breaking) for change in changes}


def _diff_post_body(old: Any, new: Any, **body: Any) -> set[tuple[str, str, bool]]:
    before = _document({"/x": {"post": _operation(requestBody=_body(old, **body))}})
    after = _document({"/x": {"post": _operation(requestBody=_body(new, **body))}})
    return _triples(api_diff.diff(before, after))


def _diff_get_answer(old: Any, new: Any) -> set[tuple[str, str, bool]]:
    before = _document({"/x": {"get": {"responses": {"200": _ok(old)}}}})
    after = _document({"/x": {"get": {"responses": {"200": _ok(new)}}}})
    return _triples(api_diff.diff(before, after))


# -------------------------------------------------------------------------------------------- operations


def test_identical_documents_have_no_change() -> None:
    document = api_diff.load_document(ROOT / SPEC_RELATIVE)
    assert api_diff.diff(document, copy.deepcopy(document)) == []


def test_operations_added_removed_deprecated_and_undeprecated() -> None:
    before = _document(
        {
            "/a": {"get": _operation(operationId="get_a"), "delete": _operation(deprecated=True)},
            "/b": {"get": _operation(operationId="get_b")},
        }
    )
    after = _document(
        {
            "/a": {"get": _operation(operationId="get_a", deprecated=True), "delete": _operation()},
            "/c": {"post": _operation(operationId="post_c")},
        }
    )
    changes = api_diff.diff(before, after)
    assert _triples(changes) == {
        ("operation-deprecated", "GET /a", False),
        ("operation-undeprecated", "DELETE /a", False),
        ("operation-removed", "GET /b", True),
        ("operation-added", "POST /c", False),
    }
    assert {change.description for change in changes if change.kind.endswith(("added", "removed"))} == {
        "operation removed (get_b)",
        "operation added (post_c)",
    }


def test_renaming_a_path_parameter_keeps_the_operation() -> None:
    parameter = {"in": "path", "required": True, "schema": {"type": "string"}}
    before = _document({"/a/{id}": {"get": _operation(parameters=[{"name": "id", **parameter}])}})
    after = _document({"/a/{actionId}": {"get": _operation(parameters=[{"name": "actionId", **parameter}])}})
    assert _triples(api_diff.diff(before, after)) == {
        ("parameter-removed", "GET /a/{actionId} path parameter id", True),
        ("parameter-added", "GET /a/{actionId} path parameter actionId", True),
    }


# -------------------------------------------------------------------------------------------- parameters


def _query(name: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def test_parameter_changes_and_their_breaking_flags() -> None:
    string, integer = {"type": "string"}, {"type": "integer"}
    before = _document(
        {
            "/x": {
                "parameters": [{"$ref": "#/components/parameters/Shared"}],
                "get": _operation(
                    parameters=[
                        _query("gone", string),
                        _query("retyped", string),
                        _query("widened", string),
                        _query("tightened", string),
                        _query("relaxed", string, required=True),
                    ]
                ),
            }
        }
    )
    before["components"] = {"parameters": {"Shared": _query("shared", string)}}
    after = copy.deepcopy(before)
    after["components"]["parameters"]["Shared"] = _query("shared", integer)  # through the $ref of the path item
    after["paths"]["/x"]["get"]["parameters"] = [
        _query("retyped", integer),
        _query("widened", {"type": ["string", "null"]}),
        _query("tightened", string, required=True),
        _query("relaxed", string),
        _query("new_required", string, required=True),
        _query("new_optional", string),
    ]
    assert _triples(api_diff.diff(before, after)) == {
        ("parameter-removed", "GET /x query parameter gone", True),
        ("parameter-type-changed", "GET /x query parameter retyped", True),
        ("parameter-type-changed", "GET /x query parameter shared", True),
        ("parameter-type-changed", "GET /x query parameter widened", False),
        ("parameter-required-changed", "GET /x query parameter tightened", True),
        ("parameter-required-changed", "GET /x query parameter relaxed", False),
        ("parameter-added", "GET /x query parameter new_required", True),
        ("parameter-added", "GET /x query parameter new_optional", False),
    }


def test_an_operation_parameter_overrides_the_path_item_one() -> None:
    before = _document({"/x": {"parameters": [_query("p", {"type": "string"})], "get": _operation()}})
    after = copy.deepcopy(before)
    after["paths"]["/x"]["get"]["parameters"] = [_query("p", {"type": "string"}, required=True)]
    assert _triples(api_diff.diff(before, after)) == {("parameter-required-changed", "GET /x query parameter p", True)}


# ---------------------------------------------------------------------------------------- request bodies


def test_request_fields_added_removed_and_retyped() -> None:
    old = _obj({"keep": {"type": "string"}, "gone": {"type": "string"}, "retyped": {"type": "string"}})
    new = _obj(
        {
            "keep": {"type": "string"},
            "retyped": {"type": "integer"},
            "needed": {"type": "string"},
            "optional": {"type": "string"},
        },
        required=["needed"],
    )
    assert _diff_post_body(old, new) == {
        ("request-field-removed", "POST /x request application/json gone", True),
        ("request-type-changed", "POST /x request application/json retyped", True),
        ("request-field-added", "POST /x request application/json needed", True),
        ("request-field-added", "POST /x request application/json optional", False),
    }


def test_request_required_and_widening() -> None:
    old = _obj({"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "integer", "format": "int32"}}, ["b"])
    new = _obj({"a": {"type": "string"}, "b": {"type": ["string", "null"]}, "c": {"type": "integer"}}, ["a"])
    assert _diff_post_body(old, new) == {
        ("request-required-changed", "POST /x request application/json a", True),
        ("request-required-changed", "POST /x request application/json b", False),
        # Every string is still accepted: a client's request cannot break.
        ("request-type-changed", "POST /x request application/json b", False),
        # integer(int32) -> integer is not a superset of names: reported as breaking, conservatively.
        ("request-type-changed", "POST /x request application/json c", True),
    }


def test_paths_walk_refs_arrays_and_union_variants() -> None:
    schemas = {
        "Message": _obj({"recipient": {"$ref": "#/components/schemas/Recipient"}}, ["recipient"]),
        "Recipient": {"oneOf": [{"$ref": "#/components/schemas/ById"}, {"$ref": "#/components/schemas/ByList"}]},
        "ById": _obj({"type": {"const": "id"}, "value": {"type": "string"}}, ["type", "value"]),
        "ByList": _obj({"type": {"const": "list"}, "value": {"type": "array", "items": {"type": "string"}}}),
    }
    body = {
        "required": True,
        "content": {
            "application/vnd.np6.cm.email": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}
            }
        },
    }
    before = _document({"/actions/{id}/executions": {"post": _operation(requestBody=body)}}, schemas)
    after = copy.deepcopy(before)
    after["components"]["schemas"]["ById"]["properties"]["value"] = {"type": "integer"}
    after["components"]["schemas"]["ByList"]["properties"]["type"] = {"enum": ["list", "set"]}
    assert _triples(api_diff.diff(before, after)) == {
        # The merged variants: array|string before, array|integer after.
        (
            "request-type-changed",
            "POST /actions/{id}/executions request application/vnd.np6.cm.email [].recipient.value",
            True,
        ),
        (
            "request-enum-values-added",
            "POST /actions/{id}/executions request application/vnd.np6.cm.email [].recipient.type",
            False,
        ),
    }
    change = next(c for c in api_diff.diff(before, after) if c.kind == "request-type-changed")
    assert change.description == "type changed: array|string -> array|integer"


def test_allof_parts_may_require_each_others_fields() -> None:
    base = _obj({"a": {"type": "string"}})
    old = {"allOf": [base, {"required": []}]}
    new = {"allOf": [base, {"required": ["a"]}]}
    assert _diff_post_body(old, new) == {("request-required-changed", "POST /x request application/json a", True)}


def test_a_new_or_vanished_subtree_is_one_change() -> None:
    old = _obj({"gone": _obj({"x": {"type": "string"}, "y": {"type": "array", "items": _obj({"z": {}})}})})
    new = _obj({"added": _obj({"x": {"type": "string"}}, ["x"])})
    assert _diff_post_body(old, new) == {
        ("request-field-removed", "POST /x request application/json gone", True),
        ("request-field-added", "POST /x request application/json added", False),
    }


def test_request_media_types_and_bodies() -> None:
    schema = {"type": "string"}
    before = _document(
        {
            "/m": {"post": _operation(requestBody=_body(schema, media_type="application/vnd.np6.cm.email"))},
            "/new": {"post": _operation()},
            "/gone": {"post": _operation(requestBody=_body(schema))},
            "/required": {"post": _operation(requestBody=_body(schema, required=False))},
        }
    )
    after = copy.deepcopy(before)
    after["paths"]["/m"]["post"]["requestBody"]["content"] = {
        "application/vnd.np6.cm.sms": {"schema": schema},
        "application/vnd.np6.cm.push": {"schema": schema},
    }
    after["paths"]["/new"]["post"]["requestBody"] = _body(schema, required=False)
    del after["paths"]["/gone"]["post"]["requestBody"]
    after["paths"]["/required"]["post"]["requestBody"]["required"] = True
    assert _triples(api_diff.diff(before, after)) == {
        ("request-media-type-removed", "POST /m request application/vnd.np6.cm.email", True),
        ("request-media-type-added", "POST /m request application/vnd.np6.cm.sms", False),
        ("request-media-type-added", "POST /m request application/vnd.np6.cm.push", False),
        ("request-body-added", "POST /new request", False),
        ("request-body-removed", "POST /gone request", True),
        ("request-body-required-changed", "POST /required request", True),
    }


# --------------------------------------------------------------------------------------------- responses


def test_response_fields_added_removed_retyped_and_made_optional() -> None:
    old = _obj({"gone": {"type": "string"}, "retyped": {"type": "string"}, "sure": {"type": "string"}}, ["sure"])
    new = _obj({"retyped": {"type": ["string", "null"]}, "sure": {"type": "string"}, "extra": {"type": "string"}})
    assert _diff_get_answer(old, new) == {
        ("response-field-removed", "GET /x response 200 application/json gone", True),
        # A client reading the answer must now handle null: any response retyping is breaking.
        ("response-type-changed", "GET /x response 200 application/json retyped", True),
        ("response-required-changed", "GET /x response 200 application/json sure", True),
        ("response-field-added", "GET /x response 200 application/json extra", False),
    }


def test_the_body_root_has_a_name() -> None:
    assert _diff_get_answer({"type": "string"}, {"type": "integer"}) == {
        ("response-type-changed", "GET /x response 200 application/json (body)", True)
    }


def test_response_statuses_and_media_types() -> None:
    schema = {"type": "string"}
    before = _document(
        {
            "/s": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schema}, "text/plain": {"schema": schema}},
                        },
                        "201": _ok(),
                        "404": {"$ref": "#/components/responses/NotFound"},
                    }
                }
            }
        }
    )
    before["components"] = {"responses": {"NotFound": {"description": "no"}}}
    after = copy.deepcopy(before)
    after["paths"]["/s"]["get"]["responses"] = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": schema}, "text/csv": {"schema": schema}},
        },
        "202": _ok(),
        "409": {"description": "conflict"},
    }
    assert _triples(api_diff.diff(before, after)) == {
        ("response-media-type-removed", "GET /s response 200 text/plain", True),
        ("response-media-type-added", "GET /s response 200 text/csv", False),
        # Success answers are what a client parses; error statuses only document failures.
        ("response-status-removed", "GET /s response 201", True),
        ("response-status-added", "GET /s response 202", True),
        ("response-status-removed", "GET /s response 404", False),
        ("response-status-added", "GET /s response 409", False),
    }


# ------------------------------------------------------------------------------------------------- enums


def test_enum_flags_depend_on_the_direction() -> None:
    old = _obj({"state": {"type": "string", "enum": ["a", "b"]}, "free": {"type": "string"}})
    new = _obj({"state": {"type": "string", "enum": ["b", "c"]}, "free": {"type": "string", "enum": ["x"]}})
    # A client may send fewer values, and must read more: the flags are mirrored.
    assert _diff_post_body(old, new) == {
        ("request-enum-values-added", "POST /x request application/json state", False),
        ("request-enum-values-removed", "POST /x request application/json state", True),
        ("request-enum-values-removed", "POST /x request application/json free", True),
    }
    assert _diff_get_answer(old, new) == {
        ("response-enum-values-added", "GET /x response 200 application/json state", True),
        ("response-enum-values-removed", "GET /x response 200 application/json state", False),
        ("response-enum-values-removed", "GET /x response 200 application/json free", False),
    }
    descriptions = {c.description for c in api_diff.diff(*_documents_with_answer(old, new))}
    assert {'enum values added: "c"', 'enum values removed: "a"', 'values now restricted to: "x"'} <= descriptions


def _documents_with_answer(old: Any, new: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        _document({"/x": {"get": {"responses": {"200": _ok(old)}}}}),
        _document({"/x": {"get": {"responses": {"200": _ok(new)}}}}),
    )


def test_an_open_union_variant_keeps_a_field_unrestricted() -> None:
    # Like the spec's UnknownAction: a catch-all variant means any value may come, whatever the consts say.
    closed = {"oneOf": [_obj({"type": {"const": "a"}}), _obj({"type": {"const": "b"}})]}
    opened = {"oneOf": [*closed["oneOf"], _obj({"type": {"type": "string"}})]}
    assert _diff_get_answer(closed, opened) == {
        ("response-enum-values-added", "GET /x response 200 application/json type", True)
    }
    assert _diff_get_answer(opened, opened) == set()


# ---------------------------------------------------------------------------------------- cyclic schemas


def test_cyclic_refs_terminate_and_changes_inside_them_are_found() -> None:
    schemas: dict[str, Any] = {
        "Node": _obj(
            {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "other": {"$ref": "#/components/schemas/Other"},
            }
        ),
        "Other": _obj({"back": {"$ref": "#/components/schemas/Node"}}),
        "Self": {"$ref": "#/components/schemas/Self"},
        "Loop": {"oneOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "string"}]},
    }
    answer = _obj({key: {"$ref": f"#/components/schemas/{key}"} for key in schemas})
    before = _document({"/tree": {"get": {"responses": {"200": _ok(answer)}}}}, schemas)
    after = copy.deepcopy(before)
    after["components"]["schemas"]["Node"]["properties"]["label"] = {"type": "string"}
    after["components"]["schemas"]["Loop"]["oneOf"][1] = {"type": "integer"}

    changes = api_diff.diff(before, after)

    assert _triples(changes) == {
        ("response-field-added", "GET /tree response 200 application/json Node.label", False),
        # Not a cycle: Node is reached there through Other, once.
        ("response-field-added", "GET /tree response 200 application/json Other.back.label", False),
        ("response-type-changed", "GET /tree response 200 application/json Loop", True),
    }
    assert api_diff.diff(before, copy.deepcopy(before)) == []


# ------------------------------------------------------------------------------------------- determinism


def _reversed_mappings(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _reversed_mappings(node[key]) for key in reversed(list(node))}
    if isinstance(node, list):
        return [_reversed_mappings(item) for item in node]
    return node


def test_the_diff_is_sorted_and_independent_of_key_order() -> None:
    old = api_diff.load_document(ROOT / SPEC_RELATIVE)
    new = api_diff.load_document(FIXTURE_820)
    changes = api_diff.diff(old, new)
    assert changes == sorted(changes, key=lambda change: change.sort_key)
    assert api_diff.diff(_reversed_mappings(old), _reversed_mappings(new)) == changes
    date = dt.date(2025, 1, 2)
    assert api_diff.markdown_section("a", "b", changes, date) == api_diff.markdown_section(
        "a", "b", api_diff.diff(old, new), date
    )


def test_the_fixture_makes_exactly_its_four_changes() -> None:
    old = api_diff.load_document(ROOT / SPEC_RELATIVE)
    new = api_diff.load_document(FIXTURE_820)
    assert _triples(api_diff.diff(old, new)) == FIXTURE_CHANGES
    assert api_diff.version_of(new) == "8.2.0"


# ---------------------------------------------------------------------------------------------- reports


def _example_changes() -> list[Any]:
    return [
        api_diff.Change("operation-added", "GET /b", "operation added (get_b)", False),
        api_diff.Change("operation-removed", "GET /a", "operation removed (get_a)", True),
    ]


def test_text_report() -> None:
    assert api_diff.text_report("1.0", "2.0", _example_changes()) == textwrap.dedent(
        """\
        API diff 1.0 -> 2.0: 2 change(s), 1 breaking

        Breaking:
          - GET /a: operation removed (get_a) [operation-removed]

        Non-breaking:
          - GET /b: operation added (get_b) [operation-added]
        """
    )
    assert api_diff.text_report("1.0", "1.1", []) == "API diff 1.0 -> 1.1: no client-visible change\n"


def test_markdown_section() -> None:
    assert api_diff.markdown_section("1.0", "2.0", _example_changes(), dt.date(2025, 3, 4)) == textwrap.dedent(
        """\
        ### NP6 API 1.0 -> 2.0 (2025-03-04)

        #### Breaking

        - `GET /a`: operation removed (get_a) [`operation-removed`]

        #### Non-breaking

        - `GET /b`: operation added (get_b) [`operation-added`]
        """
    )
    assert "#### Breaking\n\n- None\n" in api_diff.markdown_section("1.0", "1.1", [], dt.date(2025, 3, 4))


def test_a_spec_change_within_one_version_is_a_spec_revision_not_a_bump() -> None:
    date = dt.date(2026, 11, 26)
    section = api_diff.markdown_section("8.1.0", "8.1.0", _example_changes(), date)
    assert section.startswith("### NP6 API 8.1.0, spec revision (2026-11-26)\n\n#### Breaking\n")
    assert api_diff.section_title("8.1.0", "8.2.0", date) == "NP6 API 8.1.0 -> 8.2.0 (2026-11-26)"
    report = api_diff.text_report("8.1.0", "8.1.0", _example_changes())
    assert report.startswith("API diff 8.1.0, spec revision: 2 change(s), 1 breaking\n")
    assert api_diff.text_report("8.1.0", "8.1.0", []) == "API diff 8.1.0, spec revision: no client-visible change\n"
    assert "8.1.0 -> 8.1.0" not in section + report


_SECTION_A = "### NP6 API 1 -> 2 (d)\n\n- one\n"
_SECTION_B = "### NP6 API 2, spec revision (e)\n\n- two\n"
_KEPT_A_CHANGELOG = textwrap.dedent(
    """\
    # Changelog

    Intro.

    ## [Unreleased]

    Theme.

    ### Fixed

    - a fix

    ## [0.2.0] - 2026-12-01

    ### Added

    - a feature

    [Unreleased]: https://example.com/compare/v0.2.0...HEAD
    [0.2.0]: https://example.com/releases/tag/v0.2.0
    """
)


def test_the_diff_goes_under_unreleased_after_the_client_changes_newest_first(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(_KEPT_A_CHANGELOG, encoding="utf-8")
    api_diff.insert_under_unreleased(changelog, _SECTION_A)
    first = _KEPT_A_CHANGELOG.replace("- a fix\n\n", f"- a fix\n\n{_SECTION_A}\n")
    assert changelog.read_text(encoding="utf-8") == first
    # A second regeneration before the release: above the first, still below np6's own changes.
    api_diff.insert_under_unreleased(changelog, _SECTION_B)
    assert changelog.read_text(encoding="utf-8") == first.replace(_SECTION_A, f"{_SECTION_B}\n{_SECTION_A}")


def test_a_missing_unreleased_section_is_created_above_the_newest_release(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        _KEPT_A_CHANGELOG.replace("## [Unreleased]\n\nTheme.\n\n### Fixed\n\n- a fix\n\n", ""), encoding="utf-8"
    )
    api_diff.insert_under_unreleased(changelog, _SECTION_A)
    assert changelog.read_text(encoding="utf-8") == _KEPT_A_CHANGELOG.replace(
        "## [Unreleased]\n\nTheme.\n\n### Fixed\n\n- a fix\n", f"## [Unreleased]\n\n{_SECTION_A}"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(None, f"# Changelog\n\n## [Unreleased]\n\n{_SECTION_A}", id="no file"),
        pytest.param("Some notes.\n", f"# Changelog\n\nSome notes.\n\n## [Unreleased]\n\n{_SECTION_A}", id="no title"),
        pytest.param(
            "# Changes\n\nIntro.\n\n[x]: https://example.com/x\n",
            f"# Changes\n\nIntro.\n\n## [Unreleased]\n\n{_SECTION_A}\n[x]: https://example.com/x\n",
            id="no release yet, link definitions",
        ),
        pytest.param(
            "# Changelog\n\n## [Unreleased]\n\n- np6\n\n[Unreleased]: https://example.com/c\n",
            f"# Changelog\n\n## [Unreleased]\n\n- np6\n\n{_SECTION_A}\n[Unreleased]: https://example.com/c\n",
            id="unreleased last, link definitions",
        ),
    ],
)
def test_insert_under_unreleased_in_sparse_changelogs(tmp_path: Path, before: str | None, after: str) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    if before is not None:
        changelog.write_text(before, encoding="utf-8")
    api_diff.insert_under_unreleased(changelog, _SECTION_A)
    assert changelog.read_text(encoding="utf-8") == after


def test_spec_update_only_when_the_spec_changed(tmp_path: Path) -> None:
    old = _document({"/a": {"get": _operation()}}, version="1.0")
    assert api_diff.spec_update(None, old) is None
    assert api_diff.spec_update(old, copy.deepcopy(old)) is None
    bumped = copy.deepcopy(old)
    bumped["info"]["version"] = "1.1"
    update = api_diff.spec_update(old, bumped, date=dt.date(2025, 1, 1))
    assert update is not None
    assert update.changes == []
    printed: list[str] = []
    update.record(tmp_path / "CHANGELOG.md", echo=printed.append)
    assert printed == [
        "API diff 1.0 -> 1.1: no client-visible change",
        "CHANGELOG.md: added `### NP6 API 1.0 -> 1.1 (2025-01-01)` under `## [Unreleased]`.",
    ]
    assert (
        (tmp_path / "CHANGELOG.md")
        .read_text(encoding="utf-8")
        .startswith("# Changelog\n\n## [Unreleased]\n\n### NP6 API 1.0 -> 1.1 (2025-01-01)\n")
    )


def test_a_spec_revision_is_recorded_as_one(tmp_path: Path) -> None:
    old = _document({"/a": {"get": _operation()}}, version="8.1.0")
    revised = _document({"/a": {"get": _operation()}, "/b": {"get": _operation(operationId="get_b")}}, version="8.1.0")
    update = api_diff.spec_update(old, revised, date=dt.date(2026, 11, 26))
    assert update is not None
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(_KEPT_A_CHANGELOG, encoding="utf-8")
    printed: list[str] = []
    update.record(changelog, echo=printed.append)
    assert printed[0].startswith("API diff 8.1.0, spec revision: 1 change(s), 0 breaking\n")
    section = "### NP6 API 8.1.0, spec revision (2026-11-26)\n\n#### Breaking\n\n- None\n\n#### Non-breaking\n\n"
    section += "- `GET /b`: operation added (get_b) [`operation-added`]\n"
    assert changelog.read_text(encoding="utf-8") == _KEPT_A_CHANGELOG.replace("- a fix\n\n", f"- a fix\n\n{section}\n")


def test_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = ROOT / SPEC_RELATIVE
    assert api_diff.main([str(old), str(FIXTURE_820)]) == 0
    assert capsys.readouterr().out.startswith("API diff 8.1.0 -> 8.2.0: 4 change(s), 1 breaking\n")
    assert api_diff.main([str(old), str(FIXTURE_820), "--markdown", "--date", "2025-05-06"]) == 0
    assert capsys.readouterr().out.startswith("### NP6 API 8.1.0 -> 8.2.0 (2025-05-06)\n\n#### Breaking\n\n- `POST ")
    missing = tmp_path / "missing.yaml"
    assert api_diff.main([str(old), str(missing)]) == 2
    assert "missing.yaml" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ end to end


def _copy_repository(destination: Path) -> Path:
    # As tests/scripts/test_regenerate.py, plus what the overlay check and the changelog need.
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("spec", "scripts", "generated", "overlay"):
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    for name in ("pyproject.toml", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, destination / name)
    return destination


def _run(arguments: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


_REPORTED = re.compile(r"^  - (?P<location>.+?): (?P<description>.+) \[(?P<kind>[a-z-]+)\]$")


def _reported_changes(stdout: str) -> set[tuple[str, str, bool]]:
    found: set[tuple[str, str, bool]] = set()
    breaking: bool | None = None
    for line in stdout.splitlines():
        if line in ("Breaking:", "Non-breaking:"):
            breaking = line == "Breaking:"
        elif (match := _REPORTED.match(line)) and breaking is not None:
            found.add((match["kind"], match["location"], breaking))
    return found


# The editable install adds the real generated/ and overlay/ through a .pth file, i.e. after site-packages;
# PYTHONPATH comes before both, so the copy wins. The script checks it anyway.
_OVERLAY_SMOKE = """
import json, sys
from pathlib import Path
import attrs, httpx
import np6, np6_generated
from np6_generated.api.actions import get_action_statistics
from np6_generated.models import ActionStatistics, RenderLinksResult

copy = Path(sys.argv[1]).resolve()
for module in (np6, np6_generated, get_action_statistics):
    assert Path(module.__file__).resolve().is_relative_to(copy), module.__file__
fields = attrs.fields_dict(RenderLinksResult)
assert "links" in fields and "type_" not in fields, fields

seen = []
def answer(request):
    seen.append((request.method, request.url.path, request.headers["X-Key"]))
    return httpx.Response(200, json={"type": "mailMessage", "id": "000ABC", "name": "n"})

with np6.Client(api_key="k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
    action = client.actions.get("000ABC")
print(json.dumps({"class": type(action).__name__, "id": action.id, "name": action.name, "seen": seen}))
"""


def test_regenerating_from_8_2_0_reports_the_diff_and_keeps_the_overlay_working(tmp_path: Path) -> None:
    repository = _copy_repository(tmp_path / "repo")
    shutil.copyfile(FIXTURE_820, repository / SPEC_RELATIVE)
    changelog_before = (repository / "CHANGELOG.md").read_text(encoding="utf-8")

    result = _run([str(repository / "scripts" / "regenerate.py")], cwd=repository)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "API diff 8.1.0 -> 8.2.0: 4 change(s), 1 breaking" in result.stdout
    assert _reported_changes(result.stdout) == FIXTURE_CHANGES

    changelog = (repository / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n")
    titles = re.findall(r"^### NP6 API 8\.1\.0 -> 8\.2\.0 .*$", changelog, flags=re.MULTILINE)
    assert len(titles) == 1
    assert re.fullmatch(r"### NP6 API 8\.1\.0 -> 8\.2\.0 \(\d{4}-\d{2}-\d{2}\)", titles[0])
    start = changelog.index(titles[0])
    # In the [Unreleased] section, and nowhere else: the rest of the file is as it was.
    assert changelog.rindex("\n## ", 0, start) == changelog.index("\n## [Unreleased]\n")
    following = re.compile(r"^(## |### NP6 API )", flags=re.MULTILINE).search(changelog, start + 1)
    assert following is not None
    section = changelog[start : following.start()]
    assert changelog[:start] + changelog[following.start() :] == changelog_before
    breaking, non_breaking = section.split("#### Non-breaking")
    assert breaking.count("\n- `") == 1
    assert "`POST /actions/{id}/render/links response 200 application/json type`" in breaking
    assert non_breaking.count("\n- `") == 3

    # The spec is now the one shipped in generated/: a second run has nothing to regenerate nor to record.
    again = _run([str(repository / "scripts" / "regenerate.py")], cwd=repository)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already up to date" in again.stdout
    assert (repository / "CHANGELOG.md").read_text(encoding="utf-8") == changelog

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(repository / "generated"), str(repository / "overlay")]),
    }
    env.pop("NP6_API_KEY", None)
    smoke = _run(["-c", _OVERLAY_SMOKE, str(repository)], cwd=tmp_path, env=env)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert json.loads(smoke.stdout.strip().splitlines()[-1]) == {
        "class": "MailMessageAction",
        "id": "000ABC",
        "name": "n",
        "seen": [["GET", "/actions/000ABC", "k"]],
    }

    # The overlay's own tests of `client.actions`, minus the one operation whose answer lost a field, pass against
    # the regenerated 8.2.0 package.
    shutil.copytree(
        ROOT / "tests" / "resources", repository / "tests" / "resources", ignore=shutil.ignore_patterns("__pycache__")
    )
    for shared in ("__init__.py", "conftest.py", "dual_clients.py", "harness.py"):  # what tests/resources builds on
        shutil.copy2(ROOT / "tests" / shared, repository / "tests" / shared)
    subset = _run(
        [
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/resources/test_actions.py",
            "-k",
            "not render_links",
        ],
        cwd=repository,
        env=env,
    )
    assert subset.returncode == 0, subset.stdout[-3000:] + subset.stderr[-2000:]
    assert re.search(r"\d+ passed", subset.stdout)
