"""Every ```python block of every page of docs/ runs as written: page by page, the blocks in order in one
namespace, from an empty working directory, with NP6_BASE_URL and NP6_API_KEY naming a loopback sandbox (for the
blocks written as production code is, `np6.Client()`). Each page's check then asserts what its blocks printed and
what they left behind: a page whose code runs but shows the wrong thing fails too."""

from __future__ import annotations

import csv
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import np6
import pytest
from np6.sandbox import Sandbox

from tests.docs.blocks import fenced_blocks, python_blocks
from tests.docs.support import DOCS, OFFLINE, Served, serving

PAGES = sorted(DOCS.rglob("*.md"))
REFERENCE = DOCS / "reference"
WITH_PYTHON = [page for page in PAGES if python_blocks(page)]
USER_AGENT = f"np6-cm/{np6.__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
MESSAGE_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Run:
    """What a page's blocks did: their namespace, what they printed, the server they could reach, their folder."""

    namespace: dict[str, Any]
    printed: str
    served: Served
    cwd: Path

    @property
    def lines(self) -> list[str]:
        return self.printed.splitlines()

    def sandbox(self, name: str = "sandbox") -> Sandbox:
        found = self.namespace[name]
        assert isinstance(found, Sandbox), f"{name} is not a Sandbox on the page"
        return found

    def shows(self, *expected: str) -> None:
        """Each expected line was printed, in this order (other lines may come between)."""
        remaining = iter(self.lines)
        for line in expected:
            assert any(printed == line for printed in remaining), f"not printed (in order): {line!r}\n{self.printed}"

    def matches(self, pattern: str) -> re.Match[str]:
        found = re.search(pattern, self.printed, flags=re.MULTILINE)
        assert found is not None, f"nothing printed matches {pattern!r}\n{self.printed}"
        return found


CHECKS: dict[str, Callable[[Run], None]] = {}


def checks(page: str) -> Callable[[Callable[[Run], None]], Callable[[Run], None]]:
    def register(function: Callable[[Run], None]) -> Callable[[Run], None]:
        CHECKS[page] = function
        return function

    return register


def run_page(
    page: Path, served: Served, cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("NP6_BASE_URL", served.server.url)
    monkeypatch.setenv("NP6_API_KEY", served.server.api_key)
    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    # Not "__main__": a block's `if __name__ == "__main__":` is what a reader runs as a script, not part of the page.
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    capsys.readouterr()
    for block in python_blocks(page):
        try:
            exec(compile(block.padded(), str(page), "exec"), namespace)
        except Exception as error:
            error.add_note(f"in the python block at {block.where}")
            raise
    return Run(namespace, capsys.readouterr().out, served, cwd)


@pytest.mark.parametrize("page", WITH_PYTHON, ids=lambda page: str(page.relative_to(DOCS)))
def test_the_python_blocks_of_the_page_run_in_order(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving() as served:
        run = run_page(page, served, tmp_path, monkeypatch, capsys)
        CHECKS[str(page.relative_to(DOCS))](run)
        assert served.sandbox.mismatches == []
    for value in run.namespace.values():
        if isinstance(value, Sandbox):
            assert value.mismatches == [], "a sandbox of the page saw answers outside the spec"


def test_every_page_with_code_has_its_check() -> None:
    assert sorted(CHECKS) == sorted(str(page.relative_to(DOCS)) for page in WITH_PYTHON)


def test_the_guides_have_code_and_the_reference_pages_none() -> None:
    reference = [page for page in PAGES if page.is_relative_to(REFERENCE)]
    assert len(reference) >= 8
    for page in reference:
        assert fenced_blocks(page) == [], f"{page.name}: the reference is generated from the docstrings"
    assert len(WITH_PYTHON) >= 7


# ------------------------------------------------------------------------------------------------------ pages


@checks("index.md")
def _quick_start(run: Run) -> None:
    run.shows(
        "('test', 'production')",
        "Your order A-1001 has shipped",
        "{'sent': 1000, 'rejected': 0, 'failed': 0, 'unknown': 0}",
        "409 True",
        "1002",
    )
    sent = run.matches(rf"^sent ({MESSAGE_ID})$")[1]
    sandbox = run.sandbox()
    first = sandbox.deliveries[0]
    assert first.message_id == sent
    assert first.message is not None
    assert first.message["data"] == {"firstname": "Alice", "order": "A-1001"}
    assert [delivery.channel for delivery in sandbox.deliveries.all()[:2]] == ["email", "sms"]


@checks("contacts-and-events.md")
def _contacts_and_events(run: Run) -> None:
    run.shows(
        "{'728': 'alice@example.com', '730': 'Alice'}",
        "{'Email': 'alice@example.com', 'FirstName': 'Alice'}",
        "Email",
        "{'728': 'a@b.co'}",
        "2",
        "('test', 'production')",
        "ActivationEvent alice@example.com",
        "{'alice@example.com': 'clicked', 'bob@example.com': 'hard bounce'}",
    )
    assert "Proof readers" in run.matches(r"^\[.*\]$")[0]
    # The end-to-end run created its contacts first: the sandbox that finds only those delivered to both.
    assert sorted(run.sandbox().deliveries.recipients()) == ["alice@example.com", "bob@example.com"]


@checks("reconcile.md")
def _reconcile(run: Run) -> None:
    proven = [line.split()[:2] for line in run.lines[:4]]
    assert proven == [[str(index), "activation"] for index in range(4)]
    run.shows(
        "{'sent': 2, 'rejected': 0, 'failed': 0, 'unknown': 6}",
        "{'sent': 6, 'rejected': 0, 'failed': 0, 'unknown': 2}",
        "{'sent': 6, 'rejected': 0, 'failed': 0, 'unknown': 2} True",
        "{'sent': 6, 'rejected': 0, 'failed': 0, 'unknown': 2}",
    )
    assert run.matches(r"^500 Internal Server Error on POST .*; no event found as of ")
    assert (run.cwd / "welcome.journal").is_file()
    # Reconcile marks what NP6 processed: the sandbox delivered exactly the messages it proved sent.
    assert run.sandbox().deliveries.count() == 6


@checks("sending.md")
def _sending(run: Run) -> None:
    run.shows(
        "500 answered, 498 sent",
        "1200 answered, 1198 sent",
        "{'sent': 1198, 'rejected': 2, 'failed': 0, 'unknown': 0}",
        "sent True",
        "7 recipient not found",
        "407 recipient not found",
        "['unknown', 'unknown', 'unknown', 'failed', 'failed', 'failed']",
        "{'sent': 3, 'rejected': 0, 'failed': 0, 'unknown': 0}",
        "{'sent': 2000, 'rejected': 0, 'failed': 0, 'unknown': 0}",
        "{'sent': 998, 'rejected': 2, 'failed': 0, 'unknown': 0}",
        "{'sent': 1198, 'rejected': 2, 'failed': 0, 'unknown': 0}",
        "1200 1198",
        "4402 0",
    )
    assert run.matches(r"^1200 messages to action \w+: 1198 sent, 2 rejected, 0 failed, 0 unknown in ")
    with (run.cwd / "outcomes.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 1200
    assert [row["index"] for row in rows if row["outcome"] == "rejected"] == ["7", "407"]
    # The resumed send sent only what the stopped one had not: every reminder reached each contact once.
    sandbox = run.sandbox()
    reminder = run.namespace["reminder"].id
    assert sandbox.deliveries.count(reminder) == 1198
    assert sandbox.deliveries.duplicates() == {}


@checks("errors.md")
def _errors(run: Run) -> None:
    run.shows(
        "409 True b''",
        "404",
        "an action id cannot be used in a request path: '../targets'",
        "may have been sent: check before sending it again",
        "1",
        "ExecutionSuccess 2",
        "503 False",
        "60.0 RateLimitInfo(limit=3, remaining=0, reset=60)",
        "200 SmsMessageAction True",
        "APITimeoutError False",
    )
    assert run.matches(r"^409 Conflict on POST /actions/\w+/execution \(request id [0-9a-f-]{36}\): ")
    assert run.matches(r"^action \w+ is an SMS action; an EMAIL message cannot be sent to it$")
    # The 500 after processing delivered the message once; the two 503s cost two recorded waits and one delivery.
    assert run.sandbox().deliveries.count() == 2
    assert len(run.namespace["waits"]) == 2


@checks("configuration.md")
def _configuration(run: Run) -> None:
    run.shows(
        "http 127.0.0.1",
        "https://api-cm.np6.com",
        f"Client(base_url='{run.served.server.url}', api_key='[redacted]')",
        "the NP6 API key is empty",
        "4 60.0",
        "{'sent': 2, 'rejected': 0, 'failed': 0, 'unknown': 0}",
        f"['GET {USER_AGENT} order-1001']",
        "False",
        "smsMessage",
        "GET shop-backend/4.2 None",
    )
    assert run.matches(r"^http_client= is your configured httpx client: .*keepalive_expiry=")
    # The page's `np6.Client()` took the server from NP6_BASE_URL: what it sent is in the served sandbox.
    assert run.served.sandbox.deliveries.recipients() == ["+33600000001", "+33600000002"]


@checks("testing.md")
def _testing(run: Run) -> None:
    run.shows(
        "1",
        "alice@example.com email",
        "{'recipient': {'type': 'unicity', 'value': ['alice@example.com']}, 'data': {'firstname': 'Alice'}}",
        "['failed', 'failed', 'unknown', 'unknown', 'sent', 'sent']",
        "5 []",
        "{'sent': 249, 'rejected': 1, 'failed': 0, 'unknown': 0} recipient not found",
        "1 {'code': '4821'}",
    )
    assert run.sandbox().deliveries.recipients()[1:] == [f"customer{number}@example.com" for number in range(2, 6)]
    # 413 split the batch of 250 until the sandbox's limit of 100 was met.
    assert run.sandbox("strict_np6").deliveries.count() == 249
