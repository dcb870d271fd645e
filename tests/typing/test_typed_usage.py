"""The public API type-checks in user code: a small program using `np6.Client`, `np6.AsyncClient`, `send`,
`send_many` and the errors passes `mypy --strict`, and a deliberate misuse is reported (so this test can fail)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TYPED_PROGRAM = """
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import np6
from np6 import models


def messages(addresses: list[str]) -> Iterator[np6.EmailMessage]:
    sender = np6.Sender.parse("news@example.com", "News")
    for address in addresses:
        yield np6.EmailMessage(
            np6.Recipient.by_unicity(address),
            subject="Hello",
            sender=sender,
            copies=[np6.Copy(np6.Recipient.by_id("000BOSS"), blind=True)],
            data={"first": "Alice"},
        )


def send_one(client: np6.Client, action_id: str, address: str) -> str | None:
    try:
        result: models.ExecutionResult = client.actions.send(action_id, address)
    except np6.ConflictError as error:
        status: int = error.status_code
        request_id: str | None = error.request_id
        print(status, request_id, error.body.decode())
        client.actions.validate(action_id, test_segments=[1319])
        return None
    except np6.RateLimitError as error:
        wait: float | None = error.retry_after
        info: np6.RateLimitInfo | None = error.rate_limit
        print(wait, info.remaining if info is not None else None)
        return None
    except np6.APIStatusError as error:
        if error.outcome_unknown:
            print("maybe sent:", error.request_id, error.headers.get("x-request-id"))
        raise
    except np6.APITimeoutError as error:
        unknown: bool = error.outcome_unknown
        print("timed out", unknown)
        raise
    except np6.ResponseParseError as error:
        raw: bytes = error.body
        print(raw)
        raise
    except np6.InvalidInputError as error:
        print("bad input:", error)
        raise
    if isinstance(result, models.ExecutionSuccess):
        return result.id if isinstance(result.id, str) else None
    return None


def send_all(addresses: list[str]) -> int:
    policy = np6.RetryPolicy(max_retries=3, max_wait=30.0)
    with np6.Client("key", retry_policy=policy, timeout=20.0) as client:
        careful = client.with_options(max_retries=0)
        report: np6.SendReport = careful.actions.send_many("000ABC", messages(addresses), batch_size=100)
        for outcome in report.outcomes(np6.Outcome.FAILED):
            print(outcome.index, outcome.reason, outcome.request_id)
        again: list[models.EmailMessage | models.SmsMessage] = report.retryable()
        answer: np6.APIResponse[models.Action] = client.with_response(client.actions.get)("000ABC")
        print(answer.request_id, answer.rate_limit, len(again))
        sms: models.ExecutionResult = client.actions.send("000SMS", np6.SmsMessage("+33600000000", text="Hi"))
        print(sms, send_one(client, "000ABC", addresses[0]))
        return report.sent + report.unknown


async def send_async(addresses: list[str]) -> np6.SendReport:
    async with np6.AsyncClient(max_retries=1) as client:
        first: models.ExecutionResult = await client.actions.send("000ABC", np6.Recipient.by_id("000TGT"))
        answer: np6.APIResponse[None] = await client.with_response(client.actions.delete)("000OLD")
        print(first, answer.status_code)
        return await client.actions.send_many("000ABC", addresses, channel=np6.Channel.EMAIL, concurrency=2)


if __name__ == "__main__":
    print(send_all(["a@x.io"]), asyncio.run(send_async(["b@x.io"])).counts)
"""

# Each line marked `# E: <code>` must be reported with that error code, and nothing else may be.
MISTAKES = """
from __future__ import annotations

import np6
from np6 import models


def misuse(client: np6.Client, aclient: np6.AsyncClient) -> None:
    client.actions.send(123, "a@x.io")  # E: arg-type
    count: int = client.actions.send("000ABC", "a@x.io")  # E: assignment
    np6.Recipient.by_unicity(["a@x.io"])  # E: arg-type
    np6.EmailMessage("a@x.io", sender="news@example.com")  # E: arg-type
    client.actions.send_many("000ABC", ["a@x.io"], concurrency=4)  # E: call-arg
    result: models.ExecutionResult = aclient.actions.send("000ABC", "a@x.io")  # E: assignment
    try:
        client.actions.get("000ABC")
    except np6.RateLimitError as error:
        print(error.retry_after + 1.0)  # E: operator
    print(count, result)
    print(models.MailMessageActon, np6.models.ExecutionSucess)  # E: attr-defined
    from np6_generated.models import EmailMesage  # E: attr-defined
    print(EmailMesage)
"""


def run_mypy(workdir: Path, name: str, source: str) -> subprocess.CompletedProcess[str]:
    path = workdir / name
    path.write_text(textwrap.dedent(source).lstrip())
    command = [sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-pretty", "--no-error-summary"]
    command += ["--cache-dir", str(workdir / ".mypy_cache"), str(path)]
    # Run from the snippet's directory: the project's own mypy configuration must not apply to user code.
    return subprocess.run(command, capture_output=True, text=True, cwd=path.parent, timeout=300, check=False)


@pytest.fixture(scope="module")
def workdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for the snippets, whose mypy cache survives between runs when pytest's cache is on (a cold
    check of np6 and its dependencies takes seconds, a warm one a fraction of a second)."""
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("np6-typed-usage") if cache is not None else tmp_path_factory.mktemp("typed-usage")


def test_typed_program_passes_mypy_strict(workdir: Path) -> None:
    result = run_mypy(workdir, "typed_program.py", TYPED_PROGRAM)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_mypy_reports_the_mistakes(workdir: Path) -> None:
    source = textwrap.dedent(MISTAKES).lstrip()
    expected = {
        (number, match.group(1))
        for number, line in enumerate(source.splitlines(), start=1)
        if (match := re.search(r"# E: ([a-z-]+)", line))
    }
    result = run_mypy(workdir, "mistakes.py", source)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = {
        (int(match.group(1)), match.group(2))
        for match in re.finditer(r"^mistakes\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, re.MULTILINE)
    }
    assert reported == expected, result.stdout
