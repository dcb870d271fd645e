"""Benchmark 1: client overhead of send_many against the floor (raw httpx) and the naive typed path.

100,000 e-mail messages given as unicity strings, batches of 500, through an in-process transport that answers
canned success results. All three paths run in the same process, best of N rounds each; the figures that matter
are the ratios to the floor.

    .venv/bin/python benchmarks/bench_overhead.py [--messages 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable

import httpx
import np6
from _common import ACTION_ID, API_KEY, CannedTransport, addresses, success_results
from np6._core import jsonio
from np6_generated.api.actions import send_messages_email
from np6_generated.client import AuthenticatedClient
from np6_generated.models import EmailMessage, RecipientByUnicity

BATCH = 500
BASE_URL = "https://api-cm.np6.com"


def floor(count: int, transport: httpx.BaseTransport) -> int:
    """Raw httpx: the same JSON built from dicts, the same answers json.loads-ed."""
    outcomes = 0
    with httpx.Client(base_url=BASE_URL, transport=transport, headers={"X-Key": API_KEY}) as http:
        batch: list[dict[str, object]] = []
        for value in addresses(count):
            batch.append({"recipient": {"type": "unicity", "value": [value]}})
            if len(batch) == BATCH:
                response = http.post(
                    f"/actions/{ACTION_ID}/executions",
                    json=batch,
                    headers={"Content-Type": "application/vnd.np6.cm.email"},
                )
                outcomes += len(json.loads(response.content))
                batch = []
    return outcomes


def naive_typed(count: int, transport: httpx.BaseTransport) -> int:
    """The generated send function per batch, with generated models in and out."""
    client = AuthenticatedClient(
        base_url=BASE_URL, token=API_KEY, prefix="", auth_header_name="X-Key", httpx_args={"transport": transport}
    )
    outcomes = 0
    with client:
        batch: list[EmailMessage] = []
        for value in addresses(count):
            batch.append(EmailMessage(recipient=RecipientByUnicity(type_="unicity", value=[value])))
            if len(batch) == BATCH:
                parsed = send_messages_email.sync_detailed(ACTION_ID, client=client, body=batch).parsed
                assert isinstance(parsed, list)
                outcomes += len(parsed)
                batch = []
    return outcomes


def overlay_send_many(count: int, transport: httpx.BaseTransport) -> int:
    """np6.Client.actions.send_many, ending with a complete SendReport."""
    with np6.Client(API_KEY, transport=transport) as client:
        report = client.actions.send_many(ACTION_ID, addresses(count), channel=np6.Channel.EMAIL, batch_size=BATCH)
    assert report.sent == count, report
    return len(report)


def overlay_send_many_stdlib_json(count: int, transport: httpx.BaseTransport) -> int:
    """The same, without the `speed` extra: answers decoded by the standard library."""
    fast, jsonio._orjson = jsonio._orjson, None  # pyright: ignore[reportPrivateUsage]
    names, jsonio._sent_to_decoder = jsonio._sent_to_decoder, None  # pyright: ignore[reportPrivateUsage]
    try:
        return overlay_send_many(count, transport)
    finally:
        jsonio._orjson = fast  # pyright: ignore[reportPrivateUsage]
        jsonio._sent_to_decoder = names  # pyright: ignore[reportPrivateUsage]


def httpx_only(count: int, transport: httpx.BaseTransport) -> int:
    """The same requests (one prepared body, posted again and again) through httpx, answers not decoded: the
    HTTP library's own cost, which np6 pays as any client on httpx does."""
    body = json.dumps([{"recipient": {"type": "unicity", "value": [value]}} for value in addresses(BATCH)]).encode()
    headers = {"Content-Type": "application/vnd.np6.cm.email"}
    with httpx.Client(base_url=BASE_URL, transport=transport, headers={"X-Key": API_KEY}) as http:
        for _ in range(count // BATCH):
            http.post(f"/actions/{ACTION_ID}/executions", content=body, headers=headers).read()
    return count


def decode_only(count: int, transport: httpx.BaseTransport) -> int:
    """Decoding the answers with orjson and nothing else: what any client that reads every result pays at least."""
    assert isinstance(transport, CannedTransport)
    outcomes = 0
    for body in transport.answers[: count // BATCH]:
        outcomes += len(jsonio.results(body))
    return outcomes


def best_of(rounds: int, run: Callable[[int, httpx.BaseTransport], int], count: int, answers: list[bytes]) -> float:
    best = float("inf")
    for _ in range(rounds):
        transport = CannedTransport(answers)
        gc.collect()
        started = time.perf_counter()
        done = run(count, transport)
        elapsed = time.perf_counter() - started
        assert done == count, (run.__name__, done)
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = args.messages - args.messages % BATCH
    answers = [success_results(first, BATCH) for first in range(0, count, BATCH)]
    paths = [
        ("floor (raw httpx + json)", floor),
        ("naive typed (generated)", naive_typed),
        ("np6 send_many", overlay_send_many),
        ("np6 send_many, stdlib json", overlay_send_many_stdlib_json),
        ("httpx only, no JSON", httpx_only),
        ("decoding the answers only", decode_only),
    ]
    times = {name: best_of(args.rounds, run, count, answers) for name, run in paths}
    base = times[paths[0][0]]
    print(f"benchmark 1 - client overhead: {count:,} e-mail messages, batches of {BATCH}, best of {args.rounds}")
    for name, seconds in times.items():
        print(f"  {name:28s} {seconds:7.3f} s  {count / seconds:>10,.0f} msg/s  {seconds / base:5.2f}x floor")
    ratio = times["np6 send_many"] / base
    print(f"  send_many / floor = {ratio:.2f}x (target <= 0.50x): {'met' if ratio <= 0.5 else 'NOT met'}")
    fast = "orjson" if jsonio.FAST else "the standard library (the speed extra is not installed)"
    names = "msgspec reads the names of the usual answer, " if jsonio.sent_to(answers[0]) is not None else ""
    parts = times["httpx only, no JSON"] + times["decoding the answers only"]
    print(
        f"  {names}other answers decoded by {fast}; httpx alone and decoding whole answers alone, which a client"
        f" reading every result pays, are {parts / base:.2f}x floor together"
    )


if __name__ == "__main__":
    main()
