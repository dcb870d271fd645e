"""What every test harness that runs one scenario with `np6.Client` and again with `np6.AsyncClient` shares:
running a call of either to completion, catching what it raises, and closing the clients it made; and
`dual_fixture`, the fixture that gives a test one harness of each mode."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

import np6
import pytest

Mode = Literal["sync", "async"]
MODES: list[Mode] = ["sync", "async"]


async def _await(awaitable: Any) -> Any:
    return await awaitable


class DualClients:
    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self._clients: list[np6.Client | np6.AsyncClient] = []

    @property
    def is_async(self) -> bool:
        return self.mode == "async"

    def _keep(self, client: np6.Client | np6.AsyncClient) -> Any:
        """Remember a client to close it at the end; typed Any: the tests use both surfaces the same way."""
        self._clients.append(client)
        return client

    def _client_over(self, transport: Any, **options: Any) -> Any:
        """A client of this mode over `transport`, closed at the end (typed Any, as `_keep`)."""
        client = (
            np6.AsyncClient(transport=transport, **options)
            if self.is_async
            else np6.Client(transport=transport, **options)
        )
        return self._keep(client)

    def run(self, value: Any) -> Any:
        """The result of a client call: awaited (in a fresh event loop) for the async client."""
        if inspect.isawaitable(value):
            return asyncio.run(_await(value))
        return value

    def raises(self, call: Callable[[], Any]) -> Any:
        """The exception `call()` raises, sync or async (fails the test when it returns); typed Any so that tests
        read the attributes of the exception class they assert."""
        try:
            self.run(call())
        except Exception as exc:
            return exc
        raise AssertionError("the call did not raise")

    def close(self) -> None:
        for client in self._clients:
            if isinstance(client, np6.AsyncClient):
                asyncio.run(client.aclose())
            else:
                client.close()


D = TypeVar("D", bound=DualClients)


def dual_fixture(harness: Callable[[Mode], D]) -> Any:
    """A fixture that runs each test taking it once with `np6.Client` and once with `np6.AsyncClient`: it gives the
    test `harness(mode)`, and closes the clients it made afterwards. In a conftest: `d = dual_fixture(Driver)`."""

    @pytest.fixture(params=MODES)
    def fixture(request: pytest.FixtureRequest) -> Iterator[D]:
        instance = harness(request.param)
        yield instance
        instance.close()

    return fixture
