"""Rate-limit headers, and the gate that makes one 429 slow down every request of a client."""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Callable, Mapping

import attrs

__all__ = ["RateLimitInfo", "RateLimitGate", "retry_after_seconds"]

# NP6 does not document the unit of X-RateLimit-Reset. Values below this are read as "seconds to wait";
# above it, as a Unix timestamp (and above 1e12, in milliseconds).
_RESET_IS_TIMESTAMP_FROM = 10**9


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except ValueError:
        return None


@attrs.frozen
class RateLimitInfo:
    """The `X-RateLimit-*` headers of a response (each None when NP6 did not send it)."""

    limit: int | None
    remaining: int | None
    reset: int | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo | None:
        info = cls(
            limit=_int_header(headers, "x-ratelimit-limit"),
            remaining=_int_header(headers, "x-ratelimit-remaining"),
            reset=_int_header(headers, "x-ratelimit-reset"),
        )
        return None if info == cls(None, None, None) else info

    def reset_in(self, now_epoch: float) -> float | None:
        """Seconds until the window resets, or None when NP6 did not say."""
        if self.reset is None:
            return None
        if self.reset >= _RESET_IS_TIMESTAMP_FROM * 1000:
            return max(0.0, self.reset / 1000 - now_epoch)
        if self.reset >= _RESET_IS_TIMESTAMP_FROM:
            return max(0.0, self.reset - now_epoch)
        return float(max(0, self.reset))


def retry_after_seconds(headers: Mapping[str, str], now_epoch: float) -> float | None:
    """What the server asked us to wait: `Retry-After` (seconds or HTTP date), else `X-RateLimit-Reset`."""
    value = headers.get("retry-after")
    if value is not None:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when.timestamp() - now_epoch)
    info = RateLimitInfo.from_headers(headers)
    return info.reset_in(now_epoch) if info else None


class RateLimitGate:
    """Shared by every request of one client: after a 429 (or a response saying no request is left), nobody
    sends until the window has reset, instead of each worker discovering the limit on its own."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._open_at = 0.0

    def close_for(self, seconds: float) -> None:
        with self._lock:
            self._open_at = max(self._open_at, self._clock() + seconds)

    def wait_time(self) -> float:
        with self._lock:
            return max(0.0, self._open_at - self._clock())
