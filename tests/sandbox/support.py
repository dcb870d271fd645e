"""Helpers shared by the sandbox tests: action builders, a fake clock for retry policies, a recording transport,
and a driver that runs one scenario with `np6.Client` or `np6.AsyncClient` against the same sandbox."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import np6
from np6.sandbox import Sandbox

from tests.dual_clients import DualClients, Mode

KEY = "sbx-test-key-NEVER-LEAK-4242"
BASE_URL = "http://localhost"
EMAIL_TYPE = "application/vnd.np6.cm.email"
SMS_TYPE = "application/vnd.np6.cm.sms"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def newsletter(name: str = "Newsletter") -> Any:
    """An e-mail action whose every part carries placeholders, so renders show what was substituted."""
    return np6.email_action(
        name=name,
        sender=np6.Sender(prefix="news", domain="example.com", label="Example for [[first_name]]"),
        subject="Hello [[first_name]]",
        html='<p>Hello [[ first_name ]]</p><a href="https://example.com/u/[[id]]">you</a>',
        text="Hello [[first_name]] <[[unicity]]> [[no_such_value]]",
        reply_to="reply@example.com",
    )


def promo_sms(name: str = "Promo") -> Any:
    return np6.sms_action(name=name, text="Hi [[first_name]], -20% today")


def recipient_json(value: str, endpoint: str = "execution") -> dict[str, Any]:
    """A one-message body: sends name the contact `recipient`, renders `receiver`."""
    key = "receiver" if endpoint.startswith("render") else "recipient"
    return {key: {"type": "unicity", "value": [value]}}


class Clock:
    """Fake time for retry policies: sleeps return at once and advance the clock the client's gate reads.

    `real_cap` also sleeps for real, up to that many seconds: the sandbox's rate-limit window runs on the real
    monotonic clock, so a retry after a 429 must let a short window actually pass.
    """

    def __init__(self, real_cap: float = 0.0) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.real_cap = real_cap

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.real_cap:
            time.sleep(min(seconds, self.real_cap))

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.real_cap:
            await asyncio.sleep(min(seconds, self.real_cap))

    def clock(self) -> float:
        return self.now

    def policy(self, max_retries: int = 2, **options: Any) -> np6.RetryPolicy:
        return np6.RetryPolicy(
            max_retries=max_retries,
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            clock=self.clock,
            jitter=lambda: 0.0,
            **options,
        )


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the sandbox transport and notes (method, path, status or exception name) of every exchange, so a
    test sees the retries and splits the overlay performed, not only its final result."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.exchanges: list[tuple[str, str, int | str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response: httpx.Response = self.inner.handle_request(request)
        except Exception as exc:
            self.exchanges.append((request.method, request.url.path, type(exc).__name__))
            raise
        self.exchanges.append((request.method, request.url.path, response.status_code))
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response: httpx.Response = await self.inner.handle_async_request(request)
        except Exception as exc:
            self.exchanges.append((request.method, request.url.path, type(exc).__name__))
            raise
        self.exchanges.append((request.method, request.url.path, response.status_code))
        return response

    def statuses(self, path_suffix: str = "") -> list[int | str]:
        return [status for _, path, status in self.exchanges if path.endswith(path_suffix)]


class Driver(DualClients):
    """Builds a sync or an async overlay client over a sandbox, and runs a call of either to completion."""

    def __init__(self, mode: Mode) -> None:
        super().__init__(mode)
        self.clock = Clock()
        self.recording: Recording | None = None

    def client(self, sandbox: Sandbox, *, max_retries: int = 2, clock: Clock | None = None, **options: Any) -> Any:
        """A client of the driver's mode (typed Any: the tests use both surfaces the same way)."""
        if clock is not None:
            self.clock = clock
        self.recording = Recording(sandbox.transport)
        options.setdefault("api_key", sandbox.api_key)
        options.setdefault("base_url", BASE_URL)
        return self._client_over(self.recording, retry_policy=self.clock.policy(max_retries=max_retries), **options)


def validated_action(sandbox: Sandbox, action: Any = None) -> str:
    """The id of an action created and validated for production through the overlay."""
    with sandbox.client(max_retries=0) as client:
        created = client.actions.create(action if action is not None else newsletter())
        client.actions.validate(created.id, test_segments=[1])
        return str(created.id)


def stored_action(sandbox: Sandbox, action: Any = None, *, state: int = 50) -> str:
    """An action put straight into the sandbox's store: no request, so no rate-limit window is spent on it."""
    body = (action if action is not None else newsletter()).to_dict()
    return str(sandbox.actions.create(body, state=state)["id"])


def draft_action(sandbox: Sandbox, action: Any = None) -> str:
    with sandbox.client(max_retries=0) as client:
        return str(client.actions.create(action if action is not None else newsletter()).id)


def state_of(sandbox: Sandbox, action_id: str) -> int:
    return int(sandbox.actions.get(action_id)["informations"]["state"])


@contextmanager
def raw(sandbox: Sandbox, *, key: str | None = KEY) -> Iterator[httpx.Client]:
    """A plain httpx client on the in-process transport: it sends exactly the headers and bodies it is told."""
    headers = {"X-Key": key} if key is not None else {}
    with httpx.Client(transport=sandbox.transport, base_url=BASE_URL, headers=headers) as client:
        yield client
