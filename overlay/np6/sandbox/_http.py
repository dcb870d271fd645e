"""Transport-neutral request, response and outcome of the sandbox core.

Why: the same core answers the in-process httpx transports and the loopback HTTP server; these small value types
are the only thing both sides share, so neither the core nor the adapters depend on each other's I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._core import jsonio
from ._errors import SpecMismatchError

__all__ = ["CoreRequest", "CoreResponse", "Outcome", "dump_json"]


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON, as NP6 sends it."""
    return jsonio.dumps(payload)


@dataclass(frozen=True, slots=True)
class CoreRequest:
    """An HTTP request as the core sees it.

    `headers` has lower-cased names. `body` is None when the client announced a body that was not read
    (chunked transfer without Content-Length), which the core answers with 411.
    """

    method: str
    path: str
    query: Mapping[str, Sequence[str]]
    headers: Mapping[str, str]
    body: bytes | None

    @property
    def has_content_length(self) -> bool:
        """Whether the client sent a Content-Length header."""
        return "content-length" in self.headers

    @property
    def announces_body(self) -> bool:
        """Whether the request carries (or announced) a body."""
        return self.body is None or bool(self.body) or "transfer-encoding" in self.headers


@dataclass(slots=True)
class CoreResponse:
    """An HTTP response produced by the core; `headers` has lower-cased names."""

    status: int
    headers: dict[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: Any, media_type: str = "application/json") -> CoreResponse:
        """A JSON response (`media_type` for the operations NP6 answers with a JSON type of its own)."""
        return cls(status, {"content-type": media_type}, dump_json(payload))

    @classmethod
    def empty(cls, status: int) -> CoreResponse:
        """A response without a body, as NP6 sends its errors."""
        return cls(status)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an adapter must do with a request the core handled.

    `response` is None when the connection must be dropped before any processing; `drop` asks to drop it after
    processing (the request was handled and recorded, the client gets no answer). `delay` is how long to hold
    the answer back. `mismatch` is set when the response broke the spec.
    """

    response: CoreResponse | None
    delay: float = 0.0
    drop: bool = False
    mismatch: SpecMismatchError | None = None
