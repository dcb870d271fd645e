"""The `np6` command: a local sandbox, batch sends from the shell, and a look at actions.

    np6 sandbox [--port 8600]                  serve a sandbox on loopback, print its URL and a test key
    np6 send ACTION (--to V ... | --csv FILE [--column NAME]) [--channel email|sms] [--batch-size N]
             [--concurrency N] [--report out.csv|out.jsonl] [--journal send.journal] [--stop-timeout SECONDS]
    np6 journal FILE [--json] [--retryable retry.csv|.jsonl] [--report out.csv|out.jsonl]
    np6 actions get|list|validate|render ...   readable output, or --json for scripts

Exit codes: 0 done; 1 NP6 refused or something was not sent (rejected, failed or unknown messages);
2 bad input (or a journal that cannot be used), caught before anything is sent; 130 interrupted.

Ctrl-C or SIGTERM during `np6 send` stops taking batches from the input, waits (at most --stop-timeout seconds)
for the batches in flight, then prints the table and writes --report; a second Ctrl-C abandons the batches in
flight (reported `unknown`: they may have been sent). With --journal, running the same command again resumes.
The key comes from NP6_API_KEY (or --api-key), the base URL from NP6_BASE_URL (or --base-url). Expected failures
print NP6's status, its usual cause and the request id: never a traceback, never the key.
Needs the `cli` extra (`pip install 'np6-cm[cli]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import signal
import sys
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, cast

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from .._client import AsyncClient, Client
from .._content.channel import Channel
from .._core.errors import (
    APIStatusError,
    InvalidInputError,
    JournalError,
    JournalLockedError,
    NotFoundError,
    NP6Error,
    SendAborted,
    SendInterrupted,
)
from .._sending.batches import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY
from .._sending.report import Outcome, SendProgress, SendReport

__all__ = ["main"]

EXIT_OK, EXIT_NOT_ALL_SENT, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_VALUE_LENGTH = 255
# On Ctrl-C, how long the batches in flight are waited for: the client's read timeout, past which their answer
# would time out anyway (and they would be `unknown` all the same).
DEFAULT_STOP_TIMEOUT = 30.0

# No markup: what is printed comes from users and NP6 ("[stop]" in an SMS must print as is, "[/x]" in a file
# name must not crash); colours are given as styles.
out = Console(highlight=False, markup=False)
err = Console(stderr=True, highlight=False, markup=False)


class BadInput(Exception):
    """Input refused before anything is sent (exit code 2)."""


class InterruptedBeforeSending(Exception):
    """Ctrl-C or SIGTERM before the first batch: nothing was sent (exit code 130)."""


# ------------------------------------------------------------------------------------------------ arguments


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="np6", description="NP6 CM from the command line.", formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sandbox = commands.add_parser("sandbox", help="serve a local NP6 sandbox on loopback")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8600, help="port (default 8600; 0 picks a free one)")
    sandbox.add_argument("--api-key", help="key the sandbox accepts (default: a fresh random one)")
    sandbox.add_argument("--validation", choices=["full", "sample", "off"], default="full")
    sandbox.add_argument("--rate-limit", metavar="N/SECONDS", help="e.g. 10/1: at most 10 requests per second")
    sandbox.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="delay every answer")
    sandbox.add_argument("--error-rate", type=float, default=0.0, help="fraction of requests answered 5xx")
    sandbox.add_argument("--drop-rate", type=float, default=0.0, help="fraction of connections dropped")
    sandbox.add_argument("--max-batch-size", type=int, help="answer 413 to larger batches")
    sandbox.add_argument("--unknown", nargs="*", default=[], metavar="VALUE", help="recipients NP6 cannot find")

    send = commands.add_parser("send", help="send an action to recipients, from arguments or a CSV file")
    _connection_options(send)
    send.add_argument("action_id", metavar="ACTION_ID")
    source = send.add_mutually_exclusive_group(required=True)
    source.add_argument("--to", nargs="+", metavar="VALUE", help="recipients' unicity values")
    source.add_argument("--csv", type=Path, metavar="FILE", help="a CSV file with a header row")
    send.add_argument("--column", help="CSV column of the unicity values (default: the first one)")
    send.add_argument("--channel", choices=["email", "sms"], help="default: the action's")
    send.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    send.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    send.add_argument("--report", type=Path, metavar="FILE", help="write every outcome to a .csv or .jsonl file")
    send.add_argument(
        "--journal",
        type=Path,
        metavar="FILE",
        help="record the send in this file as it goes; the same command run again resumes it, never sending a"
        " message twice",
    )
    send.add_argument(
        "--stop-timeout",
        type=float,
        default=DEFAULT_STOP_TIMEOUT,
        metavar="SECONDS",
        help="on Ctrl-C or SIGTERM, how long to wait for the batches in flight before abandoning them"
        f" (default {DEFAULT_STOP_TIMEOUT:g})",
    )

    journal = commands.add_parser("journal", help="the outcomes recorded in a send journal (np6 send --journal)")
    journal.add_argument("path", type=Path, metavar="FILE")
    journal.add_argument("--json", action="store_true", help="print the counts as JSON for scripts")
    journal.add_argument(
        "--retryable",
        type=Path,
        metavar="FILE",
        help="write the messages safe to send again (the failed ones): a .csv of recipients for np6 send --csv,"
        " or .jsonl messages",
    )
    journal.add_argument("--report", type=Path, metavar="FILE", help="write every outcome to a .csv or .jsonl file")

    actions = commands.add_parser("actions", help="look at and validate actions")
    verbs = actions.add_subparsers(dest="verb", required=True, metavar="VERB")
    get = verbs.add_parser("get", help="one action")
    get.add_argument("action_id", metavar="ACTION_ID")
    listing = verbs.add_parser("list", help="actions created in a window")
    listing.add_argument("--created-after", type=_instant, metavar="ISO-8601")
    listing.add_argument("--created-before", type=_instant, metavar="ISO-8601")
    validate = verbs.add_parser("validate", help="run NP6's two validation phases as needed")
    validate.add_argument("action_id", metavar="ACTION_ID")
    validate.add_argument("--test-segment", type=int, action="append", default=[], metavar="ID")
    render = verbs.add_parser("render", help="render the action for one recipient")
    render.add_argument("action_id", metavar="ACTION_ID")
    render.add_argument("--to", required=True, metavar="VALUE", help="the recipient's unicity value")
    render.add_argument("--channel", choices=["email", "sms"])
    for verb in (get, listing, validate, render):
        _connection_options(verb)
        verb.add_argument("--json", action="store_true", help="print JSON for scripts")
    return parser


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default=None)  # None: NP6_BASE_URL, else production (as np6.Client)
    parser.add_argument("--api-key", help="prefer NP6_API_KEY: a key on the command line ends up in shell history")


def _instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date-time: {text!r}") from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------------- input


def _check_value(value: str, where: str) -> str:
    value = value.strip()
    if not value:
        raise BadInput(f"{where}: empty recipient value")
    if len(value) > MAX_VALUE_LENGTH:
        raise BadInput(f"{where}: recipient value longer than {MAX_VALUE_LENGTH} characters")
    if any(ord(character) < 32 for character in value):
        raise BadInput(f"{where}: recipient value with a control character: {value[:40]!r}")
    return value


def _csv_values(path: Path, column: str | None) -> Iterator[str]:
    """The values of one column, read lazily; every problem raises BadInput (the file is checked first)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            header = reader.fieldnames
            if not header:
                raise BadInput(f"{path}: empty file or no header row")
            name = column or header[0]
            if name not in header:
                raise BadInput(f"{path}: no column {name!r} (columns: {', '.join(header)})")
            for row in reader:
                yield _check_value(row.get(name) or "", f"{path}, line {reader.line_num}")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInput(f"{path}: cannot be read: {exc}") from exc


def _count_checked(path: Path, column: str | None) -> int:
    count = sum(1 for _ in _csv_values(path, column))
    if count == 0:
        raise BadInput(f"{path}: no recipients in {f'column {column!r}' if column else 'its first column'}")
    return count


# -------------------------------------------------------------------------------------------------- commands


def _key(args: argparse.Namespace) -> str | None:
    return args.api_key or None


def _run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import RateLimit, Sandbox, random_api_key

    rate_limit = None
    if args.rate_limit:
        try:
            requests, _, window = args.rate_limit.partition("/")
            rate_limit = RateLimit(requests=int(requests), window=float(window or 1))
        except ValueError as exc:
            raise BadInput(f"--rate-limit: expected N/SECONDS such as 10/1, got {args.rate_limit!r}") from exc
    sandbox = Sandbox(
        api_key=args.api_key or random_api_key(),
        validation=args.validation,
        rate_limit=rate_limit,
        latency=args.latency,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        max_batch_size=args.max_batch_size,
        unknown_recipients=args.unknown,
        strict=False,  # a mismatch is answered 500 and logged, instead of killing the server's thread
    )
    try:
        server = sandbox.serve(args.host, args.port, api_key=sandbox.api_key).start()
    except OSError as exc:
        raise BadInput(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    if server.reachable_from_other_machines:
        err.print(
            f"warning: listening on {args.host}: any machine that can reach this one can use the sandbox with its"
            " key. The URL below is for this machine (np6 sends plain http to loopback only).",
            style="yellow",
        )
    out.print(f"NP6 sandbox listening on {server.url}")
    out.print(f"  export NP6_BASE_URL={server.url}")
    out.print(f"  export NP6_API_KEY={server.api_key}")
    out.print("Deliveries: GET /_sandbox/deliveries. Stop with Ctrl-C.", style="dim")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        out.print(f"stopped; {sandbox.deliveries.count()} messages were delivered")
    return EXIT_OK


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def _counts_text(progress: SendProgress) -> str:
    return f"sent {progress.sent}  rejected {progress.rejected}  failed {progress.failed}  unknown {progress.unknown}"


def summary_table(report: SendReport, title: str | None = None) -> Table:
    """The outcomes of a send as a table (also used by the demo)."""
    table = Table(title=title or f"action {report.action_id} ({report.channel.name})")
    table.add_column("outcome")
    table.add_column("messages", justify="right")
    table.add_column("meaning")
    meanings = {
        Outcome.SENT: "accepted by NP6",
        Outcome.REJECTED: "refused for that message (e.g. recipient not found): not retryable as is",
        Outcome.FAILED: "not processed by NP6: safe to send again",
        Outcome.UNKNOWN: "may have been sent: check before sending again",
    }
    for outcome, meaning in meanings.items():
        count = report.count(outcome)
        style = "green" if outcome is Outcome.SENT else ("red" if count else "dim")
        table.add_row(outcome.value, f"{count:,}", meaning, style=style)
    table.caption = f"{len(report):,} messages in {report.elapsed:.2f} s ({report.messages_per_second:,.0f}/s)"
    return table


def _check_output_path(path: Path, option: str, suffixes: tuple[str, ...] = (".csv", ".jsonl")) -> None:
    """Refuse a file that could not be written, before anything is sent (the report is the record)."""
    if suffixes and path.suffix not in suffixes:
        raise BadInput(f"{option} must end in {' or '.join(suffixes)}, got {path}")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise BadInput(f"{option}: the folder {folder} does not exist")
    if path.is_dir() or not os.access(path if path.exists() else folder, os.W_OK):
        raise BadInput(f"{option}: {path} cannot be written")


def _check_report_path(path: Path) -> None:
    _check_output_path(path, "--report")


# ------------------------------------------------------------------------------------------- interruptions


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
        self._main: asyncio.Task[Any] | None = None
        self.send: asyncio.Task[tuple[SendReport, BaseException | None]] | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def requested(self) -> bool:
        return self.signal_name is not None

    @contextmanager
    def handling(self) -> Generator[None, None, None]:
        """SIGINT and SIGTERM handled by this object while the event loop runs the command."""
        loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        installed: list[signal.Signals] = []
        try:
            for number in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(number, self._on_signal, number)
                except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
                    continue
                installed.append(number)
            yield
        finally:
            for number in installed:
                loop.remove_signal_handler(number)
            if self._timer is not None:
                self._timer.cancel()

    def _on_signal(self, number: int) -> None:
        name = signal.Signals(number).name
        if self.send is None:  # still preparing: nothing was sent
            self.signal_name = self.signal_name or name
            if self._main is not None:
                self._main.cancel()
            return
        if self.abandoned or self.send.done():
            return
        if self.signal_name is not None:
            self.abandon("abandoned")
            return
        self.signal_name = name
        count = self.in_flight()
        again = "Ctrl-C again" if number == signal.SIGINT else "signal again"
        if count:
            what = f"waiting up to {self.timeout:g} s for {_plural(count, 'batch')} in flight ({again} to abandon them)"
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
            f"stopping: {_plural(count, 'batch')} {why}; their messages are reported unknown (they may have been sent)",
            style="yellow",
        )
        self.send.cancel()

    def in_flight(self) -> int:
        """The batches send_many is sending: the messages it took from the input, less those with an outcome."""
        waiting = max(0, self.taken - self.done)
        return min(self.concurrency, -(-waiting // self.batch_size))

    def messages(self, source: Iterator[str], recorded: int, batch_size: int) -> Iterator[str]:
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


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else ('es' if word.endswith('ch') else 's')}"


# ----------------------------------------------------------------------------------------------------- send


def _run_send(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 10_000 or not 1 <= args.concurrency <= 64:
        raise BadInput("--batch-size must be 1..10000 and --concurrency 1..64")
    if not 0 <= args.stop_timeout <= 3600:
        raise BadInput("--stop-timeout must be 0..3600 seconds")
    if args.report is not None:
        _check_report_path(args.report)
    if args.journal is not None:
        _check_output_path(args.journal, "--journal", ())
        if args.report is not None and args.report.resolve() == args.journal.resolve():
            raise BadInput("--report and --journal must be two different files")
    if args.to:
        values = [_check_value(value, f"--to value {n}") for n, value in enumerate(args.to, 1)]
        total = len(values)
    else:
        values = []
        total = _count_checked(args.csv, args.column)
    channel = Channel.coerce(args.channel) if args.channel else None
    stop = _Stop(args.stop_timeout, args.concurrency)

    report, aborted = asyncio.run(_send(args, values, total, channel, stop))
    out.print(summary_table(report))
    if report.stopped_by is not None:
        err.print(Text.assemble(("stopped: ", "red"), _describe_error(report.stopped_by)))
    if aborted is not None:
        err.print(Text.assemble(("stopped: ", "red"), _describe_error(aborted)))
    if args.report is not None:
        _write_report(report, args.report)
        out.print(f"report written to {args.report}")
    if stop.requested:
        _explain_interruption(report, stop, total, args.journal)
        return EXIT_INTERRUPTED
    if args.journal is not None and report.failed:
        err.print(
            f"{_plural(report.failed, 'failed message')} can be sent again: run the same command again",
            style="yellow",
        )
    if aborted is not None:
        return EXIT_NOT_ALL_SENT
    return EXIT_OK if report.ok else EXIT_NOT_ALL_SENT


async def _send(
    args: argparse.Namespace, values: list[str], total: int, channel: Channel | None, stop: _Stop
) -> tuple[SendReport, BaseException | None]:
    """The send, with SIGINT/SIGTERM handled by `stop`: the report, and the caller-side error that ended it early."""
    with stop.handling():
        try:
            return await _send_to(args, values, total, channel, stop)
        except asyncio.CancelledError:
            # Cancelled while preparing, or the send cancelled before it could start (two quick signals).
            if stop.requested and (stop.send is None or stop.send.cancelled()):
                raise InterruptedBeforeSending(f"interrupted ({stop.signal_name}) before anything was sent") from None
            raise


async def _send_to(
    args: argparse.Namespace, values: list[str], total: int, channel: Channel | None, stop: _Stop
) -> tuple[SendReport, BaseException | None]:
    async with AsyncClient(_key(args), base_url=args.base_url) as client:
        try:
            action = await client.actions.get(args.action_id)
        except NotFoundError as exc:
            raise BadInput(f"action {args.action_id} not found (request id {exc.request_id or '-'})") from exc
        resolved = channel or Channel.for_action_type(action.type_)
        recorded, resends, counts = _resume(args.journal, args.action_id, total) if args.journal else (0, 0, "")
        stop.resends_left = resends > 0
        stop.done = recorded - resends  # what the journal already holds an outcome for, not sent again
        source = iter(values) if args.to else _csv_values(args.csv, args.column)
        messages = stop.messages(source, recorded, args.batch_size)
        with _progress() as progress:
            task = progress.add_task(
                f"sending {escape(args.action_id)}", total=max(total, recorded), completed=recorded, counts=counts
            )

            def advance(state: SendProgress) -> None:
                # After each batch, NP6's answers so far (a resumed send's include the journal's).
                progress.update(task, completed=state.done, counts=_counts_text(state))
                stop.done = state.done
                if stop.requested and stop.resends_left:
                    raise _StopRequested

            async def sending() -> tuple[SendReport, BaseException | None]:
                try:
                    report = await client.actions.send_many(
                        args.action_id,
                        messages,
                        channel=resolved,
                        batch_size=args.batch_size,
                        concurrency=args.concurrency,
                        on_progress=advance,
                        journal=args.journal,
                    )
                except SendAborted as error:  # the input (a CSV file changed since it was checked) or on_progress
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

            stop.send = asyncio.ensure_future(sending())
            report, aborted = await stop.send
            # The last line shows the report's counts, which the table repeats (batches abandoned by a second
            # Ctrl-C become `unknown` after the last on_progress).
            progress.update(task, completed=len(report), counts=_counts_text(report.progress()))
    return report, aborted


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
                f"  {_plural(report.unknown, 'message')} may have been sent (their batch was in flight when a send"
                f" stopped): they are never sent again; see np6 journal {path} --report FILE",
                style="dim",
            )
        return recorded, failed, _counts_text(report.progress())


def _explain_interruption(report: SendReport, stop: _Stop, total: int, journal: Path | None) -> None:
    taken = len(report)
    rest = max(0, total - taken)
    err.print(
        f"interrupted ({stop.signal_name}): {taken:,} of {total:,} messages were taken from the input and have the"
        f" outcomes above; the other {rest:,} were not sent",
        style="yellow",
    )
    if journal is not None:
        err.print(f"run the same command again to resume: the journal {journal} records this send", style="yellow")


# -------------------------------------------------------------------------------------------------- journal


def _run_journal(args: argparse.Namespace) -> int:
    for option, path in (("--retryable", args.retryable), ("--report", args.report)):
        if path is not None:
            _check_output_path(path, option)
    if args.retryable is not None and args.report is not None and args.retryable.resolve() == args.report.resolve():
        raise BadInput("--retryable and --report must be two different files")
    try:
        report = SendReport.open(args.path)
    except JournalError as exc:
        raise BadInput(str(exc)) from exc
    with report:
        if args.json:
            summary = {
                "journal": str(args.path),
                "action_id": report.action_id,
                "channel": report.channel.name.lower(),
                "messages": len(report),
                "counts": report.counts,
                "ok": report.ok,
            }
            out.print(json.dumps(summary, indent=2), soft_wrap=True)
        else:
            out.print(summary_table(report, title=f"{args.path}: action {report.action_id} ({report.channel.name})"))
            if report.failed:
                out.print(
                    f"{_plural(report.failed, 'failed message')} can be sent again: run the same np6 send with"
                    f" --journal {args.path}, or write them with --retryable FILE",
                    style="dim",
                )
            if report.unknown:
                out.print(
                    f"{_plural(report.unknown, 'unknown message')} may have been sent: never sent again"
                    " automatically; check them before sending them again (--report FILE lists them)",
                    style="dim",
                )
        if args.retryable is not None:
            count = _write_retryable(report, args.retryable)
            err.print(f"{_plural(count, 'message')} safe to send again written to {args.retryable}")
            if count and args.retryable.suffix == ".csv":
                err.print(
                    f"  send them with: np6 send {report.action_id} --csv {args.retryable} (a new send: do not also"
                    f" resume {args.path}, which would send them again)",
                    style="dim",
                )
        if args.report is not None:
            _write_report(report, args.report)
            err.print(f"report written to {args.report}")
    return EXIT_OK if report.ok else EXIT_NOT_ALL_SENT


RETRYABLE_COLUMN = "recipient"


def _write_retryable(report: SendReport, path: Path) -> int:
    """The failed messages: a CSV of unicity values (`np6 send --csv FILE` reads its first column), or one JSON
    message per line (what `send_many` accepts, data and copies included)."""
    as_csv = path.suffix == ".csv"
    count = 0
    try:
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            if as_csv:
                writer.writerow([RETRYABLE_COLUMN])
            for item in report.outcomes(Outcome.FAILED):
                message = item.message
                if message is None:
                    continue
                wire = message.to_dict()
                if as_csv:
                    value = _unicity_value(wire)
                    if value is None:
                        raise BadInput(
                            f"message {item.index} is more than a unicity value (data, copies, or a recipient by id"
                            " or hash): a CSV of recipients would lose it; write --retryable to a .jsonl file"
                        )
                    writer.writerow([value])
                else:
                    stream.write(json.dumps(wire, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
    except BadInput:
        path.unlink(missing_ok=True)
        raise
    return count


def _unicity_value(wire: dict[str, Any]) -> str | None:
    """The unicity value of a message that is nothing more than it, else None."""
    recipient = wire.get("recipient")
    if set(wire) != {"recipient"} or not isinstance(recipient, dict):
        return None
    recipient = cast("dict[str, Any]", recipient)  # the JSON object of the wire message
    if recipient.get("type") != "unicity":
        return None
    value = recipient.get("value")
    if not isinstance(value, list):
        return None
    values = cast("list[object]", value)
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    return values[0]


def _write_report(report: SendReport, path: Path) -> None:
    try:
        (report.to_csv if path.suffix == ".csv" else report.to_jsonl)(path)
    except OSError as exc:
        if exc.filename is None:  # raised while writing, not opening: say which file was not written
            exc.filename = str(path)
        raise


def _as_json(value: Any) -> str:
    data = value.to_dict() if hasattr(value, "to_dict") else value
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def _run_actions(args: argparse.Namespace) -> int:
    with Client(_key(args), base_url=args.base_url) as client:
        if args.verb == "get":
            action = client.actions.get(args.action_id)
            out.print(_as_json(action) if args.json else _action_table([action]))
        elif args.verb == "list":
            actions = client.actions.list(created_after=args.created_after, created_before=args.created_before)
            out.print(json.dumps([a.to_dict() for a in actions], indent=2) if args.json else _action_table(actions))
        elif args.verb == "validate":
            phases = client.actions.validate(args.action_id, test_segments=args.test_segment or None)
            if args.json:
                out.print(json.dumps({"action_id": args.action_id, "phases": list(phases)}))
            elif phases:
                out.print(f"action {args.action_id}: validated ({' then '.join(phases)} phase)")
            else:
                out.print(f"action {args.action_id} was already validated for production")
        else:
            channel = Channel.coerce(args.channel) if args.channel else None
            result = client.actions.render(args.action_id, _check_value(args.to, "--to"), channel=channel)
            out.print(_as_json(result) if args.json else _render_text(result))
            if result.to_dict().get("type") != "success":  # NP6 answered that it could not render it
                return EXIT_NOT_ALL_SENT
    return EXIT_OK


def _action_table(actions: Sequence[Any]) -> Table:
    table = Table()
    for column in ("id", "type", "name", "state", "created"):
        table.add_column(column)
    for action in actions:
        data = action.to_dict()
        informations: dict[str, Any] = data.get("informations") or {}
        table.add_row(
            str(data.get("id", "")),
            str(data.get("type", "")),
            str(data.get("name", "")),
            str(informations.get("state", "")),
            str(informations.get("creationDate", "")),
        )
    return table


def _render_text(result: Any) -> str:
    data = result.to_dict()
    if data.get("type") != "success":
        return f"NP6 could not render it: {json.dumps(data)}"
    lines = [f"{name}: {data[name]}" for name in ("recipient", "subject") if data.get(name)]
    if isinstance(data.get("sender"), dict):
        lines.append(f"from: {data['sender'].get('label', '')} <{data['sender'].get('value', '')}>")
    body = data.get("text") or data.get("html") or data.get("content") or ""
    return "\n".join([*lines, "", str(body)])


# ------------------------------------------------------------------------------------------------- errors


def _describe_error(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, APIStatusError) and error.request_id and error.request_id not in text:
        text += f" (request id: {error.request_id})"
    return text


def _fail(code: int, message: str) -> NoReturn:
    err.print(Text.assemble(("error: ", "red"), message))
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    runners = {"sandbox": _run_sandbox, "send": _run_send, "journal": _run_journal, "actions": _run_actions}
    try:
        return runners[args.command](args)
    except BadInput as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
    except JournalError as exc:  # another send's journal, or one in use: refused before any request
        _fail(EXIT_BAD_INPUT, f"{exc} (nothing was sent)")
    except InterruptedBeforeSending as exc:
        _fail(EXIT_INTERRUPTED, str(exc))
    except InvalidInputError as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
    except NotFoundError as exc:
        _fail(EXIT_BAD_INPUT, _describe_error(exc))
    except NP6Error as exc:
        _fail(EXIT_NOT_ALL_SENT, _describe_error(exc))
    except OSError as exc:  # e.g. the disk filled up while writing the report
        _fail(EXIT_NOT_ALL_SENT, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        _fail(EXIT_INTERRUPTED, "interrupted")


if __name__ == "__main__":
    sys.exit(main())
