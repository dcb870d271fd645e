"""`client.events`: what became of the messages, polled from NP6's event feed (NP6 has no webhooks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Unpack

import httpx

from .._core.engine import Flow
from .._core.errors import InvalidInputError
from .._core.options import RequestOptions
from .._core.retry import OperationKind
from .._events.kinds import Event
from .._events.walk import DEFAULT_PAGE_LIMIT, EventWalk, Feed, plan_walk
from .base import ResourceFlows, millis_to_datetime
from .binding import AsyncResource, Pages, SyncResource, iteration, operation

if TYPE_CHECKING:
    pass

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["AsyncEvents", "Events", "EventsFlows"]


class EventsFlows(ResourceFlows):
    def _page(self, feed: Feed, window: tuple[int, int]) -> Flow[list[Event]]:
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
        **options: Unpack[RequestOptions],
    ) -> Flow[list[Event]]:
        """One request, as NP6 answers it (no splitting, no de-duplication): the events of [start, end)."""
        if kind is not None and not isinstance(kind, str):
            raise InvalidInputError(f"kind must be an event kind such as 'bounce', got {kind!r}")
        types = None if kind is None else {kind}
        plan = plan_walk(start, end, types, action_id, DEFAULT_PAGE_LIMIT, None)
        if len(plan.feeds) != 1:
            raise InvalidInputError("page() takes one kind")
        events = yield from self._page(plan.feeds[0], (plan.start, plan.end))
        return [event for event in events if plan.accepts(event)]

    page = operation(_one_page)

    def _iter(
        self,
        start: dt.datetime | int,
        end: dt.datetime | int,
        *,
        types: Collection[str] | None = None,
        action_id: str | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        window: dt.timedelta | None = None,
        **options: Unpack[RequestOptions],
    ) -> Pages[Event]:
        """Every event in [start, end), window after window, earliest first; repeats dropped by id.

        `types` keeps some kinds only (`{"bounce", "click"}`; see `np6.EVENT_KINDS`); `action_id` one action's
        events. `page_limit`: a page this full is taken as truncated and its window split. `window`: ask for at most
        this much time per request. The arguments are checked at once; requests start with the iteration
        (`for event in client.events.iter(...)`, `async for` on `np6.AsyncClient`).
        """
        return EventWalk(plan_walk(start, end, types, action_id, page_limit, window), self._page)

    iter = iteration(_iter)


class Events(EventsFlows, SyncResource):
    """The event feed of `np6.Client`."""

    _client: Client


class AsyncEvents(EventsFlows, AsyncResource):
    """The event feed of `np6.AsyncClient`: `async for event in client.events.iter(start, end): ...`."""

    _client: AsyncClient
