"""`client.segments`: static and dynamic segments, the members of static ones, and the test segments.

Test segments (`isTest`) are what an action's test phase sends its proofs to (`validate(..., test_segments=...)`).
NP6 adds at most 50 members per call; `add_members()` splits larger lists.
"""

from __future__ import annotations

import builtins
import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, Unpack, cast

from np6_generated.api.segments import (
    add_segment_targets,
    clear_segment_targets,
    create_segment,
    delete_segment,
    get_segment,
    list_segment_targets,
    list_segments,
    update_segment,
)
from np6_generated.models import Segment, SegmentRequest
from np6_generated.types import UNSET

from .._core.engine import Flow
from .._core.errors import InvalidInputError
from .._core.options import RequestOptions
from .._core.retry import OperationKind
from .base import (
    ResourceFlows,
    check_int_id,
    check_optional_text,
    check_text,
    expect,
    expect_list,
    instant,
    no_body,
)
from .binding import AsyncResource, SyncResource, operation

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["MEMBERS_PER_CALL", "AsyncSegments", "SegmentKind", "Segments", "SegmentsFlows"]

#: NP6 documents at most 50 contacts per `PUT /segments/{id}/targets`.
MEMBERS_PER_CALL = 50

SegmentKind = Literal["static", "dynamic"]


class _Keep(enum.Enum):
    """`update()`'s default: leave this member of the segment as it is (None means "set it to null")."""

    KEEP = "keep"


_KEEP = _Keep.KEEP


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"a segment name must be a non-empty string, got {value!r}")
    return cast(str, check_optional_text(value, "a segment name"))


def _optional_text(value: object, what: str) -> str | None:
    return check_optional_text(value, what)


def _optional_flag(value: object, what: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{what} must be True, False or None, got {value!r}")
    return value


def _optional_instant(value: object, what: str) -> dt.datetime | None:
    return None if value is None else instant(value, what)


def _members(values: object) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInputError("members must be an iterable of contact ids or unicity values (strings)")
    return [check_text(value, "a member (a contact id or unicity value)") for value in cast("Iterable[object]", values)]


class SegmentsFlows(ResourceFlows):
    def _list(self, **options: Unpack[RequestOptions]) -> Flow[list[Segment]]:
        """Every segment of the account."""
        parse = list_segments.parse_response
        segments: list[Segment] = yield from self._call(list_segments.build_request(), parse, OperationKind.IDEMPOTENT)
        return segments

    list = operation(_list)

    def _test_segments(self, **options: Unpack[RequestOptions]) -> Flow[builtins.list[Segment]]:
        """The segments of test contacts (`isTest`), which action test phases send proofs to."""
        segments = yield from self._list()
        return [segment for segment in segments if segment.is_test is True]

    test_segments = operation(_test_segments)

    def _get(self, segment_id: int, **options: Unpack[RequestOptions]) -> Flow[Segment]:
        """One segment, by id."""
        return (yield from self._by_id(get_segment, segment_id, "a segment id"))

    get = operation(_get)

    def _create(
        self,
        name: str,
        *,
        type: SegmentKind = "static",
        description: str | None = None,
        is_test: bool | None = None,
        expiration: dt.datetime | int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[Segment]:
        """Create a segment (static by default); NP6 answers 409 (`np6.ConflictError`) when the name is taken."""
        kind = type
        if kind not in ("static", "dynamic"):
            raise InvalidInputError(f"type must be 'static' or 'dynamic', got {kind!r}")
        body = SegmentRequest(
            type_=kind,
            name=_name(name),
            description=UNSET if description is None else _optional_text(description, "description"),
            is_test=UNSET if is_test is None else _optional_flag(is_test, "is_test"),
            expiration=UNSET if expiration is None else _optional_instant(expiration, "expiration"),
        )
        parse = create_segment.parse_response
        segment: Segment = yield from self._call(create_segment.build_request(body=body), parse, OperationKind.WRITE)
        return segment

    create = operation(_create)

    def _update(
        self,
        segment_id: int,
        *,
        name: str | _Keep = _KEEP,
        description: str | _Keep | None = _KEEP,
        is_test: bool | _Keep | None = _KEEP,
        expiration: dt.datetime | int | _Keep | None = _KEEP,
        **options: Unpack[RequestOptions],
    ) -> Flow[Segment]:
        """Change the given members of a segment, keeping the others (reads it first: NP6's update replaces)."""
        segment_id = check_int_id(segment_id, "a segment id")
        changes: dict[str, object] = {}
        if name is not _KEEP:
            changes["name"] = _name(name)
        if description is not _KEEP:
            changes["description"] = _optional_text(description, "description")
        if is_test is not _KEEP:
            changes["is_test"] = _optional_flag(is_test, "is_test")
        if expiration is not _KEEP:
            changes["expiration"] = _optional_instant(expiration, "expiration")
        if not changes:
            raise InvalidInputError("update() needs at least one of name, description, is_test, expiration")
        # NP6's PUT replaces the segment: start from the current one so that what is not changed is kept.
        current = yield from self._get(segment_id)
        body = SegmentRequest.from_dict(current.to_dict())
        for attribute, value in changes.items():
            setattr(body, attribute, value)
        request = update_segment.build_request(id=segment_id, body=body)
        parse = update_segment.parse_response
        return (yield from self._read(request, parse))

    update = operation(_update)

    def _delete(self, segment_id: int, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Delete a segment (NP6 may refuse, 409, while an action uses it)."""
        request = delete_segment.build_request(id=check_int_id(segment_id, "a segment id"))
        yield from self._read(request, no_body)

    delete = operation(_delete)

    def _members(self, segment_id: int, **options: Unpack[RequestOptions]) -> Flow[builtins.list[str]]:
        """The ids of the contacts of a static segment."""
        request = list_segment_targets.build_request(id=check_int_id(segment_id, "a segment id"))
        parse = expect_list(list_segment_targets.parse_response, str, "contact ids")
        return (yield from self._read(request, parse))

    members = operation(_members)

    def _add_members(self, segment_id: int, members: Iterable[str], **options: Unpack[RequestOptions]) -> Flow[int]:
        """Add contacts (ids or unicity values) to a static segment, 50 per call; returns how many NP6 added."""
        segment_id = check_int_id(segment_id, "a segment id")
        values = _members(members)
        added = 0
        parse = expect(add_segment_targets.parse_response, int, "the number of contacts added")
        for start in range(0, len(values), MEMBERS_PER_CALL):
            request = add_segment_targets.build_request(id=segment_id, body=values[start : start + MEMBERS_PER_CALL])
            # Adding a member twice leaves one: the call is safe to repeat.
            added += yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return added

    add_members = operation(_add_members)

    def _clear_members(self, segment_id: int, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Empty a static segment."""
        request = clear_segment_targets.build_request(id=check_int_id(segment_id, "a segment id"))
        yield from self._read(request, no_body)

    clear_members = operation(_clear_members)


class Segments(SegmentsFlows, SyncResource):
    """Segment operations of `np6.Client`."""

    _client: Client


class AsyncSegments(SegmentsFlows, AsyncResource):
    """Segment operations of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient
