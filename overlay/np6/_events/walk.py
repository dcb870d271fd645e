"""How `client.events.iter` reads a time window: which feed, which windows, in which order, and what to keep.

NP6 documents no pagination, so an answer holding as many events as a page can hold (`page_limit`) may be
truncated. Such a window is cut in two and both halves are asked for again, until every page is below the limit
(or the window is one millisecond wide). The windows are made one after the other, so a walk over months costs no
more memory than one over a day; repeats are dropped by id among the last 100,000 events (NP6 may answer an event
twice, in neighbouring windows or later with another timestamp). Sans-IO: the resource asks `EventWalk.next()`
for a request and hands the page back to `EventWalk.take()`, with or without `await`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

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
from .._resources.base import check_int, check_names, check_str_id, datetime_to_millis, instant, millis_to_datetime
from .kinds import EVENT_KINDS, Event

__all__ = ["DEFAULT_PAGE_LIMIT", "SEEN_IDS", "EventWalk", "Feed", "Plan", "Windows", "plan_walk"]

#: A page with this many events is taken as truncated. NP6 documents no cap; pass your account's if you know it.
DEFAULT_PAGE_LIMIT = 1000


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
class Feed:
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


# How many recent event ids the walk remembers to drop repeats: NP6 may answer an event twice (in neighbouring
# windows, or again later with another timestamp). A bound keeps a walk over months at a few MiB.
SEEN_IDS = 100_000


class Windows:
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
class Plan:
    """A checked `iter()` call: the operations to walk, in order, and what to keep."""

    feeds: tuple[Feed, ...]
    action_id: str | None
    start: int
    end: int
    span: int | None
    page_limit: int
    types: frozenset[str] | None

    def accepts(self, event: Event) -> bool:
        return self.types is None or bool(event.kinds & self.types)


def _types(types: object) -> frozenset[str] | None:
    return None if types is None else check_names(types, "event kinds", EVENT_KINDS)


def plan_walk(start: object, end: object, types: object, action_id: object, page_limit: object, window: object) -> Plan:
    low = datetime_to_millis(instant(start, "start"))
    high = datetime_to_millis(instant(end, "end"))
    if high <= low:
        raise InvalidInputError("end must be at least 1 ms after start (NP6 counts time in milliseconds)")
    page_limit = check_int(page_limit, "page_limit", 1)
    span: int | None = None
    if window is not None:
        if not isinstance(window, dt.timedelta) or window < dt.timedelta(milliseconds=1):
            raise InvalidInputError(f"window must be a timedelta of at least 1 ms, got {window!r}")
        span = window // dt.timedelta(milliseconds=1)
    kinds = _types(types)
    action = None if action_id is None else check_str_id(action_id, "action_id")
    feeds: tuple[Feed, ...]
    if action is None:
        feeds = (Feed(None, None),)
    elif kinds is not None and len(kinds) == 1 and next(iter(kinds)) in _PER_KIND:
        # The kind has its own operation: NP6 filters, fewer events travel, and what it answers is that kind
        # whatever the event says of itself (a hit without its link type is still an open on the opens feed).
        feeds = (Feed(_PER_KIND[next(iter(kinds))], action),)
        kinds = None
    else:
        # Several kinds: one feed, filtered here, so that events stay in time order across kinds.
        feeds = (Feed(list_action_events, action),)
    return Plan(feeds, action, low, high, span, page_limit, kinds)


class EventWalk:
    """One `iter()` call, window after window of each of its feeds (`np6._resources.binding.Pages`): `next_page()`
    is the flow of the next page to ask for, `take()` what of its answer to yield."""

    def __init__(self, plan: Plan, fetch: Callable[[Feed, tuple[int, int]], Flow[list[Event]]]) -> None:
        self._plan = plan
        self._fetch = fetch
        self._feeds = iter(plan.feeds)
        self._feed: Feed | None = None
        self._windows: Windows | None = None
        self._window: tuple[int, int] | None = None

    def next(self) -> tuple[Feed, tuple[int, int]] | None:
        plan = self._plan
        while True:
            if self._windows is not None and self._feed is not None:
                self._window = self._windows.next()
                if self._window is not None:
                    return self._feed, self._window
            self._feed = next(self._feeds, None)
            if self._feed is None:
                return None
            self._windows = Windows(plan.start, plan.end, plan.span, plan.page_limit)

    def next_page(self) -> Flow[list[Event]] | None:
        step = self.next()
        return None if step is None else self._fetch(*step)

    def take(self, page: list[Event]) -> list[Event]:
        if self._windows is None or self._window is None:
            raise RuntimeError("take() answers the page next() asked for")
        return [event for event in self._windows.page(self._window, page) if self._plan.accepts(event)]
