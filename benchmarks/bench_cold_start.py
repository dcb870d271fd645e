"""Benchmark: cold start, the time from a fresh interpreter to the end of its first send, against raw httpx.

Each run is a new `python -c ...`: (a) raw httpx imports httpx, builds an `httpx.Client` on an in-process
transport, POSTs one e-mail message as JSON with NP6's e-mail media type and json-decodes the canned answer;
(b) np6 imports np6, builds `np6.Client(key, transport=...)` on the same kind of transport and calls
`client.actions.send(...)` once. Both send the same request (np6's: POST /actions/<id>/execution) and read the
same answer. Runs alternate between the two; the figures are medians of N runs: the whole command as the parent
sees it (interpreter start-up included) and the time inside the child, from its first line to after the send.
Target: np6 <= 1.5x raw httpx. Also printed: `import np6` against `import httpx` (same target).

    .venv/bin/python benchmarks/bench_cold_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from _common import ACTION_ID, API_KEY

TARGET = 1.5
BASE_URL = "https://api-cm.np6.com"
RECIPIENT = "alice@example.com"
ANSWER = (
    b'{"type":"success","id":"00000000-0000-4000-8000-000000000001",'
    b'"recipient":{"type":"footprint","id":"00000001","unicity":"alice@example.com"}}'
)
# The child's clock starts on its first line: what comes before it is the interpreter's start-up, the same for
# both, and is in the parent's figure.
START = "import time; started = time.perf_counter()\n"
STOP = "print(time.perf_counter() - started)\n"
TRANSPORT = f"""
import httpx

def answer(request):
    request.read()
    return httpx.Response(200, content={ANSWER!r}, headers={{"content-type": "application/json"}})

transport = httpx.MockTransport(answer)
"""
CHILDREN = {
    "raw httpx": START
    + TRANSPORT
    + f"""
import json

with httpx.Client(base_url={BASE_URL!r}, transport=transport, headers={{"X-Key": {API_KEY!r}}}) as http:
    response = http.post(
        "/actions/{ACTION_ID}/execution",
        json={{"recipient": {{"type": "unicity", "value": [{RECIPIENT!r}]}}}},
        headers={{"Content-Type": "application/vnd.np6.cm.email"}},
    )
    assert json.loads(response.content)["type"] == "success"
"""
    + STOP,
    "np6": START
    + TRANSPORT
    + f"""
import np6

with np6.Client({API_KEY!r}, transport=transport) as client:
    result = client.actions.send({ACTION_ID!r}, np6.EmailMessage({RECIPIENT!r}))
    assert result.type_ == "success"
"""
    + STOP,
}
IMPORTS = {"httpx": START + "import httpx\n" + STOP, "np6": START + "import np6\n" + STOP}
# An installed package has its bytecode cached (pip compiles it): the children may write theirs, and a first,
# untimed run of each writes what is missing, so that no run pays for compiling a changed source file.
CHILD_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_child(code: str) -> tuple[float, float]:
    """(whole command, inside the child) in seconds, for one fresh interpreter running `code`."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=CHILD_ENVIRONMENT
    ).stdout
    return time.perf_counter() - started, float(output)


def medians(children: dict[str, str], runs: int) -> dict[str, tuple[float, float]]:
    """The median (whole, inside) of each child over `runs` runs; the children take turns, so that a change of
    the machine's load during the benchmark weighs on each of them alike."""
    for code in children.values():
        run_child(code)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in children}
    for index in range(runs):
        order = list(children) if index % 2 == 0 else list(reversed(children))
        for name in order:
            samples[name].append(run_child(children[name]))
    return {
        name: (statistics.median(w for w, _ in taken), statistics.median(i for _, i in taken))
        for name, taken in samples.items()
    }


def verdict(ratio: float) -> str:
    return f"(target <= {TARGET:.1f}x): {'met' if ratio <= TARGET else 'NOT met'}"


def report(title: str, base: str, ours: str, figures: dict[str, tuple[float, float]]) -> None:
    print(title)
    for index, label in enumerate(("whole command", "inside child")):
        base_time, our_time = figures[base][index], figures[ours][index]
        ratio = our_time / base_time
        print(
            f"  {label:14s} {base} {base_time * 1000:6.1f} ms, {ours} {our_time * 1000:6.1f} ms:"
            f" {ratio:.2f}x {verdict(ratio)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    report(
        f"benchmark - cold start to the end of the first send, median of {args.runs} fresh interpreters each",
        "raw httpx",
        "np6",
        medians(CHILDREN, args.runs),
    )
    report(
        f"  and `import np6` against `import httpx`, median of {args.runs}:",
        "httpx",
        "np6",
        medians(IMPORTS, args.runs),
    )


if __name__ == "__main__":
    main()
