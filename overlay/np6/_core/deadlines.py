"""The sync client's half of `Limits.attempt_deadline`: network streams whose every wait ends at the deadline.

Why a network backend: httpcore reads the timeouts of a request once per phase and waits that long for each read,
so a server that sends its headers one byte at a time, each byte within the timeout, could keep a synchronous
attempt going for hours. The async client puts the whole attempt under `asyncio.timeout`; a blocking read cannot
be interrupted that way, but it can be given no longer to wait than the attempt has left. The driver sets the
attempt's deadline (`attempt_deadline`); the streams of the client's own pool read it before each wait.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator, Iterable
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

__all__ = ["attempt_deadline", "deadline_transport"]

_DEADLINE: ContextVar[float | None] = ContextVar("np6_attempt_deadline", default=None)


@contextlib.contextmanager
def attempt_deadline(at: float) -> Generator[None, None, None]:
    """Every network wait of the sync client, in this context, ends by `at` (a `time.monotonic()` instant)."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the attempt went past its deadline (Limits.attempt_deadline)")
    return remaining if timeout is None else min(timeout, remaining)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # A write cut short leaves the request incomplete: httpcore's WriteTimeout, which np6 knows was not sent.
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        return _Stream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport(limits: httpx.Limits, *, trust_env: bool) -> httpx.HTTPTransport:
    """httpx's own transport, whose connection pool opens deadline-aware streams.

    httpx has no public way to give its transport a network backend: the pool it built is replaced by an equal
    one (same TLS settings and limits) with the backend. The hostile-answer tests fail at once if a new httpx
    keeps its pool elsewhere.
    """
    transport = httpx.HTTPTransport(limits=limits, trust_env=trust_env)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=trust_env),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_Backend(),
    )
    return transport
