"""`np6 journal FILE`: what a send journal records (counts, every outcome), and the messages safe to send again."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any, cast

from .._core.errors import JournalError
from .._sending.report import Outcome, SendReport
from .console import check_output_path, err, out, plural, print_json, summary_table
from .errors import EXIT_NOT_ALL_SENT, EXIT_OK, BadInput

__all__ = ["RETRYABLE_COLUMN", "run_journal"]


def run_journal(args: argparse.Namespace) -> int:
    for option, path in (("--retryable", args.retryable), ("--report", args.report)):
        if path is not None:
            check_output_path(path, option)
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
            print_json(summary)
        else:
            out.print(summary_table(report, title=f"{args.path}: action {report.action_id} ({report.channel.name})"))
            if report.failed:
                out.print(
                    f"{plural(report.failed, 'failed message')} can be sent again: run the same np6 send with"
                    f" --journal {args.path}, or write them with --retryable FILE",
                    style="dim",
                )
            if report.unknown:
                out.print(
                    f"{plural(report.unknown, 'unknown message')} may have been sent: never sent again"
                    " automatically; check them before sending them again (--report FILE lists them)",
                    style="dim",
                )
        if args.retryable is not None:
            count = _write_retryable(report, args.retryable)
            err.print(f"{plural(count, 'message')} safe to send again written to {args.retryable}")
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
