"""`SendReport`: what happened to every message of a `send_many`, exactly once, in input order.

A report of ten million messages must not cost ten million objects. It keeps one byte per message (its outcome)
and four (the batch that holds it) and, per batch, the raw request and response bodies: in a spool file (in memory
while small, on disk beyond), or in the send journal when there is one. Message models, results and footprints
are parsed only when someone looks at them.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import enum
import io
import json
import os
import tempfile
import time
from array import array
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any, Self, cast, overload

import attrs
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import ExecutionError, ExecutionSuccess, RecipientByFootprint, UnknownExecutionResult
from np6_generated.models import SmsMessage as SmsMessageModel

from .._content.channel import Channel
from .._core import jsonio
from .._core.errors import JournalError
from .._core.interrupts import critical
from ..models import ExecutionResult
from .defaults import SendProgress
from .journal import FINGERPRINT_SIZE, Answer, Journal, State, fingerprint, read_bodies

__all__ = [
    "Evidence",
    "inert_cell",
    "MessageOutcome",
    "Outcome",
    "SendProgress",
    "SendReport",
    # What the send that writes a report uses of this module besides the report itself.
    "Recorder",
    "CODE",
    "Pending",
    "compact",
    "invalid_fingerprint",
]

# Past this many bytes of request/response bodies, the report's spool moves from memory to a temporary file.
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024


class Outcome(enum.Enum):
    """What happened to one message."""

    SENT = "sent"  # NP6 accepted it: it has a message id
    REJECTED = "rejected"  # NP6 (or the client, for invalid input) refused this message: not retryable as is
    FAILED = "failed"  # refused before NP6 processed it: safe to send again
    UNKNOWN = "unknown"  # NP6 may have processed it: not retried, check before sending again


_CODES: tuple[Outcome | None, ...] = (None, Outcome.SENT, Outcome.REJECTED, Outcome.FAILED, Outcome.UNKNOWN)
CODE = {outcome: code for code, outcome in enumerate(_CODES) if outcome is not None}
PENDING = 0
_NO_BATCH = 0xFFFFFFFF
_IN_FLIGHT_REASON = (
    "in flight when the send stopped: its request may have reached NP6, so the messages may have been sent"
    " (never re-sent automatically; see reconcile)"
)
_QUEUED_REASON = "not sent: the send stopped before this batch's request went out"
_REJECTED_CODE = CODE[Outcome.REJECTED]
_UNKNOWN_CODE = CODE[Outcome.UNKNOWN]
_SENT_CODE = CODE[Outcome.SENT]


@attrs.frozen
class Evidence:
    """Why a message whose outcome was unknown is now known to be sent: an event of NP6's feed (reconcile)."""

    event_type: str
    event_id: str | None
    time: dt.datetime | None
    message_id: str | None


@attrs.define(slots=True)
class _Batch:
    first: int
    count: int
    indexes: array[int] | None  # None: first..first+count-1; else the (ascending) input indexes it covers
    request: Any  # where the JSON array sent is kept: a span in the spool, or the journal row
    response: Any  # likewise for the JSON array of results, when NP6 answered one per message; else None
    reason: str | None  # why the whole batch is failed/unknown
    request_id: str | None
    # Messages the client refused before sending (offset in batch -> (reason, the input as given)); they are not
    # in the request body, so the sent messages' positions skip them.
    invalid: dict[int, tuple[str, str]] | None = None
    notes: dict[int, str] | None = None  # offset in batch -> reason, for single messages of a sent batch
    started: float | None = None  # Unix time its request was first handed to the transport
    finished: float | None = None
    spooled: bool = False  # its bodies are in the spool (a report without a journal, or one that lost it)

    def offset(self, index: int) -> int:
        if self.indexes is None:
            return index - self.first
        return bisect.bisect_left(self.indexes, index)

    def input_indexes(self) -> range | array[int]:
        return range(self.first, self.first + self.count) if self.indexes is None else self.indexes


@attrs.define(slots=True)
class Pending:
    """A batch recorded as started (in the journal, when there is one) and not yet recorded as done."""

    indexes: range | array[int]
    request: bytes
    invalid: dict[int, tuple[str, str]] | None
    row: int | None = None
    started: float | None = None
    attempted: bool = False  # its request was handed to the transport: it may have been processed
    done: bool = False


class _Spool:
    """The raw bodies of a report without a journal: in memory up to SPOOL_IN_MEMORY_BYTES, then in a temporary
    file. Kept as the bodies themselves (no buffer that grows by copying), and moved to the file body by body, so
    that the move never holds two copies of them."""

    def __init__(self) -> None:
        self._memory: dict[int, bytes] | None = {}  # by offset, while in memory
        self._file: IO[bytes] | None = None
        self._size = 0
        self._closed = False

    def write(self, data: bytes) -> tuple[int, int]:
        span = (self._size, len(data))
        if self._memory is not None and self._size + len(data) <= SPOOL_IN_MEMORY_BYTES:
            self._memory[self._size] = data
        else:
            file = self._to_file()
            file.seek(self._size)
            file.write(data)
        self._size += len(data)
        return span

    def read(self, span: tuple[int, int]) -> bytes:
        if self._closed:
            raise ValueError("this report was closed: its messages can no longer be read")
        if self._memory is not None:
            return self._memory[span[0]]
        file = self._to_file()
        file.seek(span[0])
        return file.read(span[1])

    def _to_file(self) -> IO[bytes]:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), with the report
            memory, self._memory = self._memory or {}, None
            for data in memory.values():  # in offset order: the order they were written in
                self._file.write(data)
        return self._file

    def close(self) -> None:
        self._closed = True
        self._memory = None
        if self._file is not None:
            self._file.close()


@attrs.frozen
class MessageOutcome:
    """One message of a send_many and what happened to it. `message` and `result` are parsed on access."""

    index: int
    outcome: Outcome
    reason: str | None
    request_id: str | None
    _wire_message: dict[str, Any] = attrs.field(repr=False, alias="wire_message")
    _wire_result: dict[str, Any] | None = attrs.field(repr=False, alias="wire_result")
    _channel: Channel = attrs.field(repr=False, alias="channel")
    evidence: Evidence | None = None
    """For a message found sent by reconcile: the NP6 event that proves it."""
    attempted_at: dt.datetime | None = None
    """When its batch's request was first handed to the transport (None if it never was)."""

    @property
    def message(self) -> EmailMessageModel | SmsMessageModel | None:
        """The message as it was sent (a generated model, accepted again by send/send_many); None for an input
        the client refused before sending (`reason` says why; `input` is what was given)."""
        if "recipient" not in self._wire_message:
            return None
        model = EmailMessageModel if self._channel is Channel.EMAIL else SmsMessageModel
        return model.from_dict(self._wire_message)

    @property
    def input(self) -> str | None:
        """For an input the client refused before sending: the input as given (shortened); else None."""
        given = self._wire_message.get("input")
        return given if isinstance(given, str) else None

    @property
    def recipient(self) -> Any:
        """The recipient as it was sent (wire form: `{"type": "unicity", "value": [...]}`)."""
        return self._wire_message.get("recipient")

    @property
    def result(self) -> ExecutionResult | None:
        """NP6's result for this message (None when the batch failed, is unknown, or never reached NP6)."""
        if self._wire_result is None:
            return None
        return parse_result(self._wire_result)

    @property
    def message_id(self) -> str | None:
        """NP6's id of a sent message (from its result, or from the event that proved it sent)."""
        if self.outcome is not Outcome.SENT:
            return None
        if self._wire_result is None:
            return self.evidence.message_id if self.evidence is not None else None
        value = self._wire_result.get("id")
        return value if isinstance(value, str) else None

    @property
    def footprint(self) -> RecipientByFootprint | None:
        """The contact NP6 resolved the recipient to, for sent messages."""
        result = self.result
        if isinstance(result, ExecutionSuccess) and isinstance(result.recipient, RecipientByFootprint):
            return result.recipient
        return None


def parse_result(item: dict[str, Any]) -> ExecutionResult:
    """NP6's result for one message as a model; one that lacks what its kind always carries (a success without its
    message id) is an `UnknownExecutionResult`, as the generated union parses it, rather than an error when read."""
    kind = item.get("type")
    try:
        if kind == "success":
            return ExecutionSuccess.from_dict(item)
        if kind == "error":
            return ExecutionError.from_dict(item)
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return UnknownExecutionResult.from_dict(item)


def _utc(timestamp: float | None) -> dt.datetime | None:
    return None if timestamp is None else dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


class _Tally:
    """`report.sent` and its siblings: the count of one outcome, read-only."""

    def __init__(self, outcome: Outcome, doc: str) -> None:
        self._outcome = outcome
        self.__doc__ = doc

    @overload
    def __get__(self, report: None, owner: type[SendReport]) -> Self: ...
    @overload
    def __get__(self, report: SendReport, owner: type[SendReport]) -> int: ...
    def __get__(self, report: SendReport | None, owner: type[SendReport]) -> int | Self:
        return self if report is None else report.count(self._outcome)

    def __set__(self, report: SendReport, value: object) -> None:
        raise AttributeError(f"the report's counts are read-only ({self._outcome.value})")


class SendReport:
    """Every message of a `send_many`, exactly once, in input order.

    `report.counts` (and `.sent`, `.rejected`, `.failed`, `.unknown`), `len(report)`, `report[i]`,
    iteration in input order, `report.outcomes(Outcome.REJECTED)`, `report.retryable()`, `report.elapsed`,
    `report.messages_per_second`, `report.to_csv(path)`, `report.to_jsonl(path)`, `report.to_journal(path)`.
    `SendReport.open(path)` reads a send journal as a report.
    """

    def __init__(self, action_id: str, channel: Channel, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self.action_id = action_id
        self.channel = channel
        self._codes = bytearray()
        self._owner = array("I")  # per message: the position in _batches of the batch that holds its outcome
        self._counts = [0] * len(_CODES)
        self._batches: list[_Batch] = []
        self._journal: Journal | None = None  # the writer, while a send (or reconcile) holds the journal
        self._journal_path: str | None = None
        self._journal_lost: JournalError | None = None
        self._spool: _Spool | None = _Spool()
        self._clock = clock
        self._started = clock()
        self._finished: float | None = None
        self._elapsed_before = 0.0  # time spent by the runs recorded in the journal before this one
        self.stopped_by: BaseException | None = None
        """The error that made send_many stop sending (the rest of the input is then `failed`)."""
        self._decoded: dict[int, tuple[list[Any], list[Any] | None]] = {}
        self._evidence: dict[int, Evidence] = {}
        self._reconciled_at: float | None = None

    # ------------------------------------------------------------------------------------------- journal

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SendReport:
        """The report of the send recorded in the journal at `path` (a send in progress, interrupted or done).

        Messages whose batch was in flight when the send stopped are `unknown`; messages taken from the input
        whose request had not started are `failed`. The report does not keep the journal locked: the send can be
        resumed while it lives (reading a message while a send writes the journal raises `JournalLockedError`).
        """
        journal = Journal(path, create=False)
        try:
            report = Recorder.from_journal(journal, cls).report
        finally:
            journal.close()
        report._journal = None
        return report

    @property
    def journal_path(self) -> str | None:
        """The journal this report is kept in, if any."""
        return self._journal_path

    def _detach(self) -> None:
        """The send is over: release the journal's lock; bodies are read from it on access."""
        journal = self._journal
        if journal is not None:
            journal.close()  # first: an interrupt before the next line leaves it to be closed again, harmlessly
            self._journal = None

    def to_journal(self, path: str | os.PathLike[str]) -> None:
        """Write this report to a new send journal at `path`, e.g. to resume its failed messages later with
        `send_many(..., journal=path)`."""
        if self._journal_path is not None and os.path.abspath(path) == os.path.abspath(self._journal_path):
            return
        if os.path.exists(path) and os.path.getsize(path) > 0:
            raise JournalError(f"{path} already exists: a report is written to a new journal file")
        journal = Journal(path, create=True)
        try:
            journal.identify(self.action_id, self.channel.value, 0)
            for position, batch in enumerate(self._batches):
                indexes = batch.input_indexes()
                live = [i for i in indexes if self._owner[i] == position]
                if not live:
                    continue
                request, response = self._bodies(position)
                codes = bytes(_UNKNOWN_CODE if i in self._evidence else self._codes[i] for i in indexes)
                answer = Answer(codes, response, batch.reason, batch.request_id, batch.notes)
                journal.add_final(Pending(indexes, request, batch.invalid), answer, batch.started, batch.finished)
            journal.add_evidence(
                [
                    (i, e.event_id, e.event_type, e.time.timestamp() if e.time else None, e.message_id)
                    for i, e in self._evidence.items()
                ]
            )
            if self._reconciled_at is not None:
                journal.set_checked(self._reconciled_at)
        finally:
            journal.close()

    def close(self) -> None:
        """Release the temporary spool of a report without a journal (its messages can no longer be read)."""
        self._detach()
        if self._spool is not None:
            self._spool.close()

    def __enter__(self) -> SendReport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def progress(self) -> SendProgress:
        """The counts so far and the time taken, as `on_progress` receives them."""
        return SendProgress(self.sent, self.rejected, self.failed, self.unknown, self.elapsed)

    # ------------------------------------------------------------------------------------------- reading

    def count(self, outcome: Outcome) -> int:
        """How many messages have `outcome`."""
        return self._counts[CODE[outcome]]

    sent: _Tally = _Tally(Outcome.SENT, "How many messages NP6 accepted (each has a message id).")
    rejected: _Tally = _Tally(
        Outcome.REJECTED, "How many messages NP6 or the client refused: not retryable as they are."
    )
    failed: _Tally = _Tally(Outcome.FAILED, "How many messages were not processed by NP6: safe to send again.")
    unknown: _Tally = _Tally(
        Outcome.UNKNOWN, "How many messages NP6 may have processed: check them before sending again."
    )

    @property
    def counts(self) -> dict[str, int]:
        """How many messages have each outcome, by its name: `{"sent": 1198, "rejected": 2, "failed": 0, ...}`."""
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def ok(self) -> bool:
        """Every message was sent."""
        return self.sent == len(self)

    @property
    def elapsed(self) -> float:
        """Seconds the send took (so far, while it runs); for a send resumed from a journal, its earlier runs too."""
        end = self._finished if self._finished is not None else self._clock()
        return self._elapsed_before + end - self._started

    @property
    def messages_per_second(self) -> float:
        """The messages of the report per second of `elapsed`, whatever their outcome (0.0 before any time passed)."""
        elapsed = self.elapsed
        return len(self) / elapsed if elapsed > 0 else 0.0

    @property
    def reconciled_at(self) -> dt.datetime | None:
        """When reconcile last looked for NP6's events of the unknown messages (None if it never did)."""
        return _utc(self._reconciled_at)

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, index: int) -> MessageOutcome:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._owner[index] == _NO_BATCH:
            raise LookupError(f"message {index} has no recorded outcome yet")
        return self._outcome(index)

    def __iter__(self) -> Iterator[MessageOutcome]:
        for index in range(len(self._codes)):
            if self._owner[index] != _NO_BATCH:
                yield self._outcome(index)

    def outcomes(self, outcome: Outcome) -> Iterator[MessageOutcome]:
        """The messages with this outcome, in input order."""
        code = CODE[outcome]
        index = self._codes.find(code)
        while index >= 0:
            yield self._outcome(index)
            index = self._codes.find(code, index + 1)

    def retryable(self) -> list[EmailMessageModel | SmsMessageModel]:
        """The messages safe to send again (the `failed` ones), ready for another `send_many`."""
        return [message for item in self.outcomes(Outcome.FAILED) if (message := item.message) is not None]

    def _outcome(self, index: int) -> MessageOutcome:
        position = self._owner[index]
        batch = self._batches[position]
        messages, results = self._decode(position)
        offset = batch.offset(index)
        outcome = _CODES[self._codes[index]]
        assert outcome is not None
        reason = batch.notes.get(offset, batch.reason) if batch.notes else batch.reason
        wire_result: Any = None
        if batch.invalid and offset in batch.invalid:
            reason, given = batch.invalid[offset]
            wire_message: dict[str, Any] = {"input": given}
        else:
            refused = batch.invalid
            sent_position = offset - (sum(1 for o in refused if o < offset) if refused else 0)
            wire_message = messages[sent_position]
            wire_result = results[sent_position] if results is not None else None
        if outcome is Outcome.REJECTED and reason is None and isinstance(wire_result, dict):
            value = cast("dict[str, Any]", wire_result).get("value")
            kind = cast("dict[str, Any]", value).get("type") if isinstance(value, dict) else None
            reason = str(kind) if kind else "rejected by NP6"
        evidence = self._evidence.get(index)
        if evidence is not None:
            reason = f"sent: NP6's {evidence.event_type} event {evidence.event_id or ''} proves it".replace("  ", " ")
        elif outcome is Outcome.UNKNOWN and self._reconciled_at is not None:
            when = _utc(self._reconciled_at)
            assert when is not None
            reason = f"{reason or 'outcome unknown'}; no event found as of {when.isoformat(timespec='seconds')}"
        return MessageOutcome(
            index=index,
            outcome=outcome,
            reason=reason,
            request_id=batch.request_id,
            wire_message=wire_message,
            wire_result=cast("dict[str, Any]", wire_result) if isinstance(wire_result, dict) else None,
            channel=self.channel,
            evidence=evidence,
            attempted_at=_utc(batch.started),
        )

    def _bodies(self, position: int) -> tuple[bytes, bytes | None]:
        batch = self._batches[position]
        if self._journal_path is not None and not batch.spooled:
            if self._journal is not None:
                return self._journal.bodies(batch.request)
            return read_bodies(self._journal_path, batch.request)
        assert self._spool is not None
        request = self._spool.read(batch.request)
        return request, None if batch.response is None else self._spool.read(batch.response)

    def _decode(self, position: int) -> tuple[list[Any], list[Any] | None]:
        cached = self._decoded.get(position)
        if cached is not None:
            return cached
        request, raw = self._bodies(position)
        messages = json.loads(request or b"[]")
        # `jsonio.loads`: the values `json.loads` gives, read by the library that read the answer when it came.
        results = None if raw is None else jsonio.loads(raw)
        if len(self._decoded) >= 4:  # iteration goes batch after batch: a few are enough
            self._decoded.pop(next(iter(self._decoded)))
        self._decoded[position] = (messages, results)
        return messages, results

    # ------------------------------------------------------------------------------------------- export

    _COLUMNS = ("index", "outcome", "message_id", "recipient", "footprint_id", "reason", "request_id", "input")

    def _runs(self) -> Iterator[tuple[int, int, int]]:
        """(batch position, start, stop) of each run of consecutive messages whose outcome one batch holds, in input
        order: mostly whole batches; a resumed send's batches hold scattered messages, and a message sent again
        belongs to its last batch."""
        owner = self._owner
        total = len(owner)
        start = 0
        while start < total:
            position = owner[start]
            stop = start + 1
            while stop < total and owner[stop] == position:
                stop += 1
            if position != _NO_BATCH:
                yield position, start, stop
            start = stop

    def _export_rows(self) -> Iterator[_Row]:
        """The columns of every message, in input order, its recipient as JSON text (what both formats write).

        What `self[i]` and its properties give (tests/sending/test_report_export.py holds the exports to that, byte
        for byte), read straight from each batch's decoded bodies: a MessageOutcome per message was most of an
        export's time. Batches are decoded one at a time (`_decode` keeps the last few), as iteration does."""
        codes, evidence = self._codes, self._evidence
        checked = _utc(self._reconciled_at)
        no_event = None if checked is None else f"; no event found as of {checked.isoformat(timespec='seconds')}"
        for position, start, stop in self._runs():
            batch = self._batches[position]
            messages, results = self._decode(position)
            refused, notes, request_id = batch.invalid or {}, batch.notes, batch.request_id
            offset = batch.offset(start)  # the offsets of a run follow each other, as its indexes do
            # Its position in the request body, which holds only the messages not refused.
            in_request = offset - sum(1 for o in refused if o < offset)
            for index in range(start, stop):
                code = codes[index]
                reason = notes.get(offset, batch.reason) if notes else batch.reason
                result: Any = None
                invalid = refused.get(offset)
                if invalid is not None:
                    reason, given = invalid
                    recipient: Any = None
                else:
                    message = messages[in_request]
                    if results is not None:
                        result = results[in_request]
                    in_request += 1
                    recipient, given = message.get("recipient"), message.get("input")
                offset += 1
                wire = cast("dict[str, Any]", result) if isinstance(result, dict) else None
                message_id = footprint_id = None
                if code == _SENT_CODE and wire is not None:
                    value, footprint = wire.get("id"), wire.get("recipient")
                    message_id = value if isinstance(value, str) else None
                    footprint_id = cast("dict[str, Any]", footprint).get("id") if isinstance(footprint, dict) else None
                elif code == _REJECTED_CODE and reason is None and wire is not None:
                    value = wire.get("value")
                    kind = cast("dict[str, Any]", value).get("type") if isinstance(value, dict) else None
                    reason = str(kind) if kind else "rejected by NP6"
                found = evidence.get(index) if evidence else None
                if found is not None:
                    reason = f"sent: NP6's {found.event_type} event {found.event_id or ''} proves it".replace("  ", " ")
                    if code == _SENT_CODE and wire is None:
                        message_id = found.message_id
                elif code == _UNKNOWN_CODE and no_event is not None:
                    reason = f"{reason or 'outcome unknown'}{no_event}"
                yield (
                    index,
                    _OUTCOME_VALUES[code],
                    message_id,
                    _json(recipient),
                    footprint_id,
                    reason,
                    request_id,
                    given if isinstance(given, str) else None,
                )

    def to_csv(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """One row per message: index, outcome, message id, recipient (JSON), footprint id, reason, request id and,
        for inputs refused before sending, the input as given.

        Made to be opened in a spreadsheet: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
        return (which a spreadsheet would run as a formula: `=HYPERLINK(...)` in a reason NP6 sent back) is
        written with a leading `'` (OWASP's rule for CSV injection). `to_jsonl` keeps every value exact.
        """
        with _open_text(destination) as stream:
            writer = csv.writer(stream)
            writer.writerow(self._COLUMNS)
            writer.writerows([inert_cell(cell) for cell in row] for row in self._export_rows())

    def to_jsonl(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """One JSON object per line and message, with the same fields as `to_csv`."""
        with _open_text(destination) as stream:
            stream.writelines(map(_jsonl_line, self._export_rows()))

    def summary(self) -> str:
        """One line for a log: the messages, their outcomes, the time taken and the rate.

        `1200 messages to action 000ABC: 1198 sent, 2 rejected, 0 failed, 0 unknown in 2.41 s (498 messages/s)`
        """
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return (
            f"{len(self)} messages to action {self.action_id}: {parts}"
            f" in {self.elapsed:.2f} s ({self.messages_per_second:,.0f} messages/s)"
        )

    def __repr__(self) -> str:
        return f"<SendReport {self.summary()}>"


# index, outcome, message_id, recipient (as JSON), footprint_id, reason, request_id, input: SendReport._COLUMNS.
_Row = tuple[int, str, str | None, str, Any, str | None, str | None, str | None]
_OUTCOME_VALUES = tuple("" if outcome is None else outcome.value for outcome in _CODES)  # by code
# What json.dumps(value, separators=(",", ":")) encodes with, built once: json.dumps builds one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"))
# A JSON lines row, as json.dumps of the row as a dict writes it: the names in SendReport._COLUMNS order.
_JSONL_LINE = "{" + ",".join(f'"{name}":%s' for name in SendReport._COLUMNS) + "}\n"


def _json(value: object) -> str:
    """`json.dumps(value, separators=(",", ":"))`; None (most cells) without calling the encoder."""
    return "null" if value is None else _ENCODER.encode(value)


def _jsonl_line(row: _Row) -> str:
    index, outcome, message_id, recipient, footprint_id, reason, request_id, given = row
    # The index is an int, written as JSON writes it; the recipient is JSON already.
    return _JSONL_LINE % (
        index,
        _json(outcome),
        _json(message_id),
        recipient,
        _json(footprint_id),
        _json(reason),
        _json(request_id),
        _json(given),
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class Recorder:
    """The writer of one report: what send_many and reconcile use to fill it, batch by batch, through the send
    journal when there is one. `SendReport` only reads."""

    def __init__(self, report: SendReport) -> None:
        self.report = report

    @classmethod
    def new(cls, action_id: str, channel: Channel) -> Recorder:
        return cls(SendReport(action_id, channel))

    @classmethod
    def journaled(
        cls, journal: Journal, action_id: str, channel: Channel, kind: type[SendReport] | None = None
    ) -> Recorder:
        """A report (of class `kind`) kept in `journal` (no spool), written through it while the send holds it."""
        report = (kind or SendReport)(action_id, channel)
        if report._spool is not None:
            report._spool.close()
        report._spool = None
        report._journal, report._journal_path = journal, journal.path
        return cls(report)

    @classmethod
    def from_journal(cls, journal: Journal, kind: type[SendReport] | None = None) -> Recorder:
        """The report (of class `kind`) of the send `journal` records (empty for a new journal)."""
        channel = Channel.coerce(journal.channel)
        recorder = cls.journaled(journal, journal.action_id, channel, kind)
        report = recorder.report
        report._started = time.perf_counter()
        first_start: float | None = None
        last_end: float | None = None
        for row in journal.rows():
            indexes = row.input_indexes()
            top = max(indexes) + 1 if len(indexes) else 0
            if top > len(report._codes):
                recorder.reserve(top - len(report._codes))
            if row.state == State.FINAL and row.codes is not None:
                codes, reason = row.codes, row.reason
            else:
                code = CODE[Outcome.UNKNOWN] if row.state == State.IN_FLIGHT else CODE[Outcome.FAILED]
                reason = _IN_FLIGHT_REASON if row.state == State.IN_FLIGHT else _QUEUED_REASON
                # Messages the client refused were never in the request: rejected, whatever became of it.
                refused = row.invalid or {}
                codes = bytes(_REJECTED_CODE if offset in refused else code for offset in range(row.count))
            recorder._store(
                _Batch(
                    first=row.first,
                    count=row.count,
                    indexes=row.indexes,
                    request=row.id,
                    response=row.id,
                    reason=reason,
                    request_id=row.request_id,
                    invalid=row.invalid,
                    notes=row.notes,
                    started=row.started,
                    finished=row.finished,
                ),
                indexes,
                codes,
            )
            if row.started is not None:
                first_start = row.started if first_start is None else min(first_start, row.started)
            end = row.finished or row.started
            if end is not None:
                last_end = end if last_end is None else max(last_end, end)
        missing = report._codes.count(PENDING)
        if missing:
            raise JournalError(f"the send journal {journal.path} is damaged: {missing} messages have no record")
        for index, event_id, event_type, event_time, message_id in journal.evidence():
            if 0 <= index < len(report) and report._codes[index] == CODE[Outcome.UNKNOWN]:
                recorder._set_code(index, CODE[Outcome.SENT])
                report._evidence[index] = Evidence(event_type, event_id, _utc(event_time), message_id)
        reconciled = journal.meta.get("reconciled")
        report._reconciled_at = float(reconciled) if reconciled else None
        if first_start is not None and last_end is not None:
            report._elapsed_before = max(0.0, last_end - first_start)
        report._finished = report._started
        return recorder

    @contextmanager
    def _writing(self) -> Generator[Journal, None, None]:
        """A journal write. When one fails (a full disk), the journal is given up for the rest of this send: it
        stays as last committed (what was in flight reads `unknown`), and this report records the rest in memory,
        so that the send can stop with every message accounted."""
        report = self.report
        assert report._journal is not None
        try:
            yield report._journal
        except JournalError as error:
            journal, report._journal = report._journal, None
            report._journal_lost = error
            with suppress(Exception):
                journal.close()
            if report._spool is None:
                report._spool = _Spool()
            raise

    def reserve(self, count: int) -> int:
        """Claim the next `count` indexes (in input order) for messages taken from the input."""
        report = self.report
        first = len(report._codes)
        with critical():
            report._codes.extend(bytes(count))
            report._owner.extend([_NO_BATCH] * count)
        return first

    def begin(
        self,
        indexes: range | array[int],
        request: bytes,
        invalid: dict[int, tuple[str, str]] | None,
        *,
        state: int = State.IN_FLIGHT,
        replaces: Pending | None = None,
    ) -> Pending:
        """A batch about to be sent (or queued behind its other half after a 413): written to the journal first."""
        report = self.report
        self._refuse_unrecorded()
        pending = Pending(indexes, request, invalid)
        if report._journal is not None:
            with critical(), self._writing() as journal:
                pending.row = journal.add(pending, state, replaces=None if replaces is None else replaces.row)
        if replaces is not None:
            replaces.done = True
        if state == State.IN_FLIGHT:
            pending.started = time.time()
        return pending

    def _refuse_unrecorded(self) -> None:
        report = self.report
        # Once a journal write has failed, no batch may go out unrecorded: a resume would not know it was sent.
        # (The async client may have other batches about to start when the first write fails.)
        if report._journal_lost is not None:
            raise JournalError(
                f"not sent: the send journal {report._journal_path} could not be written ({report._journal_lost})"
            )

    def split(
        self,
        pending: Pending,
        head: tuple[range | array[int], bytes, dict[int, tuple[str, str]] | None],
        tail: tuple[range | array[int], bytes, dict[int, tuple[str, str]] | None],
    ) -> tuple[Pending, Pending]:
        """A 413: the batch is replaced by its two halves, queued, in one record (NP6 processed none of it)."""
        report = self.report
        halves = Pending(head[0], head[1], head[2]), Pending(tail[0], tail[1], tail[2])
        with critical():
            if report._journal is not None and pending.row is not None:
                with self._writing() as journal:
                    halves[0].row, halves[1].row = journal.split(pending.row, halves)
            pending.done = True
        return halves

    def launch(self, pending: Pending) -> None:
        """A queued batch's request is about to go out."""
        report = self.report
        self._refuse_unrecorded()
        if pending.started is None:
            if report._journal is not None and pending.row is not None:
                with critical(), self._writing() as journal:
                    journal.start(pending.row)
            pending.started = time.time()

    def record(
        self,
        pending: Pending,
        codes: bytes,
        response_body: bytes | None,
        *,
        reason: str | None = None,
        request_id: str | None = None,
        notes: dict[int, str] | None = None,
    ) -> None:
        """The outcome of a batch: in the journal first, then in memory."""
        report = self.report
        if pending.done:
            raise RuntimeError("this batch was already recorded")
        indexes = pending.indexes
        if len(codes) != len(indexes):
            raise RuntimeError(f"{len(codes)} outcomes for {len(indexes)} messages")
        failure: JournalError | None = None
        with critical():
            spooled = report._journal is None
            if not spooled:
                try:
                    answer = Answer(codes, response_body, reason, request_id, notes)
                    with self._writing() as journal:
                        if pending.row is None:  # never started (refused input, a stopped send): one record, final
                            pending.row = journal.add_final(pending, answer, pending.started, time.time())
                        else:
                            journal.finish(pending.row, answer)
                except JournalError as error:  # recorded here all the same; the send stops on the error
                    failure, spooled = error, True
            if spooled:
                spool = report._spool
                assert spool is not None
                request_handle: Any = spool.write(pending.request)
                response_handle: Any = None if response_body is None else spool.write(response_body)
            else:
                request_handle, response_handle = pending.row, (pending.row if response_body is not None else None)
            batch = _Batch(
                first=indexes[0] if len(indexes) else 0,
                count=len(indexes),
                indexes=None if isinstance(indexes, range) else indexes,
                request=request_handle,
                response=response_handle,
                reason=reason,
                request_id=request_id,
                invalid=pending.invalid or None,
                notes=notes or None,
                started=pending.started,
                finished=time.time(),
                spooled=spooled,
            )
            self._store(batch, indexes, codes)
            pending.done = True
        if failure is not None:
            raise failure

    def _store(self, batch: _Batch, indexes: range | array[int], codes: bytes) -> None:
        report = self.report
        position = len(report._batches)
        report._batches.append(batch)
        counts = list(report._counts)
        if isinstance(indexes, range) and indexes.step == 1:
            old = report._codes[indexes.start : indexes.stop]
            for code in set(old):
                counts[code] -= old.count(code)
            report._codes[indexes.start : indexes.stop] = codes
            report._owner[indexes.start : indexes.stop] = array("I", [position]) * len(indexes)
        else:
            for index, code in zip(indexes, codes, strict=True):
                counts[report._codes[index]] -= 1
                report._codes[index] = code
                report._owner[index] = position
        for code in set(codes):
            counts[code] += codes.count(code)
        counts[PENDING] = 0
        report._counts = counts
        for index in list(report._evidence):  # a message sent again has a result of its own now
            if report._owner[index] == position:
                del report._evidence[index]

    def fingerprint_table(self) -> bytearray:
        """8 bytes per message: of the wire form it was recorded with (or of the refused input), for resuming.
        Derived from the request bodies, so that sending costs no hashing."""
        report = self.report
        table = bytearray(FINGERPRINT_SIZE * len(report._codes))
        for position, batch in enumerate(report._batches):
            messages, _ = report._decode(position)
            sent = iter(messages)
            for offset, index in enumerate(batch.input_indexes()):
                refused = batch.invalid.get(offset) if batch.invalid else None
                print_ = invalid_fingerprint(refused[1]) if refused is not None else fingerprint(compact(next(sent)))
                if report._owner[index] == position:
                    table[index * FINGERPRINT_SIZE : (index + 1) * FINGERPRINT_SIZE] = print_
        return table

    def wire(self, index: int) -> dict[str, Any]:
        """The wire form a message was recorded with (for one the client refused: `{"input": ...}`)."""
        report = self.report
        return report[index]._wire_message

    def has_outcome(self, index: int) -> bool:
        report = self.report
        return report._owner[index] != _NO_BATCH

    def refused(self, index: int) -> bool:
        """Whether the client refused this message before sending (invalid input)."""
        report = self.report
        batch = report._batches[report._owner[index]]
        return batch.invalid is not None and batch.offset(index) in batch.invalid

    def _set_code(self, index: int, code: int) -> None:
        report = self.report
        counts = list(report._counts)
        counts[report._codes[index]] -= 1
        counts[code] += 1
        report._codes[index] = code
        report._counts = counts

    def confirm(self, found: dict[int, Evidence], checked_at: float) -> None:
        """Reconcile: these unknown messages are proven sent by NP6's events; the others were looked for."""
        report = self.report
        with critical():
            if report._journal_path is not None:
                writer = report._journal or Journal(report._journal_path, create=False)
                try:
                    writer.add_evidence(
                        [
                            (i, e.event_id, e.event_type, e.time.timestamp() if e.time else None, e.message_id)
                            for i, e in found.items()
                        ]
                    )
                    writer.set_checked(checked_at)
                finally:
                    if writer is not report._journal:
                        writer.close()
            for index, evidence in found.items():
                if report._codes[index] == CODE[Outcome.UNKNOWN]:
                    self._set_code(index, CODE[Outcome.SENT])
                    report._evidence[index] = evidence
            report._reconciled_at = checked_at

    def finish(self) -> None:
        report = self.report
        report._finished = report._clock()

    def reopen(self) -> None:
        """A send goes on with this report (a resume): its clock runs again."""
        self.report._finished = None

    def detach(self) -> None:
        """The send is over: the journal's lock is released."""
        self.report._detach()

    @property
    def codes(self) -> bytearray:
        """Every message's outcome code, in input order (`CODE`, 0 while pending)."""
        return self.report._codes


def compact(data: Any) -> bytes:
    """The wire form of a message: compact JSON, strict (no NaN/Infinity), UTF-8."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def invalid_fingerprint(given: str) -> bytes:
    """The fingerprint of an input the client refused: of the input as the report keeps it."""
    return fingerprint(b"\x00invalid\x00" + given.encode("utf-8", "backslashreplace"))


class _open_text:
    def __init__(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        self._destination = destination
        self._owned: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self._destination, (str, os.PathLike)):
            # A hostile answer can hold lone surrogates (valid JSON escapes): written escaped, not raised.
            self._owned = open(self._destination, "w", newline="", encoding="utf-8", errors="backslashreplace")
            return self._owned
        if isinstance(self._destination, io.TextIOBase) or hasattr(self._destination, "write"):
            return self._destination
        raise TypeError("destination must be a path or a text stream")

    def __exit__(self, *exc: object) -> None:
        if self._owned is not None:
            self._owned.close()
