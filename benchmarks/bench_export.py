"""Benchmark 6: `SendReport.to_csv` and `to_jsonl` of a report of 1,000,000 messages, against the export as it was
before issue #15 (a `MessageOutcome`, then a dict, per row), measured in the same run.

One process: a send_many of --count messages from a generator (bench_memory's transport: one success with its
footprint per message, batches of 500; the bodies end up in the report's spool file), then each export to a file
in a temporary directory, the reference and the new one in turn, --rounds times. Figures: microseconds per row of
each (its best round), the new one's share of the reference's time, whether the files are the same bytes (SHA-256,
when the reference wrote as many rows), the peak RSS growth of each export over the RSS before it (Linux: the peak
is reset before each export, through /proc/self/clear_refs), and the process's peak over its RSS before the send
(bench_memory's figure: the send's peak or an export's, whichever is higher). Targets: <= 11 us per row at
1,000,000 rows for each export, and that peak growth < 64 MiB.
The machine's other work makes the figures noisy: the ratios to the reference are steadier than the times.

    .venv/bin/python benchmarks/bench_export.py [--count 1000000] [--reference-count N] [--rounds 2]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import np6
from _common import addresses, current_rss_mib
from bench_memory import BATCH, EchoTransport
from np6._sending.report import inert_cell

TARGET_US = 11.0
TARGET_MIB = 64
COLUMNS = ("index", "outcome", "message_id", "recipient", "footprint_id", "reason", "request_id", "input")


# ------------------------------------------------------------- the export before issue #15 (the reference)


def reference_rows(report: np6.SendReport, count: int) -> Iterator[dict[str, Any]]:
    """Its rows, of the first `count` messages: from each message's MessageOutcome (as tests/sending/
    test_report_export.py keeps it, to hold the new export to it)."""
    for item in itertools.islice(report, count):
        wire_result = item._wire_result
        footprint = wire_result.get("recipient") if wire_result and item.outcome is np6.Outcome.SENT else None
        yield {
            "index": item.index,
            "outcome": item.outcome.value,
            "message_id": item.message_id,
            "recipient": item.recipient,
            "footprint_id": footprint.get("id") if isinstance(footprint, dict) else None,
            "reason": item.reason,
            "request_id": item.request_id,
            "input": item.input,
        }


def reference_csv(report: np6.SendReport, count: int, stream: IO[str]) -> None:
    writer: csv.DictWriter[str] = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in reference_rows(report, count):
        row["recipient"] = json.dumps(row["recipient"], separators=(",", ":"))
        writer.writerow({name: inert_cell(value) for name, value in row.items()})


def reference_jsonl(report: np6.SendReport, count: int, stream: IO[str]) -> None:
    for row in reference_rows(report, count):
        stream.write(json.dumps(row, separators=(",", ":")) + "\n")


# ------------------------------------------------------------------------------------------ measuring


def _status_mib(field: str) -> float:
    with open(f"/proc/{os.getpid()}/status") as stream:
        for line in stream:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def timed(write: Callable[[IO[str]], None], path: Path) -> tuple[float, float, float, str]:
    """(seconds, peak RSS in MiB, its growth over the RSS before, SHA-256 of the file) of one export to `path`."""
    with open("/proc/self/clear_refs", "w") as stream:  # resets the peak RSS (VmHWM) to the current RSS
        stream.write("5")
    before = current_rss_mib()
    started = time.perf_counter()
    with open(path, "w", newline="", encoding="utf-8", errors="backslashreplace") as stream:
        write(stream)
    seconds = time.perf_counter() - started
    peak = _status_mib("VmHWM")
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    path.unlink()
    return seconds, peak, peak - before, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--reference-count", type=int, help="rows the reference writes (default: --count)")
    parser.add_argument("--rounds", type=int, default=2, help="timings of each export; the best is kept")
    args = parser.parse_args()
    count = args.count
    reference_count = min(args.reference_count or count, count)
    print(f"benchmark 6 - export: to_csv and to_jsonl of {count:,} messages (batches of {BATCH}), us per row")
    with np6.Client("benchmark-key", base_url="http://127.0.0.1", transport=EchoTransport()) as client:
        # Every code path once first, so that lazily imported modules count in the baseline, not the growth.
        with client.actions.send_many("BENCH1", addresses(BATCH), channel="email", batch_size=BATCH) as warm_up:
            warm_up.to_csv(os.devnull)
            warm_up.to_jsonl(os.devnull)
        baseline = current_rss_mib()
        report = client.actions.send_many("BENCH1", addresses(count), channel="email", batch_size=BATCH)
    assert report.sent == count, report
    peaks = [_status_mib("VmHWM")]
    exports: dict[str, tuple[Callable[[IO[str]], None], Callable[[IO[str]], None]]] = {
        "to_csv": (report.to_csv, lambda stream: reference_csv(report, reference_count, stream)),
        "to_jsonl": (report.to_jsonl, lambda stream: reference_jsonl(report, reference_count, stream)),
    }
    speeds: list[bool] = []
    with tempfile.TemporaryDirectory() as directory, report:
        for name, (new, reference) in exports.items():
            # Each round times both, in turn (which goes first alternates); the best round of each is its figure.
            runs: dict[str, list[tuple[float, float, float, str]]] = {"reference": [], "new": []}
            for round_ in range(args.rounds):
                order = [("reference", reference), ("new", new)]
                for kind, write in order if round_ % 2 == 0 else order[::-1]:
                    runs[kind].append(timed(write, Path(directory) / f"{kind}-{name}"))
            peaks += [run[1] for kind in runs for run in runs[kind]]
            old_us = min(run[0] for run in runs["reference"]) / reference_count * 1e6
            new_us = min(run[0] for run in runs["new"]) / count * 1e6
            old_growth, growth = (max(run[2] for run in runs[kind]) for kind in ("reference", "new"))
            digests = {run[3] for kind in runs for run in runs[kind]}
            if reference_count == count:
                same = "identical output" if len(digests) == 1 else "DIFFERENT OUTPUT"
            else:
                same = "output not compared"
            speeds.append(new_us <= TARGET_US)
            print(
                f"  {name:<8} reference {old_us:5.2f} us/row ({reference_count:,} rows; growth {old_growth:5.1f} MiB)"
                f"\n  {'':<8} new       {new_us:5.2f} us/row ({count:,} rows; growth {growth:5.1f} MiB):"
                f" {new_us / old_us:.2f}x the reference's time, {same};"
                f" target <= {TARGET_US:g} us/row: {'met' if speeds[-1] else 'NOT met'}"
            )
    worst = max(peaks) - baseline
    print(
        f"  peak RSS growth over the baseline before the send {worst:5.1f} MiB (target < {TARGET_MIB} MiB):"
        f" {'met' if worst < TARGET_MIB else 'NOT met'}"
    )
    print(f"  all targets: {'met' if all(speeds) and worst < TARGET_MIB else 'NOT met'}")


if __name__ == "__main__":
    main()
