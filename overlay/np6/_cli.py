"""The `np6` command: a local sandbox, batch sends from the shell, and a look at actions.

    np6 sandbox [--port 8600]                  serve a sandbox on loopback, print its URL and a test key
    np6 send ACTION (--to V ... | --csv FILE [--column NAME]) [--channel email|sms] [--batch-size N]
             [--concurrency N] [--report out.csv|out.jsonl]
    np6 actions get|list|validate|render ...   readable output, or --json for scripts

Exit codes: 0 done; 1 NP6 refused or something was not sent (rejected, failed or unknown messages);
2 bad input, caught before anything is sent; 130 interrupted.
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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ._channel import Channel
from ._client import DEFAULT_BASE_URL, AsyncClient, Client
from ._exceptions import APIStatusError, InvalidInputError, NotFoundError, NP6Error
from ._report import Outcome, SendProgress, SendReport
from ._send_many import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY

__all__ = ["main"]

EXIT_OK, EXIT_NOT_ALL_SENT, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_VALUE_LENGTH = 255

# No markup: what is printed comes from users and NP6 ("[stop]" in an SMS must print as is, "[/x]" in a file
# name must not crash); colours are given as styles.
out = Console(highlight=False, markup=False)
err = Console(stderr=True, highlight=False, markup=False)


class BadInput(Exception):
    """Input refused before anything is sent (exit code 2)."""


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
    parser.add_argument("--base-url", default=os.environ.get("NP6_BASE_URL", DEFAULT_BASE_URL))
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
    from .sandbox import RateLimit, Sandbox, random_api_key

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
        server = sandbox.serve(args.host, args.port).start()
    except OSError as exc:
        raise BadInput(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    out.print(f"NP6 sandbox listening on {server.url}")
    out.print(f"  export NP6_BASE_URL={server.url}")
    out.print(f"  export NP6_API_KEY={sandbox.api_key}")
    out.print("Deliveries: GET /_sandbox/deliveries. Stop with Ctrl-C.", style="dim")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
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


def _check_report_path(path: Path) -> None:
    """Refuse a report file that could not be written, before anything is sent (the report is the record)."""
    if path.suffix not in (".csv", ".jsonl"):
        raise BadInput(f"--report must end in .csv or .jsonl, got {path}")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise BadInput(f"--report: the folder {folder} does not exist")
    if path.is_dir() or not os.access(path if path.exists() else folder, os.W_OK):
        raise BadInput(f"--report: {path} cannot be written")


def _run_send(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 10_000 or not 1 <= args.concurrency <= 64:
        raise BadInput("--batch-size must be 1..10000 and --concurrency 1..64")
    if args.report is not None:
        _check_report_path(args.report)
    if args.to:
        values = [_check_value(value, f"--to value {n}") for n, value in enumerate(args.to, 1)]
        total = len(values)
    else:
        total = _count_checked(args.csv, args.column)
    channel = Channel.coerce(args.channel) if args.channel else None

    async def send() -> SendReport:
        async with AsyncClient(_key(args), base_url=args.base_url) as client:
            try:
                action = await client.actions.get(args.action_id)
            except NotFoundError as exc:
                raise BadInput(f"action {args.action_id} not found (request id {exc.request_id or '-'})") from exc
            resolved = channel or Channel.for_action_type(action.type_)
            messages = iter(values) if args.to else _csv_values(args.csv, args.column)
            with _progress() as progress:
                task = progress.add_task(f"sending {escape(args.action_id)}", total=total, counts="")

                def advance(state: SendProgress) -> None:
                    progress.update(task, completed=state.done, counts=_counts_text(state))

                return await client.actions.send_many(
                    args.action_id,
                    messages,
                    channel=resolved,
                    batch_size=args.batch_size,
                    concurrency=args.concurrency,
                    on_progress=advance,
                )

    report = asyncio.run(send())
    out.print(summary_table(report))
    if report.stopped_by is not None:
        err.print(Text.assemble(("stopped: ", "red"), _describe_error(report.stopped_by)))
    if args.report is not None:
        (report.to_csv if args.report.suffix == ".csv" else report.to_jsonl)(args.report)
        out.print(f"report written to {args.report}")
    return EXIT_OK if report.ok else EXIT_NOT_ALL_SENT


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
    return EXIT_OK


def _action_table(actions: Sequence[Any]) -> Table:
    table = Table()
    for column in ("id", "type", "name", "state", "created"):
        table.add_column(column)
    for action in actions:
        data = action.to_dict()
        informations = data.get("informations") or {}
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
    runners = {"sandbox": _run_sandbox, "send": _run_send, "actions": _run_actions}
    try:
        return runners[args.command](args)
    except BadInput as exc:
        _fail(EXIT_BAD_INPUT, str(exc))
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
