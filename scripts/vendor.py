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
- Optional parts: np6/sandbox/ and np6/_cli.py need the sandbox/cli extras; they are left out unless
  --with-sandbox. An update keeps the choice recorded in the copy it replaces, unless --with-sandbox or
  --no-with-sandbox is given.
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

import argparse
import ast
import hashlib
import io
import itertools
import json
import keyword
import os
import re
import shutil
import sys
import tempfile
import tokenize
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = "np6"
GENERATED = "np6_generated"
PACKAGES = (OVERLAY, GENERATED)
PROJECT = "np6-cm"
TOOL = "np6-cm scripts/vendor.py"
MANIFEST_NAME = "np6_vendor.json"
MANIFEST_FORMAT = 1
STAMP_NAME = f"{GENERATED}.stamp.json"
SPEC_RELATIVE = Path("spec") / "np6-cm.openapi.yaml"
# Paths inside the copy (and module names) of the parts that need the optional extras.
OPTIONAL_PATHS = ("np6/sandbox", "np6/_cli.py")
OPTIONAL_MODULES = ("np6.sandbox", "np6._cli")
STAGING_PREFIX = ".np6_vendor.new-"
BACKUP_PREFIX = ".np6_vendor.old-"
SOURCE_SUFFIXES = (".py", ".pyi")
SKIPPED_SUFFIXES = (".pyc", ".pyo")
SKIPPED_DIRS = frozenset({"__pycache__"})
GENERATED_MODULE_PATH = re.compile(r"np6_generated(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")

EXIT_OK = 0
EXIT_DIFFERS = 1
EXIT_REFUSED = 2
EXIT_WRITE_FAILED = 3


class VendorError(Exception):
    """An expected failure: the message is for the user, `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.code = code


# ------------------------------------------------------------------------------------------------ the rewrite


def _top_level(name: str) -> str | None:
    top = name.split(".", 1)[0]
    return top if top in PACKAGES else None


class _Source:
    """Offsets into `text` for `ast` positions (UTF-8 byte columns) and `tokenize` positions (characters)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self._tokens: dict[tuple[int, int], int] | None = None
        self._token_list: list[tokenize.TokenInfo] = []

    def _line(self, lineno: int) -> str:
        end = self.starts[lineno] if lineno < len(self.starts) else len(self.text)
        return self.text[self.starts[lineno - 1] : end]

    def from_ast(self, lineno: int, col_offset: int) -> int:
        prefix = self._line(lineno).encode("utf-8")[:col_offset]
        return self.starts[lineno - 1] + len(prefix.decode("utf-8"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        lineno, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
        end_lineno, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if lineno is None or col is None or end_lineno is None or end_col is None:
            raise ValueError(f"{type(node).__name__} node without a source position")
        return self.from_ast(lineno, col), self.from_ast(end_lineno, end_col)

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def from_token(self, position: tuple[int, int]) -> int:
        return self.starts[position[0] - 1] + position[1]

    def tokens(self) -> tuple[list[tokenize.TokenInfo], dict[tuple[int, int], int]]:
        # Tokenized on demand: most files (all of the generated package) only have relative imports.
        if self._tokens is None:
            self._token_list = list(tokenize.generate_tokens(io.StringIO(self.text).readline))
            self._tokens = {token.start: index for index, token in enumerate(self._token_list)}
        return self._token_list, self._tokens

    def module_span(self, node: ast.ImportFrom) -> tuple[int, int]:
        """The span of the dotted module name in `from <module> import ...` (it may contain spaces)."""
        start = self.from_ast(node.lineno, node.col_offset)
        # The usual spelling, checked at the statement's own position, spares tokenizing the whole module.
        plain = re.compile(rf"from[ \t]+({re.escape(node.module or '')})[ \t]+import\b").match(self.text, start)
        if plain:
            return plain.span(1)
        tokens, index = self.tokens()
        row = node.lineno
        position = index.get((row, start - self.starts[row - 1]))
        if position is None or tokens[position].string != "from":
            raise ValueError("cannot find the `from` keyword of an import")
        parts: list[tokenize.TokenInfo] = []
        for token in tokens[position + 1 :]:
            if token.type == tokenize.NAME and token.string == "import":
                break
            if token.type == tokenize.NAME or (token.type == tokenize.OP and token.string == "."):
                parts.append(token)
        if not parts or "".join(token.string for token in parts) != node.module:
            raise ValueError(f"cannot find the module name {node.module!r} of an import")
        return self.from_token(parts[0].start), self.from_token(parts[-1].end)


def _rewrite_import(node: ast.Import, source: _Source, parent: str) -> list[tuple[int, int, str]]:
    targets = [alias for alias in node.names if _top_level(alias.name)]
    if not targets:
        return []
    if all(alias.asname for alias in targets):
        # `import np6_generated.x as y` binds y to the submodule either way: only the name changes.
        return [(*source.span(alias), f"{parent}.{alias.name} as {alias.asname}") for alias in targets]
    # `import np6_generated[.x]` binds the top-level name, which a plain rename would lose: rebuild the statement.
    pieces: list[str] = []
    for alias in node.names:
        if not _top_level(alias.name):
            pieces.append(f"import {source.segment(alias)}")
        elif alias.asname:
            pieces.append(f"import {parent}.{alias.name} as {alias.asname}")
        elif "." not in alias.name:
            pieces.append(f"from {parent} import {alias.name}")
        else:
            pieces.append(f"from {parent} import {alias.name.split('.', 1)[0]}")
            pieces.append(f"import {parent}.{alias.name} as _vendored_{alias.name.replace('.', '_')}")
    return [(*source.span(node), "; ".join(pieces))]


def _string_literal(segment: str, value: str) -> str:
    quote = next((char for char in segment if char in "\"'"), '"')
    return f"{quote}{value}{quote}"


def _parse(text: str, filename: str) -> ast.Module:
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        raise VendorError(f"{filename}:{exc.lineno}: not valid Python: {exc.msg}") from exc


def rewrite_source(
    text: str, parent: str, filename: str = "<source>", tree: ast.Module | None = None
) -> tuple[str, list[str]]:
    """Rewrite the `np6`/`np6_generated` references of one module (parsed as `tree`) to live under `parent`.

    Returns the new text and warnings (strings that mention `np6_generated` but are left alone).
    """
    if "\r" in text.replace("\r\n", ""):
        raise VendorError(f"{filename}: lone carriage-return line endings are not supported")
    if OVERLAY not in text:
        # Any reference to either package spells "np6"; most generated modules have none and need no parse.
        return text, []
    tree = tree or _parse(text, filename)
    source = _Source(text)
    # One walk collects everything: the generated package alone has ~100 modules to go through.
    imports: list[ast.Import | ast.ImportFrom] = []
    strings: list[tuple[ast.Constant, str]] = []
    docstrings: set[int] = set()
    in_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append((node, node.value))
        elif isinstance(node, ast.JoinedStr):
            # Before Python 3.12 the positions of the parts of an f-string are unreliable: never edited.
            in_fstrings.update(id(inner) for inner in ast.walk(node) if inner is not node)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    edits: list[tuple[int, int, str]] = []
    warnings: list[str] = []
    try:
        for node in imports:
            if isinstance(node, ast.Import):
                edits.extend(_rewrite_import(node, source, parent))
            elif node.level == 0 and node.module and _top_level(node.module):
                edits.append((*source.module_span(node), f"{parent}.{node.module}"))
        for string, value in strings:
            if id(string) in docstrings:  # prose, not a module reference
                continue
            if value.startswith(GENERATED) and id(string) not in in_fstrings and GENERATED_MODULE_PATH.match(value):
                literal = _string_literal(source.segment(string), f"{parent}.{value}")
                edits.append((*source.span(string), literal))
            elif GENERATED in value:
                warnings.append(
                    f"{filename}:{string.lineno}: a string mentions {GENERATED} but is not a module path: left as is"
                )
    except ValueError as exc:
        raise VendorError(f"{filename}: cannot rewrite: {exc}") from exc
    if not edits:
        return text, warnings
    edits.sort()
    for (_, end, _), (start, _, _) in itertools.pairwise(edits):
        if start < end:
            raise VendorError(f"{filename}: overlapping rewrites (a bug in vendor.py)")
    result = text
    for start, end, replacement in reversed(edits):
        result = result[:start] + replacement + result[end:]
    try:
        ast.parse(result, filename=filename)
    except SyntaxError as exc:
        raise VendorError(f"{filename}: the rewrite produced invalid Python (a bug in vendor.py): {exc}") from exc
    return result, warnings


def _optional_imports(tree: ast.Module, module: str, is_package: bool, filename: str) -> list[str]:
    """Imports of the left-out optional modules from a module that is vendored (they would fail at run time)."""
    found: list[str] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif node.level == 0:
            base = node.module or ""
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            parts = package.split(".")
            kept = parts[: max(len(parts) - (node.level - 1), 0)]
            base = ".".join(kept + ([node.module] if node.module else []))
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        hits = [c for c in candidates if any(c == o or c.startswith(f"{o}.") for o in OPTIONAL_MODULES)]
        if hits:
            found.append(f"{filename}:{node.lineno}: imports {hits[0]}, which is left out (use --with-sandbox)")
    return found


# ------------------------------------------------------------------------------------------------ the sources


@dataclass(frozen=True)
class Provenance:
    project_version: str
    spec_version: str
    spec_sha256: str
    generator: str


@dataclass
class Rendered:
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


def source_packages(root: Path) -> dict[str, Path]:
    return {OVERLAY: root / "overlay" / OVERLAY, GENERATED: root / "generated" / GENERATED}


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
    if spec.is_file() and hashlib.sha256(spec.read_bytes()).hexdigest() != values["spec_sha256"]:
        warnings.append(f"{SPEC_RELATIVE} changed since generated/ was made: run scripts/regenerate.py first")
    return Provenance(version, str(values["spec_version"]), str(values["spec_sha256"]), str(values["generator"]))


def _walk(directory: Path) -> Iterator[Path]:
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(SKIPPED_SUFFIXES) and not name.startswith("."):
                yield Path(current) / name


def _is_optional(relative: PurePosixPath) -> bool:
    text = relative.as_posix()
    return any(text == path or text.startswith(f"{path}/") for path in OPTIONAL_PATHS)


def _rewrite_file(data: bytes, parent: str, relative: PurePosixPath, with_sandbox: bool) -> tuple[bytes, list[str]]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise VendorError(f"{relative}: cannot decode: {exc}") from exc
    filename = str(relative)
    check_optional = (
        not with_sandbox
        and relative.parts[0] == OVERLAY
        and any(module.rpartition(".")[2] in text for module in OPTIONAL_MODULES)
    )
    tree = _parse(text, filename) if check_optional or OVERLAY in text else None
    new_text, warnings = rewrite_source(text, parent, filename, tree)
    if check_optional and tree is not None:
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        warnings += _optional_imports(tree, module, relative.stem == "__init__", filename)
    return (data if new_text == text else new_text.encode(encoding)), warnings


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
                data, warnings = _rewrite_file(data, parent, relative, with_sandbox)
                rendered.warnings += warnings
            rendered.files[relative.as_posix()] = data
    return rendered


# ------------------------------------------------------------------------------------------- manifest and copy


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _move(source: Path, target: Path) -> None:
    # Never onto an existing directory here, so os.replace is a plain rename; for the manifest file it is atomic.
    os.replace(source, target)


def swap_in(staging: Path, parent: Path) -> None:
    """Replace np6/, np6_generated/ and the manifest in `parent` with those in `staging`, or change nothing."""
    backup = Path(tempfile.mkdtemp(prefix=BACKUP_PREFIX, dir=parent))
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in PACKAGES:
            if (parent / name).exists():
                _move(parent / name, backup / name)
                moved_out.append(name)
        for name in PACKAGES:
            _move(staging / name, parent / name)
            moved_in.append(name)
        # Last, and atomic: until here the old manifest describes what a re-run will find and replace.
        _move(staging / MANIFEST_NAME, parent / MANIFEST_NAME)
    except BaseException:
        try:
            for name in reversed(moved_in):
                _move(parent / name, staging / name)
            for name in reversed(moved_out):
                _move(backup / name, parent / name)
        except OSError as exc:
            raise VendorError(
                f"writing failed and so did restoring the previous copy ({exc}): it is in {backup}", EXIT_WRITE_FAILED
            ) from exc
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)


# ------------------------------------------------------------------------------------------------- the commands


def check_package_name(package: str) -> list[str]:
    parts = package.split(".")
    for part in parts:
        if not part.isidentifier() or keyword.iskeyword(part):
            raise VendorError(f"--package {package!r}: {part!r} is not a valid Python package name")
    if parts[0] in PACKAGES:
        raise VendorError(
            f"--package {package!r}: must not start with {' or '.join(PACKAGES)}: the copy must not collide with them"
        )
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


def _leftovers(parent: Path) -> list[str]:
    if not parent.is_dir():
        return []
    return [
        f"{path} is left over from an interrupted run: it can be deleted"
        for path in sorted(parent.iterdir())
        if path.name.startswith((STAGING_PREFIX, BACKUP_PREFIX))
    ]


def vendor(into: Path, package: str, *, with_sandbox: bool | None = None, force: bool = False) -> Outcome:
    parts = check_package_name(package)
    parent = locate(into, parts)
    warnings = _leftovers(parent)
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
    provenance = read_provenance(ROOT, warnings)
    rendered = render(ROOT, package, with_sandbox)
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
    _write(parent, rendered.files, manifest_bytes)
    return outcome


def _write(parent: Path, files: Mapping[str, bytes], manifest_bytes: bytes) -> None:
    created_parent = not parent.exists()
    staging: Path | None = None
    done = False
    try:
        if created_parent:
            parent.mkdir()
            (parent / "__init__.py").write_bytes(b"")
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
        for relative, data in files.items():
            write_file(staging / relative, data)
        write_file(staging / MANIFEST_NAME, manifest_bytes)
        swap_in(staging, parent)
        done = True
    except OSError as exc:
        raise VendorError(f"cannot write the copy in {parent}: {exc}; nothing was changed", EXIT_WRITE_FAILED) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created_parent and not done:
            # The vendoring package was made for this copy: without the copy it has no reason to exist.
            shutil.rmtree(parent, ignore_errors=True)


@dataclass
class CheckResult:
    parent: Path
    manifest: Manifest
    differences: Differences
    problems: list[str]
    notes: list[str]


def check(into: Path, package: str) -> CheckResult:
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
        current = render(ROOT, package, manifest.with_sandbox)
        provenance = read_provenance(ROOT, [])
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


# --------------------------------------------------------------------------------------------- command line


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.check and (args.force or args.with_sandbox is not None):
        parser.error("--check takes neither --force nor --with-sandbox")
    into: Path = args.into.expanduser().resolve()
    package: str = args.package
    try:
        if args.check:
            result = check(into, package)
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
        outcome = vendor(into, package, with_sandbox=args.with_sandbox, force=args.force)
        for warning in outcome.warnings:
            print(f"vendor.py: warning: {warning}", file=sys.stderr)
        _report_vendor(outcome, package)
        return EXIT_OK
    except VendorError as exc:
        print(f"vendor.py: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("vendor.py: interrupted; the previous copy, if any, is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
