"""`np6 sandbox`: a local NP6 on loopback, for scripts and other processes (its URL and key to export)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .console import err, out, plural
from .errors import EXIT_OK, BadInput

__all__ = ["run_sandbox"]


def run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import RateLimit, Sandbox, random_api_key

    rate_limit = None
    if args.rate_limit:
        try:
            requests, _, window = args.rate_limit.partition("/")
            rate_limit = RateLimit(requests=int(requests), window=float(window or 1))
        except ValueError as exc:
            raise BadInput(f"--rate-limit: expected N/SECONDS such as 10/1, got {args.rate_limit!r}") from exc
    sandbox = Sandbox(
        api_key=args.api_key or random_api_key(),
        validation=args.validation,
        rate_limit=rate_limit,
        latency=args.latency,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        max_batch_size=args.max_batch_size,
        unknown_recipients=args.unknown,
        strict=False,  # a mismatch is answered 500 and logged, instead of killing the server's thread
    )
    try:
        server = sandbox.serve(args.host, args.port, api_key=sandbox.api_key).start()
    except OSError as exc:
        raise BadInput(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    if server.reachable_from_other_machines:
        err.print(
            f"warning: listening on {args.host}: any machine that can reach this one can use the sandbox with its"
            " key. The URL below is for this machine (np6 sends plain http to loopback only).",
            style="yellow",
        )
    out.print(f"NP6 sandbox listening on {server.url}")
    out.print(f"  export NP6_BASE_URL={server.url}")
    out.print(f"  export NP6_API_KEY={server.api_key}")
    out.print("Deliveries: GET /_sandbox/deliveries. Stop with Ctrl-C.", style="dim")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        delivered = sandbox.deliveries.count()
        out.print(f"stopped; {plural(delivered, 'message')} {'was' if delivered == 1 else 'were'} delivered")
    return EXIT_OK
