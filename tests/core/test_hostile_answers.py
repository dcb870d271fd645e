"""Hostile answers over real loopback sockets: a gzip bomb, a chunked body that never ends, a body dripped one byte
at a time, a result array of ten million entries, JSON nested a hundred thousand deep. Each must end, bounded in
memory and time, as a typed error (or, in send_many, an outcome), sync and async.

The figures each test prints (seconds, peak memory traced while the client read the answer) are what the limits
(`np6.Limits`) buy; the bounds asserted are loose enough for a slow machine and far below the unbounded cost.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import np6
import pytest

from tests.harness import mail_action

Writer = Callable[[socket.socket], None]
KEY = "sk-hostile-0123456789abcdef"


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body += connection.recv(65536)
    return head


class RawServer:
    """A loopback server that answers each request with the bytes a scenario writes (GETs of the action
    `000ABC` get a normal answer, so that send_many can learn its channel)."""

    def __init__(self, scenario: Writer) -> None:
        self.scenario = scenario
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                while True:
                    head = _read_request(connection)
                    if not head:
                        return
                    if head.startswith(b"GET /actions/000ABC "):
                        body = json.dumps(mail_action("000ABC", state=50)).encode()
                        connection.sendall(_head(200, {"Content-Length": str(len(body))}) + body)
                        continue
                    self.scenario(connection)
                    return
            except OSError:  # the client gave up: what the scenario wants
                return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


_BOMB = gzip.compress(b"\0" * (512 * 1024 * 1024), compresslevel=9)  # 512 MiB of zeros in about 500 KiB


def gzip_bomb(connection: socket.socket) -> None:
    connection.sendall(_head(200, {"Content-Encoding": "gzip", "Content-Length": str(len(_BOMB))}) + _BOMB)


def endless_chunked(connection: socket.socket) -> None:
    connection.sendall(_head(200, {"Transfer-Encoding": "chunked"}))
    chunk = b"%x\r\n%s\r\n" % (65536, b"[" * 65536)
    while True:
        connection.sendall(chunk)


def drip(connection: socket.socket) -> None:
    connection.sendall(_head(200, {"Content-Length": "1000000"}))
    while True:
        connection.sendall(b" ")
        time.sleep(0.1)


def drip_headers(connection: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
        connection.sendall(bytes([byte]))
        time.sleep(0.1)


# Built once, before any measure: the server runs in the test's process, and its memory would count too.
_HUGE_ARRAY = b"[" + b"{}," * 9_999_999 + b"{}]"


def huge_result_array(connection: socket.socket) -> None:
    connection.sendall(_head(200, {"Content-Length": str(len(_HUGE_ARRAY))}))
    connection.sendall(_HUGE_ARRAY)


def deeply_nested(connection: socket.socket) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    connection.sendall(_head(200, {"Content-Length": str(len(body))}) + body)


@pytest.fixture
def serve() -> Iterator[Callable[[Writer], RawServer]]:
    servers: list[RawServer] = []

    def start(scenario: Writer) -> RawServer:
        servers.append(RawServer(scenario))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _measure(call: Callable[[], Any]) -> tuple[BaseException | Any, float, float]:
    """What the call raised (or returned), its seconds, and the peak memory traced meanwhile in MiB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome: Any = call()
    except BaseException as exc:  # every outcome, an error included, is what the test examines
        outcome = exc
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    return outcome, elapsed, peak


def _call(mode: str, url: str, method: Callable[[Any], Any], **options: Any) -> Callable[[], Any]:
    if mode == "sync":

        def run_sync() -> Any:
            with np6.Client(KEY, base_url=url, max_retries=0, **options) as client:
                return method(client)

        return run_sync

    async def scenario() -> Any:
        async with np6.AsyncClient(KEY, base_url=url, max_retries=0, **options) as client:
            return await method(client)

    return lambda: asyncio.run(scenario())


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("scenario", "limit", "peak_bound"),
    [("gzip_bomb", 16 * 1024 * 1024, 200), ("endless_chunked", 4 * 1024 * 1024, 64)],
    ids=["512 MiB gzip bomb", "endless chunked body"],
)
def test_an_answer_too_large_stops_at_the_size_limit(
    serve: Any, mode: str, scenario: str, limit: int, peak_bound: int
) -> None:
    server = serve(globals()[scenario])
    limits = np6.Limits(max_response_bytes=limit)
    error, seconds, peak = _measure(_call(mode, server.url, lambda c: c.actions.get("000BIG"), limits=limits))
    print(f"{scenario} ({mode}): {type(error).__name__} in {seconds:.2f} s, peak {peak:.0f} MiB")
    assert isinstance(error, np6.ResponseTooLargeError), repr(error)
    assert error.limit == limit
    assert not error.outcome_unknown  # a read: nothing was processed
    assert peak < peak_bound  # what was sent decodes to 512 MiB, or never ends
    assert seconds < 30


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "scenario",
    ["drip", "drip_headers", "empty_deflate_blocks"],
    ids=["body, 1 byte per 0.1 s", "headers, 1 byte per 0.1 s", "empty deflate blocks every 0.1 s"],
)
def test_a_slow_drip_stops_at_the_attempt_deadline(serve: Any, mode: str, scenario: str) -> None:
    server = serve(globals()[scenario])
    limits = np6.Limits(attempt_deadline=1.5)
    error, seconds, _ = _measure(_call(mode, server.url, lambda c: c.actions.get("000DRIP"), timeout=5, limits=limits))
    print(f"{scenario} ({mode}): {type(error).__name__} after {seconds:.2f} s (deadline 1.5 s, timeout 5 s)")
    assert isinstance(error, np6.APITimeoutError), repr(error)
    assert 1.4 < seconds < 4.0


@pytest.mark.parametrize("mode", MODES)
def test_a_send_answered_with_ten_million_results_is_an_unknown_outcome_read_no_further(serve: Any, mode: str) -> None:
    server = serve(huge_result_array)
    recipients = [f"user{i}@example.com" for i in range(500)]
    report, seconds, peak = _measure(_call(mode, server.url, lambda c: c.actions.send_many("000ABC", recipients)))
    print(f"10,000,000 results for 500 messages ({mode}): {seconds:.2f} s, peak {peak:.0f} MiB")
    assert isinstance(report, np6.SendReport), repr(report)
    assert report.unknown == 500
    (reason,) = {outcome.reason for outcome in report}
    assert reason is not None
    assert "larger than" in reason
    assert peak < 100  # decoding it whole took 3 GB
    assert seconds < 30


@pytest.mark.parametrize("mode", MODES)
def test_a_single_send_answered_with_a_huge_array_is_an_unknown_outcome(serve: Any, mode: str) -> None:
    server = serve(huge_result_array)
    error, _, _ = _measure(
        _call(mode, server.url, lambda c: c.actions.send("000ABC", "a@example.com", channel=np6.Channel.EMAIL))
    )
    assert isinstance(error, np6.ResponseTooLargeError), repr(error)
    assert error.outcome_unknown
    assert "may have been sent" in str(error)


_STACKED = gzip.compress(gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9), compresslevel=9)


def stacked_gzip(connection: socket.socket) -> None:
    head = _head(200, {"Content-Encoding": "gzip, gzip", "Content-Length": str(len(_STACKED))})
    connection.sendall(head + _STACKED)


def empty_deflate_blocks(connection: socket.socket) -> None:
    """A deflate stream that never ends and never decodes to a byte: empty stored blocks, one every 0.1 s."""
    connection.sendall(_head(200, {"Content-Encoding": "deflate", "Transfer-Encoding": "chunked"}))
    connection.sendall(b"2\r\nx\x9c\r\n")  # the zlib header
    while True:
        connection.sendall(b"5\r\n\x00\x00\x00\xff\xff\r\n")  # an empty, non-final stored block
        time.sleep(0.1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("scenario", "error_type", "says"),
    [
        ("deeply_nested", np6.ResponseParseError, "RecursionError"),
        ("stacked_gzip", np6.APIConnectionError, "stacks content encodings"),  # 590 bytes, 256 MiB decoded
    ],
    ids=["JSON nested 100,000 deep", "gzip inside gzip"],
)
def test_an_answer_that_cannot_be_read_safely_is_refused_unread(
    serve: Any, mode: str, scenario: str, error_type: type[np6.NP6Error], says: str
) -> None:
    server = serve(globals()[scenario])
    error, seconds, peak = _measure(_call(mode, server.url, lambda c: c.actions.get("000ODD")))
    print(f"{scenario} ({mode}): {type(error).__name__} in {seconds:.2f} s, peak {peak:.0f} MiB")
    assert isinstance(error, error_type), repr(error)
    assert says in str(error)
    assert peak < 50
    assert seconds < 10


def test_an_async_send_whose_tls_handshake_never_ends_is_not_an_unknown_outcome() -> None:
    """The deadline passes while connecting: nothing was sent, so the send is not reported as maybe processed."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    port = listener.getsockname()[1]

    async def scenario() -> BaseException:
        limits = np6.Limits(attempt_deadline=1.0)
        # https to 127.0.0.1: the server accepts the connection and never answers the TLS handshake.
        async with np6.AsyncClient(KEY, base_url=f"https://127.0.0.1:{port}", max_retries=0, limits=limits) as c:
            try:
                await c.actions.send("000ABC", "a@example.com", channel=np6.Channel.EMAIL)
            except np6.NP6Error as error:
                return error
        raise AssertionError("no error")

    try:
        error = asyncio.run(scenario())
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
    assert isinstance(error, np6.APITimeoutError), repr(error)
    assert not error.outcome_unknown, str(error)


@pytest.mark.parametrize("mode", MODES)
def test_a_send_answered_with_dripped_headers_is_an_unknown_outcome_at_the_deadline(serve: Any, mode: str) -> None:
    server = serve(drip_headers)
    limits = np6.Limits(attempt_deadline=1.0)
    error, seconds, _ = _measure(
        _call(
            mode,
            server.url,
            lambda c: c.actions.send("000ABC", "a@example.com", channel=np6.Channel.EMAIL),
            timeout=5,
            limits=limits,
        )
    )
    assert isinstance(error, np6.APITimeoutError), repr(error)
    assert error.outcome_unknown  # the request went out whole: NP6 may have processed it
    assert seconds < 3.0
