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

import itertools
import json
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from np6_generated.api.actions import send_messages_email, send_messages_sms

from ._channel import Channel
from ._engine import Flow
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConflictError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    NP6Error,
    PayloadTooLargeError,
    PermissionDeniedError,
    ResponseParseError,
    UnsupportedMediaTypeError,
)
from ._report import CODE, Outcome, SendProgress, SendReport
from ._retry import OperationKind

if TYPE_CHECKING:
    from ._actions import ActionsFlows

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_CONCURRENCY", "BatchSender", "ProgressCallback", "check_options"]

# NP6 documents no limit per call. 500 is what a production integration settled on: a request body of ~50 KB,
# an answer within seconds, and a failure that leaves at most 500 messages to look at.
DEFAULT_BATCH_SIZE = 500
DEFAULT_CONCURRENCY = 4
MAX_BATCH_SIZE = 10_000

ProgressCallback = Callable[[SendProgress], object]

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


@attrs.define(slots=True)
class _Prepared:
    """A batch of input messages: the valid ones in wire form, in order, and why the others were refused.

    The valid messages are either `values`, when every message is a plain unicity string (the common case, kept
    as the strings themselves), or `messages`, their wire dicts.
    """

    count: int
    messages: list[dict[str, Any]] | None
    invalid: dict[int, tuple[str, str]]  # offset in the batch -> (reason, the input as given)
    values: list[str] | None = None

    @property
    def size(self) -> int:
        """How many messages go in the request."""
        return len(self.values) if self.values is not None else len(self.messages or ())

    def body(self) -> bytes:
        """The request body: a JSON array of the valid messages."""
        if self.values is None:
            return _compact(self.messages)
        # Exactly the bytes `_compact` gives for the wire dicts (a test holds them equal), without building them:
        # this is a third of the client's cost per batch otherwise.
        return ("[" + ",".join([f"{_UNICITY_PREFIX}{encode_basestring(v)}]}}}}" for v in self.values]) + "]").encode()

    def recipient(self, position: int) -> Any:
        """The wire recipient of the valid message at `position`."""
        if self.values is not None:
            return {"type": "unicity", "value": [self.values[position]]}
        return (self.messages or [])[position].get("recipient")

    def split(self) -> tuple[_Prepared, _Prepared]:
        half = self.count // 2
        cut = half - sum(1 for offset in self.invalid if offset < half)
        messages, values = self.messages, self.values
        return (
            _Prepared(
                half,
                None if messages is None else messages[:cut],
                {o: v for o, v in self.invalid.items() if o < half},
                None if values is None else values[:cut],
            ),
            _Prepared(
                self.count - half,
                None if messages is None else messages[cut:],
                {o - half: v for o, v in self.invalid.items() if o >= half},
                None if values is None else values[cut:],
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


def _compact(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def _request_body(error: NP6Error) -> bytes | None:
    request: httpx.Request | None = None
    if isinstance(error, APIStatusError):
        request = error.response.request
    elif isinstance(error, APIConnectionError):
        request = error.request
    try:
        return request.content if request is not None else None
    except httpx.RequestNotRead:
        return None


class BatchSender:
    """The flows of one `send_many` call: preparing batches, sending them, recording what happened."""

    def __init__(self, flows: ActionsFlows, action_id: str, channel: Channel, report: SendReport) -> None:
        self._flows = flows
        self.action_id = action_id
        self.channel = channel
        self.report = report

    # ------------------------------------------------------------------------------------- preparation

    def prepare(self, items: list[Any]) -> _Prepared:
        from ._actions import _message_channel, _send_model

        # The common case, a batch of unicity strings: their wire form, exactly what the generated models produce
        # for `EmailMessage(recipient=RecipientByUnicity(type_="unicity", value=[item]))` (a test holds them
        # equal), built in one pass without a model per message.
        if (
            set(map(type, items)) == _ONLY_STR
            and "" not in items
            and not any(map(str.isspace, items))
            and _encodable("".join(items))
        ):
            return _Prepared(len(items), None, {}, items)
        wires: list[dict[str, Any]] = []
        invalid: dict[int, tuple[str, str]] = {}
        for offset, item in enumerate(items):
            if type(item) is str and item and not item.isspace() and _encodable(item):
                wires.append({"recipient": {"type": "unicity", "value": [item]}})
                continue
            wanted = _message_channel(item)
            if wanted is not None and wanted is not self.channel:
                reason = f"an {wanted.name} message cannot be sent to the {self.channel.name} action {self.action_id}"
                invalid[offset] = (f"invalid input (not sent): {reason}", _describe(item))
                continue
            try:
                wires.append(_send_model(item, self.channel).to_dict())
            except InvalidInputError as exc:
                invalid[offset] = (f"invalid input (not sent): {exc}", _describe(item))
        return _Prepared(len(items), wires, invalid)

    # ------------------------------------------------------------------------------------------- sending

    def batch(self, first: int, items: list[Any]) -> Flow[None]:
        """Send one batch of input messages, whose indexes start at `first` (see `SendReport.reserve`)."""
        prepared = self.prepare(items)
        if self.report.stopped_by is not None:
            reason = f"not sent: the send stopped after {self.report.stopped_by}"
            self._record_error(first, prepared, reason, _FAILED, None, None)
            return
        yield from self._send(first, prepared)

    def _send(self, first: int, prepared: _Prepared) -> Flow[None]:
        if not prepared.size:
            self.report.record(first, prepared.codes(b""), b"[]", None, invalid=prepared.invalid)
            return
        # The generated function gives the method, URL and media type; the body is encoded here, once, from the
        # wire dicts (it would call `to_dict()` on models this path never builds) and the same bytes go to the
        # report.
        module = send_messages_email if self.channel is Channel.EMAIL else send_messages_sms
        request = module._get_kwargs(id=self.action_id, body=[])
        del request["json"]
        request_bytes = request["content"] = prepared.body()
        try:
            response, results = yield from self._flows._call(request, _results_of, OperationKind.SEND)
        except PayloadTooLargeError as error:
            if prepared.count == 1:
                reason = "NP6 answered 413 for this message alone: it is too large to send"
                self._record_error(first, prepared, reason, _FAILED, _request_body(error), error.request_id)
                return
            head, tail = prepared.split()
            yield from self._send(first, head)
            yield from self._send(first + head.count, tail)
            return
        except NP6Error as error:
            code = _FAILED
            if isinstance(error, ResponseParseError) or getattr(error, "outcome_unknown", False):
                code = _UNKNOWN
            elif isinstance(error, _STOPPING):
                self.report.stopped_by = error
            self._record_error(
                first, prepared, str(error), code, _request_body(error), getattr(error, "request_id", None)
            )
            return
        request_id = response.headers.get("x-request-id")
        try:
            codes, notes = _match(prepared, results)
        except _MatchError as exc:
            reason = f"NP6's answer cannot be matched to the messages sent ({exc}); they may have been sent"
            self._record_error(first, prepared, reason, _UNKNOWN, request_bytes, request_id)
            return
        self.report.record(
            first, codes, request_bytes, response.content, request_id=request_id, invalid=prepared.invalid, notes=notes
        )

    def _record_error(
        self, first: int, prepared: _Prepared, reason: str, code: int, raw: bytes | None, request_id: str | None
    ) -> None:
        body = raw if raw else prepared.body()
        self.report.record(
            first, prepared.codes(code), body, None, reason=reason, request_id=request_id, invalid=prepared.invalid
        )


def _match(prepared: _Prepared, results: list[Any]) -> tuple[bytes, dict[int, str]]:
    """Outcome codes from NP6's results, or _MatchError when they cannot be matched to the messages sent."""
    size = prepared.size
    if len(results) != size:
        raise _MatchError(f"{len(results)} results for {size} messages")
    valid = bytearray(size)
    unrecognised: dict[int, str] = {}
    values = prepared.values
    for position, result in enumerate(results):
        if type(result) is not dict:
            raise _MatchError(f"result {position} is not an object")
        kind = result.get("type")
        if kind == "success":
            footprint = result.get("recipient")
            # Fast path: no footprint, or one that names the very unicity value that was sent.
            if footprint is not None and not (
                values is not None and type(footprint) is dict and footprint.get("unicity") == values[position]
            ):
                _check_footprint(prepared.recipient(position), footprint, position)
            valid[position] = _SENT
        elif kind == "error":
            value = result.get("value")
            _check_echo(prepared.recipient(position), value.get("recipient") if type(value) is dict else None)
            valid[position] = _REJECTED
        else:
            valid[position] = _UNKNOWN
            unrecognised[position] = f"unrecognised result type {kind!r}; the message may have been sent"
    if not unrecognised or not prepared.invalid:
        return prepared.codes(bytes(valid)), unrecognised
    # Notes are kept by offset in the batch, which counts the invalid messages too.
    offsets = [offset for offset in range(prepared.count) if offset not in prepared.invalid]
    return prepared.codes(bytes(valid)), {offsets[p]: note for p, note in unrecognised.items()}


def _results_of(response: httpx.Response) -> tuple[httpx.Response, list[Any]]:
    """Decode the answer once, without building models (they are parsed on access, from the report)."""
    results = json.loads(response.content)
    if not isinstance(results, list):
        raise ValueError(f"expected a JSON array of results, got {type(results).__name__}")
    return response, results


def _same(a: object, b: object) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.casefold() == b.casefold()


def _check_footprint(sent: Any, footprint: Any, position: int) -> None:
    """A success's footprint must be the contact the message named, when both say enough to tell."""
    if footprint is None or type(sent) is not dict:
        return
    if type(footprint) is not dict:
        raise _MatchError(f"result {position} has a recipient that is not an object")
    kind, value = sent.get("type"), sent.get("value")
    if kind == "unicity" and type(value) is list and len(value) == 1:
        given = footprint.get("unicity")
        if type(given) is list and len(given) == 1:
            given = given[0]
        if given is not None and given != value[0] and not _same(value[0], given):
            raise _MatchError(f"result {position} is for {given!r}, the message was for {value[0]!r}")
    elif kind in ("id", "hash"):
        given = footprint.get(kind)
        if given is not None and given != value:
            raise _MatchError(f"result {position} is for {kind} {given!r}, the message was for {value!r}")


def _check_echo(sent: Any, echoed: Any) -> None:
    same_kind = isinstance(sent, dict) and isinstance(echoed, dict) and echoed.get("type") == sent.get("type")
    if same_kind and echoed.get("value") != sent.get("value"):
        raise _MatchError(f"an error result names {echoed.get('value')!r}, the message was for {sent.get('value')!r}")


def _describe(item: object, limit: int = 200) -> str:
    text = item if isinstance(item, str) else repr(item)
    if not _encodable(text):  # kept printable, so that the report's CSV/JSON exports can write it
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."


def chunks(messages: Iterable[Any], size: int) -> Iterator[list[Any]]:
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Iterable):
        raise InvalidInputError("messages must be an iterable of messages (a single string is not)")
    iterator = iter(messages)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


async def async_chunks(messages: AsyncIterable[Any] | Iterable[Any], size: int) -> Any:
    if not isinstance(messages, AsyncIterable):
        for whole in chunks(messages, size):
            yield whole
        return
    batch: list[Any] = []
    async for message in messages:
        batch.append(message)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
