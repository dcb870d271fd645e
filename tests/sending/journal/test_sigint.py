"""Ctrl-C at every line of a synchronous send_many.

Python raises KeyboardInterrupt between any two bytecodes, and np6 promises that Ctrl-C lands between two records,
never inside one (`np6._core.interrupts`). Here the interrupt is delivered deterministically: a trace function counts
the line events of np6's own code while send_many runs and, at the N-th, raises a real SIGINT
(`signal.raise_signal`), which goes through the handler send_many installed, critical sections included. For every
N: the report (or the journal) holds every message taken exactly once, what the fake server processed is `sent` or
`unknown` (never `failed`, which would invite a second send), and resuming with the journal sends nothing twice.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import np6
import pytest

from tests.sending.support import ACTION, FakeNP6, address, outcomes, send, sync_client, values_by_outcome

NP6_DIR = os.path.dirname(np6.__file__) + os.sep
MESSAGES = [address(i) for i in range(4)]  # two batches of two
Tracer = Callable[[FrameType, str, Any], Any]


class LineInterrupter:
    """A trace function that raises SIGINT at the `target`-th line event of np6's code."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.lines = 0
        self.fired_at: tuple[str, int, str] | None = None

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Tracer | None:
        if self.fired_at is None and frame.f_code.co_filename.startswith(NP6_DIR):
            return self._line
        return None

    def _line(self, frame: FrameType, event: str, arg: Any) -> Tracer | None:
        if self.fired_at is not None:
            return None
        if event == "line":
            self.lines += 1
            if self.lines == self.target:
                self.fired_at = (os.path.basename(frame.f_code.co_filename), frame.f_lineno, frame.f_code.co_name)
                signal.raise_signal(signal.SIGINT)
        return self._line


def interrupted_send(target: int, journal: Path) -> tuple[FakeNP6, LineInterrupter, np6.SendReport | None, Any]:
    server = FakeNP6()
    tracer = LineInterrupter(target)
    report: np6.SendReport | None = None
    error: BaseException | None = None
    previous = sys.gettrace()  # coverage's, in a measured run: given back after the send
    with sync_client(server) as client:
        sys.settrace(tracer)
        try:
            report = client.actions.send_many(ACTION, iter(MESSAGES), channel="email", batch_size=2, journal=journal)
        except BaseException as exc:  # what Ctrl-C made of it is checked below
            error = exc
        finally:
            sys.settrace(previous)
    if error is not None:
        report = np6.SendInterrupted.report_of(error)
    return server, tracer, report, error


Where = tuple[str, int, str] | None


def _open_recorded(journal: Path) -> tuple[np6.SendReport | None, bool]:
    """The journal as a report (None when it recorded nothing yet), and whether it was still locked by the
    interrupted send (then the exception's frames are collected to release it)."""
    locked = False
    for _ in range(2):
        try:
            return (np6.SendReport.open(journal) if journal.exists() else None), locked
        except np6.JournalLockedError:
            locked = True
            gc.collect()
        except np6.JournalError:  # interrupted before it recorded its identity (or its tables)
            return None, locked
    raise AssertionError(f"{journal} stays locked")


def problems_at(target: int, directory: Path) -> tuple[Where, dict[str, str]]:
    """Interrupt a send at line `target`, then resume it; returns where it was interrupted and what went wrong, by
    property: "safety" (a processed message failed, a message sent twice), "complete" (messages without an
    outcome), "report" (Ctrl-C after requests went out without the partial report), "lock" (the journal left open
    and locked by the interrupted send, until its exception is garbage collected)."""
    journal = directory / f"send-{target}.np6journal"
    server, tracer, report, error = interrupted_send(target, journal)
    found: dict[str, str] = {}
    processed = set(server.processed)
    if error is not None and server.requests and not isinstance(error, np6.SendKeyboardInterrupt):
        found["report"] = f"Ctrl-C after requests went out raised {type(error).__name__}, without the partial report"
    if report is not None:
        given = sum(report.counts.values())
        if [item.index for item in report] != list(range(len(report))) or given != len(report):
            found["complete"] = f"the report counts {len(report)} messages but gives {given} outcomes"
        by = values_by_outcome(report)
        if processed & by[np6.Outcome.FAILED]:
            found["safety"] = "a message NP6 processed is reported failed (safe to resend)"
        if by[np6.Outcome.SENT] - processed:
            found["safety"] = "a message NP6 never processed is reported sent"
    del error, report
    recorded, locked = _open_recorded(journal)
    if locked:
        found["lock"] = "the journal is still locked by the interrupted send in this process"
    if recorded is None:
        assert not server.requests, "requests went out but the journal records nothing"
    if recorded is not None and processed & values_by_outcome(recorded)[np6.Outcome.FAILED]:
        found["safety"] = "the journal records a message NP6 processed as failed"
    final = send("sync", server, iter(MESSAGES), batch_size=2, journal=journal)
    if any(count > 1 for count in server.processed.values()):
        found["safety"] = f"resuming sent a message twice: {dict(server.processed)}"
    if len(final) != len(MESSAGES) or "failed" in outcomes(final):
        found["safety"] = f"resuming did not complete the send: {final.counts}"
    return tracer.fired_at, found


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory for a thousand journals: in memory (tmpfs) when there is one, as fsyncs cost most of the time
    and a process-local interruption does not depend on them."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        directory = Path(tempfile.mkdtemp(prefix="np6-sigint-", dir="/dev/shm"))
        yield directory
        shutil.rmtree(directory, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("sigint")


@pytest.fixture(scope="module")
def sweep(scratch: Path) -> dict[str, dict[Where, str]]:
    """Ctrl-C at each line event of np6's code during a send of two batches with a journal, once per line."""
    directory = scratch
    _, tracer, report, error = interrupted_send(10**9, directory / "count.np6journal")
    assert error is None
    assert report is not None
    assert report.sent == len(MESSAGES)
    assert tracer.lines > 300, tracer.lines
    found: dict[str, dict[Where, str]] = {"safety": {}, "complete": {}, "report": {}, "lock": {}}
    for target in range(1, tracer.lines + 1):
        where, problems = problems_at(target, directory)
        if where is None:  # past the last line of this send (the first one ran some one-time code)
            break
        for kind, problem in problems.items():
            found[kind].setdefault(where, problem)
    return found


def _listed(found: dict[Where, str]) -> str:
    return "\n".join(f"{where}: {problem}" for where, problem in found.items())


def test_ctrl_c_at_any_line_never_makes_a_processed_message_failed_nor_a_resume_send_twice(
    sweep: dict[str, dict[Where, str]],
) -> None:
    assert not sweep["safety"], _listed(sweep["safety"])


def test_ctrl_c_at_any_line_leaves_every_taken_message_one_outcome(sweep: dict[str, dict[Where, str]]) -> None:
    assert not sweep["complete"], _listed(sweep["complete"])


def test_ctrl_c_at_any_line_keeps_the_report(sweep: dict[str, dict[Where, str]]) -> None:
    assert not sweep["report"], _listed(sweep["report"])


def test_ctrl_c_at_any_line_releases_the_journal(sweep: dict[str, dict[Where, str]]) -> None:
    assert not sweep["lock"], _listed(sweep["lock"])
