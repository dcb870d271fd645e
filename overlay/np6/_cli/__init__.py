"""The `np6` command: a local sandbox, batch sends from the shell, send journals, a look at actions.

One module per command (`send`, `journal`, `actions`, `serve` for `np6 sandbox`); this one holds the parser, which
documents every argument, and `main`, which turns every expected failure into one line and an exit code. Needs
the `cli` extra (`pip install 'np6-cm[cli]'`); `import np6` never imports this package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from .._core.errors import InvalidInputError, JournalError, NotFoundError, NP6Error
from .._sending.defaults import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY
from .._version import NP6_API_VERSION, __version__
from .console import cli_advice, describe_error, fail, out, summary_table
from .errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NOT_ALL_SENT, EXIT_OK, BadInput, InterruptedBeforeSending
from .send import DEFAULT_STOP_TIMEOUT

__all__ = ["main", "summary_table"]

EPILOG = f"""\
exit codes:
  {EXIT_OK}    done: every message sent (or the command did what it was asked)
  {EXIT_NOT_ALL_SENT}    NP6 refused, or some messages were not sent (rejected, failed or unknown: see the report)
  {EXIT_BAD_INPUT}    bad input or options, caught before anything was sent
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C or SIGTERM); with --journal, the same command resumes

environment:
  NP6_API_KEY   the API key (--api-key overrides it; prefer the variable, a key on the command line ends up in
                shell history)
  NP6_BASE_URL  where NP6 is (default https://api-cm.np6.com); `np6 sandbox` prints the export for its URL
  NP6_LOG       debug, info or warning: np6's log on stderr (the key never appears in it)

shell completion (bash, zsh, fish): eval "$(np6 completion bash)", or see np6 completion --help
"""


def _version() -> str:
    return (
        f"np6-cm {__version__} (NP6 API {NP6_API_VERSION}), Python {platform.python_version()},"
        f" httpx {httpx.__version__}"
    )


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url", default=None, metavar="URL", help="where NP6 is (default: NP6_BASE_URL, else production)"
    )
    parser.add_argument(
        "--api-key", metavar="KEY", help="the API key (default: NP6_API_KEY, which keeps it out of shell history)"
    )


def _instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date-time: {text!r}") from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A command (`np6 send`) or a verb of one (`np6 actions get`), each with the exit codes and environment."""
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _send_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = _command(
        commands,
        "send",
        "send an action to the rows of a CSV or JSON-lines file",
        "Send ACTION_ID to every row of the input, exactly once. Every CSV column other than the recipient's\n"
        "fills the message's data: the values of the action's [[placeholders]]. The whole input is checked\n"
        "before anything is sent. Examples:\n\n"
        "  np6 send 000ABC --csv customers.csv --journal send.journal --report report.csv\n"
        "  cat orders.jsonl | np6 send 000ABC --jsonl - --json\n"
        "  np6 send 000ABC --to alice@example.com bob@example.com",
    )
    send.add_argument("action_id", metavar="ACTION_ID", help="the action to send (np6 actions list shows them)")
    source = send.add_mutually_exclusive_group(required=True)
    source.add_argument("--to", nargs="+", metavar="VALUE", help="recipients given on the command line")
    source.add_argument("--csv", type=Path, metavar="FILE", help="a CSV file with a header row (- for stdin)")
    source.add_argument(
        "--jsonl",
        type=Path,
        metavar="FILE",
        help='one JSON message per line (- for stdin): {"to": ..., "data": {...}, "subject": ...}, or messages as'
        " np6 journal --retryable writes them",
    )
    send.add_argument("--column", metavar="NAME", help="the CSV column of the recipients (default: the first)")
    send.add_argument(
        "--data-columns",
        metavar="A,B",
        help="the CSV columns that fill the message's data (default: every column but the recipient's)",
    )
    send.add_argument("--no-data", action="store_true", help="send the recipients only, no data from the CSV")
    send.add_argument(
        "--recipient-type",
        choices=["unicity", "id", "hash"],
        default="unicity",
        help="what the recipient values are: the account's unicity field (default), contact ids, or hashes",
    )
    send.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the valid rows and report the others as rejected, with their line and reason (default: a"
        " bad row stops the command before anything is sent)",
    )
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="check every row and render the first message through NP6; send nothing",
    )
    send.add_argument("--channel", choices=["email", "sms"], help="the action's channel (default: its type's)")
    send.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N", help="messages per request (default 500)"
    )
    send.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"requests in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    send.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write every row's outcome to a .csv or .jsonl file: line, input, recipient, outcome, message_id,"
        " reason, request_id",
    )
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
    send.add_argument("--json", action="store_true", help="print a JSON summary on stdout (the table goes to stderr)")
    send.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing but errors (and the --json summary): no progress, no table",
    )
    _connection_options(send)


def _feed_and_contacts_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = _command(
        commands,
        "events",
        "the delivery feed: activations, bounces, opens, clicks, STOP replies",
        "Print NP6's events, one line each (or JSON lines), from --since until now; --follow keeps polling\n"
        "until Ctrl-C. Example:\n\n  np6 events --action 000ABC --since 1h --kind bounce,click --follow",
    )
    events.add_argument("--action", metavar="ACTION_ID", help="one action's events (default: every action's)")
    events.add_argument(
        "--since", default="1h", metavar="WHEN", help="a duration ago (90s, 30m, 1h, 2d) or an ISO-8601 instant"
    )
    events.add_argument("--kind", metavar="KINDS", help="only these kinds, comma-separated (bounce,click,open...)")
    events.add_argument("--follow", "-f", action="store_true", help="keep polling for new events until Ctrl-C")
    events.add_argument("--json", action="store_true", help="one JSON object per event (JSON lines)")
    _connection_options(events)

    targets = _command(commands, "targets", "contacts: import them from a CSV file", "Manage contacts (NP6 targets).")
    target_verbs = targets.add_subparsers(dest="verb", required=True, metavar="VERB")
    importing = _command(
        target_verbs,
        "import",
        "create the contacts of a CSV file (or find them, when they exist)",
        "Each column is a contact field, by name (Email, FirstName...). Example:\n\n"
        "  np6 targets import --csv contacts.csv --report imported.csv",
    )
    importing.add_argument("--csv", type=Path, required=True, metavar="FILE", help="the contacts (- for stdin)")
    importing.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the others as rejected"
    )
    importing.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="every row's outcome in a .csv or .jsonl file: line, unicity, outcome, contact_id, reason, request_id",
    )
    importing.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="requests in flight at once (default 4)"
    )
    importing.add_argument("--json", action="store_true", help="print the counts as JSON for scripts")
    _connection_options(importing)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="np6",
        description="NP6 CM from the command line: send e-mail and SMS actions, rehearse with a local sandbox.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version(), help="show the versions and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = _command(
        commands,
        "sandbox",
        "serve a local NP6 sandbox on loopback",
        "Serve a local NP6 on loopback and print its URL and key, as exports for the other commands.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8600, help="port (default 8600; 0 picks a free one)")
    sandbox.add_argument("--api-key", metavar="KEY", help="key the sandbox accepts (default: a fresh random one)")
    sandbox.add_argument(
        "--validation",
        choices=["full", "sample", "off"],
        default="full",
        help="check every request and answer against the spec (full, the default), a sample of large batches, or"
        " statuses and media types only",
    )
    sandbox.add_argument("--rate-limit", metavar="N/SECONDS", help="e.g. 10/1: at most 10 requests per second")
    sandbox.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="delay every answer")
    sandbox.add_argument("--error-rate", type=float, default=0.0, metavar="RATE", help="fraction answered 5xx")
    sandbox.add_argument("--drop-rate", type=float, default=0.0, metavar="RATE", help="fraction of connections dropped")
    sandbox.add_argument("--max-batch-size", type=int, metavar="N", help="answer 413 to larger batches")
    sandbox.add_argument("--unknown", nargs="*", default=[], metavar="VALUE", help="recipients NP6 cannot find")

    _send_parser(commands)

    journal = _command(
        commands,
        "journal",
        "the outcomes recorded in a send journal (np6 send --journal)",
        "Show what a send journal records, and write its outcomes or the messages safe to send again.",
    )
    journal.add_argument("path", type=Path, metavar="FILE", help="the journal np6 send --journal wrote")
    journal.add_argument("--json", action="store_true", help="print the counts as JSON for scripts")
    journal.add_argument(
        "--retryable",
        type=Path,
        metavar="FILE",
        help="write the messages safe to send again (the failed ones): a .csv of recipients for np6 send --csv,"
        " or .jsonl messages for np6 send --jsonl",
    )
    journal.add_argument("--report", type=Path, metavar="FILE", help="write every outcome to a .csv or .jsonl file")

    actions = _command(commands, "actions", "look at and validate actions", "Look at, validate and render actions.")
    verbs = actions.add_subparsers(dest="verb", required=True, metavar="VERB")
    get = _command(verbs, "get", "one action")
    get.add_argument("action_id", metavar="ACTION_ID", help="the action's id")
    listing = _command(verbs, "list", "actions created in a window")
    listing.add_argument("--created-after", type=_instant, metavar="ISO-8601", help="created at or after")
    listing.add_argument("--created-before", type=_instant, metavar="ISO-8601", help="created before")
    validate = _command(verbs, "validate", "run NP6's two validation phases as needed")
    validate.add_argument("action_id", metavar="ACTION_ID", help="the action's id")
    validate.add_argument(
        "--test-segment",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="a segment of test contacts for the test phase (repeat for more; np6 sandbox has segment 1)",
    )
    render = _command(verbs, "render", "render the action for one recipient")
    render.add_argument("action_id", metavar="ACTION_ID", help="the action's id")
    render.add_argument("--to", required=True, metavar="VALUE", help="the recipient's unicity value")
    render.add_argument("--channel", choices=["email", "sms"], help="the action's channel (default: its type's)")
    for verb in (get, listing, validate, render):
        _connection_options(verb)
        verb.add_argument("--json", action="store_true", help="print JSON for scripts")

    _feed_and_contacts_parsers(commands)

    completion = _command(
        commands,
        "completion",
        "print the shell completion script",
        "Print the completion script of np6 for a shell. Install it with one command:\n\n"
        "  bash:  echo 'eval \"$(np6 completion bash)\"' >> ~/.bashrc\n"
        "  zsh:   echo 'eval \"$(np6 completion zsh)\"' >> ~/.zshrc\n"
        "  fish:  np6 completion fish > ~/.config/fish/completions/np6.fish",
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell to complete in")
    return parser


def _run_completion(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    out.file.write(shellcode(["np6"], shell=args.shell))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run `np6` with `argv` (the process's arguments when None); returns the exit status."""
    parser = _parser()
    if argv is None:
        import argcomplete

        argcomplete.autocomplete(parser)  # answers the shell's completion request, if this is one, and exits
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `np6`: what it can do
        parser.print_help()
        return EXIT_OK
    from .actions import run_actions
    from .events import run_events
    from .journal import run_journal
    from .send import run_send
    from .serve import run_sandbox
    from .targets import run_import

    runners = {
        "sandbox": run_sandbox,
        "send": run_send,
        "journal": run_journal,
        "actions": run_actions,
        "events": run_events,
        "targets": run_import,
        "completion": _run_completion,
    }
    try:
        return runners[args.command](args)
    except BadInput as exc:
        fail(EXIT_BAD_INPUT, str(exc))
    except JournalError as exc:  # another send's journal, or one in use: refused before any request
        fail(EXIT_BAD_INPUT, f"{exc} (nothing was sent)")
    except InterruptedBeforeSending as exc:
        fail(EXIT_INTERRUPTED, str(exc))
    except InvalidInputError as exc:
        fail(EXIT_BAD_INPUT, cli_advice(str(exc)))
    except NotFoundError as exc:
        fail(EXIT_BAD_INPUT, describe_error(exc))
    except NP6Error as exc:
        fail(EXIT_NOT_ALL_SENT, describe_error(exc))
    except BrokenPipeError:  # `np6 events | head`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # e.g. the disk filled up while writing the report
        fail(EXIT_NOT_ALL_SENT, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        fail(EXIT_INTERRUPTED, "interrupted")


EXIT_BROKEN_PIPE = 128 + 13  # as a program killed by SIGPIPE, without Python's traceback


def _quiet_stdout() -> None:
    """Python flushes stdout once more at exit: pointed at /dev/null, that flush cannot fail again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
