"""`np6 send`: every row of a CSV file or of JSON lines (or `--to` values) to one action, exactly once.

The whole input is checked before anything is sent: a row that cannot be sent stops the command (exit 2, each bad
line listed) unless `--skip-invalid`, which records it as rejected, with its line and reason, and sends the rest.
`--dry-run` checks the input and renders the first message through NP6, sending nothing. The report (`--report`)
has one row per input row, in input order: its line, the recipient as given and as sent, its outcome, NP6's
message id, the reason and the request id.

Ctrl-C or SIGTERM stops taking batches from the input, waits (at most `--stop-timeout` seconds) for the batches in
flight, then prints the table and writes the report; a second Ctrl-C abandons the batches in flight (reported
`unknown`: they may have been sent). With `--journal`, running the same command again resumes.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import signal
import tempfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from rich.text import Text

from .._content.channel import Channel
from .._content.sendable import MessageLike
from .._core.errors import JournalError, JournalLockedError, NotFoundError, SendAborted, SendInterrupted
from .._sending.report import MessageOutcome, SendProgress, SendReport
from . import connect
from .console import check_output_path, describe_error, err, out, plural, print_json, summary_table
from .errors import EXIT_INTERRUPTED, EXIT_NOT_ALL_SENT, EXIT_OK, BadInput, InterruptedBeforeSending
from .progress import choose_display, counts_text
from .rows import Bad, Input, RecipientType, Row, open_input, parse_recipient

__all__ = ["DEFAULT_STOP_TIMEOUT", "REPORT_COLUMNS", "readable_recipient", "run_send"]

T = TypeVar("T")

# On Ctrl-C, how long the batches in flight are waited for: the client's read timeout, past which their answer
# would time out anyway (and they would be `unknown` all the same).
DEFAULT_STOP_TIMEOUT = 30.0
REPORT_COLUMNS = ("line", "input", "recipient", "outcome", "message_id", "reason", "request_id")
LISTED_BAD_ROWS = 20


class _StopRequested(Exception):
    """Raised from on_progress after a stop request, to stop the re-sends of a resumed send (see `_Stop`)."""


class _Stop:
    """What SIGINT and SIGTERM ask of a running `np6 send`.

    Before the send starts, a signal cancels the command: nothing was sent. During it, the first signal stops
    taking batches: the input given to send_many ends at its next batch (and a resumed send's re-sends, which come
    from the journal rather than from the input, are stopped by raising from on_progress), so that send_many
    waits for the batches in flight and returns its report. The wait is bounded by `timeout`; past it, or on a
    second signal, the send is cancelled: its batches in flight are then `unknown`, and the report comes with the
    cancellation.
    """

    def __init__(self, timeout: float, concurrency: int) -> None:
        self.timeout = timeout
        self.concurrency = concurrency
        self.signal_name: str | None = None  # the first signal received, if any
        self.abandoned = False
        self.resends_left = False  # a resumed send may still be sending the journal's failed messages again
        self.taken = 0  # messages send_many took from the input
        self.done = 0  # messages with an outcome, as on_progress last said
        self.batch_size = 1
        self.total = 0  # the messages of the input (its valid rows)
        self._main: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.send: asyncio.Task[tuple[SendReport, BaseException | None]] | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def requested(self) -> bool:
        return self.signal_name is not None

    @contextmanager
    def handling(self) -> Generator[None, None, None]:
        """SIGINT and SIGTERM handled by this object while the event loop runs the command.

        The handlers are Python's own (`signal.signal`), not the event loop's: they run as soon as the signal
        arrives, even in the middle of code that does not await (reading the input, opening the journal), so that
        whether the send had started is decided when the signal came, not when the loop gets to it.
        """
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        previous: dict[int, Any] = {}
        try:
            for number in (signal.SIGINT, signal.SIGTERM):
                try:
                    previous[number] = signal.signal(number, self._arrived)
                except ValueError:  # not the main thread
                    continue
            yield
        finally:
            for restored, handler in previous.items():
                signal.signal(restored, handler)
            if self._timer is not None:
                self._timer.cancel()

    def _arrived(self, number: int, frame: object) -> None:
        if self.send is None:
            # Preparing: nothing was sent, and nothing will be (the send does not start once a signal came).
            self.signal_name = self.signal_name or signal.Signals(number).name
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._cancel_main)
            return
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._on_signal, number)

    def _cancel_main(self) -> None:
        if self._main is not None and not self._main.done():
            self._main.cancel()

    def _on_signal(self, number: int) -> None:
        name = signal.Signals(number).name
        if self.send is None or self.abandoned or self.send.done():
            return
        if self.signal_name is not None:
            self.abandon("abandoned")
            return
        self.signal_name = name
        count = self.in_flight()
        again = "Ctrl-C again" if number == signal.SIGINT else "signal again"
        if count:
            what = f"waiting up to {self.timeout:g} s for {plural(count, 'batch')} in flight ({again} to abandon them)"
        else:
            what = "taking no more batches"
        err.print(f"stopping ({name}): {what}", style="yellow")
        self._timer = asyncio.get_running_loop().call_later(
            self.timeout, self.abandon, f"still in flight after {self.timeout:g} s: abandoned"
        )

    def abandon(self, why: str) -> None:
        """Cancel the send: what is in flight is recorded `unknown` (its request may have reached NP6)."""
        if self.abandoned or self.send is None or self.send.done():
            return
        self.abandoned = True
        count = self.in_flight()
        err.print(
            f"stopping: {plural(count, 'batch')} {why}; their messages are reported unknown (they may have been sent)",
            style="yellow",
        )
        self.send.cancel()

    def in_flight(self) -> int:
        """The batches send_many is sending: the messages it took from the input, less those with an outcome."""
        waiting = max(0, self.taken - self.done)
        return min(self.concurrency, -(-waiting // self.batch_size))

    def messages(self, source: Iterator[T], recorded: int, batch_size: int) -> Iterator[T]:
        """The input as send_many takes it, ending at the first batch taken after a stop request.

        The first `recorded` messages are those a journal records: send_many checks them against it before
        sending anything, so they are always given (ending among them would be a mismatch). send_many takes its
        input `batch_size` messages at a time; once it asks for a message past the batch that holds the last
        recorded one, it has started every re-send of the journal's messages.
        """
        self.batch_size = batch_size
        past_resends = -(-recorded // batch_size) * batch_size
        for position, value in enumerate(source):
            if position >= past_resends:
                self.resends_left = False
            if self.requested and position >= recorded:
                return
            self.taken = position + 1
            yield value


# --------------------------------------------------------------------------------------------------- input


class _Given:
    """The `--to` values, as an input of their own (the line of a value is its position)."""

    def __init__(self, values: list[str], kind: RecipientType) -> None:
        self._values = values
        self._kind: RecipientType = kind

    def rows(self, channel: Channel | None) -> Iterator[Row | Bad]:
        for number, value in enumerate(self._values, 1):
            where = f"--to value {number}"
            try:
                given, recipient = parse_recipient(value, self._kind, where)
            except BadInput as exc:
                yield Bad(number, value.strip(), str(exc).removeprefix(f"{where}: "))
                continue
            yield Row(number, given, recipient)

    def close(self) -> None:
        pass

    @property
    def label(self) -> str:
        return "--to"

    def where(self, line: int) -> str:
        return f"--to value {line}"


def _source(args: argparse.Namespace) -> Input | _Given:
    if args.to:
        return _Given(list(args.to), args.recipient_type)
    data_columns = None if args.data_columns is None else [c.strip() for c in args.data_columns.split(",") if c.strip()]
    return open_input(
        args.csv,
        args.jsonl,
        recipient_type=args.recipient_type,
        column=args.column,
        data_columns=data_columns,
        no_data=args.no_data,
    )


def _check(source: Input | _Given, channel: Channel, skip_invalid: bool) -> tuple[int, list[Bad]]:
    """The whole input, read once: how many rows can be sent, and those that cannot (refused unless skipped)."""
    valid, bad = 0, list[Bad]()
    for row in source.rows(channel):
        if isinstance(row, Bad):
            bad.append(row)
        else:
            valid += 1
    lines = [f"  {source.where(row.line)}: {row.reason}" for row in bad[:LISTED_BAD_ROWS]]
    if len(bad) > LISTED_BAD_ROWS:
        lines.append(f"  ... and {plural(len(bad) - LISTED_BAD_ROWS, 'more row')}")
    if bad and not skip_invalid:
        raise BadInput(
            f"{plural(len(bad), 'row')} of the input cannot be sent; nothing was sent. Fix them, or send the"
            " others with --skip-invalid (the report then lists these as rejected):\n" + "\n".join(lines)
        )
    if not valid:
        if bad:
            raise BadInput("no message to send: no row of the input is valid:\n" + "\n".join(lines))
        raise BadInput("no message to send: the input is empty")
    return valid, bad


class InputChanged(Exception):
    """The input read for sending is not the input checked (a file written to meanwhile)."""


class Ledger:
    """Which row each message handed to send_many came from (its line, its recipient as given), in order, in a
    temporary file: the report pairs it with send_many's outcomes, which come in the same order, without reading
    the input a third time (it may have changed) and without holding a large input in memory."""

    def __init__(self) -> None:
        # Owned by the ledger for the whole command, closed by close(): no `with` block spans that.
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115

    def record(self, line: int, given: str) -> None:
        self._file.write(json.dumps([line, given], ensure_ascii=False) + "\n")

    def entries(self) -> Iterator[tuple[int, str]]:
        self._file.flush()
        self._file.seek(0)
        for text in self._file:
            line, given = json.loads(text)
            yield int(line), str(given)

    def close(self) -> None:
        self._file.close()


def _messages(source: Input | _Given, channel: Channel, bad: list[Bad], ledger: Ledger | None) -> Iterator[MessageLike]:
    """The messages of the rows checked valid, read again; a row whose verdict changed since the check stops the
    send (send_many then reports what it sent), as would skipping it silently or sending a row never checked."""
    skipped = {row.line for row in bad}
    for row in source.rows(channel):
        if isinstance(row, Bad) and row.line not in skipped:
            raise InputChanged(
                f"{source.label}, {source.where(row.line)}: {row.reason} (the input changed after it was checked)"
            )
        if isinstance(row, Row):
            if row.line in skipped:
                raise InputChanged(f"{source.label}, {source.where(row.line)}: the input changed after it was checked")
            if ledger is not None:
                ledger.record(row.line, row.given)
            yield row.message


# ------------------------------------------------------------------------------------------------- command


def run_send(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 10_000 or not 1 <= args.concurrency <= 64:
        raise BadInput("--batch-size must be 1..10000 and --concurrency 1..64")
    if not 0 <= args.stop_timeout <= 3600:
        raise BadInput("--stop-timeout must be 0..3600 seconds")
    if args.report is not None:
        check_output_path(args.report, "--report")
    if args.journal is not None:
        check_output_path(args.journal, "--journal", ())
        if args.report is not None and args.report.resolve() == args.journal.resolve():
            raise BadInput("--report and --journal must be two different files")
    inputs = [path for path in (args.csv, args.jsonl) if path is not None and str(path) != "-"]
    for option, path in (("--report", args.report), ("--journal", args.journal)):
        if path is not None and any(path.resolve() == given.resolve() for given in inputs):
            raise BadInput(f"{option} names the input file: it would be overwritten")
    if args.dry_run and (args.journal is not None or args.report is not None):
        raise BadInput("--dry-run sends nothing: it takes no --journal and no --report")
    source = _source(args)
    stop = _Stop(args.stop_timeout, args.concurrency)
    ledger = Ledger()
    try:
        outcome = asyncio.run(_send(args, source, stop, ledger))
        if isinstance(outcome, bool):  # a dry run: whether NP6 could render the first message
            return EXIT_OK if outcome else EXIT_NOT_ALL_SENT
        report, aborted, bad = outcome
        return _conclude(args, ledger, report, aborted, bad, stop)
    finally:
        ledger.close()
        source.close()


def _conclude(
    args: argparse.Namespace,
    ledger: Ledger,
    report: SendReport,
    aborted: BaseException | None,
    bad: list[Bad],
    stop: _Stop,
) -> int:
    human = err if args.json else out
    if not args.quiet:
        human.print(summary_table(report, skipped=len(bad)))
    if report.stopped_by is not None:
        err.print(Text.assemble(("stopped: ", "red"), describe_error(report.stopped_by)))
    if aborted is not None:
        err.print(Text.assemble(("stopped: ", "red"), describe_error(aborted)))
    if args.report is not None:
        _write_report(args.report, ledger, report, bad)
        if not args.quiet:
            human.print(f"report written to {args.report}")
    if args.json:
        print_json(_summary(args, report, bad))
    if stop.requested:
        _explain_interruption(report, stop, args.journal)
        return EXIT_INTERRUPTED
    if args.journal is not None and report.failed:
        err.print(
            f"{plural(report.failed, 'failed message')} can be sent again: run the same command again",
            style="yellow",
        )
    if aborted is not None or bad:
        return EXIT_NOT_ALL_SENT
    return EXIT_OK if report.ok else EXIT_NOT_ALL_SENT


def _summary(args: argparse.Namespace, report: SendReport, bad: list[Bad]) -> dict[str, Any]:
    counts = dict(report.counts)
    counts["rejected"] += len(bad)
    return {
        "action_id": report.action_id,
        "channel": report.channel.name.lower(),
        "messages": len(report) + len(bad),
        "counts": counts,
        "invalid_rows": [{"line": row.line, "input": row.given, "reason": row.reason} for row in bad],
        "elapsed": round(report.elapsed, 3),
        "messages_per_second": round(report.messages_per_second, 1),
        "report": None if args.report is None else str(args.report),
        "journal": None if args.journal is None else str(args.journal),
        "ok": report.ok and not bad,
    }


async def _send(
    args: argparse.Namespace, source: Input | _Given, stop: _Stop, ledger: Ledger
) -> tuple[SendReport, BaseException | None, list[Bad]] | bool:
    """The send, with SIGINT/SIGTERM handled by `stop`: the report, the caller-side error that ended it early, the
    rows skipped; None after a dry run."""
    with stop.handling():
        try:
            return await _send_to(args, source, stop, ledger)
        except asyncio.CancelledError:
            # Cancelled while preparing, or the send cancelled before it could start (two quick signals).
            if stop.requested and (stop.send is None or stop.send.cancelled()):
                raise InterruptedBeforeSending(f"interrupted ({stop.signal_name}) before anything was sent") from None
            raise


async def _send_to(
    args: argparse.Namespace, source: Input | _Given, stop: _Stop, ledger: Ledger
) -> tuple[SendReport, BaseException | None, list[Bad]] | bool:
    async with connect.async_client(args) as client:
        try:
            action = await client.actions.get(args.action_id)
        except NotFoundError as exc:
            raise BadInput(
                f"action {args.action_id} not found (request id {exc.request_id or '-'}); list them with np6 actions"
                " list"
            ) from exc
        channel = Channel.coerce(args.channel) if args.channel else Channel.for_action_type(action.type_)
        if channel is None:
            raise BadInput(f"action {args.action_id} is of type {action.type_!r}: give its channel with --channel")
        total, bad = _check(source, channel, args.skip_invalid)
        if args.dry_run:
            return await _dry_run(client, args, source, channel, total, bad)
        recorded, resends, counts = _resume(args.journal, args.action_id, total) if args.journal else (0, 0, "")
        stop.resends_left = resends > 0
        stop.done = recorded - resends  # what the journal already holds an outcome for, not sent again
        messages = stop.messages(_messages(source, channel, bad, ledger), recorded, args.batch_size)
        stop.total = total
        display = choose_display(quiet=args.quiet)
        display.start(max(total, recorded), recorded, counts)

        def advance(state: SendProgress) -> None:
            # After each batch, NP6's answers so far (a resumed send's include the journal's).
            display.update(state)
            stop.done = state.done
            if stop.requested and stop.resends_left:
                raise _StopRequested

        async def sending() -> tuple[SendReport, BaseException | None]:
            try:
                report = await client.actions.send_many(
                    args.action_id,
                    messages,
                    channel=channel,
                    batch_size=args.batch_size,
                    concurrency=args.concurrency,
                    on_progress=advance,
                    journal=args.journal,
                )
            except SendAborted as error:  # the input (a file changed since it was checked) or on_progress
                cause = error.__cause__
                return error.report, None if isinstance(cause, _StopRequested) else (cause or error)
            except asyncio.CancelledError as error:
                interrupted = SendInterrupted.report_of(error)
                if not stop.abandoned:
                    raise
                if interrupted is None:
                    raise InterruptedBeforeSending(
                        f"interrupted ({stop.signal_name}) before anything was sent"
                    ) from None
                return interrupted, None
            return report, None

        if stop.requested:  # a signal came while preparing: the send is not started
            raise InterruptedBeforeSending(f"interrupted ({stop.signal_name}) before anything was sent")
        stop.send = asyncio.ensure_future(sending())
        report, aborted = await stop.send
        # The last line shows the report's counts, which the table repeats (batches abandoned by a second Ctrl-C
        # become `unknown` after the last on_progress).
        display.finish(report.progress())
    return report, aborted, bad


async def _dry_run(
    client: Any, args: argparse.Namespace, source: Input | _Given, channel: Channel, total: int, bad: list[Bad]
) -> bool:
    """Render the first message through NP6 and say what would be sent; whether NP6 could render it."""
    first = next(_messages(source, channel, bad, None))
    rendered = await client.actions.render(args.action_id, first, channel=channel)
    data = rendered.to_dict()
    if args.json:
        summary = {
            "action_id": args.action_id,
            "channel": channel.name.lower(),
            "messages": total,
            "invalid_rows": [{"line": r.line, "input": r.given, "reason": r.reason} for r in bad],
            "rendered": data,
            "sent": 0,
        }
        print_json(summary)
        return bool(data.get("type") == "success")
    out.print(
        f"dry run: {plural(total, 'message')} would be sent to action {args.action_id} ({channel.name}),"
        f" {plural(len(bad), 'invalid row')} skipped; nothing was sent"
    )
    if data.get("type") != "success":
        out.print(f"NP6 could not render the first message: {json.dumps(data, ensure_ascii=False)}")
        return False
    out.print("the first message, as NP6 renders it:")
    for name in ("recipient", "subject"):
        if data.get(name):
            out.print(f"  {name}: {data[name]}")
    body = data.get("text") or data.get("html") or ""
    if body:
        out.print(f"  {str(body)[:500]}")
    return True


def _resume(path: Path, action_id: str, total: int) -> tuple[int, int, str]:
    """What a journal already records of this send: (messages recorded, messages it will send again, the counts to
    show). Says so when resuming. A journal that cannot be used is left for send_many to refuse, before any request;
    one in use by another send is refused here at once."""
    if not path.is_file() or path.stat().st_size == 0:
        return 0, 0, ""
    try:
        report = SendReport.open(path)
    except JournalLockedError:
        raise
    except JournalError:
        return 0, 0, ""
    with report:
        if report.action_id != action_id or not len(report) or total < len(report):
            return 0, 0, ""  # not this send's journal: send_many refuses it before any request
        recorded, failed = len(report), report.failed
        to_send = failed + max(0, total - recorded)
        err.print(
            f"resuming the send recorded in {path}: {report.sent:,} already sent, {report.rejected:,} rejected,"
            f" {report.unknown:,} unknown (not sent again), {to_send:,} to send",
            style="cyan",
        )
        if report.unknown:
            err.print(
                f"  {plural(report.unknown, 'message')} may have been sent (their batch was in flight when a send"
                f" stopped): they are never sent again; see np6 journal {path} --report FILE",
                style="dim",
            )
        return recorded, failed, counts_text(report.progress(), short=True)


def _explain_interruption(report: SendReport, stop: _Stop, journal: Path | None) -> None:
    taken = len(report)
    rest = max(0, stop.total - taken)
    err.print(
        f"interrupted ({stop.signal_name}): {taken:,} of {plural(stop.total, 'message')} were taken from the input"
        f" and have the outcomes above; the other {rest:,} were not sent",
        style="yellow",
    )
    if journal is not None:
        err.print(f"run the same command again to resume: the journal {journal} records this send", style="yellow")


# -------------------------------------------------------------------------------------------------- report


def readable_recipient(wire: object) -> str:
    """A recipient as a person reads it: the unicity value itself, `id:...`, `hash:...`."""
    if not isinstance(wire, dict):
        return ""
    fields = cast("dict[str, object]", wire)
    kind, value = fields.get("type"), fields.get("value")
    if isinstance(value, list) and len(cast("list[object]", value)) == 1:
        value = cast("list[object]", value)[0]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if kind == "unicity" else f"{kind}:{text}"


def _report_rows(ledger: Ledger, report: SendReport, bad: list[Bad]) -> Iterator[dict[str, object]]:
    """One row per input row, in input order: the outcome of the message it became, or why it was not sent."""
    skipped = iter(sorted(bad, key=lambda row: row.line))
    pending = next(skipped, None)
    outcomes: Iterator[MessageOutcome] = iter(report)
    for line, given in ledger.entries():
        outcome = next(outcomes, None)
        if outcome is None:  # a resumed send's report holds what the journal recorded: as many, in order
            break
        while pending is not None and pending.line < line:
            yield _bad_row(pending)
            pending = next(skipped, None)
        try:
            recipient = readable_recipient(outcome.recipient)
        except ValueError:  # a closed report (cannot happen here: it is open until the command ends)
            recipient = ""
        yield {
            "line": line,
            "input": given,
            "recipient": recipient,
            "outcome": outcome.outcome.value,
            "message_id": outcome.message_id or "",
            "reason": outcome.reason or "",
            "request_id": outcome.request_id or "",
        }
    while pending is not None:
        yield _bad_row(pending)
        pending = next(skipped, None)


def _bad_row(row: Bad) -> dict[str, object]:
    return {
        "line": row.line,
        "input": row.given,
        "recipient": "",
        "outcome": "rejected",
        "message_id": "",
        "reason": f"invalid input: {row.reason}",
        "request_id": "",
    }


def _write_report(path: Path, ledger: Ledger, report: SendReport, bad: list[Bad]) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as stream:
            _write_rows(stream, path.suffix, _report_rows(ledger, report, bad))
    except OSError as exc:
        if exc.filename is None:  # raised while writing, not opening: say which file was not written
            exc.filename = str(path)
        raise


def _write_rows(stream: IO[str], suffix: str, rows: Iterable[dict[str, object]]) -> None:
    from .._sending.report import inert_cell  # one CSV-injection rule for every CSV np6 writes

    if suffix == ".csv":
        writer: csv.DictWriter[str] = csv.DictWriter(stream, fieldnames=REPORT_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: inert_cell(value) for name, value in row.items()})
    else:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
