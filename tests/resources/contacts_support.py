"""Helpers of the contact, field, segment and event tests: a driver that runs one scenario with `np6.Client` or
`np6.AsyncClient` against a sandbox, and records every request the overlay made (method, path, query, JSON body)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import np6
from np6.sandbox import Sandbox

from tests.dual_clients import DualClients, Mode

KEY = "sbx-contacts-key-NEVER-LEAK-7319"
BASE_URL = "http://localhost"


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


class Recorder(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the sandbox transport and notes every exchange."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.exchanges: list[Exchange] = []

    def _note(self, request: httpx.Request, response: httpx.Response) -> None:
        content = request.content
        body = json.loads(content) if content else None
        query = dict(request.url.params.items())
        self.exchanges.append(Exchange(request.method, request.url.path, query, body, response.status_code))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self.inner.handle_request(request)
        self._note(request, response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self.inner.handle_async_request(request)
        self._note(request, response)
        return response

    def calls(self) -> list[tuple[str, str, int]]:
        return [(e.method, e.path, e.status) for e in self.exchanges]


class Driver(DualClients):
    """Builds a sync or an async client over a sandbox and runs its calls (awaiting them for the async one)."""

    def __init__(self, mode: Mode) -> None:
        super().__init__(mode)
        self.recorder: Recorder | None = None

    def client(self, sandbox: Sandbox, **options: Any) -> Any:
        """A client of the driver's mode, typed Any: the tests use both surfaces the same way."""
        self.recorder = Recorder(sandbox.transport)
        options.setdefault("api_key", sandbox.api_key)
        options.setdefault("base_url", BASE_URL)
        options.setdefault("max_retries", 0)
        return self._client_over(self.recorder, **options)

    @property
    def exchanges(self) -> list[Exchange]:
        assert self.recorder is not None
        return self.recorder.exchanges

    def calls(self) -> list[tuple[str, str, int]]:
        assert self.recorder is not None
        return self.recorder.calls()

    def collect(self, iterator: Any) -> list[Any]:
        """Every item of a sync or an async iterator."""
        if isinstance(iterator, AsyncIterator):
            return asyncio.run(_drain(iterator))
        return list(iterator)


async def _drain(iterator: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in iterator]


def email_action(name: str = "Welcome") -> Any:
    return np6.email_action(
        name=name,
        sender=np6.Sender(prefix="news", domain="example.com", label="Example"),
        subject="Hello [[FirstName]]",
        html="<p>Hello [[FirstName]]</p>",
    )
