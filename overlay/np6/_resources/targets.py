"""`client.targets`: contacts (NP6 "targets") and their redlists.

A recipient must exist as a contact before an action can reach it. NP6 creates a contact from its field values
keyed by field *name* and answers with them keyed by field *id* (see `client.fields`); a creation whose unicity
value already exists is refused with an empty 409, which `upsert()` turns into a lookup.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack, cast

import httpx
from np6_generated.api.targets import (
    add_to_mail_redlist,
    add_to_sms_redlist,
    count_targets,
    create_target,
    delete_target,
    find_target,
    get_target,
    list_mail_redlist,
    list_sms_redlist,
    update_target,
)
from np6_generated.models import RedlistEntry, Target, TargetsCount, TargetValues
from np6_generated.types import UNSET, Unset

from .._content.channel import Channel
from .._core.engine import Flow
from .._core.errors import ConflictError, InvalidInputError, NotFoundError, NP6Error
from .._core.options import RequestOptions
from .._core.retry import OperationKind
from .base import ResourceFlows, check_int, check_str_id, check_text, instant, no_body
from .binding import AsyncResource, SyncResource, operation
from .fields import FieldsFlows

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["AsyncTargets", "Targets", "TargetsFlows"]

_SCALARS = (str, int, float, bool, type(None))


def _value(value: object, name: str) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInputError(f"field {name!r}: {value!r} cannot be sent as JSON")
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (list, tuple)):  # multiple-select lists
        return [_value(item, name) for item in cast("list[object] | tuple[object, ...]", value)]
    raise InvalidInputError(f"field {name!r}: a value must be a string, number, boolean, None or a list of them")


def _values(values: object) -> TargetValues:
    """Contact values keyed by field name, checked before anything is sent."""
    if not isinstance(values, Mapping):
        raise InvalidInputError(
            f"contact values must be a mapping of field names to values (e.g. {{'Email': ...}}),"
            f" got {type(values).__name__}"
        )
    if not values:
        raise InvalidInputError("contact values must not be empty")
    checked: dict[str, Any] = {}
    for name, value in cast("Mapping[object, object]", values).items():
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputError(f"a field name must be a non-empty string, got {name!r}")
        if name.isdigit():
            # The read shape keys fields by id; NP6 refuses it on creation ("unicity is null").
            raise InvalidInputError(
                f"{name!r} looks like a field id: contacts are written with field names (see client.fields.to_names)"
            )
        checked[name] = _value(value, name)
    return TargetValues.from_dict(checked)


def _redlist_channel(channel: Channel | str) -> Channel:
    if not isinstance(channel, (Channel, str)):
        raise InvalidInputError(f"channel must be np6.Channel.EMAIL or np6.Channel.SMS, got {channel!r}")
    return Channel.coerce(channel)


def _optional_instant(value: object, what: str) -> dt.datetime | Unset:
    return UNSET if value is None else instant(value, what)


class TargetsFlows(ResourceFlows):
    def _fields(self) -> FieldsFlows:
        return FieldsFlows(self._client)

    def _create(self, values: Mapping[str, Any], **options: Unpack[RequestOptions]) -> Flow[Target]:
        """Create a contact; NP6 answers 409 (`np6.ConflictError`) when its unicity value exists (see `upsert`)."""
        body = _values(values)
        parse = create_target.parse_response

        def target_or_none(response: httpx.Response) -> Target | None:
            # The answer's body is inferred, not documented: an empty 200 means "created", and the contact is then
            # looked up by its unicity value.
            return None if not response.content.strip() else parse(response)

        created = yield from self._call(create_target.build_request(body=body), target_or_none, OperationKind.WRITE)
        if created is not None:
            return created
        field_map = yield from self._fields()._map()
        found = yield from self._find(unicity=field_map.unicity_value(values))
        if found is None:
            raise NP6Error("NP6 accepted the contact but answered no body, and looking it up found nothing")
        return found

    create = operation(_create)

    def _get(self, target_id: str, **options: Unpack[RequestOptions]) -> Flow[Target]:
        """The contact `target_id`; its `fields` are keyed by field id (`client.fields.to_names(target)`)."""
        request = get_target.build_request(id=check_str_id(target_id, "a contact id"))
        return (yield from self._read(request, get_target.parse_response))

    get = operation(_get)

    def _find(
        self, *, unicity: str | None = None, hash: str | None = None, **options: Unpack[RequestOptions]
    ) -> Flow[Target | None]:
        """The contact with this unicity value, or this hash; None when there is none."""
        if (unicity is None) == (hash is None):
            raise InvalidInputError("find() takes exactly one of unicity= or hash=")
        request = find_target.build_request(
            unicity=UNSET if unicity is None else check_text(unicity, "unicity"),
            hash_=UNSET if hash is None else check_text(hash, "hash"),
        )
        try:
            target: Target = yield from self._call(request, find_target.parse_response, OperationKind.IDEMPOTENT)
        except NotFoundError:
            return None
        return target

    find = operation(_find)

    def _update(self, target_id: str, values: Mapping[str, Any], **options: Unpack[RequestOptions]) -> Flow[Target]:
        """Change field values of a contact (keyed by field name); other fields keep their values."""
        request = update_target.build_request(id=check_str_id(target_id, "a contact id"), body=_values(values))
        return (yield from self._read(request, update_target.parse_response))

    update = operation(_update)

    def _delete(self, target_id: str, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Delete a contact."""
        request = delete_target.build_request(id=check_str_id(target_id, "a contact id"))
        yield from self._read(request, no_body)

    delete = operation(_delete)

    def _upsert(self, values: Mapping[str, Any], **options: Unpack[RequestOptions]) -> Flow[Target]:
        """Create the contact, or return the existing one with the same unicity value (its fields are left as they
        are). Looks the account's unicity field up once per client."""
        _values(values)
        # Needed after a 409; looked up first so that a contact without its unicity value is refused before any write.
        field_map = yield from self._fields()._map()
        unicity = field_map.unicity_value(values)
        try:
            return (yield from self._create(values))
        except ConflictError as conflict:
            found = yield from self._find(unicity=unicity)
            if found is None:
                # A 409 for another reason (e.g. the key's owner lacks the right), or a contact deleted meanwhile.
                raise conflict from None
            return found

    upsert = operation(_upsert)

    def _count(self, **options: Unpack[RequestOptions]) -> Flow[int]:
        """How many contacts the account holds."""
        parse = count_targets.parse_response
        counted: TargetsCount = yield from self._call(count_targets.build_request(), parse, OperationKind.IDEMPOTENT)
        if not isinstance(counted.targets_count, int):
            raise NP6Error("NP6 answered the count without targetsCount")
        return counted.targets_count

    count = operation(_count)

    def _redlist(
        self,
        target_id: str,
        channel: Channel | str = Channel.EMAIL,
        *,
        origin: int = 1,
        detail: Any = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[RedlistEntry]:
        """Put a contact on the e-mail or SMS redlist (no more messages on that channel); origin 1: by the API."""
        check_int(origin, "origin (1: listed by the API)")
        if detail is not None:
            try:
                json.dumps(detail)
            except (TypeError, ValueError) as exc:
                raise InvalidInputError(f"detail must be JSON data (str, number, list, dict...): {exc}") from exc
        body = RedlistEntry(origin=origin, detail=UNSET if detail is None else detail)
        target_id = check_str_id(target_id, "a contact id")
        if _redlist_channel(channel) is Channel.EMAIL:
            request, parse = (
                add_to_mail_redlist.build_request(id=target_id, body=body),
                add_to_mail_redlist.parse_response,
            )
        else:
            request, parse = (
                add_to_sms_redlist.build_request(id=target_id, body=body),
                add_to_sms_redlist.parse_response,
            )
        return (yield from self._read(request, parse))

    redlist = operation(_redlist)

    def _redlisted(
        self,
        channel: Channel | str = Channel.EMAIL,
        *,
        start: dt.datetime | int | None = None,
        end: dt.datetime | int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[list[RedlistEntry]]:
        """The contacts put on the e-mail or SMS redlist in [start, end)."""
        window = {"start_date": _optional_instant(start, "start"), "end_date": _optional_instant(end, "end")}
        if _redlist_channel(channel) is Channel.EMAIL:
            request, parse = list_mail_redlist.build_request(**window), list_mail_redlist.parse_response
        else:
            request, parse = list_sms_redlist.build_request(**window), list_sms_redlist.parse_response
        return (yield from self._read(request, parse))

    redlisted = operation(_redlisted)


class Targets(TargetsFlows, SyncResource):
    """Contact operations of `np6.Client`. Values are keyed by field **name**: `{"Email": "alice@example.com"}`."""

    _client: Client


class AsyncTargets(TargetsFlows, AsyncResource):
    """Contact operations of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient
