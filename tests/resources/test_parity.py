"""Every resource of `np6.Client` has its twin on `np6.AsyncClient`: the same methods, signatures and docstrings.

Operations written once as flows (`np6._resources.base.operation`) are twins by construction; this guards that
construction and the few methods written for each client (send_many, reconcile, the event iterator, the field
map helpers), whose async form may only add what asynchrony needs."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx
import np6
import pytest

RESOURCES = ("actions", "targets", "fields", "segments", "events")
# What an async twin may add or widen, and nothing else.
ASYNC_ONLY_PARAMETERS = {("actions", "send_many"): {"concurrency"}}
WIDENED = {
    ("actions", "send_many", "messages"): "Iterable[MessageLike] | AsyncIterable[MessageLike]",
    ("events", "iter", "return"): "AsyncIterator[Event]",
}


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("no request is made here")


def _public(resource: object) -> dict[str, Callable[..., Any]]:
    return {name: getattr(resource, name) for name in dir(type(resource)) if not name.startswith("_")}


@pytest.fixture(scope="module")
def clients() -> tuple[np6.Client, np6.AsyncClient]:
    return (
        np6.Client("key", transport=httpx.MockTransport(_never)),
        np6.AsyncClient("key", transport=httpx.MockTransport(_never)),
    )


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_sync_method_has_an_async_twin_with_its_signature_and_docstring(
    resource: str, clients: tuple[np6.Client, np6.AsyncClient]
) -> None:
    sync, async_ = (_public(getattr(client, resource)) for client in clients)
    assert set(sync) == set(async_)
    assert sync, resource
    for name, method in sync.items():
        twin = async_[name]
        assert inspect.getdoc(method), f"{resource}.{name} has no docstring"
        assert (inspect.getdoc(twin) or "").startswith(inspect.getdoc(method) or ""), f"{resource}.{name}"
        assert not inspect.iscoroutinefunction(method), name
        if name != "iter":  # an async iterator is returned, not awaited
            assert inspect.iscoroutinefunction(twin), f"{resource}.{name} is not a coroutine function"
        expected, actual = inspect.signature(method), inspect.signature(twin)
        extra = ASYNC_ONLY_PARAMETERS.get((resource, name), set())
        assert [p for p in actual.parameters if p not in extra] == list(expected.parameters), f"{resource}.{name}"
        for param in expected.parameters.values():
            other = actual.parameters[param.name]
            annotation = WIDENED.get((resource, name, param.name), param.annotation)
            assert (other.kind, other.default, other.annotation) == (param.kind, param.default, annotation), (
                f"{resource}.{name}({param.name})"
            )
        returned = WIDENED.get((resource, name, "return"), expected.return_annotation)
        assert actual.return_annotation == returned, f"{resource}.{name} returns {actual.return_annotation}"


def test_an_operation_is_a_method_of_its_class_with_the_flow_signature(
    clients: tuple[np6.Client, np6.AsyncClient],
) -> None:
    sync, async_ = clients
    options = "*, timeout: 'float | Timeout | None' = NOT_GIVEN, extra_headers: 'Mapping[str, str] | None' = None"
    assert str(inspect.signature(sync.targets.get)) == f"(target_id: 'str', {options}) -> 'Target'"
    # On the class, a plain function (for inspect, unbound calls, mock.create_autospec), as if written by hand.
    sync_get, async_get = type(sync.targets).get, type(async_.targets).get
    assert inspect.isfunction(sync_get)
    assert not inspect.iscoroutinefunction(sync_get)
    assert inspect.iscoroutinefunction(async_get)
    assert str(inspect.signature(sync_get)) == f"(self, target_id: 'str', {options}) -> 'Target'"
    assert sync_get.__qualname__ == "Targets.get"
    assert sync_get.__doc__ == async_get.__doc__
    assert sync_get.__doc__


def test_the_async_client_checks_the_arguments_when_the_method_is_called(
    clients: tuple[np6.Client, np6.AsyncClient],
) -> None:
    _, async_ = clients
    with pytest.raises(TypeError, match=r"^AsyncTargets\.get\(\) missing 1 required positional argument: 'target_id'"):
        async_.targets.get()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        async_.segments.create("name", nope=1)  # type: ignore[call-arg]
