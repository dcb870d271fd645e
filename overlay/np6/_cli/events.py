"""`np6 events`: the delivery feed of NP6 (activations, bounces, opens, clicks, STOP replies...), polled.

NP6 has no webhooks: its events are read in time windows. NP6 records an event after the fact, so `--follow`
reads again, on each poll, the last minutes it already read, and shows each event once (by its id), with a wait
that grows while nothing happens and shrinks back when events come.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections.abc import Callable
from typing import Any

from .._events.kinds import EVENT_KINDS, Event
from . import connect
from .console import out
from .errors import EXIT_OK, BadInput

__all__ = ["parse_since", "run_events"]

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FIRST_WAIT, LONGEST_WAIT = 2.0, 60.0
# How far back each poll of --follow reads again: NP6 records events late (minutes, at worst).
LOOKBACK = dt.timedelta(minutes=10)


def parse_since(text: str, now: dt.datetime) -> dt.datetime:
    """`1h`, `30m`, `2d`, `90s` (ago), or an ISO-8601 instant (UTC unless it says otherwise)."""
    match = _DURATION.fullmatch(text.strip())
    if match:
        try:
            return now - dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])
        except (OverflowError, ValueError):
            raise BadInput(f"--since: {text!r} reaches further back than dates go") from None
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--since: a duration such as 1h, 30m, 2d, or an ISO-8601 date-time, got {text!r}") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def _kinds(text: str | None) -> set[str] | None:
    if text is None:
        return None
    kinds = {kind.strip() for kind in text.split(",") if kind.strip()}
    unknown = sorted(kinds - set(EVENT_KINDS))
    if unknown or not kinds:
        raise BadInput(f"--kind: {', '.join(unknown) or 'nothing'} is not a kind of event ({', '.join(EVENT_KINDS)})")
    return kinds


def _kind(event: Event) -> str:
    """The most precise name of what happened: `click` rather than NP6's `hit`; NP6's own type when np6 does not
    know it."""
    kind = type(event).kind
    return event.type if kind in ("event", "unknown") else kind


def _line(event: Event) -> str:
    at = event.at.isoformat().replace("+00:00", "Z") if event.at else "-"
    who = event.unicity or event.contact_id or event.hash or "-"
    return f"{at}  {_kind(event):<12} {who}  message {event.message_id or '-'}"


def _as_json(event: Event) -> str:
    data: dict[str, Any] = {
        "id": event.id,
        "kind": _kind(event),
        "type": event.type,
        "kinds": sorted(event.kinds),
        "at": event.at.isoformat() if event.at else None,
        "action_id": event.action_id,
        "message_id": event.message_id,
        "contact_id": event.contact_id,
        "unicity": event.unicity,
    }
    return json.dumps(data, ensure_ascii=False)


def run_events(
    args: argparse.Namespace,
    *,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    kinds = _kinds(args.kind)
    start = parse_since(args.since, clock())
    show = _as_json if args.json else _line
    seen: dict[str, dt.datetime] = {}
    wait = FIRST_WAIT
    try:
        with connect.sync_client(args) as client:
            while True:
                end = clock()
                if end <= start:
                    start = end - dt.timedelta(seconds=1)
                shown = 0
                for event in client.events.iter(start, end, types=kinds, action_id=args.action):
                    if event.id is not None:
                        if event.id in seen:
                            continue
                        seen[event.id] = event.at or end
                    out.file.write(show(event) + "\n")
                    shown += 1
                out.file.flush()
                if not args.follow:
                    return EXIT_OK
                # The next poll reads the last minutes again (late events), and forgets what is older than that.
                start = end - LOOKBACK
                seen = {key: at for key, at in seen.items() if at >= start - LOOKBACK}
                wait = FIRST_WAIT if shown else min(LONGEST_WAIT, wait * 2)
                sleep(wait)
    except KeyboardInterrupt:
        if not args.follow:
            raise
        # Ctrl-C is how a follow ends, during a poll as during a wait: every line shown is whole.
        out.file.flush()
        return EXIT_OK
