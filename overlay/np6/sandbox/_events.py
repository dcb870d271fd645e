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
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

from ._directory import Handler
from ._errors import query_instant
from ._http import CoreResponse
from ._ids import Ids, format_id
from ._reactions import Reaction, Reactions, any_scripted
from ._store import AcceptedSend, ActionStore, footprint

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


_ARRIVAL_BITS = 48


def _key(timestamp: int, arrival: int) -> int:
    # An int, not a (timestamp, arrival) tuple: one object less per entry (arrivals stay below 2**48).
    return (timestamp << _ARRIVAL_BITS) | arrival


_NO_DETAIL: Mapping[str, Any] = {}


def _message_event(
    send: AcceptedSend, k: int, kind: str, timestamp: int, prefix: str, serial: int, detail: Mapping[str, Any]
) -> dict[str, Any]:
    """An event of message `k` of `send`, as the event operations answer it: a fresh object each time."""
    contact = send.contacts[k]
    _, thread, _ = send.message_serials(k)
    activation = {
        "id": send.action_id,
        "kind": "message",
        "receiver": footprint(contact),
        "recipient": contact[1],
        "stamp": {"time": timestamp_ms(send.at), "id": send.message_ids[k], "thread": format_id(prefix, thread)},
    }
    return {
        "type": kind,
        "id": format_id(prefix, serial),
        "timestamp": timestamp,
        "identity": dict(IDENTITY),
        "source": {
            "type": "email" if send.channel == "email" else "sms",
            "detail": {"activation": activation, **copy.deepcopy(dict(detail))},
        },
    }


class _Activations(NamedTuple):
    """The activation events of every message one send accepted: one entry, since they share a timestamp.

    Why not an event per message: a send keeps its events, and the garbage collector walks every object able to
    hold others at each full collection; six nested dicts per message made it a third of a large send's time.
    The events are built when an answer lists them, each a fresh object, so nothing a caller does to an answer
    reaches the log.
    """

    send: AcceptedSend
    timestamp: int
    id_prefix: str

    def build(self, k: int) -> dict[str, Any]:
        *_, serial = self.send.message_serials(k)
        return _message_event(self.send, k, "activation", self.timestamp, self.id_prefix, serial, _NO_DETAIL)


class _ReactionEvent(NamedTuple):
    """An event a scripted reaction adds after message `k`'s activation, built when an answer lists it."""

    send: AcceptedSend
    k: int
    kind: str
    timestamp: int
    id_prefix: str
    serial: int
    detail: Mapping[str, Any]

    def build(self) -> dict[str, Any]:
        return _message_event(self.send, self.k, self.kind, self.timestamp, self.id_prefix, self.serial, self.detail)


_Entry = dict[str, Any] | _Activations | _ReactionEvent


def _timestamp(entry: _Entry) -> int:
    if type(entry) is _Activations or type(entry) is _ReactionEvent:
        return entry.timestamp
    return cast("int", cast("dict[str, Any]", entry)["timestamp"])


def _size(entry: _Entry) -> int:
    return len(entry.send.message_ids) if type(entry) is _Activations else 1


class EventLog:
    """Every event of the sandbox, kept in timestamp order.

    `lag`: seconds an event takes to appear in what the event operations answer once added (0 by default). NP6
    records events some time after the fact; a lag rehearses a poll, or a reconcile, that runs too early. The
    event keeps its timestamp: it appears late, in the window it belongs to.
    """

    def __init__(self, lock: threading.RLock, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = lock
        self._clock = clock
        # Per entry: its timestamp and its arrival, packed in one int (`_key`) that sorts as the pair would.
        self._keys: list[int] = []
        self._entries: list[_Entry] = []
        self._visible: list[float] = []  # per entry: when (on `clock`) the event operations may answer it
        self._count = 0
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

    def _record(self, entries: Sequence[_Entry]) -> None:
        """Record entries handed over: raw events (not copied again: every answer and `all()` give copies, so a
        stored event is never changed) and those of accepted messages, built on demand."""
        with self._lock:
            visible = self._clock() + max(0.0, self.lag)
            keys = [_key(_timestamp(entry), next(self._sequence)) for entry in entries]
            self._count += sum(_size(entry) for entry in entries)
            if keys == sorted(keys) and (not self._keys or not keys or self._keys[-1] <= keys[0]):
                # The usual case, a send's entries in time order after every entry known: appended at once.
                self._keys.extend(keys)
                self._entries.extend(entries)
                self._visible.extend(itertools.repeat(visible, len(keys)))
                return
            for key, entry in zip(keys, entries, strict=True):
                index = bisect.bisect(self._keys, key)
                self._keys.insert(index, key)
                self._entries.insert(index, entry)
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
            low = 0 if start is None else bisect.bisect_left(self._keys, _key(start, 0))
            high = len(self._keys) if end is None else bisect.bisect_left(self._keys, _key(end, 0))
            now = self._clock()
            visible = self._visible[low:high]
            window = [entry for entry, at in zip(self._entries[low:high], visible, strict=True) if at <= now]
            if descending:
                window = window[::-1]
            found: list[dict[str, Any]] = []
            for entry in window:
                for event in self._events_of(entry, action_id, accepts, descending=descending):
                    found.append(event)
                    if limit is not None and len(found) >= limit:
                        return found
            return found

    @staticmethod
    def _events_of(
        entry: _Entry,
        action_id: str | None,
        accepts: Callable[[Mapping[str, Any]], bool] | None,
        *,
        descending: bool,
    ) -> Iterator[dict[str, Any]]:
        """The events of one entry that an answer lists: fresh objects."""
        if type(entry) is _Activations:
            # Told without building them: the activations' action is the send's.
            if action_id is not None and entry.send.action_id != action_id:
                return
            count = len(entry.send.message_ids)
            for k in range(count - 1, -1, -1) if descending else range(count):
                event = entry.build(k)
                if accepts is None or accepts(event):
                    yield event
        elif type(entry) is _ReactionEvent:
            if action_id is None or entry.send.action_id == action_id:
                event = entry.build()
                if accepts is None or accepts(event):
                    yield event
        else:
            raw = cast("dict[str, Any]", entry)
            if (action_id is None or action_of(raw) == action_id) and (accepts is None or accepts(raw)):
                yield copy.deepcopy(raw)

    def all(self) -> list[dict[str, Any]]:
        """Copies of every event, oldest first, including those still within their `lag`."""
        with self._lock:
            return [event for entry in self._entries for event in self._events_of(entry, None, None, descending=False)]

    def clear(self) -> None:
        """Forget every event recorded so far."""
        with self._lock:
            self._keys.clear()
            self._entries.clear()
            self._visible.clear()
            self._count = 0

    def __len__(self) -> int:
        return self._count


def _reaction_events(
    send: AcceptedSend, k: int, reactions: Sequence[Reaction], at: int, ids: Ids
) -> list[_ReactionEvent]:
    """The events of the reactions message `k` of `send` triggers, 1 ms apart after its activation."""
    channel = "email" if send.channel == "email" else "sms"
    events: list[_ReactionEvent] = []

    def event(kind: str, offset: int, **detail: Any) -> None:
        events.append(_ReactionEvent(send, k, kind, at + offset, ids.prefix, ids.serial(), detail))

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


def record_deliveries(log: EventLog, reactions: Reactions, send: AcceptedSend, ids: Ids) -> None:
    """Turn the messages a send accepted into events: an activation each, then what the reactions scripted for
    its contact add, 1 ms apart."""
    if not send.message_ids:
        return
    at = timestamp_ms(send.at)
    entries: list[_Entry] = [_Activations(send, at, ids.prefix)]
    if any_scripted(reactions):
        for k, (_, unicity, _) in enumerate(send.contacts):
            scripted = reactions.of(unicity)
            if scripted:
                entries.extend(_reaction_events(send, k, scripted, at, ids))
    log._record(entries)
