"""One journal, one send: a second process (or a second send in this one) is refused, an input that is not the
recorded one is refused before any request, and neither leaves the journal changed. Plus resuming after a resend,
and a disk that fills up under the journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import np6
import pytest
from np6._sending import journal as _journal

from tests.sending.support import (
    ACTION,
    FakeNP6,
    LoopbackNP6,
    address,
    async_client,
    check_complete,
    outcome_of,
    outcomes,
    send,
    sync_client,
    values_by_outcome,
)

HERE = Path(__file__).resolve().parent
SENDER = HERE / "sender_proc.py"


def sender(server: LoopbackNP6, journal: Path, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NP6_")}
    command = [sys.executable, str(SENDER), server.url, str(journal), "--count=200", "--batch-size=10", *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def integrity(journal: Path) -> str:
    db = sqlite3.connect(journal)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("second_mode", ["sync", "async"])
def test_a_second_process_on_the_journal_is_refused(loopback: LoopbackNP6, tmp_path: Path, second_mode: str) -> None:
    journal = tmp_path / "send.np6journal"
    loopback.arm(block_at=3)
    first = sender(loopback, journal, "--mode=sync")
    try:
        assert loopback.blocked.wait(20), first.stderr.read() if first.stderr else ""
        requests = loopback.requests
        second = sender(loopback, journal, f"--mode={second_mode}", "--concurrency=2")
        out, err = second.communicate(timeout=30)
        assert second.returncode == 3, (out, err)
        assert json.loads(out.strip().splitlines()[-1])["error"] == "JournalLockedError"
        # This process cannot take it either, to send or to read.
        with pytest.raises(np6.JournalLockedError):
            np6.SendReport.open(journal)
        fake = FakeNP6()
        with pytest.raises(np6.JournalLockedError):
            send("sync", fake, [address(i) for i in range(200)], batch_size=10, journal=journal)
        assert fake.requests == 0
        assert loopback.requests == requests, "a refused send made a request"
    finally:
        loopback.release.set()
    out, err = first.communicate(timeout=30)
    assert first.returncode == 0, (out, err)
    report = np6.SendReport.open(journal)
    check_complete(report, 200)
    assert report.counts == {"sent": 200, "rejected": 0, "failed": 0, "unknown": 0}
    assert loopback.processed == {address(i): 1 for i in range(200)}
    assert integrity(journal) == "ok"


def test_two_sends_on_one_journal_in_one_event_loop(tmp_path: Path) -> None:
    journal = tmp_path / "send.np6journal"
    server = FakeNP6(async_delay=0.005)
    values = [address(i) for i in range(60)]

    async def run() -> list[Any]:
        async with async_client(server) as client:
            first = client.actions.send_many(ACTION, values, channel="email", batch_size=5, journal=journal)
            second = client.actions.send_many(ACTION, values, channel="email", batch_size=5, journal=journal)
            return await asyncio.gather(first, second, return_exceptions=True)

    first, second = asyncio.run(run())
    assert isinstance(first, np6.SendReport), first
    assert isinstance(second, np6.JournalLockedError), second
    assert outcomes(first) == ["sent"] * 60
    assert server.processed == dict.fromkeys(values, 1)
    assert outcomes(np6.SendReport.open(journal)) == ["sent"] * 60


# ------------------------------------------------------------------------------------------ input mismatch


def _partial_journal(journal: Path, mode: str) -> FakeNP6:
    """A journal of 40 of 100 messages: batches 0-1 sent, batch 2 failed (503 until retries ran out), batch 3
    sent, then on_progress stopped the send."""
    server = FakeNP6(["ok", "ok", "503", "503", "503"])
    calls: list[int] = []

    def progress(_: np6.SendProgress) -> None:
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("stop here")

    report, error = outcome_of(
        mode,
        server,
        [address(i) for i in range(100)],
        batch_size=10,
        concurrency=1,
        journal=journal,
        on_progress=progress,
    )
    assert isinstance(error, np6.SendAborted)
    assert outcomes(report) == ["sent"] * 20 + ["failed"] * 10 + ["sent"] * 10
    return server


def _changed(index: int) -> list[Any]:
    values: list[Any] = [address(i) for i in range(100)]
    values[index] = "someone.else@example.com"
    return values


MISMATCHES: dict[str, Any] = {
    "a sent message changed": lambda: _changed(3),
    "a failed message changed": lambda: _changed(25),
    "the last recorded message changed": lambda: _changed(39),
    "two messages swapped": lambda: [address(1), address(0), *(address(i) for i in range(2, 100))],
    "a message dropped": lambda: [address(i) for i in range(100) if i != 10],
    "a message inserted first": lambda: ["new@example.com", *(address(i) for i in range(100))],
    "fewer messages than recorded": lambda: [address(i) for i in range(30)],
    "no messages": lambda: [],
    "typed messages with data": lambda: [np6.EmailMessage(address(i), data={"n": i}) for i in range(100)],
    "the same address, other case": lambda: [address(i).upper() if i == 5 else address(i) for i in range(100)],
}


@pytest.mark.parametrize("case", sorted(MISMATCHES))
def test_an_input_that_is_not_the_recorded_one_is_refused_before_any_request(
    mode: str, case: str, tmp_path: Path
) -> None:
    journal = tmp_path / "send.np6journal"
    server = _partial_journal(journal, mode)
    before = outcomes(np6.SendReport.open(journal))
    requests = server.requests
    pulled: list[int] = []

    def reading(items: list[Any]) -> Any:
        for i, item in enumerate(items):
            pulled.append(i)
            yield item

    with pytest.raises(np6.JournalMismatchError) as caught:
        send(mode, server, reading(MISMATCHES[case]()), batch_size=10, journal=journal)
    assert isinstance(caught.value, np6.JournalError)
    assert isinstance(caught.value, np6.NP6Error)
    assert server.requests == requests, "a request went out before the mismatch was found"
    assert outcomes(np6.SendReport.open(journal)) == before, "the refused resume changed the journal"
    # The journal is not left locked, and the right input still resumes it: nothing twice.
    final = send(mode, server, [address(i) for i in range(100)], batch_size=10, journal=journal)
    assert outcomes(final) == ["sent"] * 100
    assert server.processed == {address(i): 1 for i in range(100)}


@pytest.mark.parametrize(("what", "changes"), [("action", {"action": "000XYZ"}), ("channel", {"channel": "sms"})])
def test_another_action_or_channel_is_refused_before_any_request(
    mode: str, what: str, changes: dict[str, str], tmp_path: Path
) -> None:
    journal = tmp_path / "send.np6journal"
    server = _partial_journal(journal, mode)
    requests = server.requests
    values = [address(i) for i in range(100)]
    with pytest.raises(np6.JournalMismatchError, match=what):
        send_to(
            mode,
            server,
            changes.get("action", ACTION),
            values,
            channel=changes.get("channel", "email"),
            journal=journal,
        )
    assert server.requests == requests


def send_to(mode: str, server: FakeNP6, action: str, values: list[str], **options: Any) -> np6.SendReport:
    """send_many to another action than the fake's."""
    if mode == "sync":
        with sync_client(server) as client:
            return client.actions.send_many(action, values, **options)

    async def run() -> np6.SendReport:
        async with async_client(server) as client:
            return await client.actions.send_many(action, values, **options)

    return asyncio.run(run())


@pytest.mark.parametrize("batch_size", [1, 7, 25])
def test_resuming_with_another_batch_size_sends_nothing_twice(mode: str, batch_size: int, tmp_path: Path) -> None:
    journal = tmp_path / "send.np6journal"
    server = _partial_journal(journal, mode)
    values = [address(i) for i in range(100)]
    try:
        final = send(mode, server, values, batch_size=batch_size, journal=journal)
    except np6.JournalMismatchError:  # refusing another batch size is fine too, if nothing went out
        assert server.requests == 6
        return
    assert outcomes(final) == ["sent"] * 100
    assert server.processed == dict.fromkeys(values, 1)


def test_resuming_a_resume_of_typed_messages(mode: str, tmp_path: Path) -> None:
    """Messages with every field, through a failed batch resent by a first resume, then a second resume."""
    journal = tmp_path / "send.np6journal"

    def messages() -> list[Any]:
        return [
            np6.EmailMessage(
                address(i),
                subject=f"Hello {i}",
                sender=np6.Sender("news", "example.com", "News"),
                reply_to="reply@example.com",
                data={"z": i, "a": [1.5, None, {"k": "v\u2028"}]},
                extra={"zz": 1},
                copies=[np6.Copy(f"copy{i}@example.com", blind=True)],
                urgent=True,
            )
            for i in range(12)
        ]

    server = FakeNP6(["503", "503", "503"])
    first = send(mode, server, messages(), batch_size=4, concurrency=1, journal=journal)
    assert outcomes(first) == ["failed"] * 4 + ["sent"] * 8
    second = send(mode, server, messages(), batch_size=4, journal=journal)
    assert outcomes(second) == ["sent"] * 12
    third = send(mode, server, messages(), batch_size=4, journal=journal)
    assert outcomes(third) == ["sent"] * 12
    assert server.processed == {address(i): 1 for i in range(12)}


@pytest.mark.parametrize("extra", [{"subject": "Hi"}, {"data": {"k": 1}}], ids=["subject", "data"])
def test_resuming_a_resume_of_messages_with_modelled_extra_fields(
    mode: str, extra: dict[str, Any], tmp_path: Path
) -> None:
    journal = tmp_path / "send.np6journal"

    def messages() -> list[Any]:
        return [np6.EmailMessage(address(i), extra=extra) for i in range(8)]

    server = FakeNP6(["503", "503", "503"])
    assert outcomes(send(mode, server, messages(), batch_size=4, concurrency=1, journal=journal)) == (
        ["failed"] * 4 + ["sent"] * 4
    )
    assert outcomes(send(mode, server, messages(), batch_size=4, journal=journal)) == ["sent"] * 8
    report, error = outcome_of(mode, server, messages(), batch_size=4, journal=journal)
    assert error is None, f"the second resume of the same input was refused: {error!r}"
    assert outcomes(report) == ["sent"] * 8


def test_what_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    with pytest.raises(np6.JournalError):
        np6.SendReport.open(tmp_path / "missing.np6journal")
    garbage = tmp_path / "garbage.np6journal"
    garbage.write_bytes(b"not an sqlite file at all" * 100)
    with pytest.raises(np6.JournalError):
        np6.SendReport.open(garbage)
    server = FakeNP6()
    with pytest.raises(np6.JournalError):
        send("sync", server, [address(0)], journal=garbage)
    assert server.requests == 0
    assert garbage.read_bytes() == b"not an sqlite file at all" * 100
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('format', 'something-else/9')")
    db.commit()
    db.close()
    with pytest.raises(np6.JournalError):
        send("sync", server, [address(0)], journal=other)
    assert server.requests == 0


# ------------------------------------------------------------------------------------------------ full disk


@pytest.fixture(scope="module")
def disk_full(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """send_many under file-size limits that make a different journal write fail each time (disk_full_proc.py)."""
    directory = tmp_path_factory.mktemp("disk-full")
    limits = [str(limit) for limit in range(20_000, 300_000, 4_500)]
    done = subprocess.run(
        [sys.executable, str(HERE / "disk_full_proc.py"), str(directory), *limits],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_full_disk_never_makes_a_processed_message_failed_nor_a_resume_send_twice(
    disk_full: list[dict[str, Any]],
) -> None:
    assert len(disk_full) > 50
    assert any(trial["raised"] for trial in disk_full), "no limit made a journal write fail"
    assert any(trial.get("report") for trial in disk_full if trial["raised"])
    for trial in disk_full:
        assert trial["raised"] in (None, "SendAborted", "JournalError"), trial
        assert trial.get("report_failed_but_processed", 0) == 0, trial
        assert trial.get("report_complete", True), trial
        assert trial.get("journal_failed_but_processed", 0) == 0, trial
        assert trial.get("journal_processed_missing", 0) == 0, trial
        assert trial["processed_twice"] == 0, trial
        assert "resume_error" not in trial, trial
        assert sum(trial["resumed"].values()) == 600, trial
        assert trial["resumed"]["failed"] == 0, trial


def test_a_full_disk_still_gives_the_partial_report_and_releases_the_journal(disk_full: list[dict[str, Any]]) -> None:
    for trial in disk_full:
        # A journal that cannot even be opened raises before any request: there is no report to give then.
        if trial["raised"] is not None and trial["processed_by_the_send"]:
            assert trial["report"], trial
        assert not trial["locked_after"], trial


@pytest.mark.skipif(not hasattr(_journal.Journal, "_transaction"), reason="journal writes have no single helper")
@pytest.mark.parametrize("failing_write", range(1, 16))
def test_a_journal_write_that_fails_once_never_makes_a_processed_message_failed(
    mode: str, failing_write: int, tmp_path: Path
) -> None:
    """One journal commit fails (a full disk, an I/O error) and is rolled back; the writes after it succeed."""
    original = _journal.Journal._transaction
    writes = [0]

    @contextlib.contextmanager
    def transaction(journal: Any) -> Iterator[Any]:
        writes[0] += 1
        number = writes[0]
        with original(journal) as db:
            yield db
            if number == failing_write:
                raise sqlite3.OperationalError("database or disk is full")

    server = FakeNP6()
    journal = tmp_path / "send.np6journal"
    values = [address(i) for i in range(30)]
    raised: BaseException | None = None
    with mock.patch.object(_journal.Journal, "_transaction", transaction):
        try:
            report: np6.SendReport | None = send(mode, server, values, batch_size=5, concurrency=2, journal=journal)
        except BaseException as error:  # judged below
            raised = error
            report = np6.SendInterrupted.report_of(error)
    assert raised is None or isinstance(raised, np6.NP6Error), repr(raised)
    processed = set(server.processed)
    if report is not None:
        check_complete(report, len(report))
        assert not processed & values_by_outcome(report)[np6.Outcome.FAILED], "processed, reported failed"
    gc.collect()
    recorded = np6.SendReport.open(journal) if failing_write > 1 else None
    if recorded is not None:
        by = values_by_outcome(recorded)
        assert not processed & by[np6.Outcome.FAILED], "processed, recorded failed"
        assert processed <= by[np6.Outcome.SENT] | by[np6.Outcome.UNKNOWN]
    final = send(mode, server, values, batch_size=5, journal=journal)
    check_complete(final, 30)
    assert all(count == 1 for count in server.processed.values()), server.processed
    assert "failed" not in outcomes(final)
