"""The caller's own httpx client (`http_client=`) as the transport of np6's client.

np6 keeps building and sending its requests with an httpx client of its own (its base URL, its headers, its
timeout, no redirects), so that everything it does holds the same way, `client.generated` included; this
transport hands each request to the caller's client, which sends it with its own proxy, TLS settings, pool,
event hooks and default headers (those np6 does not set itself). Closing np6's client closes this transport,
which leaves the caller's client open: np6 never closes a client it did not create.
"""

from __future__ import annotations

import httpx

__all__ = ["AsyncThroughClient", "ThroughClient"]

_CLOSED = "the http_client given to np6 is closed: nothing was sent"


def _add_defaults(request: httpx.Request, client: httpx.Client | httpx.AsyncClient) -> None:
    """The caller's default headers, for what np6's request does not set itself (np6's own always win)."""
    for name, value in client.headers.multi_items():
        if name not in request.headers:
            request.headers[name] = value


class ThroughClient(httpx.BaseTransport):
    """Sends through the caller's `httpx.Client`."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.client.is_closed:  # httpx would raise a RuntimeError, which would not say that nothing went out
            raise httpx.ConnectError(_CLOSED, request=request)
        _add_defaults(request, self.client)
        # A redirect would carry the key (httpx strips only `Authorization` across origins) and the messages to
        # another host: np6 never follows one, whatever the caller's client does by default.
        return self.client.send(request, stream=True, follow_redirects=False)


class AsyncThroughClient(httpx.AsyncBaseTransport):
    """Sends through the caller's `httpx.AsyncClient`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.client.is_closed:
            raise httpx.ConnectError(_CLOSED, request=request)
        _add_defaults(request, self.client)
        return await self.client.send(request, stream=True, follow_redirects=False)
