"""The `np6` command's entry point (and `python -m np6`): the command line itself, or, in an install without the
`cli` extra, one line saying how to get it."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ._extras import MissingExtraError, missing_extra

__all__ = ["main"]

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `np6` command with `argv` (the process's arguments when None); returns its exit status."""
    # Also around the run: a command imports what only it needs (the sandbox) when it starts.
    try:
        from ._cli import main as run

        return run(argv)
    except MissingExtraError as error:  # a part of np6 that said so itself (np6.sandbox)
        print(f"np6: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ModuleNotFoundError as error:
        hint = missing_extra(error, "the np6 command")
        if hint is None:
            raise
        print(f"np6: {hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
