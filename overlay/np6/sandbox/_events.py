"""The events of the sandbox: what `GET /actions/events` and the per-action event operations answer.

Why events are produced at send time: NP6 has no webhooks, so a client learns what became of its messages only
by polling these operations. Every message the sandbox accepts produces an `activation` event; the reactions a
test scripts (`sandbox.reactions.bounce("bob@example.com", verdict="hard")`, `.click(...)`, `.sms_stop(...)`)
add the events that follow it. Events can also be added as they are (`sandbox.events.add({...})`), e.g. to fill a
window with more events than a page holds.

The shapes follow the NP6 reference examples (activation and bounce); where NP6 shows none (hits, SMS STOP
replies) the sandbox uses the spec's inferred members (`source.detail.link.type`, `source.detail.response`).
`Sandbox(events_page_cap=n)` makes every event operation answer at most `n` events, the earliest first (or the
latest with `sort=desc`): NP6 documents no pagination, so a client must narrow its window when a page is full.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from ._directory import Handler
from ._errors import query_instant
from ._http import CoreResponse
from ._reactions import Reaction, Reactions
from ._store import ActionStore, Delivery

__all__ = ["EVENT_FILTERS", "EventHandlers", "EventLog", "record_deliveries", "timestamp_ms"]

_LINK_TYPES: dict[str, str] = {
    "open": "open",
    "click": "redirection",
    "mirror": "mirror",
    "unsubscribe": "unsubscribe",
    "form": "form",
}
IDENTITY: Mapping[str, str] = {"type": "customer", "agency": "SANDBOX", "customer": "001"}


def timestamp_ms(instant: datetime) -> int:
    """NP6's event timestamp: milliseconds since the Unix epoch."""
    return int(instant.astimezone(UTC).timestamp() * 1000)


def _detail(event: Mapping[str, Any]) -> Mapping[str, Any]:
    source = event.get("source")
    detail = cast("Mapping[str, Any]", source).get("detail") if isinstance(source, Mapping) else None
    return cast("Mapping[str, Any]", detail) if isinstance(detail, Mapping) else {}


def _member(event: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = _detail(event).get(name)
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else {}


def action_of(event: Mapping[str, Any]) -> str | None:
    """The action an event belongs to (its activation's or its execution's)."""
    for name in ("activation", "execution"):
        action_id = _member(event, name).get("id")
        if isinstance(action_id, str):
            return action_id
    return None


def _hit(link_type: str | None) -> Callable[[Mapping[str, Any]], bool]:
    def accepts(event: Mapping[str, Any]) -> bool:
        return event.get("type") == "hit" and (link_type is None or _member(event, "link").get("type") == link_type)

    return accepts


def _typed(kind: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda event: event.get("type") == kind


def _stop(event: Mapping[str, Any]) -> bool:
    return event.get("type") == "reply" and str(_member(event, "response").get("type", "")).lower() == "stop"


#: The events each per-action operation answers.
EVENT_FILTERS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "list_action_events": lambda event: True,
    "list_action_activations": _typed("activation"),
    "list_action_cancellations": _typed("cancellation"),
    "list_action_executions": _typed("execution"),
    "list_action_bounces": _typed("bounce"),
    "list_action_hits": _hit(None),
    "list_action_open_hits": _hit("open"),
    "list_action_redirection_hits": _hit("redirection"),
    "list_action_mirror_hits": _hit("mirror"),
    "list_action_unsubscribe_hits": _hit("unsubscribe"),
    "list_action_form_hits": _hit("form"),
    "list_action_stop_responses": _stop,
}


class EventLog:
    """Every event of the sandbox, kept in timestamp order.

    `lag`: seconds an event takes to appear in what the event operations answer once added (0 by default). NP6
    records events some time after the fact; a lag rehearses a poll, or a reconcile, that runs too early. The
    event keeps its timestamp: it appears late, in the window it belongs to.
    """

    def __init__(self, lock: threading.RLock, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = lock
        self._clock = clock
        self._keys: list[tuple[int, int]] = []
        self._events: list[dict[str, Any] | _MessageEvent] = []
        self._visible: list[float] = []  # per event: when (on `clock`) the event operations may answer it
        self._sequence = itertools.count()
        self.lag: float = 0.0

    def add(self, *events: Mapping[str, Any]) -> None:
        """Record events (each needs an integer `timestamp`, in milliseconds)."""
        for event in events:
            stamp = event.get("timestamp")
            if not isinstance(stamp, int) or isinstance(stamp, bool):
                raise ValueError("an event needs an integer timestamp (milliseconds since the epoch)")
        # Copied: the caller keeps its dicts and may change them afterwards.
        self._record([copy.deepcopy(dict(event)) for event in events])

    def _record(self, events: Iterable[dict[str, Any] | _MessageEvent]) -> None:
        """Record events handed over: raw ones (not copied again: every answer and `all()` give copies, so a
        stored event is never changed) and those of accepted messages, built on demand."""
        with self._lock:
            visible = self._clock() + max(0.0, self.lag)
            for event in events:
                stamp = event.timestamp if type(event) is _MessageEvent else cast("dict[str, Any]", event)["timestamp"]
                key = (stamp, next(self._sequence))
                if not self._keys or self._keys[-1] <= key:  # the usual case: events come in time order
                    self._keys.append(key)
                    self._events.append(event)
                    self._visible.append(visible)
                    continue
                index = bisect.bisect(self._keys, key)
                self._keys.insert(index, key)
                self._events.insert(index, event)
                self._visible.insert(index, visible)

    def query(
        self,
        start: int | None = None,
        end: int | None = None,
        *,
        action_id: str | None = None,
        accepts: Callable[[Mapping[str, Any]], bool] | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events with start <= timestamp < end (milliseconds), oldest first unless `descending`, at most `limit`;
        events still within their `lag` are left out."""
        with self._lock:
            low = 0 if start is None else bisect.bisect_left(self._keys, (start, -1))
            high = len(self._keys) if end is None else bisect.bisect_left(self._keys, (end, -1))
            now = self._clock()
            visible = self._visible[low:high]
            window = [event for event, at in zip(self._events[low:high], visible, strict=True) if at <= now]
            if descending:
                window = window[::-1]
            found: list[dict[str, Any]] = []
            for entry in window:
                event: dict[str, Any] | None
                if isinstance(entry, _MessageEvent):
                    # Told without building it: its activation's action is the delivery's.
                    event = entry.build() if action_id is None or entry.delivery.action_id == action_id else None
                else:
                    event = entry if action_id is None or action_of(entry) == action_id else None
                if event is None or (accepts is not None and not accepts(event)):
                    continue
                # A built event is a fresh object already; a stored one is copied.
                found.append(event if isinstance(entry, _MessageEvent) else copy.deepcopy(event))
                if limit is not None and len(found) >= limit:
                    break
            return found

    def all(self) -> list[dict[str, Any]]:
        """Copies of every event, oldest first, including those still within their `lag`."""
        with self._lock:
            return [_copy(entry) for entry in self._events]

    def clear(self) -> None:
        """Forget every event recorded so far."""
        with self._lock:
            self._keys.clear()
            self._events.clear()
            self._visible.clear()

    def __len__(self) -> int:
        return len(self._events)


class _MessageEvent:
    """An event of an accepted message, kept as its parts and built into its JSON form when an answer needs it.

    Why not the JSON form at once: a send makes one or more events per message, six nested dicts each, which the
    garbage collector then walks at every collection: a third of a large send's time. Built on demand, each is a
    fresh object, so nothing a caller does to an answer reaches the log.
    """

    __slots__ = ("delivery", "detail", "event_id", "kind", "thread", "timestamp")

    def __init__(
        self, delivery: Delivery, kind: str, timestamp: int, event_id: str, thread: str, detail: Mapping[str, Any]
    ) -> None:
        self.delivery = delivery
        self.kind = kind
        self.timestamp = timestamp
        self.event_id = event_id
        self.thread = thread
        self.detail = detail

    def build(self) -> dict[str, Any]:
        """The event as the event operations answer it."""
        delivery = self.delivery
        activation = {
            "id": delivery.action_id,
            "kind": "message",
            "receiver": {
                "type": "footprint",
                "id": delivery.contact_id,
                "unicity": delivery.unicity,
                "hash": delivery.hash,
            },
            "recipient": delivery.unicity,
            "stamp": {"time": timestamp_ms(delivery.at), "id": delivery.message_id, "thread": self.thread},
        }
        return {
            "type": self.kind,
            "id": self.event_id,
            "timestamp": self.timestamp,
            "identity": dict(IDENTITY),
            "source": {
                "type": "email" if delivery.channel == "email" else "sms",
                "detail": {"activation": activation, **copy.deepcopy(dict(self.detail))},
            },
        }


def _copy(entry: dict[str, Any] | _MessageEvent) -> dict[str, Any]:
    return entry.build() if type(entry) is _MessageEvent else copy.deepcopy(cast("dict[str, Any]", entry))


_NO_DETAIL: Mapping[str, Any] = {}


def delivery_events(
    delivery: Delivery, reactions: Sequence[Reaction], new_id: Callable[[], str]
) -> list[_MessageEvent]:
    """The activation of an accepted message and the events of the reactions it triggers, 1 ms apart."""
    at = timestamp_ms(delivery.at)
    channel = "email" if delivery.channel == "email" else "sms"
    thread = new_id()
    events = [_MessageEvent(delivery, "activation", at, new_id(), thread, _NO_DETAIL)]

    def event(kind: str, offset: int, **detail: Any) -> None:
        events.append(_MessageEvent(delivery, kind, at + offset, new_id(), thread, detail))

    for offset, reaction in enumerate(reactions, start=1):
        if reaction.kind == "sms_stop":
            if channel == "sms":
                event("reply", offset, response={"type": "stop", "value": "STOP"})
        elif channel != "email":
            continue  # bounces, hits and complaints are e-mail reactions
        elif reaction.kind == "bounce":
            bounce = {
                "status": {
                    "type": "sync",
                    "code": {"enhanced": reaction.enhanced_code},
                    "diagnostic": reaction.diagnostic,
                    "mta": "",
                },
                "analysis": {"verdict": reaction.verdict, "subject": {"type": "mailbox status"}},
            }
            event("bounce", offset, bounce=bounce)
        elif reaction.kind == "complaint":
            event("complaint", offset)
        else:
            event("hit", offset, link={"type": _LINK_TYPES[reaction.kind]})
    return events


def _millis(value: Any) -> int | None:
    instant = query_instant(value)
    return None if instant is None else timestamp_ms(instant)


class EventHandlers:
    """The operations of the "Email & SMS events" group."""

    def __init__(self, actions: ActionStore, log: EventLog, page_cap: Callable[[], int | None]) -> None:
        self._actions = actions
        self._log = log
        self._page_cap = page_cap

    def handlers(self) -> dict[str, Handler]:
        found: dict[str, Handler] = {"list_events": lambda ctx: self._answer(ctx, None, None)}
        for operation_id, accepts in EVENT_FILTERS.items():
            found[operation_id] = self._per_action(accepts, hits="hit" in operation_id)
        return found

    def _per_action(self, accepts: Callable[[Mapping[str, Any]], bool], *, hits: bool) -> Handler:
        def handle(ctx: Any) -> CoreResponse:
            action_id = str(ctx.params["id"])
            self._actions.get(action_id)  # 404 for an unknown action
            if hits and ctx.params.get("classification"):
                # The sandbox has no robots: asking for robot-classified hits finds none.
                return CoreResponse.json(200, [])
            return self._answer(ctx, action_id, accepts)

        return handle

    def _answer(
        self, ctx: Any, action_id: str | None, accepts: Callable[[Mapping[str, Any]], bool] | None
    ) -> CoreResponse:
        start, end = _millis(ctx.params.get("start")), _millis(ctx.params.get("end"))
        events = self._log.query(
            start,
            end,
            action_id=action_id,
            accepts=accepts,
            descending=ctx.params.get("sort") == "desc",
            limit=self._page_cap(),
        )
        return CoreResponse.json(200, events)


def record_deliveries(
    log: EventLog, reactions: Reactions, deliveries: Iterable[Delivery], new_id: Callable[[], str]
) -> None:
    """Turn accepted messages into events."""
    for delivery in deliveries:
        log._record(delivery_events(delivery, reactions.of(delivery.unicity), new_id))
