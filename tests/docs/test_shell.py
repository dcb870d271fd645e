"""The shell blocks of the pages run as a reader would run them: every ```bash block of the command-line page, in
order in one shell, against the `np6 sandbox` its first block starts, with the export lines that sandbox prints;
and on the other pages, the blocks that run `np6`, against a loopback sandbox this test starts. `np6` and `python`
are the ones installed beside the interpreter running the tests."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.docs.blocks import Block, fenced_blocks, shell_blocks
from tests.docs.support import BIN, DOCS, OFFLINE, ROOT, serving

CLI = DOCS / "cli.md"
EXPORT = re.compile(r"^\s*export (NP6_BASE_URL|NP6_API_KEY)=(\S+)$")


def invokes_np6(block: Block) -> bool:
    """Whether a line of the block runs the `np6` command (after any `NAME=value` assignments)."""
    for line in block.source.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # a line of a heredoc or a quoted string across lines: not a command line
            continue
        while words and re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]):
            words.pop(0)
        if words and words[0] == "np6":
            return True
    return False


# What the np6 blocks of each page other than cli.md must print (stdout and stderr together).
EXPECTED = {
    "configuration.md": ["np6 DEBUG request GET http://127.0.0.1:", "np6 DEBUG response 200 GET /actions"],
}
OTHER_PAGES = sorted(
    page for page in DOCS.rglob("*.md") if page != CLI and any(invokes_np6(block) for block in shell_blocks(page))
)


def shell() -> dict[str, str]:
    """A reader's environment before they paste any export line: no NP6_ variable, np6 and python on the PATH."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("NP6_")}
    env.update({"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "COLUMNS": "120", "NO_COLOR": "1"})
    env.update(OFFLINE)
    return env


def run_script(blocks: list[Block], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = "\n".join(block.source for block in blocks)
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_page_runs_in_one_shell(tmp_path: Path) -> None:
    server_block, *blocks = shell_blocks(CLI)
    assert all(invokes_np6(block) or "python" in block.source for block in blocks)
    words = shlex.split(server_block.source, comments=True)
    assert words[:2] == ["np6", "sandbox"], "the page starts with the sandbox the other blocks talk to"
    # The page's port could be taken on a shared machine: the system picks a free one.
    if "--port" in words:
        words[words.index("--port") + 1] = "0"
    else:
        words += ["--port", "0"]
    env = shell()
    with subprocess.Popen(
        [str(BIN / words[0]), *words[1:]],
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as sandbox:
        watchdog = threading.Timer(60, sandbox.kill)  # a sandbox that never says where it listens fails the test
        watchdog.start()
        try:
            assert sandbox.stdout is not None
            started: list[str] = []
            exports: dict[str, str] = {}
            while "NP6_API_KEY" not in exports and (line := sandbox.stdout.readline()):
                started.append(line)
                if found := EXPORT.match(line):
                    exports[found[1]] = found[2]
            assert set(exports) == {"NP6_BASE_URL", "NP6_API_KEY"}, "".join(started)
            result = run_script(blocks, {**env, **exports}, tmp_path)
            sandbox.send_signal(signal.SIGTERM)
            stopped, _ = sandbox.communicate(timeout=30)
        finally:
            watchdog.cancel()
    printed = result.stdout
    assert result.returncode == 0, printed
    assert sandbox.returncode == 0, stopped
    for expected in (
        "created action 000AAA",
        '"type": "mailMessage"',
        "action 000AAA: validated (test then production phase)",
        "subject: Welcome, alice@example.com",
        "report written to outcomes.csv",
        "resuming the send recorded in readers.np6journal: 750 already sent",
        "report written to readers-outcomes.jsonl",
    ):
        assert expected in printed, f"not printed: {expected!r}\n{printed}"
    assert re.search(r"│ 000AAA\s+│ mailMessage\s+│ Welcome\s+│", printed), printed
    assert printed.count("exit status: 1") == 3, printed  # an unknown recipient, a failed batch, a skipped row
    for expected in (
        "dry run: 2 messages would be sent to action 000AAA (EMAIL), 1 invalid row skipped; nothing was sent",
        '"invalid_rows": [',
        "1 upserted, 0 rejected, 0 failed, 0 unknown of 1 row",
        '"kind": "activation"',
    ):
        assert expected in printed, f"not printed: {expected!r}\n{printed}"
    with (tmp_path / "people-outcomes.csv").open(newline="", encoding="utf-8") as stream:
        people = list(csv.DictReader(stream))
    assert [(row["line"], row["outcome"]) for row in people] == [("2", "sent"), ("3", "rejected"), ("4", "sent")]
    summary = json.loads(printed[printed.index('{\n  "journal"') :].split("\n}\n", 1)[0] + "\n}")
    assert summary["counts"] == {"sent": 1000, "rejected": 0, "failed": 0, "unknown": 0}
    assert summary["ok"] is True
    assert len((tmp_path / "outcomes.csv").read_text(encoding="utf-8").splitlines()) == 1 + 1000
    assert len((tmp_path / "readers-outcomes.jsonl").read_text(encoding="utf-8").splitlines()) == 1000
    # What the page says the sandbox delivered is what it delivered: nothing was sent twice by the resume.
    last = stopped.strip().splitlines()[-1]
    assert last == "stopped; 2,006 messages were delivered", stopped
    shown = "".join(block.source for block in fenced_blocks(CLI, frozenset({"text"})))
    assert last in shown


@pytest.mark.parametrize("page", OTHER_PAGES, ids=lambda page: page.name)
def test_the_np6_blocks_of_the_page_run(page: Path, tmp_path: Path) -> None:
    blocks = [block for block in shell_blocks(page) if invokes_np6(block)]
    with serving() as served:
        result = run_script(blocks, served.environment(), tmp_path)
    assert result.returncode == 0, result.stdout
    for expected in EXPECTED[page.name]:
        assert expected in result.stdout, f"not printed: {expected!r}\n{result.stdout}"


def test_the_np6_blocks_are_found() -> None:
    assert sorted(EXPECTED) == [page.name for page in OTHER_PAGES]
    assert not invokes_np6(Block(CLI, 1, "pip install 'np6-cm[cli]'   # the np6 command\n"))
    assert invokes_np6(Block(CLI, 1, "NP6_LOG=debug np6 actions list\n"))


SCRIPT = re.compile(r"\bpython3?\s+(scripts/\w+\.py)([^#\n]*)")


def test_the_maintainer_commands_name_real_scripts_and_options() -> None:
    """The commands of the maintainers' pages are not run (they rewrite the repository), but each names a script
    that exists, with options its --help lists."""
    used: dict[str, set[str]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for block in shell_blocks(page):
            for script, arguments in SCRIPT.findall(block.source):
                used.setdefault(script, set()).update(re.findall(r"(?<!\S)--[\w-]+", arguments))
    assert {"scripts/regenerate.py", "scripts/api_diff.py", "scripts/vendor.py"} <= set(used)
    for script, options in used.items():
        assert (ROOT / script).is_file(), script
        result = subprocess.run(
            [sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        for option in options:
            assert option in result.stdout, f"{script} has no {option} option"
