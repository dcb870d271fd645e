"""How one definition becomes a method of both clients.

A resource's operations are written once, as flow methods of its `ResourceFlows` subclass; the descriptors here
make each of them a method of the sync resource class (it runs the flow) and a coroutine method of the async one
(it awaits it), with the flow's parameters and docstring:

    class TargetsFlows(ResourceFlows):
        def _get(self, target_id: str) -> Flow[Target]:
            \"\"\"The contact `target_id`.\"\"\"
            ...

        get = operation(_get)   # client.targets.get(id) -> Target; await async_client.targets.get(id) -> Target

`iteration` does the same for a read made of pages (a `for` loop on one client, `async for` on the other).
What the two clients still write each for themselves is only what differs in how they wait: send_many's batch loop.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from .._core.engine import Flow

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["AsyncResource", "Pages", "SyncResource", "iteration", "operation", "twin_of"]

T = TypeVar("T")
P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])


class SyncResource:
    """Marks the resource classes of `np6.Client`: their operations run at once."""

    _client: Client


class AsyncResource:
    """Marks the resource classes of `np6.AsyncClient`: their operations are awaited."""

    _client: AsyncClient


class Pages(Protocol[T]):
    """A read made of pages, without I/O: the flow of the next page (None when there is none), and what of the
    page it answered to yield."""

    def next_page(self) -> Flow[list[T]] | None: ...

    def take(self, page: list[T]) -> list[T]: ...


class _Definition:
    """What both descriptors share: the public name, the signature users see, the docstring, and the binding of
    one resource (cached on it: this is a non-data descriptor, so the next lookup is a plain attribute read)."""

    sync_result: Callable[[str], str]
    async_result: Callable[[str], str]

    def __init__(self, definition: Callable[..., Any]) -> None:
        self.definition = definition
        self.__doc__ = definition.__doc__
        self.name = definition.__name__.lstrip("_")
        signature = inspect.signature(definition)
        self._signature = signature.replace(parameters=list(signature.parameters.values())[1:])

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def signature(self, result: Callable[[str], str]) -> inspect.Signature:
        annotation = self._signature.return_annotation
        if isinstance(annotation, str):  # annotations are strings under `from __future__ import annotations`
            annotation = result(annotation)
        return self._signature.replace(return_annotation=annotation)

    def bind(self, resource: object, owner: type | None) -> Any:
        if resource is None:
            return self
        if isinstance(resource, AsyncResource):
            method, result = self.bind_async(resource), self.async_result
        elif isinstance(resource, SyncResource):
            method, result = self.bind_sync(resource), self.sync_result
        else:
            raise TypeError(f"{self.name} belongs to the public resource classes, not to {owner}")
        functools.update_wrapper(method, self.definition)
        method.__name__ = method.__qualname__ = self.name
        method.__signature__ = self.signature(result)
        vars(resource)[self.name] = method
        return method

    def bind_sync(self, resource: SyncResource) -> Any:
        raise NotImplementedError

    def bind_async(self, resource: AsyncResource) -> Any:
        raise NotImplementedError


def _unwrap(prefix: str, replacement: str) -> Callable[[str], str]:
    def result(annotation: str) -> str:
        if annotation.startswith(f"{prefix}[") and annotation.endswith("]"):
            return f"{replacement}{annotation[len(prefix) :]}" if replacement else annotation[len(prefix) + 1 : -1]
        return annotation

    return result


class operation(_Definition, Generic[P, T]):
    """One operation: a flow method, run by the sync client and awaited on the async one."""

    sync_result = async_result = staticmethod(_unwrap("Flow", ""))

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, resource: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, resource: SyncResource, owner: type | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(self, resource: AsyncResource, owner: type | None = None) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, resource: object, owner: type | None = None) -> Any:
        return self.bind(resource, owner)

    def bind_sync(self, resource: SyncResource) -> Any:
        client, flow = resource._client, self.definition

        def method(*args: Any, **kwargs: Any) -> Any:
            return client._run(flow(resource, *args, **kwargs))

        return method

    def bind_async(self, resource: AsyncResource) -> Any:
        client, flow = resource._client, self.definition

        async def method(*args: Any, **kwargs: Any) -> Any:
            return await client._run(flow(resource, *args, **kwargs))

        return method


class iteration(_Definition, Generic[P, T]):
    """A read made of pages: the method checks its arguments and returns `Pages`; the sync client iterates it
    with `for`, the async one with `async for`. Requests start with the iteration."""

    sync_result = staticmethod(_unwrap("Pages", "Iterator"))
    async_result = staticmethod(_unwrap("Pages", "AsyncIterator"))

    def __init__(self, start: Callable[Concatenate[Any, P], Pages[T]]) -> None:
        super().__init__(start)

    @overload
    def __get__(self, resource: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, resource: SyncResource, owner: type | None = None) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(self, resource: AsyncResource, owner: type | None = None) -> Callable[P, AsyncIterator[T]]: ...
    def __get__(self, resource: object, owner: type | None = None) -> Any:
        return self.bind(resource, owner)

    def bind_sync(self, resource: SyncResource) -> Any:
        client, start = resource._client, self.definition

        def walk(pages: Pages[Any]) -> Iterator[Any]:
            while (page := pages.next_page()) is not None:
                yield from pages.take(client._run(page))

        def method(*args: Any, **kwargs: Any) -> Any:
            return walk(start(resource, *args, **kwargs))

        return method

    def bind_async(self, resource: AsyncResource) -> Any:
        client, start = resource._client, self.definition

        async def walk(pages: Pages[Any]) -> AsyncIterator[Any]:
            while (page := pages.next_page()) is not None:
                for item in pages.take(await client._run(page)):
                    yield item

        def method(*args: Any, **kwargs: Any) -> Any:
            return walk(start(resource, *args, **kwargs))

        return method


def twin_of(sync_method: Callable[..., Any], differs: str = "") -> Callable[[F], F]:
    """For the methods each client writes for itself (they differ in how they wait): the async one carries the
    sync one's docstring, plus what `differs`."""

    def document(method: F) -> F:
        method.__doc__ = (sync_method.__doc__ or "") + (f"\n\n        {differs}" if differs else "")
        return method

    return document
