"""Ctrl-C during a synchronous send_many, as a person presses it: a real SIGINT at a random instant.

Python raises KeyboardInterrupt between any two bytecodes; the report (and the journal) must still hold every
message taken from the input exactly once, with what the fake server processed either `sent` or `unknown`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from np6._core.interrupts import critical, deferring_sigint

CHILD = textwrap.dedent(
    """
    import collections, json, sys, time
    import httpx, np6

    processed = collections.Counter()

    def answer(request):
        values = [m["recipient"]["value"][0] for m in json.loads(request.content)]
        time.sleep(0.001)
        for value in values:
            processed[value] += 1
        return httpx.Response(200, json=[{"type": "success", "id": "M-" + v} for v in values])

    journal = sys.argv[1] or None
    started = []

    def ready(progress):
        if not started:  # the first batch is done: from here on, a signal lands mid-send
            started.append(True)
            print("ready", flush=True)

    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
        try:
            report = client.actions.send_many(
                "A1",
                (f"u{i}@x.io" for i in range(1_000_000)),
                channel="email",
                batch_size=50,
                journal=journal,
                on_progress=ready,
            )
            how = "finished"
        except np6.SendKeyboardInterrupt as interrupted:
            report = interrupted.report
            how = "interrupted"
    outcomes = [item.outcome.value for item in report]
    by = {name: {item.recipient["value"][0] for item in report.outcomes(np6.Outcome(name))} for name in
          ("sent", "unknown", "failed")}
    reopened = np6.SendReport.open(journal).counts if journal else None
    print(json.dumps({
        "how": how,
        "length": len(report),
        "outcomes": len(outcomes),
        "counts": report.counts,
        "indexes_in_order": [item.index for item in report] == list(range(len(report))),
        "max_processed": max(processed.values(), default=1),
        "processed_not_in_report": len(set(processed) - by["sent"] - by["unknown"]),
        "sent_not_processed": len(by["sent"] - set(processed)),
        "reopened": reopened,
    }))
    """
)


def _interrupt_once(tmp_path: Path, delay: float, journal: bool) -> dict[str, object]:
    path = str(tmp_path / f"send-{delay:.3f}.np6journal") if journal else ""
    # Not measured by coverage: its tracer runs Python code that takes a lock, and a SIGINT landing there (as one
    # at a random instant can) leaves the child waiting on it for ever. The Ctrl-C sweep of test_sigint covers the
    # same code at every line, deterministically.
    unmeasured = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=unmeasured
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    return dict(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize("journal", [False, True], ids=["no-journal", "journal"])
def test_a_real_ctrl_c_at_random_instants_leaves_an_exact_report(tmp_path: Path, journal: bool) -> None:
    rng = random.Random(20261201 + journal)
    for _ in range(6):
        result = _interrupt_once(tmp_path, rng.uniform(0.0, 0.4), journal)
        assert result["how"] == "interrupted"
        counts = result["counts"]
        assert isinstance(counts, dict)
        assert result["length"] == result["outcomes"] == sum(counts.values())
        assert result["indexes_in_order"]
        assert result["max_processed"] == 1
        # What the server processed is in the report as sent, or unknown (in flight when Ctrl-C came).
        assert result["processed_not_in_report"] == 0
        assert result["sent_not_processed"] == 0
        assert counts["unknown"] <= 50, "at most the one batch in flight"
        if journal:
            assert result["reopened"] == counts


def test_ctrl_c_inside_a_critical_section_waits_for_its_end() -> None:
    steps: list[str] = []

    def section() -> None:
        with deferring_sigint(), critical():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)  # the handler has run by now, and deferred the interrupt
            steps.append("section finished")

    with pytest.raises(KeyboardInterrupt):
        section()
    assert steps == ["section finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_outside_critical_sections_is_immediate() -> None:
    steps: list[str] = []

    def outside() -> None:
        with deferring_sigint():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            steps.append("not reached")

    with pytest.raises(KeyboardInterrupt):
        outside()
    assert steps == []


def test_a_program_with_its_own_sigint_handler_keeps_it() -> None:
    def mine(signum: int, frame: object) -> None:
        return None

    previous = signal.signal(signal.SIGINT, mine)
    try:
        with deferring_sigint():
            assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, previous)
