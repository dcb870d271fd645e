"""Contacts (targets), contact fields, value lists, segments and redlists of the sandbox, and their operations.

Why one module: these operations all read the account's field catalogue. NP6 creates a contact from field
*names* and answers with field *ids*; the catalogue is what translates one into the other, and it decides which
field is the unicity field, i.e. which value identifies a contact in the shared `ContactBook` (the same book the
sends resolve their recipients in, so a contact created here is the one a send reaches).

Sandbox choices where NP6 documents nothing are marked as such where they are made.
"""

from __future__ import annotations

import builtins
import copy
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, cast

from ._errors import Reject, query_instant
from ._http import CoreResponse
from ._store import Conflict, Contact, ContactBook, NotFound, format_instant

__all__ = [
    "DEFAULT_FIELDS",
    "DEFAULT_SEGMENTS",
    "DEFAULT_VALUE_LISTS",
    "EXPERIMENTAL_MEDIA_TYPE",
    "DirectoryHandlers",
    "FieldCatalog",
    "Handler",
    "Redlists",
    "SegmentStore",
    "target_json",
]

#: The media type of `GET /targets?unicity=|hash=` answers (the operation is "experimental" in NP6's reference).
EXPERIMENTAL_MEDIA_TYPE = "application/vnd.np6.experimental+json"


def _field(
    kind: str, field_id: int, name: str, *, unicity: bool = False, mandatory: bool = False, **extra: Any
) -> Mapping[str, Any]:
    """A contact field as NP6 describes it (all the fields of the sandbox are search criteria)."""
    return {
        "type": kind,
        "id": field_id,
        "name": name,
        "isUnicity": unicity,
        "isMandatory": mandatory,
        "isCriterion": True,
        **extra,
    }


#: The fields of a sandbox account: ids and names as on a real tenant (the unicity field id is the one a live
#: account used), an e-mail unicity field, and a select list backed by the value list below.
DEFAULT_FIELDS: tuple[Mapping[str, Any], ...] = (
    _field("email", 728, "Email", unicity=True, mandatory=True),
    _field("phone", 729, "Mobile"),
    _field("textField", 730, "FirstName"),
    _field("textField", 731, "LastName"),
    _field("date", 732, "BirthDate"),
    _field("multipleSelectList", 733, "Pastimes", valueListId=23),
)
DEFAULT_VALUE_LISTS: tuple[Mapping[str, Any], ...] = (
    {
        "id": 23,
        "name": "Pastimes",
        "ordered": False,
        "values": [{"index": 1, "value": "Football"}, {"index": 2, "value": "Tennis"}, {"index": 3, "value": "Chess"}],
    },
)
#: A test segment exists from the start, so that `validate(..., test_segments=[1])` names a real one.
DEFAULT_SEGMENTS: tuple[Mapping[str, Any], ...] = (
    {"type": "static", "id": 1, "name": "BAT TEST", "description": "Test contacts of the sandbox", "isTest": True},
)

RedlistChannel = Literal["mail", "sms"]


class Context(Protocol):
    """What a handler reads of a parsed request (the sandbox core's request context)."""

    @property
    def params(self) -> Mapping[str, Any]: ...

    @property
    def body(self) -> Any: ...


Handler = Callable[[Any], CoreResponse]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Reject(400, "an object is required")
    return cast("Mapping[str, Any]", value)


# ---------------------------------------------------------------------------------------------------- fields
class _Table:
    """Entries by id (the account's fields, or its value lists), under the sandbox's lock; `reset` goes back to
    the entries it was made with."""

    def __init__(self, lock: threading.RLock, defaults: Iterable[Mapping[str, Any]]) -> None:
        self._lock = lock
        self._defaults = [copy.deepcopy(dict(entry)) for entry in defaults]
        self._entries: dict[int, dict[str, Any]] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._entries = {int(entry["id"]): copy.deepcopy(entry) for entry in self._defaults}

    def put(self, entry: Mapping[str, Any]) -> None:
        with self._lock:
            self._entries[int(entry["id"])] = copy.deepcopy(dict(entry))

    def copies(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(entry) for entry in self._entries.values()]

    def copy_of(self, entry_id: int) -> dict[str, Any]:
        """A copy of the entry with this id; `NotFound` (404) when there is none."""
        with self._lock:
            found = self._entries.get(entry_id)
            if found is None:
                raise NotFound(str(entry_id))
            return copy.deepcopy(found)

    def find(self, accepts: Callable[[Mapping[str, Any]], bool]) -> dict[str, Any] | None:
        """The first entry that `accepts` takes, itself (not a copy)."""
        with self._lock:
            return next((entry for entry in self._entries.values() if accepts(entry)), None)


class FieldCatalog:
    """The account's contact fields and value lists (read-only through the API, as `GET` is all the spec has)."""

    def __init__(
        self,
        lock: threading.RLock,
        fields: Iterable[Mapping[str, Any]] = DEFAULT_FIELDS,
        value_lists: Iterable[Mapping[str, Any]] = DEFAULT_VALUE_LISTS,
    ) -> None:
        self._lock = lock
        self._fields = _Table(lock, fields)
        self._value_lists = _Table(lock, value_lists)

    def reset(self) -> None:
        """Back to the fields and value lists the sandbox started with."""
        with self._lock:
            self._fields.reset()
            self._value_lists.reset()

    def add(self, field: Mapping[str, Any]) -> None:
        """Add (or replace) a field, e.g. `{"type": "textField", "id": 740, "name": "City"}`."""
        self._fields.put(field)

    def fields(self) -> list[dict[str, Any]]:
        """Copies of the account's fields, as NP6 lists them."""
        return self._fields.copies()

    def field(self, field_id: int) -> dict[str, Any]:
        """A copy of the field with this id; `NotFound` (answered 404) when there is none."""
        return self._fields.copy_of(field_id)

    def by_name(self, name: str) -> dict[str, Any] | None:
        """The field named `name`, or None: the catalog's own entry, not a copy."""
        return self._fields.find(lambda field: field.get("name") == name)

    def unicity_field(self) -> dict[str, Any] | None:
        """The field that holds contacts' unicity values (`isUnicity`), or None: the catalog's own entry, not a copy."""
        return self._fields.find(lambda field: field.get("isUnicity") is True)

    def value_lists(self) -> list[dict[str, Any]]:
        """Copies of the account's value lists."""
        return self._value_lists.copies()

    def value_list(self, list_id: int) -> dict[str, Any]:
        """A copy of the value list with this id; `NotFound` (answered 404) when there is none."""
        return self._value_lists.copy_of(list_id)


def target_json(contact: Contact, catalog: FieldCatalog, stamps: tuple[datetime, datetime]) -> dict[str, Any]:
    """A contact as NP6 reads it back: values keyed by field id under `fields`.

    Values stored under names that are not fields of the account (e.g. render placeholders given to
    `POST /_sandbox/contacts`) are not fields NP6 would know, so they are left out.
    """
    fields: dict[str, Any] = {}
    for name, value in contact.fields.items():
        field = catalog.by_name(name)
        if field is not None:
            fields[str(field["id"])] = value
    unicity = catalog.unicity_field()
    if unicity is not None:
        fields.setdefault(str(unicity["id"]), contact.unicity)
    return {
        "id": contact.id,
        "hash": contact.hash,
        "creationDate": format_instant(stamps[0]),
        "lastUpdateDate": format_instant(stamps[1]),
        "fields": fields,
    }


# -------------------------------------------------------------------------------------------------- redlists
class Redlists:
    """Contacts on the e-mail and SMS redlists, with when and why they were put there."""

    def __init__(self, lock: threading.RLock, clock: Callable[[], datetime] = _now) -> None:
        self._lock = lock
        self._clock = clock
        self._entries: dict[RedlistChannel, dict[str, tuple[datetime, dict[str, Any]]]] = {"mail": {}, "sms": {}}

    def add(self, channel: RedlistChannel, contact_id: str, origin: int, detail: Any) -> dict[str, Any]:
        with self._lock:
            at = self._clock()
            entry = {"id": contact_id, "timestamp": format_instant(at), "origin": origin, "detail": detail}
            self._entries[channel][contact_id] = (at, entry)
            return copy.deepcopy(entry)

    def entries(
        self, channel: RedlistChannel, start: datetime | None = None, end: datetime | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            return [
                copy.deepcopy(entry)
                for at, entry in self._entries[channel].values()
                if (start is None or at >= start) and (end is None or at < end)
            ]

    def contains(self, channel: RedlistChannel, contact_id: str) -> bool:
        with self._lock:
            return contact_id in self._entries[channel]

    def forget(self, contact_id: str) -> None:
        with self._lock:
            for entries in self._entries.values():
                entries.pop(contact_id, None)

    def clear(self) -> None:
        with self._lock:
            for entries in self._entries.values():
                entries.clear()


# -------------------------------------------------------------------------------------------------- segments
class SegmentStore:
    """Segments by id; static segments hold contact ids (dynamic ones are a search the sandbox does not run)."""

    def __init__(
        self,
        lock: threading.RLock,
        contacts: ContactBook,
        defaults: Iterable[Mapping[str, Any]] = DEFAULT_SEGMENTS,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._lock = lock
        self._contacts = contacts
        self._clock = clock
        self._defaults = [copy.deepcopy(dict(s)) for s in defaults]
        self._segments: dict[int, dict[str, Any]] = {}
        self._members: dict[int, list[str]] = {}
        self._next = 1
        self.reset()

    def reset(self) -> None:
        """Back to the segments the sandbox started with (empty)."""
        with self._lock:
            self._segments.clear()
            self._members.clear()
            for segment in self._defaults:
                stored = {**segment, "creation": format_instant(self._clock())}
                self._segments[int(segment["id"])] = stored
                self._members[int(segment["id"])] = []
            self._next = max(self._segments, default=0) + 1

    def _get(self, segment_id: int) -> dict[str, Any]:
        segment = self._segments.get(segment_id)
        if segment is None:
            raise NotFound(str(segment_id))
        return segment

    def _json(self, segment_id: int) -> dict[str, Any]:
        segment = copy.deepcopy(self._segments[segment_id])
        segment["targetsCount"] = len(self._members[segment_id]) if segment.get("type") == "static" else None
        return segment

    def _check_name(self, name: Any, segment_id: int | None) -> str:
        if not isinstance(name, str) or not name.strip():
            # Sandbox's choice: NP6 documents no required field; a nameless segment is refused.
            raise Reject(400, "a segment needs a name")
        if any(s.get("name") == name for i, s in self._segments.items() if i != segment_id):
            raise Conflict(f"a segment is already named {name!r}")  # legacy documentation: 409 on a duplicate name
        return name

    def list(self) -> builtins.list[dict[str, Any]]:
        """Every segment as NP6 answers it, in the order they were made; `targetsCount` is None for dynamic ones."""
        with self._lock:
            return [self._json(segment_id) for segment_id in self._segments]

    def get(self, segment_id: int) -> dict[str, Any]:
        """The segment with this id, as NP6 answers it; `NotFound` (answered 404) when there is none."""
        with self._lock:
            self._get(segment_id)
            return self._json(segment_id)

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Make a segment from a body as NP6 takes it, and return it as NP6 answers it (with the sandbox's id).

        Its `type` must be "static" or "dynamic" and its `name` one no other segment has: else `Reject` (answered
        400) or `Conflict` (409).
        """
        with self._lock:
            kind = body.get("type")
            if kind not in ("static", "dynamic"):
                # Sandbox's choice: only the two documented kinds can be created.
                raise Reject(400, f"segment type {kind!r}")
            name = self._check_name(body.get("name"), None)
            segment_id = self._next
            self._next += 1
            segment = {key: copy.deepcopy(value) for key, value in body.items() if key not in ("id", "targetsCount")}
            segment.update(type=kind, id=segment_id, name=name, creation=format_instant(self._clock()))
            self._segments[segment_id] = segment
            self._members[segment_id] = []
            return self._json(segment_id)

    def update(self, segment_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the `name`, `description`, `expiration` or `isTest` of a segment; return it as NP6 answers it.

        Its type cannot change (`Conflict`, answered 409), nor its name become another segment's.
        """
        with self._lock:
            segment = self._get(segment_id)
            if "type" in body and body["type"] != segment.get("type"):
                # Sandbox's choice: a static segment cannot become dynamic (its members would mean nothing).
                raise Conflict(f"segment {segment_id} is {segment.get('type')}")
            if "name" in body:
                segment["name"] = self._check_name(body["name"], segment_id)
            for key in ("description", "expiration", "isTest"):
                if key in body:
                    segment[key] = copy.deepcopy(body[key])
            return self._json(segment_id)

    def delete(self, segment_id: int) -> None:
        """Delete the segment with this id (its contacts remain); `NotFound` (answered 404) when there is none."""
        with self._lock:
            self._get(segment_id)
            del self._segments[segment_id]
            del self._members[segment_id]

    def _static(self, segment_id: int) -> builtins.list[str]:
        segment = self._get(segment_id)
        if segment.get("type") != "static":
            # Sandbox's choice (NP6 documents member operations for static segments only): 409, wrong kind.
            raise Conflict(f"segment {segment_id} is not static")
        return self._members[segment_id]

    def members(self, segment_id: int) -> builtins.list[str]:
        """The contact ids of a static segment, in the order they joined; `Conflict` (answered 409) if dynamic."""
        with self._lock:
            return list(self._static(segment_id))

    def add(self, segment_id: int, values: Sequence[str]) -> int:
        """Add contacts given by id or unicity value; returns how many were not members yet."""
        with self._lock:
            members = self._static(segment_id)
            added = 0
            for value in values:
                contact = self._contacts.get(value) or self._contacts.resolve({"type": "unicity", "value": [value]})
                if contact is not None and contact.id not in members:
                    members.append(contact.id)
                    added += 1
            return added

    def clear_members(self, segment_id: int) -> None:
        """Empty a static segment (its contacts remain); `Conflict` (answered 409) if dynamic."""
        with self._lock:
            self._static(segment_id).clear()

    def forget(self, contact_id: str) -> None:
        """A deleted contact leaves every segment."""
        with self._lock:
            for members in self._members.values():
                if contact_id in members:
                    members.remove(contact_id)

    def __len__(self) -> int:
        return len(self._segments)


# -------------------------------------------------------------------------------------------------- handlers
class DirectoryHandlers:
    """The operations of the Contact, Field, Enumeration and Segment groups."""

    def __init__(
        self,
        lock: threading.RLock,
        contacts: ContactBook,
        catalog: FieldCatalog,
        segments: SegmentStore,
        redlists: Redlists,
    ) -> None:
        self._lock = lock
        self._contacts = contacts
        self._catalog = catalog
        self._segments = segments
        self._redlists = redlists

    def handlers(self) -> dict[str, Handler]:
        return {
            "find_target": self.find_target,
            "create_target": self.create_target,
            "count_targets": self.count_targets,
            "list_mail_redlist": lambda ctx: self.list_redlist(ctx, "mail"),
            "list_sms_redlist": lambda ctx: self.list_redlist(ctx, "sms"),
            "get_target": self.get_target,
            "update_target": self.update_target,
            "delete_target": self.delete_target,
            "add_to_mail_redlist": lambda ctx: self.redlist_target(ctx, "mail"),
            "add_to_sms_redlist": lambda ctx: self.redlist_target(ctx, "sms"),
            "list_fields": lambda ctx: CoreResponse.json(200, self._catalog.fields()),
            "get_field": lambda ctx: CoreResponse.json(200, self._catalog.field(int(ctx.params["id"]))),
            "list_value_lists": lambda ctx: CoreResponse.json(200, self._catalog.value_lists()),
            "get_value_list": lambda ctx: CoreResponse.json(200, self._catalog.value_list(int(ctx.params["id"]))),
            "list_segments": lambda ctx: CoreResponse.json(200, self._segments.list()),
            "create_segment": lambda ctx: CoreResponse.json(200, self._segments.create(_object(ctx.body))),
            "get_segment": lambda ctx: CoreResponse.json(200, self._segments.get(int(ctx.params["id"]))),
            "update_segment": lambda ctx: CoreResponse.json(
                200, self._segments.update(int(ctx.params["id"]), _object(ctx.body))
            ),
            "delete_segment": self.delete_segment,
            "list_segment_targets": lambda ctx: CoreResponse.json(200, self._segments.members(int(ctx.params["id"]))),
            "add_segment_targets": self.add_segment_targets,
            "clear_segment_targets": self.clear_segment_targets,
        }

    # --------------------------------------------------------------------------------------- contacts
    def _target(self, contact: Contact) -> dict[str, Any]:
        return target_json(contact, self._catalog, self._contacts.stamps(contact.id))

    def _values(self, body: Any, *, creating: bool) -> tuple[dict[str, Any], str | None]:
        """The field values of a create or update body (keyed by field name) and the unicity value it sets."""
        values = dict(_object(body))
        unknown = sorted(name for name in values if self._catalog.by_name(name) is None)
        if unknown:
            # Sandbox's choice: a name that is no field of the account is refused (NP6's answer is undocumented;
            # it answers 404 to some invalid values, which would mislead here).
            raise Reject(400, f"unknown fields {unknown}")
        unicity_field = self._catalog.unicity_field()
        name = None if unicity_field is None else str(unicity_field["name"])
        unicity = values.get(name) if name is not None else None
        if unicity is None and not creating:
            return values, None
        if not isinstance(unicity, str) or not unicity.strip():
            # Observed in production: "target cannot be identified - unicity is null".
            raise Reject(400, "target cannot be identified - unicity is null")
        return values, unicity

    def find_target(self, ctx: Context) -> CoreResponse:
        unicity, hash_ = ctx.params.get("unicity"), ctx.params.get("hash")
        if (unicity is None) == (hash_ is None):
            # Sandbox's choice: exactly one way of naming the contact.
            raise Reject(400, "give unicity or hash")
        contact = self._contacts.find(unicity=unicity, hash=hash_)
        if contact is None:
            raise NotFound("target")
        return CoreResponse.json(200, self._target(contact), EXPERIMENTAL_MEDIA_TYPE)

    def create_target(self, ctx: Context) -> CoreResponse:
        values, unicity = self._values(ctx.body, creating=True)
        if unicity is None:  # an account without a unicity field: no contact can be identified
            raise Reject(400, "target cannot be identified - unicity is null")
        return CoreResponse.json(200, self._target(self._contacts.add(unicity, values)))

    def count_targets(self, ctx: Context) -> CoreResponse:
        return CoreResponse.json(200, {"targetsCount": len(self._contacts)})

    def get_target(self, ctx: Context) -> CoreResponse:
        contact = self._contacts.get(str(ctx.params["id"]))
        if contact is None:
            raise NotFound("target")
        return CoreResponse.json(200, self._target(contact))

    def update_target(self, ctx: Context) -> CoreResponse:
        values, unicity = self._values(ctx.body, creating=False)
        return CoreResponse.json(200, self._target(self._contacts.update(str(ctx.params["id"]), values, unicity)))

    def delete_target(self, ctx: Context) -> CoreResponse:
        with self._lock:
            contact = self._contacts.remove(str(ctx.params["id"]))
            self._segments.forget(contact.id)
            self._redlists.forget(contact.id)
        return CoreResponse.empty(204)

    def redlist_target(self, ctx: Context, channel: RedlistChannel) -> CoreResponse:
        body = _object(ctx.body)
        contact = self._contacts.get(str(ctx.params["id"]))
        if contact is None:
            raise NotFound("target")
        origin = body.get("origin", 1)  # sandbox's default: listed by the API
        return CoreResponse.json(200, self._redlists.add(channel, contact.id, origin, body.get("detail")))

    def list_redlist(self, ctx: Context, channel: RedlistChannel) -> CoreResponse:
        start, end = query_instant(ctx.params.get("startDate")), query_instant(ctx.params.get("endDate"))
        return CoreResponse.json(200, self._redlists.entries(channel, start, end))

    # --------------------------------------------------------------------------------------- segments
    def delete_segment(self, ctx: Context) -> CoreResponse:
        self._segments.delete(int(ctx.params["id"]))
        return CoreResponse.empty(204)

    def add_segment_targets(self, ctx: Context) -> CoreResponse:
        values = ctx.body
        if not isinstance(values, list) or not all(isinstance(value, str) for value in cast("list[object]", values)):
            raise Reject(400, "an array of contact ids or unicity values is required")
        values = cast("list[str]", values)
        return CoreResponse.json(200, self._segments.add(int(ctx.params["id"]), values))

    def clear_segment_targets(self, ctx: Context) -> CoreResponse:
        self._segments.clear_members(int(ctx.params["id"]))
        return CoreResponse.empty(204)
