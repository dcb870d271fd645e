"""Reconcile: settle `unknown` outcomes of a `send_many` from NP6's own records of what it processed.

A message is `unknown` when NP6 may have processed it (a timeout after sending, a lost connection, a 500/502/504,
an answer that could not be matched, a batch in flight when the process died). NP6 has no idempotency key, so
sending it again may send it twice. Its event feed is the only other witness: an `activation` event (NP6 handed
the message over for delivery) of the send's action, for the message's recipient, stamped after the batch's request
went out, proves that NP6 processed it. Reconcile reads that feed and marks such messages `sent`, keeping the event
as evidence (`MessageOutcome.evidence`, and in the send journal when there is one).

What counts as proof (the matching rules, written once here for both clients):
- the event is of one of the kinds read (`activation` by default: the one per-action event operation with a
  documented path, `/actions/{id}/activations`, and one event per message NP6 accepted; spec/CURATION.md 9.2);
- it belongs to the report's action (the feed is read per action; an event naming another action is ignored);
- its contact is the message's recipient: by unicity value (exactly as sent, the parts of a composite key joined),
  contact id or hash (any case), whichever the message was sent with (a footprint: its id, else unicity, else
  hash). A recipient of another shape cannot be matched: the message stays unknown;
- its time is not before the batch's `attempted_at` minus `margin` (clock skew between this host and NP6): an
  earlier event is about an earlier message;
- one NP6 message proves one message of the report at most. Events are counted per NP6 message (the message id of
  their stamp, else their event id), so two unknown messages to the same recipient need two distinct NP6 messages
  to be marked; with one, only one is marked (the earliest attempted, then the lowest index) and the other stays
  unknown. Events of the NP6 messages the report already knows (the message ids of its `sent` messages, the
  evidence of an earlier reconcile) prove nothing new.
Absence of an event is not proof of anything: NP6 records events some time after the fact, so an unmatched
message stays `unknown`, its reason saying "no event found as of <time>"; run reconcile again later.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Collection, Iterable
from typing import Any, Protocol, cast

import attrs

from .._core.errors import InvalidInputError
from .._core.logs import logger
from .._events.kinds import Event
from .._resources.base import check_names, datetime_to_millis, instant
from .report import Evidence, Outcome, Recorder, SendReport

__all__ = [
    "DEFAULT_MARGIN",
    "PROOF_KINDS",
    "Matcher",
    "ReconcileJob",
    "UnknownMessage",
    "match_events",
    "recipient_key",
]

#: How much earlier than a batch's `attempted_at` (this host's clock) an event (NP6's clock) may be stamped and
#: still count. NP6 cannot process a request before it is sent, and network time only makes events later, so the
#: only thing that can make an event of this batch look earlier is the skew between the two clocks: milliseconds
#: between hosts synchronised by NTP, tens of seconds for a host that is not. A minute covers that, and keeps small
#: the stretch in which an earlier send of the same action to the same contact (from another report) could be taken
#: for this one.
DEFAULT_MARGIN = dt.timedelta(minutes=1)

#: The event kinds that can prove NP6 processed a message, each read through its own per-action operation:
#: `activation` (the default: documented path, one per message accepted), `bounce` and `cancellation` (documented
#: paths; NP6 processed the message, then it bounced or was cancelled), `execution` (path INFERRED: opt in).
PROOF_KINDS: tuple[str, ...] = ("activation", "bounce", "cancellation", "execution")
DEFAULT_KINDS: tuple[str, ...] = ("activation",)

Key = tuple[str, str]


class UnknownMessage(Protocol):
    """What the matcher needs of a message: `np6.MessageOutcome` is one."""

    @property
    def index(self) -> int: ...

    @property
    def recipient(self) -> Any: ...

    @property
    def attempted_at(self) -> dt.datetime | None: ...


# ------------------------------------------------------------------------------------------------ matching


def _unicity_key(value: str) -> Key | None:
    # Exactly as sent: whether NP6 folds case is not documented, and a contact that differs only by case may be
    # another contact. A value NP6 normalised is then not matched, and its message stays unknown (never wrongly sent).
    return ("unicity", value) if value else None


def _text_key(kind: str, value: object) -> Key | None:
    if not isinstance(value, str) or not value:
        return None
    return (kind, value.lower() if kind == "hash" else value)  # hashes are hex digests: any case


def recipient_key(recipient: object) -> Key | None:
    """The key an event must carry to be about this wire recipient, or None when it cannot be matched.

    `{"type": "unicity", "value": [...]}` (the parts joined, as NP6 joins a composite key), `{"type": "id"}`,
    `{"type": "hash"}`, and a footprint by its id, else its unicity, else its hash.
    """
    if not isinstance(recipient, dict):
        return None
    recipient = cast("dict[str, Any]", recipient)  # a JSON object: the recipient of a wire message
    kind, value = recipient.get("type"), recipient.get("value")
    if kind == "unicity":
        if isinstance(value, list):
            parts = cast("list[object]", value)
            if parts and all(isinstance(part, str) for part in parts):
                return _unicity_key("".join(cast("list[str]", parts)))
            return None
        return _unicity_key(value) if isinstance(value, str) else None
    if kind in ("id", "hash"):
        return _text_key(kind, value)
    if kind == "footprint":
        unicity = recipient.get("unicity")
        if isinstance(unicity, list):
            unicity = cast("list[object]", unicity)
            if all(isinstance(part, str) for part in unicity):
                unicity = "".join(cast("list[str]", unicity))
        return (
            _text_key("id", recipient.get("id"))
            or (_unicity_key(unicity) if isinstance(unicity, str) else None)
            or _text_key("hash", recipient.get("hash"))
        )
    return None


def _event_keys(event: Event) -> list[Key]:
    keys = [_text_key("id", event.contact_id), _unicity_key(event.unicity or ""), _text_key("hash", event.hash)]
    return [key for key in keys if key is not None]


@attrs.frozen
class _Target:
    index: int
    key: Key
    not_before: int  # milliseconds: attempted_at - margin


@attrs.frozen
class _Candidate:
    at: int  # milliseconds
    identity: str  # the NP6 message it is about
    keys: tuple[Key, ...]
    event: Event


class Matcher:
    """The matching rules of reconcile, on any events: `offer()` each event of the feed, then `match()`.

    `messages` are the unknown messages (anything with `index`, wire `recipient` and `attempted_at`); `action_id`
    the send's action. With `require_message_id`, an event without a message id is ignored (needed when several
    kinds are read: the activation and the bounce of one message must not count as two).
    """

    def __init__(
        self,
        messages: Iterable[UnknownMessage],
        *,
        action_id: str,
        margin: dt.timedelta = DEFAULT_MARGIN,
        require_message_id: bool = False,
    ) -> None:
        if not isinstance(margin, dt.timedelta) or margin < dt.timedelta(0):
            raise InvalidInputError(f"margin must be a timedelta of at least 0, got {margin!r}")
        self.action_id = action_id
        self.require_message_id = require_message_id
        self._groups: dict[Key, list[_Target]] = {}
        self.unmatchable: list[int] = []
        """Indexes of messages no event can prove: a recipient of another shape, or no `attempted_at`."""
        for message in messages:
            key = recipient_key(message.recipient)
            if key is None or message.attempted_at is None:
                self.unmatchable.append(message.index)
                continue
            not_before = datetime_to_millis(instant(message.attempted_at, "attempted_at") - margin)
            self._groups.setdefault(key, []).append(_Target(message.index, key, not_before))
        for group in self._groups.values():
            group.sort(key=lambda target: (target.not_before, target.index))
        self._candidates: dict[str, _Candidate] = {}

    @property
    def start(self) -> int | None:
        """The earliest time (milliseconds) an event can prove one of the messages; None when none can be."""
        return min((group[0].not_before for group in self._groups.values()), default=None)

    @property
    def message_ids(self) -> set[str]:
        """The NP6 message ids of the events kept so far."""
        return {c.event.message_id for c in self._candidates.values() if c.event.message_id is not None}

    @property
    def event_ids(self) -> set[str]:
        return {c.event.id for c in self._candidates.values() if c.event.id is not None}

    def offer(self, event: Event) -> bool:
        """Keep the event if it may prove one of the messages (its time, action and contact allow it)."""
        if event.at is None:
            return False  # without a time, nothing says it is not about an earlier message
        if event.action_id is not None and event.action_id != self.action_id:
            return False
        if event.message_id is not None:
            identity = "message:" + event.message_id
        elif event.id is not None and not self.require_message_id:
            identity = "event:" + event.id
        else:
            return False  # it could not be told apart from another event of the same message
        at = datetime_to_millis(event.at)
        keys = tuple(
            key for key in _event_keys(event) if (group := self._groups.get(key)) and group[0].not_before <= at
        )
        if not keys:
            return False
        known = self._candidates.get(identity)
        if known is None or at < known.at:  # the earliest event of an NP6 message stands for it
            self._candidates[identity] = _Candidate(at, identity, keys, event)
        return True

    def match(
        self, *, known_message_ids: Collection[str] = (), known_event_ids: Collection[str] = ()
    ) -> dict[int, Evidence]:
        """The messages proven sent, by index, with their evidence.

        `known_message_ids` / `known_event_ids`: NP6 messages already accounted for (the report's sent messages,
        earlier evidence), whose events prove nothing new. Events are taken earliest first; each goes to the
        earliest attempted message (then the lowest index) it can prove that no earlier event proved. Within one
        recipient this marks as many messages as the events allow.
        """
        taken = {key: 0 for key in self._groups}
        found: dict[int, Evidence] = {}
        for candidate in sorted(self._candidates.values(), key=lambda c: (c.at, c.identity)):
            event = candidate.event
            if event.message_id is not None and event.message_id in known_message_ids:
                continue
            if event.id is not None and event.id in known_event_ids:
                continue
            best: _Target | None = None
            for key in candidate.keys:
                group, position = self._groups[key], taken[key]
                if position < len(group) and group[position].not_before <= candidate.at:
                    target = group[position]
                    if best is None or (target.not_before, target.index) < (best.not_before, best.index):
                        best = target
            if best is None:
                continue
            taken[best.key] += 1
            found[best.index] = Evidence(event.type, event.id, event.at, event.message_id)
        return found


def match_events(
    messages: Iterable[UnknownMessage],
    events: Iterable[Event],
    *,
    action_id: str,
    margin: dt.timedelta = DEFAULT_MARGIN,
    known_message_ids: Collection[str] = (),
    known_event_ids: Collection[str] = (),
    require_message_id: bool = False,
) -> dict[int, Evidence]:
    """`Matcher` in one call: which of `messages` the `events` prove sent."""
    matcher = Matcher(messages, action_id=action_id, margin=margin, require_message_id=require_message_id)
    for event in events:
        matcher.offer(event)
    return matcher.match(known_message_ids=known_message_ids, known_event_ids=known_event_ids)


# ------------------------------------------------------------------------------------------------- the job


def _report_of(target: object) -> SendReport:
    if isinstance(target, SendReport):
        return target
    if isinstance(target, (str, os.PathLike)):
        return SendReport.open(cast("str | os.PathLike[str]", target))
    raise InvalidInputError(f"reconcile takes a SendReport or the path of a send journal, got {type(target).__name__}")


def _kinds(kinds: object) -> tuple[str, ...]:
    given = check_names(kinds, "proof kinds", PROOF_KINDS, unknown_means=" (they cannot prove a message was processed)")
    return tuple(kind for kind in PROOF_KINDS if kind in given)


def _margin(margin: object) -> dt.timedelta:
    if margin is None:
        return DEFAULT_MARGIN
    if not isinstance(margin, dt.timedelta) or margin < dt.timedelta(0):
        raise InvalidInputError(f"margin must be a timedelta of at least 0, got {margin!r}")
    return margin


@attrs.define
class ReconcileJob:
    """One reconcile, without I/O: the report, the matcher, and the window of the feed to read; the flow of
    `client.actions.reconcile` offers it the feed's events, then `finish()` records what they prove."""

    report: SendReport
    matcher: Matcher
    kinds: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    checked_at: float

    @classmethod
    def prepare(cls, target: object, until: object, margin: object, kinds: object) -> ReconcileJob | SendReport:
        """The job, or the report itself when there is nothing to look for (no request is made then)."""
        chosen = _kinds(kinds)
        skew = _margin(margin)
        end = None if until is None else instant(until, "until")
        report = _report_of(target)
        matcher = Matcher(
            report.outcomes(Outcome.UNKNOWN),
            action_id=report.action_id,
            margin=skew,
            require_message_id=len(chosen) > 1,
        )
        if matcher.unmatchable:
            logger.warning(
                "reconcile: %d unknown messages of action %s cannot be matched with events (recipient shape, or no"
                " attempt time); they stay unknown",
                len(matcher.unmatchable),
                report.action_id,
            )
        start = matcher.start
        if start is None:
            return report
        now = time.time()
        if end is None:
            # NP6's clock may be ahead of this one: an event stamped "in the future" by that much is still read.
            end = dt.datetime.fromtimestamp(now, tz=dt.UTC) + skew
        checked_at = min(now, end.timestamp())
        window_start = dt.datetime.fromtimestamp(start / 1000, tz=dt.UTC)
        if end <= window_start:
            raise InvalidInputError(
                f"until ({end.isoformat()}) is before the earliest attempt of the unknown messages"
                f" ({window_start.isoformat()} with the margin)"
            )
        return cls(report, matcher, chosen, window_start, end, checked_at)

    def finish(self) -> SendReport:
        report, matcher = self.report, self.matcher
        known_messages: set[str] = set()
        known_events: set[str] = set()
        message_ids, event_ids = matcher.message_ids, matcher.event_ids
        if message_ids or event_ids:
            # Events of NP6 messages this report already holds (sent, or proven earlier) prove nothing new.
            for item in report.outcomes(Outcome.SENT):
                if item.message_id is not None and item.message_id in message_ids:
                    known_messages.add(item.message_id)
                if item.evidence is not None and item.evidence.event_id in event_ids:
                    known_events.add(item.evidence.event_id)
        found = matcher.match(known_message_ids=known_messages, known_event_ids=known_events)
        Recorder(report).confirm(found, self.checked_at)
        logger.info(
            "reconcile of action %s: %d of %d unknown messages proven sent by NP6's %s events; %d stay unknown",
            report.action_id,
            len(found),
            len(found) + report.unknown,
            "/".join(self.kinds),
            report.unknown,
        )
        return report
