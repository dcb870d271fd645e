"""The README's Python examples run as written, in order, against the sandbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_two_commands_open_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in ci


def test_python_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # examples write report files
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    namespace: dict[str, object] = {"__name__": "readme"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"README python block {number} failed: {exc!r}\n{block}")
    printed = capsys.readouterr().out
    assert "('test', 'production')" in printed
    assert "2000 sent, 0 rejected, 0 failed, 0 unknown" in printed
    assert (tmp_path / "report.csv").exists()
