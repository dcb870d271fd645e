"""Configuration like the best SDKs: per-call `timeout=` / `extra_headers=` on every method, the caller's own
httpx client (`http_client=`), `NP6_BASE_URL`, and np6's own User-Agent. Against the in-process sandbox, with
every request recorded on its way in."""

from __future__ import annotations

import asyncio
import inspect
import platform
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import np6
import pytest
from np6.sandbox import Sandbox

from tests.harness import KEY


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The sandbox's transport, keeping each request it answers."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(api_key=KEY)


@pytest.fixture
def recording(sandbox: Sandbox) -> Recording:
    return Recording(sandbox)


def _client(recording: Recording, **options: Any) -> np6.Client:
    return np6.Client(KEY, base_url="http://localhost", transport=recording, **options)


def _action(client: np6.Client) -> str:
    action = client.actions.create(
        np6.email_action(name="Hi", sender=np6.Sender.parse("a@example.com"), subject="Hi", html="<p>x</p>")
    )
    return action.id


def _methods(client: np6.Client | np6.AsyncClient) -> Iterator[tuple[str, Callable[..., Any]]]:
    for resource in ("actions", "targets", "fields", "segments", "events"):
        instance = getattr(client, resource)
        for name in dir(type(instance)):
            if not name.startswith("_") and callable(member := getattr(instance, name)):
                yield f"{resource}.{name}", member


# ------------------------------------------------------------------------------------------- per call


@pytest.mark.parametrize("kind", [np6.Client, np6.AsyncClient])
def test_every_method_of_both_clients_takes_timeout_and_extra_headers(kind: type[np6.Client]) -> None:
    client = kind(KEY)
    methods = dict(_methods(client))
    assert len(methods) >= 45
    for label, method in methods.items():
        parameters = inspect.signature(method).parameters
        takes_options = {"timeout", "extra_headers"} <= parameters.keys() or any(
            p.kind is p.VAR_KEYWORD and "RequestOptions" in str(p.annotation) for p in parameters.values()
        )
        assert takes_options, label


def test_extra_headers_and_timeout_reach_every_request_of_the_call_and_only_that_call(recording: Recording) -> None:
    with _client(recording) as client:
        action_id = _action(client)
        recording.requests.clear()
        phases = client.actions.validate(
            action_id, test_segments=[1], timeout=7.5, extra_headers={"X-Correlation-Id": "run-42"}
        )
        assert phases == ("test", "production")
        validation = list(recording.requests)
        assert len(validation) >= 2  # the two phases (and the state read before them): one call
        for request in validation:
            assert request.headers["x-correlation-id"] == "run-42"
            assert request.extensions["timeout"]["read"] <= 7.5
            assert request.headers["x-key"] == KEY
        client.actions.get(action_id)
        after = recording.requests[-1]
        assert "x-correlation-id" not in after.headers
        assert after.extensions["timeout"]["read"] <= np6.DEFAULT_TIMEOUT.read  # type: ignore[operator]


def test_a_retried_request_keeps_the_call_options(sandbox: Sandbox, recording: Recording) -> None:
    from np6.sandbox import Fault

    sandbox.faults.add(Fault.error(503, operation="get_action"))
    with _client(recording, retry_policy=np6.RetryPolicy(max_retries=1, sleep=lambda _: None)) as client:
        action_id = _action(client)
        recording.requests.clear()
        client.actions.get(action_id, extra_headers={"X-Trace": "t"}, timeout=3)
    assert [r.headers.get("x-trace") for r in recording.requests] == ["t", "t"]
    assert all(r.extensions["timeout"]["connect"] <= 3 for r in recording.requests)


def test_send_many_and_iterations_apply_the_options_to_each_request(recording: Recording) -> None:
    with _client(recording) as client:
        action_id = _action(client)
        client.actions.validate(action_id, test_segments=[1])
        recording.requests.clear()
        recipients = [f"user{i}@example.com" for i in range(5)]
        report = client.actions.send_many(action_id, recipients, batch_size=2, extra_headers={"X-Run": "nightly"})
        assert report.sent == 5
        sends = [r for r in recording.requests if r.url.path.endswith("/executions")]
        assert len(sends) == 3
        assert {r.headers.get("x-run") for r in recording.requests} == {"nightly"}
        recording.requests.clear()
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        events = list(
            client.events.iter(
                now - dt.timedelta(hours=2),
                now,
                action_id=action_id,
                window=dt.timedelta(hours=1),
                extra_headers={"X-Feed": "1"},
            )
        )
        assert events
        assert len(recording.requests) >= 2  # one request per window
        assert {r.headers.get("x-feed") for r in recording.requests} == {"1"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_headers": {"X-Key": "other"}}, "X-Key cannot be set"),
        ({"extra_headers": {"Content-Length": "3"}}, "Content-Length cannot be set"),
        ({"extra_headers": {"X-A": "a\r\nb"}}, "visible ASCII"),
        ({"extra_headers": ["X-A"]}, "must be a mapping"),
        ({"timeout": -1}, "timeout must be"),
        ({"timeout": True}, "timeout must be"),
        ({"timeout": "5"}, "timeout must be"),
    ],
)
def test_bad_call_options_are_refused_before_any_request(
    recording: Recording, options: dict[str, Any], message: str
) -> None:
    with _client(recording) as client, pytest.raises(np6.InvalidInputError, match=message):
        client.actions.get("000ABC", **options)
    assert recording.requests == []


def test_a_misspelt_option_is_a_type_error_when_the_async_method_is_called(recording: Recording) -> None:
    client = np6.AsyncClient(KEY, base_url="http://localhost", transport=recording)
    with pytest.raises(TypeError, match="unexpected keyword argument 'extra_header'"):
        client.actions.get("000ABC", extra_header={"X-A": "1"})  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'timout'"):  # written by hand: when awaited
        asyncio.run(client.actions.send_many("000ABC", ["a@example.com"], timout=1))  # type: ignore[call-arg]
    assert recording.requests == []


def test_async_per_call_options(recording: Recording) -> None:
    async def main() -> None:
        async with np6.AsyncClient(KEY, base_url="http://localhost", transport=recording) as client:
            action = await client.actions.create(
                np6.email_action(name="Hi", sender=np6.Sender.parse("a@example.com"), subject="Hi", html="<p>x</p>"),
                extra_headers={"X-Async": "yes"},
                timeout=None,
            )
            await client.actions.validate(action.id, test_segments=[1])
            report = await client.actions.send_many(
                action.id, ["a@example.com", "b@example.com"], batch_size=1, extra_headers={"X-Async": "batch"}
            )
            assert report.sent == 2

    asyncio.run(main())
    created = recording.requests[0]
    assert created.headers["x-async"] == "yes"
    assert created.extensions["timeout"]["read"] is None or created.extensions["timeout"]["read"] > 30
    sends = [r for r in recording.requests if r.url.path.endswith("/executions")]
    assert [r.headers["x-async"] for r in sends] == ["batch", "batch"]


# ----------------------------------------------------------------------------------------- http_client


def test_the_callers_http_client_carries_np6_requests_and_stays_open(sandbox: Sandbox, recording: Recording) -> None:
    hooked: list[str] = []
    own = httpx.Client(
        transport=recording,
        headers={"X-Team": "growth", "User-Agent": "theirs"},
        event_hooks={"request": [lambda request: hooked.append(request.url.path)]},
    )
    with np6.Client(KEY, base_url="http://localhost/", http_client=own) as client:
        action_id = _action(client)
        assert client.actions.get(action_id).id == action_id
    assert not own.is_closed  # np6 never closes a client it did not create
    assert hooked == ["/actions", f"/actions/{action_id}"]
    for request in recording.requests:
        assert str(request.url).startswith("http://localhost/actions")
        assert request.headers["x-key"] == KEY
        assert request.headers["x-team"] == "growth"  # the caller's own defaults stay
        assert request.headers["user-agent"] == np6._client.USER_AGENT  # np6's headers win, per request
        assert request.extensions["timeout"]["read"] <= np6.DEFAULT_TIMEOUT.read  # type: ignore[operator]
    own.close()


def test_the_callers_async_http_client(recording: Recording) -> None:
    async def main() -> None:
        own = httpx.AsyncClient(transport=recording)
        async with np6.AsyncClient(KEY, base_url="http://localhost", http_client=own) as client:
            segments = await client.segments.list()
            assert isinstance(segments, list)
        assert not own.is_closed
        await own.aclose()

    asyncio.run(main())
    assert recording.requests[0].headers["x-key"] == KEY


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"http_client": httpx.AsyncClient()}, "np6.Client needs an httpx.Client"),
        ({"http_client": httpx.Client(), "transport": httpx.MockTransport(lambda r: httpx.Response(200))}, "transport"),
        ({"http_client": httpx.Client(), "keepalive_expiry": 5.0}, "keepalive_expiry"),
        ({"http_client": "httpx"}, "np6.Client needs an httpx.Client"),
    ],
)
def test_bad_http_clients_are_refused_when_the_client_is_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(np6.InvalidInputError, match=message):
        np6.Client(KEY, **options)


def test_the_async_client_refuses_a_sync_http_client() -> None:
    with pytest.raises(np6.InvalidInputError, match=r"np6\.AsyncClient needs an httpx\.AsyncClient"):
        np6.AsyncClient(KEY, http_client=httpx.Client())  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------- base URL, agent


def test_base_url_precedence_argument_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NP6_BASE_URL", raising=False)
    assert str(np6.Client(KEY).base_url) == np6.DEFAULT_BASE_URL
    monkeypatch.setenv("NP6_BASE_URL", "http://127.0.0.1:8765")
    assert str(np6.Client(KEY).base_url) == "http://127.0.0.1:8765"
    assert str(np6.AsyncClient(KEY).base_url) == "http://127.0.0.1:8765"
    assert str(np6.Client(KEY, base_url="https://api-cm.np6.com").base_url) == "https://api-cm.np6.com"
    monkeypatch.setenv("NP6_BASE_URL", "")  # set but empty: as if unset
    assert str(np6.Client(KEY).base_url) == np6.DEFAULT_BASE_URL


def test_a_bad_base_url_from_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_BASE_URL", "http://api-cm.np6.com")
    with pytest.raises(np6.InvalidInputError, match="NP6_BASE_URL") as caught:
        np6.Client(KEY)
    assert "https" in str(caught.value)


def test_the_client_sends_to_the_sandbox_server_named_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = Sandbox(api_key=KEY)
    with sandbox.serve() as server:
        monkeypatch.setenv("NP6_BASE_URL", server.url)
        monkeypatch.setenv("NP6_API_KEY", KEY)
        with np6.Client() as client:  # what a script run after `np6 sandbox` and its exports does
            action_id = _action(client)
            client.actions.validate(action_id, test_segments=[1])
            client.actions.send(action_id, "alice@example.com")
    assert sandbox.deliveries.count() == 1


def test_the_user_agent_names_np6_python_and_httpx(recording: Recording) -> None:
    with _client(recording) as client:
        client.segments.list()
    agent = recording.requests[0].headers["user-agent"]
    assert re.fullmatch(r"np6-cm/\S+ python/\S+ httpx/\S+", agent)
    assert f"np6-cm/{np6.__version__}" in agent
    assert f"python/{platform.python_version()}" in agent
    assert f"httpx/{httpx.__version__}" in agent


# ------------------------------------------------------------------------------------- found in review


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_is_never_followed_even_when_the_callers_client_would(status: int) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "evil.example":
            return httpx.Response(200, json=[{"type": "success", "id": "m"}])
        return httpx.Response(status, headers={"Location": "https://evil.example/collect"})

    own = httpx.Client(transport=httpx.MockTransport(answer), follow_redirects=True)
    with np6.Client(KEY, http_client=own, max_retries=0) as client, pytest.raises(np6.APIStatusError) as caught:
        client.actions.send("000ABC", "alice@example.com", channel="email")
    assert caught.value.status_code == status
    assert seen == ["https://api-cm.np6.com/actions/000ABC/execution"]  # nothing went to the other host


def test_no_redirect_on_the_async_client_either() -> None:
    seen: list[str] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(307, headers={"Location": "https://evil.example/collect"})

    async def main() -> None:
        own = httpx.AsyncClient(transport=httpx.MockTransport(answer), follow_redirects=True)
        async with np6.AsyncClient(KEY, http_client=own, max_retries=0) as client:
            report = await client.actions.send_many("000ABC", ["a@example.com"], channel="email")
            assert report.counts["sent"] == 0
        await own.aclose()

    asyncio.run(main())
    assert seen == ["api-cm.np6.com"]


def test_the_generated_client_carries_the_key_through_the_callers_client(recording: Recording) -> None:
    from np6_generated.api.segments import list_segments

    own = httpx.Client(transport=recording)
    with np6.Client(KEY, base_url="http://localhost", http_client=own) as client:
        answer = list_segments.sync_detailed(client=client.generated)
    assert answer.status_code == 200
    assert recording.requests[-1].headers["x-key"] == KEY
    assert not own.is_closed
    own.close()


def test_a_closed_callers_client_fails_the_send_as_not_sent(recording: Recording) -> None:
    own = httpx.Client(transport=recording)
    own.close()
    with np6.Client(KEY, base_url="http://localhost", http_client=own, max_retries=0) as client:
        report = client.actions.send_many("000ABC", ["a@example.com", "b@example.com"], channel="email")
    assert report.counts == {"sent": 0, "rejected": 0, "failed": 2, "unknown": 0}
    assert recording.requests == []


@pytest.mark.parametrize(
    "timeout",
    [httpx.Timeout(-5), httpx.Timeout(float("nan")), httpx.Timeout(5, read=0), 10**400, float("inf")],
)
def test_a_timeout_httpx_would_refuse_only_when_sending_is_refused_first(recording: Recording, timeout: object) -> None:
    with _client(recording) as client, pytest.raises(np6.InvalidInputError, match="timeout must be"):
        client.actions.get("000ABC", timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(np6.InvalidInputError, match="timeout must be"):
        np6.Client(KEY, timeout=timeout)  # type: ignore[arg-type]
    assert recording.requests == []


@pytest.mark.parametrize("name", ["Content-Type", "content-encoding", "X-KEY", "x-Key"])
def test_headers_np6_writes_itself_cannot_be_replaced_per_call(recording: Recording, name: str) -> None:
    with _client(recording) as client, pytest.raises(np6.InvalidInputError, match="cannot be set"):
        client.actions.send("000ABC", "alice@example.com", channel="email", extra_headers={name: "application/json"})
    assert recording.requests == []


def test_a_view_of_a_subclass_drops_the_resources_it_inherited() -> None:
    posts: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        posts.append(request.url.path)
        return httpx.Response(500)

    class MyClient(np6.Client):
        pass

    client = MyClient(KEY, transport=httpx.MockTransport(answer), retry_policy=np6.RetryPolicy(sleep=lambda _: None))
    eager = client.with_options(retry_unknown_sends=True)
    eager.actions  # noqa: B018  (built for the first view)
    careful = eager.with_options(retry_unknown_sends=False)
    with pytest.raises(np6.InternalServerError):
        careful.actions.send("000ABC", "alice@example.com", channel="email")
    assert posts == ["/actions/000ABC/execution"]  # once: the careful view's own resources, not the eager one's
