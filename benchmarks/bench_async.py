"""Benchmark 3: async send_many against a loopback server that answers every batch after 20 ms.

100,000 messages, batches of 500, concurrency 8. With no client cost, the run would take
batches / concurrency x 20 ms; the figure is that ideal time over the achieved one (1.0 = the client adds
nothing). Target: >= 0.9. The server runs in another process (asyncio streams, canned answers), so the client's
CPU time is not shared with it.

    .venv/bin/python benchmarks/bench_async.py [--messages 100000] [--concurrency 8] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import time

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


async def run(port: int, count: int, concurrency: int) -> float:
    import np6
    from _common import addresses

    async with np6.AsyncClient("benchmark-key", base_url=f"http://127.0.0.1:{port}") as client:
        await client.actions.send_many(
            "BENCH1", addresses(BATCH * concurrency), channel="email", concurrency=concurrency
        )
        started = time.perf_counter()
        report = await client.actions.send_many(
            "BENCH1", addresses(count), channel="email", batch_size=BATCH, concurrency=concurrency
        )
        elapsed = time.perf_counter() - started
    assert report.sent == count, report
    return elapsed


async def run_raw(port: int, count: int, concurrency: int) -> float:
    """The same batches from raw httpx workers: what the transport alone allows on this machine."""
    import httpx
    from _common import address

    batches = count // BATCH
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(batches):
        queue.put_nowait(number)
    headers = {"X-Key": "benchmark-key", "Content-Type": "application/vnd.np6.cm.email"}

    async def worker(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            number = queue.get_nowait()
            body = [
                {"recipient": {"type": "unicity", "value": [address(i)]}}
                for i in range(number * BATCH, (number + 1) * BATCH)
            ]
            response = await http.post("/actions/BENCH1/executions", json=body, headers=headers)
            assert len(json.loads(response.content)) == BATCH

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = args.messages - args.messages % BATCH
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=10)
        best = min(asyncio.run(run(port, count, args.concurrency)) for _ in range(args.rounds))
        raw = min(asyncio.run(run_raw(port, count, args.concurrency)) for _ in range(args.rounds))
    finally:
        server.terminate()
    batches = count // BATCH
    ideal = batches / args.concurrency * args.latency
    fraction = ideal / best
    print(
        f"benchmark 3 - async throughput: {count:,} messages, batches of {BATCH}, concurrency {args.concurrency},"
        f" server latency {args.latency * 1000:.0f} ms, best of {args.rounds}"
    )
    print(f"  ideal {ideal:.3f} s; raw httpx workers {raw:.3f} s ({ideal / raw:.2f} of ideal)")
    print(f"  np6 send_many {best:.3f} s, {count / best:,.0f} msg/s")
    print(f"  fraction of ideal = {fraction:.2f} (target >= 0.90): {'met' if fraction >= 0.9 else 'NOT met'}")


if __name__ == "__main__":
    main()
