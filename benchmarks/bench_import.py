"""Benchmark 4: the cost of `import np6` and `import np6.sandbox` against `import httpx`, in fresh interpreters.

Figures, best of N runs: the whole command (`python -c "import np6"`, interpreter start-up included, what a
CLI user waits for) and the import alone (measured inside the process, start-up excluded). Targets: `import np6`
<= 1.5x httpx, `import np6.sandbox` <= 2.5x. A third line shows what a program that builds a client pays:
`import np6; np6.Client(...)` against `import httpx; httpx.Client()` (the first send: `bench_cold_start.py`).

    .venv/bin/python benchmarks/bench_import.py [--runs 15]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

TARGETS = {"np6": 1.5, "np6.sandbox": 2.5}
INSIDE = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
FIRST_USE = {
    "httpx": "import httpx; httpx.Client()",
    "np6": "import np6; np6.Client('k')",
}


def whole_command(module: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def _inside(statement: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", INSIDE.format(statement=statement)], check=True, capture_output=True, text=True
        ).stdout
        best = min(best, float(output))
    return best


def import_alone(module: str, runs: int) -> float:
    return _inside(f"import {module}", runs)


def import_and_client(module: str, runs: int) -> float:
    return _inside(FIRST_USE[module], runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"benchmark 4 - import cost, best of {args.runs} fresh interpreters")
    measures = (
        ("whole command", whole_command),
        ("import alone", import_alone),
        ("import+Client", import_and_client),
    )
    for label, measure in measures:
        for module, target in TARGETS.items():
            if measure is import_and_client and module != "np6":
                continue
            httpx_time, np6_time = measure("httpx", args.runs), measure(module, args.runs)
            ratio = np6_time / httpx_time
            verdict = f"(target <= {target}x): {'met' if ratio <= target else 'NOT met'}"
            if measure is import_and_client:
                verdict = "(first use, for reference: no target)"
            print(
                f"  {label:14s} httpx {httpx_time * 1000:6.1f} ms, {module} {np6_time * 1000:6.1f} ms:"
                f" {ratio:.2f}x {verdict}"
            )


if __name__ == "__main__":
    main()
