"""The sandbox example of `docs/reconcile.md` runs, with the outcomes its comments show."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from pathlib import Path
from typing import Any

import np6
from np6.sandbox import Fault, Sandbox

DOC = Path(__file__).resolve().parents[3] / "docs" / "reconcile.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_sandbox_example_runs_as_shown() -> None:
    example = next(block for block in _blocks() if "Sandbox()" in block)
    namespace: dict[str, Any] = {"__name__": "reconcile_docs_example"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, str(DOC), "exec"), namespace)
    report: np6.SendReport = namespace["report"]
    assert report.counts == {"sent": 6, "rejected": 0, "failed": 0, "unknown": 2}
    assert [item.outcome.value for item in report][:4] == ["sent", "sent", "unknown", "unknown"]
    assert "no event found as of" in (report[2].reason or "")
    lines = printed.getvalue().splitlines()
    assert lines[0] == "{'sent': 2, 'rejected': 0, 'failed': 0, 'unknown': 6}"
    assert lines[1] == "{'sent': 6, 'rejected': 0, 'failed': 0, 'unknown': 2}"
    assert lines[2].startswith("Evidence(event_type='activation', event_id='")
    assert lines[3].startswith("500 Internal Server Error on POST")
    assert lines[4] == "{'sent': 6, 'rejected': 0, 'failed': 0, 'unknown': 2} True"
    assert namespace["sandbox"].mismatches == []


def test_the_usage_and_async_snippets_run_against_the_sandbox(tmp_path: Path) -> None:
    usage = _blocks()[0]
    settle = next(block for block in _blocks() if "async def settle" in block)
    sandbox = Sandbox()
    sandbox.faults.add(Fault.drop(operation="send_messages"))  # one batch, processed, its answer lost
    with sandbox.client() as client:
        sender = np6.Sender.parse("news@example.com")
        action = client.actions.create(np6.email_action(name="Welcome", sender=sender, subject="Hi", html="<p>Hi</p>"))
        client.actions.validate(action.id, test_segments=[1])
        namespace: dict[str, Any] = {
            "np6": np6,
            "client": client,
            "action_id": action.id,
            "addresses": [f"customer{i}@example.com" for i in range(4)],
        }
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.chdir(tmp_path):
            exec(compile(usage, str(DOC), "exec"), namespace)
        assert namespace["report"].counts == {"sent": 4, "rejected": 0, "failed": 0, "unknown": 0}
        assert [line.split()[:2] for line in printed.getvalue().splitlines()] == [
            [str(i), "activation"] for i in range(4)
        ]
        assert (tmp_path / "welcome.journal").exists()

        journal = tmp_path / "other.journal"
        sandbox.faults.add(Fault.drop(operation="send_messages"))
        client.actions.send_many(action.id, ["alice@example.com"], journal=journal).close()

    namespace = {"np6": np6, "Path": Path}
    exec(compile(settle, str(DOC), "exec"), namespace)

    async def main() -> np6.SendReport:
        async with sandbox.async_client() as aclient:
            result: np6.SendReport = await namespace["settle"](aclient, journal)
            return result

    reopened = asyncio.run(main())
    assert reopened.counts == {"sent": 1, "rejected": 0, "failed": 0, "unknown": 0}
    assert reopened[0].evidence is not None
    reopened.close()
