"""Benchmark 3: async send_many against a loopback server that answers every batch after 20 ms.

100,000 messages, batches of 500, concurrency 8, against a server in a process of its own (asyncio streams,
canned answers). Three clients, each run in a fresh interpreter of its own, rounds interleaved:

- no-work: asyncio streams, one connection per worker, each writing a prepared request and reading the answer
  (no JSON, no HTTP library): the most this machine and this server allow;
- httpx only: one prepared body posted again and again with `httpx.AsyncClient`, answers not decoded (with
  np6's sniffio work-around): what any client built on httpx pays before doing any work, so np6's limit;
- raw httpx: the same batches built from dicts, posted with `httpx.AsyncClient`, answers `json.loads`-ed (as a
  user would write it, without the work-around);
- np6: `AsyncClient.actions.send_many`.

Printed: the time and the share of the ideal (batches / concurrency x latency), the client's CPU per batch, and
np6's rate as a share of the no-work client's. Target: np6 >= 0.90 of the no-work client.

    .venv/bin/python benchmarks/bench_async.py [--messages 100000] [--concurrency 8] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

BATCH = 500


def serve(port_queue: multiprocessing.Queue[int], latency: float) -> None:
    results = json.dumps([{"type": "success", "id": f"m{i}"} for i in range(BATCH)]).encode()
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: r\r\n"
        b"content-length: " + str(len(results)).encode() + b"\r\n\r\n"
    )
    action = json.dumps({"type": "mailMessage", "id": "BENCH1", "informations": {"state": 50}}).encode()
    action_answer = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(action)).encode()
        + b"\r\n\r\n"
        + action
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in header.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length) if length else b""
                await asyncio.sleep(latency)
                if header.startswith(b"GET"):
                    writer.write(action_answer)
                else:
                    count = body.count(b'"recipient"')
                    assert count == BATCH, count
                    writer.write(head + results)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_queue.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


async def run_np6(port: int, count: int, concurrency: int) -> int:
    import np6
    from _common import addresses

    async with np6.AsyncClient("benchmark-key", base_url=f"http://127.0.0.1:{port}") as client:
        report = await client.actions.send_many(
            "BENCH1", addresses(count), channel="email", batch_size=BATCH, concurrency=concurrency
        )
    assert report.sent == count, report
    return count


async def run_raw(port: int, count: int, concurrency: int) -> int:
    """The same batches from raw httpx workers."""
    import httpx
    from _common import address

    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count // BATCH):
        queue.put_nowait(number)
    headers = {"X-Key": "benchmark-key", "Content-Type": "application/vnd.np6.cm.email"}
    done = 0

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal done
        while not queue.empty():
            number = queue.get_nowait()
            body = [
                {"recipient": {"type": "unicity", "value": [address(i)]}}
                for i in range(number * BATCH, (number + 1) * BATCH)
            ]
            response = await http.post("/actions/BENCH1/executions", json=body, headers=headers)
            done += len(json.loads(response.content))

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return done


async def run_no_work(port: int, count: int, concurrency: int) -> int:
    """Prepared requests over bare asyncio streams: connect, write, read the answer; nothing else."""
    from _common import address

    body = json.dumps([{"recipient": {"type": "unicity", "value": [address(i)]}} for i in range(BATCH)]).encode()
    request = (
        b"POST /actions/BENCH1/executions HTTP/1.1\r\nhost: 127.0.0.1\r\nx-key: benchmark-key\r\n"
        b"content-type: application/vnd.np6.cm.email\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n"
    ) + body
    batches = count // BATCH
    taken = 0
    done = 0

    async def worker() -> None:
        nonlocal taken, done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while taken < batches:
            taken += 1
            writer.write(request)
            header = await reader.readuntil(b"\r\n\r\n")
            length = int(header.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
            await reader.readexactly(length)
            done += BATCH
        writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


async def run_httpx_floor(port: int, count: int, concurrency: int) -> int:
    """httpx alone: prepared request bodies, answers read but not decoded, with np6's sniffio work-around. What any
    client built on httpx pays before it does any work of its own: the limit of np6 against the no-work client."""
    import httpx
    from _common import address
    from np6._core.compat import remember_missing_sniffio

    remember_missing_sniffio()
    body = json.dumps([{"recipient": {"type": "unicity", "value": [address(i)]}} for i in range(BATCH)]).encode()
    headers = {"X-Key": "benchmark-key", "Content-Type": "application/vnd.np6.cm.email"}
    batches = count // BATCH
    taken = 0

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal taken
        while taken < batches:
            taken += 1
            await http.post("/actions/BENCH1/executions", content=body, headers=headers)

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return batches * BATCH


CLIENTS = {"no-work": run_no_work, "httpx only": run_httpx_floor, "raw httpx": run_raw, "np6": run_np6}


def client_main(name: str, port: int, count: int, concurrency: int) -> None:
    """In a fresh interpreter: one warm-up batch per worker, then the timed run; print its figures as JSON."""
    run = CLIENTS[name]
    asyncio.run(run(port, BATCH * concurrency, concurrency))
    started, cpu = time.perf_counter(), time.process_time()
    done = asyncio.run(run(port, count, concurrency))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert done == count, (name, done)
    print(json.dumps({"elapsed": elapsed, "cpu": cpu}))


def _fresh(name: str, port: int, args: argparse.Namespace, count: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--client", name, "--port", str(port), "--messages", str(count)]
    command += ["--concurrency", str(args.concurrency)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=Path(__file__).parent)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--client", choices=CLIENTS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.messages - args.messages % BATCH
    if args.client is not None:
        client_main(args.client, args.port, count, args.concurrency)
        return
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency), daemon=True)
    server.start()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in CLIENTS}
    try:
        port = ports.get(timeout=10)
        for _ in range(args.rounds):
            for name in CLIENTS:
                runs[name].append(_fresh(name, port, args, count))
    finally:
        server.terminate()
    batches = count // BATCH
    ideal = batches / args.concurrency * args.latency
    best = {name: min(figures, key=lambda f: f["elapsed"]) for name, figures in runs.items()}
    print(
        f"benchmark 3 - async throughput: {count:,} messages, batches of {BATCH}, concurrency {args.concurrency},"
        f" server latency {args.latency * 1000:.0f} ms, each client in a fresh process, best of {args.rounds}"
    )
    print(f"  ideal {ideal:.3f} s")
    base = best["no-work"]["elapsed"]
    for name, figures in best.items():
        cpu_ms = min(f["cpu"] for f in runs[name]) / batches * 1000
        print(
            f"  {name:11s} {figures['elapsed']:6.3f} s  {count / figures['elapsed']:>8,.0f} msg/s"
            f"  {ideal / figures['elapsed']:.2f} of ideal  {base / figures['elapsed']:.2f} of no-work"
            f"  client CPU {cpu_ms:.2f} ms/batch"
        )
    share = base / best["np6"]["elapsed"]
    limit = base / best["httpx only"]["elapsed"]
    print(f"  np6 = {share:.2f} of the no-work client (target >= 0.90): {'met' if share >= 0.9 else 'NOT met'}")
    print(f"  httpx alone = {limit:.2f} of the no-work client: the limit of any client on httpx, np6 included")


if __name__ == "__main__":
    main()
