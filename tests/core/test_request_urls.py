"""The absolute URL of each request: the same whether it was merged with the base for this request or taken from
the engine's cache of merged URLs, with a base that has a path, with a query, and past the cache's bound."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import np6
import pytest
from np6._core.engine import Engine

from tests.harness import mail_action


def _client(base_url: str, seen: list[httpx.Request]) -> np6.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/executions"):
            count = len(json.loads(request.content))
            return httpx.Response(200, json=[{"type": "success", "id": f"M{i}"} for i in range(count)])
        if request.url.path.endswith("/actions"):
            return httpx.Response(200, json=[])
        return httpx.Response(200, json=mail_action(request.url.path.rsplit("/", 1)[-1], state=50))

    return np6.Client("key", base_url=base_url, transport=httpx.MockTransport(answer), max_retries=0)


@pytest.mark.parametrize("base_url", ["https://api-cm.np6.com", "http://127.0.0.1:8600/np6/v8/"])
def test_repeated_requests_go_to_the_url_httpx_merges_for_them(base_url: str) -> None:
    seen: list[httpx.Request] = []
    with _client(base_url, seen) as client, httpx.Client(base_url=base_url) as reference:
        for _ in range(3):
            client.actions.send_many("000ABC", [f"u{i}@example.com" for i in range(5)], batch_size=2)
            client.actions.get("000ABC")
        client.actions.list(created_after=datetime(2026, 12, 1, tzinfo=UTC))
        client.actions.list(created_after=datetime(2026, 12, 2, tzinfo=UTC))
        base_path = reference.base_url.raw_path.decode()
        relative = ["/" + r.url.raw_path.decode().removeprefix(base_path) for r in seen]
        expected = [str(reference.build_request(r.method, path).url) for r, path in zip(seen, relative, strict=True)]
    assert all(r.url.raw_path.decode().startswith(base_path) for r in seen)
    assert [str(r.url) for r in seen] == expected
    sends = [r for r in seen if r.method == "POST"]
    assert len(sends) == 9
    assert len({str(r.url) for r in sends}) == 1
    queries = [r.url.params["creation_start"] for r in seen if r.url.path.endswith("/actions")]
    assert [q[:10] for q in queries] == ["2026-12-01", "2026-12-02"]  # a query is never cached


def test_past_its_bound_the_cache_starts_again_and_every_url_stays_right() -> None:
    seen: list[httpx.Request] = []
    with _client("https://api-cm.np6.com", seen) as client:
        ids = [f"{i:06X}" for i in range(300)]
        for action_id in ids + ids[:5]:
            client.actions.get(action_id)
        urls = client._engine._urls  # pyright: ignore[reportPrivateUsage]
        assert 0 < len(urls) <= 256
    assert [r.url.path for r in seen] == [f"/actions/{action_id}" for action_id in ids + ids[:5]]
    assert {r.url.host for r in seen} == {"api-cm.np6.com"}


def test_a_query_written_in_the_path_is_never_taken_from_the_cache() -> None:
    engine = Engine(httpx.Client(base_url="https://api-cm.np6.com").build_request, np6.RetryPolicy())
    build = engine._build_request  # pyright: ignore[reportPrivateUsage]
    with_params = build("/actions/1?a=b", {"method": "GET", "url": "/actions/1?a=b", "params": {}})
    without = build("/actions/1?a=b", {"method": "GET", "url": "/actions/1?a=b"})
    assert (str(with_params.url), str(without.url)) == (
        "https://api-cm.np6.com/actions/1",  # httpx drops the path's query when given params
        "https://api-cm.np6.com/actions/1?a=b",
    )
    assert engine._urls == {}  # pyright: ignore[reportPrivateUsage]
