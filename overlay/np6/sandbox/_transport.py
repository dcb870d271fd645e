"""In-process httpx transport: the sandbox without sockets.

Why one object for both worlds: a client built on httpx takes a `transport=`; giving the same object to
`httpx.Client` and `httpx.AsyncClient` means a test suite can exercise both clients against one sandbox state.
Both entry points run the same core; only the waiting differs (`time.sleep` or `asyncio.sleep`).

What a dropped connection looks like: `httpx.RemoteProtocolError("Server disconnected without sending a
response.")`, the exception httpx raises when a real server closes the socket without answering.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from ._app import App
from ._http import CoreRequest, Outcome

__all__ = ["SandboxTransport"]

DISCONNECTED = "Server disconnected without sending a response."


def _core_request(request: httpx.Request, body: bytes) -> CoreRequest:
    query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        query.setdefault(name, []).append(value)
    headers = {name.lower(): value for name, value in request.headers.items()}
    return CoreRequest(method=request.method, path=request.url.path, query=query, headers=headers, body=body)


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) answering from a sandbox core in the same process."""

    def __init__(self, app: App) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer a request of an `httpx.Client`."""
        outcome = self._app.handle(_core_request(request, request.read()))
        if outcome.delay > 0:
            time.sleep(outcome.delay)
        return self._finish(request, outcome)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer a request of an `httpx.AsyncClient`."""
        outcome = self._app.handle(_core_request(request, await request.aread()))
        if outcome.delay > 0:
            await asyncio.sleep(outcome.delay)
        return self._finish(request, outcome)

    def _finish(self, request: httpx.Request, outcome: Outcome) -> httpx.Response:
        if outcome.mismatch is not None and self._app.settings.strict:
            raise outcome.mismatch
        if outcome.response is None or outcome.drop:
            raise httpx.RemoteProtocolError(DISCONNECTED, request=request)
        response = outcome.response
        return httpx.Response(
            response.status,
            headers=list(response.headers.items()),
            content=response.body,
            request=request,
        )
