"""What every resource's flows share: running one generated operation through the client's engine, and the checks
of the arguments that identify things (ids, windows) before any request."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import httpx
from np6_generated.types import RequestArgs

from .._core.engine import Call, Flow
from .._core.errors import InvalidInputError
from .._core.limits import Limits
from .._core.retry import OperationKind

if TYPE_CHECKING:
    from .._client import BaseClient
    from .fields import FieldMap

__all__ = [
    "ByIntId",
    "FieldCache",
    "ResourceFlows",
    "check_bool",
    "check_int",
    "check_int_id",
    "check_mapping",
    "check_mapping_list",
    "check_model",
    "check_names",
    "check_optional_text",
    "check_str_id",
    "check_text",
    "datetime_to_millis",
    "expect",
    "expect_list",
    "instant",
    "no_body",
    "millis_to_datetime",
]

# C0 controls, DEL, C1 controls, and the surrogate code points (only a lone one can be in a str).
_UNCARRIABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_INT32_MAX = 2**31 - 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ByIntId(Protocol[T_co]):
    """A generated operation that reads one thing by its integer id (a module of np6_generated.api)."""

    def build_request(self, id: int) -> RequestArgs: ...

    def parse_response(self, response: httpx.Response) -> T_co: ...


class FieldCache:
    """The `FieldMap` a client looked up; shared by the client and its `with_options` views (here, not in
    `fields`, so that a client is built without importing its `fields` resource)."""

    def __init__(self) -> None:
        self.map: FieldMap | None = None


class ResourceFlows:
    """Base of the flows of one resource (`client.targets`, `client.segments`...); the public classes run them."""

    def __init__(self, client: BaseClient[Any, Any]) -> None:
        self._client = client

    @property
    def _limits(self) -> Limits:
        return self._client.limits

    def _call(
        self,
        request: RequestArgs,
        parse: Callable[[httpx.Response], T],
        kind: OperationKind,
        on_attempt: Callable[[bool], None] | None = None,
        *,
        messages: int | None = None,
    ) -> Flow[T]:
        call = Call(request, parse, kind, messages)
        return self._client._engine.call(call, policy=self._client._policy, on_attempt=on_attempt)

    def _by_id(self, operation: ByIntId[T], value: object, what: str) -> Flow[T]:
        """The thing with this integer id (a field, a value list, a segment), checked before any request."""
        return self._read(operation.build_request(id=check_int_id(value, what)), operation.parse_response)

    def _read(self, request: RequestArgs, parse: Callable[[httpx.Response], T]) -> Flow[T]:
        """A request safe to repeat: a read, or a change that leaves the same state when made twice (PUT, DELETE)."""
        return self._call(request, parse, OperationKind.IDEMPOTENT)


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
        if not isinstance(value, list):
            raise ValueError(f"expected a list of {what}, got {type(value).__name__}")
        items = cast("list[object]", value)
        if not all(isinstance(item, kind) for item in items):
            raise ValueError(f"expected a list of {what}, got a list holding something else")
        return cast("list[T]", items)

    return checked


def no_body(response: httpx.Response) -> None:
    """The parser of an answer whose body, if any, says nothing the caller needs (a 204 of a DELETE)."""


def check_text(value: object, what: str) -> str:
    """A non-empty string that a URL or a header can carry: valid Unicode (no lone surrogate, which UTF-8 cannot
    encode) and no control character (a CR/LF could end a header line; none belongs in an id or a value)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    if _UNCARRIABLE.search(value):
        raise InvalidInputError(f"{what} contains a control character or a lone surrogate: {value!r}")
    return value


def check_str_id(value: object, what: str) -> str:
    """A string id that goes into a request path as one segment (NP6 ids look like `000R4M0T`).

    Besides `check_text`, it refuses what would make the path name another resource: `.` and `..` (httpx and
    every server resolve them: `DELETE /actions/..` is `DELETE /`), `/` and `\\`, and their percent-encoded forms
    (a proxy or server that decodes twice would resolve those too).
    """
    text = check_text(value, what)
    decoded = text
    for _ in range(3):  # %252e -> %2e -> .: a value decoded more often than this is refused below anyway
        decoded = urllib.parse.unquote(decoded)
    moves = decoded.strip() in (".", "..") or any(c in decoded for c in "/\\")
    if moves or "%" in decoded or _UNCARRIABLE.search(decoded):
        raise InvalidInputError(f"{what} cannot be used in a request path: {value!r}")
    return text


def check_int_id(value: object, what: str) -> int:
    """An integer id (fields, value lists and segments have int32 ids)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _INT32_MAX:
        raise InvalidInputError(f"{what} must be an integer id, got {value!r}")
    return value


def check_int(value: object, what: str, low: int = 0, high: int = _INT32_MAX) -> int:
    """An integer (not a bool) between `low` and `high`: NP6's integers are int32."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInputError(f"{what} must be an integer from {low} to {high}, got {value!r}")
    return value


def check_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{what} must be True or False, got {value!r}")
    return value


def check_optional_text(value: object, what: str) -> str | None:
    """None, or a string that UTF-8 can encode (a lone surrogate cannot be sent): free text of a JSON body."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, got {type(value).__name__}")
    if _SURROGATE.search(value):
        raise InvalidInputError(f"{what} contains a lone surrogate, which cannot be sent: {value!r}")
    return value


def check_mapping(value: object, what: str) -> dict[str, Any]:
    """A mapping with string keys, copied (its values are checked when the body is encoded: no NaN, no surrogate)."""
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a mapping, got {type(value).__name__}")
    copied = dict(cast("Mapping[object, Any]", value))
    if not all(isinstance(key, str) for key in copied):
        raise InvalidInputError(f"{what} must have string keys, got {list(copied)!r}")
    return cast("dict[str, Any]", copied)


def check_mapping_list(value: object, what: str) -> list[dict[str, Any]]:
    given = type(value).__name__
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{what} must be a list of mappings, got {given}")
    return [check_mapping(item, f"each of {what}") for item in cast("Iterable[object]", value)]


def check_model(value: object, kind: type[T], what: str) -> T:
    """An instance of a generated model (a `RenderContext`, a `ContentOverride`...)."""
    if not isinstance(value, kind):
        raise InvalidInputError(f"{what} must be a {kind.__name__} (np6.models), got {type(value).__name__}")
    return value


def check_names(value: object, what: str, known: Collection[str], *, unknown_means: str = "") -> frozenset[str]:
    """A non-empty collection of names, each one of `known`. A string is refused rather than read as a collection
    of one-letter names; `unknown_means` says why an unknown name is refused when "unknown" alone would not."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{what} must be a collection of names from {sorted(known)}, got {value!r}")
    given = list(cast("Iterable[object]", value))
    if not all(isinstance(name, str) for name in given):
        raise InvalidInputError(f"{what} must contain names as strings, got {value!r}")
    names = frozenset(cast("list[str]", given))
    unknown = sorted(names - set(known))
    if unknown:
        raise InvalidInputError(f"unknown {what} {unknown}{unknown_means}; known: {sorted(known)}")
    if not names:
        raise InvalidInputError(f"{what} must name at least one of {sorted(known)}")
    return names


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
