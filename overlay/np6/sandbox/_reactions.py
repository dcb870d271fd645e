"""The scripted reactions of contacts: what they do with the messages they get (bounce, open, click, reply STOP...).

Why apart from the event log: a reaction is a test's script, kept by unicity value until it is cleared; the
events it stands for only exist once a message is accepted, and `_events.py` makes them then.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

__all__ = ["Reaction", "ReactionKind", "Reactions", "any_scripted"]

ReactionKind = Literal["bounce", "open", "click", "mirror", "unsubscribe", "form", "complaint", "sms_stop"]


@dataclass(frozen=True, slots=True)
class Reaction:
    """What a contact does with every message it receives: bounce (with NP6's verdict), open, click, etc."""

    kind: ReactionKind
    verdict: Literal["hard", "soft"] = "hard"
    diagnostic: str = ""
    enhanced_code: str = ""


class Reactions:
    """The scripted reactions of contacts (by unicity value), applied to each message they are sent."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._by_unicity: dict[str, list[Reaction]] = {}

    def add(self, reaction: Reaction, *unicity: str) -> None:
        """Script `reaction` for these contacts (unicity values, in any case), after those they already have."""
        if not unicity:
            raise ValueError("name at least one contact by its unicity value")
        with self._lock:
            for value in unicity:
                self._by_unicity.setdefault(value.lower(), []).append(reaction)

    def bounce(self, *unicity: str, verdict: Literal["hard", "soft"] = "hard", diagnostic: str | None = None) -> None:
        """Messages to these contacts bounce, with NP6's `hard` or `soft` verdict."""
        if verdict not in ("hard", "soft"):
            raise ValueError("verdict must be 'hard' or 'soft'")
        default = "mailbox unavailable" if verdict == "hard" else "mailbox full"
        code = "5.1.1" if verdict == "hard" else "4.2.2"
        self.add(Reaction("bounce", verdict, diagnostic or default, code), *unicity)

    def open(self, *unicity: str) -> None:
        """These contacts open the e-mails they get (an `open` hit)."""
        self.add(Reaction("open"), *unicity)

    def click(self, *unicity: str) -> None:
        """These contacts click a tracked link (a `redirection` hit)."""
        self.add(Reaction("click"), *unicity)

    def unsubscribe(self, *unicity: str) -> None:
        """These contacts click the unsubscribe link of the e-mails they get (an `unsubscribe` hit)."""
        self.add(Reaction("unsubscribe"), *unicity)

    def complaint(self, *unicity: str) -> None:
        """These contacts report the e-mails they get as spam (a `complaint` event)."""
        self.add(Reaction("complaint"), *unicity)

    def sms_stop(self, *unicity: str) -> None:
        """These contacts answer STOP to SMS messages."""
        self.add(Reaction("sms_stop"), *unicity)

    def of(self, unicity: str) -> list[Reaction]:
        """The reactions scripted for this contact (its unicity value, in any case), in the order they were added."""
        with self._lock:
            return list(self._by_unicity.get(unicity.lower(), ()))

    def clear(self) -> None:
        """Forget every scripted reaction: the messages sent from then on only have their activation event."""
        with self._lock:
            self._by_unicity.clear()


def any_scripted(reactions: Reactions) -> bool:
    """Whether any contact has a reaction scripted (what a send asks before looking up each of its contacts)."""
    return bool(reactions._by_unicity)
