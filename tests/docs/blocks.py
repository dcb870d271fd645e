"""The fenced code blocks of a Markdown page, with where they start: what the documentation tests run and check.

A fence opens with three or more backticks (or tildes), possibly indented (a block inside a list item), followed by
the block's language and optional attributes (```python title="..."```); it closes with the same character, at
least as many times. A block's lines lose the indentation of its opening fence, as Markdown renders them.

Two kinds of blocks are not code to run: a block whose only lines include a file (`--8<-- "examples/x.py"`, the
snippets extension: that file is tested where it lives), and in a ```console block the output lines (only the
lines after a `$ ` prompt are commands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PYTHON", "SHELL", "Block", "fenced_blocks", "python_blocks", "shell_blocks"]

PYTHON = frozenset({"python", "py"})
SHELL = frozenset({"bash", "sh", "shell", "console"})

_OPENING = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*\{?\.?(?P<language>[\w+-]*)[^`]*$")
_INCLUDE = re.compile(r'^\s*-{1,2}8<-{1,2}\s+"[^"]+"\s*$')
_PROMPT = "$ "


@dataclass(frozen=True)
class Block:
    """One fenced block: the page it is on, the 1-based line of its first code line, and its code."""

    page: Path
    line: int
    source: str
    language: str = ""

    @property
    def where(self) -> str:
        """`page.md:12`, for messages that point at the block."""
        return f"{self.page.name}:{self.line}"

    def padded(self) -> str:
        """The source preceded by blank lines, so that compiling it gives the page's own line numbers."""
        return "\n" * (self.line - 1) + self.source


def fenced_blocks(path: Path, languages: frozenset[str] | None = None) -> list[Block]:
    """Every fenced block of the page (of these languages only, when given), in page order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    number = 0
    while number < len(lines):
        opening = _OPENING.match(lines[number])
        number += 1
        if opening is None:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        language = opening["language"].lower()
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        first = number
        body: list[str] = []
        while number < len(lines) and not closing.match(lines[number]):
            line = lines[number]
            # Markdown strips up to the fence's indentation from each line, no more.
            body.append(line[min(indent, len(line) - len(line.lstrip(" "))) :])
            number += 1
        number += 1  # the closing fence (or the end of the page, which closes an unclosed block)
        if languages is None or language in languages:
            blocks.append(Block(path, first + 1, "\n".join(body) + "\n", language))
    return blocks


def _includes_only(block: Block) -> bool:
    lines = [line for line in block.source.splitlines() if line.strip()]
    return bool(lines) and all(_INCLUDE.match(line) for line in lines)


def python_blocks(path: Path) -> list[Block]:
    """The ```python blocks of the page, in order: what runs, in one namespace, as the page's example code."""
    return [block for block in fenced_blocks(path, PYTHON) if not _includes_only(block)]


def shell_blocks(path: Path) -> list[Block]:
    """The ```bash (and ```sh, ```shell) blocks of the page, and the commands of its ```console blocks."""
    blocks: list[Block] = []
    for block in fenced_blocks(path, SHELL):
        if _includes_only(block):
            continue
        if block.language != "console":
            blocks.append(block)
            continue
        lines = block.source.splitlines()
        commands = [line.removeprefix(_PROMPT) if line.startswith(_PROMPT) else "" for line in lines]
        if any(commands):
            blocks.append(Block(block.page, block.line, "\n".join(commands) + "\n", block.language))
    return blocks
