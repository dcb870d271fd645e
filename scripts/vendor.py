#!/usr/bin/env python3
"""Copy np6-cm (`np6` and `np6_generated`) into another repository, inside a package of that repository.

    python scripts/vendor.py --into /repo/src --package myapp._vendor            # create or update the copy
    python scripts/vendor.py --into /repo/src --package myapp._vendor --check    # verify it is unmodified

writes

    /repo/src/myapp/_vendor/np6/                 the client           -> import myapp._vendor.np6
    /repo/src/myapp/_vendor/np6_generated/       the generated package
    /repo/src/myapp/_vendor/np6_vendor.json      the manifest: versions, spec sha256, sha256 of every file

The copy needs httpx and attrs only (plus the sandbox extra's packages with --with-sandbox), and it never
imports an installed `np6` or `np6_generated`: every absolute import of either package becomes an import of
the vendored one, and so does every string constant that is exactly a module path under `np6_generated`
(`importlib.resources.files("np6_generated")`, `SPEC_PACKAGE = "np6_generated"`). Import statements and
string constants are found with `ast`, module names inside `from ... import` with `tokenize`, and the source
is edited at those positions only: comments, docstrings and formatting stay byte for byte.
`import np6_generated.models` (which binds `np6_generated`) becomes `from PARENT import np6_generated` plus
`import PARENT.np6_generated.models as _vendored_np6_generated_models`, so that the bound name still works.
Data files (py.typed, openapi.json) are copied as they are; __pycache__ and compiled files are skipped.

Decisions
- Parent packages: all packages of --package but the last must exist as directories under --into, so that a
  typo in --into or --package fails instead of creating packages in the wrong place. The last one (the
  vendoring package, `_vendor` above) is created with an empty __init__.py when it is missing; nothing is
  ever added to a directory that already exists, besides np6/, np6_generated/, the manifest and, during a
  run, the hidden .np6_vendor.* work directories.
- Optional parts: np6/sandbox/ and np6/_cli/ (with its entry points, np6/_command.py and np6/__main__.py)
  need the sandbox/cli extras; they are left out unless --with-sandbox. An update keeps the choice recorded in
  the copy it replaces, unless --with-sandbox or --no-with-sandbox is given.
- Ownership: np6/ or np6_generated/ without a manifest beside them were not made by this script: refused.
  A copy that differs from its manifest (local edits, what --check reports) is refused too, unless --force.
- No half-written copy: the new copy is built in a hidden sibling directory (.np6_vendor.new-*) and swapped
  in with renames, the manifest last (one atomic replace); on a failure the previous copy is put back. Only
  a hard kill in the middle of the renames can leave a mix; the old manifest is still in place then, so
  --check reports it and a re-run (with --force) repairs it.
- An update that would change nothing writes nothing. The manifest holds no timestamp, so vendoring the same
  checkout twice gives byte-identical trees.
- The logger names "np6" and "np6.sandbox" are kept: they are not module references, and logging set up for
  `np6` keeps applying to the copy.

Exit codes
    0  the copy was written or is already up to date; with --check: the copy matches its manifest
    1  --check: the copy differs from its manifest (changed, missing and extra files are listed)
    2  refused: bad arguments, missing parent packages, a folder not made by vendor.py, local modifications
       (without --force), no copy to check, an unreadable source or manifest
    3  writing failed (disk full, permissions...): the previous copy, if any, is left as it was
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

# The implementation is in vendoring/ beside this file. Run as a script, this folder is on sys.path already; not
# when the file is imported by its path (the tests do: scripts/ is not a package).
_SCRIPTS_DIR = str(Path(__file__).resolve().parent)
if _SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, _SCRIPTS_DIR)

from vendoring import command  # noqa: E402
from vendoring.command import CheckResult, Outcome  # noqa: E402
from vendoring.errors import VendorError  # noqa: E402
from vendoring.install import Disk, write_file  # noqa: E402
from vendoring.install import move as _move  # noqa: E402
from vendoring.rewrite import rewrite_source  # noqa: E402

__all__ = ["ROOT", "VendorError", "check", "main", "rewrite_source", "vendor", "write_file"]

# The checkout to copy from: the one this script is in.
ROOT = Path(__file__).resolve().parent.parent


def _disk() -> Disk:
    # Built at each run from this module's names, so that replacing write_file or _move here reaches the writing:
    # the tests make them fail to see that the previous copy survives.
    return Disk(write_file, _move)


def vendor(into: Path, package: str, *, with_sandbox: bool | None = None, force: bool = False) -> Outcome:
    return command.vendor(into, package, root=ROOT, disk=_disk(), with_sandbox=with_sandbox, force=force)


def check(into: Path, package: str) -> CheckResult:
    return command.check(into, package, root=ROOT)


def main(argv: Sequence[str] | None = None) -> int:
    return command.main(argv, root=ROOT, disk=_disk())


if __name__ == "__main__":
    sys.exit(main())
