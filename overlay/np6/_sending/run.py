"""One `send_many` call from start to end, for both clients: what is read from the input, what is sent, what is
resumed from a journal, and what is left when the send is interrupted.

The clients' `send_many` are two small drivers of this (a loop, and a loop with bounded concurrency); the rules live
here once:
- messages are taken from the input a batch at a time, and each index is reserved in the report when taken;
- an exception from the input iterable keeps the messages taken before it (recorded `failed`, not sent), lets the
  batches in flight finish, and stops the send with `SendAborted`;
- an exception from `on_progress` stops taking new batches likewise;
- Ctrl-C and cancellation stop at once: batches in flight are `unknown`, taken ones not started are `failed`;
- with a journal that already records this send, the input is first checked against it (before any request), then
  the messages not yet sent are sent: `failed` and never-started ones, and `unknown` ones only when
  `resend_unknown=True`.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import os
from array import array
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from contextlib import suppress
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, cast

from .._content.channel import Channel
from .._core.errors import (
    InvalidInputError,
    JournalError,
    JournalMismatchError,
    SendAborted,
    SendInterrupted,
    SendKeyboardInterrupt,
)
from .._core.interrupts import critical
from .batches import BatchSender, Indexes, ProgressCallback, Recorded
from .journal import FINGERPRINT_SIZE, Journal
from .report import CODE, Outcome, Recorder, SendReport

if TYPE_CHECKING:
    from .._resources.actions import ActionsFlows

__all__ = [
    "TAKE_INPUT",
    "AsyncSource",
    "SendRun",
    "Source",
    "TakeInput",
    "Work",
    "cancel_all",
    "check_send_options",
    "open_journal",
    "raise_stopped",
]

JournalPath = str | os.PathLike[str]


def check_send_options(on_progress: object, journal: object, resend_unknown: object) -> None:
    """What can be checked before the first request is checked before it."""
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputError(f"on_progress must be callable, got {type(on_progress).__name__}")
    if journal is not None and not isinstance(journal, (str, os.PathLike)):
        raise InvalidInputError(f"journal must be a file path, got {type(journal).__name__}")
    if journal is not None:
        path = os.fspath(cast("str | os.PathLike[str] | os.PathLike[bytes]", journal))
        if not path:
            raise InvalidInputError("journal must be a file path, got an empty one")
        try:
            os.fsencode(path)
        except UnicodeEncodeError as exc:  # a lone surrogate the file system cannot name
            raise InvalidInputError(f"journal: the path {path!r} cannot be a file name here ({exc.reason})") from None
        if "\0" in (path if isinstance(path, str) else path.decode("latin-1")):
            raise InvalidInputError("journal: a file path cannot contain a NUL character")
    if not isinstance(resend_unknown, bool):
        raise InvalidInputError(f"resend_unknown must be True or False, got {resend_unknown!r}")


def open_journal(path: JournalPath | None, action_id: str, opened: list[Journal]) -> Journal | None:
    """The journal, opened and locked before any request (a second process is refused here). It is in `opened`
    from the start, for `raise_stopped` to close whatever happens."""
    if path is None:
        return None
    journal = Journal(path, create=True, opened=opened)
    journal.check_action(action_id)
    return journal


def start_recorder(action_id: str, channel: Channel, journal: Journal | None, batch_size: int) -> Recorder:
    """The report of this send, through its writer: new, or the journal's when it already records part of it."""
    if journal is None:
        return Recorder.new(action_id, channel)
    journal.identify(action_id, channel.value, batch_size)
    recorder = Recorder.from_journal(journal)  # empty for a new journal
    recorder.reopen()
    return recorder


def _not_iterable(messages: object) -> bool:
    return isinstance(messages, (str, bytes)) or not isinstance(messages, (Iterable, AsyncIterable))


class Source:
    """The caller's input, read lazily. An exception from it is kept (`error`) with the messages taken before it,
    and what is being taken is in `taking`, so that Ctrl-C inside the caller's iterator loses nothing either."""

    def __init__(self, messages: Iterable[Any]) -> None:
        if _not_iterable(messages) or not isinstance(messages, Iterable):
            raise InvalidInputError("messages must be an iterable of messages (a single string is not)")
        self._iterator = iter(messages)
        self.error: Exception | None = None
        self.exhausted = False
        self.taking: list[Any] = []

    def take(self, size: int) -> list[Any]:
        """The next messages; they stay in `taking` until the run has reserved them (`SendRun.new_work`)."""
        items: list[Any] = []
        self.taking = items
        if self.error is None and not self.exhausted:
            try:
                # list.extend appends item by item: what the iterator gave before raising stays in `items`.
                items.extend(itertools.islice(self._iterator, size))
            except Exception as exc:
                self.error = exc
            else:
                self.exhausted = len(items) < size
        return items


class AsyncSource:
    """`Source` for an async iterable (or a plain one) in the async client."""

    def __init__(self, messages: AsyncIterable[Any] | Iterable[Any]) -> None:
        if _not_iterable(messages):
            raise InvalidInputError("messages must be an iterable of messages (a single string is not)")
        self._sync = Source(messages) if not isinstance(messages, AsyncIterable) else None
        self._iterator: AsyncIterator[Any] | None = None if self._sync else aiter(messages)  # type: ignore[arg-type]
        self.error: Exception | None = None
        self.exhausted = False
        self._taking: list[Any] = []

    @property
    def taking(self) -> list[Any]:
        """What is being taken from the input (a plain iterable's, while its iterator runs)."""
        return self._sync.taking if self._sync is not None else self._taking

    @taking.setter
    def taking(self, items: list[Any]) -> None:
        if self._sync is not None:
            self._sync.taking = items
        else:
            self._taking = items

    async def take(self, size: int) -> list[Any]:
        if self._sync is not None:
            given = self._sync.take(size)
            self.error, self.exhausted = self._sync.error, self._sync.exhausted
            return given
        assert self._iterator is not None
        items: list[Any] = []
        self.taking = items
        if self.error is None and not self.exhausted:
            try:
                while len(items) < size:
                    items.append(await anext(self._iterator))
            except StopAsyncIteration:
                self.exhausted = True
            except Exception as exc:
                self.error = exc
        return items


class _Resume:
    """Checks the input against what the journal recorded, and collects what must be sent again."""

    def __init__(self, recorder: Recorder, sender: BatchSender, resend_unknown: bool) -> None:
        report = self.report = recorder.report
        self.recorder = recorder
        self.sender = sender
        self.resend_unknown = resend_unknown
        self.recorded = len(report)
        self.position = 0
        self.todo: list[int] = []
        self.held: dict[int, Any] = {}  # inputs the client refused last time: taken from the input again
        self.recorded_prints = recorder.fingerprint_table()

    @property
    def done(self) -> bool:
        return self.position >= self.recorded

    def feed(self, items: list[Any]) -> list[Any]:
        """Check these input messages; return those beyond the recorded ones (new messages to send)."""
        room = min(len(items), self.recorded - self.position)
        if room <= 0:
            return items
        checked, rest = items[:room], items[room:]
        prints = self.sender.prepare(checked).fingerprints()
        recorded = self.recorded_prints
        codes = self.recorder.codes
        for offset, item in enumerate(checked):
            index = self.position + offset
            mine = prints[offset * FINGERPRINT_SIZE : (offset + 1) * FINGERPRINT_SIZE]
            theirs = recorded[index * FINGERPRINT_SIZE : (index + 1) * FINGERPRINT_SIZE]
            code = codes[index]
            if self.recorder.refused(index):
                # Refused by the client, never sent: the caller may have fixed it, so it is taken as given now.
                self.todo.append(index)
                self.held[index] = item
                continue
            if mine != theirs:
                outcome = self.report[index].outcome.value
                raise JournalMismatchError(
                    f"message {index} of the input is not the one the send journal {self.report.journal_path}"
                    f" recorded (there: {outcome}). Resuming needs the same messages in the same order; nothing"
                    " was sent. Use another journal file for another send."
                )
            if code == CODE[Outcome.FAILED] or (code == CODE[Outcome.UNKNOWN] and self.resend_unknown):
                self.todo.append(index)
        self.position += room
        return rest

    def finish(self, exhausted: bool) -> None:
        if not self.done and exhausted:
            raise JournalMismatchError(
                f"the input has {self.position} messages; the send journal {self.report.journal_path} records"
                f" {self.recorded}. Resuming needs the same messages in the same order; nothing was sent."
            )

    def batches(self, size: int) -> Iterator[tuple[Indexes, list[Any]]]:
        for start in range(0, len(self.todo), size):
            chunk = self.todo[start : start + size]
            items = [self.held[i] if i in self.held else Recorded(self.recorder.wire(i)) for i in chunk]
            yield array("I", chunk), items


Work: TypeAlias = "tuple[Indexes, list[Any]]"
"""One batch to send: the input indexes of its messages, and the messages."""


class TakeInput(enum.Enum):
    TAKE_INPUT = "take input"


TAKE_INPUT = TakeInput.TAKE_INPUT
"""`SendRun.next_work()`: read the next batch from the input first."""


class SendRun:
    """The state of one send_many between its batches (see the module docstring)."""

    def __init__(
        self,
        sender: BatchSender,
        batch_size: int,
        on_progress: ProgressCallback | None,
        resend_unknown: bool,
    ) -> None:
        self.sender = sender
        self.recorder = sender.recorder
        self.report = sender.recorder.report
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.resume = (
            _Resume(self.recorder, sender, resend_unknown)
            if self.report.journal_path is not None and len(self.report)
            else None
        )
        self._resends: Iterator[tuple[Indexes, list[Any]]] | None = None
        self.taken: dict[int, tuple[Indexes, list[Any]]] = {}  # taken from the input, outcome not yet recorded
        self.source: Source | AsyncSource | None = None
        self.aborted: Exception | None = None  # the caller's exception that stopped the send
        self.items: list[Any] = []  # read from the input for the next batch, not yet reserved

    # ---------------------------------------------------------------------------------------------- input

    @classmethod
    def start(
        cls,
        flows: ActionsFlows,
        action_id: str,
        channel: Channel,
        journal: Journal | None,
        source: Source | AsyncSource,
        batch_size: int,
        on_progress: ProgressCallback | None,
        resend_unknown: bool,
    ) -> SendRun:
        """The run of a send whose channel is known: its report new, or the journal's when resuming."""
        recorder = start_recorder(action_id, channel, journal, batch_size)
        run = cls(BatchSender(flows, action_id, channel, recorder), batch_size, on_progress, resend_unknown)
        run.source = source
        return run

    def checking(self) -> bool:
        """Whether the input must still be checked against the journal before anything is sent."""
        return self.resume is not None and not self.resume.done

    def check(self, items: list[Any]) -> list[Any] | None:
        """The messages to send among `items`, once the input is checked against the journal (all of them when
        there is nothing to check); None while the check needs more input. The input raising stops the check:
        what it gave beyond the journal's messages is returned, for the send to record and stop."""
        if not self.checking():
            return items
        assert self.resume is not None
        source = self.source
        assert source is not None
        failed = source.error is not None
        rest = self.resume.feed(items)
        self.resume.finish(source.exhausted and not failed and not rest)
        source.taking = rest  # the journal holds the others
        if self.checking() and not failed:
            return None
        return rest

    def next_resend(self) -> tuple[Indexes, list[Any]] | None:
        if self.resume is None:
            return None
        if self._resends is None:
            self._resends = self.resume.batches(self.batch_size)
        work = next(self._resends, None)
        if work is not None:
            self.taken[work[0][0]] = work
        return work

    def new_work(self, items: list[Any]) -> tuple[Indexes, list[Any]]:
        with critical():  # reserved and registered as one step: Ctrl-C cannot leave indexes without a record
            first = self.recorder.reserve(len(items))
            work: tuple[Indexes, list[Any]] = (range(first, first + len(items)), items)
            self.taken[first] = work
            if self.source is not None:
                self.source.taking = []  # from here on, `taken` holds them
        return work

    # ---------------------------------------------------------------------------------------------- batches

    def batch(self, work: tuple[Indexes, list[Any]]) -> Any:
        yield from self.sender.batch(*work)
        self.taken.pop(work[0][0], None)

    def after_batch(self) -> None:
        """Tell the caller's on_progress; an exception from it stops the send (`SendAborted`)."""
        if self.on_progress is None or self.aborted is not None:
            return
        try:
            self.on_progress(self.report.progress())
        except Exception as exc:
            self.aborted = exc

    def input_failed(self, source: Source | AsyncSource, items: list[Any]) -> None:
        """The input raised: what it gave before is recorded as not sent, and the send stops."""
        if items:
            work = self.new_work(items)
            self._not_sent(work, f"not sent: the input raised after this message was read ({source.error!r})")
        self.aborted = source.error

    def next_work(self) -> Work | TakeInput | None:
        """What the send does next, the same for both clients: a batch to send (the journal's resends first,
        then the input's), `TAKE_INPUT` when the next batch must be read from the input first (`give` it), or
        None when the send is over: the input is done or raised, or the caller's code stopped it."""
        source = self.source
        assert source is not None
        if self.aborted is not None:
            return None
        if source.error is None:
            resend = self.next_resend()
            if resend is not None:
                return resend
            if not self.items and not source.exhausted:
                return TAKE_INPUT
        if source.error is not None:
            items, self.items = self.items, []
            self.input_failed(source, items)
            return None
        if not self.items:
            return None
        work, self.items = self.new_work(self.items), []
        return work

    def give(self, items: list[Any]) -> None:
        """The messages read from the input for the next batch (`TAKE_INPUT`)."""
        self.items = items

    def left_over(self) -> None:
        """Messages read from the input when the send stopped (on_progress raised during a resume's resends):
        taken, so they get an outcome, `failed`."""
        items, self.items = self.items, []
        if items and self.aborted is not None:
            self._not_sent(self.new_work(items), f"not sent: the send stopped ({self.aborted!r})")

    def _not_sent(self, work: tuple[Indexes, list[Any]], reason: str) -> None:
        self.sender.not_sent(work[0], work[1], reason)
        self.taken.pop(work[0][0], None)

    # ----------------------------------------------------------------------------------------------- end

    def stopped(self, source: Source | AsyncSource, error: BaseException) -> BaseException:
        """The exception to raise for an interruption: the report is complete for what was taken first."""
        try:
            if source.taking and not self.checking():  # Ctrl-C inside the caller's iterator: what it gave is taken
                self.new_work(list(source.taking))
            # A journal write that fails here (a full disk) still records in memory (see Recorder._writing):
            # each step goes on, and the journal stays as last committed.
            self.sender.abandon()
            for work in list(self.taken.values()):
                if not self._recorded(work[0]):
                    with suppress(JournalError):
                        self._not_sent(work, "not sent: the send was interrupted before this batch's request went out")
        finally:
            self.recorder.finish()
            with suppress(JournalError):
                self.recorder.detach()
        if isinstance(error, SendInterrupted):
            return error
        if isinstance(error, KeyboardInterrupt):
            return SendKeyboardInterrupt(f"{self._stopped_after()}: interrupted (Ctrl-C)", self.report)
        if isinstance(error, Exception) and not isinstance(error, JournalMismatchError | InvalidInputError):
            return self._aborted(error)
        SendInterrupted.attach(error, self.report)
        return error

    def _stopped_after(self) -> str:
        counts = ", ".join(f"{count} {name}" for name, count in self.report.counts.items())
        return f"send_many to action {self.report.action_id} stopped after {len(self.report)} messages ({counts})"

    def _aborted(self, cause: Exception) -> SendAborted:
        where = "a journal write failed" if isinstance(cause, JournalError) else "the caller's code raised"
        return SendAborted(f"{self._stopped_after()}: {where}: {cause!r}", self.report)

    def _recorded(self, indexes: Indexes) -> bool:
        return all(self.recorder.has_outcome(i) for i in indexes)

    def finish(self) -> SendReport:
        self.recorder.finish()
        self.recorder.detach()
        if self.aborted is not None:
            raise self._aborted(self.aborted) from self.aborted
        return self.report


def raise_stopped(
    run: SendRun | None, source: Source | AsyncSource, opened: list[Journal], error: BaseException
) -> NoReturn:
    """Re-raise `error` as what the caller should see, once the report accounts for everything taken and the
    journal is released."""
    if run is None:
        for journal in opened:
            with suppress(JournalError):
                journal.close()
        raise error
    outcome = run.stopped(source, error)
    for journal in opened:
        with suppress(JournalError):
            journal.close()
    if outcome is error:
        raise error
    raise outcome from error


async def cancel_all(tasks: set[asyncio.Task[None]]) -> None:
    """Cancel the batch tasks and wait until each has recorded what it had in flight. A second cancellation of
    send_many (a timeout and a task group, two signals) must not cut this short: the report would be lost."""
    for task in tasks:
        task.cancel()
    while not all(task.done() for task in tasks):
        with suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
