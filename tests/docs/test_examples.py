"""The scripts of examples/ run as a reader runs them: in a subprocess, from an empty folder, configured by the
environment only (NP6_BASE_URL and NP6_API_KEY naming a loopback sandbox this test starts). Each test checks what
the script printed against what the sandbox received."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import np6

from tests.docs.support import EXAMPLES, ROOT, Served, serving

MESSAGE_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def run(script: str, served: Served, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**served.environment(), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_transactional_send_sends_one_message_with_its_placeholders(tmp_path: Path) -> None:
    with serving() as served:
        printed = succeeded(run("transactional_send.py", served, tmp_path))
        found = re.fullmatch(rf"sent order A-1001 to alice@example\.com: message id ({MESSAGE_ID})\n", printed)
        assert found is not None, printed
        [delivery] = served.sandbox.deliveries.all()
        assert delivery.message_id == found[1]
        assert delivery.channel == "email"
        assert delivery.message is not None
        assert delivery.message["data"] == {"firstname": "Alice", "order": "A-1001", "total": "42.50 EUR"}
        with served.sandbox.client() as client:
            rendered = client.actions.render(
                delivery.action_id, np6.EmailMessage("alice@example.com", data=delivery.message["data"])
            )
        assert isinstance(rendered, np6.models.RenderSuccess)
        assert rendered.subject == "Order A-1001 confirmed"
        assert rendered.html == "<p>Hello Alice, we received order A-1001 (42.50 EUR).</p>"


def test_sms_sends_the_code_it_shows(tmp_path: Path) -> None:
    with serving() as served:
        printed = succeeded(run("sms.py", served, tmp_path, "+33698765432"))
        found = re.fullmatch(
            rf"text: Your Example Shop code: (\d{{6}})\nsent to \+33698765432: message id ({MESSAGE_ID})\n", printed
        )
        assert found is not None, printed
        [delivery] = served.sandbox.deliveries.all()
        assert (delivery.channel, delivery.unicity, delivery.message_id) == ("sms", "+33698765432", found[2])
        assert delivery.message is not None
        assert delivery.message["data"] == {"code": found[1]}


def test_poll_events_matches_each_event_with_its_recipient(tmp_path: Path) -> None:
    with serving() as served:
        served.sandbox.reactions.bounce("bob@example.com", verdict="hard")
        served.sandbox.reactions.click("carol@example.com")
        printed = succeeded(run("poll_events.py", served, tmp_path))
        assert served.sandbox.deliveries.recipients() == ["alice@example.com", "bob@example.com", "carol@example.com"]
    lines = printed.splitlines()
    assert lines[0] == "sent 3 messages"
    events = [re.sub(r"^\d\d:\d\d:\d\d ", "", line) for line in lines[1:]]
    assert sorted(events) == [
        "alice@example.com: handed over for delivery",
        "bob@example.com: bounced (hard: mailbox unavailable)",
        "bob@example.com: handed over for delivery",
        "carol@example.com: clicked a link",
        "carol@example.com: handed over for delivery",
    ]


def test_newsletter_resumes_what_a_refused_batch_left(tmp_path: Path) -> None:
    with (tmp_path / "subscribers.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["email", "firstname"])
        writer.writerows([f"reader{number}@example.com", f"Reader {number}"] for number in range(1_200))
    with serving() as served:
        # NP6 refuses the first batch three times over: its two retries spent, its 500 messages are `failed`.
        served.sandbox.faults.add(np6.sandbox.Fault.error(503, operation="send_messages"), times=3)
        first = run("newsletter.py", served, tmp_path, "subscribers.csv")
        assert first.returncode == 1, first.stdout + first.stderr
        assert "{'sent': 700, 'rejected': 0, 'failed': 500, 'unknown': 0}" in first.stdout
        assert "500 not sent yet (NP6 did not take them): run this again to send them" in first.stdout
        assert served.sandbox.deliveries.count() == 700

        second = succeeded(run("newsletter.py", served, tmp_path, "subscribers.csv"))
        assert second.startswith("resuming newsletter.np6journal: 700 already sent, 500 to send again\n"), second
        assert "{'sent': 1200, 'rejected': 0, 'failed': 0, 'unknown': 0}" in second
        assert served.sandbox.deliveries.count() == 1200
        assert served.sandbox.deliveries.duplicates() == {}
        first_message = served.sandbox.deliveries[0].message
        assert first_message is not None
        assert first_message["data"] == {"firstname": "Reader 500"}  # the failed batch came first: it went last


def test_newsletter_sends_generated_addresses_without_a_file(tmp_path: Path) -> None:
    with serving() as served:
        printed = succeeded(run("newsletter.py", served, tmp_path))
        assert "  1200 answered: 1200 sent, 0 failed" in printed
        assert served.sandbox.deliveries.recipients()[-1] == "subscriber1199@example.com"
    assert (tmp_path / "newsletter.np6journal").is_file()


def test_the_pytest_example_passes_and_stays_out_of_the_project_run(tmp_path: Path) -> None:
    with serving() as served:
        env = {**served.environment(), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", str(EXAMPLES / "test_with_sandbox.py"), "-q", "-p", "no:cacheprovider"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^5 passed", result.stdout, flags=re.MULTILINE), result.stdout
    # The project's own run collects its testpaths only: the example is a reader's file, not one of its tests.
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert all(not EXAMPLES.is_relative_to(ROOT / path) for path in testpaths["testpaths"])
