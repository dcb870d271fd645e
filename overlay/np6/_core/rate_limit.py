"""Rate-limit headers, and the gate that makes one 429 slow down every request of a client.

Header values come from the network and are checked before use: a value that is not a plain decimal number, is
negative, infinite, or asks for an absurd wait is ignored (logged at DEBUG on the `np6` logger) as if the header
were absent, so the retry falls back to the backoff. Zero is a real value: `Retry-After: 0` and
`X-RateLimit-Reset: 0` mean "now" (a wait of 0 s), never "not given".
"""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Callable, Mapping

import attrs

from .logs import logger

__all__ = ["RateLimitInfo", "RateLimitGate", "retry_after_seconds", "LONGEST_PLAUSIBLE_WAIT"]

# NP6 does not document the unit of X-RateLimit-Reset. Values below this are read as "seconds to wait";
# above it, as a Unix timestamp (and above 1e12, in milliseconds).
_RESET_IS_TIMESTAMP_FROM = 10**9
# A server-requested wait longer than this (a year) is a broken header, not a rate limit: it is ignored. Waits
# between `RetryPolicy.max_wait` and this make the error raise at once instead (with `retry_after` set).
LONGEST_PLAUSIBLE_WAIT = 366 * 86_400.0
# Header integers past this are not exact in a float any more; nothing NP6 sends comes near it (an epoch in
# milliseconds is about 1.7e12).
_LARGEST_HEADER_NUMBER = 2**53
# RFC 9110 delay-seconds is 1*DIGIT; a decimal fraction is accepted too. No sign, exponent, "inf" or "nan", no
# digits of other scripts (`float()` would take all of these).
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LOGGED_CHARS = 80


def _ignored(name: str, value: str, why: str) -> None:
    shown = value if len(value) <= _LOGGED_CHARS else value[:_LOGGED_CHARS] + "..."
    logger.debug("ignoring the %s header %r: %s", name, shown, why)


def _number(name: str, value: str) -> float | None:
    """A header value as a finite number >= 0, or None (logged) when it is not one."""
    text = value.strip()
    if not _DECIMAL.fullmatch(text):
        _ignored(name, value, "not a decimal number of seconds" if name == "retry-after" else "not a decimal number")
        return None
    number = float(text)  # digits only: never raises, at worst inf for a huge number
    if not math.isfinite(number) or number >= _LARGEST_HEADER_NUMBER:
        _ignored(name, value, "absurdly large")
        return None
    return number


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    number = _number(name, value)
    return None if number is None else int(number)


def _plausible_wait(name: str, value: str, seconds: float) -> float | None:
    if not seconds <= LONGEST_PLAUSIBLE_WAIT:  # also refuses nan
        _ignored(name, value, f"a wait of {seconds:.3g} s is not plausible")
        return None
    return max(0.0, seconds)


@attrs.frozen
class RateLimitInfo:
    """The `X-RateLimit-*` headers of a response (each None when NP6 did not send it, or sent a value that is not
    a number >= 0)."""

    limit: int | None
    remaining: int | None
    reset: int | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo | None:
        """The `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers of an answer; None when it has none of them
        (values that are not integers count as absent)."""
        info = cls(
            limit=_int_header(headers, "x-ratelimit-limit"),
            remaining=_int_header(headers, "x-ratelimit-remaining"),
            reset=_int_header(headers, "x-ratelimit-reset"),
        )
        return None if info == cls(None, None, None) else info

    def reset_in(self, now_epoch: float) -> float | None:
        """Seconds until the window resets (0.0 for a reset of 0 or one already passed), or None when NP6 did not
        say, or said something that is not a plausible wait."""
        reset = self.reset
        if reset is None or isinstance(reset, bool) or not isinstance(reset, int) or reset < 0:
            return None
        if reset >= _RESET_IS_TIMESTAMP_FROM * 1000:
            seconds = reset / 1000 - now_epoch
        elif reset >= _RESET_IS_TIMESTAMP_FROM:
            seconds = reset - now_epoch
        else:
            seconds = float(reset)
        return _plausible_wait("x-ratelimit-reset", str(reset), seconds)


def retry_after_seconds(headers: Mapping[str, str], now_epoch: float) -> float | None:
    """What the server asked us to wait: `Retry-After` (seconds or HTTP date), else `X-RateLimit-Reset`.

    0.0 means "now". None means not asked, or asked with a value that cannot be trusted (see the module doc): the
    caller then uses its backoff. Never raises, whatever the headers hold.
    """
    value = headers.get("retry-after")
    if value is not None:
        asked = _retry_after(value, now_epoch)
        if asked is not None:
            return asked
    info = RateLimitInfo.from_headers(headers)
    return info.reset_in(now_epoch) if info is not None else None


def _retry_after(value: str, now_epoch: float) -> float | None:
    text = value.strip()
    if text[:1].isalpha():  # an HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT"
        try:
            when = email.utils.parsedate_to_datetime(text)
            seconds = when.timestamp() - now_epoch
        except (TypeError, ValueError, OverflowError, IndexError):
            _ignored("retry-after", value, "neither a number of seconds nor an HTTP date")
            return None
        # A date already passed means "now"; one centuries ahead is not plausible.
        return _plausible_wait("retry-after", value, seconds)
    number = _number("retry-after", value)
    return None if number is None else _plausible_wait("retry-after", value, number)


class RateLimitGate:
    """Shared by every request of one client: after a 429 (or a response saying no request is left), nobody
    sends until the window has reset, instead of each worker discovering the limit on its own."""

    # No lock: every request reads the gate, and a Ctrl-C landing between a lock's acquisition and the `with`
    # block that releases it (CPython bpo-29988) would leave every later request waiting forever. Reading and
    # assigning one float are atomic; two threads closing it at once can at worst keep the earlier reopening
    # time, and the next 429 closes it again.

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._open_at = 0.0

    def close_for(self, seconds: float) -> None:
        # 0 (or less) changes nothing; a non-finite time would close the gate for ever.
        if not 0 < seconds < math.inf:
            return
        self._open_at = max(self._open_at, self._clock() + seconds)

    def wait_time(self) -> float:
        return max(0.0, self._open_at - self._clock())
