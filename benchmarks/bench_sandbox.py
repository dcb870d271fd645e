"""Benchmark: the sandbox against a trivial canned-answer server, in-process and on loopback.

The same `send_many` of 10,000 e-mails in batches of 500, through:

- in-process: `Sandbox().client()` (full validation of every request and answer, the default; then "sample" and
  "off") against a trivial transport that does the least any server must: decode the batch and answer one
  success per message, naming its recipient (no contacts, no validation, no state);
- loopback: `sandbox.serve()` against the same HTTP server stack (`ThreadingHTTPServer`, the sandbox's handler)
  giving the trivial answers.

The figure that matters is the sandbox's rate as a share of its canned baseline, measured in the same run.

    .venv/bin/python benchmarks/bench_sandbox.py [--messages 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import httpx
import np6
from _common import ACTION_ID, addresses
from np6._core import jsonio
from np6.sandbox import Sandbox
from np6.sandbox._app import App
from np6.sandbox._http import CoreRequest, CoreResponse, Outcome
from np6.sandbox._server import DEFAULT_MAX_BODY_BYTES, _HTTPServer

BATCH = 500
TARGET = 0.30


def _send(client: np6.Client, action_id: str, count: int) -> None:
    report = client.actions.send_many(action_id, addresses(count), channel=np6.Channel.EMAIL, batch_size=BATCH)
    assert report.sent == count, report.summary()


def _validated_action(client: np6.Client) -> str:
    action = client.actions.create(
        np6.email_action(
            name="bench",
            sender=np6.Sender(prefix="bench", domain="example.com", label="Bench"),
            subject="Hello, [[unicity]]",
            html="<p>Hello [[unicity]]</p>",
        )
    )
    client.actions.validate(action.id, test_segments=[1])
    return action.id


def trivial_answer(method: str, body: bytes) -> tuple[int, bytes]:
    """A validated action for a GET; one success per message of a send."""
    if method == "GET":
        return 200, json.dumps({"type": "mailMessage", "id": ACTION_ID, "informations": {"state": 50}}).encode()
    results = [
        {
            "type": "success",
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "recipient": {"type": "footprint", "id": f"{i:08d}", "unicity": message["recipient"]["value"][0]},
        }
        for i, message in enumerate(jsonio.loads(body))  # the sandbox's JSON reader: the same library
    ]
    return 200, json.dumps(results, separators=(",", ":")).encode()


class TrivialTransport(httpx.BaseTransport):
    """The in-process baseline: `trivial_answer` to every request."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        status, body = trivial_answer(request.method, request.read())
        return httpx.Response(status, content=body, headers={"content-type": "application/json", "x-request-id": "r"})


class _TrivialApp:
    """What the server's handler needs of an app, giving `trivial_answer` to every request."""

    class _Ids:
        @staticmethod
        def uuid() -> str:
            return "00000000-0000-4000-8000-000000000000"

    class _Settings:
        strict = True

    def __init__(self) -> None:
        self.ids = self._Ids()
        self.settings = self._Settings()

    def handle(self, request: CoreRequest) -> Outcome:
        status, body = trivial_answer(request.method, request.body or b"")
        return Outcome(CoreResponse(status, {"content-type": "application/json", "x-request-id": "r"}, body))


@contextmanager
def _trivial_server() -> Iterator[str]:
    app = cast("App", _TrivialApp())  # the handler reads `handle`, `ids` and `settings` only
    server = _HTTPServer(("127.0.0.1", 0), app, max_body_bytes=DEFAULT_MAX_BODY_BYTES, refused_keys=frozenset())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.close_connections()
        server.server_close()


def _timed_send(client: np6.Client, action_id: str, count: int) -> float:
    """The send alone: setting up the server, the client or the sandbox's action is not timed (a server's
    shutdown waits for its poll: half a second)."""
    gc.collect()
    started = time.perf_counter()
    _send(client, action_id, count)
    return time.perf_counter() - started


def in_process(count: int, rounds: int) -> dict[str, float]:
    def trivial() -> float:
        with np6.Client("benchmark-key", transport=TrivialTransport()) as client:
            return _timed_send(client, ACTION_ID, count)

    def sandbox(mode: Any) -> Callable[[], float]:
        def run() -> float:
            box = Sandbox(validation=mode)
            with box.client() as client:
                return _timed_send(client, _validated_action(client), count)

        return run

    runs = {
        "trivial transport": trivial,
        "sandbox, full validation": sandbox("full"),
        "sandbox, sample": sandbox("sample"),
        "sandbox, off": sandbox("off"),
    }
    return {name: min(run() for _ in range(rounds)) for name, run in runs.items()}


def loopback(count: int, rounds: int) -> dict[str, float]:
    def trivial() -> float:
        with _trivial_server() as url, np6.Client("benchmark-key", base_url=url) as client:
            return _timed_send(client, ACTION_ID, count)

    def sandbox() -> float:
        box = Sandbox(api_key="bench-key-not-default")
        with box.serve() as server, np6.Client(server.api_key, base_url=server.url) as client:
            return _timed_send(client, _validated_action(client), count)

    runs = {"trivial server": trivial, "sandbox server, full validation": sandbox}
    return {name: min(run() for _ in range(rounds)) for name, run in runs.items()}


def _print(title: str, count: int, times: dict[str, float]) -> None:
    base_name, base = next(iter(times.items()))
    print(f"  {title}")
    for name, seconds in times.items():
        print(f"    {name:34s} {count / seconds:>9,.0f} msg/s  {base / seconds:5.3f} of {base_name}")
    full = next(seconds for name, seconds in times.items() if "full" in name)
    share = base / full
    verdict = "met" if share >= TARGET else "NOT met"
    print(f"    full validation = {share:.3f} of {base_name} (target >= {TARGET:.2f}): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = args.messages - args.messages % BATCH
    # The schema checks are compiled once per process, on first use: not part of any send.
    with Sandbox().client() as client:
        _validated_action(client)
    print(f"benchmark - sandbox: {count:,} e-mails, batches of {BATCH}, best of {args.rounds}")
    _print("in-process", count, in_process(count, args.rounds))
    _print("loopback", count, loopback(count, args.rounds))


if __name__ == "__main__":
    main()
