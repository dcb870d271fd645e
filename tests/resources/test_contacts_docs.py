"""The end-to-end example of `docs/contacts-and-events.md` works: it runs against the sandbox with the outcome the
page shows, and passes `mypy --strict` as user code."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import np6
import pytest
from np6.sandbox import Sandbox

DOC = Path(__file__).resolve().parents[2] / "docs" / "contacts-and-events.md"


def _example() -> str:
    """The code block of the "End to end" section that defines `deliver`."""
    section = DOC.read_text(encoding="utf-8").split("## End to end", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return next(block for block in blocks if "def deliver(" in block)


def test_the_example_runs_against_the_sandbox() -> None:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(_example(), str(DOC), "exec"), namespace)
    sandbox = Sandbox(auto_create_contacts=False)
    sandbox.reactions.bounce("bob@example.com", verdict="hard")
    sandbox.reactions.click("alice@example.com")
    with sandbox.client() as client:
        sender = np6.Sender.parse("news@example.com")
        action = client.actions.create(np6.email_action(name="Welcome", sender=sender, subject="Hi", html="<p>Hi</p>"))
        status = namespace["deliver"](
            client,
            str(action.id),
            ["alice@example.com", "bob@example.com", "carol@example.com"],
            until=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1),
        )
    assert status == {
        "alice@example.com": "clicked",
        "bob@example.com": "hard bounce",
        "carol@example.com": "delivered",
    }
    assert sandbox.deliveries.count() == 3
    assert sandbox.mismatches == []


@pytest.fixture(scope="module")
def workdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the snippet is checked; its mypy cache survives between runs when pytest's cache is on."""
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("np6-contacts-docs") if cache is not None else tmp_path_factory.mktemp("contacts-docs")


def test_the_example_passes_mypy_strict(workdir: Path) -> None:
    path = workdir / "deliver_example.py"
    path.write_text(_example(), encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", ".mypy_cache"]
    # From the snippet's directory: the project's mypy configuration must not apply to user code.
    result = subprocess.run(
        [*command, path.name], capture_output=True, text=True, cwd=workdir, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_reference_snippets_run_in_order_against_the_sandbox() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    reference = [block for block in blocks if "def deliver(" not in block and "import " not in block]
    assert len(reference) >= 4
    sandbox = Sandbox()
    with sandbox.client() as client:
        sender = np6.Sender.parse("news@example.com")
        action = client.actions.create(np6.email_action(name="Welcome", sender=sender, subject="Hi", html="<p>Hi</p>"))
        now = dt.datetime.now(dt.UTC)
        namespace: dict[str, Any] = {
            "np6": np6,
            "client": client,
            "action_id": action.id,
            "since": now - dt.timedelta(hours=1),
            "until": now,
        }
        for number, block in enumerate(reference, 1):
            try:
                exec(compile(block, f"{DOC.name} snippet {number}", "exec"), namespace)
            except Exception as exc:
                pytest.fail(f"snippet {number} of {DOC.name} failed: {exc!r}\n{block}")
    assert namespace["fields"].unicity_name == "Email"
    assert namespace["proofs"].name == "Proof readers"
    assert sandbox.mismatches == []
