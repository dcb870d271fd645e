"""`send_many`: any number of messages through `/executions`, batch by batch, each message accounted once.

The rules, in the order they apply to a batch:
- a message the client can tell is invalid is `rejected` without being sent (the rest of its batch goes on);
- 413 (batch too large): NP6 processed nothing, so the batch is split in halves and each is sent again;
- a refusal before NP6 processed the batch (connection refused, 4xx, 429/502/503 once retries are spent) makes
  its messages `failed`: safe to send again. 401, 403, 404, 409, 410 and 415 would refuse every batch, so the
  send stops there: the rest of the input is consumed and reported `failed` (not sent) without a request;
- an answer that may hide a processed batch (timeout after sending, connection lost, 500, 504, an unparseable
  2xx) makes its messages `unknown`; they are never retried;
- otherwise NP6 answered one result per message: `success` -> `sent`, `error` -> `rejected`. When the results
  cannot be matched to the messages (wrong count, a footprint that is not the recipient sent, a result that is
  not an object), the whole batch is `unknown`: nothing is guessed or re-attributed.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from contextlib import suppress
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import attrs
import httpx
from np6_generated.api.actions import send_messages_email, send_messages_sms

from .._content.channel import Channel
from .._content.recipients import CONTROL_CHARACTERS
from .._content.sendable import message_channel, send_model
from .._core import jsonio
from .._core.engine import Flow, string_keys
from .._core.errors import (
    AuthenticationError,
    ConflictError,
    GoneError,
    InvalidInputError,
    JournalError,
    NotFoundError,
    NP6Error,
    PayloadTooLargeError,
    PermissionDeniedError,
    ResponseParseError,
    UnsupportedMediaTypeError,
)

# DEFAULT_LIMITS is read for a BatchSender without flows only, which the tests make to prepare batches (never to
# send): its annotation says flows are always given, so pyright takes that branch for unreachable, the name unused.
from .._core.limits import DEFAULT_LIMITS, check_message_bytes  # pyright: ignore[reportUnusedImport]
from .._core.retry import OperationKind
from .defaults import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, MAX_BATCH_SIZE, ProgressCallback
from .journal import fingerprint
from .report import CODE, Outcome, Pending, Recorder, compact, invalid_fingerprint

if TYPE_CHECKING:
    from .._resources.actions import ActionsFlows

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_CONCURRENCY",
    "BatchSender",
    "Indexes",
    "ProgressCallback",
    "Recorded",
    "check_options",
]


# Errors that every following batch would get too: stop sending instead of repeating them.
_STOPPING = (
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    GoneError,
    UnsupportedMediaTypeError,
)

_SENT, _REJECTED, _FAILED, _UNKNOWN = (
    CODE[o] for o in (Outcome.SENT, Outcome.REJECTED, Outcome.FAILED, Outcome.UNKNOWN)
)


def check_options(batch_size: int, concurrency: int = 1) -> None:
    for name, value, top in (("batch_size", batch_size, MAX_BATCH_SIZE), ("concurrency", concurrency, 64)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
            raise InvalidInputError(f"{name} must be an integer from 1 to {top}, got {value!r}")


_ONLY_STR = {str}
_UNICITY_PREFIX = '{"recipient":{"type":"unicity","value":['
_UNICITY_OVERHEAD = len(_UNICITY_PREFIX) + len('""]}}')
_UNICITY_JOINT = "]}}," + _UNICITY_PREFIX  # between two encoded unicity strings of a batch body

_INTERRUPTED = (
    "interrupted while its request was in flight: NP6 may have processed it, so the messages may have been sent"
)
_NOT_STARTED = (
    "not sent: the send stopped before this batch's request went out, or while it waited to retry one NP6 had"
    " refused unprocessed"
)


def _unicity_part(value: str) -> str:
    # Exactly the bytes `compact` gives for the wire dict of a unicity string (a test holds them equal).
    return f"{_UNICITY_PREFIX}{encode_basestring(value)}]}}}}"


@attrs.define(slots=True)
class _Prepared:
    """A batch of input messages: the valid ones in wire form, in order, and why the others were refused.

    The valid messages are either `values`, when every message is a plain unicity string (the common case, kept
    as the strings themselves), or `messages`, their wire dicts, with `parts`, each one's compact JSON.
    """

    count: int
    messages: list[dict[str, Any]] | None
    invalid: dict[int, tuple[str, str]]  # offset in the batch -> (reason, the input as given)
    values: list[str] | None = None
    parts: list[bytes] | None = None

    @property
    def size(self) -> int:
        """How many messages go in the request."""
        return len(self.values) if self.values is not None else len(self.messages or ())

    def body(self) -> bytes:
        """The request body: a JSON array of the valid messages."""
        if self.values is None:
            return b"[" + b",".join(self.parts or ()) + b"]"
        if not self.values:
            return b"[]"
        # Built in one pass from the strings, no Python code per message: the same bytes as `_unicity_part` gives
        # each, joined by commas.
        return ("[" + _UNICITY_PREFIX + _UNICITY_JOINT.join(map(encode_basestring, self.values)) + "]}}]").encode()

    def fingerprints(self) -> bytes:
        """8 bytes per input message, in input order: of its wire form, or of the refused input."""
        if self.values is not None:
            sent: Iterator[bytes] = (_unicity_part(v).encode() for v in self.values)
        else:
            sent = iter(self.parts or ())
        prints = bytearray()
        for offset in range(self.count):
            refused = self.invalid.get(offset)
            prints += invalid_fingerprint(refused[1]) if refused is not None else fingerprint(next(sent))
        return bytes(prints)

    def recipient(self, position: int) -> Any:
        """The wire recipient of the valid message at `position`."""
        if self.values is not None:
            return {"type": "unicity", "value": [self.values[position]]}
        return (self.messages or [])[position].get("recipient")

    def split(self) -> tuple[_Prepared, _Prepared]:
        half = self.count // 2
        cut = half - sum(1 for offset in self.invalid if offset < half)
        messages, values, parts = self.messages, self.values, self.parts
        return (
            _Prepared(
                half,
                None if messages is None else messages[:cut],
                {o: v for o, v in self.invalid.items() if o < half},
                None if values is None else values[:cut],
                None if parts is None else parts[:cut],
            ),
            _Prepared(
                self.count - half,
                None if messages is None else messages[cut:],
                {o - half: v for o, v in self.invalid.items() if o >= half},
                None if values is None else values[cut:],
                None if parts is None else parts[cut:],
            ),
        )

    def codes(self, valid_codes: bytes | int) -> bytes:
        """Outcome codes for the whole batch: the invalid messages are rejected, the others get `valid_codes`."""
        if isinstance(valid_codes, int):
            valid_codes = bytes([valid_codes]) * self.size
        if not self.invalid:
            return valid_codes
        codes = bytearray()
        sent = iter(valid_codes)
        for offset in range(self.count):
            codes.append(_REJECTED if offset in self.invalid else next(sent))
        return bytes(codes)


@attrs.frozen
class Recorded:
    """A message as a journal recorded it (its wire form), sent again on resume byte for byte: re-serialising a
    model parsed back from it could reorder its keys, and the next resume would see another message."""

    wire: dict[str, Any]


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the slow path reports which message
        return False
    return True


class _MatchError(Exception):
    pass


Indexes: TypeAlias = "range | array[int]"
"""The input indexes of a batch: a range, or (messages sent again on resume) an array of them."""


class BatchSender:
    """The flows of one `send_many` call: preparing batches, sending them, recording what happened."""

    def __init__(self, flows: ActionsFlows, action_id: str, channel: Channel, recorder: Recorder) -> None:
        self._flows = flows
        self.action_id = action_id
        self.channel = channel
        self.recorder = recorder
        self.report = recorder.report
        # Batches begun and not yet recorded, by id: what an interruption must account for.
        self._open: dict[int, tuple[Pending, _Prepared]] = {}
        self._max_message_bytes = (flows._limits if flows is not None else DEFAULT_LIMITS).max_message_bytes

    # ------------------------------------------------------------------------------------- preparation

    def prepare(self, items: list[Any]) -> _Prepared:
        # The common case, a batch of unicity strings: their wire form, exactly what the generated models produce
        # for `EmailMessage(recipient=RecipientByUnicity(type_="unicity", value=[item]))` (a test holds them
        # equal), built in one pass without a model per message.
        max_bytes = self._max_message_bytes
        if (
            set(map(type, items)) == _ONLY_STR
            and "" not in items
            and not any(map(str.isspace, items))
            # 4 bytes per character at most as UTF-8 (escapes are 6 for 1), plus the recipient's own JSON
            and max(map(len, items), default=0) * 6 + _UNICITY_OVERHEAD <= max_bytes
            and _encodable(joined := "".join(items))
            # isprintable() is false for every control character, and twice as fast as the search it spares
            and (joined.isprintable() or not CONTROL_CHARACTERS.search(joined))
        ):
            return _Prepared(len(items), None, {}, items)
        wires: list[dict[str, Any]] = []
        parts: list[bytes] = []
        invalid: dict[int, tuple[str, str]] = {}
        for offset, item in enumerate(items):
            try:
                if type(item) is str and item and not item.isspace() and not CONTROL_CHARACTERS.search(item):
                    wire: dict[str, Any] = {"recipient": {"type": "unicity", "value": [item]}}
                elif type(item) is Recorded:
                    wire = item.wire
                else:
                    wanted = message_channel(item)
                    if wanted is not None and wanted is not self.channel:
                        reason = (
                            f"an {wanted.name} message cannot be sent to the {self.channel.name} action"
                            f" {self.action_id}"
                        )
                        invalid[offset] = (f"invalid input (not sent): {reason}", _describe(item))
                        continue
                    wire = send_model(item, self.channel).to_dict()
                    string_keys(wire)
                part = compact(wire)
                check_message_bytes(len(part), max_bytes)
            except InvalidInputError as exc:
                invalid[offset] = (f"invalid input (not sent): {exc}", _describe(item))
                continue
            except Exception as exc:  # any problem with this message's content is this message's outcome
                reason = f"invalid input (not sent): its content cannot be encoded as JSON ({_error_text(exc)})"
                invalid[offset] = (reason, _describe(item))
                continue
            wires.append(wire)
            parts.append(part)
        return _Prepared(len(items), wires, invalid, None, parts)

    # ------------------------------------------------------------------------------------------- sending

    def batch(self, indexes: Indexes, items: list[Any]) -> Flow[None]:
        """Send one batch of input messages, whose input indexes are `indexes`."""
        prepared = self.prepare(items)
        if self.report.stopped_by is not None:
            reason = f"not sent: the send stopped after {self.report.stopped_by}"
            self._record_error(self._pending(indexes, prepared), prepared, reason, _FAILED, None)
            return
        yield from self._send(indexes, prepared, None)

    def not_sent(self, indexes: Indexes, items: list[Any], reason: str) -> None:
        """Record messages taken from the input whose batch never started (the send was interrupted)."""
        try:
            prepared = self.prepare(items)
        except BaseException:  # the content itself raises (even SystemExit): recorded without touching it again
            refused = {o: (reason, f"<{type(i).__name__} object>") for o, i in enumerate(items)}
            prepared = _Prepared(len(items), [], refused, None, [])
        self._record_error(self._pending(indexes, prepared), prepared, reason, _FAILED, None)

    def _pending(self, indexes: Indexes, prepared: _Prepared) -> Pending:
        return Pending(indexes, prepared.body(), prepared.invalid or None)

    def _send(self, indexes: Indexes, prepared: _Prepared, pending: Pending | None) -> Flow[None]:
        if not prepared.size:
            self._record(pending or self._pending(indexes, prepared), prepared.codes(b""), None)
            return
        # The generated function gives the method, URL and media type; the body is encoded here, once, from the
        # wire dicts (it would call `to_dict()` on models this path never builds) and the same bytes go to the
        # report.
        if self.channel is Channel.EMAIL:
            request = send_messages_email.build_request(id=self.action_id, body=[])
        else:
            request = send_messages_sms.build_request(id=self.action_id, body=[])
        del request["json"]
        request_bytes = request["content"] = prepared.body()
        if pending is None:
            pending = self.recorder.begin(indexes, request_bytes, prepared.invalid or None)
        else:
            self.recorder.launch(pending)
        self._open[id(pending)] = (pending, prepared)
        begun = pending

        def on_attempt(may_be_processed: bool) -> None:
            begun.attempted = may_be_processed

        try:
            response, results = yield from self._flows._call(
                request, _results_of, OperationKind.SEND, on_attempt, messages=prepared.size
            )
        except PayloadTooLargeError as error:
            yield from self._split(indexes, prepared, pending, error)
            return
        except NP6Error as error:
            code = _FAILED
            if error.outcome_unknown or isinstance(error, ResponseParseError):
                code = _UNKNOWN
            elif isinstance(error, _STOPPING):
                self.report.stopped_by = error
            self._record_error(pending, prepared, str(error), code, getattr(error, "request_id", None))
            return
        except BaseException:
            # Ctrl-C, a cancellation, a transport that raised: what was in flight is recorded before it goes on.
            self._abandon(pending, prepared)
            raise
        request_id = response.headers.get("x-request-id")
        try:
            codes, notes = _match(prepared, results)
        except _MatchError as exc:
            reason = f"NP6's answer cannot be matched to the messages sent ({exc}); they may have been sent"
            self._record_error(pending, prepared, reason, _UNKNOWN, request_id)
            return
        except Exception as exc:  # a hostile answer must not cost the record of a batch NP6 processed
            reason = f"NP6's answer cannot be read ({_error_text(exc)}); the messages may have been sent"
            self._record_error(pending, prepared, reason, _UNKNOWN, request_id)
            return
        self._record(pending, codes, response.content, request_id=request_id, notes=notes)

    def _split(
        self, indexes: Indexes, prepared: _Prepared, pending: Pending, error: PayloadTooLargeError
    ) -> Flow[None]:
        """A 413: NP6 processed none of the batch; its halves replace it, in one record, and are sent in turn."""
        if prepared.count == 1:
            reason = "NP6 answered 413 for this message alone: it is too large to send"
            self._record_error(pending, prepared, reason, _FAILED, error.request_id)
            return
        head, tail = prepared.split()
        first, second = indexes[: head.count], indexes[head.count :]
        head_pending, tail_pending = self.recorder.split(
            pending,
            (first, head.body(), head.invalid or None),
            (second, tail.body(), tail.invalid or None),
        )
        self._open.pop(id(pending), None)
        # Both halves are accounted from now on: an interruption while the first is in flight fails the second.
        self._open[id(head_pending)] = (head_pending, head)
        self._open[id(tail_pending)] = (tail_pending, tail)
        yield from self._send(first, head, head_pending)
        yield from self._send(second, tail, tail_pending)

    def abandon(self) -> None:
        """The send is interrupted: batches begun and not recorded are `unknown` if their request went out, else
        `failed`. (Ctrl-C can land in the driver after an answer, before the flow sees it.)"""
        for pending, prepared in list(self._open.values()):
            with suppress(JournalError):  # recorded in memory all the same (see Recorder._writing)
                self._abandon(pending, prepared)

    def _abandon(self, pending: Pending, prepared: _Prepared) -> None:
        if pending.done:
            return
        if pending.attempted:
            self._record_error(pending, prepared, _INTERRUPTED, _UNKNOWN, None)
        else:
            self._record_error(pending, prepared, _NOT_STARTED, _FAILED, None)

    def _record(self, pending: Pending, codes: bytes, response: bytes | None, **details: Any) -> None:
        """`Recorder.record` (the same `reason`, `request_id`, `notes`), and the batch is no longer open."""
        self.recorder.record(pending, codes, response, **details)
        self._open.pop(id(pending), None)

    def _record_error(
        self,
        pending: Pending,
        prepared: _Prepared,
        reason: str,
        code: int,
        request_id: str | None,
    ) -> None:
        self._record(pending, prepared.codes(code), None, reason=reason, request_id=request_id)


def _error_text(exc: BaseException) -> str:
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:
        text = type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "..."


def _match(prepared: _Prepared, answer: list[object] | _Successes) -> tuple[bytes, dict[int, str]]:
    """Outcome codes from NP6's results, or _MatchError when they cannot be matched to the messages sent."""
    size = prepared.size
    count = len(answer.unicity if isinstance(answer, _Successes) else answer)
    if count != size:
        raise _MatchError(f"{count} results for {size} messages")
    values = prepared.values
    if isinstance(answer, _Successes):
        if values is not None and answer.unicity == values:
            return prepared.codes(_SENT), {}
        results = answer.decoded()
    else:
        results = answer
        if values is not None and _all_sent_to(values, results):
            return prepared.codes(_SENT), {}
    valid = bytearray(size)
    unrecognised: dict[int, str] = {}
    for position, result in enumerate(results):
        if type(result) is not dict:
            raise _MatchError(f"result {position} is not an object")
        result = cast("dict[str, Any]", result)
        kind = result.get("type")
        if kind == "success":
            footprint = result.get("recipient")
            # Fast path: no footprint, or one that names the very unicity value that was sent.
            if footprint is not None and not (
                values is not None
                and type(footprint) is dict
                and cast("dict[str, Any]", footprint).get("unicity") == values[position]
            ):
                _check_footprint(prepared.recipient(position), footprint, position)
            valid[position] = _SENT
        elif kind == "error":
            value = result.get("value")
            echoed = cast("dict[str, Any]", value).get("recipient") if type(value) is dict else None
            _check_echo(prepared.recipient(position), echoed)
            valid[position] = _REJECTED
        else:
            valid[position] = _UNKNOWN
            unrecognised[position] = f"unrecognised result type {kind!r}; the message may have been sent"
    if not unrecognised or not prepared.invalid:
        return prepared.codes(bytes(valid)), unrecognised
    # Notes are kept by offset in the batch, which counts the invalid messages too.
    offsets = [offset for offset in range(prepared.count) if offset not in prepared.invalid]
    return prepared.codes(bytes(valid)), {offsets[p]: note for p, note in unrecognised.items()}


def _all_sent_to(values: list[str], results: list[object]) -> bool:
    """Whether every result is a success whose footprint names the unicity value sent: the usual answer, told in
    two passes of C-speed comprehensions instead of the loop of `_match` (a sixth of a batch's CPU). Any other
    answer, malformed ones included, goes through that loop."""
    rows = cast("list[Any]", results)  # JSON values: whatever is not an object fails the lookups below
    try:
        return [row["recipient"]["unicity"] for row in rows] == values and all(
            [row["type"] == "success" for row in rows]
        )
    except (TypeError, KeyError):  # a result or footprint that is not an object, or lacks the member
        return False


@attrs.frozen
class _Successes:
    """An answer whose every result is a success naming `unicity[i]`, read without decoding the rest of it
    (`jsonio.sent_to`); decoded whole only if the names are not those sent."""

    unicity: list[str]
    content: bytes

    def decoded(self) -> list[object]:
        return _decoded(self.content)


def _decoded(content: bytes) -> list[object]:
    results = jsonio.results(content)
    if not isinstance(results, list):
        raise ValueError(f"expected a JSON array of results, got {type(results).__name__}")
    return cast("list[object]", results)


def _results_of(response: httpx.Response) -> tuple[httpx.Response, list[object] | _Successes]:
    """Decode the answer once, without building models (they are parsed on access, from the report)."""
    content = response.content
    unicity = jsonio.sent_to(content)
    if unicity is not None:
        return response, _Successes(unicity, content)
    return response, _decoded(content)


def _same(a: object, b: object) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.casefold() == b.casefold()


def _check_footprint(sent: Any, footprint: Any, position: int) -> None:
    """A success's footprint must be the contact the message named, when both say enough to tell."""
    if footprint is None or type(sent) is not dict:
        return
    if type(footprint) is not dict:
        raise _MatchError(f"result {position} has a recipient that is not an object")
    sent, footprint = cast("dict[str, Any]", sent), cast("dict[str, Any]", footprint)
    kind, value = sent.get("type"), sent.get("value")
    if kind == "unicity" and type(value) is list and len(cast("list[object]", value)) == 1:
        named = cast("list[object]", value)[0]
        given = footprint.get("unicity")
        if type(given) is list:
            given = cast("list[object]", given)
            if len(given) == 1:
                given = given[0]
        if given is not None and given != named and not _same(named, given):
            raise _MatchError(f"result {position} is for {given!r}, the message was for {named!r}")
    elif kind in ("id", "hash"):
        given = footprint.get(kind)
        if given is not None and given != value:
            raise _MatchError(f"result {position} is for {kind} {given!r}, the message was for {value!r}")


def _check_echo(sent: Any, echoed: Any) -> None:
    if not (isinstance(sent, dict) and isinstance(echoed, dict)):
        return
    sent, echoed = cast("dict[str, Any]", sent), cast("dict[str, Any]", echoed)
    if echoed.get("type") == sent.get("type") and echoed.get("value") != sent.get("value"):
        raise _MatchError(f"an error result names {echoed.get('value')!r}, the message was for {sent.get('value')!r}")


def _describe(item: object, limit: int = 200) -> str:
    try:
        text = item if isinstance(item, str) else repr(item)
    except Exception:  # a hostile __repr__ must not cost the record of the message
        text = f"<{type(item).__name__} object>"
    if not _encodable(text):  # kept printable, so that the report's CSV/JSON exports can write it
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."
