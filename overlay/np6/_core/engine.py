"""How a call to a generated operation is executed, once, for both the sync and the async client.

Every method of the overlay is written as a *flow*: a generator that yields two kinds of steps, `Send` (an HTTP
request) and `Sleep`, and returns the result. The retry loop, error mapping, parsing and multi-request
procedures (validation, channel lookup, batch sends) are flows too. Two small drivers run them, one with an
`httpx.Client` and `time.sleep`, one with an `httpx.AsyncClient` and `asyncio.sleep`. A resource's operation is
one flow method; `np6._resources.base.operation` makes it a method of both clients. What each client still writes
for itself is how it waits: send_many's batch loop (one batch at a time, or `concurrency` tasks) and the event
iterator (`for` or `async for`), both around shared sans-IO parts (`np6._sending.run`, `_Walk`).
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any, Generic, TypeAlias, TypeVar, cast

import attrs
import httpx
from np6_generated.errors import UnexpectedStatus
from np6_generated.types import RequestArgs

from .deadlines import attempt_deadline
from .errors import InvalidInputError, ResponseParseError
from .limits import DEFAULT_LIMITS, BodyReader, Limits, check_message_bytes, send_answer_limit
from .logs import logger, redact_headers, scrub_response
from .options import CallOptions
from .rate_limit import RateLimitGate, RateLimitInfo
from .response import record_response
from .retry import OperationKind, RetryPolicy, as_unknown, decide_on_exception, decide_on_response

__all__ = [
    "Call",
    "Engine",
    "Flow",
    "Send",
    "Sleep",
    "check_json_value",
    "run_async",
    "run_sync",
    "strict_json",
    "string_keys",
]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Send `request` and read its answer, of at most `max_response_bytes` (decoded), within `deadline` seconds."""

    request: httpx.Request
    max_response_bytes: int = DEFAULT_LIMITS.max_response_bytes
    deadline: float = DEFAULT_LIMITS.attempt_deadline


@attrs.frozen
class Sleep:
    seconds: float


Step: TypeAlias = Send | Sleep
# What a driver sends back into a flow: the response or transport error of a `Send`, None after a `Sleep`.
Flow: TypeAlias = Generator[Step, Any, T]

# What a parser of a hostile or broken body can raise (RecursionError: JSON nested thousands deep).
_PARSE_FAILURES = (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError, OverflowError)


@attrs.frozen
class Call(Generic[T]):
    """One operation to perform: the request a generated module's `build_request` built, how to parse a 2xx
    response (usually the module's `parse_response`), and how safe the operation is to repeat."""

    request: RequestArgs
    parse: Callable[[httpx.Response], T]
    kind: OperationKind
    messages: int | None = None  # a send's message count: what bounds its body and its answer (`np6.Limits`)


_CACHED_URLS = 256


class Engine:
    """Turns calls into flows: the retry loop, the shared rate-limit gate, logging and error mapping."""

    def __init__(
        self, http_build: Callable[..., httpx.Request], policy: RetryPolicy, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self._build = http_build
        # Absolute URLs by the relative ones operations give: httpx parses and merges a relative URL with its base
        # at every request (a third of building a send's request), and the base of np6's own httpx client never
        # changes. Bounded: paths hold ids.
        self._urls: dict[str, httpx.URL] = {}
        self.policy = policy
        self.limits = limits
        self.gate = RateLimitGate(policy.clock)

    def _build_request(self, path: str, kwargs: RequestArgs) -> httpx.Request:
        if "params" in kwargs or "?" in path:  # a query (httpx drops the path's own when given params): not cached
            return self._build(**kwargs)
        absolute = self._urls.get(path)
        if absolute is not None:
            return self._build(**{**kwargs, "url": absolute})
        request = self._build(**kwargs)
        if len(self._urls) >= _CACHED_URLS:
            self._urls.clear()
        self._urls[path] = request.url
        return request

    def call(
        self,
        spec: Call[T],
        *,
        policy: RetryPolicy | None = None,
        on_attempt: Callable[[bool], None] | None = None,
    ) -> Flow[T]:
        """The flow of one call. `on_attempt(True)` is told just before each request is handed to the transport:
        from then on, a send interrupted before its answer may have been processed. `on_attempt(False)` is told
        before a wait to retry when no attempt can have been processed (refused with 429/503, never written), so
        that an interruption during that wait is known not to have sent anything."""
        policy = policy or self.policy
        kwargs: RequestArgs = {**spec.request}
        if "json" in kwargs:
            kwargs["content"] = strict_json(kwargs.pop("json"))
        limits = self.limits
        answer_limit = limits.max_response_bytes
        if spec.messages is not None:
            answer_limit = send_answer_limit(limits, spec.messages)
            if spec.messages == 1:
                check_message_bytes(len(kwargs.get("content") or b""), limits.max_message_bytes)
        path: str = kwargs["url"]
        request = self._build_request(path, kwargs)
        _refuse_a_moved_path(path, request)
        retry = 0
        maybe_processed = False  # an earlier attempt may have been processed (a send re-sent by opt-in)
        while True:
            wait = self.gate.wait_time()
            if wait > 0:
                yield Sleep(wait)
            debug = logger.isEnabledFor(logging.DEBUG)
            if debug:
                logger.debug(
                    "request %s %s attempt=%d headers=%s",
                    request.method,
                    request.url,
                    retry + 1,
                    redact_headers(request.headers),
                )
            started = time.perf_counter()
            if on_attempt is not None:
                on_attempt(True)
            outcome = yield Send(request, answer_limit, limits.attempt_deadline)
            if isinstance(outcome, httpx.RequestError):  # transport errors, and a body httpx cannot decode
                decision = decide_on_exception(outcome, request, spec.kind, policy, retry)
                logger.debug("transport error on %s %s: %r", request.method, request.url.path, outcome)
            else:
                response = scrub_response(cast(httpx.Response, outcome))
                record_response(response)
                if debug:
                    logger.debug(
                        "response %d %s %s request_id=%s in %.1f ms",
                        response.status_code,
                        request.method,
                        request.url.path,
                        response.headers.get("x-request-id"),
                        (time.perf_counter() - started) * 1000,
                    )
                if response.is_success:
                    self._note_exhausted_window(response, policy)
                    return _parse(spec, response)
                decision = decide_on_response(response, spec.kind, policy, retry)
            if decision.gate_for is not None:
                self.gate.close_for(decision.gate_for)
            maybe_processed = maybe_processed or decision.error.outcome_unknown
            if decision.delay is None:
                raise as_unknown(decision.error) if maybe_processed else decision.error
            logger.info(
                "retrying %s %s in %.2f s: %s", request.method, request.url.path, decision.delay, decision.error
            )
            if on_attempt is not None and not maybe_processed:
                on_attempt(False)
            yield Sleep(decision.delay)
            retry += 1

    def _note_exhausted_window(self, response: httpx.Response, policy: RetryPolicy) -> None:
        info = RateLimitInfo.from_headers(response.headers)
        if info is not None and info.remaining == 0:
            reset_in = info.reset_in(policy.wall_clock())
            if reset_in is not None:
                self.gate.close_for(min(reset_in, policy.max_wait))


def _refuse_a_moved_path(path: str, request: httpx.Request) -> None:
    """The last guard against a path parameter that names another resource (each resource checks its ids first,
    naming them): httpx resolves `.` and `..` segments, so a request whose path it changed is not sent."""
    wanted = path.partition("?")[0]
    if not request.url.raw_path.decode("ascii").partition("?")[0].endswith(wanted):
        raise InvalidInputError(
            f"a path parameter would change the request path: {wanted!r} became {request.url.path!r}"
        )


def check_json_value(value: Any, what: str) -> None:
    """Refuse, with a typed error naming `what`, what no JSON body can carry: keys that are not strings, NaN and
    infinities, lone surrogates. For builders, so that a bad value is caught where it was given, not at send time."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                raise InvalidInputError(f"{what} holds a lone surrogate, which cannot be sent: {item!r}")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise InvalidInputError(f"{what} holds {item!r}, which JSON cannot carry")
        elif isinstance(item, Mapping):
            for key, inner in cast("Mapping[object, object]", item).items():
                if not isinstance(key, str):
                    raise InvalidInputError(f"{what} must have string keys, got {key!r}")
                stack.append(key)
                stack.append(inner)
        elif isinstance(item, (list, tuple)):
            stack.extend(cast("list[object] | tuple[object, ...]", item))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def string_keys(value: Any) -> None:
    """Refuse object keys that are not strings: JSON would turn `1` into `"1"`, which another key may also name,
    and NP6 would read one or the other."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in cast("dict[object, object]", item).items():
                if not isinstance(key, str):
                    raise TypeError(f"JSON object keys must be strings, got {key!r}")
                stack.append(inner)
        elif isinstance(item, (list, tuple)):
            stack.extend(cast("list[object] | tuple[object, ...]", item))


def strict_json(data: Any) -> bytes:
    """A request body as NP6 can read it: JSON without NaN/Infinity, valid UTF-8, string keys. Whatever cannot be
    encoded is refused here, before any request, instead of reaching the wire as invalid JSON or failing in httpx."""
    try:
        string_keys(data)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeEncodeError is a ValueError
        raise InvalidInputError(f"the request body cannot be encoded as JSON: {type(exc).__name__}: {exc}") from exc


def _parse(spec: Call[T], response: httpx.Response) -> T:
    # A send answered 2xx was processed by NP6, whatever its body says: re-sending it could deliver it twice.
    unknown = spec.kind is OperationKind.SEND
    try:
        return spec.parse(response)
    except UnexpectedStatus:
        # A 2xx status the spec does not document for the operation. The generator's error quotes the whole body,
        # which may echo the request's headers (the key among them): it is not carried along.
        undocumented = ValueError(f"the spec documents no {response.status_code} answer for this operation")
        raise ResponseParseError(response, undocumented, outcome_unknown=unknown) from None
    except _PARSE_FAILURES as exc:
        raise ResponseParseError(response, exc, outcome_unknown=unknown) from exc


# The drivers hand every outcome of a step back to the flow: a response, an httpx transport error as a value, and
# anything else (Ctrl-C, a cancellation, a transport that raised) thrown into it, so that a flow can record what
# was in flight before the exception goes on.


@attrs.frozen
class _Done(Generic[T]):
    value: T


def _advance(flow: Flow[T], value: Any, thrown: BaseException | None) -> Step | _Done[T]:
    """The flow's next step, given the outcome of the last one; `_Done` with its result when it returned."""
    try:
        return flow.send(value) if thrown is None else flow.throw(thrown)
    except StopIteration as stop:
        return _Done(cast(T, stop.value))


def run_sync(
    flow: Flow[T], http: httpx.Client, sleep: Callable[[float], None], options: CallOptions | None = None
) -> T:
    value: Any = None
    thrown: BaseException | None = None
    while not isinstance(step := _advance(flow, value, thrown), _Done):
        value = thrown = None
        try:
            if isinstance(step, Sleep):
                sleep(step.seconds)
            else:
                value = _receive(http, step, options)
        except httpx.RequestError as exc:
            value = exc
        except BaseException as exc:
            thrown = exc
    return step.value


def _receive(http: httpx.Client, step: Send, options: CallOptions | None) -> httpx.Response:
    if options is not None:
        options.apply(step.request)
    reader = BodyReader(step.request, step.max_response_bytes, step.deadline)
    reader.bound_read_timeout()
    with attempt_deadline(reader.deadline_at):
        # Never a redirect: it would carry the key and the messages to wherever the answer points.
        response = http.send(step.request, stream=True, follow_redirects=False)
        try:
            reader.check_head(response)
            response.stream = reader.watch(response.stream)
            for chunk in response.iter_bytes():
                reader.add(chunk, response)
        finally:
            response.close()
    return reader.response(response)


async def _areceive(http: httpx.AsyncClient, step: Send, options: CallOptions | None) -> httpx.Response:
    import asyncio  # here: a program that never sends asynchronously never loads it

    if options is not None:
        options.apply(step.request)
    reader = BodyReader(step.request, step.max_response_bytes, step.deadline)
    sending = reader.watch_sending()
    try:
        async with asyncio.timeout(reader.remaining()):
            response = await http.send(step.request, stream=True, follow_redirects=False)
            try:
                reader.check_head(response)
                async for chunk in response.aiter_bytes():
                    reader.add(chunk, response)
            finally:
                await response.aclose()
    except TimeoutError:
        raise reader.deadline_exceeded(sent=sending.started) from None
    return reader.response(response)


async def run_async(
    flow: Flow[T], http: httpx.AsyncClient, sleep: Callable[[float], Any], options: CallOptions | None = None
) -> T:
    value: Any = None
    thrown: BaseException | None = None
    while not isinstance(step := _advance(flow, value, thrown), _Done):
        value = thrown = None
        try:
            value = await (sleep(step.seconds) if isinstance(step, Sleep) else _areceive(http, step, options))
        except httpx.RequestError as exc:
            value = exc
        except BaseException as exc:
            thrown = exc
    return step.value
