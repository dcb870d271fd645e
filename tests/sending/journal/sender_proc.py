"""A sending process for the kill tests: one send_many with a journal against a loopback NP6, nothing else.

    python sender_proc.py URL JOURNAL --count N --batch-size B --mode sync|async [--concurrency C]
                          [--resend-unknown] [--action ID]

Prints one JSON line: {"counts": ..., "length": ...} when the send ends, or {"error": type, "message": ...} when it
raises (exit status 3). The tests SIGKILL it at chosen instants and run it again on the same journal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

import np6

ACTION = "000ABC"


def messages(count: int) -> list[str]:
    return [f"user{i}@example.com" for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("journal")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--mode", choices=["sync", "async"], required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--resend-unknown", action="store_true")
    parser.add_argument("--action", default=ACTION)
    args = parser.parse_args()
    policy = np6.RetryPolicy(max_retries=0)
    options = {
        "channel": "email",
        "batch_size": args.batch_size,
        "journal": args.journal,
        "resend_unknown": args.resend_unknown,
    }
    try:
        if args.mode == "sync":
            with np6.Client("test-key", base_url=args.url, retry_policy=policy, timeout=20) as client:
                report = client.actions.send_many(args.action, messages(args.count), **options)
        else:

            async def run() -> np6.SendReport:
                async with np6.AsyncClient("test-key", base_url=args.url, retry_policy=policy, timeout=20) as client:
                    return await client.actions.send_many(
                        args.action, messages(args.count), concurrency=args.concurrency, **options
                    )

            report = asyncio.run(run())
    except np6.NP6Error as error:
        print(json.dumps({"error": type(error).__name__, "message": str(error)}), flush=True)
        return 3
    print(json.dumps({"counts": report.counts, "length": len(report)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
