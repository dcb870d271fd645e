"""Benchmark 2: memory of send_many as the message count grows (100,000 vs 1,000,000 from a generator).

Each count runs in a fresh process; the figure is the growth of peak RSS over the process's baseline (after
imports and client set-up, before sending). The transport answers each batch from its request, so nothing is
prepared in memory ahead of the run. Target: < 64 MiB over the baseline, and flat as the count grows.

    .venv/bin/python benchmarks/bench_memory.py [--counts 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import httpx

BATCH = 500
TARGET_MIB = 64


class EchoTransport(httpx.BaseTransport):
    """Answers every batch with one success per message, built from the request itself."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"type": "mailMessage", "id": "BENCH1", "informations": {"state": 50}})
        messages = json.loads(request.read())
        results = [
            {
                "type": "success",
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "recipient": {"type": "footprint", "id": f"{i:08d}", "unicity": m["recipient"]["value"][0]},
            }
            for i, m in enumerate(messages)
        ]
        return httpx.Response(200, content=json.dumps(results).encode(), headers={"x-request-id": "r"})


def measure(count: int) -> dict[str, float]:
    import np6
    from _common import addresses, current_rss_mib, peak_rss_mib

    with np6.Client("benchmark-key", base_url="http://127.0.0.1", transport=EchoTransport()) as client:
        # Warm up every code path once so that lazily imported modules count in the baseline, not the growth.
        client.actions.send_many("BENCH1", addresses(BATCH), channel="email", batch_size=BATCH)
        baseline = current_rss_mib()
        report = client.actions.send_many("BENCH1", addresses(count), channel="email", batch_size=BATCH)
        assert report.sent == count, report
        peak = peak_rss_mib()
        # Touch the report at both ends: lazily parsed, it must still answer for every message.
        assert report[0].message_id
        assert report[count - 1].footprint is not None
    return {"count": count, "baseline_mib": baseline, "peak_mib": peak, "growth_mib": peak - baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    print(f"benchmark 2 - memory: send_many from a generator, batches of {BATCH}, peak RSS growth over baseline")
    growths = []
    for count in args.counts:
        output = subprocess.run(
            [sys.executable, str(Path(__file__)), "--child", str(count)], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        growths.append(figures["growth_mib"])
        print(
            f"  {count:>10,} messages: baseline {figures['baseline_mib']:6.1f} MiB, peak {figures['peak_mib']:6.1f}"
            f" MiB, growth {figures['growth_mib']:5.1f} MiB"
        )
    worst = max(growths)
    print(f"  worst growth {worst:.1f} MiB (target < {TARGET_MIB} MiB): {'met' if worst < TARGET_MIB else 'NOT met'}")
    if len(growths) > 1:
        print(f"  growth {args.counts[-1]:,} / {args.counts[0]:,} = {growths[-1] / max(growths[0], 0.1):.2f}x")


if __name__ == "__main__":
    main()
