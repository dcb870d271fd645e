"""`scripts/regenerate.py`: deterministic output, a `--check` that catches drift, and no damage on a bad spec.

Every run that could write lands in `tmp_path` (a copy of the repository, or a target folder); the real tree is
never modified. A regeneration takes a few seconds, so the number of runs is kept small.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from ruamel.yaml import YAML

from tests.scripts.support import PYTHON, ROOT, load_script

SPEC_RELATIVE = Path("spec") / "np6-cm.openapi.yaml"
PACKAGE = "np6_generated"
VENDOR_TYPES = {"application/vnd.np6.cm.email": "email", "application/vnd.np6.cm.sms": "sms"}


@pytest.fixture(scope="module")
def regen() -> ModuleType:
    """scripts/regenerate.py, imported from its file (scripts/ is not a package)."""
    return load_script("regenerate.py", "np6_regenerate_under_test")


def _load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        document = YAML(typ="safe", pure=True).load(stream)
    assert isinstance(document, dict)
    return document


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (bytecode caches aside), by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _copy_repository(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("spec", "scripts", "generated"):
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def _run_regenerate(repository: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, str(repository / "scripts" / "regenerate.py"), *arguments],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _listed_files(stdout: str) -> set[str]:
    """The differing files that `--check` lists (indented lines)."""
    return {line.strip() for line in stdout.splitlines() if line.startswith("  ")}


def _write_spec(repository: Path, document: dict[str, Any]) -> None:
    # JSON is YAML: the script reads it back with its YAML loader.
    (repository / SPEC_RELATIVE).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------ determinism


def test_two_regenerations_are_byte_identical(
    regen: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regen, "VIEW_OUT", tmp_path / "view" / "generator-view.json")  # keep build/ untouched
    first, second = tmp_path / "first", tmp_path / "second"
    regen.generate_into(first)
    # The second run from another working directory and with another hash seed: neither may leak into the output.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONHASHSEED", "4242")
    regen.generate_into(second)

    one, two = _tree(first), _tree(second)
    assert any(name.startswith(f"{PACKAGE}/api/actions/") for name in one)
    assert f"{PACKAGE}.stamp.json" in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []

    spec_bytes = (ROOT / SPEC_RELATIVE).read_bytes()
    stamp = json.loads(one[f"{PACKAGE}.stamp.json"])
    assert stamp["spec_sha256"] == hashlib.sha256(spec_bytes).hexdigest()
    assert stamp["spec_version"] == _load_yaml(ROOT / SPEC_RELATIVE)["info"]["version"]
    assert json.loads(one[f"{PACKAGE}/openapi.json"]) == _load_yaml(ROOT / SPEC_RELATIVE)


# ------------------------------------------------------------------------------------------------ --check


def test_check_passes_on_the_committed_tree(tmp_path: Path) -> None:
    repository = _copy_repository(tmp_path / "repo")
    before = _tree(repository / "generated")
    result = _run_regenerate(repository, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout
    assert _tree(repository / "generated") == before


def test_check_detects_hand_edits_in_generated(tmp_path: Path) -> None:
    repository = _copy_repository(tmp_path / "repo")
    package = repository / "generated" / PACKAGE
    edited = next(path for path in sorted((package / "api" / "actions").glob("*.py")) if path.name != "__init__.py")
    deleted = next(path for path in sorted((package / "models").glob("*.py")) if path.name != "__init__.py")
    added = package / "api" / "actions" / "hand_written.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# a hand edit\n", encoding="utf-8")
    deleted.unlink()
    added.write_text("VALUE = 1\n", encoding="utf-8")
    before = _tree(repository / "generated")

    result = _run_regenerate(repository, "--check")

    assert result.returncode == 1, result.stdout + result.stderr
    assert _listed_files(result.stdout) == {
        edited.relative_to(repository / "generated").as_posix(),
        f"{deleted.relative_to(repository / 'generated').as_posix()} (missing)",
        f"{added.relative_to(repository / 'generated').as_posix()} (not generated)",
    }
    assert _tree(repository / "generated") == before, "--check must not write"


def test_check_detects_a_spec_change(tmp_path: Path) -> None:
    repository = _copy_repository(tmp_path / "repo")
    document = _load_yaml(repository / SPEC_RELATIVE)
    # An operation without request body: one generated module, whatever the media types.
    path_item, method = next(
        (item, method)
        for item in document["paths"].values()
        for method in ("get", "delete")
        if method in item and "requestBody" not in item[method]
    )
    operation_id = path_item[method]["operationId"]
    path_item[method]["summary"] = "A summary changed by test_regenerate"
    _write_spec(repository, document)

    result = _run_regenerate(repository, "--check")

    assert result.returncode == 1, result.stdout + result.stderr
    assert _listed_files(result.stdout) == {
        f"{PACKAGE}/api/actions/{operation_id}.py",
        f"{PACKAGE}/openapi.json",
        f"{PACKAGE}.stamp.json",
    }


# -------------------------------------------------------------------------------------------- a bad spec


def test_an_invalid_spec_fails_with_the_validator_message_and_leaves_generated_untouched(tmp_path: Path) -> None:
    repository = _copy_repository(tmp_path / "repo")
    document = _load_yaml(repository / SPEC_RELATIVE)
    operation = next(iter(document["paths"].values()))["get"]
    operation["responses"]["abc"] = {"description": "not a status code"}
    _write_spec(repository, document)
    with pytest.raises(OpenAPIValidationError) as raised:
        validate(copy.deepcopy(document), cls=OpenAPIV31SpecValidator)
    before = _tree(repository / "generated")

    result = _run_regenerate(repository)  # not --check: the mode that writes

    assert result.returncode != 0
    assert "regeneration failed" in result.stderr
    assert raised.value.message in result.stderr
    assert _tree(repository / "generated") == before
    assert not (repository / ".generated.new").exists()
    assert not (repository / ".generated.old").exists()


def _dangling_reference(document: dict[str, Any]) -> str:
    schema = next(iter(document["components"]["schemas"].values()))
    schema.setdefault("properties", {})["broken"] = {"$ref": "#/components/schemas/DoesNotExist"}
    return json.dumps(document, indent=2) + "\n"


def _yaml_syntax_error(document: dict[str, Any]) -> str:
    return "openapi: 3.1.0\ninfo: [unclosed\n"


@pytest.mark.parametrize("break_spec", [_dangling_reference, _yaml_syntax_error])
def test_an_unreadable_spec_fails_cleanly(tmp_path: Path, break_spec: Any) -> None:
    repository = _copy_repository(tmp_path / "repo")
    spec_path = repository / SPEC_RELATIVE
    spec_path.write_text(break_spec(_load_yaml(spec_path)), encoding="utf-8")
    before = _tree(repository / "generated")

    result = _run_regenerate(repository)

    assert _tree(repository / "generated") == before
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.startswith("regeneration failed:")


# ----------------------------------------------------------------------------------------- generator view


def _spec() -> dict[str, Any]:
    return _load_yaml(ROOT / SPEC_RELATIVE)


def _contains_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_contains_key(value, key) for value in node.values())
    if isinstance(node, list):
        return any(_contains_key(item, key) for item in node)
    return False


def test_generator_view_splits_the_vendor_operations(regen: ModuleType) -> None:
    document = _spec()
    pristine = copy.deepcopy(document)
    view = regen.generator_view(document)
    assert document == pristine, "the view must not modify the curated document"

    expected: dict[tuple[str, str], str] = {}
    for path, item in document["paths"].items():
        for method in ("get", "put", "post", "delete", "patch"):
            if method not in item:
                continue
            operation = item[method]
            content = operation.get("requestBody", {}).get("content", {})
            if len(content) > 1:
                assert set(content) == set(VENDOR_TYPES)
                for media_type, suffix in VENDOR_TYPES.items():
                    expected[(f"{path}#{suffix}", method)] = f"{operation['operationId']}_{suffix}"
                    virtual = view["paths"][f"{path}#{suffix}"][method]
                    assert list(virtual["requestBody"]["content"]) == [media_type]
                    assert virtual["responses"].keys() == operation["responses"].keys()
                    assert view["paths"][f"{path}#{suffix}"].get("parameters") == item.get("parameters")
            else:
                expected[(path, method)] = operation["operationId"]
    found = {
        (path, method): operation["operationId"]
        for path, item in view["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }
    assert found == expected
    assert any("#" in path for path, _ in found)


def test_generator_view_strips_not_and_keeps_the_rest(regen: ModuleType) -> None:
    document = _spec()
    assert _contains_key(document["components"]["schemas"], "not")
    view = regen.generator_view(document)
    assert not _contains_key(view, "not")
    assert view["components"]["schemas"].keys() == document["components"]["schemas"].keys()
    unknown = view["components"]["schemas"]["UnknownAction"]
    assert unknown["properties"]["type"] == {"type": "string"}
    assert {key: value for key, value in view.items() if key not in {"paths", "components"}} == {
        key: value for key, value in document.items() if key not in {"paths", "components"}
    }


def test_generator_view_refuses_an_unknown_channel(regen: ModuleType) -> None:
    document = _spec()
    content = next(
        operation["requestBody"]["content"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and len(operation.get("requestBody", {}).get("content", {})) > 1
    )
    content["application/vnd.np6.cm.push"] = copy.deepcopy(next(iter(content.values())))
    with pytest.raises(regen.RegenerationError, match=r"application/vnd\.np6\.cm\.push"):
        regen.generator_view(document)


def test_generator_view_keeps_a_property_named_not(regen: ModuleType) -> None:
    document = _spec()
    schema = document["components"]["schemas"]["TargetMessageRequest"]
    schema["properties"]["not"] = {"type": "boolean"}
    view = regen.generator_view(document)
    assert view["components"]["schemas"]["TargetMessageRequest"]["properties"].get("not") == {"type": "boolean"}
