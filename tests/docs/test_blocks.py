"""The block extractor finds what Markdown renders as code, with the line numbers of the page: what the other
documentation tests (and the type checks of the pages' code) stand on."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.docs.blocks import Block, fenced_blocks, python_blocks, shell_blocks
from tests.docs.support import DOCS, ROOT

PAGE = """# A page

```python
import np6
```

Some prose, then a block in a list item:

1. First step:

    ```python title="indented"
    client = np6.Client()
        indented_more = True
    ```

~~~~py
fenced = "with tildes, ``` inside"
~~~~

```python
--8<-- "examples/included.py"
```

```bash
np6 actions list   # a comment
```

```console
$ np6 journal send.np6journal
output line
$ echo done
```

```text
not code
```
"""


def write(tmp_path: Path) -> Path:
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    return page


def test_python_blocks_are_found_with_their_first_line(tmp_path: Path) -> None:
    page = write(tmp_path)
    blocks = python_blocks(page)
    assert [block.line for block in blocks] == [4, 12, 17]
    assert blocks[0] == Block(page, 4, "import np6\n", "python")
    # The fence's indentation is removed, no more: the block's own indentation stays.
    assert blocks[1].source == "client = np6.Client()\n    indented_more = True\n"
    assert blocks[2].source == 'fenced = "with tildes, ``` inside"\n'
    lines = PAGE.splitlines()
    assert [lines[block.line - 1].strip() for block in blocks] == [
        block.source.splitlines()[0].strip() for block in blocks
    ]


def test_a_block_that_only_includes_a_file_is_not_the_page_code(tmp_path: Path) -> None:
    page = write(tmp_path)
    included = [block for block in fenced_blocks(page) if "--8<--" in block.source]
    assert len(included) == 1
    assert included[0] not in python_blocks(page)


def test_shell_blocks_and_the_commands_of_console_blocks(tmp_path: Path) -> None:
    page = write(tmp_path)
    bash, console = shell_blocks(page)
    assert (bash.line, bash.source, bash.language) == (25, "np6 actions list   # a comment\n", "bash")
    assert console.line == 29
    assert console.source == "np6 journal send.np6journal\n\necho done\n"  # output lines blank, lines kept


def test_padded_source_compiles_with_the_page_line_numbers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n```python\nx = 1\nraise ValueError(x)\n```\n", encoding="utf-8")
    [block] = python_blocks(page)
    with pytest.raises(ValueError, match=r"^1$") as raised:
        exec(compile(block.padded(), str(page), "exec"), {})
    last = raised.traceback[-1]
    assert (str(last.path), last.lineno + 1) == (str(page), 5)  # pytest counts lines from 0
    assert block.where == "page.md:4"


def test_the_python_blocks_of_the_pages_are_ruff_clean(tmp_path: Path) -> None:
    """Each block is formatted as the project formats code, and each page's code passes its lint rules (but for
    imports where a page first needs them)."""
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    pages = [page for page in sorted(DOCS.rglob("*.md")) if python_blocks(page)]
    for page in pages:
        blocks = python_blocks(page)
        for block in blocks:
            (tmp_path / f"{page.stem}_{block.line}.py").write_text(block.source, encoding="utf-8")
        (tmp_path / "pages").mkdir(exist_ok=True)
        (tmp_path / "pages" / f"{page.stem.replace('-', '_')}.py").write_text(
            "\n\n".join(block.source for block in blocks), encoding="utf-8"
        )
    ruff = [sys.executable, "-m", "ruff"]
    formatted = subprocess.run(
        [*ruff, "format", "--isolated", "--line-length", "120", "--check", "--diff", "--exclude", "pages", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    rules = ["--select", ",".join(lint["select"]), "--ignore", ",".join([*lint["ignore"], "E402"])]
    linted = subprocess.run(
        [*ruff, "check", "--isolated", "--line-length", "120", *rules, "--output-format", "concise", "pages"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
