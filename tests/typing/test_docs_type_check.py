"""The code users copy type-checks as written: every ```python block of README.md and of each docs page (the blocks
of a page form one module, in order, as the tests that run them execute them) and every script of examples/ pass
both `mypy --strict` and `pyright --strict`, with no casts, asserts or ignores to get there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.blocks import python_blocks

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
# What would make a block pass a checker without being right.
CHEATS = re.compile(r"\bcast\(|^\s*assert\b|#\s*type:\s*ignore|#\s*pyright:|\bAny\b", re.MULTILINE)
PYRIGHT = Path(sys.executable).with_name("pyright")


def _modules(workdir: Path) -> list[Path]:
    """One module per page with python blocks, each block at the line it has on its page (errors name page lines)."""
    modules = []
    for page in PAGES:
        blocks = python_blocks(page)
        if not blocks:
            continue
        lines: list[str] = []
        for block in blocks:
            lines.extend([""] * (block.line - 1 - len(lines)))
            lines.extend(block.source.splitlines())
        parts = page.relative_to(ROOT / "docs").with_suffix("").parts if page.name != "README.md" else ()
        name = "docs_" + "_".join(parts) if parts else "readme"
        path = workdir / f"{name.replace('-', '_')}.py"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        modules.append(path)
    for example in EXAMPLES:
        modules.append(Path(shutil.copy(example, workdir / f"example_{example.name}")))
    return modules


@pytest.fixture(scope="module")
def workdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Outside the repository, so that the project's own checker settings do not apply to user code; its caches
    survive between runs when pytest's cache is on."""
    cache = getattr(request.config, "cache", None)
    path = cache.mkdir("np6-docs-typing") if cache is not None else tmp_path_factory.mktemp("docs-typing")
    for stale in path.glob("*.py"):
        stale.unlink()
    return path


@pytest.fixture(scope="module")
def modules(workdir: Path) -> list[Path]:
    found = _modules(workdir)
    assert any(path.name == "readme.py" for path in found)
    assert len(found) >= 8, [path.name for path in found]
    return found


def _where(module: Path) -> str:
    name = module.stem
    if name == "readme":
        return "README.md"
    if name.startswith("example_"):
        return f"examples/{name.removeprefix('example_')}.py"
    return f"docs page {name.removeprefix('docs_')}"


def test_the_documented_code_uses_no_casts_asserts_or_ignores(modules: list[Path]) -> None:
    found = [
        f"{_where(module)}:{module.read_text()[: match.start()].count(chr(10)) + 1}: {match.group(0).strip()}"
        for module in modules
        for match in CHEATS.finditer(module.read_text())
        # A test file shows how to test with the sandbox: its asserts are the point, not a way around a checker.
        if not (module.name.startswith("example_test_") and match.group(0).strip() == "assert")
    ]
    assert not found, "\n".join(found)


def test_the_documented_code_passes_mypy_strict(workdir: Path, modules: list[Path]) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-pretty", "--no-error-summary"]
    command += ["--cache-dir", str(workdir / ".mypy_cache"), *(module.name for module in modules)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_code_passes_pyright_strict(workdir: Path, modules: list[Path]) -> None:
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "include": [m.name for m in modules],
        # A page's blocks are one module here, but each block imports what it uses, so that it can be copied alone.
        "reportDuplicateImport": False,
    }
    (workdir / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    command = [str(PYRIGHT), "--pythonpath", sys.executable, "--outputjson"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=600, check=False)
    report = json.loads(result.stdout)
    problems = [
        f"{_where(Path(d['file']))}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule', '')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert not problems, "\n".join(problems)
    assert report["summary"]["filesAnalyzed"] >= len(modules)
