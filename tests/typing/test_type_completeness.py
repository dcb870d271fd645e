"""`pyright --verifytypes np6 --ignoreexternal`: every symbol np6 exports (and every np6 symbol they reference)
has a type that every checker infers alike. The figure is printed; the target is 100%."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PYRIGHT = Path(sys.executable).with_name("pyright")


def test_the_public_api_is_completely_typed(tmp_path: Path) -> None:
    # pyright finds the installed np6 through the virtual environment it is told about (np6 is installed there,
    # editable or not); run elsewhere than the project, whose own configuration is for its sources.
    bin_dir = Path(sys.executable).parent
    environment = {
        **os.environ,
        "VIRTUAL_ENV": str(bin_dir.parent),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # A configuration of its own: pyright would otherwise take the nearest one above the working directory.
    (tmp_path / "pyrightconfig.json").write_text('{"pythonVersion": "3.11"}', encoding="utf-8")
    command = [str(PYRIGHT), "--verifytypes", "np6", "--ignoreexternal", "--outputjson"]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=300, check=False
    )
    report = json.loads(result.stdout)["typeCompleteness"]
    score = report["completenessScore"]
    counts = report["exportedSymbolCounts"]
    print(
        f"\npyright --verifytypes np6 --ignoreexternal: {score:.1%} ({counts['withKnownType']} exported symbols known,"
        f" {counts['withAmbiguousType']} ambiguous, {counts['withUnknownType']} unknown)"
    )
    problems = [
        f"{symbol['name']}: {diagnostic['message'].splitlines()[0]}"
        for symbol in report["symbols"]
        for diagnostic in symbol["diagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert report["packageName"] == "np6"
    assert counts["withKnownType"] > 150
    assert not problems, "\n".join(problems)
    assert score == 1.0
