"""How one definition becomes a method of both clients.

A resource's operations are written once, as flow methods of its `ResourceFlows` subclass, and declared with
`operation` (or `iteration`, for a read made of pages):

    class TargetsFlows(ResourceFlows):
        def _get(self, target_id: str) -> Flow[Target]:
            \"\"\"The contact `target_id`.\"\"\"
            ...

        get = operation(_get)   # client.targets.get(id) -> Target; await async_client.targets.get(id) -> Target

Each public resource class (a `SyncResource` or an `AsyncResource`) then gets, when it is defined, a real method
per operation, generated with the flow's own parameters, defaults and docstring: a function on the sync class,
a coroutine function on the async one. So they behave as methods written by hand would: arguments are checked
when the method is called, `Actions.get` is a function (for `inspect`, `mock.create_autospec`, unbound calls),
and the flow type never shows. What the two clients still write each for themselves is only what differs in how
they wait: send_many's batch loop.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from .._core.engine import Flow
from .._core.options import NOT_GIVEN, CallOptions, per_call

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["AsyncResource", "Pages", "SyncResource", "iteration", "operation", "twin_of"]

T = TypeVar("T")
P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])


class Pages(Protocol[T]):
    """A read made of pages, without I/O: the flow of the next page (None when there is none), and what of the
    page it answered to yield."""

    def next_page(self) -> Flow[list[T]] | None: ...

    def take(self, page: list[T]) -> list[T]: ...


class _Definition:
    """What both declarations share: the flow method, and how to write the public method of each client."""

    # The public method's body, per client: `{call}` is the definition called with the method's arguments.
    sync_body = async_body = ""
    sync_result: Callable[[str], str]
    async_result: Callable[[str], str]

    def __init__(self, definition: Callable[..., Any]) -> None:
        self.definition = definition
        self.__doc__ = definition.__doc__

    if not TYPE_CHECKING:  # type checkers see each declaration's own overloads: what the generated methods are

        def __get__(self, resource, owner=None):
            if resource is None:
                return self
            raise TypeError(f"{type(resource).__name__} is not a public resource class (SyncResource, AsyncResource)")

    def method(self, owner: type, name: str, asynchronous: bool) -> Any:
        """The public method `owner.name`, generated with the definition's parameters (the way attrs writes
        `__init__`), so that it binds its arguments itself, like a method written by hand."""
        signature = inspect.signature(self.definition)
        namespace: dict[str, Any] = {
            "_definition": self.definition,
            "_pages": _walk_async if asynchronous else _walk,
            "_options": per_call,
            "_not_given": NOT_GIVEN,
        }
        parameters, arguments = ["self"], ["self"]
        keyword_only = False
        *named, last = list(signature.parameters.values())[1:]
        if last.kind is not last.VAR_KEYWORD or last.name != "options":
            raise TypeError(f"{name}: an operation ends with **options: Unpack[RequestOptions] (the per-call options)")
        for parameter in named:
            if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                raise TypeError(f"{name}: an operation takes named parameters only, not {parameter}")
            text = parameter.name
            if parameter.default is not parameter.empty:
                namespace[f"_default_{parameter.name}"] = parameter.default
                text += f"=_default_{parameter.name}"
            if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
                parameters.append("*")
                keyword_only = True
            parameters.append(text)
            arguments.append(f"{parameter.name}={parameter.name}" if keyword_only else parameter.name)
        # The per-call options as named keyword parameters, so that Python itself refuses a misspelt one when the
        # method is called (an async method's body runs only when awaited).
        parameters.extend([*([] if keyword_only else ["*"]), "timeout=_not_given", "extra_headers=None"])
        body = (self.async_body if asynchronous else self.sync_body).format(
            call=f"_definition({', '.join(arguments)})", options="_options(timeout, extra_headers)"
        )
        prefix = "async " if asynchronous and body.startswith("return await") else ""
        exec(f"{prefix}def {name}({', '.join(parameters)}):\n    {body}\n", namespace)
        method: Any = namespace[name]
        method.__doc__ = self.definition.__doc__
        method.__module__ = owner.__module__
        method.__qualname__ = f"{owner.__qualname__}.{name}"
        result = self.async_result if asynchronous else self.sync_result
        annotation = signature.return_annotation
        method.__signature__ = signature.replace(
            parameters=[*signature.parameters.values()][:-1] + _OPTION_PARAMETERS,
            return_annotation=result(annotation) if isinstance(annotation, str) else annotation,
        )
        return method


# What `**options: Unpack[RequestOptions]` stands for, in the signature users see.
_OPTION_PARAMETERS = [
    inspect.Parameter(
        "timeout", inspect.Parameter.KEYWORD_ONLY, default=NOT_GIVEN, annotation="float | Timeout | None"
    ),
    inspect.Parameter(
        "extra_headers", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="Mapping[str, str] | None"
    ),
]


class _Resource:
    """What the two public resource bases share: their operations become methods when the class is defined."""

    _asynchronous = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, _Definition) and not callable(vars(cls).get(name)):
                    setattr(cls, name, value.method(cls, name, cls._asynchronous))


class SyncResource(_Resource):
    """Marks the resource classes of `np6.Client`: their operations run at once."""

    _client: Client


class AsyncResource(_Resource):
    """Marks the resource classes of `np6.AsyncClient`: their operations are awaited."""

    _client: AsyncClient
    _asynchronous = True


def _unwrap(prefix: str, replacement: str) -> Callable[[str], str]:
    """`Prefix[X]` -> `X` (or `Replacement[X]`), for the signature users see (annotations are strings here)."""

    def result(annotation: str) -> str:
        if annotation.startswith(f"{prefix}[") and annotation.endswith("]"):
            return f"{replacement}{annotation[len(prefix) :]}" if replacement else annotation[len(prefix) + 1 : -1]
        return annotation

    return result


class operation(_Definition, Generic[P, T]):
    """One operation: a flow method, run by the sync client and awaited on the async one."""

    sync_body = "return self._client._run({call}, {options})"
    async_body = "return await self._client._run({call}, {options})"
    sync_result = async_result = staticmethod(_unwrap("Flow", ""))

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        super().__init__(flow)

    if TYPE_CHECKING:  # what the generated methods are, for type checkers

        @overload
        def __get__(self, resource: None, owner: type | None = None) -> Self: ...
        @overload
        def __get__(self, resource: SyncResource, owner: type | None = None) -> Callable[P, T]: ...
        @overload
        def __get__(
            self, resource: AsyncResource, owner: type | None = None
        ) -> Callable[P, Coroutine[Any, Any, T]]: ...
        def __get__(self, resource: object, owner: type | None = None) -> Any: ...


class iteration(_Definition, Generic[P, T]):
    """A read made of pages: the method checks its arguments and returns `Pages`; the sync client iterates it
    with `for`, the async one with `async for`. Requests start with the iteration."""

    sync_body = async_body = "return _pages(self._client, {call}, {options})"
    sync_result = staticmethod(_unwrap("Pages", "Iterator"))
    async_result = staticmethod(_unwrap("Pages", "AsyncIterator"))

    def __init__(self, start: Callable[Concatenate[Any, P], Pages[T]]) -> None:
        super().__init__(start)

    if TYPE_CHECKING:

        @overload
        def __get__(self, resource: None, owner: type | None = None) -> Self: ...
        @overload
        def __get__(self, resource: SyncResource, owner: type | None = None) -> Callable[P, Iterator[T]]: ...
        @overload
        def __get__(self, resource: AsyncResource, owner: type | None = None) -> Callable[P, AsyncIterator[T]]: ...
        def __get__(self, resource: object, owner: type | None = None) -> Any: ...


def _walk(client: Client, pages: Pages[T], options: CallOptions | None) -> Iterator[T]:
    while (page := pages.next_page()) is not None:
        yield from pages.take(client._run(page, options))


async def _walk_async(client: AsyncClient, pages: Pages[T], options: CallOptions | None) -> AsyncIterator[T]:
    while (page := pages.next_page()) is not None:
        for item in pages.take(await client._run(page, options)):
            yield item


def twin_of(sync_method: Callable[..., Any], differs: str = "") -> Callable[[F], F]:
    """For the methods each client writes for itself (they differ in how they wait): the async one carries the
    sync one's docstring, plus what `differs`."""

    def document(method: F) -> F:
        method.__doc__ = (sync_method.__doc__ or "") + (f"\n\n        {differs}" if differs else "")
        return method

    return document
