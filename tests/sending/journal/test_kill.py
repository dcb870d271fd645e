"""Kill -9 and resume: a sending process (sender_proc.py, beside this file) runs send_many with a journal against a real
HTTP NP6 on 127.0.0.1 served by this test process, and is SIGKILLed, again and again, at chosen instants:

- while a request is in flight: the server has recorded (processed) the batch and holds its answer back;
- right after the server wrote and flushed an answer, before the sender (likely) committed its outcome;
- at seeded random instants after its first request, and a few during start-up (journal creation, input check);

then the same command runs again on the same journal. After every kill the journal must read as a report with one
outcome per message it took, never `failed` for a message the server processed, and at most `concurrency` batches
more in flight than before the kill. At the end the send is complete: no message was processed twice, every
message has exactly one outcome, and the unknown ones are at most the batches in flight at the kills.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import np6
import pytest

from tests.sending.support import LoopbackNP6, check_complete, in_flight_rows, values_by_outcome

SENDER = Path(__file__).with_name("sender_proc.py")
COUNT = 3000
BATCH = 10


def spawn(server: LoopbackNP6, journal: Path, mode: str, concurrency: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NP6_")}
    command = [
        sys.executable,
        str(SENDER),
        server.url,
        str(journal),
        f"--count={COUNT}",
        f"--batch-size={BATCH}",
        f"--mode={mode}",
        f"--concurrency={concurrency}",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def kill(process: subprocess.Popen[str]) -> bool:
    """SIGKILL it; False when it had already ended by itself (it then must have succeeded)."""
    if process.poll() is not None:
        out, err = process.communicate()
        assert process.returncode == 0, (out, err)
        return False
    process.kill()
    process.communicate(timeout=30)
    return True


def wait_for(event: threading.Event, process: subprocess.Popen[str], timeout: float = 20) -> None:
    """Until the server sets `event` (or the sender ends by itself)."""
    deadline = time.monotonic() + timeout
    while not event.wait(0.002):
        if process.poll() is not None or time.monotonic() > deadline:
            return


def check_after_kill(journal: Path, server: LoopbackNP6, in_flight_before: int, concurrency: int) -> int:
    """The journal a killed sender left: consistent, safe to resume. Returns its number of in-flight rows."""
    server.wait_idle()
    assert not server.bad, server.bad
    assert max(server.processed.values(), default=1) == 1, "a message was processed twice"
    if not journal.exists():
        assert not server.processed
        return 0
    try:
        report = np6.SendReport.open(journal)
    except np6.JournalError:  # killed before it recorded its identity (or its tables): it cannot have sent anything
        assert not server.processed
        return in_flight_before
    check_complete(report, len(report))
    by = values_by_outcome(report)
    processed = set(server.processed)
    assert not processed & by[np6.Outcome.FAILED], "a message the server processed is recorded failed"
    assert not by[np6.Outcome.REJECTED]
    assert by[np6.Outcome.SENT] <= processed, "a message is recorded sent that the server never processed"
    # What is recorded is every message the server saw from this journal's sends (the taken ones).
    assert processed <= by[np6.Outcome.SENT] | by[np6.Outcome.UNKNOWN]
    in_flight = in_flight_rows(journal)
    assert in_flight - in_flight_before <= concurrency, f"{in_flight - in_flight_before} batches in flight at once"
    return in_flight


def kill_points(seed: int) -> list[tuple[str, float]]:
    rng = random.Random(seed)
    points: list[tuple[str, float]] = [
        ("in-flight", 2),
        ("answered", 3),
        ("in-flight", 1),
        ("answered", 1),
        ("start-up", rng.uniform(0.05, 0.4)),
    ]
    points += [("random", rng.uniform(0.0, 0.08)) for _ in range(6)]
    points += [("in-flight", rng.randint(2, 6)), ("answered", rng.randint(2, 6)), ("start-up", rng.uniform(0, 0.4))]
    return points


def kill_repeatedly(loopback: LoopbackNP6, journal: Path, mode: str, concurrency: int, seed: int) -> tuple[int, int]:
    """Run the send again and again on one journal, SIGKILLing it at each kill point; returns how many times it was
    killed and how many batches the journal then records in flight."""
    in_flight = 0
    kills = 0
    for kind, value in kill_points(seed):
        if kind == "in-flight":
            loopback.arm(block_at=int(value))
        elif kind == "answered":
            loopback.arm(signal_at=int(value))
        else:
            loopback.arm()
        process = spawn(loopback, journal, mode, concurrency)
        if kind == "in-flight":
            wait_for(loopback.blocked, process)
        elif kind == "answered":
            wait_for(loopback.answered, process)
        elif kind == "random":
            wait_for(loopback.started, process)
            time.sleep(value)
        else:
            time.sleep(value)
        killed = kill(process)
        loopback.release.set()
        kills += killed
        before = in_flight
        in_flight = check_after_kill(journal, loopback, in_flight, concurrency)
        if killed and kind == "in-flight":  # recorded before its request went out, so now in flight for ever
            assert in_flight > before, "a batch whose request the server holds is not recorded in flight"
        if not killed:
            break
    return kills, in_flight


@pytest.mark.parametrize(
    ("mode", "concurrency", "seed", "refuse_every"),
    [("sync", 1, 11, 5), ("async", 3, 12, None), ("async", 2, 13, 4)],
    ids=["sync-503s", "async-3", "async-2-503s"],
)
def test_kill_9_at_many_points_then_resume(
    loopback: LoopbackNP6, tmp_path: Path, mode: str, concurrency: int, seed: int, refuse_every: int | None
) -> None:
    """With `refuse_every`, some batches fail (503) and are resent by the next run: kills land in resends too."""
    journal = tmp_path / "send.np6journal"
    loopback.refuse_every = refuse_every
    kills, in_flight = kill_repeatedly(loopback, journal, mode, concurrency, seed)
    assert kills >= 10, "the send ended before the kill points were reached: make it longer"

    loopback.arm()
    loopback.refuse_every = None
    process = spawn(loopback, journal, mode, concurrency)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (out, err)
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["length"] == COUNT

    loopback.wait_idle()
    assert not loopback.bad, loopback.bad
    report = np6.SendReport.open(journal)
    check_complete(report, COUNT)
    by = values_by_outcome(report)
    processed = set(loopback.processed)
    assert max(loopback.processed.values()) == 1, "a message was processed twice"
    assert by[np6.Outcome.SENT] == processed - by[np6.Outcome.UNKNOWN]
    assert by[np6.Outcome.FAILED] == by[np6.Outcome.REJECTED] == set()
    assert summary["counts"] == report.counts
    # Unknown: only the batches in flight at a kill, at most `concurrency` of them per kill.
    rows = in_flight_rows(journal)
    assert rows == in_flight <= kills * concurrency
    assert report.unknown <= rows * BATCH
    # Everything not unknown went out exactly once.
    assert len(processed | by[np6.Outcome.UNKNOWN]) == COUNT
