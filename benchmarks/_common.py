"""Shared pieces of the benchmarks: canned NP6 answers and an in-process transport that serves them."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
from collections.abc import Iterator

import httpx

ACTION_ID = "BENCH1"
API_KEY = "benchmark-key"


def address(i: int) -> str:
    return f"user{i}@example.com"


def addresses(count: int) -> Iterator[str]:
    return (address(i) for i in range(count))


def success_results(first: int, count: int) -> bytes:
    """What NP6 answers to a batch of unicity recipients first..first+count-1: one success each."""
    results = []
    for i in range(first, first + count):
        value = address(i)
        results.append(
            {
                "type": "success",
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "recipient": {
                    "type": "footprint",
                    "id": f"{i:08d}",
                    "unicity": value,
                    "hash": hashlib.md5(value.encode()).hexdigest(),
                },
            }
        )
    return json.dumps(results, separators=(",", ":")).encode()


class CannedTransport(httpx.BaseTransport):
    """Answers the n-th send with the n-th canned body (prepared before timing); GETs with a validated action."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = answers
        self._next = 0
        self._action = json.dumps({"type": "mailMessage", "id": ACTION_ID, "informations": {"state": 50}}).encode()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.method == "GET":
            return httpx.Response(200, content=self._action, headers={"content-type": "application/json"})
        body = self.answers[self._next % len(self.answers)]
        self._next += 1
        return httpx.Response(200, content=body, headers={"content-type": "application/json", "x-request-id": "r"})


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def current_rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as stream:
        pages = int(stream.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
