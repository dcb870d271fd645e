"""The sandbox server as other processes meet it, run as `np6 sandbox` in a subprocess: bodies it will not read
(413), absurd lengths and over-deep JSON answered without a traceback, every interface with a warning and a URL a
client accepts, and a server of a default sandbox that does not take the well-known key."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import np6
import pytest

KEY = "sbx-limits-0123456789abcdef"


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    port: int
    key: str

    def stderr(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err

    def rss_mib(self) -> float:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(*arguments: str, key: str = KEY) -> Served:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NP6_")} | {"NO_COLOR": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "np6._cli", "sandbox", "--port", str(port), "--api-key", key, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = None
    for line in process.stdout:
        if found := re.search(r"export NP6_BASE_URL=(\S+)", line):
            url = found.group(1)
        if (printed := re.search(r"export NP6_API_KEY=(\S+)", line)) and url is not None:
            return Served(process, url, port, printed.group(1))
    raise AssertionError(f"the sandbox did not start: {process.communicate()}")


@pytest.fixture
def served() -> Iterator[Served]:
    server = _start()
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.communicate()


def _raw(port: int, request: bytes, *, body_chunks: int = 0, chunk: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        try:
            for _ in range(body_chunks):
                connection.sendall(chunk)
        except OSError:  # the server answered and closed without reading the rest: what a 413 does
            pass
        data = b""
        while b"\r\n\r\n" not in data:
            part = connection.recv(65536)
            if not part:
                break
            data += part
        return data


def _alive(server: Served) -> None:
    with np6.Client(KEY, base_url=server.url, max_retries=0) as client:
        assert client.actions.list() == []


def test_an_absurd_content_length_is_a_413_without_reading_it(served: Served) -> None:
    head = (
        f"POST /actions HTTP/1.1\r\nHost: x\r\nX-Key: {KEY}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000000000000\r\n\r\n"
    ).encode()
    answer = _raw(served.port, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    _alive(served)
    assert "Traceback" not in served.stderr()


def test_a_body_over_the_limit_is_refused_and_costs_the_server_nothing(served: Served) -> None:
    before = served.rss_mib()
    size = 64 * 1024 * 1024
    head = (
        f"POST /actions HTTP/1.1\r\nHost: x\r\nX-Key: {KEY}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()
    answer = _raw(served.port, head, body_chunks=size // 65536, chunk=b" " * 65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    after = served.rss_mib()
    print(f"sandbox server RSS: {before:.0f} MiB before, {after:.0f} MiB after a refused 64 MiB body")
    assert after - before < 16
    _alive(served)


def test_a_non_numeric_content_length_is_a_400(served: Served) -> None:
    head = f"POST /actions HTTP/1.1\r\nHost: x\r\nX-Key: {KEY}\r\nContent-Length: 1e12\r\n\r\n".encode()
    assert _raw(served.port, head).startswith(b"HTTP/1.1 400")
    _alive(served)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_json_nested_too_deep_is_a_400_without_a_traceback(served: Served, depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    head = (
        f"POST /actions/000ABC/executions HTTP/1.1\r\nHost: x\r\nX-Key: {KEY}\r\n"
        f"Content-Type: application/vnd.np6.cm.email\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    answer = _raw(served.port, head + body)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    _alive(served)
    err = served.stderr()
    assert "Traceback" not in err
    assert "RecursionError" not in err


def test_every_interface_gives_a_warning_and_a_url_a_client_accepts() -> None:
    server = _start("--host", "0.0.0.0")
    try:
        assert server.url == f"http://127.0.0.1:{server.port}"
        _alive(server)
    finally:
        err = server.stderr()
    assert "warning: listening on 0.0.0.0" in err
    assert "Traceback" not in err


def _default_sandbox_server() -> tuple[subprocess.Popen[str], str, str]:
    script = (
        "import time\n"
        "from np6.sandbox import Sandbox\n"
        "server = Sandbox().serve().start()\n"
        "print(server.url, server.api_key, flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    url, key = process.stdout.readline().split()
    return process, url, key


def test_a_default_sandbox_serves_with_a_random_key_printed_never_the_well_known_one() -> None:
    process, url, key = _default_sandbox_server()
    try:
        assert key != "sandbox-key"
        assert key.startswith("sbx_")
        with httpx.Client(base_url=url, timeout=10) as http:
            assert http.get("/actions", headers={"X-Key": "sandbox-key"}).status_code == 401
            assert http.get("/actions", headers={"X-Key": key}).status_code == 200
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    assert key in err  # printed, as `np6 sandbox` prints its key


def test_a_chosen_key_is_the_servers_and_the_in_process_default_still_works() -> None:
    from np6.sandbox import Sandbox

    sandbox = Sandbox()
    with sandbox.serve(api_key="sbx-mine-0123456789") as server:
        assert server.api_key == "sbx-mine-0123456789"
        with np6.Client(server.api_key, base_url=server.url) as client:
            assert client.actions.list() == []
    with sandbox.client() as in_process:
        assert in_process.actions.list() == []
    time.sleep(0)  # nothing to wait for: the server is stopped


def test_two_keys_cannot_smuggle_the_well_known_one_nor_a_second_request() -> None:
    process, url, key = _default_sandbox_server()
    port = int(url.rsplit(":", 1)[1])
    try:
        twice = b"GET /actions HTTP/1.1\r\nHost: x\r\nX-Key: nope\r\nX-Key: sandbox-key\r\n\r\n"
        assert _raw(port, twice).startswith(b"HTTP/1.1 401")
        both = f"GET /actions HTTP/1.1\r\nHost: x\r\nX-Key: {key}\r\nX-Key: {key}\r\n\r\n".encode()
        assert _raw(port, both).startswith(b"HTTP/1.1 401")
        smuggled = f"DELETE /actions/000ABC HTTP/1.1\r\nHost: x\r\nX-Key: {key}\r\nContent-Length: 0\r\n\r\n"
        carrier = (
            "POST /actions HTTP/1.1\r\nHost: x\r\nX-Key: sandbox-key\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(smuggled)}\r\n\r\n{smuggled}"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(carrier)
            answers = b""
            while chunk := connection.recv(65536):
                answers += chunk
        assert answers.count(b"HTTP/1.1 ") == 1, answers  # the 401, then the connection is closed
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_the_command_prints_the_key_its_server_accepts_even_the_well_known_one() -> None:
    server = _start(key="sandbox-key")
    try:
        assert server.key == "sandbox-key"  # chosen explicitly: the server takes it, and says so
        with np6.Client(server.key, base_url=server.url) as client:
            assert client.actions.list() == []
    finally:
        server.stderr()
