"""`client.events`: what became of the messages, polled from NP6's event feed (NP6 has no webhooks).

`iter(start, end)` walks a time window and yields typed events: `ActivationEvent` (a message handed over for
delivery), `BounceEvent` (with NP6's hard/soft verdict), `OpenEvent`, `ClickEvent`, `UnsubscribeEvent` and other
`HitEvent`s, `SmsStopEvent`, `CancellationEvent`, `ComplaintEvent`... and `UnknownEvent` for a type this client does
not know, which is yielded like the others rather than dropped.

Why windows are split: NP6 documents no pagination, so an answer holding as many events as a page can hold
(`page_limit`) may be truncated. Such a window is cut in two and both halves are asked for again, until every page
is below the limit (or the window is one millisecond wide). The windows are made one after the other, so a walk over
months costs no more memory than one over a day; repeats are dropped by id among the last 100,000 events (NP6 may
answer an event twice, in neighbouring windows or later with another timestamp).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs
import httpx
from np6_generated.api.events import (
    list_action_activations,
    list_action_bounces,
    list_action_cancellations,
    list_action_events,
    list_action_executions,
    list_action_form_hits,
    list_action_hits,
    list_action_mirror_hits,
    list_action_open_hits,
    list_action_redirection_hits,
    list_action_stop_responses,
    list_action_unsubscribe_hits,
    list_events,
)
from np6_generated.models import ActionEvent, EventSortOrder
from np6_generated.types import RequestArgs, Unset

from .._core.engine import Flow
from .._core.errors import InvalidInputError
from .._core.logs import logger
from .._core.retry import OperationKind
from .base import (
    AsyncResource,
    ResourceFlows,
    SyncResource,
    check_str_id,
    datetime_to_millis,
    instant,
    millis_to_datetime,
    operation,
    twin_of,
)

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = [
    "DEFAULT_PAGE_LIMIT",
    "EVENT_KINDS",
    "ActivationEvent",
    "AsyncEvents",
    "BounceEvent",
    "CancellationEvent",
    "ClickEvent",
    "ComplaintEvent",
    "Event",
    "Events",
    "EventsFlows",
    "ExecutionEvent",
    "HitEvent",
    "OpenEvent",
    "SmsStopEvent",
    "UnknownEvent",
    "UnsubscribeEvent",
]

#: A page with this many events is taken as truncated. NP6 documents no cap; pass your account's if you know it.
DEFAULT_PAGE_LIMIT = 1000


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _unicity(value: Any) -> str | None:
    if isinstance(value, list):
        return "".join(str(part) for part in value) if value else None
    return _text(value)


@attrs.frozen(kw_only=True)
class Event:
    """One NP6 event. `type` is NP6's; `raw` is the event exactly as NP6 sent it.

    `message_id` is the id a send answered with (`ExecutionSuccess.id`), which is how an event is matched with the
    message it is about; `action_id`, `contact_id`, `unicity` and `hash` say which action and contact.
    """

    kind: ClassVar[str] = "event"

    id: str | None
    type: str
    at: dt.datetime | None
    channel: str | None
    action_id: str | None
    message_id: str | None
    contact_id: str | None
    unicity: str | None
    hash: str | None
    raw: Mapping[str, Any] = attrs.field(repr=False, eq=False)

    @property
    def kinds(self) -> frozenset[str]:
        """The names `types=` selects this event by: its kind, NP6's type, and "hit" plus the link type of a hit."""
        return frozenset({self.kind, self.type})

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Event:
        """The typed event for one event of NP6's feed (any JSON object; unknown types give `UnknownEvent`)."""
        if not isinstance(data, Mapping):
            raise InvalidInputError(f"an event is a JSON object, got {type(data).__name__}")
        source = _mapping(data.get("source"))
        detail = _mapping(source.get("detail"))
        message = _mapping(detail.get("activation")) or _mapping(detail.get("execution"))
        receiver = _mapping(message.get("receiver")) or _mapping(message.get("recipient"))
        stamp = _mapping(message.get("stamp"))
        timestamp = data.get("timestamp")
        receiver_type = receiver.get("type")
        common: dict[str, Any] = {
            "id": _text(data.get("id")),
            "type": str(data.get("type")),
            "at": _instant_or_none(timestamp),
            "channel": _text(source.get("type")),
            "action_id": _text(message.get("id")),
            "message_id": _text(stamp.get("id")),
            "contact_id": _text(receiver.get("value")) if receiver_type == "id" else _text(receiver.get("id")),
            "unicity": _unicity(receiver.get("unicity")) or _text(message.get("recipient")),
            "hash": _text(receiver.get("hash")) or (_text(receiver.get("value")) if receiver_type == "hash" else None),
            "raw": data,
        }
        kind = common["type"]
        if kind == "activation":
            return ActivationEvent(**common)
        if kind == "execution":
            return ExecutionEvent(**common)
        if kind == "cancellation":
            cancellation = _mapping(detail.get("cancellation"))
            value = _mapping(cancellation.get("value"))
            return CancellationEvent(
                **common,
                reason=_text(cancellation.get("type")),
                subject=_text(value.get("type")),
                message=_text(value.get("message")),
            )
        if kind == "bounce":
            bounce = _mapping(detail.get("bounce"))
            status, analysis = _mapping(bounce.get("status")), _mapping(bounce.get("analysis"))
            verdict = _text(analysis.get("verdict"))
            return BounceEvent(
                **common,
                verdict=verdict.lower() if verdict else None,
                code=_text(_mapping(status.get("code")).get("enhanced")),
                diagnostic=_text(status.get("diagnostic")),
            )
        if kind == "hit":
            link_type = _text(_mapping(detail.get("link")).get("type"))
            hit_class = _HITS.get((link_type or "").lower(), HitEvent)
            return hit_class(**common, link_type=link_type)
        if kind == "reply":
            response = _mapping(detail.get("response"))
            if str(response.get("type", "")).lower() == "stop":
                return SmsStopEvent(**common, text=_text(response.get("value")))
        if kind == "complaint":
            return ComplaintEvent(**common)
        return UnknownEvent(**common)


@attrs.frozen(kw_only=True)
class ActivationEvent(Event):
    """NP6 handed the message over for delivery (one per message sent)."""

    kind: ClassVar[str] = "activation"


@attrs.frozen(kw_only=True)
class ExecutionEvent(Event):
    """NP6 received the send request of the message."""

    kind: ClassVar[str] = "execution"


@attrs.frozen(kw_only=True)
class CancellationEvent(Event):
    """NP6 cancelled the message; `reason` is NP6's (e.g. "user defined policy"), `subject` what failed ("render")."""

    kind: ClassVar[str] = "cancellation"
    reason: str | None
    subject: str | None
    message: str | None


@attrs.frozen(kw_only=True)
class BounceEvent(Event):
    """The message bounced; `verdict` is NP6's "hard" (permanent: stop mailing) or "soft" (temporary)."""

    kind: ClassVar[str] = "bounce"
    verdict: str | None
    code: str | None
    diagnostic: str | None

    @property
    def hard(self) -> bool:
        return self.verdict == "hard"

    @property
    def soft(self) -> bool:
        return self.verdict == "soft"


@attrs.frozen(kw_only=True)
class HitEvent(Event):
    """A tracked hit; `link_type` is NP6's: open, redirection (a click), mirror, unsubscribe or form."""

    kind: ClassVar[str] = "hit"
    link_type: str | None

    @property
    def kinds(self) -> frozenset[str]:
        names = {self.kind, self.type, "hit"}
        if self.link_type:
            names.add(_LINK_KINDS.get(self.link_type.lower(), self.link_type.lower()))
        return frozenset(names)


@attrs.frozen(kw_only=True)
class OpenEvent(HitEvent):
    """The message was opened."""

    kind: ClassVar[str] = "open"


@attrs.frozen(kw_only=True)
class ClickEvent(HitEvent):
    """A tracked link of the message was clicked (NP6: a `redirection` hit)."""

    kind: ClassVar[str] = "click"


@attrs.frozen(kw_only=True)
class UnsubscribeEvent(HitEvent):
    """The unsubscribe link of the message was clicked."""

    kind: ClassVar[str] = "unsubscribe"


@attrs.frozen(kw_only=True)
class SmsStopEvent(Event):
    """The contact answered STOP to an SMS."""

    kind: ClassVar[str] = "sms_stop"
    text: str | None


@attrs.frozen(kw_only=True)
class ComplaintEvent(Event):
    """The contact reported the message as spam."""

    kind: ClassVar[str] = "complaint"


@attrs.frozen(kw_only=True)
class UnknownEvent(Event):
    """An event of a type this client has no class for (`type` says which); see `raw`."""

    kind: ClassVar[str] = "unknown"


_HITS: dict[str, type[HitEvent]] = {"open": OpenEvent, "redirection": ClickEvent, "unsubscribe": UnsubscribeEvent}
_LINK_KINDS = {"redirection": "click"}

#: The names `types=` accepts: this client's kinds and NP6's own event types (sorted, so that it prints the same
#: in every run).
EVENT_KINDS: tuple[str, ...] = tuple(
    sorted(
        {
            "activation",
            "execution",
            "cancellation",
            "bounce",
            "hit",
            "open",
            "click",
            "mirror",
            "unsubscribe",
            "form",
            "sms_stop",
            "complaint",
            "unknown",
            # NP6 types without a class of their own (they come as UnknownEvent).
            "creation",
            "modification",
            "impression",
            "suppression",
            "optout",
            "reply",
            "delivery",
        }
    )
)


class _ActionFeed(Protocol):
    """A generated operation that lists one action's events of a window (a module of np6_generated.api.events)."""

    def build_request(
        self,
        id: str,
        *,
        start: dt.datetime | Unset = ...,
        end: dt.datetime | Unset = ...,
        sort: EventSortOrder | Unset = ...,
    ) -> RequestArgs: ...

    def parse_response(self, response: httpx.Response) -> list[ActionEvent]: ...


@attrs.frozen
class _Feed:
    """What the walk reads windows of: the account's event feed, or one feed of an action's."""

    operation: _ActionFeed | None
    action_id: str | None

    def request(self, start: dt.datetime, end: dt.datetime) -> RequestArgs:
        if self.operation is None or self.action_id is None:
            return list_events.build_request(start=start, end=end, sort=EventSortOrder.ASC)
        return self.operation.build_request(self.action_id, start=start, end=end, sort=EventSortOrder.ASC)

    def parse(self, response: httpx.Response) -> list[ActionEvent]:
        return (self.operation or list_events).parse_response(response)


# The per-type operation of one action's events, for the kinds that have one.
_PER_KIND: dict[str, _ActionFeed] = {
    "activation": list_action_activations,
    "cancellation": list_action_cancellations,
    "execution": list_action_executions,
    "bounce": list_action_bounces,
    "hit": list_action_hits,
    "open": list_action_open_hits,
    "click": list_action_redirection_hits,
    "mirror": list_action_mirror_hits,
    "unsubscribe": list_action_unsubscribe_hits,
    "form": list_action_form_hits,
    "sms_stop": list_action_stop_responses,
}


# ------------------------------------------------------------------------------------------------- the walk


def _instant_or_none(timestamp: object) -> dt.datetime | None:
    # An event with a timestamp out of range (microseconds where milliseconds are due...) is still yielded.
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        return None
    try:
        return millis_to_datetime(timestamp)
    except (OverflowError, OSError, ValueError):
        return None


# How many recent event ids the walk remembers to drop repeats: NP6 may answer an event twice (in neighbouring
# windows, or again later with another timestamp). A bound keeps a walk over months at a few MiB.
SEEN_IDS = 100_000


class _Walk:
    """Which [start, end) windows (milliseconds) to ask for next, earliest first, made as they are needed."""

    def __init__(self, start: int, end: int, span: int | None, page_limit: int) -> None:
        self._page_limit = page_limit
        self._cursor = start
        self._end = end
        self._step = span or (end - start)
        self._splits: list[tuple[int, int]] = []  # halves of windows that were too full, earliest on top
        self._seen: dict[str, None] = {}  # insertion-ordered: the oldest ids are forgotten first

    def next(self) -> tuple[int, int] | None:
        if self._splits:
            return self._splits.pop()
        if self._cursor >= self._end:
            return None
        window = (self._cursor, min(self._cursor + self._step, self._end))
        self._cursor = window[1]
        return window

    def page(self, window: tuple[int, int], events: list[Event]) -> list[Event]:
        """The new events of a page, or none when the page may be truncated and its window was split instead."""
        low, high = window
        if len(events) >= self._page_limit:
            if high - low > 1:
                middle = (low + high) // 2
                self._splits += [(middle, high), (low, middle)]
                return []
            logger.warning(
                "%d events in the 1 ms window at %s, the page limit: some may be missing",
                len(events),
                millis_to_datetime(low).isoformat(),
            )
        fresh: list[Event] = []
        seen = self._seen
        for event in events:
            if event.id is not None:
                if event.id in seen:
                    continue
                seen[event.id] = None
                if len(seen) > SEEN_IDS:
                    del seen[next(iter(seen))]
            fresh.append(event)
        return fresh


@attrs.frozen
class _Plan:
    """A checked `iter()` call: the operations to walk, in order, and what to keep."""

    feeds: tuple[_Feed, ...]
    action_id: str | None
    start: int
    end: int
    span: int | None
    page_limit: int
    types: frozenset[str] | None

    def accepts(self, event: Event) -> bool:
        return self.types is None or bool(event.kinds & self.types)


def _types(types: object) -> frozenset[str] | None:
    if types is None:
        return None
    if isinstance(types, (str, bytes)) or not isinstance(types, Collection):
        raise InvalidInputError(f"types must be a collection of event kinds such as {{'bounce'}}, got {types!r}")
    if not all(isinstance(name, str) for name in types):
        raise InvalidInputError(f"types must contain event kinds as strings, got {types!r}")
    names = frozenset(types)
    unknown = sorted(str(name) for name in names if name not in EVENT_KINDS)
    if unknown:
        raise InvalidInputError(f"unknown event kinds {unknown}; known: {list(EVENT_KINDS)}")
    if not names:
        raise InvalidInputError("types must name at least one event kind (or be None for every event)")
    return names


def _plan(start: object, end: object, types: object, action_id: object, page_limit: object, window: object) -> _Plan:
    low = datetime_to_millis(instant(start, "start"))
    high = datetime_to_millis(instant(end, "end"))
    if high <= low:
        raise InvalidInputError("end must be at least 1 ms after start (NP6 counts time in milliseconds)")
    if not isinstance(page_limit, int) or isinstance(page_limit, bool) or page_limit < 1:
        raise InvalidInputError(f"page_limit must be a positive integer, got {page_limit!r}")
    span: int | None = None
    if window is not None:
        if not isinstance(window, dt.timedelta) or window < dt.timedelta(milliseconds=1):
            raise InvalidInputError(f"window must be a timedelta of at least 1 ms, got {window!r}")
        span = window // dt.timedelta(milliseconds=1)
    kinds = _types(types)
    action = None if action_id is None else check_str_id(action_id, "action_id")
    feeds: tuple[_Feed, ...]
    if action is None:
        feeds = (_Feed(None, None),)
    elif kinds is not None and len(kinds) == 1 and next(iter(kinds)) in _PER_KIND:
        # The kind has its own operation: NP6 filters, fewer events travel, and what it answers is that kind
        # whatever the event says of itself (a hit without its link type is still an open on the opens feed).
        feeds = (_Feed(_PER_KIND[next(iter(kinds))], action),)
        kinds = None
    else:
        # Several kinds: one feed, filtered here, so that events stay in time order across kinds.
        feeds = (_Feed(list_action_events, action),)
    return _Plan(feeds, action, low, high, span, page_limit, kinds)


class EventsFlows(ResourceFlows):
    def _page(self, feed: _Feed, window: tuple[int, int]) -> Flow[list[Event]]:
        def typed(response: httpx.Response) -> list[Event]:
            feed.parse(response)  # checks the shape against the spec
            return [Event.from_json(item) for item in response.json()]

        request = feed.request(millis_to_datetime(window[0]), millis_to_datetime(window[1]))
        events: list[Event] = yield from self._call(request, typed, OperationKind.IDEMPOTENT)
        return events

    def _one_page(
        self,
        start: dt.datetime | int,
        end: dt.datetime | int,
        *,
        action_id: str | None = None,
        kind: str | None = None,
    ) -> Flow[list[Event]]:
        """One request, as NP6 answers it (no splitting, no de-duplication): the events of [start, end)."""
        if kind is not None and not isinstance(kind, str):
            raise InvalidInputError(f"kind must be an event kind such as 'bounce', got {kind!r}")
        types = None if kind is None else {kind}
        plan = _plan(start, end, types, action_id, DEFAULT_PAGE_LIMIT, None)
        if len(plan.feeds) != 1:
            raise InvalidInputError("page() takes one kind")
        events = yield from self._page(plan.feeds[0], (plan.start, plan.end))
        return [event for event in events if plan.accepts(event)]

    page = operation(_one_page)


class Events(EventsFlows, SyncResource):
    """The event feed of `np6.Client`."""

    _client: Client

    def iter(
        self,
        start: dt.datetime | int,
        end: dt.datetime | int,
        *,
        types: Collection[str] | None = None,
        action_id: str | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        window: dt.timedelta | None = None,
    ) -> Iterator[Event]:
        """Every event in [start, end), window after window, earliest first; repeats dropped by id.

        `types` keeps some kinds only (`{"bounce", "click"}`; see `np6.EVENT_KINDS`); `action_id` one action's
        events. `page_limit`: a page this full is taken as truncated and its window split. `window`: ask for at most
        this much time per request. The arguments are checked at once; requests start with the iteration.
        """
        plan = _plan(start, end, types, action_id, page_limit, window)
        return self._walk(plan)

    def _walk(self, plan: _Plan) -> Iterator[Event]:
        for feed in plan.feeds:
            walk = _Walk(plan.start, plan.end, plan.span, plan.page_limit)
            while (window := walk.next()) is not None:
                page = self._client._run(self._page(feed, window))
                for event in walk.page(window, page):
                    if plan.accepts(event):
                        yield event


class AsyncEvents(EventsFlows, AsyncResource):
    """The event feed of `np6.AsyncClient`: `async for event in client.events.iter(start, end): ...`."""

    _client: AsyncClient

    @twin_of(Events.iter, "Async: an async iterator (`async for`).")
    def iter(
        self,
        start: dt.datetime | int,
        end: dt.datetime | int,
        *,
        types: Collection[str] | None = None,
        action_id: str | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        window: dt.timedelta | None = None,
    ) -> AsyncIterator[Event]:
        plan = _plan(start, end, types, action_id, page_limit, window)
        return self._walk(plan)

    async def _walk(self, plan: _Plan) -> AsyncIterator[Event]:
        for feed in plan.feeds:
            walk = _Walk(plan.start, plan.end, plan.span, plan.page_limit)
            while (window := walk.next()) is not None:
                page = await self._client._run(self._page(feed, window))
                for event in walk.page(window, page):
                    if plan.accepts(event):
                        yield event
