"""How `np6 send` shows its progress: a bar on a terminal, plain lines in a log, nothing when asked.

The counts shown are NP6's answers so far (`SendProgress`, after each batch), never what was merely handed to the
client. The bar's columns fit an 80-column terminal whatever the size of the file (`100,000/100,000` included):
rich gives the bar itself whatever width is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from .._sending.report import SendProgress
from .console import err

__all__ = ["Counter", "Display", "choose_display", "counts_text"]

PLAIN_EVERY = 5.0  # seconds between two plain progress lines


_SHORT = {"rejected": "rej", "failed": "fail", "unknown": "unk"}


def counts_text(progress: SendProgress, *, short: bool = False) -> str:
    """The answers so far: `sent` always, the other outcomes once there are some (short names on the bar, whose
    line must hold all four at 80 columns: "sent 95,060 rej 1,940 fail 1,500 unk 1,500")."""
    others = (("rejected", progress.rejected), ("failed", progress.failed), ("unknown", progress.unknown))
    parts = [f"sent {progress.sent:,}"]
    parts += [f"{_SHORT[name] if short else name} {count:,}" for name, count in others if count]
    return " ".join(parts) if short else " · ".join(parts)


class Display(Protocol):
    def start(self, total: int, done: int, counts: str) -> None: ...

    def update(self, progress: SendProgress) -> None: ...

    def finish(self, progress: SendProgress) -> None: ...


class _Bar:
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("sending"),
            BarColumn(bar_width=None),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
            expand=False,
        )
        self._task: TaskID | None = None

    def start(self, total: int, done: int, counts: str) -> None:
        self._progress.start()
        self._task = self._progress.add_task("sending", total=total, completed=done, counts=counts)

    def update(self, progress: SendProgress) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=progress.done, counts=counts_text(progress, short=True))

    def finish(self, progress: SendProgress) -> None:
        self.update(progress)
        self._progress.stop()


class _Lines:
    """Without a terminal (a CI log, a file): one plain line every few seconds, and one at the end."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._last = -PLAIN_EVERY
        self._total = 0

    def _line(self, progress: SendProgress) -> None:
        elapsed = self._clock() - self._started
        err.print(f"np6 send: {progress.done:,}/{self._total:,} answered ({counts_text(progress)}), {elapsed:.1f} s")

    def start(self, total: int, done: int, counts: str) -> None:
        self._total = total
        self._last = self._clock()

    def update(self, progress: SendProgress) -> None:
        now = self._clock()
        if now - self._last >= PLAIN_EVERY:
            self._last = now
            self._line(progress)

    def finish(self, progress: SendProgress) -> None:
        self._line(progress)


class _Silent:
    def start(self, total: int, done: int, counts: str) -> None:
        pass

    def update(self, progress: SendProgress) -> None:
        pass

    def finish(self, progress: SendProgress) -> None:
        pass


class Counter:
    """The progress of a run of independent requests (`np6 targets import`): a bar on a terminal, plain lines
    every few seconds otherwise."""

    def __init__(self, label: str, total: int, *, quiet: bool = False, clock: Callable[[], float] = time.monotonic):
        self._label, self._total, self._clock = label, total, clock
        self._quiet = quiet
        self._done = 0
        self._started = self._last = clock()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if not quiet and err.is_terminal:
            self._bar = Progress(
                TextColumn(label), BarColumn(bar_width=None), MofNCompleteColumn(), TimeElapsedColumn(), console=err
            )
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)

    def advance(self) -> None:
        self._done += 1
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self._done)
        elif not self._quiet and self._clock() - self._last >= PLAIN_EVERY:
            self._last = self._clock()
            self._line()

    def _line(self) -> None:
        elapsed = self._clock() - self._started
        err.print(f"np6 {self._label}: {self._done:,}/{self._total:,} done, {elapsed:.1f} s")

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif not self._quiet:
            self._line()


def choose_display(*, quiet: bool) -> Display:
    """A bar on a terminal, plain lines otherwise, nothing with `--quiet` (or `--json --quiet`)."""
    if quiet:
        return _Silent()
    return _Bar() if err.is_terminal else _Lines()
