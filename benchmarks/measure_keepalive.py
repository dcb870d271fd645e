"""Measure the keep-alive idle-close race: needless `unknown` batches per N batches, per client option.

Drives the real np6 clients (sync and async) against the loopback HTTP/1.1 server of tests/client/test_keepalive.py
(raw sockets and threads), which closes connections idle for T and counts every message it processed. A batch is
a *needless unknown* when the client reports it `unknown` although the server never processed it; a *duplicate*
is a message processed twice (must be 0 everywhere).

Scenarios (server idle timeout T = 50 ms unless said otherwise):
  in-flight   the server gives an idle connection up at T and closes it 150 ms later (a FIN still on its way);
              the client sends each batch 100 ms after the previous answer: every reuse is caught (worst case)
  jitter      the server closes at exactly T; the client sends each batch T +- 2 ms after the previous answer
              (the race left to timing, as on a real network)
  large       like in-flight, with batches larger than the socket buffers (the write blocks, then fails)
  after-fin   the server closes at exactly T; the client sends 20 ms later, once the FIN has arrived
  default     server idle 1.2 s (FIN delay 150 ms), client gap 1.25 s: the library's default expiry (1 s) against a
              server whose idle timeout is above it (gunicorn's is 2 s), vs httpx's 5 s. Slow: --default to run it.

Options:
  baseline    `transport=httpx.HTTPTransport()`: httpx's defaults (idle connections reused for 5 s), as before
  expiry      the client's own pool with keepalive_expiry = T / 2
  watch       sync only: own pool, keepalive_expiry = 5 s (the race happens), only the unwritten-request rule acts
  no-check    baseline with httpcore's check of idle sockets before reuse turned off (what that check saves)
  default     the client as shipped (keepalive_expiry = 1 s; sync: plus the write watch)

    .venv/bin/python benchmarks/measure_keepalive.py [--batches 200] [--default] [--only jitter ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import importlib.util
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import np6

ROOT = Path(__file__).resolve().parents[1]


def _load_server_module() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("keepalive_test", ROOT / "tests" / "client" / "test_keepalive.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ka = _load_server_module()
IDLE = 0.05


@contextlib.contextmanager
def readable_check(enabled: bool) -> Iterator[None]:
    """httpcore checks, before reusing an idle connection, whether its socket is readable (a FIN or a reset has
    arrived: the server closed it). Turned off here only to measure what the check saves."""
    if enabled:
        yield
        return
    # httpcore's private backends: this measurement is about their internal check, nothing public reaches it.
    backends: Any = importlib.import_module("httpcore._backends")
    saved = backends.sync.is_socket_readable, backends.anyio.is_socket_readable
    backends.sync.is_socket_readable = backends.anyio.is_socket_readable = lambda sock: False
    try:
        yield
    finally:
        backends.sync.is_socket_readable, backends.anyio.is_socket_readable = saved


def run(mode: str, server: Any, work: list[list[str]], gap: Callable[[], float], options: dict[str, Any]) -> Any:
    tally = ka.Tally()
    policy = ka.instant_retries()
    if mode == "sync":
        with np6.Client("k", base_url=server.url, retry_policy=policy, **options) as client:
            for number, batch in enumerate(work):
                if number:
                    time.sleep(gap())
                tally.add(batch, client.actions.send_many(ka.ACTION, batch, channel="email", batch_size=len(batch)))
        return tally

    async def main() -> None:
        async with np6.AsyncClient("k", base_url=server.url, retry_policy=policy, **options) as client:
            for number, batch in enumerate(work):
                if number:
                    await asyncio.sleep(gap())
                report = await client.actions.send_many(ka.ACTION, batch, channel="email", batch_size=len(batch))
                tally.add(batch, report)

    asyncio.run(main())
    return tally


def option_settings(option: str, mode: str) -> dict[str, Any] | None:
    baseline: dict[str, Any] = {"transport": httpx.HTTPTransport() if mode == "sync" else httpx.AsyncHTTPTransport()}
    settings: dict[str, dict[str, Any] | None] = {
        "baseline": baseline,
        "no-check": baseline,
        "expiry": {"keepalive_expiry": IDLE / 2},
        "watch": {"keepalive_expiry": 5.0} if mode == "sync" else None,
        "default": {},
    }
    return settings[option]


def scenario(name: str, batches: int) -> tuple[dict[str, Any], list[list[str]], Callable[[], float]]:
    rng = random.Random(7)
    if name == "in-flight":
        return {"idle": IDLE, "fin_delay": 0.15}, ka.batches(batches), lambda: 0.1
    if name == "jitter":
        return {"idle": IDLE, "fin_delay": 0.0}, ka.batches(batches), lambda: rng.uniform(IDLE - 0.002, IDLE + 0.002)
    if name == "after-fin":
        return {"idle": IDLE, "fin_delay": 0.0}, ka.batches(batches), lambda: IDLE + 0.02
    if name == "large":
        largest = ka._largest_send_buffer() or 4 * 1024 * 1024
        size = 200
        work = ka.batches(batches, size, (largest + (2 << 20)) // size)
        return {"idle": IDLE, "fin_delay": 0.2, "receive_buffer": 1 << 16}, work, lambda: 0.1
    if name == "default":
        return {"idle": 1.2, "fin_delay": 0.15}, ka.batches(batches), lambda: 1.25
    raise ValueError(name)


def measure(name: str, mode: str, option: str, batches: int) -> str | None:
    settings = option_settings(option, mode)
    if settings is None:
        return None
    server_options, work, gap = scenario(name, batches)
    started = time.perf_counter()
    with readable_check(option != "no-check"), ka.IdleClosingServer(**server_options) as server:
        tally = run(mode, server, work, gap, settings)
        time.sleep(0.05)
    tally.check_against(server)  # one outcome per message, matching the server; nothing processed twice
    needless = tally.needless_unknowns(server)
    failed = sum(1 for _, report in tally.batches if report.counts["failed"])
    return (
        f"{name:<10} {mode:<5} {option:<9} {len(work):>7} {needless:>9} {tally.unknown_batches - needless:>6}"
        f" {failed:>6} {len(server.processed_twice()):>5} {server.requests:>8} {server.dropped:>7}"
        f" {server.connections:>5} {time.perf_counter() - started:>6.1f}s"
    )


PLAN = [
    ("in-flight", ["baseline", "expiry", "watch", "default"]),
    ("jitter", ["baseline", "expiry", "watch", "default"]),
    ("large", ["baseline", "expiry", "watch"]),
    ("after-fin", ["baseline", "no-check"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=200, help="batches per run (in-flight, jitter, after-fin)")
    parser.add_argument("--large-batches", type=int, default=10, help="batches per run of the large scenario")
    parser.add_argument("--default", action="store_true", help="also run the slow default scenario (~1.25 s a batch)")
    parser.add_argument("--default-batches", type=int, default=16)
    parser.add_argument("--only", action="append", help="run only this scenario (repeatable)")
    args = parser.parse_args()
    plan = list(PLAN) + (
        [("default", ["baseline", "default"])] if args.default or "default" in (args.only or []) else []
    )
    if args.only:
        plan = [(name, options) for name, options in plan if name in args.only]
    print("scenario   mode  option    batches  needless   true failed  dups  srv-req dropped conns   time")
    for name, options in plan:
        count = {"large": args.large_batches, "default": args.default_batches}.get(name, args.batches)
        for mode in ("sync", "async"):
            for option in options:
                line = measure(name, mode, option, count)
                if line is not None:
                    print(line, flush=True)


if __name__ == "__main__":
    main()
