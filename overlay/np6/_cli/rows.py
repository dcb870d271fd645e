"""The input of `np6 send`: a CSV file or JSON lines, from a file or stdin, read row by row into messages.

A CSV row is one recipient (the `--column` cell, a unicity value unless `--recipient-type` says id or hash) and,
in its other cells, the message's `data`: the values of the action's `[[placeholders]]` (all other columns,
`--data-columns` to choose, `--no-data` for none). A JSON line is one message: `to` plus what the message
builders take (`data`, `subject`, `sender`, `copies`, `attachments`, ...), or a message as NP6 reads it (with
`recipient`, as `np6 journal --retryable` writes them).

Every row is read twice: once to check the whole input before anything is sent, once to send. The input, a file
or standard input, is copied aside during the first pass (to a temporary file of the user's only, so that memory
stays flat whatever its size), and the second pass reads the copy: the same rows, in the same order, whatever
happens to the file meanwhile.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import inspect
import io
import json
import os
import sys
import tempfile
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, cast

import attrs
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import SmsMessage as SmsMessageModel

from .._content.channel import Channel
from .._content.messages import Attachment, Copy, EmailMessage, Sender, SmsMessage
from .._content.recipients import Recipient, RecipientLike, to_recipient
from .._content.sendable import MessageLike
from .._core.engine import check_json_value
from .._core.errors import InvalidInputError
from .errors import BadInput

__all__ = [
    "MAX_VALUE_LENGTH",
    "STDIN",
    "Bad",
    "CsvShape",
    "Input",
    "InputFormat",
    "RecipientType",
    "Row",
    "csv_records",
    "csv_shape",
    "open_input",
    "parse_recipient",
]

InputFormat = Literal["csv", "jsonl"]
RecipientType = Literal["unicity", "id", "hash"]
MAX_VALUE_LENGTH = 255
STDIN = "-"


@attrs.frozen
class Row:
    """One message of the input: its line (where its row starts), the recipient as given, the message."""

    line: int
    given: str
    message: MessageLike


@attrs.frozen
class Bad:
    """A row that cannot be sent: its line, what it said of its recipient (as far as it could be read), why."""

    line: int
    given: str
    reason: str


def parse_recipient(value: object, kind: RecipientType, where: str) -> tuple[str, RecipientLike]:
    if not isinstance(value, str):
        raise BadInput(f"{where}: the recipient must be a string, got {type(value).__name__}")
    given = value.strip()
    if not given:
        raise BadInput(f"{where}: empty recipient value")
    if len(given) > MAX_VALUE_LENGTH:
        raise BadInput(f"{where}: recipient value longer than {MAX_VALUE_LENGTH} characters")
    if any(ord(character) < 32 or ord(character) == 127 for character in given):
        raise BadInput(f"{where}: recipient value with a control character: {given[:40]!r}")
    if kind == "unicity":
        return given, given
    return given, Recipient.by_id(given) if kind == "id" else Recipient.by_hash(given)


@attrs.frozen
class CsvShape:
    """Which column is the recipient, and which ones fill `data`."""

    recipient: str
    data: tuple[str, ...]


def csv_records(lines: Iterator[str], label: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of a CSV input, and its records with the line each starts on (a quoted cell may span lines);
    blank lines are no record."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        raise BadInput(f"{label}: empty file or no header row")

    def records() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if cells and cells != [""]:
                yield start, cells

    return header, records()


def csv_shape(header: Sequence[str], column: str | None, data_columns: Sequence[str] | None, no_data: bool) -> CsvShape:
    if not header or not any(name.strip() for name in header):
        raise BadInput("the CSV input has no header row")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise BadInput(f"the CSV header names a column twice: {', '.join(duplicated)}")
    recipient = column or header[0]
    if recipient not in header:
        raise BadInput(f"no column {recipient!r} in the CSV input (columns: {', '.join(header)}); see --column")
    if no_data:
        return CsvShape(recipient, ())
    if data_columns is None:
        return CsvShape(recipient, tuple(name for name in header if name != recipient))
    missing = [name for name in data_columns if name not in header]
    if missing:
        raise BadInput(f"--data-columns names columns the CSV input does not have: {', '.join(missing)}")
    return CsvShape(recipient, tuple(dict.fromkeys(name for name in data_columns if name != recipient)))


@attrs.define
class Input:
    """The rows of one input, readable as many times as needed (standard input through its copy)."""

    path: Path
    format: InputFormat
    recipient_type: RecipientType
    column: str | None
    data_columns: Sequence[str] | None
    no_data: bool
    label: str  # how messages name the input: its path, or "stdin"

    def where(self, line: int) -> str:
        """How a message names a row of this input."""
        return f"line {line}"

    _copy: Path | None = None
    _copied: bool = False  # the copy holds the whole input (its first pass read it to the end)
    _header: tuple[str, ...] | None = None

    def close(self) -> None:
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)
            self._copy = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The CSV header (empty for JSON lines), known after the first pass."""
        return self._header or ()

    def rows(self, channel: Channel | None) -> Iterator[Row | Bad]:
        """Every row, in order: a message to send, or why it cannot be (`channel` None: the messages are checked
        as far as they can be without knowing the action's channel)."""
        with self._open() as stream:
            if self.format == "csv":
                yield from self._csv_rows(stream, channel)
            else:
                yield from self._json_rows(stream, channel)

    @contextlib.contextmanager
    def _open(self) -> Generator[Iterator[str], None, None]:
        # The first pass copies the input aside as it reads it, file or stdin alike, and the later passes read the
        # copy: what is sent is what was checked, whatever happens to the file meanwhile (an export job replacing
        # it, an editor saving it).
        try:
            if self._copy is None:
                handle, name = tempfile.mkstemp(prefix="np6-send-", suffix=f".{self.format}")
                self._copy = Path(name)
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink, self._source() as source:
                    yield _copying(source, sink, self)
            else:
                if not self._copied:
                    raise BadInput(f"{self.label}: was not read to its end when it was checked")
                with self._copy.open(newline="", encoding="utf-8") as stream:
                    yield iter(stream)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise BadInput(f"{self.label}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from exc

    @contextlib.contextmanager
    def _source(self) -> Generator[IO[str], None, None]:
        if str(self.path) == STDIN:
            source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            try:
                yield source
            finally:
                source.detach()  # sys.stdin stays usable (and open) after its wrapper goes
        else:
            with self.path.open(newline="", encoding="utf-8-sig") as stream:
                yield stream

    def _csv_rows(self, stream: Iterator[str], channel: Channel | None) -> Iterator[Row | Bad]:
        header, records = csv_records(stream, self.label)
        shape = csv_shape(header, self.column, self.data_columns, self.no_data)
        self._header = tuple(header)
        index = {name: position for position, name in enumerate(header)}
        for start, cells in records:
            where = f"{self.label}, line {start}"
            if len(cells) != len(header):
                given = cells[index[shape.recipient]] if index[shape.recipient] < len(cells) else ""
                yield Bad(start, given, f"{len(cells)} cells where the header has {len(header)}")
                continue
            given = cells[index[shape.recipient]]
            try:
                given, recipient = parse_recipient(given, self.recipient_type, where)
                data = {name: cells[index[name]] for name in shape.data}
                yield Row(start, given, _message(recipient, {"data": data} if data else {}, channel))
            except BadInput as exc:
                yield Bad(start, given.strip(), _reason(exc, where))
            except (InvalidInputError, TypeError) as exc:
                yield Bad(start, given.strip(), str(exc))

    def _json_rows(self, stream: Iterator[str], channel: Channel | None) -> Iterator[Row | Bad]:
        for number, text in enumerate(stream, 1):
            if not text.strip():
                continue
            where = f"{self.label}, line {number}"
            try:
                item = json.loads(text, parse_constant=_no_constant)
                check_json_value(item, "the line")  # a lone surrogate (an escaped one) cannot be sent
            except (ValueError, RecursionError) as exc:
                yield Bad(number, "", f"not JSON: {exc}" if not isinstance(exc, InvalidInputError) else str(exc))
                continue
            if not isinstance(item, dict):
                yield Bad(number, "", f"a line must be a JSON object (one message), got {type(item).__name__}")
                continue
            fields = cast("dict[str, Any]", item)
            given = _given(fields)
            try:
                yield Row(number, given, _json_message(fields, self.recipient_type, channel, where))
            except BadInput as exc:
                yield Bad(number, given, _reason(exc, where))
            except (InvalidInputError, TypeError, ValueError, KeyError) as exc:
                yield Bad(number, given, str(exc) or type(exc).__name__)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON can carry to NP6")


def _reason(error: BadInput, where: str) -> str:
    return str(error).removeprefix(f"{where}: ")


def _given(fields: dict[str, Any]) -> str:
    """The recipient of a JSON line as its author wrote it, for the report."""
    value = fields.get("to", fields.get("recipient"))
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value is not None else ""


_BUILDER_FIELDS = {
    Channel.EMAIL: {f.name for f in attrs.fields(EmailMessage)} - {"to", "extra"},
    Channel.SMS: {f.name for f in attrs.fields(SmsMessage)} - {"to", "extra"},
}


def _json_message(fields: dict[str, Any], kind: RecipientType, channel: Channel | None, where: str) -> MessageLike:
    if "recipient" in fields:  # a message as NP6 reads it (np6 journal --retryable writes these)
        if "to" in fields:
            raise BadInput(f"{where}: a message has `to` or `recipient`, not both")
        return _wire_message(fields, channel)
    if "to" not in fields:
        raise BadInput(f"{where}: no `to` (the recipient)")
    to = fields["to"]
    rest = {name: value for name, value in fields.items() if name != "to"}
    if isinstance(to, dict):
        recipient = _recipient_object(cast("dict[str, Any]", to), where)
    else:
        _, recipient = parse_recipient(to, kind, where)
    return _message(recipient, _builder_arguments(rest), channel)


def _recipient_object(value: dict[str, Any], where: str) -> RecipientLike:
    if len(value) != 1:
        raise BadInput(f"{where}: `to` as an object has one key, unicity, id or hash, got {sorted(value)}")
    ((name, text),) = value.items()
    kind = _KINDS.get(name)
    if kind is None:
        raise BadInput(f"{where}: `to` as an object has one key, unicity, id or hash, got {name!r}")
    return parse_recipient(text, kind, where)[1]


_KINDS: dict[str, RecipientType] = {"unicity": "unicity", "id": "id", "hash": "hash"}


def _builder_arguments(fields: dict[str, Any]) -> dict[str, Any]:
    """JSON values as the builders take them: a sender as `"news@example.com"` or an object, copies as recipients
    or `{"to": ..., "blind": true}`, attachments as objects."""
    arguments = dict(fields)
    sender = arguments.get("sender")
    if isinstance(sender, str):
        arguments["sender"] = Sender.parse(sender)
    elif isinstance(sender, dict):
        arguments["sender"] = Sender(**cast("dict[str, Any]", sender))
    copies = arguments.get("copies")
    if isinstance(copies, list):
        arguments["copies"] = [_copy(copy) for copy in cast("list[object]", copies)]
    attachments = arguments.get("attachments")
    if isinstance(attachments, list):
        arguments["attachments"] = [
            Attachment(**cast("dict[str, Any]", item)) if isinstance(item, dict) else item
            for item in cast("list[object]", attachments)
        ]
    return arguments


def _copy(value: object) -> Copy:
    if isinstance(value, dict):
        return Copy(**cast("dict[str, Any]", value))
    if not isinstance(value, str):
        raise InvalidInputError(f"a copy is a recipient or {{'to': ..., 'blind': true}}, got {value!r}")
    return Copy(value)


def _message(
    recipient: RecipientLike, arguments: dict[str, Any], channel: Channel | None
) -> RecipientLike | EmailMessage | SmsMessage:
    if not arguments:
        return recipient  # a plain recipient: send_many makes it a message of the action's channel
    unknown = sorted(set(arguments) - _BUILDER_FIELDS[Channel.EMAIL] - _BUILDER_FIELDS[Channel.SMS])
    if unknown:
        raise InvalidInputError(f"unknown message field {unknown[0]!r}")
    if channel is None:
        # Checked as an e-mail (which takes every field an SMS takes but `text` in the same sense); built again
        # for the action's channel once it is known.
        usable = {name: value for name, value in arguments.items() if name in _BUILDER_FIELDS[Channel.EMAIL]}
        EmailMessage(recipient, **usable)
        return recipient
    allowed = _BUILDER_FIELDS[channel]
    extra = sorted(set(arguments) - allowed)
    if extra:
        raise InvalidInputError(f"{extra[0]!r} is not a field of an {channel.name} message")
    builder = EmailMessage if channel is Channel.EMAIL else SmsMessage
    return builder(recipient, **arguments)


_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "boolean": bool,
    "object": dict,
    "array": list,
    "integer": int,
    "number": (int, float),
}


@functools.cache
def _wire_properties(schema: str) -> dict[str, str | None]:
    """The properties of a message schema, with their JSON type when it is a simple one (from the spec the
    generated package was made from, which it ships)."""
    # Beside the generated package's models: found the same way in a vendored copy, whatever its package is named.
    spec = Path(inspect.getfile(EmailMessageModel)).parents[1] / "openapi.json"
    document = json.loads(spec.read_text(encoding="utf-8"))
    properties: dict[str, dict[str, Any]] = document["components"]["schemas"][schema]["properties"]
    return {
        name: value.get("type") if isinstance(value.get("type"), str) else None for name, value in properties.items()
    }


def _check_wire(fields: dict[str, Any], schema: str) -> None:
    """What the generated models take without a look: a field the message does not have, or a value of the wrong
    JSON type, would make NP6 refuse the whole batch it is in (400), not this message alone."""
    properties = _wire_properties(schema)
    for name, value in fields.items():
        if name not in properties:
            raise InvalidInputError(f"{name!r} is not a field of an {schema} as NP6 reads it")
        kind = properties[name]
        expected = _JSON_TYPES.get(kind) if kind is not None else None
        wrong_bool = kind in ("integer", "number") and isinstance(value, bool)
        if expected is not None and (not isinstance(value, expected) or wrong_bool):
            raise InvalidInputError(f"{name!r} must be a JSON {kind}, got {type(value).__name__}")


def _wire_message(fields: dict[str, Any], channel: Channel | None) -> EmailMessageModel | SmsMessageModel:
    model = SmsMessageModel if channel is Channel.SMS else EmailMessageModel
    _check_wire(fields, "SmsMessage" if channel is Channel.SMS else "EmailMessage")
    try:
        message = model.from_dict(fields)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(f"not a message NP6 can read: {type(exc).__name__}: {exc}") from exc
    try:
        to_recipient(message.recipient)  # what the send checks: checked now, with the rest of the input
    except InvalidInputError as exc:
        raise InvalidInputError(f"not a message NP6 can read: {exc}") from exc
    return message


def _copying(source: IO[str], sink: IO[str], owner: Input) -> Iterator[str]:
    """The lines of `source`, each written to `sink` as it is read; the owner learns when the copy is whole."""
    for line in source:
        sink.write(line)
        yield line
    sink.flush()
    owner._copied = True


def open_input(
    csv_path: Path | None,
    jsonl_path: Path | None,
    *,
    recipient_type: RecipientType,
    column: str | None,
    data_columns: Sequence[str] | None,
    no_data: bool,
) -> Input:
    """The input named by `--csv` or `--jsonl` (one of them), checked to exist; `-` is standard input."""
    format_: InputFormat = "csv" if csv_path is not None else "jsonl"
    path = csv_path if csv_path is not None else jsonl_path
    if path is None:
        raise BadInput("give the messages with --csv FILE, --jsonl FILE (- for stdin) or --to VALUE")
    if format_ == "jsonl" and (column or data_columns or no_data):
        raise BadInput("--column, --data-columns and --no-data apply to --csv input; a JSON line names its fields")
    label = "stdin" if str(path) == STDIN else str(path)
    if str(path) != STDIN and not path.is_file():
        raise BadInput(f"{label}: cannot be read: no such file")
    return Input(path, format_, recipient_type, column, data_columns, no_data, label)
