"""`client.segments`: static and dynamic segments, the members of static ones, and the test segments.

Test segments (`isTest`) are what an action's test phase sends its proofs to (`validate(..., test_segments=...)`).
NP6 adds at most 50 members per call; `add_members()` splits larger lists.
"""

from __future__ import annotations

import builtins
import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

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
from np6_generated.models import Segment
from np6_generated.types import UNSET

from .._core.engine import Flow
from .._core.errors import InvalidInputError
from .._core.retry import OperationKind
from .base import ResourceFlows, check_int_id, check_str_id, expect, expect_list, instant

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
    return value


def _optional_text(value: object, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string or None, got {type(value).__name__}")
    return value


def _optional_flag(value: object, what: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{what} must be True, False or None, got {value!r}")
    return value


def _optional_instant(value: object, what: str) -> dt.datetime | None:
    return None if value is None else instant(value, what)


def _members(values: object) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInputError("members must be an iterable of contact ids or unicity values (strings)")
    return [check_str_id(value, "a member (a contact id or unicity value)") for value in values]


class SegmentsFlows(ResourceFlows):
    def _list(self) -> Flow[list[Segment]]:
        parse = list_segments.parse_response
        segments: list[Segment] = yield from self._call(list_segments.build_request(), parse, OperationKind.IDEMPOTENT)
        return segments

    def _test_segments(self) -> Flow[list[Segment]]:
        segments = yield from self._list()
        return [segment for segment in segments if segment.is_test is True]

    def _get(self, segment_id: int) -> Flow[Segment]:
        request = get_segment.build_request(id=check_int_id(segment_id, "a segment id"))
        parse = get_segment.parse_response
        segment: Segment = yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return segment

    def _create(
        self,
        name: str,
        kind: SegmentKind,
        description: str | None,
        is_test: bool | None,
        expiration: dt.datetime | int | None,
    ) -> Flow[Segment]:
        if kind not in ("static", "dynamic"):
            raise InvalidInputError(f"type must be 'static' or 'dynamic', got {kind!r}")
        body = Segment(
            type_=kind,
            name=_name(name),
            description=UNSET if description is None else _optional_text(description, "description"),
            is_test=UNSET if is_test is None else _optional_flag(is_test, "is_test"),
            expiration=UNSET if expiration is None else _optional_instant(expiration, "expiration"),
        )
        parse = create_segment.parse_response
        segment: Segment = yield from self._call(create_segment.build_request(body=body), parse, OperationKind.WRITE)
        return segment

    def _update(
        self, segment_id: int, name: object, description: object, is_test: object, expiration: object
    ) -> Flow[Segment]:
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
        body = Segment.from_dict(current.to_dict())
        for attribute, value in changes.items():
            setattr(body, attribute, value)
        request = update_segment.build_request(id=segment_id, body=body)
        parse = update_segment.parse_response
        updated: Segment = yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return updated

    def _delete(self, segment_id: int) -> Flow[None]:
        request = delete_segment.build_request(id=check_int_id(segment_id, "a segment id"))
        yield from self._call(request, lambda r: None, OperationKind.IDEMPOTENT)

    def _members(self, segment_id: int) -> Flow[list[str]]:
        request = list_segment_targets.build_request(id=check_int_id(segment_id, "a segment id"))
        parse = expect_list(list_segment_targets.parse_response, str, "contact ids")
        members: list[str] = yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return members

    def _add_members(self, segment_id: int, members: object) -> Flow[int]:
        segment_id = check_int_id(segment_id, "a segment id")
        values = _members(members)
        added = 0
        parse = expect(add_segment_targets.parse_response, int, "the number of contacts added")
        for start in range(0, len(values), MEMBERS_PER_CALL):
            request = add_segment_targets.build_request(id=segment_id, body=values[start : start + MEMBERS_PER_CALL])
            # Adding a member twice leaves one: the call is safe to repeat.
            added += yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return added

    def _clear_members(self, segment_id: int) -> Flow[None]:
        request = clear_segment_targets.build_request(id=check_int_id(segment_id, "a segment id"))
        yield from self._call(request, lambda r: None, OperationKind.IDEMPOTENT)


class Segments(SegmentsFlows):
    """Segment operations of `np6.Client`."""

    _client: Client

    def list(self) -> builtins.list[Segment]:
        return self._client._run(self._list())

    def test_segments(self) -> builtins.list[Segment]:
        """The segments of test contacts (`isTest`), which action test phases send proofs to."""
        return self._client._run(self._test_segments())

    def get(self, segment_id: int) -> Segment:
        return self._client._run(self._get(segment_id))

    def create(
        self,
        name: str,
        *,
        type: SegmentKind = "static",
        description: str | None = None,
        is_test: bool | None = None,
        expiration: dt.datetime | int | None = None,
    ) -> Segment:
        """Create a segment (static by default); NP6 answers 409 (`np6.ConflictError`) when the name is taken."""
        return self._client._run(self._create(name, type, description, is_test, expiration))

    def update(
        self,
        segment_id: int,
        *,
        name: str | _Keep = _KEEP,
        description: str | _Keep | None = _KEEP,
        is_test: bool | _Keep | None = _KEEP,
        expiration: dt.datetime | int | _Keep | None = _KEEP,
    ) -> Segment:
        """Change the given members of a segment, keeping the others (reads it first: NP6's update replaces)."""
        return self._client._run(self._update(segment_id, name, description, is_test, expiration))

    def delete(self, segment_id: int) -> None:
        """Delete a segment (NP6 may refuse, 409, while an action uses it)."""
        return self._client._run(self._delete(segment_id))

    def members(self, segment_id: int) -> builtins.list[str]:
        """The ids of the contacts of a static segment."""
        return self._client._run(self._members(segment_id))

    def add_members(self, segment_id: int, members: Iterable[str]) -> int:
        """Add contacts (ids or unicity values) to a static segment, 50 per call; returns how many NP6 added."""
        return self._client._run(self._add_members(segment_id, members))

    def clear_members(self, segment_id: int) -> None:
        """Empty a static segment."""
        return self._client._run(self._clear_members(segment_id))


class AsyncSegments(SegmentsFlows):
    """Segment operations of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient

    async def list(self) -> builtins.list[Segment]:
        return await self._client._run(self._list())

    async def test_segments(self) -> builtins.list[Segment]:
        return await self._client._run(self._test_segments())

    async def get(self, segment_id: int) -> Segment:
        return await self._client._run(self._get(segment_id))

    async def create(
        self,
        name: str,
        *,
        type: SegmentKind = "static",
        description: str | None = None,
        is_test: bool | None = None,
        expiration: dt.datetime | int | None = None,
    ) -> Segment:
        return await self._client._run(self._create(name, type, description, is_test, expiration))

    async def update(
        self,
        segment_id: int,
        *,
        name: str | _Keep = _KEEP,
        description: str | _Keep | None = _KEEP,
        is_test: bool | _Keep | None = _KEEP,
        expiration: dt.datetime | int | _Keep | None = _KEEP,
    ) -> Segment:
        return await self._client._run(self._update(segment_id, name, description, is_test, expiration))

    async def delete(self, segment_id: int) -> None:
        return await self._client._run(self._delete(segment_id))

    async def members(self, segment_id: int) -> builtins.list[str]:
        return await self._client._run(self._members(segment_id))

    async def add_members(self, segment_id: int, members: Iterable[str]) -> int:
        return await self._client._run(self._add_members(segment_id, members))

    async def clear_members(self, segment_id: int) -> None:
        return await self._client._run(self._clear_members(segment_id))
