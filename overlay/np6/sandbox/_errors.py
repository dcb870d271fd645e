"""Exceptions of the sandbox.

Why a dedicated module: the validation layer raises `SpecMismatchError`, the transport re-raises it and the
server turns it into a 500; none of them should import the others just to share an exception class.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["Reject", "SpecMismatchError", "query_instant"]


class SpecMismatchError(AssertionError):
    """The sandbox produced a response that the curated OpenAPI document does not allow.

    Why it exists: the sandbox is what our tests and our users test against, so it must never drift from the
    spec silently. A mismatch is a bug in the sandbox or in the spec, never in the client under test; it is an
    `AssertionError` so that pytest reports it as a failed check wherever it surfaces.
    """

    def __init__(self, operation_id: str, method: str, path: str, status: int, problems: Sequence[str]) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.status = status
        self.problems: tuple[str, ...] = tuple(problems)
        detail = "; ".join(self.problems)
        super().__init__(f"{method} {path} ({operation_id}) answered {status}, which the spec does not allow: {detail}")


class Reject(Exception):
    """Answer `status` with an empty body, as NP6 answers its errors; raised by any operation handler."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(reason or str(status))
        self.status = status


def query_instant(value: Any) -> datetime | None:
    """An ISO 8601 query parameter as an aware datetime (naive means UTC); a malformed one is a 400."""
    if value is None:
        return None
    try:
        # RFC 3339 allows a lower-case "t" and "z"; Python's parser only the upper-case ones.
        instant = datetime.fromisoformat(str(value).upper())
    except ValueError as exc:
        raise Reject(400, f"{value!r} is not an ISO 8601 instant") from exc
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
