"""Fault injection and rate limiting: how clients rehearse NP6's failures against the sandbox.

Why scripted faults come first: a test must know which request fails and how, so faults are directives queued
in order and consumed by the first request that matches them (by operationId, method, path or any predicate).
Random faults exist too, seeded, for soak runs; latency can be fixed, drawn from a range or computed per
request. Rate limiting is a fixed window per API key answering 429 with NP6's `X-RateLimit-*` headers.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypedDict, Unpack

__all__ = [
    "Decision",
    "Fault",
    "FaultKind",
    "FaultScope",
    "Faults",
    "Latency",
    "RateLimit",
    "RateLimiter",
    "RequestInfo",
]

FaultKind = Literal["error", "drop", "delay"]
_KINDS: tuple[FaultKind, ...] = ("error", "drop", "delay")


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What a fault predicate or a latency function can look at."""

    method: str
    path: str
    operation_id: str
    api_key: str
    body_size: int
    sequence: int


class FaultScope(TypedDict, total=False):
    """Which requests a fault applies to: all of them unless restricted (see `Fault`)."""

    operation: str | None
    method: str | None
    path: str | None
    when: Callable[[RequestInfo], bool] | None


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault directive.

    Kinds:
    - `error`: answer `status` (empty body) without processing the request (nothing recorded) or, with
      `after_processing=True`, after processing it (it is recorded: a 500/502/504 the client must take as an
      unknown outcome, for a request that did go through);
    - `drop`: drop the connection without an answer, after processing the request (it is recorded: the client
      cannot tell whether it went through) or, with `after_processing=False`, before;
    - `delay`: process normally, answer after `delay` seconds.
    `after_processing` left as None takes the kind's default: False for `error`, True for the others.
    Every kind adds `delay`. `operation` (an operationId such as "send_messages"), `method`, `path` (a regular
    expression searched in the path) and `when` restrict the requests it applies to.
    """

    kind: FaultKind
    status: int = 503
    delay: float = 0.0
    after_processing: bool | None = None
    operation: str | None = None
    method: str | None = None
    path: str | None = None
    when: Callable[[RequestInfo], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"fault kind must be one of {_KINDS}, not {self.kind!r}")
        if self.kind == "error" and not 400 <= self.status <= 599:
            raise ValueError("an error fault needs a 4xx or 5xx status")
        if not self.delay >= 0:  # also NaN, which compares False to everything
            raise ValueError("delay must be >= 0")
        if self.after_processing is None:
            object.__setattr__(self, "after_processing", self.kind != "error")

    @classmethod
    def error(
        cls,
        status: int = 503,
        *,
        after_processing: bool = False,
        delay: float = 0.0,
        **where: Unpack[FaultScope],
    ) -> Fault:
        """Answer `status` before processing (e.g. 500, 502, 503; 413 on a batch operation) or, with
        `after_processing=True`, once the request was processed (e.g. a 500 or 504 after NP6 sent the messages)."""
        return cls("error", status, delay, after_processing, **where)

    @classmethod
    def drop(
        cls,
        *,
        after_processing: bool = True,
        delay: float = 0.0,
        **where: Unpack[FaultScope],
    ) -> Fault:
        """Close the connection without an answer (after processing the request, by default)."""
        return cls("drop", 503, delay, after_processing, **where)

    @classmethod
    def slow(cls, seconds: float, **where: Unpack[FaultScope]) -> Fault:
        """Process normally but answer after `seconds`."""
        return cls("delay", 503, seconds, True, **where)

    def matches(self, info: RequestInfo) -> bool:
        """Whether this directive applies to the request."""
        if self.operation is not None and self.operation != info.operation_id:
            return False
        if self.method is not None and self.method.upper() != info.method.upper():
            return False
        if self.path is not None and re.search(self.path, info.path) is None:
            return False
        return self.when is None or bool(self.when(info))

    def to_json(self) -> dict[str, Any]:
        """JSON form (without `when`, which cannot be serialised)."""
        return {
            "kind": self.kind,
            "status": self.status,
            "delay": self.delay,
            "after_processing": self.after_processing,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """Build a directive from its JSON form (used by `POST /_sandbox/faults`)."""
        unknown = set(data) - {"kind", "status", "delay", "after_processing", "operation", "method", "path", "times"}
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        after_processing = data.get("after_processing")
        return cls(
            kind=data.get("kind", "error"),
            status=int(data.get("status", 503)),
            delay=float(data.get("delay", 0.0)),
            after_processing=None if after_processing is None else bool(after_processing),
            operation=data.get("operation"),
            method=data.get("method"),
            path=data.get("path"),
        )


#: Latency: fixed seconds, a (low, high) range drawn uniformly, or a function of the request.
Latency = float | tuple[float, float] | Callable[[RequestInfo], float]


@dataclass(frozen=True, slots=True)
class Decision:
    """What the fault layer decided for one request."""

    error_status: int | None = None
    drop: Literal["before", "after"] | None = None
    delay: float = 0.0
    error_after_processing: bool = False  # answer error_status once the request was processed


class Faults:
    """The fault plan of a sandbox: a queue of scripted directives plus optional latency and random failures.

    For each request (sandbox endpoints excepted), the first queued directive that matches is consumed; if none
    matches, random failures apply (`error_rate`, then `drop_rate`, drawn from a generator seeded by `seed`).
    Latency is added to every answer.
    """

    def __init__(
        self,
        script: Iterable[Fault] = (),
        *,
        latency: Latency = 0.0,
        error_rate: float = 0.0,
        error_statuses: Sequence[int] = (500, 502, 503),
        drop_rate: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = list(script)
        self._random = random.Random(seed)
        self._sequence = 0
        self.latency: Latency = latency
        self.error_rate = error_rate
        self.error_statuses: tuple[int, ...] = tuple(error_statuses)
        self.drop_rate = drop_rate
        self.fired: list[tuple[RequestInfo, Fault | Decision]] = []

    def add(self, *faults: Fault, times: int = 1) -> Faults:
        """Queue directives (each `times` times, in order); returns self so that calls chain."""
        with self._lock:
            for _ in range(times):
                self._queue.extend(faults)
        return self

    def pending(self) -> list[Fault]:
        """The directives not consumed yet."""
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        """Drop the queued directives (latency and rates stay)."""
        with self._lock:
            self._queue.clear()

    def next_sequence(self) -> int:
        """Number the requests (1, 2, ...) as the fault layer sees them."""
        with self._lock:
            self._sequence += 1
            return self._sequence

    def _latency(self, info: RequestInfo) -> float:
        latency = self.latency
        if callable(latency):
            return max(0.0, float(latency(info)))
        if isinstance(latency, tuple):
            low, high = latency
            return self._random.uniform(low, high)
        return float(latency)

    def decide(self, info: RequestInfo) -> Decision:
        """Consume what applies to this request and say what to do."""
        with self._lock:
            delay = self._latency(info)
            for index, fault in enumerate(self._queue):
                if fault.matches(info):
                    del self._queue[index]
                    self.fired.append((info, fault))
                    delay += fault.delay
                    if fault.kind == "error":
                        return Decision(
                            error_status=fault.status,
                            error_after_processing=bool(fault.after_processing),
                            delay=delay,
                        )
                    if fault.kind == "drop":
                        return Decision(drop="after" if fault.after_processing else "before", delay=delay)
                    return Decision(delay=delay)
            decision = Decision(delay=delay)
            if self.error_rate and self._random.random() < self.error_rate:
                decision = replace(decision, error_status=self._random.choice(self.error_statuses))
            elif self.drop_rate and self._random.random() < self.drop_rate:
                decision = replace(decision, drop="after")
            if decision.error_status is not None or decision.drop is not None:
                self.fired.append((info, decision))
            return decision


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `requests` requests per `window` seconds (per API key unless `per_key` is False)."""

    requests: int
    window: float = 1.0
    per_key: bool = True

    def __post_init__(self) -> None:
        if self.requests < 1 or self.window <= 0:
            raise ValueError("a rate limit needs requests >= 1 and window > 0")


class RateLimiter:
    """Fixed-window counter answering the `X-RateLimit-*` headers.

    `X-RateLimit-Reset` is the number of whole seconds until the window resets (NP6 does not document the unit;
    a small number reads as a delay, which is what a client should wait).
    """

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, api_key: str) -> tuple[bool, dict[str, str]]:
        """Count a request; return whether it is allowed and the headers to send."""
        key = api_key if self.limit.per_key else ""
        now = self._clock()
        with self._lock:
            started, used = self._windows.get(key, (now, 0))
            if now - started >= self.limit.window:
                started, used = now, 0
            allowed = used < self.limit.requests
            if allowed:
                used += 1
            self._windows[key] = (started, used)
        reset = max(0, math.ceil(started + self.limit.window - now))
        headers = {
            "x-ratelimit-limit": str(self.limit.requests),
            "x-ratelimit-remaining": str(max(0, self.limit.requests - used)),
            "x-ratelimit-reset": str(reset),
        }
        if not allowed:
            headers["retry-after"] = str(max(1, reset))
        return allowed, headers

    def reset(self) -> None:
        """Start every window afresh."""
        with self._lock:
            self._windows.clear()
