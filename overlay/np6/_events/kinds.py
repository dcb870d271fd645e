"""The typed events of NP6's feed: `Event` and its kinds, read from any JSON NP6 answers (an unknown type is an
`UnknownEvent`, yielded like the others rather than dropped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar, cast

import attrs

from .._core.errors import InvalidInputError
from .._resources.base import millis_to_datetime

__all__ = [
    "EVENT_KINDS",
    "ActivationEvent",
    "BounceEvent",
    "CancellationEvent",
    "ClickEvent",
    "ComplaintEvent",
    "Event",
    "ExecutionEvent",
    "HitEvent",
    "OpenEvent",
    "SmsStopEvent",
    "UnknownEvent",
    "UnsubscribeEvent",
]


def _mapping(value: Any) -> Mapping[str, Any]:
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _unicity(value: Any) -> str | None:
    if isinstance(value, list):
        parts = cast("list[object]", value)
        return "".join(str(part) for part in parts) if parts else None
    return _text(value)


def _instant_or_none(timestamp: object) -> dt.datetime | None:
    # An event with a timestamp out of range (microseconds where milliseconds are due...) is still yielded.
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        return None
    try:
        return millis_to_datetime(timestamp)
    except (OverflowError, OSError, ValueError):
        return None


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

    def __init_subclass__(cls, kind: str | None = None, **kwargs: Any) -> None:
        # A kind that adds no field is a plain subclass (it inherits the attrs methods, frozenness included); one
        # that adds fields is decorated, and attrs re-creates it without the keyword: its kind is already set then.
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.kind = kind

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


class ActivationEvent(Event, kind="activation"):
    """NP6 handed the message over for delivery (one per message sent)."""


class ExecutionEvent(Event, kind="execution"):
    """NP6 received the send request of the message."""


@attrs.frozen(kw_only=True)
class CancellationEvent(Event, kind="cancellation"):
    """NP6 cancelled the message; `reason` is NP6's (e.g. "user defined policy"), `subject` what failed ("render")."""

    reason: str | None
    subject: str | None
    message: str | None


@attrs.frozen(kw_only=True)
class BounceEvent(Event, kind="bounce"):
    """The message bounced; `verdict` is NP6's "hard" (permanent: stop mailing) or "soft" (temporary)."""

    verdict: str | None
    code: str | None
    diagnostic: str | None

    @property
    def hard(self) -> bool:
        """NP6 judged the bounce permanent: the address should not be mailed again."""
        return self.verdict == "hard"

    @property
    def soft(self) -> bool:
        """NP6 judged the bounce temporary: a later message may be delivered."""
        return self.verdict == "soft"


@attrs.frozen(kw_only=True)
class HitEvent(Event, kind="hit"):
    """A tracked hit; `link_type` is NP6's: open, redirection (a click), mirror, unsubscribe or form."""

    link_type: str | None

    @property
    def kinds(self) -> frozenset[str]:
        """The names `types=` selects this hit by: its kind, NP6's type, "hit", and the kind of its link type."""
        names = {self.kind, self.type, "hit"}
        if self.link_type:
            names.add(_LINK_KINDS.get(self.link_type.lower(), self.link_type.lower()))
        return frozenset(names)


class OpenEvent(HitEvent, kind="open"):
    """The message was opened."""


class ClickEvent(HitEvent, kind="click"):
    """A tracked link of the message was clicked (NP6: a `redirection` hit)."""


class UnsubscribeEvent(HitEvent, kind="unsubscribe"):
    """The unsubscribe link of the message was clicked."""


@attrs.frozen(kw_only=True)
class SmsStopEvent(Event, kind="sms_stop"):
    """The contact answered STOP to an SMS."""

    text: str | None


class ComplaintEvent(Event, kind="complaint"):
    """The contact reported the message as spam."""


class UnknownEvent(Event, kind="unknown"):
    """An event of a type this client has no class for (`type` says which); see `raw`."""


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
