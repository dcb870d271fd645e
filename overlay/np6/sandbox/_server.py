"""The sandbox as a real HTTP/1.1 server on loopback.

Why a real server besides the transports: benchmarks, other languages, `curl` and clients whose transport cannot
be swapped need a socket. The stdlib `ThreadingHTTPServer` is enough: one thread per connection, keep-alive,
Nagle disabled and each answer written in one piece so that small answers are not delayed by delayed ACKs.

Faults: latency sleeps in the connection's thread; a dropped connection is closed without writing anything;
a spec mismatch becomes a 500 with a text body (when the sandbox is strict).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from ._app import App
from ._http import CoreRequest, CoreResponse

__all__ = ["SandboxServer"]

logger = logging.getLogger("np6.sandbox")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut the kept-alive connections, so that nothing is answered after `stop()`."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "np6-sandbox"
    disable_nagle_algorithm = True
    timeout = 120  # seconds an idle kept-alive connection stays open

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)

    def _dispatch(self) -> None:
        app = cast(_HTTPServer, self.server).app
        body: bytes | None
        length = self.headers.get("Content-Length")
        if length is not None:
            try:
                size = int(length)
                if size < 0:
                    raise ValueError(length)
            except ValueError:
                self.close_connection = True
                self._write(CoreResponse(400, {"x-request-id": app.ids.uuid()}))
                return
            body = self.rfile.read(size)
        elif self.headers.get("Transfer-Encoding"):
            body = None  # not read: the core answers 411 and the connection is closed after it
            self.close_connection = True
        else:
            body = b""
        split = urlsplit(self.path)
        request = CoreRequest(
            method=self.command,
            path=unquote(split.path),
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            outcome = app.handle(request)
        except Exception:
            logger.exception("the sandbox failed on %s %s", self.command, self.path)
            self.close_connection = True
            headers = {"content-type": "text/plain; charset=utf-8", "x-request-id": app.ids.uuid()}
            self._write(CoreResponse(500, headers, b"sandbox failure"))
            return
        if outcome.delay > 0:
            time.sleep(outcome.delay)
        if outcome.response is None or outcome.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        response = outcome.response
        if response.status == 411:
            # The body was not delimited, so it was not read: what follows on the socket is not a next request.
            self.close_connection = True
        if outcome.mismatch is not None and app.settings.strict:
            logger.error("%s", outcome.mismatch)
            response = CoreResponse(
                500,
                {
                    "content-type": "text/plain; charset=utf-8",
                    "x-request-id": response.headers.get("x-request-id", ""),
                },
                f"SpecMismatchError: {outcome.mismatch}".encode(),
            )
        self._write(response)

    do_GET = _dispatch
    do_POST = _dispatch
    do_PUT = _dispatch
    do_DELETE = _dispatch
    do_PATCH = _dispatch
    do_OPTIONS = _dispatch
    do_HEAD = _dispatch
    do_TRACE = _dispatch

    def __getattr__(self, name: str) -> Any:
        # Any other method (QUERY, PROPFIND...) goes to the core too, which answers 405 as NP6 would, instead of
        # http.server's 501 for methods it has no do_* handler for.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _write(self, response: CoreResponse) -> None:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        lines = [f"{self.protocol_version} {response.status} {reason}", f"date: {self.date_time_string()}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers.items())
        if response.status != 204 and response.status >= 200:
            lines.append(f"content-length: {len(response.body)}")
        if self.close_connection:
            lines.append("connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + response.body)
        self.log_request(response.status)


class SandboxServer:
    """A sandbox listening on a socket (loopback and an ephemeral port by default).

    Use it as a context manager, or call `start()` and `stop()`. `url` is the base URL to give a client and
    `api_key` a key it accepts.
    """

    def __init__(self, app: App, api_key: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self._app = app
        self.api_key = api_key
        self.host = host
        self._requested_port = port
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port listened on (the ephemeral one chosen by the system when 0 was asked)."""
        if self._server is None:
            return self._requested_port
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. "http://127.0.0.1:54321"."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._server is not None

    def start(self) -> SandboxServer:
        """Bind and serve in a background thread (no-op when already running)."""
        if self._server is None:
            server = _HTTPServer((self.host, self._requested_port), self._app)
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="np6-sandbox", daemon=True
            )
            thread.start()
            self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving and close every connection (no-op when not running)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
