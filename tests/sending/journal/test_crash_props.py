"""The property tests of test_send_many.py with a journal, a process death in the middle, and a resume.

A send_many with a journal runs against the fake server (faults per request, recipients it cannot resolve, inputs
the client refuses) and "dies" at a chosen instant: `ProcessDeath`, a BaseException, is raised from the transport
before or after the server processed a request, or from inside a journal write, before or after its commit. From
then on the server processes nothing (a dead process sends nothing). The send is then resumed with the same input
and journal: either the journal the dying send left (it records what was in flight on the way out), or a snapshot
of the journal files taken at the very instant of death (what SIGKILL would have left on disk).

After the resume: every input has exactly one outcome, the fake server processed no message twice, and each
outcome is what the server did (`unknown` only for batches in flight at the death or given an unclear answer, and,
on the disk image, batches answered whose outcome was not yet written: at most the concurrency in all).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from np6._sending import journal as _journal

from tests.sending.batch_faults import FAULTS
from tests.sending.support import (
    FakeNP6,
    ProcessDeath,
    address,
    check_complete,
    outcome_of,
    send,
    snapshot,
)

SENT, REJECTED, FAILED, UNKNOWN = np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.FAILED, np6.Outcome.UNKNOWN

scenarios = st.fixed_dictionaries(
    {
        "count": st.integers(min_value=0, max_value=40),
        "batch_size": st.integers(min_value=1, max_value=8),
        "faults": st.lists(st.sampled_from(FAULTS), max_size=10),
        "unknown": st.sets(st.integers(min_value=0, max_value=39), max_size=5),
        "invalid": st.sets(st.integers(min_value=0, max_value=39), max_size=3),
        "death_at": st.integers(min_value=1, max_value=9),
        "phase": st.sampled_from(["before", "after"]),
        "image": st.sampled_from(["left", "disk"]),
    }
)


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A fresh directory per example, in memory when possible (fsyncs would cost most of the run time)."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    directory = Path(tempfile.mkdtemp(prefix="np6-crash-", dir=base))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def build(s: dict[str, Any]) -> tuple[list[str], list[str], set[int], FakeNP6]:
    count = s["count"]
    invalid = {i for i in s["invalid"] if i < count}
    values = [address(i) for i in range(count)]
    inputs = ["   " if i in invalid else value for i, value in enumerate(values)]
    server = FakeNP6(list(s["faults"]), frozenset(address(i) for i in s["unknown"]))
    return values, inputs, invalid, server


class Death:
    """Kills the sender at the `at`-th request in `phase`, snapshotting the journal first when asked."""

    def __init__(self, server: FakeNP6, at: int, phase: str, journal: Path, image: Path | None) -> None:
        self.server, self.at, self.phase, self.journal, self.image = server, at, phase, journal, image
        self.happened = False
        self.in_flight: set[str] = set()  # values of the requests the server was handling at the instant

    def __call__(self, number: int, phase: str, values: list[str]) -> None:
        if number != self.at or phase != self.phase:
            return
        self.die()

    def die(self) -> None:
        self.happened = True
        self.in_flight = {v for batch in self.server.in_flight.values() for v in batch}
        if self.image is not None:
            snapshot(self.journal, self.image)
        self.server.dead = True
        raise ProcessDeath(f"killed at request {self.at} ({self.phase} processing)")


def check_partial(report: np6.SendReport, server: FakeNP6) -> None:
    """The report a dying send left: each message taken once, nothing processed called failed or never processed
    called sent."""
    check_complete(report, len(report))
    for item in report:
        if item.recipient is None:
            assert item.outcome is REJECTED
            continue
        value = item.recipient["value"][0]
        if item.outcome is FAILED:
            assert server.processed[value] == 0, (item, "processed but failed")
        if item.outcome is SENT:
            assert server.answered.get(value) == "success", (item, "sent without a success from the server")
        if item.outcome is UNKNOWN:
            # Unknown only once its request was handed to the transport: it reached the server, or (batches in
            # parallel) it reached a transport another batch's death had already stopped; the client cannot tell.
            assert server.entered[value] or server.after_death[value], (item, "unknown but never handed over")


def check_resumed(
    report: np6.SendReport,
    server: FakeNP6,
    values: list[str],
    invalid: set[int],
    allowed_unknown: Callable[[str], bool],
) -> None:
    check_complete(report, len(values))
    assert all(count == 1 for count in server.processed.values()), server.processed.most_common(3)
    for item, value in zip(report, values, strict=True):
        if item.index in invalid:
            assert item.outcome is REJECTED
            assert "invalid input" in (item.reason or "")
            assert server.entered[value] == 0
            continue
        assert item.recipient == {"type": "unicity", "value": [value]}
        expected = server.expected(value)
        if item.outcome is UNKNOWN and expected is not UNKNOWN:
            assert allowed_unknown(value), (item, f"unknown, but the server says {expected}")
            continue
        assert item.outcome is expected, (item, value, server.processed[value], server.answered.get(value))
        if item.outcome is SENT:
            assert item.message_id == f"M-{value}"
    retryable = {m.recipient.value[0] for m in report.retryable()}  # type: ignore[union-attr]
    assert retryable == {item.recipient["value"][0] for item in report if item.outcome is FAILED}
    assert not retryable & set(server.processed)


def run_scenario(mode: str, s: dict[str, Any], concurrency: int) -> None:
    values, inputs, invalid, server = build(s)
    with scratch_dir() as directory:
        journal = directory / "send.np6journal"
        image = directory / "at-death.np6journal" if s["image"] == "disk" else None
        death = Death(server, s["death_at"], s["phase"], journal, image)
        server.hook = death
        options = {"batch_size": s["batch_size"], "concurrency": concurrency}
        report, error = outcome_of(mode, server, list(inputs), journal=journal, **options)
        if death.happened:
            assert type(error) is ProcessDeath, repr(error)
            check_partial(report, server)
        else:
            assert error is None, repr(error)
        server.hook, server.dead = None, False
        resumed_from = image if image is not None and death.happened else journal
        final = send(mode, server, list(inputs), journal=resumed_from, **options)
        if resumed_from is image:
            # What SIGKILL leaves: a batch's outcome is written with the next batch's record, so besides those in
            # flight, a batch answered just before the death may be recorded in flight too. Never more batches
            # than the concurrency: each slot holds one or the other.
            check_resumed(final, server, values, invalid, lambda value: True)
            unknown = [i.recipient["value"][0] for i in final if i.outcome is UNKNOWN and i.recipient is not None]
            unexplained = {v for v in unknown if server.expected(v) is not UNKNOWN}
            assert len(unexplained) <= concurrency * s["batch_size"], unexplained
            assert not {v for v in unexplained if not server.entered[v]} - death.in_flight
        else:
            # Unknown: in flight at the death, or (batches in parallel) handed to the transport after it, which the
            # simulated death refused unseen; a real death would have stopped those tasks, the client cannot tell.
            check_resumed(final, server, values, invalid, lambda v: v in death.in_flight or bool(server.after_death[v]))
        # The journal agrees with the report it produced.
        reopened = np6.SendReport.open(resumed_from)
        assert [i.outcome for i in reopened] == [i.outcome for i in final]


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_death_in_the_transport_then_resume_sync(s: dict[str, Any]) -> None:
    run_scenario("sync", s, 1)


@settings(max_examples=70, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios, st.integers(min_value=1, max_value=4))
def test_death_in_the_transport_then_resume_async(s: dict[str, Any], concurrency: int) -> None:
    run_scenario("async", s, concurrency)


# ------------------------------------------------------------------------------- death inside a journal write


class JournalDeath:
    """Kills the sender at its `at`-th journal write, before the write or once it is committed, after a snapshot of
    the journal files at that instant."""

    def __init__(self, server: FakeNP6, at: int, phase: str, journal: Path, image: Path) -> None:
        self.server, self.at, self.phase, self.journal, self.image = server, at, phase, journal, image
        self.writes = 0
        self.happened = False
        self.entered: set[str] = set()

    @contextlib.contextmanager
    def patched(self) -> Iterator[None]:
        original = _journal.Journal._transaction
        death = self

        @contextlib.contextmanager
        def transaction(journal: Any) -> Iterator[Any]:
            if death.server.dead:
                raise ProcessDeath("the sender is dead")
            death.writes += 1
            number = death.writes
            if number == death.at and death.phase == "before":
                death.die()
            with original(journal) as db:
                yield db
            if number == death.at and death.phase == "after":
                death.die()

        with mock.patch.object(_journal.Journal, "_transaction", transaction):
            yield

    def die(self) -> None:
        self.happened = True
        self.entered = set(self.server.entered)
        snapshot(self.journal, self.image)
        self.server.dead = True
        raise ProcessDeath(f"killed at journal write {self.at} ({self.phase} its commit)")


@pytest.mark.skipif(not hasattr(_journal.Journal, "_transaction"), reason="journal writes have no single helper")
@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios, st.sampled_from(["sync", "async"]), st.integers(min_value=1, max_value=3), st.integers(1, 20))
def test_death_inside_a_journal_write_then_resume(s: dict[str, Any], mode: str, concurrency: int, write: int) -> None:
    values, inputs, invalid, server = build(s)
    with scratch_dir() as directory:
        journal = directory / "send.np6journal"
        image = directory / "at-death.np6journal"
        death = JournalDeath(server, write, s["phase"], journal, image)
        options = {"batch_size": s["batch_size"], "concurrency": concurrency}
        raised: BaseException | None = None
        with death.patched():
            try:
                send(mode, server, list(inputs), journal=journal, **options)
            except BaseException as error:  # whatever the dying send raised: the process is gone
                raised = error
        assert raised is None or death.happened, repr(raised)
        server.dead = False
        if not death.happened:
            return
        try:
            final = send(mode, server, list(inputs), journal=image, **options)
        except np6.JournalError as error:
            raised = error
        if isinstance(raised, np6.JournalError):
            # Only a journal that died before recording its identity may be refused, and nothing was sent then.
            assert not server.requests, raised
            return
        requests_at_death = death.entered
        unsent_unknown: set[str] = set()

        def allowed(value: str) -> bool:
            # In flight at the death: recorded in flight, outcome not committed. Its request had reached the server,
            # or it was the batch just recorded, its request about to go out (conservatively unknown).
            if value not in requests_at_death:
                unsent_unknown.add(value)
            return True

        check_resumed(final, server, values, invalid, allowed)
        unexplained = {
            item.recipient["value"][0]
            for item in final
            if item.outcome is UNKNOWN
            and item.recipient is not None
            and server.expected(item.recipient["value"][0]) is not UNKNOWN
        }
        # At most `concurrency` batches were between "recorded in flight" and "outcome committed" at the death, and
        # of those at most one (the one being recorded) had not reached the server yet.
        assert len(unexplained) <= concurrency * s["batch_size"], unexplained
        assert len(unsent_unknown) <= s["batch_size"], unsent_unknown
        assert not unsent_unknown & set(server.processed)
