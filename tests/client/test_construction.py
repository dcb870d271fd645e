"""`np6.Client` / `np6.AsyncClient` construction: the key, the base URL, timeouts, headers, closing, connection
reuse, and the generated low-level client (the metadata of answers: `tests/core/test_response.py`)."""

from __future__ import annotations

import asyncio
import http.server
import platform
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import np6
import pytest
from np6_generated.api.actions import get_action
from np6_generated.client import AuthenticatedClient

from tests.harness import KEY, Harness, JSONHandler, mail_action, resp

USER_AGENT = f"np6-cm/{np6.__version__} python/{platform.python_version()} httpx/{httpx.__version__}"


def client_class(h: Harness) -> Any:
    return np6.AsyncClient if h.is_async else np6.Client


def close(h: Harness, client: Any) -> None:
    h.run(client.aclose()) if h.is_async else client.close()


def http_of(client: Any) -> httpx.Client | httpx.AsyncClient:
    http = client._http
    assert isinstance(http, (httpx.Client, httpx.AsyncClient))
    return http


# ------------------------------------------------------------------------------------------------- the key


def test_key_from_the_argument(h: Harness) -> None:
    client = h.client(resp(204), api_key="arg-key")
    h.run(client.actions.delete("000ABC"))
    assert h.recorder.requests[0].headers["x-key"] == "arg-key"


def test_key_from_the_environment(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_API_KEY", "env-key")
    client = h.client(resp(204), api_key=None)
    h.run(client.actions.delete("000ABC"))
    assert h.recorder.requests[0].headers["x-key"] == "env-key"


def test_the_argument_wins_over_the_environment(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_API_KEY", "env-key")
    client = h.client(resp(204), api_key="arg-key")
    h.run(client.actions.delete("000ABC"))
    assert h.recorder.requests[0].headers["x-key"] == "arg-key"


def test_surrounding_whitespace_of_the_key_is_dropped(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_API_KEY", "  env-key\n")  # as read from a file
    client = h.client(resp(204), api_key=None)
    h.run(client.actions.delete("000ABC"))
    assert h.recorder.requests[0].headers["x-key"] == "env-key"


def test_a_missing_key_fails_at_construction(h: Harness) -> None:
    with pytest.raises(np6.InvalidInputError, match="NP6_API_KEY") as info:
        client_class(h)()
    assert "api_key" in str(info.value)
    assert isinstance(info.value, np6.NP6Error)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("key", "match"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a\nb", "control"),
        ("a\rb", "control"),
        ("key\x00with-nul-0123", "control"),
        ("clé-non-ascii-0123", "non-ASCII"),
        ("two words", "space"),
        (b"bytes", "string"),
        (1, "string"),
    ],
)
def test_unusable_keys_fail_at_construction(h: Harness, key: Any, match: str) -> None:
    with pytest.raises(np6.InvalidInputError, match=match):
        client_class(h)(key)


def test_an_empty_environment_key_fails_at_construction(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NP6_API_KEY", "")
    with pytest.raises(np6.InvalidInputError, match="empty"):
        client_class(h)()


# -------------------------------------------------------------------------------------------- base URL


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api-cm.np6.com",
        "https://api-cm.np6.com/",
        "https://proxy.example.com/np6",
        "http://127.0.0.1:8080",
        "http://127.5.6.7",
        "http://[::1]:8080",
        "http://localhost:8000",
        "http://LOCALHOST",
    ],
)
def test_accepted_base_urls(h: Harness, base_url: str) -> None:
    client = client_class(h)("k", base_url=base_url)
    assert client.base_url == httpx.URL(base_url)
    close(h, client)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api-cm.np6.com",
        "http://192.168.1.10",
        "http://10.0.0.1:8080",
        "http://localhost.example.com",
        # RFC 6761 reserves *.localhost for loopback, but resolvers commonly send such names to DNS.
        "http://sandbox.localhost:9000",
        "http://localhost.",
        "http://127.0.0.1.nip.io",
        "ftp://api-cm.np6.com",
        "api-cm.np6.com",
        "https://",
        "",
    ],
)
def test_refused_base_urls(h: Harness, base_url: str) -> None:
    with pytest.raises(np6.InvalidInputError, match="base_url"):
        client_class(h)("k", base_url=base_url)


def test_default_base_url_and_requests_under_a_path_prefix(h: Harness) -> None:
    default = client_class(h)("k")
    assert default.base_url == httpx.URL(np6.DEFAULT_BASE_URL) == httpx.URL("https://api-cm.np6.com")
    close(h, default)
    client = h.client(resp(200, json_body=mail_action()), base_url="https://proxy.example.com/np6")
    h.run(client.actions.get("000ABC"))
    assert str(h.recorder.requests[0].url) == "https://proxy.example.com/np6/actions/000ABC"


def test_loopback_http_reaches_the_wire(h: Harness) -> None:
    client = h.client(resp(204), base_url="http://127.0.0.1:8765")
    h.run(client.actions.delete("000ABC"))
    assert str(h.recorder.requests[0].url) == "http://127.0.0.1:8765/actions/000ABC"


# ------------------------------------------------------------------------------------------------ timeouts


def test_default_timeouts(h: Harness) -> None:
    client = h.client(resp(204))
    assert httpx.Timeout(30.0, connect=10.0) == np6.DEFAULT_TIMEOUT
    assert client.timeout == np6.DEFAULT_TIMEOUT
    assert http_of(client).timeout == np6.DEFAULT_TIMEOUT
    h.run(client.actions.delete("000ABC"))
    assert h.recorder.requests[0].extensions["timeout"] == {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (5.0, {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}),
        (httpx.Timeout(2.0, read=60.0), {"connect": 2.0, "read": 60.0, "write": 2.0, "pool": 2.0}),
        (None, {"connect": None, "read": None, "write": None, "pool": None}),
    ],
)
def test_custom_timeouts(h: Harness, timeout: Any, expected: dict[str, float | None]) -> None:
    client = h.client(resp(204), timeout=timeout)
    h.run(client.actions.delete("000ABC"))
    sent = h.recorder.requests[0].extensions["timeout"]
    if timeout is None and not h.is_async:
        # No wait of the sync client is longer than what is left of the attempt's deadline (np6.Limits).
        deadline = np6.Limits().attempt_deadline
        assert all(deadline - 5 < value <= deadline for value in sent.values())
        expected = {phase: pytest.approx(deadline, abs=5) for phase in expected}
    assert sent == expected


def test_a_sync_wait_longer_than_the_attempt_deadline_is_cut_to_it_and_restored_for_a_retry(h: Harness) -> None:
    client = h.client(resp(503), resp(204), timeout=600.0, limits=np6.Limits(attempt_deadline=50.0))
    h.run(client.with_options(max_wait=0.0).actions.delete("000ABC"))
    for request in h.recorder.requests:
        values = request.extensions["timeout"]
        if h.is_async:  # the async client holds the attempt to its deadline with asyncio.timeout
            assert values == {"connect": 600.0, "read": 600.0, "write": 600.0, "pool": 600.0}
        else:
            assert all(45 < value <= 50 for value in values.values())


# ------------------------------------------------------------------------------------------------- headers


def test_headers_sent_on_every_request(h: Harness) -> None:
    client = h.client(resp(200, json_body=mail_action()), resp(204))
    h.run(client.actions.get("000ABC"))
    h.run(client.actions.delete("000ABC"))
    for request in h.recorder.requests:
        assert request.headers.get_list("x-key") == [KEY]
        assert request.headers.get_list("user-agent") == [USER_AGENT]
        assert request.headers.get_list("accept") == ["application/json"]
        assert "authorization" not in request.headers


def test_extra_headers_are_sent_and_merge_with_the_clients_own(h: Harness) -> None:
    client = h.client(resp(204), headers={"X-Trace": "t-1", "user-agent": "my-app/1.0"})
    h.run(client.actions.delete("000ABC"))
    (request,) = h.recorder.requests
    assert request.headers["x-trace"] == "t-1"
    assert request.headers.get_list("x-key") == [KEY]
    assert request.headers.get_list("user-agent") == ["my-app/1.0"]
    assert request.headers.get_list("accept") == ["application/json"]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"x-key": "someone-else"}, "api_key"),
        ({"X-KEY": "again"}, "api_key"),
        ({"X-Trace": "a\r\nX-Injected: 1"}, "CR/LF"),
        ({"X-Trace": "a\nb"}, "CR/LF"),
        ({"X-Trace": "\x00"}, "CR/LF"),
        ({"X-Trace": "caf\u00e9"}, "ASCII"),
        ({"X-Trace": 5}, "ASCII"),
        ({"Bad Name": "v"}, "header name"),
        ({"X-Trace\r\n": "v"}, "header name"),
        ({"": "v"}, "header name"),
        ({1: "v"}, "header name"),
        (["X-Trace"], "mapping"),
    ],
)
def test_bad_extra_headers_are_refused_when_the_client_is_built(h: Harness, headers: Any, message: str) -> None:
    with pytest.raises(np6.InvalidInputError, match=message) as caught:
        client_class(h)("k", headers=headers)
    assert "someone-else" not in str(caught.value)


@pytest.mark.parametrize("transport", [5, "http", object(), httpx.Client()])
def test_a_transport_that_is_not_one_is_refused_when_the_client_is_built(h: Harness, transport: object) -> None:
    with pytest.raises(np6.InvalidInputError, match="transport"):
        client_class(h)("k", transport=transport)


def test_the_async_client_refuses_a_sync_only_transport() -> None:
    with pytest.raises(np6.InvalidInputError, match="AsyncBaseTransport"):
        np6.AsyncClient("k", transport=httpx.HTTPTransport())


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_tls_settings_that_cannot_be_loaded_are_invalid_input(
    h: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, variable: str
) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate")
    monkeypatch.setenv(variable, str(tmp_path / "missing.pem") if variable == "SSL_CERT_FILE" else str(broken))
    monkeypatch.delenv("SSL_CERT_FILE" if variable == "SSL_CERT_DIR" else "SSL_CERT_DIR", raising=False)
    if variable == "SSL_CERT_FILE":
        with pytest.raises(np6.InvalidInputError, match="TLS"):
            client_class(h)("k")
    else:  # httpx reads SSL_CERT_DIR lazily: a directory that is not one is only an error when used
        close(h, client_class(h)("k"))


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"])
def test_environment_proxies_are_never_used_for_a_loopback_base_url(
    h: Harness, monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://proxy.invalid:3128")
    client = client_class(h)("k", base_url=base_url)
    assert http_of(client)._mounts == {}  # the proxies httpx read from the environment
    close(h, client)
    remote = client_class(h)("k")
    assert http_of(remote)._mounts != {}  # the control: a remote base URL reads them
    close(h, remote)


# ------------------------------------------------------------------------------------------------- closing


def test_sync_context_manager_closes_the_http_client() -> None:
    with np6.Client("k") as client:
        http = http_of(client)
        assert not http.is_closed
        assert client.generated.get_httpx_client() is http
    assert http.is_closed


def test_async_context_manager_closes_the_http_client() -> None:
    async def scenario() -> httpx.AsyncClient:
        async with np6.AsyncClient("k") as client:
            http = http_of(client)
            assert isinstance(http, httpx.AsyncClient)
            assert not http.is_closed
            assert client.generated.get_async_httpx_client() is http
        return http

    assert asyncio.run(scenario()).is_closed


def test_close_and_aclose(h: Harness) -> None:
    client = client_class(h)("k")
    close(h, client)
    assert http_of(client).is_closed


def test_context_manager_closes_on_error(h: Harness) -> None:
    opened: list[Any] = []
    if h.is_async:

        async def scenario() -> None:
            async with np6.AsyncClient("k") as client:
                opened.append(client)
                raise KeyError("boom")

        with pytest.raises(KeyError):
            asyncio.run(scenario())
    else:

        def scenario_sync() -> None:
            with np6.Client("k") as client:
                opened.append(client)
                raise KeyError("boom")

        with pytest.raises(KeyError):
            scenario_sync()
    assert http_of(opened[0]).is_closed


# ---------------------------------------------------------------------------------------- connection reuse


def test_one_http_client_serves_every_call_and_view(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    client = h.client(default=resp(200, json_body=mail_action()))
    http = http_of(client)
    used: list[int] = []
    original = http.send

    def spy(request: httpx.Request, **kwargs: Any) -> Any:
        used.append(id(http))
        return original(request, **kwargs)

    monkeypatch.setattr(http, "send", spy)
    h.run(client.actions.get("000ABC"))
    h.run(client.with_options(max_retries=0).actions.get("000ABC"))
    assert used == [id(http)] * 2
    assert http_of(client.with_options(max_wait=1)) is http
    assert h.recorder.count == 2


class _Handler(JSONHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    wbufsize = 1 << 16  # headers and body in one write (no Nagle / delayed-ACK pause between them)
    peers: list[tuple[str, int]]
    keys: list[str | None]

    def do_GET(self) -> None:
        self.peers.append(self.client_address)
        self.keys.append(self.headers.get("x-key"))
        self.reply_json(mail_action("000ABC"))


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"peers": [], "keys": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_calls_reuse_one_tcp_connection(h: Harness, loopback_server: tuple[str, type[_Handler]]) -> None:
    """Over a real socket: three calls (and a with_options view) share one keep-alive connection."""
    base_url, handler = loopback_server
    if h.is_async:

        async def scenario() -> None:
            async with np6.AsyncClient("real-key", base_url=base_url) as client:
                for _ in range(3):
                    await client.actions.get("000ABC")
                await client.with_options(max_retries=0).actions.get("000ABC")

        asyncio.run(scenario())
    else:
        with np6.Client("real-key", base_url=base_url) as client:
            for _ in range(3):
                client.actions.get("000ABC")
            client.with_options(max_retries=0).actions.get("000ABC")
    assert len(handler.peers) == 4
    assert len(set(handler.peers)) == 1
    assert handler.keys == ["real-key"] * 4


# -------------------------------------------------------------------------------------- the generated client


def test_the_generated_client_is_reachable_and_carries_the_key(h: Harness) -> None:
    client = h.client(resp(200, json_body=mail_action("000GEN")))
    assert isinstance(client.generated, AuthenticatedClient)
    if h.is_async:
        answer = h.run(get_action.asyncio_detailed(id="000GEN", client=client.generated))
    else:
        answer = get_action.sync_detailed(id="000GEN", client=client.generated)
    assert answer.status_code == 200
    assert answer.parsed.id == "000GEN"
    (request,) = h.recorder.requests
    assert request.url == "https://api-cm.np6.com/actions/000GEN"
    assert request.headers.get_list("x-key") == [KEY]
    assert request.headers["user-agent"] == USER_AGENT
    assert request.extensions["timeout"]["read"] == 30.0


def test_the_generated_client_shares_the_connections(h: Harness) -> None:
    client = h.client()
    shared = client.generated.get_async_httpx_client() if h.is_async else client.generated.get_httpx_client()
    assert shared is http_of(client)
    assert shared.headers["x-key"] == KEY
