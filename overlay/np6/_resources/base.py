"""What every resource's flows share: running one generated operation through the client's engine, and the checks
of the arguments that identify things (ids, windows) before any request."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

import httpx
from np6_generated.types import RequestArgs

from .._core.engine import Call, Flow
from .._core.errors import InvalidInputError
from .._core.retry import OperationKind

if TYPE_CHECKING:
    from .._client import AsyncClient, BaseClient, Client

__all__ = [
    "AsyncResource",
    "ResourceFlows",
    "SyncResource",
    "operation",
    "twin_of",
    "check_int_id",
    "check_str_id",
    "datetime_to_millis",
    "expect",
    "expect_list",
    "instant",
    "millis_to_datetime",
]

T = TypeVar("T")
P = ParamSpec("P")

_INT32_MAX = 2**31 - 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ResourceFlows:
    """Base of the flows of one resource (`client.targets`, `client.segments`...); the public classes run them."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def _call(
        self,
        request: RequestArgs,
        parse: Callable[[httpx.Response], T],
        kind: OperationKind,
        on_attempt: Callable[[], None] | None = None,
    ) -> Flow[T]:
        return self._client._engine.call(Call(request, parse, kind), policy=self._client._policy, on_attempt=on_attempt)


class SyncResource:
    """Marks the resource classes of `np6.Client`: their operations run at once."""

    _client: Client


class AsyncResource:
    """Marks the resource classes of `np6.AsyncClient`: their operations are awaited."""

    _client: AsyncClient


class operation(Generic[P, T]):
    """One operation, written once as a flow method: read on a sync resource it is a method that runs the flow,
    on an async resource a coroutine method that awaits it, with the flow's parameters and docstring.

        class TargetsFlows(ResourceFlows):
            def _get(self, target_id: str) -> Flow[Target]:
                \"\"\"The contact `target_id`.\"\"\"
                ...

            get = operation(_get)   # Targets().get(id) -> Target; await AsyncTargets().get(id) -> Target
    """

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self.flow = flow
        self.__doc__ = flow.__doc__
        self.name = flow.__name__.lstrip("_")
        signature = inspect.signature(flow)
        self.__signature__ = signature.replace(
            parameters=list(signature.parameters.values())[1:], return_annotation=_flow_result(signature)
        )

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, resource: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, resource: SyncResource, owner: type | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(self, resource: AsyncResource, owner: type | None = None) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, resource: object, owner: type | None = None) -> Any:
        if resource is None:
            return self
        flow = self.flow
        method: Any
        if isinstance(resource, AsyncResource):
            client = resource._client

            async def method(*args: Any, **kwargs: Any) -> Any:
                return await client._run(flow(resource, *args, **kwargs))
        elif isinstance(resource, SyncResource):
            sync_client = resource._client

            def method(*args: Any, **kwargs: Any) -> Any:
                return sync_client._run(flow(resource, *args, **kwargs))
        else:
            raise TypeError(f"{self.name} is an operation of the public resource classes, not of {owner}")
        functools.update_wrapper(method, flow)
        method.__name__ = method.__qualname__ = self.name
        method.__signature__ = self.__signature__
        # Cached on the instance (this is a non-data descriptor): the next lookup is a plain attribute read.
        vars(resource)[self.name] = method
        return method


F = TypeVar("F", bound=Callable[..., Any])


def twin_of(sync_method: Callable[..., Any], differs: str = "") -> Callable[[F], F]:
    """For the few methods each client writes for itself (they differ in how they wait): the async one carries
    the sync one's docstring, plus what `differs`."""

    def document(method: F) -> F:
        method.__doc__ = (sync_method.__doc__ or "") + (f"\n\n        {differs}" if differs else "")
        return method

    return document


def _flow_result(signature: inspect.Signature) -> Any:
    """`Flow[X]` -> `X`, for the signature users see (annotations are strings under `from __future__`)."""
    annotation = signature.return_annotation
    if isinstance(annotation, str) and annotation.startswith("Flow[") and annotation.endswith("]"):
        return annotation[len("Flow[") : -1]
    return annotation


def expect(parse: Callable[[httpx.Response], object], kind: type[T], what: str) -> Callable[[httpx.Response], T]:
    """`parse`, checked to give a `kind`: for the generated parsers that only cast a JSON value (a number, a
    string) to the spec's type, so that a hostile answer cannot pass for one."""

    def checked(response: httpx.Response) -> T:
        value = parse(response)
        if not isinstance(value, kind):
            raise ValueError(f"expected {what}, got {type(value).__name__}")
        return value

    return checked


def expect_list(
    parse: Callable[[httpx.Response], object], kind: type[T], what: str
) -> Callable[[httpx.Response], list[T]]:
    """`expect` for a list of `kind`."""

    def checked(response: httpx.Response) -> list[T]:
        value = parse(response)
        if not isinstance(value, list) or not all(isinstance(item, kind) for item in value):
            raise ValueError(f"expected a list of {what}, got {type(value).__name__}")
        return value

    return checked


def check_str_id(value: object, what: str) -> str:
    """A non-empty string id (NP6 contact ids look like `000R4M0T`)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    return value


def check_int_id(value: object, what: str) -> int:
    """An integer id (fields, value lists and segments have int32 ids)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _INT32_MAX:
        raise InvalidInputError(f"{what} must be an integer id, got {value!r}")
    return value


def instant(value: object, what: str) -> dt.datetime:
    """A datetime (naive means UTC) or a Unix timestamp in seconds or milliseconds, as an aware datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # NP6's event timestamps are milliseconds; a value this large cannot be seconds (year 5138).
        seconds = value / 1000 if abs(value) > 10**11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidInputError(f"{what} is not a usable timestamp: {value!r}") from exc
    raise InvalidInputError(f"{what} must be a datetime or a Unix timestamp, got {type(value).__name__}")


def datetime_to_millis(value: dt.datetime) -> int:
    """Exact milliseconds since the epoch (no float rounding)."""
    return (value - _EPOCH) // dt.timedelta(milliseconds=1)


def millis_to_datetime(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=value)
