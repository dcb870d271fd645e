"""Ids go into request paths: every path parameter of every operation refuses `.`, `..`, slashes and their
percent-encoded forms before any request (httpx, and every server, would resolve them: `DELETE /actions/..` is
`DELETE /`), and the engine refuses any request whose path httpx would change, whatever built it."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import httpx
import np6
import pytest
from np6._core.engine import Call
from np6._core.retry import OperationKind
from np6_generated.api.actions import delete_action
from np6_generated.api.targets import delete_target

from tests.test_fuzz_public_api import VALID, Wire

TRAVERSALS = [
    ".",
    "..",
    " .. ",
    "a/../b",
    "../targets",
    "a/b",
    "a\\b",
    "%2e",
    "%2e%2e",
    "%2E%2E",
    ".%2e",
    "%2e.",
    "%252e%252e",
    "a%2fb",
    "a%2Fb",
    "a%5cb",
    "%00",
]
PATH_PARAMETERS = ("action_id", "target_id")


def _path_methods(client: np6.Client) -> list[tuple[str, Any, str]]:
    found = []
    for resource_name in ("actions", "targets", "events"):
        resource = getattr(client, resource_name)
        for name in sorted(n for n in dir(type(resource)) if not n.startswith("_")):
            method = getattr(resource, name)
            for parameter in inspect.signature(method).parameters:
                if parameter in PATH_PARAMETERS:
                    found.append((f"{resource_name}.{name}", method, parameter))
    return found


def _call(method: Any, parameter: str, value: str) -> Any:
    arguments = {}
    for each in inspect.signature(method).parameters.values():
        if each.name == parameter:
            arguments[each.name] = value
        elif each.default is inspect.Parameter.empty and each.kind is not each.VAR_KEYWORD:
            arguments[each.name] = VALID[each.name]()
    result = method(**arguments)
    return list(result) if hasattr(result, "__next__") else result


def test_every_path_parameter_refuses_every_traversal_before_any_request() -> None:
    wire = Wire()
    with np6.Client("k-traversal-0123", transport=httpx.MockTransport(wire), max_retries=0) as client:
        methods = _path_methods(client)
        assert len(methods) >= 23  # every action operation, the contact ones, the event feeds
        for label, method, parameter in methods:
            for value in TRAVERSALS:
                with pytest.raises(np6.InvalidInputError, match=r"path|control") as caught:
                    _call(method, parameter, value)
                assert parameter.replace("_id", "") in str(caught.value) or "id" in str(caught.value), label
    assert wire.requests == []


def test_the_events_feed_of_one_action_cannot_become_the_whole_accounts() -> None:
    wire = Wire()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with np6.Client("k-traversal-0123", transport=httpx.MockTransport(wire)) as client:
        for value in (".", "..", "%2e"):
            with pytest.raises(np6.InvalidInputError):
                list(client.events.iter(start, start + dt.timedelta(hours=1), action_id=value))
    assert wire.requests == []


@pytest.mark.parametrize(
    ("request_args", "became"),
    [(delete_action.build_request(id=".."), "/"), (delete_target.build_request(id="."), "/targets")],
)
def test_the_engine_refuses_a_request_whose_path_httpx_would_resolve(request_args: Any, became: str) -> None:
    wire = Wire()
    with np6.Client("k-traversal-0123", transport=httpx.MockTransport(wire)) as client:
        flow = client._engine.call(Call(request_args, lambda r: None, OperationKind.WRITE))
        with pytest.raises(np6.InvalidInputError, match=f"became '{became}'"):
            client._run(flow)
    assert wire.requests == []


def test_ids_that_only_look_odd_still_go_out_quoted_into_one_segment() -> None:
    wire = Wire()
    with np6.Client("k-traversal-0123", transport=httpx.MockTransport(wire), max_retries=0) as client:
        for value in ("a.b", "...", "a..b", "000 ABC", "a?b#c"):
            with pytest.raises(np6.NotFoundError):
                client.targets.get(value)
    assert [r.url.raw_path for r in wire.requests] == [
        b"/targets/a.b",
        b"/targets/...",
        b"/targets/a..b",
        b"/targets/000%20ABC",
        b"/targets/a%3Fb%23c",
    ]
