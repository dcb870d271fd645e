"""The command: its arguments, a run (create, update, --check, --force) and every message it prints."""

from __future__ import annotations

import argparse
import importlib.util
import json
import keyword
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EXIT_DIFFERS, EXIT_OK, EXIT_WRITE_FAILED, VendorError
from .install import Disk, leftovers, write_copy
from .layout import GENERATED, MANIFEST_NAME, OVERLAY, PACKAGES
from .manifest import (
    Differences,
    Manifest,
    Provenance,
    build_manifest,
    compare,
    load_manifest,
    read_provenance,
    scan_copy,
    sha256,
)
from .sources import render

__all__ = ["CheckResult", "Outcome", "check", "check_package_name", "locate", "main", "vendor"]


def check_package_name(package: str) -> list[str]:
    parts = package.split(".")
    for part in parts:
        # ASCII only: Python folds a non-ASCII identifier to its NFKC form, so fullwidth letters import as json.
        if not part.isascii():
            raise VendorError(f"--package {package!r}: {part!r} is not ASCII; only ASCII package names are accepted")
        if not part.isidentifier() or keyword.iskeyword(part):
            raise VendorError(f"--package {package!r}: {part!r} is not a valid Python package name")
        if part.startswith("__"):
            raise VendorError(f"--package {package!r}: {part!r} is a name Python keeps for itself")
    top = parts[0]
    if top in PACKAGES:
        raise VendorError(
            f"--package {package!r}: must not start with {' or '.join(PACKAGES)}: the copy must not collide with them"
        )
    if top in sys.stdlib_module_names:
        raise VendorError(f"--package {package!r}: {top!r} is a module of the standard library; the copy would hide it")
    if len(parts) == 1 and importlib.util.find_spec(top) is not None:
        raise VendorError(f"--package {package!r}: {top!r} is an installed module; the copy would hide it")
    return parts


def locate(into: Path, parts: Sequence[str]) -> Path:
    """The vendoring package's directory; every package above it must exist."""
    if not into.is_dir():
        raise VendorError(f"--into {into}: no such directory")
    for depth in range(1, len(parts)):
        directory = into.joinpath(*parts[:depth])
        if not directory.is_dir():
            raise VendorError(
                f"{directory} does not exist: the packages above the copy ({'.'.join(parts[:-1])}) must exist "
                f"under --into (is --into the directory that holds {parts[0]}/?)"
            )
    parent = into.joinpath(*parts)
    if parent.exists() and not parent.is_dir():
        raise VendorError(f"{parent} exists and is not a directory")
    return parent


@dataclass
class Outcome:
    parent: Path
    files: int
    provenance: Provenance
    created: bool = False
    up_to_date: bool = False
    differences: Differences = field(default_factory=lambda: Differences([], [], []))
    metadata_changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def vendor(
    into: Path, package: str, *, root: Path, disk: Disk, with_sandbox: bool | None = None, force: bool = False
) -> Outcome:
    """Create or update the copy of the np6-cm checkout `root` in the package `package` under `into`."""
    parts = check_package_name(package)
    parent = locate(into, parts)
    warnings = leftovers(parent)
    manifest_path = parent / MANIFEST_NAME
    old: Manifest | None = None
    local = Differences([], [], [])
    if manifest_path.exists():
        old = load_manifest(manifest_path)
        local = compare(old.files, scan_copy(parent))
        if local and not force:
            raise VendorError(
                f"the copy in {parent} differs from its manifest (local edits?); --force replaces it anyway:\n"
                + "\n".join(local.lines())
            )
        if local:
            warnings.append(f"discarding local modifications of {len(local.lines())} file(s) in {parent}")
    else:
        foreign = [parent / name for name in PACKAGES if (parent / name).exists()]
        if foreign:
            raise VendorError(
                f"{foreign[0]} exists but was not made by vendor.py (no {MANIFEST_NAME} beside it): refusing to "
                "overwrite it; remove it or choose another --package"
            )
    if with_sandbox is None:
        with_sandbox = old.with_sandbox if old else False
    provenance = read_provenance(root, warnings)
    rendered = render(root, package, with_sandbox)
    warnings += rendered.warnings
    manifest_bytes = build_manifest(package, provenance, with_sandbox, rendered.files)
    outcome = Outcome(parent, len(rendered.files), provenance, created=old is None, warnings=warnings)
    if old is not None:
        outcome.differences = compare(old.files, {path: sha256(data) for path, data in rendered.files.items()})
        current = json.loads(manifest_bytes)
        outcome.metadata_changes = [
            f"{key}: {old.metadata[key]} -> {current[key]}"
            for key in old.metadata
            if old.metadata[key] != str(current[key])
        ]
        if old.package != package:
            outcome.metadata_changes.append(f"package: {old.package} -> {package}")
        if old.with_sandbox != with_sandbox:
            outcome.metadata_changes.append(f"with_sandbox: {old.with_sandbox} -> {with_sandbox}")
        if manifest_path.read_bytes() == manifest_bytes and not local:
            outcome.up_to_date = True
            return outcome
    write_copy(parent, rendered.files, manifest_bytes, disk)
    return outcome


@dataclass
class CheckResult:
    parent: Path
    manifest: Manifest
    differences: Differences
    problems: list[str]
    notes: list[str]


def check(into: Path, package: str, *, root: Path) -> CheckResult:
    """Compare the copy in `package` with its manifest, and note whether the checkout `root` would change it."""
    parts = check_package_name(package)
    parent = locate(into, parts)
    manifest_path = parent / MANIFEST_NAME
    if not manifest_path.is_file():
        raise VendorError(f"no vendored copy in {parent}: {MANIFEST_NAME} is missing")
    manifest = load_manifest(manifest_path)
    problems: list[str] = []
    if manifest.package != package:
        problems.append(f"the copy was vendored as {manifest.package}, so its imports do not work as {package}")
    notes: list[str] = []
    try:
        current = render(root, package, manifest.with_sandbox)
        provenance = read_provenance(root, [])
    except VendorError as exc:
        notes.append(f"cannot compare with this checkout: {exc}")
    else:
        stale = compare(manifest.files, {path: sha256(data) for path, data in current.files.items()})
        versions = {
            "project_version": provenance.project_version,
            "spec_version": provenance.spec_version,
            "spec_sha256": provenance.spec_sha256,
            "generator": provenance.generator,
        }
        if stale or versions != manifest.metadata:
            notes.append(
                f"this checkout (np6-cm {provenance.project_version}, spec {provenance.spec_version}) would vendor "
                f"{len(stale.lines())} file(s) differently: run vendor.py without --check to update the copy"
            )
    return CheckResult(parent, manifest, compare(manifest.files, scan_copy(parent)), problems, notes)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vendor.py",
        description="Copy np6 and np6_generated into another repository, under a package of it.",
        epilog="exit codes: 0 ok, 1 --check found differences, 2 refused, 3 writing failed",
    )
    parser.add_argument("--into", type=Path, required=True, help="the directory holding the top-level package")
    parser.add_argument("--package", required=True, help="the dotted package to vendor into, e.g. myapp._vendor")
    parser.add_argument("--check", action="store_true", help="verify the copy against its manifest; write nothing")
    parser.add_argument(
        "--with-sandbox",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include np6.sandbox and np6._cli (default: as in the existing copy, else no)",
    )
    parser.add_argument("--force", action="store_true", help="replace a copy that has local modifications")
    return parser


def _report_vendor(outcome: Outcome, package: str) -> None:
    where = f"{package}.{OVERLAY} and {package}.{GENERATED} in {outcome.parent}"
    about = (
        f"np6-cm {outcome.provenance.project_version}, spec {outcome.provenance.spec_version}, {outcome.files} files"
    )
    if outcome.up_to_date:
        print(f"vendor.py: {where} is up to date ({about}): nothing written")
    elif outcome.created:
        print(f"vendor.py: created {where} ({about})")
    else:
        d = outcome.differences
        print(
            f"vendor.py: updated {where} ({about}): "
            f"{len(d.changed)} changed, {len(d.missing)} removed, {len(d.extra)} added"
        )
        for line in [*d.lines(("changed", "removed", "added")), *(f"  {c}" for c in outcome.metadata_changes)]:
            print(line)


def main(argv: Sequence[str] | None, *, root: Path, disk: Disk) -> int:
    """Run vendor.py with `argv`, copying from the checkout `root`: returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.check and (args.force or args.with_sandbox is not None):
        parser.error("--check takes neither --force nor --with-sandbox")
    into: Path = args.into.expanduser().resolve()
    package: str = args.package
    try:
        if args.check:
            result = check(into, package, root=root)
            for note in result.notes:
                print(f"vendor.py: note: {note}", file=sys.stderr)
            if result.differences or result.problems:
                print(f"vendor.py: the copy in {result.parent} differs from its manifest:")
                for line in [*(f"  {p}" for p in result.problems), *result.differences.lines()]:
                    print(line)
                return EXIT_DIFFERS
            meta = result.manifest.metadata
            print(
                f"vendor.py: {result.parent} matches its manifest "
                f"(np6-cm {meta['project_version']}, spec {meta['spec_version']}, {len(result.manifest.files)} files)"
            )
            return EXIT_OK
        outcome = vendor(into, package, root=root, disk=disk, with_sandbox=args.with_sandbox, force=args.force)
        for warning in outcome.warnings:
            print(f"vendor.py: warning: {warning}", file=sys.stderr)
        _report_vendor(outcome, package)
        return EXIT_OK
    except VendorError as exc:
        print(f"vendor.py: error: {exc}", file=sys.stderr)
        return exc.code
    except OSError as exc:  # a name too long for the file system, a full disk, a permission...
        print(f"vendor.py: error: {exc.strerror or exc}: {exc.filename or into}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    except KeyboardInterrupt:
        print("vendor.py: interrupted; the previous copy, if any, is unchanged", file=sys.stderr)
        return 130
