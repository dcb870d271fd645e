"""`np6 send` interrupted as a person (or a supervisor) interrupts it: real SIGINT/SIGTERM sent to a real
subprocess, against a sandbox on loopback whose answers to batch sends are slowed down so that a signal lands
while batches are in flight.

The sandbox records a delivery before it sleeps on the answer: a batch delivered but not answered yet is a batch
in flight, whose messages may have been sent. Each test waits for deliveries (or for the command's own output)
before signalling, never for a fixed time.
"""

from __future__ import annotations

import csv
import json
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from np6.sandbox import RequestInfo, Sandbox, SandboxServer

from tests.cli.support import KEY, NP6, environment, np6_command, unvalidated_sms_action, validated_email_action

ROWS = 200
BATCH = ["--batch-size", "5", "--concurrency", "2"]


class SlowSandbox:
    """A sandbox on loopback whose batch sends are answered after `send_delay` seconds (settable between runs),
    and which tells when it is asked for an action (the first request of `np6 send`)."""

    def __init__(self) -> None:
        self.send_delay = 0.0
        self.get_delay = 0.0
        self.asked_for_action = threading.Event()
        self.box = Sandbox(api_key=KEY, latency=self._latency)
        self.server: SandboxServer

    def _latency(self, info: RequestInfo) -> float:
        if info.operation_id == "send_messages":
            return self.send_delay
        if info.operation_id == "get_action":
            self.asked_for_action.set()
            return self.get_delay
        return 0.0

    def delivered(self) -> list[str]:
        return self.box.deliveries.recipients()


@pytest.fixture
def slow() -> Iterator[SlowSandbox]:
    sandbox = SlowSandbox()
    with sandbox.box.serve() as server:
        sandbox.server = server
        yield sandbox


class Running:
    """`np6 ...` running in the background, its output read as it comes."""

    def __init__(self, server: SandboxServer, *args: str) -> None:
        self.process = subprocess.Popen(
            [*NP6, *args],
            env=environment(server),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._out: list[str] = []
        self._err: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self._out), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self._err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: object, lines: list[str]) -> None:
        assert stream is not None
        for line in stream:  # type: ignore[attr-defined]
            lines.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._err)

    @property
    def stdout(self) -> str:
        return "".join(self._out)

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def wait_for_stderr(self, text: str, timeout: float = 15) -> None:
        wait_until(lambda: text in flat(self.stderr) or self.process.poll() is not None, timeout)
        assert text in flat(self.stderr), self.stderr

    def finish(self, timeout: float = 30) -> int:
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.finish()


@pytest.fixture
def running() -> Iterator[list[Running]]:
    """The background commands a test starts, killed at its end whatever happens."""
    started: list[Running] = []
    yield started
    for command in started:
        command.kill()


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def recipients_csv(tmp_path: Path, count: int = ROWS, name: str = "customers.csv") -> tuple[Path, list[str]]:
    values = [f"customer{i}@example.com" for i in range(count)]
    path = tmp_path / name
    path.write_text("email\n" + "".join(f"{value}\n" for value in values))
    return path, values


def report_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


def unicity(row: dict[str, str]) -> str:
    assert row["recipient"] == row["input"], row  # a unicity value is sent as given
    # The CSV report writes a cell that a spreadsheet would run as a formula ("+336...") after a `'`.
    value = row["input"]
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def table_counts(stdout: str) -> dict[str, int]:
    found = dict(re.findall(r"(sent|rejected|failed|unknown)\s+\S\s+([\d,]+)", stdout))
    return {name: int(count.replace(",", "")) for name, count in found.items()}


def last_progress_counts(stderr: str) -> dict[str, int]:
    # The progress shows `sent` always, the other outcomes once they happen: "sent 9,000 · unknown 12".
    lines = re.findall(r"answered \((sent [^)]*)\)", flat(stderr))
    assert lines, stderr
    counts = {"sent": 0, "rejected": 0, "failed": 0, "unknown": 0}
    for name, count in re.findall(r"(sent|rejected|failed|unknown) ([\d,]+)", lines[-1]):
        counts[name] = int(count.replace(",", ""))
    return counts


def assert_accounts_for_a_prefix_of_the_input(rows: list[dict[str, str]], values: list[str]) -> None:
    """Every row of the input is in the report once, with one outcome, or was never taken: the report holds the
    first len(rows) rows, in order."""
    assert [int(row["line"]) for row in rows] == list(range(2, len(rows) + 2))  # line 1 is the header
    assert [unicity(row) for row in rows] == values[: len(rows)]
    assert all(row["outcome"] in ("sent", "rejected", "failed", "unknown") for row in rows)


def start_send(running: list[Running], slow: SlowSandbox, action_id: str, source: Path, *extra: str) -> Running:
    command = Running(slow.server, "send", action_id, "--csv", str(source), *BATCH, *extra)
    running.append(command)
    return command


def send_in_flight(
    running: list[Running], slow: SlowSandbox, tmp_path: Path, *extra: str, delay: float
) -> tuple[Running, str, Path, list[str]]:
    """`np6 send` of ROWS recipients to a new validated action, its batches answered after `delay` seconds, once the
    sandbox processed its first two (ten messages): the command, the action, the CSV and the recipients in it."""
    action_id = validated_email_action(slow.box)
    source, values = recipients_csv(tmp_path)
    slow.send_delay = delay
    command = start_send(running, slow, action_id, source, *extra)
    wait_until(lambda: len(slow.delivered()) >= 10)
    return command, action_id, source, values


# ------------------------------------------------------------------------------------------------ one signal


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_one_signal_waits_for_the_batches_in_flight_then_reports_and_exits_130(
    slow: SlowSandbox, running: list[Running], tmp_path: Path, number: int
) -> None:
    report = tmp_path / "report.csv"
    # Two batches processed, their answers on the way.
    command, _, _, values = send_in_flight(running, slow, tmp_path, "--report", str(report), delay=0.5)

    command.signal(number)

    assert command.finish() == 130, command.stderr
    name = signal.Signals(number).name
    assert re.search(rf"stopping \({name}\): waiting up to 30 s for [12] batch(es)? in flight", flat(command.stderr))
    assert "Traceback" not in command.stderr
    rows = report_rows(report)
    assert 10 <= len(rows) < ROWS
    assert_accounts_for_a_prefix_of_the_input(rows, values)
    # Waited for: every batch taken was answered, and what NP6 accepted is exactly what the report says was sent.
    assert {row["outcome"] for row in rows} == {"sent"}
    assert sorted(unicity(row) for row in rows) == sorted(slow.delivered())
    assert slow.box.deliveries.duplicates() == {}
    counts = table_counts(command.stdout)
    assert counts == {"sent": len(rows), "rejected": 0, "failed": 0, "unknown": 0}
    assert last_progress_counts(command.stderr) == counts
    assert f"{len(rows)} of {ROWS} messages were taken" in flat(command.stderr)


def test_a_signal_before_the_send_starts_exits_130_with_nothing_sent(
    slow: SlowSandbox, running: list[Running], tmp_path: Path
) -> None:
    action_id = validated_email_action(slow.box)
    source, _ = recipients_csv(tmp_path)
    slow.asked_for_action.clear()
    slow.get_delay = 3.0
    command = start_send(running, slow, action_id, source)
    assert slow.asked_for_action.wait(15)

    command.signal(signal.SIGTERM)

    assert command.finish() == 130, command.stderr
    assert "interrupted (SIGTERM) before anything was sent" in flat(command.stderr)
    assert slow.delivered() == []


# ------------------------------------------------------------------------------------------ abandoning batches


def test_a_second_sigint_abandons_the_batches_in_flight_as_unknown(
    slow: SlowSandbox, running: list[Running], tmp_path: Path
) -> None:
    report = tmp_path / "report.jsonl"
    # No answer comes before the second Ctrl-C.
    command, _, _, values = send_in_flight(running, slow, tmp_path, "--report", str(report), delay=3.0)

    command.signal(signal.SIGINT)
    command.wait_for_stderr("stopping (SIGINT)")
    command.signal(signal.SIGINT)

    assert command.finish() == 130, command.stderr
    assert "abandoned" in command.stderr
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    table = table_counts(command.stdout)
    assert table == {"sent": 0, "rejected": 0, "failed": 0, "unknown": 10}
    assert last_progress_counts(command.stderr) == table
    # Every row taken is in the report once; the two batches NP6 processed but never answered are `unknown`:
    # never reported sent, and what was never taken is not in the report.
    assert [line["line"] for line in lines] == list(range(2, 12))
    assert {line["outcome"] for line in lines} == {"unknown"}
    assert [line["recipient"] for line in lines] == values[:10]
    assert sorted(slow.delivered()) == sorted(values[:10])


def test_the_wait_for_the_batches_in_flight_is_bounded(
    slow: SlowSandbox, running: list[Running], tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    command, _, _, values = send_in_flight(
        running, slow, tmp_path, "--report", str(report), "--stop-timeout", "0.5", delay=3.0
    )
    started = time.monotonic()

    command.signal(signal.SIGINT)

    assert command.finish() == 130, command.stderr
    assert time.monotonic() - started < 2.5  # did not wait for the 3 s answers
    assert "waiting up to 0.5 s" in flat(command.stderr)
    assert "still in flight after 0.5 s: abandoned" in flat(command.stderr)
    rows = report_rows(report)
    assert_accounts_for_a_prefix_of_the_input(rows, values)
    assert [row["outcome"] for row in rows] == ["unknown"] * 10


# ------------------------------------------------------------------------------------------------- resuming


@pytest.mark.parametrize("signals", [1, 2], ids=["waited", "abandoned"])
def test_running_the_same_command_again_resumes_and_delivers_each_recipient_once(
    slow: SlowSandbox, running: list[Running], tmp_path: Path, signals: int
) -> None:
    journal = tmp_path / "send.journal"
    report = tmp_path / "report.csv"
    first, action_id, source, values = send_in_flight(
        running, slow, tmp_path, "--journal", str(journal), "--report", str(report), delay=0.3 if signals == 1 else 3.0
    )
    first.signal(signal.SIGINT)
    if signals == 2:
        first.wait_for_stderr("stopping (SIGINT)")
        first.signal(signal.SIGINT)
    assert first.finish() == 130, first.stderr
    assert "run the same command again to resume" in flat(first.stderr)
    interrupted = report_rows(report)
    unknown = [unicity(row) for row in interrupted if row["outcome"] == "unknown"]
    assert len(unknown) == (0 if signals == 1 else 10)

    slow.send_delay = 0.0
    again = np6_command(
        slow.server, "send", action_id, "--csv", str(source), *BATCH, "--journal", str(journal), "--report", str(report)
    )

    assert again.returncode == (0 if signals == 1 else 1), again.stderr
    sent_before = sum(1 for row in interrupted if row["outcome"] == "sent")
    assert (
        f"resuming the send recorded in {journal}: {sent_before} already sent, 0 rejected, {len(unknown)} unknown"
        f" (not sent again), {ROWS - len(interrupted)} to send" in flat(again.stderr)
    )
    rows = report_rows(report)
    assert_accounts_for_a_prefix_of_the_input(rows, values)
    assert len(rows) == ROWS
    assert [unicity(row) for row in rows if row["outcome"] == "unknown"] == unknown
    assert sum(1 for row in rows if row["outcome"] == "sent") == ROWS - len(unknown)
    # Each recipient delivered exactly once: the unknown ones (delivered, never answered) were not sent again.
    assert sorted(slow.delivered()) == sorted(values)
    assert slow.box.deliveries.duplicates() == {}
    assert table_counts(again.stdout) == {
        "sent": ROWS - len(unknown),
        "rejected": 0,
        "failed": 0,
        "unknown": len(unknown),
    }


def test_a_signal_during_a_resumed_send_stops_its_resends_too(
    slow: SlowSandbox, running: list[Running], tmp_path: Path
) -> None:
    action_id = unvalidated_sms_action(slow.box)  # NP6 answers 409: every message is recorded failed
    values = [f"+336000{i:05d}" for i in range(100)]
    source = tmp_path / "phones.csv"
    source.write_text("phone\n" + "".join(f"{value}\n" for value in values))
    journal = tmp_path / "send.journal"
    refused = np6_command(slow.server, "send", action_id, "--csv", str(source), *BATCH, "--journal", str(journal))
    assert refused.returncode == 1, refused.stderr
    assert "409" in refused.stderr
    with slow.box.client() as client:
        client.actions.validate(action_id, test_segments=[1])
    slow.send_delay = 0.3
    report = tmp_path / "report.csv"

    resumed = start_send(running, slow, action_id, source, "--journal", str(journal), "--report", str(report))
    resumed.wait_for_stderr("0 already sent, 0 rejected, 0 unknown (not sent again), 100 to send")
    wait_until(lambda: len(slow.delivered()) >= 10)
    resumed.signal(signal.SIGINT)

    assert resumed.finish() == 130, resumed.stderr
    rows = report_rows(report)
    assert len(rows) == 100
    sent = [unicity(row) for row in rows if row["outcome"] == "sent"]
    assert 10 <= len(sent) < 100  # the re-sends stopped too, after the batches in flight
    assert {row["outcome"] for row in rows} == {"sent", "failed"}
    assert sorted(sent) == sorted(slow.delivered())
    table = table_counts(resumed.stdout)
    assert table == {"sent": len(sent), "rejected": 0, "failed": 100 - len(sent), "unknown": 0}
    assert last_progress_counts(resumed.stderr) == table


def test_a_journal_in_use_or_of_another_send_exits_2_and_sends_nothing(
    slow: SlowSandbox, running: list[Running], tmp_path: Path
) -> None:
    journal = tmp_path / "send.journal"
    first, action_id, source, values = send_in_flight(running, slow, tmp_path, "--journal", str(journal), delay=3.0)

    second = np6_command(slow.server, "send", action_id, "--csv", str(source), *BATCH, "--journal", str(journal))
    assert second.returncode == 2, second.stderr
    assert "in use by another send" in flat(second.stderr)
    assert "nothing was sent" in flat(second.stderr)
    looked = np6_command(slow.server, "journal", str(journal))
    assert looked.returncode == 2
    assert "in use" in flat(looked.stderr)

    first.signal(signal.SIGINT)
    first.wait_for_stderr("stopping (SIGINT)")
    first.signal(signal.SIGINT)
    assert first.finish() == 130, first.stderr
    delivered = len(slow.delivered())
    assert delivered == 10

    other_input, _ = recipients_csv(tmp_path, name="other.csv")
    other_input.write_text("email\nsomeone@example.com\n" + "".join(f"{v}\n" for v in values))
    slow.send_delay = 0.0
    mismatch = np6_command(slow.server, "send", action_id, "--csv", str(other_input), "--journal", str(journal))
    assert mismatch.returncode == 2, mismatch.stderr
    assert "is not the one the send journal" in flat(mismatch.stderr)
    other_action = validated_email_action(slow.box)
    elsewhere = np6_command(slow.server, "send", other_action, "--csv", str(source), "--journal", str(journal))
    assert elsewhere.returncode == 2, elsewhere.stderr
    assert f"records a send to action '{action_id}'" in flat(elsewhere.stderr)
    assert "Traceback" not in mismatch.stderr + elsewhere.stderr
    assert len(slow.delivered()) == delivered
