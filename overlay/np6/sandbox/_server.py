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

__all__ = ["DEFAULT_MAX_BODY_BYTES", "SandboxServer"]

logger = logging.getLogger("np6.sandbox")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: App, *, max_body_bytes: int, refused_keys: frozenset[str]
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.refused_keys = refused_keys
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
        server = cast(_HTTPServer, self.server)
        keys = self.headers.get_all("X-Key") or []
        if len(keys) > 1 or any(key in server.refused_keys for key in keys):
            # The well-known key works in-process only: over a socket, only the server's own key is accepted (and
            # one X-Key: with two, which one counts would depend on who reads them). The body is not read, so the
            # connection cannot carry a next request.
            self.close_connection = True
            self._write(CoreResponse(401, {"x-request-id": app.ids.uuid()}))
            return
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
            if size > server.max_body_bytes:
                # Not read: whatever follows on the socket is that body, not a next request.
                self.close_connection = True
                self._write(CoreResponse(413, {"x-request-id": app.ids.uuid()}))
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


#: The largest request body the server reads (NP6's own limit is not documented; a batch of 500 messages with
#: content overrides stays far below it). A larger one is answered 413 without being read.
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


class SandboxServer:
    """A sandbox listening on a socket (loopback and an ephemeral port by default).

    Use it as a context manager, or call `start()` and `stop()`. `url` is the base URL to give a client (on this
    machine) and `api_key` the key it accepts. `max_body_bytes` bounds what one request may send (413 beyond).
    Listening on every interface (`0.0.0.0`, `::`) makes the sandbox reachable from other machines: it is
    allowed, with a warning, and `url` still names loopback (np6 clients send plain http to loopback only).
    """

    def __init__(
        self,
        app: App,
        api_key: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        refused_keys: frozenset[str] = frozenset(),
    ) -> None:
        if not isinstance(max_body_bytes, int) or isinstance(max_body_bytes, bool) or max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be a positive integer, got {max_body_bytes!r}")
        self._app = app
        self.api_key = api_key
        self.host = host
        self.max_body_bytes = max_body_bytes
        self._refused_keys = refused_keys - {api_key}
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
        """Base URL of the running server on this machine, e.g. "http://127.0.0.1:54321"."""
        host = _ANY_ADDRESS.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def reachable_from_other_machines(self) -> bool:
        """Whether it listens on every interface (`0.0.0.0`, `::`) rather than on one address."""
        return self.host in _ANY_ADDRESS

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._server is not None

    def start(self) -> SandboxServer:
        """Bind and serve in a background thread (no-op when already running)."""
        if self._server is None:
            server = _HTTPServer(
                (self.host, self._requested_port),
                self._app,
                max_body_bytes=self.max_body_bytes,
                refused_keys=self._refused_keys,
            )
            if self.reachable_from_other_machines:
                logger.warning(
                    "the sandbox listens on %s: any machine that can reach this one can use it with its key",
                    self.host or "every interface",
                )
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
