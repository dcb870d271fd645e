#!/usr/bin/env python3
"""Regenerate `generated/np6_generated` from `spec/np6-cm.openapi.yaml`.

    python scripts/regenerate.py            # validate, generate, check, swap into generated/
    python scripts/regenerate.py --check    # exit 1 (listing files) when generated/ is stale

A regeneration that changes the spec also prints the API diff against the spec of the code it replaces and
adds it to CHANGELOG.md, as a `### NP6 API ...` subsection under `## [Unreleased]` (see scripts/api_diff.py);
--check never writes either.

The pipeline: validate the curated spec -> derive the generator view (workarounds for generator bugs) ->
run the pinned openapi-python-client with isolated ruff hooks -> lint and import every module -> write the
stamp -> swap the result into place. Nothing is written to generated/ unless every step passed.
"""

from __future__ import annotations

import argparse
import copy
import filecmp
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "np6-cm.openapi.yaml"
CONFIG = ROOT / "scripts" / "generator-config.yaml"
# Three of the generator's templates, changed to give every operation a public, typed, sans-IO surface
# (`build_request` / `parse_response`) and to load each model on first use; each file says what it changes.
TEMPLATES = ROOT / "scripts" / "generator-templates"
PACKAGE = "np6_generated"
GENERATED = ROOT / "generated"
STAMP_NAME = f"{PACKAGE}.stamp.json"
VIEW_OUT = ROOT / "build" / "generator-view.json"
CHANGELOG = ROOT / "CHANGELOG.md"
# generate_into writes the curated document itself (not the generator view) here: the contract of the code
# around it, and so the "before" of an API diff.
SHIPPED_SPEC = Path(PACKAGE) / "openapi.json"

GENERATOR_VERSION = "0.29.1"
RUFF_VERSION = "0.17.6"

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
# The suffix of a virtual operation and of its path fragment, per vendor media type.
CHANNEL_SUFFIX = {"application/vnd.np6.cm.email": "email", "application/vnd.np6.cm.sms": "sms"}


class RegenerationError(Exception):
    """A step of the pipeline failed; the message says which and why."""


# ------------------------------------------------------------------------------------------------- the spec


def load_spec(path: Path = SPEC) -> dict[str, Any]:
    from ruamel.yaml import YAML  # a dependency of openapi-python-client
    from ruamel.yaml.error import YAMLError

    try:
        with path.open(encoding="utf-8") as stream:
            document = YAML(typ="safe", pure=True).load(stream)
    except (OSError, YAMLError) as exc:
        raise RegenerationError(f"{path.name}: cannot be read as YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise RegenerationError(f"{path.name}: not an OpenAPI document")
    return document


def validate_spec(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in exc.path) or "(root)"
        raise RegenerationError(f"the spec is not valid OpenAPI: {exc.message} (at {where})") from exc
    except Exception as exc:  # a dangling $ref and the like: the validator's message can dump the whole document
        message = str(exc).splitlines()[0] if str(exc) else ""
        raise RegenerationError(f"the spec cannot be resolved: {type(exc).__name__}: {message[:300]}") from exc


# ------------------------------------------------------------------------------------------ generator view


# Maps whose keys are names chosen by the spec's author (a property may be called `not`), and values that are
# data rather than schemas: neither holds schema keywords.
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "schemas", "paths", "responses", "headers"})
_DATA_KEYWORDS = frozenset({"example", "examples", "const", "enum", "default"})


def _strip_keyword(node: Any, keyword: str, *, names: bool = False) -> Any:
    if isinstance(node, list):
        return [_strip_keyword(item, keyword) for item in node]
    if not isinstance(node, dict):
        return node
    stripped: dict[str, Any] = {}
    for key, value in node.items():
        if key == keyword and not names:
            continue
        if key in _DATA_KEYWORDS and not names:
            stripped[key] = value
        else:
            stripped[key] = _strip_keyword(value, keyword, names=key in _NAME_MAPS and not names)
    return stripped


def generator_view(document: dict[str, Any]) -> dict[str, Any]:
    """The copy of the spec that the generator sees.

    - Operations whose request body has several media types become one virtual operation per media type
      (`/actions/{id}/executions#email`, operationId `send_messages_email`). openapi-python-client 0.29.1
      cannot generate them otherwise: the module fails to import (upstream issue #1451), array bodies raise
      TypeError at call time (isinstance with a parameterised generic) and identical schemas always take the
      last branch (#1276). The URL fragment keeps path keys unique and is never sent on the wire.
    - `not` is removed: the curated spec uses it to make the catch-all union variants (`UnknownAction`, ...)
      exclusive for validators; the generator has no use for it and the variants' order already puts them last.
    """
    view = copy.deepcopy(document)
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        shared = {k: v for k, v in item.items() if k not in HTTP_METHODS}
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            content = (operation.get("requestBody") or {}).get("content") or {}
            if len(content) <= 1:
                paths.setdefault(path, dict(shared))[method] = copy.deepcopy(operation)
                continue
            for media_type, media in content.items():
                suffix = CHANNEL_SUFFIX.get(media_type)
                if suffix is None:
                    raise RegenerationError(f"{method.upper()} {path}: no channel suffix for {media_type}")
                virtual = copy.deepcopy(operation)
                virtual["operationId"] = f"{operation['operationId']}_{suffix}"
                virtual["requestBody"]["content"] = {media_type: copy.deepcopy(media)}
                paths.setdefault(f"{path}#{suffix}", dict(shared))[method] = virtual
    view["paths"] = paths
    stripped: dict[str, Any] = _strip_keyword(view, "not")
    return stripped


# ----------------------------------------------------------------------------------------------- generating


def _tool_env(tools_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{tools_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONHASHSEED"] = "0"
    return env


def _run(command: list[str], *, env: dict[str, str], cwd: Path | None = None) -> None:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise RegenerationError(f"`{' '.join(command[:3])} ...` failed:\n{output}")


def _check_versions() -> None:
    for name, wanted in (("openapi-python-client", GENERATOR_VERSION), ("ruff", RUFF_VERSION)):
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError as exc:
            raise RegenerationError(f"{name}=={wanted} is not installed (pip install -e '.[regen]')") from exc
        if found != wanted:
            raise RegenerationError(f"{name} {found} is installed; regeneration is pinned to {wanted}")


def stamp(spec_bytes: bytes) -> dict[str, str]:
    return {
        "spec": "spec/np6-cm.openapi.yaml",
        "spec_sha256": hashlib.sha256(spec_bytes).hexdigest(),
        "spec_version": str(load_spec()["info"]["version"]),
        "generator": f"openapi-python-client=={GENERATOR_VERSION}",
        "templates_sha256": _templates_digest(),
        "ruff": f"ruff=={RUFF_VERSION}",
    }


def _templates_digest() -> str:
    digest = hashlib.sha256()
    for template in sorted(TEMPLATES.glob("*.jinja")):
        digest.update(template.name.encode() + b"\0" + template.read_bytes() + b"\0")
    return digest.hexdigest()


def generate_into(target: Path) -> None:
    """Generate the package and its stamp into `target` (a folder that will hold `np6_generated/`)."""
    _check_versions()
    spec_bytes = SPEC.read_bytes()
    document = load_spec()
    validate_spec(document)
    view = generator_view(document)

    tools_dir = Path(sys.executable).parent
    env = _tool_env(tools_dir)
    with tempfile.TemporaryDirectory(prefix="np6-regen-") as scratch:
        view_path = Path(scratch) / "generator-view.json"
        view_path.write_text(json.dumps(view, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        VIEW_OUT.parent.mkdir(exist_ok=True)
        shutil.copyfile(view_path, VIEW_OUT)
        output = Path(scratch) / PACKAGE
        _run(
            [
                str(tools_dir / "openapi-python-client"),
                "generate",
                "--path",
                str(view_path),
                "--config",
                str(CONFIG),
                "--custom-template-path",
                str(TEMPLATES),
                "--meta",
                "none",
                "--output-path",
                str(output),
                "--fail-on-warning",
            ],
            env=env,
        )
        (output / "py.typed").write_text("", encoding="utf-8")
        # The curated spec travels with the generated code (as JSON, so reading it needs no YAML parser): the
        # sandbox validates against it, and a vendored copy carries the contract it was generated from.
        (output / "openapi.json").write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        _run(
            [str(tools_dir / "ruff"), "check", "--isolated", "--no-cache", "--select", "F,E9", "."], env=env, cwd=output
        )
        _run([sys.executable, "-c", _IMPORT_EVERY_MODULE, PACKAGE], env={**env, "PYTHONPATH": scratch})
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(output, target / PACKAGE)
    (target / STAMP_NAME).write_text(json.dumps(stamp(spec_bytes), indent=2) + "\n", encoding="utf-8")


_IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
root = sys.argv[1]
package = importlib.import_module(root)
failures = []
for module in pkgutil.walk_packages(package.__path__, root + "."):
    try:
        importlib.import_module(module.name)
    except Exception as exc:
        failures.append(f"{module.name}: {type(exc).__name__}: {exc}")
if failures:
    sys.exit("modules that do not import:\\n" + "\\n".join(failures))
"""


# ---------------------------------------------------------------------------------------- compare and swap


def _files(root: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(root)): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def differing_files(expected: Path, actual: Path) -> list[str]:
    want, have = _files(expected), _files(actual)
    changed = [
        name for name in sorted(want.keys() & have.keys()) if not filecmp.cmp(want[name], have[name], shallow=False)
    ]
    missing = [f"{name} (missing)" for name in sorted(want.keys() - have.keys())]
    extra = [f"{name} (not generated)" for name in sorted(have.keys() - want.keys())]
    return changed + missing + extra


def swap_into_place(fresh: Path) -> None:
    """Replace generated/ by `fresh` with renames only, so an interruption never leaves a half-written tree."""
    GENERATED.parent.mkdir(exist_ok=True)
    staging = GENERATED.with_name(".generated.new")
    retired = GENERATED.with_name(".generated.old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(fresh, staging)
    if GENERATED.exists():
        GENERATED.rename(retired)
    staging.rename(GENERATED)
    shutil.rmtree(retired, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- API diff


def _api_diff() -> ModuleType:
    # scripts/ is not a package and the tests import this file by path: load the sibling module the same way.
    name = "np6_api_diff"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().with_name("api_diff.py"))
        if spec is None or spec.loader is None:
            raise RegenerationError("scripts/api_diff.py cannot be loaded")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it: dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def _shipped_spec(generated: Path) -> dict[str, Any] | None:
    """The spec the code in `generated` was produced from; None when there is none to compare with."""
    try:
        document = json.loads((generated / SHIPPED_SPEC).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when generated/ is not what the spec produces")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="np6-generated-") as scratch:
            fresh = Path(scratch) / "generated"
            generate_into(fresh)
            differences = differing_files(fresh, GENERATED)
            if args.check:
                if differences:
                    print("generated/ is stale; run `python scripts/regenerate.py`. Differing files:")
                    for name in differences:
                        print(f"  {name}")
                    return 1
                print("generated/ is up to date with spec/.")
                return 0
            if not differences:
                print("generated/ already up to date.")
                return 0
            previous, current = _shipped_spec(GENERATED), _shipped_spec(fresh)
            update = _api_diff().spec_update(previous, current) if current is not None else None
            swap_into_place(fresh)
            print(f"generated/ regenerated ({len(differences)} file(s) changed).")
            if update is not None:
                update.record(CHANGELOG)
            elif previous is None:
                print(f"no {SHIPPED_SPEC} in generated/ before: no API diff recorded.")
            return 0
    except RegenerationError as exc:
        print(f"regeneration failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
