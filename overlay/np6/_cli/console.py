"""What every command prints with: the two consoles, plurals, error lines, the outcome table, output files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._core.errors import APIStatusError
from .._sending.report import Outcome, SendReport
from .errors import BadInput

__all__ = [
    "check_output_path",
    "cli_advice",
    "describe_error",
    "err",
    "fail",
    "out",
    "plural",
    "print_json",
    "summary_table",
]

# No markup: what is printed comes from users and NP6 ("[stop]" in an SMS must print as is, "[/x]" in a file
# name must not crash); colours are given as styles.
out = Console(highlight=False, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)


def print_json(data: object, *, indent: int | None = 2) -> None:
    """JSON on stdout as it is: never wrapped at the terminal's width (a wrapped string is no longer JSON)."""
    out.file.write(json.dumps(data, indent=indent, ensure_ascii=False, default=str) + "\n")
    out.file.flush()


_PLURALS = {"batch": "batches"}


def plural(count: int, word: str) -> str:
    """`1 message`, `2 messages`, `1 batch`, `3 batches`."""
    return f"{count:,} {word if count == 1 else _PLURALS.get(word, word + 's')}"


def describe_error(error: BaseException) -> str:
    """One line for an error: what np6 says of it, in the command line's terms, with NP6's request id."""
    text = cli_advice(str(error))
    if isinstance(error, APIStatusError) and error.request_id and error.request_id not in text:
        text += f" (request id: {error.request_id})"
    return text


# The library's errors give Python advice; the command gives the flag, variable or command to use instead.
_CLI_ADVICE = (
    ("pass api_key=... or set the NP6_API_KEY environment variable", "set NP6_API_KEY (or pass --api-key)"),
    (
        "run client.actions.validate(action_id, test_segments=[...])",
        "run np6 actions validate ACTION_ID --test-segment ID",
    ),
    ("(from base_url)", "(from --base-url)"),
)


def cli_advice(text: str) -> str:
    """`text` with each piece of Python advice replaced by its command-line counterpart."""
    for python, command_line in _CLI_ADVICE:
        text = text.replace(python, command_line)
    return text


def fail(code: int, message: str) -> NoReturn:
    err.print(Text.assemble(("error: ", "red"), message))
    raise SystemExit(code)


_MEANINGS = {
    Outcome.SENT: "accepted by NP6",
    Outcome.REJECTED: "refused for that message (e.g. recipient not found): not retryable as is",
    Outcome.FAILED: "not processed by NP6: safe to send again",
    Outcome.UNKNOWN: "may have been sent: check before sending again",
}


def summary_table(report: SendReport, title: str | None = None, *, skipped: int = 0) -> Table:
    """The outcomes of a send as a table (also used by the demo); `skipped` input rows count as rejected."""
    table = Table(title=title or f"action {report.action_id} ({report.channel.name})")
    table.add_column("outcome")
    table.add_column("messages", justify="right")
    table.add_column("meaning")
    among = f" ({plural(skipped, 'invalid input row')} among them)" if skipped else ""
    for outcome, meaning in _MEANINGS.items():
        rejected = outcome is Outcome.REJECTED
        count = report.count(outcome) + (skipped if rejected else 0)
        style = "green" if outcome is Outcome.SENT else ("red" if count else "dim")
        table.add_row(outcome.value, f"{count:,}", meaning + (among if rejected else ""), style=style)
    total = len(report) + skipped
    table.caption = f"{plural(total, 'message')} in {report.elapsed:.2f} s ({report.messages_per_second:,.0f}/s)"
    return table


def check_output_path(path: Path, option: str, suffixes: tuple[str, ...] = (".csv", ".jsonl")) -> None:
    """Refuse a file that could not be written, before anything is sent (the report is the record)."""
    if suffixes and path.suffix not in suffixes:
        raise BadInput(f"{option} must end in {' or '.join(suffixes)}, got {path}")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise BadInput(f"{option}: the folder {folder} does not exist")
    if path.is_dir() or not os.access(path if path.exists() else folder, os.W_OK):
        raise BadInput(f"{option}: {path} cannot be written")
