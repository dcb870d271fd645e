"""How the `np6` command ends: its exit codes, and the errors that end it with one line instead of a traceback."""

from __future__ import annotations

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_ALL_SENT",
    "EXIT_OK",
    "BadInput",
    "InterruptedBeforeSending",
]

EXIT_OK, EXIT_NOT_ALL_SENT, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class BadInput(Exception):
    """Input refused before anything is sent (exit code 2)."""


class InterruptedBeforeSending(Exception):
    """Ctrl-C or SIGTERM before the first batch: nothing was sent (exit code 130)."""
