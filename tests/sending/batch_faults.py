"""What a fake NP6 does to one batch request, shared by the send_many and send-journal fakes.

A fault is named per request, in arrival order:
  ok              process, answer one result per message
  429 / 503       refuse before processing (retried by the client)
  502             process, then answer 502 (a proxy whose upstream failed after processing: outcome unknown)
  connect         connection refused before sending (retried)
  413             refuse: batch too large (the client splits it)
  500             process, then answer 500 (outcome unknown)
  timeout_after   process, then time out (outcome unknown)
  drop_after      process, then drop the connection (outcome unknown)
  short / long    process, answer one result too few / too many (cannot be matched: unknown)
  swapped         process, answer the results of the first two messages in the wrong order (unknown)
"""

from __future__ import annotations

from typing import Any

import httpx
import np6

FAULTS = ["ok", "429", "502", "503", "connect", "413", "500", "timeout_after", "drop_after", "short", "long", "swapped"]
PROCESSED = {"ok", "500", "502", "timeout_after", "drop_after", "short", "long", "swapped"}


def refusal(fault: str, request: httpx.Request, number: int) -> httpx.Response | None:
    """The answer of a fault that refuses the batch before processing it, or None when it is processed."""
    if fault in {"429", "503", "413"}:
        return httpx.Response(int(fault), headers={"retry-after": "0", "x-request-id": f"req-{number}"})
    if fault == "connect":
        raise httpx.ConnectError("connection refused", request=request)
    return None


def after_processing(fault: str, results: list[dict[str, Any]], request: httpx.Request) -> httpx.Response:
    """The answer of a fault other than `ok` to a batch that was processed (`results`: what `ok` would answer)."""
    if fault in {"500", "502"}:
        return httpx.Response(int(fault))
    if fault == "timeout_after":
        raise httpx.ReadTimeout("timed out", request=request)
    if fault == "drop_after":
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    if fault == "short":
        results = results[:-1]
    elif fault == "long":
        results = [*results, results[-1]]
    elif len(results) >= 2:  # swapped: the footprints no longer follow the messages
        results[0], results[1] = results[1], results[0]
        if results[0] == results[1] or results[0]["type"] == results[1]["type"] == "error":
            results = results[:-1]  # nothing to tell them apart: make it a short answer instead
    else:
        results = []
    return httpx.Response(200, json=results)


def instant_policy(max_retries: int = 2) -> np6.RetryPolicy:
    """Retries without waiting."""

    async def no_wait(_: float) -> None:
        return None

    return np6.RetryPolicy(max_retries=max_retries, sleep=lambda _: None, async_sleep=no_wait, jitter=lambda: 0.0)
