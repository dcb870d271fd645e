"""`SendReport`: what happened to every message of a `send_many`, exactly once, in input order.

A report of ten million messages must not cost ten million objects. It keeps one byte per message (its
outcome) and, per batch, the raw request and response bodies in a spool file (in memory while small, on disk
beyond); message models, results and footprints are parsed only when someone looks at them.
"""

from __future__ import annotations

import bisect
import csv
import enum
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import attrs
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import ExecutionError, ExecutionSuccess, RecipientByFootprint, UnknownExecutionResult
from np6_generated.models import SmsMessage as SmsMessageModel

from ._channel import Channel
from .models import ExecutionResult

__all__ = ["Outcome", "MessageOutcome", "SendProgress", "SendReport"]

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


@attrs.frozen
class SendProgress:
    """Running counts, given to `on_progress` after each batch."""

    sent: int
    rejected: int
    failed: int
    unknown: int
    elapsed: float

    @property
    def done(self) -> int:
        return self.sent + self.rejected + self.failed + self.unknown


@attrs.define(slots=True)
class _Batch:
    first: int
    count: int
    request: tuple[int, int]  # span of the JSON array sent, in the spool
    response: tuple[int, int] | None  # span of the JSON array of results, when NP6 answered one per message
    reason: str | None  # why the whole batch is failed/unknown
    request_id: str | None
    # Messages the client refused before sending (offset in batch -> (reason, the input as given)); they are not
    # in the request body, so the sent messages' positions skip them.
    invalid: dict[int, tuple[str, str]] | None = None
    notes: dict[int, str] | None = None  # offset in batch -> reason, for single messages of a sent batch


class _Spool:
    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
        self._size = 0

    def write(self, data: bytes) -> tuple[int, int]:
        self._file.seek(self._size)
        self._file.write(data)
        span = (self._size, len(data))
        self._size += len(data)
        return span

    def read(self, span: tuple[int, int]) -> bytes:
        self._file.seek(span[0])
        return self._file.read(span[1])

    def close(self) -> None:
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
        if self._wire_result is None or self.outcome is not Outcome.SENT:
            return None
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
    kind = item.get("type")
    if kind == "success":
        return ExecutionSuccess.from_dict(item)
    if kind == "error":
        return ExecutionError.from_dict(item)
    return UnknownExecutionResult.from_dict(item)


class SendReport:
    """Every message of a `send_many`, exactly once, in input order.

    `report.counts` (and `.sent`, `.rejected`, `.failed`, `.unknown`), `len(report)`, `report[i]`,
    iteration in input order, `report.outcomes(Outcome.REJECTED)`, `report.retryable()`, `report.elapsed`,
    `report.messages_per_second`, `report.to_csv(path)`, `report.to_jsonl(path)`.
    """

    def __init__(self, action_id: str, channel: Channel, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self.action_id = action_id
        self.channel = channel
        self._codes = bytearray()
        self._counts = [0] * len(_CODES)
        self._batches: list[_Batch] = []
        self._firsts: list[int] = []
        self._spool = _Spool()
        self._clock = clock
        self._started = clock()
        self._finished: float | None = None
        self.stopped_by: BaseException | None = None
        """The error that made send_many stop sending (the rest of the input is then `failed`)."""
        self._decoded: tuple[int, list[Any], list[Any] | None] | None = None

    # ------------------------------------------------------------------------------------------- writing

    def reserve(self, count: int) -> int:
        """Claim the next `count` indexes (in input order) for a batch being sent."""
        first = len(self._codes)
        self._codes.extend(bytes(count))
        return first

    def record(
        self,
        first: int,
        codes: bytes,
        request_body: bytes,
        response_body: bytes | None,
        *,
        reason: str | None = None,
        request_id: str | None = None,
        invalid: dict[int, tuple[str, str]] | None = None,
        notes: dict[int, str] | None = None,
    ) -> None:
        count = len(codes)
        if self._codes[first : first + count] != bytes(count):
            raise RuntimeError(f"messages {first}..{first + count - 1} were already recorded")
        self._codes[first : first + count] = codes
        for code in set(codes):
            self._counts[code] += codes.count(code)
        batch = _Batch(
            first=first,
            count=count,
            request=self._spool.write(request_body),
            response=None if response_body is None else self._spool.write(response_body),
            reason=reason,
            request_id=request_id,
            invalid=invalid or None,
            notes=notes or None,
        )
        position = bisect.bisect(self._firsts, first)
        self._firsts.insert(position, first)
        self._batches.insert(position, batch)

    def finish(self) -> None:
        self._finished = self._clock()

    def progress(self) -> SendProgress:
        return SendProgress(self.sent, self.rejected, self.failed, self.unknown, self.elapsed)

    # ------------------------------------------------------------------------------------------- reading

    def count(self, outcome: Outcome) -> int:
        return self._counts[CODE[outcome]]

    @property
    def sent(self) -> int:
        return self.count(Outcome.SENT)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    @property
    def unknown(self) -> int:
        return self.count(Outcome.UNKNOWN)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def ok(self) -> bool:
        """Every message was sent."""
        return self.sent == len(self)

    @property
    def elapsed(self) -> float:
        end = self._finished if self._finished is not None else self._clock()
        return end - self._started

    @property
    def messages_per_second(self) -> float:
        elapsed = self.elapsed
        return len(self) / elapsed if elapsed > 0 else 0.0

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, index: int) -> MessageOutcome:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        position = bisect.bisect(self._firsts, index) - 1
        if position < 0 or index >= self._batches[position].first + self._batches[position].count:
            raise LookupError(f"message {index} has no recorded outcome yet")
        return self._outcome(position, index)

    def __iter__(self) -> Iterator[MessageOutcome]:
        for position, batch in enumerate(self._batches):
            for index in range(batch.first, batch.first + batch.count):
                yield self._outcome(position, index)

    def outcomes(self, outcome: Outcome) -> Iterator[MessageOutcome]:
        """The messages with this outcome, in input order."""
        code = CODE[outcome]
        for position, batch in enumerate(self._batches):
            if code in self._codes[batch.first : batch.first + batch.count]:
                for index in range(batch.first, batch.first + batch.count):
                    if self._codes[index] == code:
                        yield self._outcome(position, index)

    def retryable(self) -> list[EmailMessageModel | SmsMessageModel]:
        """The messages safe to send again (the `failed` ones), ready for another `send_many`."""
        return [message for item in self.outcomes(Outcome.FAILED) if (message := item.message) is not None]

    def _outcome(self, position: int, index: int) -> MessageOutcome:
        batch = self._batches[position]
        messages, results = self._decode(position)
        offset = index - batch.first
        outcome = _CODES[self._codes[index]]
        assert outcome is not None
        reason = batch.notes.get(offset, batch.reason) if batch.notes else batch.reason
        wire_result: Any = None
        if batch.invalid and offset in batch.invalid:
            reason, given = batch.invalid[offset]
            wire_message: dict[str, Any] = {"input": given}
        else:
            sent_position = offset - (sum(1 for o in batch.invalid if o < offset) if batch.invalid else 0)
            wire_message = messages[sent_position]
            wire_result = results[sent_position] if results is not None else None
        if outcome is Outcome.REJECTED and reason is None and isinstance(wire_result, dict):
            value = wire_result.get("value")
            kind = value.get("type") if isinstance(value, dict) else None
            reason = str(kind) if kind else "rejected by NP6"
        return MessageOutcome(
            index=index,
            outcome=outcome,
            reason=reason,
            request_id=batch.request_id,
            wire_message=wire_message,
            wire_result=wire_result if isinstance(wire_result, dict) else None,
            channel=self.channel,
        )

    def _decode(self, position: int) -> tuple[list[Any], list[Any] | None]:
        if self._decoded is not None and self._decoded[0] == position:
            return self._decoded[1], self._decoded[2]
        batch = self._batches[position]
        messages = json.loads(self._spool.read(batch.request))
        results = None if batch.response is None else json.loads(self._spool.read(batch.response))
        self._decoded = (position, messages, results)
        return messages, results

    # ------------------------------------------------------------------------------------------- export

    _COLUMNS = ("index", "outcome", "message_id", "recipient", "footprint_id", "reason", "request_id", "input")

    def _rows(self) -> Iterator[dict[str, Any]]:
        for item in self:
            footprint = (
                item._wire_result.get("recipient") if item._wire_result and item.outcome is Outcome.SENT else None
            )
            yield {
                "index": item.index,
                "outcome": item.outcome.value,
                "message_id": item.message_id,
                "recipient": item.recipient,
                "footprint_id": footprint.get("id") if isinstance(footprint, dict) else None,
                "reason": item.reason,
                "request_id": item.request_id,
                "input": item.input,
            }

    def to_csv(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """One row per message: index, outcome, message id, recipient (JSON), footprint id, reason, request id and,
        for inputs refused before sending, the input as given."""
        with _open_text(destination) as stream:
            writer = csv.DictWriter(stream, fieldnames=self._COLUMNS)
            writer.writeheader()
            for row in self._rows():
                row["recipient"] = json.dumps(row["recipient"], separators=(",", ":"))
                writer.writerow(row)

    def to_jsonl(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        """One JSON object per line and message, with the same fields as `to_csv`."""
        with _open_text(destination) as stream:
            for row in self._rows():
                stream.write(json.dumps(row, separators=(",", ":")) + "\n")

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return (
            f"{len(self)} messages to action {self.action_id}: {parts}"
            f" in {self.elapsed:.2f} s ({self.messages_per_second:,.0f} messages/s)"
        )

    def __repr__(self) -> str:
        return f"<SendReport {self.summary()}>"


class _open_text:
    def __init__(self, destination: str | os.PathLike[str] | IO[str]) -> None:
        self._destination = destination
        self._owned: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self._destination, (str, os.PathLike)):
            self._owned = open(self._destination, "w", newline="", encoding="utf-8")
            return self._owned
        if isinstance(self._destination, io.TextIOBase) or hasattr(self._destination, "write"):
            return self._destination
        raise TypeError("destination must be a path or a text stream")

    def __exit__(self, *exc: object) -> None:
        if self._owned is not None:
            self._owned.close()
