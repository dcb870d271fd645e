"""Putting a copy in place: built in a hidden sibling directory, swapped in with renames, undone on a failure."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_WRITE_FAILED, VendorError
from .layout import MANIFEST_NAME, PACKAGES

__all__ = ["Disk", "leftovers", "move", "swap_in", "write_copy", "write_file"]

STAGING_PREFIX = ".np6_vendor.new-"
BACKUP_PREFIX = ".np6_vendor.old-"


def write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def move(source: Path, target: Path) -> None:
    # Never onto an existing directory here, so os.replace is a plain rename; for the manifest file it is atomic.
    os.replace(source, target)


@dataclass(frozen=True)
class Disk:
    """The two operations that write a copy: write_file and move, or failing ones to see that a failure is undone."""

    write_file: Callable[[Path, bytes], None]
    move: Callable[[Path, Path], None]


def leftovers(parent: Path) -> list[str]:
    if not parent.is_dir():
        return []
    return [
        f"{path} is left over from an interrupted run: it can be deleted"
        for path in sorted(parent.iterdir())
        if path.name.startswith((STAGING_PREFIX, BACKUP_PREFIX))
    ]


def swap_in(staging: Path, parent: Path, disk: Disk) -> None:
    """Replace np6/, np6_generated/ and the manifest in `parent` with those in `staging`, or change nothing."""
    backup = Path(tempfile.mkdtemp(prefix=BACKUP_PREFIX, dir=parent))
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in PACKAGES:
            if (parent / name).exists():
                disk.move(parent / name, backup / name)
                moved_out.append(name)
        for name in PACKAGES:
            disk.move(staging / name, parent / name)
            moved_in.append(name)
        # Last, and atomic: until here the old manifest describes what a re-run will find and replace.
        disk.move(staging / MANIFEST_NAME, parent / MANIFEST_NAME)
    except BaseException:
        try:
            for name in reversed(moved_in):
                disk.move(parent / name, staging / name)
            for name in reversed(moved_out):
                disk.move(backup / name, parent / name)
        except OSError as exc:
            raise VendorError(
                f"writing failed and so did restoring the previous copy ({exc}): it is in {backup}", EXIT_WRITE_FAILED
            ) from exc
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def write_copy(parent: Path, files: Mapping[str, bytes], manifest_bytes: bytes, disk: Disk) -> None:
    """Write `files` and their manifest into `parent`, creating it (a package) when it is missing."""
    created_parent = not parent.exists()
    staging: Path | None = None
    done = False
    try:
        if created_parent:
            parent.mkdir()
            (parent / "__init__.py").write_bytes(b"")
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
        for relative, data in files.items():
            disk.write_file(staging / relative, data)
        disk.write_file(staging / MANIFEST_NAME, manifest_bytes)
        swap_in(staging, parent, disk)
        done = True
    except OSError as exc:
        raise VendorError(f"cannot write the copy in {parent}: {exc}; nothing was changed", EXIT_WRITE_FAILED) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created_parent and not done:
            # The vendoring package was made for this copy: without the copy it has no reason to exist.
            shutil.rmtree(parent, ignore_errors=True)
