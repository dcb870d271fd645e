"""The rewrite: each reference of a module to `np6`/`np6_generated` becomes one to the copy under its parent.

Which references, and how they are found and edited: see the docstring of scripts/vendor.py.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from pathlib import PurePosixPath

from .errors import VendorError
from .layout import GENERATED, OPTIONAL_MODULES, OVERLAY, PACKAGES

__all__ = ["rewrite_file", "rewrite_source"]

GENERATED_MODULE_PATH = re.compile(r"np6_generated(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


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


def rewrite_file(data: bytes, parent: str, relative: PurePosixPath, with_sandbox: bool) -> tuple[bytes, list[str]]:
    """One source file of the copy, in its own encoding; warns about imports of optional parts left out."""
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
