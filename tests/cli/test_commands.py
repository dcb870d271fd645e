"""The `np6` command driven as a user would: subprocesses against a sandbox listening on an ephemeral port."""

from __future__ import annotations

import csv
import json
import re
import signal
import subprocess
from pathlib import Path

import httpx
import np6
import pytest

from tests.cli.support import (
    KEY,
    NP6,
    Served,
    email_action,
    environment,
    np6_command,
    unvalidated_sms_action,
    validated_email_action,
)


def test_send_from_csv_writes_the_report_and_fails_when_something_was_rejected(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    source = tmp_path / "customers.csv"
    source.write_text("name,email\nAda,ada@example.com\nNo One,nobody@example.com\nBob,bob@example.com\n")
    report = tmp_path / "report.csv"

    result = np6_command(server, "send", action_id, "--csv", str(source), "--column", "email", "--report", str(report))

    assert result.returncode == 1, result.stderr
    assert re.search(r"sent\s+.\s+2", result.stdout)
    assert re.search(r"rejected\s+.\s+1", result.stdout)
    rows = list(csv.DictReader(report.open()))
    assert [row["outcome"] for row in rows] == ["sent", "rejected", "sent"]
    assert rows[1]["reason"] == "recipient not found"
    assert sorted(box.deliveries.recipients()) == ["ada@example.com", "bob@example.com"]
    assert KEY not in result.stdout + result.stderr


def test_send_to_values_exits_0_and_writes_jsonl(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    report = tmp_path / "report.jsonl"
    result = np6_command(
        server,
        "send",
        action_id,
        "--to",
        "a@example.com",
        "b@example.com",
        "--batch-size",
        "1",
        "--report",
        str(report),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [line["outcome"] for line in lines] == ["sent", "sent"]
    assert all(line["message_id"] for line in lines)
    assert box.deliveries.count(action_id) == 2


@pytest.mark.parametrize(
    ("content", "column", "message"),
    [
        ("email\n", None, "the input is empty"),
        ("email\na@example.com\n\t\n", None, "empty recipient"),
        ("email\na@example.com\n", "phone", "no column 'phone'"),
        (b"\xff\xfe\x00broken", None, "cannot be read"),
    ],
)
def test_bad_csv_exits_2_before_anything_is_sent(
    sandbox: Served, tmp_path: Path, content: str | bytes, column: str | None, message: str
) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    source = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content)
    args = ["send", action_id, "--csv", str(source), *(["--column", column] if column else [])]
    result = np6_command(server, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert box.deliveries.count() == 0


def test_missing_csv_unknown_action_and_bad_options_exit_2(sandbox: Served) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    missing = np6_command(server, "send", action_id, "--csv", "/nonexistent/file.csv")
    assert missing.returncode == 2
    assert "cannot be read" in missing.stderr
    unknown = np6_command(server, "send", "000ZZZ", "--to", "a@example.com")
    assert unknown.returncode == 2
    assert "000ZZZ not found" in unknown.stderr
    assert "request id" in unknown.stderr
    bad_report = np6_command(server, "send", action_id, "--to", "a@example.com", "--report", "out.txt")
    assert bad_report.returncode == 2
    assert box.deliveries.count() == 0


def test_wrong_key_prints_the_cause_and_request_id_never_the_key(sandbox: Served) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    wrong = "wrong-key-ABCDEFGHIJ"
    result = np6_command(server, "actions", "get", action_id, key=wrong)
    assert result.returncode == 1
    assert "401" in result.stderr
    assert "X-Key" in result.stderr
    assert re.search(r"request id:?\s+[0-9a-f-]{36}", result.stderr.replace("\n", " "))
    assert wrong not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_sending_an_unvalidated_action_explains_409(sandbox: Served) -> None:
    box, server = sandbox
    with box.client() as client:
        action = client.actions.create(np6.sms_action(name="Draft", text="Hi"))
    result = np6_command(server, "send", action.id, "--to", "+33600000001")
    assert result.returncode == 1
    assert "409" in result.stderr
    assert "validated for production" in result.stderr.replace("\n", " ")
    assert box.deliveries.count() == 0


def test_actions_get_list_validate_render(sandbox: Served) -> None:
    box, server = sandbox
    with box.client() as client:
        action = client.actions.create(email_action("Promo"))
    got = np6_command(server, "actions", "get", action.id, "--json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["name"] == "Promo"
    listed = np6_command(server, "actions", "list")
    assert action.id in listed.stdout
    assert "Promo" in listed.stdout
    validated = np6_command(server, "actions", "validate", action.id, "--test-segment", "7", "--json")
    assert json.loads(validated.stdout) == {"action_id": action.id, "phases": ["test", "production"]}
    again = np6_command(server, "actions", "validate", action.id)
    assert "already validated" in again.stdout
    rendered = np6_command(server, "actions", "render", action.id, "--to", "ada@example.com")
    assert rendered.returncode == 0, rendered.stderr
    assert "Hello ada@example.com" in rendered.stdout
    assert "subject: Hi ada@example.com" in rendered.stdout


def test_np6_sandbox_command_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [*NP6, "sandbox", "--port", "0", "--api-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(key=None),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert url, first
        assert f"NP6_API_KEY={KEY}" in process.stdout.readline() + process.stdout.readline()
        answer = httpx.get(f"{url.group(0)}/actions", headers={"X-Key": KEY})
        assert answer.status_code == 200
        assert answer.headers["x-request-id"]
        assert httpx.get(f"{url.group(0)}/actions").status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "stopped" in output


def test_report_folder_that_does_not_exist_exits_2_before_sending(sandbox: Served) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    result = np6_command(server, "send", action_id, "--to", "a@example.com", "--report", "/nonexistent/dir/out.csv")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert box.deliveries.count() == 0


def test_brackets_in_data_and_file_names_print_as_given(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    with box.client() as client:
        action = client.actions.create(np6.sms_action(name="Stop", text="Reply [stop] to opt out [/promo]"))
    rendered = np6_command(server, "actions", "render", action.id, "--to", "+33600000001")
    assert rendered.returncode == 0, rendered.stderr
    assert "Reply [stop] to opt out [/promo]" in rendered.stdout
    missing = np6_command(server, "send", action.id, "--csv", str(tmp_path / "[/x].csv"))
    assert missing.returncode == 2
    assert "[/x].csv" in missing.stderr
    assert "Traceback" not in missing.stderr


# ---------------------------------------------------------------------------------------------- send journals


PHONES = ["+33600000001", "+33600000002", "+33600000003"]


def test_journal_shows_a_send_and_writes_what_is_safe_to_send_again(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = unvalidated_sms_action(box)  # NP6 answers 409: nothing is processed, every message is failed
    journal = tmp_path / "send.journal"
    refused = np6_command(server, "send", action_id, "--to", *PHONES, "--journal", str(journal))
    assert refused.returncode == 1, refused.stderr

    shown = np6_command(server, "journal", str(journal))
    assert shown.returncode == 1, shown.stderr
    assert re.search(r"failed\s+.\s+3", shown.stdout)
    assert re.search(r"sent\s+.\s+0", shown.stdout)
    assert "can be sent again" in shown.stdout
    counts = np6_command(server, "journal", str(journal), "--json")
    assert counts.returncode == 1
    assert json.loads(counts.stdout) == {
        "journal": str(journal),
        "action_id": action_id,
        "channel": "sms",
        "messages": 3,
        "counts": {"sent": 0, "rejected": 0, "failed": 3, "unknown": 0},
        "ok": False,
    }
    retry, report = tmp_path / "retry.csv", tmp_path / "outcomes.jsonl"
    written = np6_command(server, "journal", str(journal), "--retryable", str(retry), "--report", str(report))
    assert written.returncode == 1, written.stderr
    assert retry.read_text().splitlines() == ["recipient", *PHONES]
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(line["index"], line["outcome"]) for line in lines] == [(0, "failed"), (1, "failed"), (2, "failed")]

    with box.client() as client:
        client.actions.validate(action_id, test_segments=[1])
    again = np6_command(server, "send", action_id, "--csv", str(retry))  # the retryable file is a send's input
    assert again.returncode == 0, again.stderr
    assert sorted(box.deliveries.recipients()) == PHONES


def test_journal_exit_codes(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = validated_email_action(box)
    journal = tmp_path / "done.journal"
    sent = np6_command(server, "send", action_id, "--to", "a@example.com", "b@example.com", "--journal", str(journal))
    assert sent.returncode == 0, sent.stderr
    done = np6_command(server, "journal", str(journal))
    assert done.returncode == 0, done.stderr
    assert re.search(r"sent\s+.\s+2", done.stdout)
    resumed = np6_command(
        server, "send", action_id, "--to", "a@example.com", "b@example.com", "--journal", str(journal)
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "2 already sent, 0 rejected, 0 unknown (not sent again), 0 to send" in " ".join(resumed.stderr.split())
    assert box.deliveries.count() == 2

    garbage = tmp_path / "garbage.journal"
    garbage.write_bytes(b"not an sqlite file at all" * 100)
    for path in (tmp_path / "missing.journal", garbage):
        unreadable = np6_command(None, "journal", str(path))
        assert unreadable.returncode == 2, unreadable.stderr
        assert "journal" in unreadable.stderr
        assert "Traceback" not in unreadable.stderr
    bad_option = np6_command(None, "journal", str(journal), "--retryable", str(tmp_path / "retry.txt"))
    assert bad_option.returncode == 2
    assert "--retryable must end in .csv or .jsonl" in bad_option.stderr
    same_file = np6_command(
        server, "send", action_id, "--to", "c@example.com", "--journal", str(journal), "--report", str(journal)
    )
    assert same_file.returncode == 2
    assert box.deliveries.count() == 2


def test_journal_retryable_messages_with_data_need_jsonl(sandbox: Served, tmp_path: Path) -> None:
    box, _ = sandbox
    action_id = unvalidated_sms_action(box)
    journal = tmp_path / "send.journal"
    with box.client() as client:
        report = client.actions.send_many(
            action_id, [np6.SmsMessage(phone, data={"code": "1234"}) for phone in PHONES], journal=journal
        )
    assert report.failed == 3
    as_csv = np6_command(None, "journal", str(journal), "--retryable", str(tmp_path / "retry.csv"))
    assert as_csv.returncode == 2
    assert "write --retryable to a .jsonl file" in " ".join(as_csv.stderr.split())
    assert not (tmp_path / "retry.csv").exists()
    as_jsonl = np6_command(None, "journal", str(journal), "--retryable", str(tmp_path / "retry.jsonl"))
    assert as_jsonl.returncode == 1, as_jsonl.stderr
    messages = [json.loads(line) for line in (tmp_path / "retry.jsonl").read_text().splitlines()]
    assert [message["recipient"]["value"] for message in messages] == [[phone] for phone in PHONES]
    assert all(message["data"] == {"code": "1234"} for message in messages)
