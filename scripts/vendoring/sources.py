"""The files of the copy, read from an np6-cm checkout and rewritten in memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import VendorError
from .layout import GENERATED, OPTIONAL_PATHS, OVERLAY, SKIPPED_DIRS, SKIPPED_SUFFIXES
from .rewrite import rewrite_file

__all__ = ["Rendered", "render", "source_packages"]

SOURCE_SUFFIXES = (".py", ".pyi")


@dataclass
class Rendered:
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


def source_packages(root: Path) -> dict[str, Path]:
    return {OVERLAY: root / "overlay" / OVERLAY, GENERATED: root / "generated" / GENERATED}


def _walk(directory: Path) -> Iterator[Path]:
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(SKIPPED_SUFFIXES) and not name.startswith("."):
                yield Path(current) / name


def _is_optional(relative: PurePosixPath) -> bool:
    text = relative.as_posix()
    return any(text == path or text.startswith(f"{path}/") for path in OPTIONAL_PATHS)


def render(root: Path, parent: str, with_sandbox: bool) -> Rendered:
    """Every file of the copy (relative path -> content), rewritten for `parent`, in memory."""
    rendered = Rendered({})
    for name, directory in source_packages(root).items():
        if not (directory / "__init__.py").is_file():
            raise VendorError(f"{directory} is not a package: run from an np6-cm checkout (regenerated)")
        for path in _walk(directory):
            relative = PurePosixPath(name, *path.relative_to(directory).parts)
            if not with_sandbox and _is_optional(relative):
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise VendorError(f"cannot read {path}: {exc}") from exc
            if path.suffix in SOURCE_SUFFIXES:
                data, warnings = rewrite_file(data, parent, relative, with_sandbox)
                rendered.warnings += warnings
            rendered.files[relative.as_posix()] = data
    return rendered
