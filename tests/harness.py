"""Helpers shared by the overlay tests: a recording mock transport, a fake clock, and a harness that runs the same
scenario on `np6.Client` and `np6.AsyncClient`."""

from __future__ import annotations

import http.server
import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx
import np6

from tests.dual_clients import DualClients, Mode

KEY = "KEY-SHOULD-NEVER-LEAK-123"
WALL_EPOCH = 1_700_000_000.0

Reply = httpx.Response | BaseException | type[BaseException] | Callable[[httpx.Request], Any]


def resp(
    status: int = 200,
    *,
    json_body: Any = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A response template (the recorder copies it for each request that uses it)."""
    if json_body is not None:
        return httpx.Response(status, json=json_body, headers=headers)
    return httpx.Response(status, content=content or b"", headers=headers)


def mail_action(action_id: str = "000ABC", state: int | None = 20, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "mailMessage", "id": action_id, "name": "Newsletter", **extra}
    if state is not None:
        body["informations"] = {"state": state, "folder": 3, "category": None}
    return body


def sms_action(action_id: str = "000SMS", state: int | None = 50) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "smsMessage", "id": action_id, "name": "Promo SMS"}
    if state is not None:
        body["informations"] = {"state": state}
    return body


def np6_headers(
    *,
    request_id: str | None = None,
    retry_after: float | None = None,
    limit: int | None = None,
    remaining: int | None = None,
    reset: int | None = None,
) -> dict[str, str]:
    """The headers NP6 answers with (request id, Retry-After, X-RateLimit-*): those given, as strings."""
    values = {
        "x-request-id": request_id,
        "retry-after": retry_after,
        "x-ratelimit-limit": limit,
        "x-ratelimit-remaining": remaining,
        "x-ratelimit-reset": reset,
    }
    return {name: str(value) for name, value in values.items() if value is not None}


SUCCESS = {"type": "success", "id": "MSG-1", "recipient": {"type": "footprint", "id": "000TGT", "unicity": "a@x.io"}}


class FakeTime:
    """Instant sleeps that advance a fake monotonic clock; every sleep is recorded (also in `events`)."""

    def __init__(self, events: list[tuple[Any, ...]], jitter: float = 0.5) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.events = events
        self.jitter_value = jitter

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.events.append(("sleep", seconds))
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def clock(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return WALL_EPOCH + self.now

    def jitter(self) -> float:
        return self.jitter_value

    def policy(self, **kwargs: Any) -> np6.RetryPolicy:
        return np6.RetryPolicy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            clock=self.clock,
            wall_clock=self.wall_clock,
            jitter=self.jitter,
            **kwargs,
        )


class Recorder:
    """An `httpx.MockTransport` handler: records each request and answers with the next scripted reply.

    A reply is a response (copied, so one template can serve many requests), an exception (class or instance; an
    httpx exception class is raised with the request attached) or a callable taking the request.
    """

    def __init__(self, replies: Iterable[Reply] = (), *, default: Reply | None = None, events: list[Any]) -> None:
        self.replies = list(replies)
        self.default = default
        self.requests: list[httpx.Request] = []
        self.events = events

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.events.append(("request", request.method, request.url.path))
        if self.replies:
            reply = self.replies.pop(0)
        elif self.default is not None:
            reply = self.default
        else:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if isinstance(reply, httpx.Response):
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        if isinstance(reply, type) and issubclass(reply, BaseException):
            if issubclass(reply, httpx.RequestError):
                raise reply("scripted failure", request=request)
            raise reply("scripted failure")
        if isinstance(reply, BaseException):
            raise reply
        return reply(request)

    # ------------------------------------------------------------------------------------------- views

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests]

    def json(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


class Harness(DualClients):
    """Builds a sync or an async client over a recorder, and runs a call of either to completion."""

    def __init__(self, mode: Mode) -> None:
        super().__init__(mode)
        self.events: list[tuple[Any, ...]] = []
        self.time = FakeTime(self.events)
        self.recorder = Recorder(events=self.events)

    def script(self, *replies: Reply, default: Reply | None = None) -> Recorder:
        self.recorder.replies.extend(replies)
        if default is not None:
            self.recorder.default = default
        return self.recorder

    def client(
        self,
        *replies: Reply,
        default: Reply | None = None,
        api_key: str | None = KEY,
        max_retries: int = 2,
        policy: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """A client of the harness's mode (typed Any: the tests use both surfaces the same way)."""
        self.script(*replies, default=default)
        retry_policy = self.time.policy(max_retries=max_retries, **(policy or {}))
        transport = httpx.MockTransport(self.recorder)
        client: np6.Client | np6.AsyncClient
        if self.is_async:
            client = np6.AsyncClient(api_key, retry_policy=retry_policy, transport=transport, **kwargs)
        else:
            client = np6.Client(api_key, retry_policy=retry_policy, transport=transport, **kwargs)
        return self._keep(client)

    @property
    def sleeps(self) -> list[float]:
        return self.time.sleeps


class JSONHandler(http.server.BaseHTTPRequestHandler):
    """The handler of a loopback test server that answers JSON and logs nothing."""

    def reply_json(self, payload: Any, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass
