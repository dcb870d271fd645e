"""What a person sees: `np6 send` of a 100,000-row CSV file in a real pseudo-terminal of 80 columns, its screen
read with a terminal emulator (pyte) while it runs. The progress line stays whole (never cut, never wrapped into
garbage), and the counts it shows never exceed what the sandbox had accepted by then."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

import pyte
import pytest
from np6.sandbox import Sandbox

from tests.cli.support import KEY, NP6, environment, validated_email_action

ROWS = 100_000
COLUMNS, LINES = 80, 24
# "sending ━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 41500/100000 sent 41,500 0:00:03": every part, on one line.
PROGRESS = re.compile(r"^sending\s+\S+\s+(\d+)/(\d+)\s+sent ([\d,]+)(?: (?:rej|fail|unk) [\d,]+)*\s+\d+:\d\d:\d\d\s*$")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_the_progress_line_of_a_100k_row_send_fits_80_columns_and_never_runs_ahead(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("email,firstname\n" + "".join(f"c{n:06}@example.com,C{n}\n" for n in range(ROWS)))
    box = Sandbox(api_key=KEY, validation="off", keep_messages=False)
    action_id = validated_email_action(box)
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    seen: list[tuple[int, int, int]] = []  # (shown answered, shown sent, accepted by the sandbox just after)
    with box.serve() as server:
        env = {**environment(server), "COLUMNS": str(COLUMNS), "LINES": str(LINES), "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        master, slave = os.openpty()
        os.set_blocking(master, False)
        command = subprocess.Popen(
            [*NP6, "send", action_id, "--csv", str(source), "--batch-size", "1000"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        try:
            _watch(command, master, stream, screen, box, seen)
        finally:
            if command.poll() is None:
                command.kill()
            command.wait(timeout=30)
            os.close(master)
    assert command.returncode == 0
    assert box.deliveries.count() == ROWS
    final = [line for line in screen.display if line.startswith("sending")]
    assert final, "\n".join(screen.display)
    assert all(len(line.rstrip()) <= COLUMNS for line in screen.display)
    assert PROGRESS.match(final[-1]), final[-1]
    assert f"{ROWS}/{ROWS}" in final[-1]
    print(f"\n{len(seen)} progress lines read while the send ran; the last: {final[-1]!r}")
    assert len(seen) >= 3, "the progress line was never seen whole while the send ran"
    for answered, sent, accepted in seen:
        assert sent <= answered <= ROWS
        assert sent <= accepted, (sent, accepted)  # NP6's answers, never more than the sandbox had taken
    assert seen == sorted(seen)  # counts only grow


def _watch(
    command: subprocess.Popen[bytes],
    master: int,
    stream: pyte.ByteStream,
    screen: pyte.Screen,
    box: Sandbox,
    seen: list[tuple[int, int, int]],
) -> None:
    """Feed the terminal's output to the emulator while the command runs; note each whole progress line with what
    the sandbox had accepted just after it was read."""
    deadline = time.monotonic() + 300
    while command.poll() is None and time.monotonic() < deadline:
        readable, _, _ = select.select([master], [], [], 0.2)
        if readable:
            try:
                stream.feed(os.read(master, 65536))
            except OSError:  # the child closed its side
                break
        for line in screen.display:
            match = PROGRESS.match(line)
            if match:
                accepted = box.deliveries.count()
                seen.append((int(match.group(1)), int(match.group(3).replace(",", "")), accepted))
    while True:  # what is left after the end
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        stream.feed(data)
