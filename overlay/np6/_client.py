"""`np6.Client` and `np6.AsyncClient`: configuration, connection reuse, and the resources."""

from __future__ import annotations

import copy
import functools
import importlib
import ipaddress
import os
import platform
import ssl
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, TypeVar, cast, overload

import httpx
from np6_generated.client import AuthenticatedClient

from ._content.channel import Channel
from ._core.compat import remember_missing_sniffio
from ._core.engine import Engine, Flow, run_async, run_sync
from ._core.errors import InvalidInputError
from ._core.limits import DEFAULT_LIMITS, Limits
from ._core.logs import REDACTED, configure_from_env, register_secret
from ._core.options import CallOptions, check_headers, check_timeout
from ._core.response import APIResponse, async_with_response, with_response
from ._core.retry import RetryPolicy, WriteWatch
from ._core.through import AsyncThroughClient, ThroughClient
from ._resources.base import FieldCache, ResourceFlows
from ._version import __version__

if TYPE_CHECKING:
    from ._resources.actions import Actions, AsyncActions
    from ._resources.events import AsyncEvents, Events
    from ._resources.fields import AsyncFields, Fields
    from ._resources.segments import AsyncSegments, Segments
    from ._resources.targets import AsyncTargets, Targets

__all__ = [
    "BaseClient",
    "Client",
    "AsyncClient",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_KEEPALIVE_EXPIRY",
]

DEFAULT_BASE_URL = "https://api-cm.np6.com"
# The generated client has no timeout at all; NP6 answers sends of 500 messages within seconds.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
API_KEY_ENV = "NP6_API_KEY"
BASE_URL_ENV = "NP6_BASE_URL"
USER_AGENT = f"np6-cm/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
# Servers close the kept-alive connections they find idle: gunicorn after 2 s, uvicorn and Apache after 5 s, AWS
# ALB after 60 s, nginx after 75 s. A request written to a connection just as the server closes it is lost, and a
# send lost that way is an unknown outcome (nothing tells it from an answer lost after NP6 processed it). httpx
# reuses a connection idle for up to 5 s, the very timeout of many servers; this client reuses only connections
# idle for less than 1 s, well below the shortest of those, and opens a new one after a longer pause.
DEFAULT_KEEPALIVE_EXPIRY = 1.0
# httpx's own limits, but the idle time.
_MAX_CONNECTIONS = 100
_MAX_KEEPALIVE_CONNECTIONS = 20

T = TypeVar("T")
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)
HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)
P = ParamSpec("P")


class _ApiKey:
    """Holds the key so that no repr, str or traceback of ours shows it.

    The raw value is wrapped before anything is checked: a traceback formatted with its frames' locals
    (`capture_locals=True`) then shows `[redacted]`, not the key, whatever goes wrong during construction.
    """

    __slots__ = ("_handle", "_value")

    def __init__(self, value: object) -> None:
        self._value = value.strip() if isinstance(value, str) else value
        self._handle = register_secret(self._value) if isinstance(self._value, str) and self._value else None

    def check(self) -> None:
        if self._value is None:
            raise InvalidInputError(f"no NP6 API key: pass api_key=... or set the {API_KEY_ENV} environment variable")
        if not isinstance(self._value, str):
            raise InvalidInputError(f"the NP6 API key must be a string, got {type(self._value).__name__}")
        if not self._value:
            raise InvalidInputError("the NP6 API key is empty")
        # Only visible ASCII can travel in a header; anything else would make httpx quote the key in its error.
        if not all(" " < character < "\x7f" for character in self._value):
            raise InvalidInputError("the NP6 API key contains a space, a control or a non-ASCII character")

    def reveal(self) -> str:
        if not isinstance(self._value, str):
            raise InvalidInputError("the NP6 API key must be a string")
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__


def _hide_key(api_key: object) -> _ApiKey:
    """The key given, else NP6_API_KEY, wrapped at once (nothing here can raise while the raw value is a local)."""
    return _ApiKey(os.environ.get(API_KEY_ENV) if api_key is None else api_key)


def _base_url(given: str | None) -> httpx.URL:
    """The argument, else NP6_BASE_URL (what `np6 sandbox` prints to export), else NP6's production host."""
    if given is not None:
        return _check_base_url(given, "base_url")
    from_environment = os.environ.get(BASE_URL_ENV, "").strip()
    if from_environment:
        return _check_base_url(from_environment, f"the {BASE_URL_ENV} environment variable")
    return httpx.URL(DEFAULT_BASE_URL)


def _check_base_url(base_url: str, source: str) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except (TypeError, httpx.InvalidURL) as exc:
        raise InvalidInputError(f"invalid base URL {base_url!r} (from {source}): {exc}") from exc
    if url.scheme == "https" and url.host:
        return url
    if url.scheme == "http" and _is_loopback(url.host):
        return url
    raise InvalidInputError(
        f"the base URL must use https (plain http is only allowed on loopback, for the sandbox): {base_url!r}"
        f" (from {source})"
    )


def _is_loopback(host: str) -> bool:
    # Only `localhost` itself: RFC 6761 reserves `*.localhost` for loopback, but common resolvers send such
    # names to DNS, and a plain-http request would carry the key to whoever answers.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _pool_options(transport: object, keepalive_expiry: object) -> dict[str, Any]:
    """The httpx client arguments that set up its connections: the caller's transport as given, or a pool of our
    own whose idle connections are reused for `keepalive_expiry` seconds at most."""
    if (
        not isinstance(keepalive_expiry, (int, float))
        or isinstance(keepalive_expiry, bool)
        or not 0 <= keepalive_expiry < float("inf")
    ):
        raise InvalidInputError(f"keepalive_expiry must be a number of seconds >= 0, got {keepalive_expiry!r}")
    if transport is not None:
        if keepalive_expiry != DEFAULT_KEEPALIVE_EXPIRY:
            raise InvalidInputError(
                "keepalive_expiry applies to the client's own connection pool, not to a transport you pass: set it"
                " on your transport (httpx.HTTPTransport(limits=httpx.Limits(keepalive_expiry=...)))"
            )
        return {"transport": transport}
    limits = httpx.Limits(
        max_connections=_MAX_CONNECTIONS,
        max_keepalive_connections=_MAX_KEEPALIVE_CONNECTIONS,
        keepalive_expiry=float(keepalive_expiry),
    )
    return {"limits": limits}


def _environment_proxies() -> bool:
    import urllib.request  # what httpx reads too; imported only when a client is built

    return any(scheme in urllib.request.getproxies() for scheme in ("http", "https", "all"))


def _check_transport(pool: Mapping[str, object], kind: type, client: str) -> None:
    transport = pool.get("transport")
    if transport is not None and not isinstance(transport, kind):
        raise InvalidInputError(f"{client} needs an httpx.{kind.__name__} as transport, got {type(transport).__name__}")


R = TypeVar("R", bound=ResourceFlows)


class Resource(Generic[R]):
    """`client.actions` and its siblings: built on first use, once per client (a client costs only what it uses).

    The resource's class is imported on first use too (`kind`, from `np6._resources.<module>`): a client that only
    sends never loads the other resources, their generated operations or their models.
    On the class, the resource's class itself, so that `help(np6.Client.actions)` and
    `help(np6.Client.actions.send)` document what `client.actions` and `client.actions.send` are.
    """

    def __init__(self, module: str, kind: str) -> None:
        self._module = module
        self._kind = kind
        self.name: str = ""

    @functools.cached_property
    def kind(self) -> type[R]:
        kind: type[R] = getattr(importlib.import_module(f"._resources.{self._module}", __package__), self._kind)
        self.__doc__ = kind.__doc__  # the descriptor documents what it holds, once that is known
        return kind

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, client: None, owner: type | None = None) -> type[R]: ...
    @overload
    def __get__(self, client: object, owner: type | None = None) -> R: ...
    def __get__(self, client: object, owner: type | None = None) -> R | type[R]:
        if client is None:
            return self.kind
        # Not a data descriptor: once stored in the instance, the attribute is read from there, at no cost.
        value = self.kind(cast("BaseClient[Any, Any]", client))
        client.__dict__[self.name] = value
        return value


class BaseClient(Generic[TransportT, HttpClientT]):
    """What the sync and async clients share: settings, the retry engine, the channel cache, the constructor.

    The constructor is written once here, generic in the transport type; each client adds how it opens its
    connections (`_connect`) and its resources (built on first use, so that a client costs only what it uses).
    """

    base_url: httpx.URL
    """Where requests go: the `base_url` argument, else `NP6_BASE_URL`, else NP6's production host."""
    timeout: httpx.Timeout
    """The timeout of each request, unless a call passes its own `timeout=`."""
    limits: Limits
    """The client's bounds on answers, attempts and messages (see `np6.Limits`)."""
    _policy: RetryPolicy
    _engine: Engine
    _channels: dict[str, Channel]
    _field_cache: FieldCache
    generated: AuthenticatedClient

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: TransportT | None = None,
        http_client: HttpClientT | None = None,
        headers: Mapping[str, str] | None = None,
        keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY,
        limits: Limits | None = None,
    ) -> None:
        key = _hide_key(api_key)
        del api_key  # from here on, only the wrapped key is in this frame
        configure_from_env()
        key.check()
        self._api_key = key
        self.base_url = _base_url(base_url)
        self.timeout = check_timeout(timeout)
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise InvalidInputError(f"retry_policy must be an np6.RetryPolicy, got {type(retry_policy).__name__}")
        if retry_policy is None:
            retry_policy = _policy(max_retries)
        elif max_retries != DEFAULT_MAX_RETRIES:
            raise InvalidInputError("pass max_retries or retry_policy, not both")
        self._policy = retry_policy
        if limits is not None and not isinstance(limits, Limits):
            raise InvalidInputError(f"limits must be an np6.Limits, got {type(limits).__name__}")
        self.limits = limits or DEFAULT_LIMITS
        # httpx.Headers merges names case-insensitively: a caller's "user-agent" replaces ours instead of adding a
        # second one, and no caller header can add a second X-Key or replace the client's.
        self._headers = httpx.Headers({"Accept": "application/json", "User-Agent": USER_AGENT})
        self._headers.update(check_headers(headers))
        self._headers["X-Key"] = self._api_key.reveal()
        # Learned action channels (action id -> EMAIL/SMS), so that a send looks an action up at most once.
        self._channels = {}
        # The account's contact fields, looked up once (with_options views share the cache: same key, same account).
        self._field_cache = FieldCache()
        # The token stays a placeholder: the key travels in the headers of our own httpx client, and the generated
        # client's attrs repr would print a real token.
        self.generated = AuthenticatedClient(
            base_url=str(self.base_url), token=REDACTED, prefix="", auth_header_name="X-Key", timeout=self.timeout
        )
        if http_client is not None:
            if transport is not None or keepalive_expiry != DEFAULT_KEEPALIVE_EXPIRY:
                raise InvalidInputError(
                    "http_client= is your configured httpx client: set its transport and limits on it, not"
                    " transport= or keepalive_expiry= here"
                )
            # The caller's client becomes the transport of a client of np6's own (see `np6._core.through`).
            pool: dict[str, Any] = {"transport": self._through(http_client), "trust_env": False}
        else:
            pool = _pool_options(transport, keepalive_expiry)
            # Proxies and .netrc come from the environment only for a remote NP6: a proxy set for the outside world
            # would otherwise receive the key, in clear, of a request meant for a sandbox on this machine.
            pool["trust_env"] = not _is_loopback(self.base_url.host)
        try:
            build_request = self._connect(pool)
        except (OSError, ssl.SSLError) as exc:  # SSL_CERT_FILE/SSL_CERT_DIR naming a missing or broken file
            raise InvalidInputError(f"the TLS settings cannot be loaded ({type(exc).__name__}: {exc})") from None
        self._engine = Engine(build_request, self._policy, self.limits)

    def _connect(self, pool: dict[str, Any]) -> Callable[..., httpx.Request]:
        """Open this client's httpx client with `pool`, share it with `generated`; its request builder."""
        raise NotImplementedError

    def _through(self, http_client: object) -> TransportT:
        """The caller's httpx client as a transport of this client's kind; refused when it is not of that kind."""
        raise NotImplementedError

    @property
    def max_retries(self) -> int:
        """How many times a failed request is retried (never a send that NP6 may have processed)."""
        return self._policy.max_retries

    @property
    def retry_policy(self) -> RetryPolicy:
        """The client's retry settings (see `np6.RetryPolicy`); `with_options()` makes a view with others."""
        return self._policy

    def with_options(
        self, *, max_retries: int | None = None, retry_unknown_sends: bool | None = None, max_wait: float | None = None
    ) -> Self:
        """A view of this client with other retry settings, sharing its connections and rate-limit state."""
        clone = copy.copy(self)
        clone._policy = _evolve(
            self._policy, max_retries=max_retries, retry_unknown_sends=retry_unknown_sends, max_wait=max_wait
        )
        # The resources built for this client would run the view's calls with this client's settings: the view
        # builds its own on first use.
        for klass in type(self).__mro__:  # a subclass of np6.Client inherits the resources
            for name, value in vars(klass).items():
                if isinstance(value, Resource):
                    clone.__dict__.pop(name, None)
        return clone

    def __repr__(self) -> str:
        # Also called on a half-built client (a traceback formatted with its locals during __init__).
        base_url = getattr(self, "base_url", None)
        return f"{type(self).__name__}(base_url={None if base_url is None else str(base_url)!r}, api_key={REDACTED!r})"


def _policy(max_retries: int) -> RetryPolicy:
    if not isinstance(max_retries, int) or isinstance(max_retries, bool):
        raise InvalidInputError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    try:
        return RetryPolicy(max_retries=max_retries)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"max_retries must be an integer >= 0, got {max_retries!r}") from exc


def _evolve(policy: RetryPolicy, **changes: Any) -> RetryPolicy:
    import attrs

    try:
        return attrs.evolve(policy, **{k: v for k, v in changes.items() if v is not None})
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(str(exc)) from exc


class Client(BaseClient[httpx.BaseTransport, httpx.Client]):
    """The synchronous NP6 client.

    >>> with np6.Client() as client:                                  # key from NP6_API_KEY  # doctest: +SKIP
    ...     client.actions.send("000ABC", "alice@example.com")

    `transport` replaces the network (an `httpx.MockTransport` or the sandbox's in-process transport).
    `keepalive_expiry`: the longest a connection may sit idle and still be reused (see DEFAULT_KEEPALIVE_EXPIRY);
    it applies to the client's own pool, so it cannot be combined with `transport`. With its own pool, the client
    also tells a request whose bytes could not all be written (a connection the server had just closed) from one
    whose answer was lost: the first was never processed and is retried, even for a send.
    `client.generated` is the generated low-level client, sharing this client's connections and key.
    """

    # Declared for type checkers only: the resource classes are imported on first use, so their names would not
    # resolve at run time (`typing.get_type_hints(np6.Client)`).
    if TYPE_CHECKING:
        actions: Resource[Actions]
        targets: Resource[Targets]
        fields: Resource[Fields]
        segments: Resource[Segments]
        events: Resource[Events]
    actions = Resource("actions", "Actions")
    targets = Resource("targets", "Targets")
    fields = Resource("fields", "Fields")
    segments = Resource("segments", "Segments")
    events = Resource("events", "Events")

    def _connect(self, pool: dict[str, Any]) -> Callable[..., httpx.Request]:
        _check_transport(pool, httpx.BaseTransport, "np6.Client")
        if "transport" not in pool:
            # Each attempt gets a trace hook that notices a request not fully written (see `_retry.WriteWatch`).
            pool["event_hooks"] = {"request": [WriteWatch.install]}
            # Streams whose every wait ends at the attempt's deadline (`np6._core.deadline_streams`). httpx reads the
            # environment's proxies only for a client without a transport: with one set, it builds its own.
            if not (pool["trust_env"] and _environment_proxies()):
                from ._core.deadline_streams import deadline_transport  # httpcore: only for np6's own pool

                pool["transport"] = deadline_transport(pool.pop("limits"), trust_env=pool["trust_env"])
        self._http = httpx.Client(base_url=self.base_url, headers=self._headers, timeout=self.timeout, **pool)
        self.generated.set_httpx_client(self._http)
        return self._http.build_request

    def _through(self, http_client: object) -> httpx.BaseTransport:
        if not isinstance(http_client, httpx.Client):
            raise InvalidInputError(
                f"np6.Client needs an httpx.Client as http_client, got {type(http_client).__name__}"
            )
        return ThroughClient(http_client)

    def with_response(self, method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
        """`client.with_response(client.actions.get)("000ABC")` -> `APIResponse` (parsed, request_id, ...)."""
        return with_response(method)

    def _run(self, flow: Flow[T], options: CallOptions | None = None) -> T:
        return run_sync(flow, self._http, self._policy.sleep, options)

    def close(self) -> None:
        """Close the client's connections (an `http_client=` it was given stays open: close it yourself)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(BaseClient[httpx.AsyncBaseTransport, httpx.AsyncClient]):
    """The asynchronous NP6 client: the same surface as `np6.Client`, with `await`.

    `keepalive_expiry` is as for `np6.Client`; the async client does not tell an unwritten request from a lost
    answer (asyncio buffers writes), so the short expiry is what keeps its sends off connections being closed.
    """

    # Declared for type checkers only (see `Client`).
    if TYPE_CHECKING:
        actions: Resource[AsyncActions]
        targets: Resource[AsyncTargets]
        fields: Resource[AsyncFields]
        segments: Resource[AsyncSegments]
        events: Resource[AsyncEvents]
    actions = Resource("actions", "AsyncActions")
    targets = Resource("targets", "AsyncTargets")
    fields = Resource("fields", "AsyncFields")
    segments = Resource("segments", "AsyncSegments")
    events = Resource("events", "AsyncEvents")

    def _connect(self, pool: dict[str, Any]) -> Callable[..., httpx.Request]:
        _check_transport(pool, httpx.AsyncBaseTransport, "np6.AsyncClient")
        remember_missing_sniffio()
        # No write watch here: asyncio buffers what is written, so a failed write does not prove that bytes were
        # left unsent (see `_retry.WriteWatch`). The short keep-alive expiry is what avoids the race.
        self._http = httpx.AsyncClient(base_url=self.base_url, headers=self._headers, timeout=self.timeout, **pool)
        self.generated.set_async_httpx_client(self._http)
        return self._http.build_request

    def _through(self, http_client: object) -> httpx.AsyncBaseTransport:
        if not isinstance(http_client, httpx.AsyncClient):
            raise InvalidInputError(
                f"np6.AsyncClient needs an httpx.AsyncClient as http_client, got {type(http_client).__name__}"
            )
        return AsyncThroughClient(http_client)

    def with_response(self, method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
        """`await client.with_response(client.actions.get)("000ABC")` -> `APIResponse`."""
        return async_with_response(method)

    async def _run(self, flow: Flow[T], options: CallOptions | None = None) -> T:
        return await run_async(flow, self._http, self._policy.async_sleep, options)

    async def aclose(self) -> None:
        """Close the client's connections (an `http_client=` it was given stays open: close it yourself)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
