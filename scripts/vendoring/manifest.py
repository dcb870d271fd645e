"""The manifest beside a copy: the versions it was made from and the sha256 of each of its files.

It is what tells a copy made by vendor.py from a folder that was not, and an intact copy from an edited one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import VendorError
from .layout import GENERATED, PACKAGES, SKIPPED_DIRS, SKIPPED_SUFFIXES

__all__ = [
    "Differences",
    "Manifest",
    "Provenance",
    "build_manifest",
    "compare",
    "load_manifest",
    "read_provenance",
    "scan_copy",
    "sha256",
]

PROJECT = "np6-cm"
TOOL = "np6-cm scripts/vendor.py"
MANIFEST_FORMAT = 1
STAMP_NAME = f"{GENERATED}.stamp.json"
SPEC_RELATIVE = Path("spec") / "np6-cm.openapi.yaml"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Provenance:
    project_version: str
    spec_version: str
    spec_sha256: str
    generator: str


def _read_json(path: Path, what: str) -> dict[str, object]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VendorError(f"cannot read {what} {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise VendorError(f"{what} {path} is not a JSON object")
    return document


def read_provenance(root: Path, warnings: list[str]) -> Provenance:
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        version = project["version"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise VendorError(f"cannot read [project] version from {root / 'pyproject.toml'}: {exc!r}") from exc
    stamp = _read_json(root / "generated" / STAMP_NAME, "the generation stamp")
    values = {key: stamp.get(key) for key in ("spec_version", "spec_sha256", "generator")}
    missing = [key for key, value in values.items() if not isinstance(value, str)]
    if missing or not isinstance(version, str):
        raise VendorError(f"the generation stamp or pyproject.toml lacks {', '.join(missing) or 'version'}")
    spec = root / SPEC_RELATIVE
    if spec.is_file() and sha256(spec.read_bytes()) != values["spec_sha256"]:
        warnings.append(f"{SPEC_RELATIVE} changed since generated/ was made: run scripts/regenerate.py first")
    return Provenance(version, str(values["spec_version"]), str(values["spec_sha256"]), str(values["generator"]))


def build_manifest(package: str, provenance: Provenance, with_sandbox: bool, files: Mapping[str, bytes]) -> bytes:
    manifest = {
        "comment": "Written by np6-cm's scripts/vendor.py: do not edit the vendored files; re-run vendor.py to "
        "update them and vendor.py --check to verify them.",
        "tool": TOOL,
        "format": MANIFEST_FORMAT,
        "package": package,
        "project": PROJECT,
        "project_version": provenance.project_version,
        "spec_version": provenance.spec_version,
        "spec_sha256": provenance.spec_sha256,
        "generator": provenance.generator,
        "with_sandbox": with_sandbox,
        "files": {path: sha256(files[path]) for path in sorted(files)},
    }
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Manifest:
    package: str
    with_sandbox: bool
    files: dict[str, str]
    metadata: dict[str, str]


def load_manifest(path: Path) -> Manifest:
    document = _read_json(path, "the manifest")
    files, package, with_sandbox = document.get("files"), document.get("package"), document.get("with_sandbox")
    if (
        document.get("tool") != TOOL
        or document.get("format") != MANIFEST_FORMAT
        or not isinstance(package, str)
        or not isinstance(with_sandbox, bool)
        or not isinstance(files, dict)
        or not all(isinstance(key, str) and isinstance(value, str) for key, value in files.items())
    ):
        raise VendorError(f"{path} is not a manifest written by this version of vendor.py")
    metadata = {key: str(document.get(key)) for key in ("project_version", "spec_version", "spec_sha256", "generator")}
    return Manifest(package, with_sandbox, dict(files), metadata)


def scan_copy(parent: Path) -> dict[str, str]:
    """sha256 of every file of the copy on disk; bytecode caches are not part of it."""
    found: dict[str, str] = {}
    for name in PACKAGES:
        if not (parent / name).is_dir():
            continue
        for current, dirnames, filenames in os.walk(parent / name):
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
            for filename in filenames:
                if filename.endswith(SKIPPED_SUFFIXES):
                    continue
                path = Path(current) / filename
                try:
                    found[path.relative_to(parent).as_posix()] = sha256(path.read_bytes())
                except OSError as exc:
                    raise VendorError(f"cannot read {path}: {exc}") from exc
    return found


@dataclass(frozen=True)
class Differences:
    changed: list[str]
    missing: list[str]
    extra: list[str]

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.extra)

    def lines(self, labels: tuple[str, str, str] = ("changed", "missing", "extra")) -> list[str]:
        groups = zip(labels, (self.changed, self.missing, self.extra), strict=True)
        return [f"  {label:<8} {path}" for label, paths in groups for path in paths]


def compare(expected: Mapping[str, str], actual: Mapping[str, str]) -> Differences:
    return Differences(
        changed=sorted(path for path in expected.keys() & actual.keys() if expected[path] != actual[path]),
        missing=sorted(expected.keys() - actual.keys()),
        extra=sorted(actual.keys() - expected.keys()),
    )
