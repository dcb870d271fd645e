"""The `np6` command run in this process, by calling `main([...])` as the console script does, with the clients it
builds talking to a sandbox through the sandbox's in-process transport.

Why not a socket, as in the subprocess tests: on Python 3.11 a connection made by httpx (anyio's connect_tcp
catches the cancellation of its other attempts) hits CPython issue 106749, after which coverage records no line of
the frame that called `asyncio.run`; every line of `np6 send` after its send would look untested. And in-process,
a sandbox hook runs in the command's own event loop thread, so a signal it sends lands at an exact point of the
send, with no waiting on timing.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import np6
import pytest
from np6 import _cli
from np6._cli import connect
from np6.sandbox import Fault, RequestInfo, Sandbox

from tests.cli.support import KEY, email_action, unvalidated_sms_action, validated_email_action

PHONES = ["+33600000001", "+33600000002", "+33600000003"]
EMAILS = [f"customer{i}@example.com" for i in range(10)]


@dataclass(frozen=True)
class Run:
    code: int | str | None
    stdout: str
    stderr: str

    @property
    def out(self) -> str:
        """stdout with rich's line wrapping undone."""
        return " ".join(self.stdout.split())

    @property
    def err(self) -> str:
        """stderr with rich's line wrapping undone."""
        return " ".join(self.stderr.split())


Hook = Callable[[RequestInfo], float]


class Np6:
    """`np6 ARGS...` in this process against `box`; `hooks[operation_id]` runs as NP6 gets that request (in the
    command's thread) and returns how long NP6 takes to answer it."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.hooks: dict[str, Hook] = {}
        self.box = Sandbox(api_key=KEY, unknown_recipients=["nobody@example.com"], latency=self._latency)

    def _latency(self, info: RequestInfo) -> float:
        hook = self.hooks.get(info.operation_id)
        return hook(info) if hook is not None else 0.0

    def __call__(self, *args: str) -> Run:
        self.capsys.readouterr()
        try:
            code: int | str | None = _cli.main(list(args))
        except SystemExit as exit_:  # how main reports errors, and how argparse refuses arguments
            code = exit_.code
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def np6_(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Np6:
    command = Np6(capsys)
    transport = command.box.transport
    monkeypatch.setattr(connect, "AsyncClient", functools.partial(np6.AsyncClient, transport=transport))
    monkeypatch.setattr(connect, "Client", functools.partial(np6.Client, transport=transport))
    monkeypatch.delenv("NP6_BASE_URL", raising=False)
    monkeypatch.setenv("NP6_API_KEY", KEY)
    return command


def table_counts(stdout: str) -> dict[str, int]:
    found = dict(re.findall(r"(sent|rejected|failed|unknown)\s+\S\s+([\d,]+)", stdout))
    return {name: int(count.replace(",", "")) for name, count in found.items()}


def report_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


def failed_sms_journal(box: Sandbox, path: Path, messages: list[np6.SmsMessage] | None = None) -> str:
    """A journal of a send to an action NP6 refuses (409): every message failed, safe to send again."""
    action_id = unvalidated_sms_action(box)
    with box.client() as client:
        report = client.actions.send_many(action_id, messages or PHONES, journal=path)
    assert report.failed == len(messages or PHONES)
    return action_id


# ------------------------------------------------------------------------------------------ bad input: exit 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be 1..10000 and --concurrency 1..64"),
        (["--batch-size", "10001"], "--batch-size must be 1..10000 and --concurrency 1..64"),
        (["--concurrency", "0"], "--batch-size must be 1..10000 and --concurrency 1..64"),
        (["--concurrency", "65"], "--batch-size must be 1..10000 and --concurrency 1..64"),
        (["--stop-timeout", "-1"], "--stop-timeout must be 0..3600 seconds"),
        (["--stop-timeout", "3601"], "--stop-timeout must be 0..3600 seconds"),
    ],
)
def test_send_options_out_of_range_exit_2_before_anything_is_sent(np6_: Np6, options: list[str], message: str) -> None:
    action_id = validated_email_action(np6_.box)
    result = np6_("send", action_id, "--to", "a@example.com", *options)
    assert result.code == 2
    assert f"error: {message}" in result.err
    assert np6_.box.deliveries.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a" * 250 + "@example.com"], "--to value 1: recipient value longer than 255 characters"),
        (["ok@example.com", "bad\x07@example.com"], "--to value 2: recipient value with a control character:"),
        (["ok@example.com", "  "], "--to value 2: empty recipient value"),
    ],
    ids=["too-long", "control-character", "blank"],
)
def test_bad_to_values_exit_2_and_say_which_value(np6_: Np6, values: list[str], message: str) -> None:
    action_id = validated_email_action(np6_.box)
    result = np6_("send", action_id, "--to", *values)
    assert result.code == 2
    assert message in result.err
    assert np6_.box.deliveries.count() == 0


def test_an_empty_csv_file_exits_2(np6_: Np6, tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text("")
    result = np6_("send", validated_email_action(np6_.box), "--csv", str(source))
    assert result.code == 2
    assert f"{source}: empty file or no header row" in result.err


def test_a_report_path_that_is_a_folder_exits_2(np6_: Np6, tmp_path: Path) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    result = np6_("send", validated_email_action(np6_.box), "--to", "a@example.com", "--report", str(folder))
    assert result.code == 2
    assert f"--report: {folder} cannot be written" in result.err
    assert np6_.box.deliveries.count() == 0


def test_the_same_file_for_report_and_journal_exits_2(np6_: Np6, tmp_path: Path) -> None:
    same = tmp_path / "send.csv"
    result = np6_(
        "send", validated_email_action(np6_.box), "--to", "a@example.com", "--journal", str(same), "--report", str(same)
    )
    assert result.code == 2
    assert "--report and --journal must be two different files" in result.err
    assert not same.exists()
    assert np6_.box.deliveries.count() == 0


def test_a_journal_that_is_not_one_exits_2_and_sends_nothing(np6_: Np6, tmp_path: Path) -> None:
    garbage = tmp_path / "send.journal"
    garbage.write_bytes(b"not an sqlite file at all" * 100)
    result = np6_("send", validated_email_action(np6_.box), "--to", "a@example.com", "--journal", str(garbage))
    assert result.code == 2, result.stderr
    assert str(garbage) in result.err
    assert result.err.endswith("(nothing was sent)")
    assert "Traceback" not in result.stderr
    assert np6_.box.deliveries.count() == 0


@pytest.mark.parametrize(
    "command", [["actions", "get", "000AAA"], ["send", "000AAA", "--to", "a@example.com"]], ids=["actions", "send"]
)
def test_no_api_key_exits_2_and_says_where_the_key_comes_from(
    np6_: Np6, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.delenv("NP6_API_KEY")
    result = np6_(*command)
    assert result.code == 2
    assert "no NP6 API key" in result.err
    assert "NP6_API_KEY" in result.err


def test_plain_http_to_a_remote_host_exits_2_without_printing_the_key(np6_: Np6) -> None:
    result = np6_("actions", "list", "--base-url", "http://np6.example.com")
    assert result.code == 2
    assert "base URL must use https" in result.err
    assert KEY not in result.stdout + result.stderr


def test_a_created_after_that_is_not_a_date_exits_2(np6_: Np6) -> None:
    result = np6_("actions", "list", "--created-after", "last tuesday")
    assert result.code == 2
    assert "not an ISO-8601 date-time: 'last tuesday'" in result.err


def test_journal_retryable_and_report_in_one_file_exit_2(np6_: Np6, tmp_path: Path) -> None:
    journal = tmp_path / "send.journal"
    failed_sms_journal(np6_.box, journal)
    same = tmp_path / "out.csv"
    also_same = tmp_path / "elsewhere" / ".." / "out.csv"
    result = np6_("journal", str(journal), "--retryable", str(same), "--report", str(also_same))
    assert result.code == 2
    assert "--retryable and --report must be two different files" in result.err
    assert not same.exists()


@pytest.mark.parametrize("rate", ["ten/1", "10/fast", "/1"])
def test_sandbox_with_a_malformed_rate_limit_exits_2(np6_: Np6, rate: str) -> None:
    result = np6_("sandbox", "--port", "0", "--rate-limit", rate)
    assert result.code == 2
    assert f"--rate-limit: expected N/SECONDS such as 10/1, got {rate!r}" in result.err


def test_sandbox_on_a_port_in_use_exits_2(np6_: Np6) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = np6_("sandbox", "--port", str(port))
    assert result.code == 2
    assert f"cannot listen on 127.0.0.1:{port}:" in result.err
    assert "Traceback" not in result.stderr


# ----------------------------------------------------------------------------------------------- np6 sandbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sandbox_enforces_its_rate_limit_and_stops_on_ctrl_c(np6_: Np6) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    statuses: list[int] = []
    handler = signal.getsignal(signal.SIGTERM)

    def client() -> None:
        # The SIGTERM handler is set just before the command waits: from then on Ctrl-C is the user's.
        deadline = time.monotonic() + 10
        while signal.getsignal(signal.SIGTERM) is handler:
            if time.monotonic() > deadline:
                return  # the command ended early: a Ctrl-C now would interrupt the tests
            time.sleep(0.005)
        try:
            statuses.extend(httpx.get(f"{url}/actions", headers={"X-Key": KEY}).status_code for _ in range(3))
        finally:
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    user = threading.Thread(target=client, daemon=True)
    user.start()
    try:
        result = np6_("sandbox", "--port", str(port), "--api-key", KEY, "--rate-limit", "2/60")
    finally:
        user.join(10)
        signal.signal(signal.SIGTERM, handler)  # the command's own, left behind since it expects to exit
    assert result.code == 0, result.stderr
    assert statuses == [200, 200, 429]
    assert f"NP6 sandbox listening on {url}" in result.out
    assert f"export NP6_API_KEY={KEY}" in result.out
    assert result.out.endswith("stopped; 0 messages were delivered")


# ----------------------------------------------------------------------------------------- np6 send outcomes


def test_send_writes_the_report_and_says_where(np6_: Np6, tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    result = np6_("send", validated_email_action(np6_.box), "--to", *EMAILS[:2], "--report", str(report))
    assert result.code == 0, result.stderr
    assert table_counts(result.stdout) == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 0}
    assert f"report written to {report}" in result.out
    assert [json.loads(line)["outcome"] for line in report.read_text().splitlines()] == ["sent", "sent"]


def test_a_rejected_recipient_exits_1(np6_: Np6) -> None:
    result = np6_("send", validated_email_action(np6_.box), "--to", "a@example.com", "nobody@example.com")
    assert result.code == 1
    assert table_counts(result.stdout) == {"sent": 1, "rejected": 1, "failed": 0, "unknown": 0}
    assert "stopped" not in result.err


def test_a_refused_send_with_a_journal_says_why_and_that_it_can_be_run_again(np6_: Np6, tmp_path: Path) -> None:
    journal = tmp_path / "send.journal"
    action_id = unvalidated_sms_action(np6_.box)
    result = np6_("send", action_id, "--to", *PHONES, "--journal", str(journal))
    assert result.code == 1
    assert table_counts(result.stdout) == {"sent": 0, "rejected": 0, "failed": 3, "unknown": 0}
    assert re.search(r"stopped: 409 .*validated for production", result.err)
    assert "3 failed messages can be sent again: run the same command again" in result.err

    with np6_.box.client() as client:
        client.actions.validate(action_id, test_segments=[1])
    again = np6_("send", action_id, "--to", *PHONES, "--journal", str(journal))
    assert again.code == 0, again.stderr
    assert "0 already sent, 0 rejected, 0 unknown (not sent again), 3 to send" in again.err
    assert "can be sent again" not in again.err
    assert sorted(np6_.box.deliveries.recipients()) == PHONES


def test_a_csv_changed_during_the_send_changes_nothing_of_what_is_sent(np6_: Np6, tmp_path: Path) -> None:
    action_id = validated_email_action(np6_.box)
    values = [f"customer{n:05}@example.com" for n in range(2000)]  # larger than a read buffer
    source = tmp_path / "customers.csv"
    source.write_text("email\n" + "".join(f"{value}\n" for value in values))
    report = tmp_path / "report.csv"
    edited: list[bool] = []

    def edit_the_file(info: RequestInfo) -> float:
        # After the file was checked, while the send runs: as an export job replacing it would.
        if not edited:
            edited.append(True)
            replacement = tmp_path / "new.csv"
            replacement.write_text("email\n \nother@example.com\n")
            os.replace(replacement, source)
        return 0.0

    np6_.hooks["send_messages"] = edit_the_file
    arguments = ("--batch-size", "100", "--concurrency", "1", "--report", str(report))
    result = np6_("send", action_id, "--csv", str(source), *arguments)
    assert edited
    assert result.code == 0, result.stderr
    assert np6_.box.deliveries.recipients() == values  # what was checked, each once: the copy taken while checking
    assert [row["input"] for row in report_rows(report)] == values


def test_a_report_on_a_full_disk_exits_1_after_the_table(np6_: Np6, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.symlink_to("/dev/full")
    result = np6_("send", validated_email_action(np6_.box), "--to", *EMAILS[:2], "--report", str(report))
    assert result.code == 1
    assert table_counts(result.stdout) == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 0}
    assert "error: No space left on device: " in result.err
    assert result.err.endswith(str(report))
    assert "Traceback" not in result.stderr
    assert np6_.box.deliveries.count() == 2


def test_a_report_on_a_full_disk_names_the_file_not_written(np6_: Np6, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.symlink_to("/dev/full")
    result = np6_("send", validated_email_action(np6_.box), "--to", *EMAILS[:2], "--report", str(report))
    assert str(report) in result.err


def test_send_from_a_thread_other_than_the_main_one_still_sends(np6_: Np6) -> None:
    # Signal handlers can only be installed from the main thread: a program running the command from another
    # one gets the send without Ctrl-C handling.
    action_id = validated_email_action(np6_.box)
    results: list[Run] = []
    worker = threading.Thread(target=lambda: results.append(np6_("send", action_id, "--to", *EMAILS[:3])))
    worker.start()
    worker.join(30)
    assert [result.code for result in results] == [0], results
    assert table_counts(results[0].stdout)["sent"] == 3
    assert np6_.box.deliveries.count(action_id) == 3


# ---------------------------------------------------------------------------------- np6 send and Ctrl-C


def sigint_on_send(np6_: Np6, *, on_batch: int, times: int, answer_after: float) -> None:
    """Ctrl-C pressed `times` times as NP6 gets the `on_batch`th batch, which it answers `answer_after` s later."""
    batches = 0

    def press(info: RequestInfo) -> float:
        nonlocal batches
        batches += 1
        if batches != on_batch:
            return 0.0
        for _ in range(times):
            os.kill(os.getpid(), signal.SIGINT)
        return answer_after

    np6_.hooks["send_messages"] = press


ONE_AT_A_TIME = ["--batch-size", "1", "--concurrency", "1"]


def test_ctrl_c_between_two_batches_takes_no_more_and_exits_130(np6_: Np6, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    # Answered at once: the command sees the signal once that batch is answered, between two batches.
    sigint_on_send(np6_, on_batch=2, times=1, answer_after=0.0)
    result = np6_("send", validated_email_action(np6_.box), "--to", *EMAILS, *ONE_AT_A_TIME, "--report", str(report))
    assert result.code == 130, result.stderr
    assert "stopping (SIGINT): taking no more batches" in result.err
    rows = report_rows(report)
    assert 2 <= len(rows) < len(EMAILS)
    assert {row["outcome"] for row in rows} == {"sent"}
    assert np6_.box.deliveries.recipients() == EMAILS[: len(rows)]
    assert f"interrupted (SIGINT): {len(rows)} of {len(EMAILS)} messages were taken" in result.err
    assert f"the other {len(EMAILS) - len(rows)} were not sent" in result.err


def test_ctrl_c_pressed_three_times_abandons_the_batch_in_flight_once(np6_: Np6, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    sigint_on_send(np6_, on_batch=2, times=3, answer_after=5.0)
    result = np6_("send", validated_email_action(np6_.box), "--to", *EMAILS, *ONE_AT_A_TIME, "--report", str(report))
    assert result.code == 130, result.stderr
    assert "stopping (SIGINT): waiting up to 30 s for 1 batch in flight (Ctrl-C again to abandon them)" in result.err
    assert result.err.count("abandoned") == 1
    assert "stopping: 1 batch abandoned; their messages are reported unknown" in result.err
    assert [row["outcome"] for row in report_rows(report)] == ["sent", "unknown"]
    assert table_counts(result.stdout) == {"sent": 1, "rejected": 0, "failed": 0, "unknown": 1}
    assert "interrupted (SIGINT): 2 of 10 messages were taken" in result.err


def press_ctrl_c_while_np6_gets_the_action(np6_: Np6, *, answer_after: float) -> None:
    def press(info: RequestInfo) -> float:
        os.kill(os.getpid(), signal.SIGINT)
        return answer_after

    np6_.hooks["get_action"] = press


def test_ctrl_c_while_the_command_waits_for_the_action_sends_nothing_and_exits_130(np6_: Np6) -> None:
    action_id = validated_email_action(np6_.box)
    press_ctrl_c_while_np6_gets_the_action(np6_, answer_after=0.2)
    result = np6_("send", action_id, "--to", *EMAILS)
    assert result.code == 130
    assert result.err == "error: interrupted (SIGINT) before anything was sent"
    assert np6_.box.deliveries.count() == 0


def test_ctrl_c_while_the_command_prepares_the_send_sends_nothing(np6_: Np6) -> None:
    action_id = validated_email_action(np6_.box)
    # Answered at once: the rest of the preparation runs with no await, so the signal lands in it.
    press_ctrl_c_while_np6_gets_the_action(np6_, answer_after=0.0)
    result = np6_("send", action_id, "--to", *EMAILS)
    assert result.code == 130
    assert np6_.box.deliveries.count() == 0


# ----------------------------------------------------------------------------------------------- np6 journal


def test_journal_says_unknown_messages_may_have_been_sent(np6_: Np6, tmp_path: Path) -> None:
    journal = tmp_path / "send.journal"
    action_id = validated_email_action(np6_.box)
    np6_.box.faults.add(Fault.drop(operation="send_messages"))  # processed, never answered
    with np6_.box.client() as client:
        report = client.actions.send_many(action_id, EMAILS[:2], journal=journal)
    assert report.unknown == 2

    shown = np6_("journal", str(journal))
    assert shown.code == 1
    assert table_counts(shown.stdout) == {"sent": 0, "rejected": 0, "failed": 0, "unknown": 2}
    assert "2 unknown messages may have been sent: never sent again automatically" in shown.out
    assert "can be sent again" not in shown.out
    counts = np6_("journal", str(journal), "--json")
    assert counts.code == 1
    assert json.loads(counts.stdout)["counts"] == {"sent": 0, "rejected": 0, "failed": 0, "unknown": 2}


def test_journal_retryable_csv_refuses_composite_unicity_keys(np6_: Np6, tmp_path: Path) -> None:
    journal = tmp_path / "send.journal"
    composite = [np6.SmsMessage(np6.Recipient.by_unicity(phone, "FR")) for phone in PHONES]
    failed_sms_journal(np6_.box, journal, composite)
    retry = tmp_path / "retry.csv"
    result = np6_("journal", str(journal), "--retryable", str(retry))
    assert result.code == 2
    assert "message 0 is more than a unicity value" in result.err
    assert not retry.exists()


def test_journal_report_on_a_full_disk_exits_1(np6_: Np6, tmp_path: Path) -> None:
    journal = tmp_path / "send.journal"
    failed_sms_journal(np6_.box, journal)
    report = tmp_path / "outcomes.jsonl"
    report.symlink_to("/dev/full")
    result = np6_("journal", str(journal), "--report", str(report))
    assert result.code == 1
    assert result.err == f"error: No space left on device: {report}"
    assert "Traceback" not in result.stderr


# ----------------------------------------------------------------------------------------------- np6 actions


def test_actions_list_keeps_the_actions_created_in_the_window(np6_: Np6) -> None:
    with np6_.box.client() as client:
        action = client.actions.create(email_action("Promo"))
    after = np6_("actions", "list", "--created-after", "2000-01-01", "--json")  # no zone: UTC
    assert after.code == 0, after.stderr
    assert [item["id"] for item in json.loads(after.stdout)] == [action.id]
    before = np6_("actions", "list", "--created-before", "2000-01-01T00:00:00+02:00", "--json")
    assert before.code == 0, before.stderr
    assert json.loads(before.stdout) == []


def test_actions_validate_says_which_phases_it_ran(np6_: Np6) -> None:
    with np6_.box.client() as client:
        action = client.actions.create(email_action("Promo"))
    result = np6_("actions", "validate", action.id, "--test-segment", "1")
    assert result.code == 0, result.stderr
    assert result.out == f"action {action.id}: validated (test then production phase)"


def test_actions_get_of_an_unknown_action_exits_2_with_the_request_id(np6_: Np6) -> None:
    result = np6_("actions", "get", "000ZZZ")
    assert result.code == 2
    assert re.search(r"error: 404 .*request id [0-9a-f-]{36}", result.err)


def test_actions_render_says_when_np6_cannot_render_for_that_recipient(np6_: Np6) -> None:
    action_id = validated_email_action(np6_.box)
    result = np6_("actions", "render", action_id, "--to", "nobody@example.com")
    assert result.out.startswith('NP6 could not render it: {"type": "error"')
    assert '"type": "recipient not found"' in result.out
    as_json = np6_("actions", "render", action_id, "--to", "nobody@example.com", "--json")
    assert json.loads(as_json.stdout)["value"]["type"] == "recipient not found"


def test_actions_render_that_np6_could_not_render_exits_1(np6_: Np6) -> None:
    action_id = validated_email_action(np6_.box)
    assert np6_("actions", "render", action_id, "--to", "nobody@example.com").code == 1
    assert np6_("actions", "render", action_id, "--to", "nobody@example.com", "--json").code == 1


def test_ctrl_c_while_waiting_for_np6_exits_130(np6_: Np6, monkeypatch: pytest.MonkeyPatch) -> None:
    # Over a socket: the interrupt lands in the main thread while it waits for the answer, as a real one would.
    monkeypatch.setattr(connect, "Client", np6.Client)
    main = threading.main_thread().ident or 0

    def press(info: RequestInfo) -> float:
        signal.pthread_kill(main, signal.SIGINT)
        return 0.5

    np6_.hooks["list_actions"] = press
    with np6_.box.serve() as server:
        result = np6_("actions", "list", "--base-url", server.url)
    assert result.code == 130
    assert result.err == "error: interrupted"


def test_ctrl_c_during_a_poll_of_events_follow_ends_it_as_during_a_wait(np6_: Np6) -> None:
    action_id = validated_email_action(np6_.box)
    with np6_.box.client() as client:
        client.actions.send(action_id, "ada@example.com")

    def interrupt(info: RequestInfo) -> float:
        raise KeyboardInterrupt  # Ctrl-C while NP6 answers the poll

    np6_.hooks["list_action_events"] = interrupt
    followed = np6_("events", "--action", action_id, "--since", "1h", "--follow", "--json")
    assert followed.code == 0, followed.stderr
    assert "interrupted" not in followed.err
    # Without --follow, Ctrl-C is an interruption like any other (exit 130).
    once = np6_("events", "--action", action_id, "--since", "1h", "--json")
    assert once.code == 130, once.stderr
