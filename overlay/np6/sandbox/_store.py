"""The in-memory state of a sandbox: actions and their workflow, contacts, and the messages accepted.

Why one lock for everything: a send checks the action's state, resolves contacts and records deliveries; doing
that under one re-entrant lock keeps it atomic against a concurrent unvalidation or reset, whichever thread
(in-process or server) the requests come from. Reads return copies so that callers never share mutable state.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast, overload

from .._core import jsonio

__all__ = [
    "INVALID_DOMAIN",
    "STATE_CREATED",
    "STATE_DRAFT",
    "STATE_TEST_VALIDATED",
    "STATE_VALIDATED",
    "AcceptedSend",
    "ActionStore",
    "Channel",
    "Conflict",
    "Contact",
    "ContactBook",
    "ContactRow",
    "Deliveries",
    "Delivery",
    "NotFound",
    "footprint",
    "format_instant",
    "record_send",
    "resolve_row",
    "unicity_hash",
]

#: Workflow states (see spec/np6-cm.openapi.yaml, ActionInformations.state).
STATE_CREATED = 10  # minimal draft, no content
STATE_DRAFT = 20  # draft with content
STATE_TEST_VALIDATED = 38  # phase 1 (fortest: true) passed; not sendable
STATE_VALIDATED = 50  # phase 2 (fortest: false) passed; sendable
EDITABLE_STATES = frozenset({STATE_CREATED, STATE_DRAFT})
VALIDATED_STATES = frozenset({STATE_TEST_VALIDATED, STATE_VALIDATED})

#: Unicity values in this domain are never found, so that tests can provoke per-message errors.
INVALID_DOMAIN = "invalid.example"

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 .()\-]{5,19}")

Channel = Literal["email", "sms"]


class NotFound(Exception):
    """The action or contact does not exist (answered 404)."""


class Conflict(Exception):
    """The action is not in a state that allows the operation (answered 409)."""


_PAIRS = [first + second for first in _ALPHABET for second in _ALPHABET]
_FOUR_DIGITS = 36**4


def _base36(number: int, width: int) -> str:
    if width == 8 and 0 <= number < _FOUR_DIGITS**2:  # a contact id: four table lookups instead of eight divisions
        high, low = divmod(number, _FOUR_DIGITS)
        return _PAIRS[high // 1296] + _PAIRS[high % 1296] + _PAIRS[low // 1296] + _PAIRS[low % 1296]
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits)).rjust(width, "0")


_second: tuple[int, datetime] = (0, datetime.fromtimestamp(0, UTC))


def _now() -> datetime:
    # The same instant for a whole second (contacts are stamped to the second): a send creating thousands of
    # contacts asks the clock once per second instead of once per contact.
    global _second
    second = int(time.time())
    if second != _second[0]:
        _second = (second, datetime.fromtimestamp(second, UTC))
    return _second[1]


def format_instant(instant: datetime) -> str:
    """ISO 8601 in UTC with a Z, as NP6 writes `creationDate`."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def unicity_hash(unicity: str) -> str:
    """NP6's contact hash: the MD5 of the unicity value (checked against the reference examples)."""
    return hashlib.md5(unicity.encode("utf-8"), usedforsecurity=False).hexdigest()


# ---------------------------------------------------------------------------------------------------- actions
def _has_content(action: Mapping[str, Any]) -> bool:
    content = action.get("content")
    if not isinstance(content, Mapping):
        return False
    content = cast("Mapping[str, Any]", content)
    if action.get("type") == "smsMessage":
        return bool(content.get("textContent"))
    if action.get("type") == "mailMessage":
        return bool(content.get("html") or content.get("text"))
    return bool(content)


class ActionStore:
    """Actions by id, with NP6's two-phase validation workflow.

    Transitions (facts sheet 3.1): created 20 with content, 10 without; `fortest: true` 10/20 -> 38;
    `fortest: false` 38 -> 50; unvalidation 38/50 -> 20; update and delete only in 10/20.
    """

    def __init__(self, lock: threading.RLock, clock: Callable[[], datetime] = _now) -> None:
        self._lock = lock
        self._clock = clock
        self._actions: dict[str, dict[str, Any]] = {}
        self._created: dict[str, datetime] = {}
        self._next = int("000AAA", 36)

    def _new_id(self) -> str:
        action_id = _base36(self._next, 6)
        self._next += 1
        return action_id

    def _get(self, action_id: str) -> dict[str, Any]:
        action = self._actions.get(action_id)
        if action is None:
            raise NotFound(action_id)
        return action

    def _store(self, body: Mapping[str, Any], state: int | None, created_at: datetime | None) -> dict[str, Any]:
        action = copy.deepcopy(dict(body))
        action_id = self._new_id()
        instant = (created_at or self._clock()).astimezone(UTC)
        action["id"] = action_id
        action["creationDate"] = format_instant(instant)
        informations = dict(action.get("informations") or {})
        informations.setdefault("folder", None)
        informations.setdefault("category", None)
        informations["state"] = state if state is not None else (STATE_DRAFT if _has_content(action) else STATE_CREATED)
        action["informations"] = informations
        self._actions[action_id] = action
        self._created[action_id] = instant
        return copy.deepcopy(action)

    def create(
        self, body: Mapping[str, Any], *, state: int | None = None, created_at: datetime | None = None
    ) -> dict[str, Any]:
        """Store a new action; the id, creation date and state are the sandbox's, whatever the body says."""
        with self._lock:
            return self._store(body, state, created_at)

    def get(self, action_id: str) -> dict[str, Any]:
        """A copy of the action."""
        with self._lock:
            return copy.deepcopy(self._get(action_id))

    def list(self, start: datetime | None = None, end: datetime | None = None) -> list[dict[str, Any]]:
        """Actions created at or after `start` and strictly before `end`, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(action)
                for action_id, action in self._actions.items()
                if (start is None or self._created[action_id] >= start)
                and (end is None or self._created[action_id] < end)
            ]

    def update(self, action_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the definition of a draft (10/20); its state follows its new content."""
        with self._lock:
            current = self._get(action_id)
            state = current["informations"]["state"]
            if state not in EDITABLE_STATES:
                raise Conflict(f"action {action_id} is in state {state}")
            if body.get("type") != current.get("type"):
                # Sandbox's choice: the type of an action is fixed at creation (NP6 does not document this case).
                raise Conflict(f"action {action_id} is a {current.get('type')}")
            updated = copy.deepcopy(dict(body))
            updated["id"] = action_id
            updated["creationDate"] = current["creationDate"]
            informations = dict(updated.get("informations") or {})
            informations.setdefault("folder", current["informations"].get("folder"))
            informations.setdefault("category", current["informations"].get("category"))
            informations["state"] = STATE_DRAFT if _has_content(updated) else STATE_CREATED
            updated["informations"] = informations
            self._actions[action_id] = updated
            return copy.deepcopy(updated)

    def delete(self, action_id: str) -> None:
        """Delete a draft (10/20)."""
        with self._lock:
            state = self._get(action_id)["informations"]["state"]
            if state not in EDITABLE_STATES:
                raise Conflict(f"action {action_id} is in state {state}")
            del self._actions[action_id]
            del self._created[action_id]

    def duplicate(self, action_id: str, folder: int | None = None) -> dict[str, Any]:
        """Copy an action as `<name>(n)` in state 10, as NP6 does."""
        with self._lock:
            source = self._get(action_id)
            names = {str(action.get("name")) for action in self._actions.values()}
            base = str(source.get("name") or "")
            number = 1
            while f"{base}({number})" in names:
                number += 1
            body = copy.deepcopy(source)
            body["name"] = f"{base}({number})"
            if folder is not None:
                body.setdefault("informations", {})["folder"] = folder
            return self._store(body, STATE_CREATED, None)

    def validate(self, action_id: str, fortest: bool) -> None:
        """Run a validation phase: test (10/20 -> 38) or production (38 -> 50); 409 when not allowed."""
        with self._lock:
            informations = self._get(action_id)["informations"]
            state = informations["state"]
            if fortest and state in EDITABLE_STATES:
                informations["state"] = STATE_TEST_VALIDATED
            elif not fortest and state == STATE_TEST_VALIDATED:
                informations["state"] = STATE_VALIDATED
            else:
                raise Conflict(f"action {action_id} in state {state} cannot pass phase fortest={fortest}")

    def unvalidate(self, action_id: str) -> None:
        """Cancel a validation (38/50 -> 20); 409 on an action that is not validated."""
        with self._lock:
            informations = self._get(action_id)["informations"]
            if informations["state"] not in VALIDATED_STATES:
                raise Conflict(f"action {action_id} is not validated")
            informations["state"] = STATE_DRAFT

    def set_state(self, action_id: str, state: int) -> None:
        """Force a state (a test helper: NP6 has no such operation)."""
        with self._lock:
            self._get(action_id)["informations"]["state"] = state

    def clear(self) -> None:
        """Forget every action."""
        with self._lock:
            self._actions.clear()
            self._created.clear()

    def __len__(self) -> int:
        return len(self._actions)


# --------------------------------------------------------------------------------------------------- contacts
@dataclass(frozen=True, slots=True)
class Contact:
    """An NP6 target: `unicity` is its unicity value (the values joined by "|" for a composite key)."""

    id: str
    unicity: str
    hash: str
    fields: Mapping[str, Any] = field(default_factory=dict[str, Any])


def _unicity_key(value: str | Sequence[object]) -> str:
    return value if isinstance(value, str) else "|".join(str(part) for part in value)


#: A contact as the book keeps it: (id, unicity, hash); its fields apart. See `ContactBook`.
ContactRow = tuple[str, str, str]


def footprint(contact: ContactRow) -> dict[str, str]:
    """The `footprint` recipient NP6 returns for a resolved contact."""
    contact_id, unicity, hash_ = contact
    return {"type": "footprint", "id": contact_id, "unicity": unicity, "hash": hash_}


_INVALID_SUFFIX = "@" + INVALID_DOMAIN


class ContactBook:
    """Contacts (NP6 targets) by id, unicity value and hash.

    NP6 sends only to existing targets. To make any address usable, the book creates a contact on first use of
    a well-formed unicity value (an e-mail address or a phone number) unless `auto_create` is off. Values listed
    in `unknown`, and e-mail addresses in the `invalid.example` domain, are never found: they are how a test
    gets a per-message "recipient not found" error. Contacts named by id or hash must exist.
    """

    # Why rows and not `Contact`s: a large send creates a contact per new address, and the garbage collector walks
    # every instance of a class at each full collection (a third of such a send's time), while it stops walking a
    # plain tuple of strings once it has seen it (not one holding a dict, even an empty one: fields are apart). A
    # `Contact` is made from the row for whoever asks.

    def __init__(
        self,
        lock: threading.RLock,
        *,
        auto_create: bool = True,
        unknown: Iterable[str] = (),
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._lock = lock
        self.auto_create = auto_create
        self._unknown = {value.lower() for value in unknown}
        self._clock = clock
        self._by_id: dict[str, ContactRow] = {}
        self._by_unicity: dict[str, ContactRow] = {}
        self._by_hash: dict[str, ContactRow] = {}
        self._fields: dict[str, dict[str, Any]] = {}  # by contact id, for the contacts that have some
        # Creation and last update instants, as `GET /targets/{id}` reports them.
        self._stamps: dict[str, tuple[datetime, datetime]] = {}
        self._next = 1

    def is_unknown(self, unicity: str) -> bool:
        """Whether `unicity` is one of the values that are never found."""
        lowered = unicity.lower()
        return lowered in self._unknown or lowered.endswith(_INVALID_SUFFIX)

    def mark_unknown(self, *values: str) -> None:
        """Make these unicity values unresolvable from now on."""
        with self._lock:
            self._unknown.update(value.lower() for value in values)

    def create(
        self, unicity: str | Sequence[str], *, contact_id: str | None = None, fields: Mapping[str, Any] | None = None
    ) -> Contact:
        """Create (or return the existing) contact with this unicity value."""
        key = _unicity_key(unicity)
        if not key:
            raise ValueError("a contact needs a unicity value")
        with self._lock:
            return self._contact(self._create(key, contact_id, fields))

    def _create(self, key: str, contact_id: str | None, fields: Mapping[str, Any] | None) -> ContactRow:
        """`create`, the lock held."""
        existing = self._by_unicity.get(key)
        if existing is not None:
            if fields:
                self._fields[existing[0]] = {**self._fields.get(existing[0], {}), **fields}
            return existing
        if contact_id is None:
            # Skip ids a caller chose explicitly (e.g. `POST /_sandbox/contacts` with an id): reusing one would
            # silently re-point that contact's id at the new contact.
            contact_id = _base36(self._next, 8)
            self._next += 1
            while contact_id in self._by_id:
                contact_id = _base36(self._next, 8)
                self._next += 1
        elif contact_id in self._by_id:
            raise ValueError(f"contact id {contact_id!r} is taken")
        row = (contact_id, key, unicity_hash(key))
        self._index(row)
        if fields:
            self._fields[contact_id] = dict(fields)
        now = self._clock()
        self._stamps[contact_id] = (now, now)
        return row

    def add(self, unicity: str | Sequence[str], fields: Mapping[str, Any]) -> Contact:
        """Create a contact; `Conflict` when one already has this unicity value (NP6: 409 "target already exists")."""
        with self._lock:
            if _unicity_key(unicity) in self._by_unicity:
                raise Conflict(f"a contact already has the unicity value {_unicity_key(unicity)!r}")
            return self.create(unicity, fields=fields)

    def update(self, contact_id: str, fields: Mapping[str, Any], unicity: str | None = None) -> Contact:
        """Merge `fields` into a contact; a new `unicity` value re-keys it (`Conflict` when another contact has it)."""
        with self._lock:
            current = self._by_id.get(contact_id)
            if current is None:
                raise NotFound(contact_id)
            key = current[1] if unicity is None else _unicity_key(unicity)
            if key != current[1] and key in self._by_unicity:
                raise Conflict(f"a contact already has the unicity value {key!r}")
            self._unindex(current)
            row = (contact_id, key, unicity_hash(key))
            self._index(row)
            self._fields[contact_id] = {**self._fields.get(contact_id, {}), **fields}
            created, _ = self._stamps.get(contact_id, (self._clock(), self._clock()))
            self._stamps[contact_id] = (created, self._clock())
            return self._contact(row)

    def remove(self, contact_id: str) -> Contact:
        """Delete a contact (`NotFound` when there is none with this id)."""
        with self._lock:
            row = self._by_id.get(contact_id)
            if row is None:
                raise NotFound(contact_id)
            contact = self._contact(row)
            self._unindex(row)
            self._fields.pop(contact_id, None)
            self._stamps.pop(contact_id, None)
            return contact

    def find(self, *, unicity: str | None = None, hash: str | None = None) -> Contact | None:
        """The existing contact with this unicity value or hash; never creates one (unlike `resolve`)."""
        with self._lock:
            row = None
            if unicity is not None:
                row = None if self.is_unknown(unicity) else self._by_unicity.get(unicity)
            elif hash is not None:
                row = self._by_hash.get(hash.lower())
            return None if row is None else self._contact(row)

    def stamps(self, contact_id: str) -> tuple[datetime, datetime]:
        """(creation, last update) of a contact."""
        with self._lock:
            now = self._clock()
            return self._stamps.get(contact_id, (now, now))

    def _contact(self, row: ContactRow) -> Contact:
        # The book's own dict, as when it kept `Contact`s: a change made through one copy is seen by the next.
        return Contact(*row, fields=self._fields.setdefault(row[0], {}))

    def _unindex(self, row: ContactRow) -> None:
        self._by_id.pop(row[0], None)
        self._by_unicity.pop(row[1], None)
        self._by_hash.pop(row[2], None)

    def _index(self, row: ContactRow) -> None:
        self._by_id[row[0]] = row
        self._by_unicity[row[1]] = row
        self._by_hash[row[2]] = row

    def get(self, contact_id: str) -> Contact | None:
        """The contact with this id."""
        with self._lock:
            row = self._by_id.get(contact_id)
            return None if row is None else self._contact(row)

    def _by_unicity_value(self, value: str | Sequence[object]) -> ContactRow | None:
        key = value if type(value) is str else _unicity_key(value)
        if not key or self.is_unknown(key):
            return None
        row = self._by_unicity.get(key)
        if row is None and self.auto_create and _well_formed_key(key):
            row = self._create(key, None, None)
        return row

    def resolve(self, recipient: Any) -> Contact | None:
        """The contact a `Recipient` of the spec designates, or None when NP6 would answer "recipient not found"."""
        row = resolve_row(self, recipient)
        with self._lock:
            return None if row is None else self._contact(row)

    def clear(self) -> None:
        """Forget every contact (the unknown values stay unknown)."""
        with self._lock:
            self._by_id.clear()
            self._by_unicity.clear()
            self._by_hash.clear()
            self._fields.clear()
            self._stamps.clear()
            self._next = 1

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Contact]:
        with self._lock:
            return iter([self._contact(row) for row in self._by_id.values()])


def resolve_row(book: ContactBook, recipient: Any) -> ContactRow | None:
    """`ContactBook.resolve`, as the book keeps the contact (the core's way in, for a send's every message)."""
    if type(recipient) is dict:
        # What a send names: one unicity value, as a JSON array of one string.
        given = cast("dict[str, Any]", recipient)
        value = given.get("value")
        if given.get("type") == "unicity" and type(value) is list and len(parts := cast("list[object]", value)) == 1:
            single = parts[0]
            if type(single) is str:
                with book._lock:
                    return book._by_unicity_value(single)
    if not isinstance(recipient, Mapping):
        return None
    recipient = cast("Mapping[str, Any]", recipient)  # a JSON object
    kind = recipient.get("type")
    value = recipient.get("value")
    with book._lock:
        if kind == "id" and isinstance(value, str):
            return book._by_id.get(value)
        if kind == "hash" and isinstance(value, str):
            return book._by_hash.get(value.lower())
        if kind == "unicity" and isinstance(value, list):
            parts = cast("list[object]", value)
            if parts and all(isinstance(v, str) for v in parts):
                return book._by_unicity_value(parts)
        if kind == "footprint":
            for attribute, index in (("id", book._by_id), ("hash", book._by_hash)):
                given_key = recipient.get(attribute)
                if isinstance(given_key, str):
                    # Hashes are hex digests: matched without regard to case, as for a `hash` recipient.
                    key = given_key.lower() if attribute == "hash" else given_key
                    if key in index:
                        return index[key]
            unicity = recipient.get("unicity")
            if isinstance(unicity, str) or (isinstance(unicity, list) and unicity):
                return book._by_unicity_value(cast("str | list[object]", unicity))
    return None


def _well_formed(value: str) -> bool:
    return bool(_EMAIL.fullmatch(value) or _PHONE.fullmatch(value))


def _well_formed_key(key: str) -> bool:
    """Whether every part of a unicity key is an e-mail address or a phone number."""
    if "|" not in key:
        return _well_formed(key)
    return all(_well_formed(part) for part in key.split("|"))


# ------------------------------------------------------------------------------------------------- deliveries
@dataclass(frozen=True, slots=True)
class Delivery:
    """One message the sandbox accepted (one `success` result of a send).

    `recipient` is the recipient as the client gave it; `contact_id`, `unicity` and `hash` the contact it
    resolved to; `message` the raw message definition (None for a legacy send by target id, or when the
    sandbox was told not to keep messages).
    """

    action_id: str
    channel: Channel
    message_id: str
    contact_id: str
    unicity: str
    hash: str
    recipient: Mapping[str, Any]
    message: Mapping[str, Any] | None
    operation_id: str
    request_id: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        """The JSON form served by `GET /_sandbox/deliveries`."""
        return {
            "action_id": self.action_id,
            "channel": self.channel,
            "message_id": self.message_id,
            "contact": {"type": "footprint", "id": self.contact_id, "unicity": self.unicity, "hash": self.hash},
            "recipient": self.recipient,
            "message": self.message,
            "operation_id": self.operation_id,
            "request_id": self.request_id,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class AcceptedSend:
    """The messages one request had accepted, as the sandbox keeps them until a test asks for `Delivery`s.

    Why one record per request, with a column per member: a large send keeps every message it accepts, and the
    garbage collector walks each object that can hold others at every full collection. A `Delivery` per message,
    with its message's dicts, made the collector a third of the send's time; this record is one object per
    request, and its columns hold strings and the contact book's rows.

    Message `k` went to `contacts[k]` (a row of the `ContactBook`) with the id `message_ids[k]`; it is item
    `indexes[k]` of the request's array, or the whole body when `single`. With a `body` (the request's raw bytes,
    kept when the sandbox keeps messages) the message and its recipient are decoded from it when asked for;
    without one, `recipients` and `messages` hold them as they are. `first_serial` is where the send's ids start
    (see `message_serials`).
    """

    action_id: str
    channel: Channel
    operation_id: str
    request_id: str
    at: datetime
    contacts: Sequence[ContactRow]
    message_ids: Sequence[str]
    indexes: Sequence[int]
    single: bool = False
    body: bytes | None = None
    recipients: Sequence[Mapping[str, Any]] = ()
    messages: Sequence[Mapping[str, Any] | None] = ()
    first_serial: int = 0

    def message_serials(self, k: int) -> tuple[int, int, int]:
        """The serials (see `Ids`) of message `k`'s id, of its thread and of its activation event."""
        start = self.first_serial + 3 * self.indexes[k]
        return start, start + 1, start + 2


class Deliveries:
    """The record of every accepted message, in acceptance order; what a test inspects after a send.

    Counts per action and per (action, contact) are kept up to date so that `count()` and `duplicates()` stay
    cheap after a million messages.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.clear()

    def record(self, deliveries: Iterable[Delivery]) -> None:
        """Append accepted messages."""
        for d in deliveries:
            contact: ContactRow = (d.contact_id, d.unicity, d.hash)
            record_send(
                self,
                AcceptedSend(
                    d.action_id,
                    d.channel,
                    d.operation_id,
                    d.request_id,
                    d.at,
                    [contact],
                    [d.message_id],
                    [0],
                    recipients=[d.recipient],
                    messages=[d.message],
                ),
            )

    def _delivery(self, send: AcceptedSend, k: int) -> Delivery:
        """Message `k` of `send`, the lock held."""
        if send.body is not None:
            # Decoded once per send: its messages share one decoding, and reads of the same delivery give the
            # same objects, as when the messages themselves were kept.
            decoded = self._decoded.get(id(send))
            if decoded is None:
                decoded = self._decoded[id(send)] = (send, jsonio.loads(send.body))
            message = decoded[1] if send.single else decoded[1][send.indexes[k]]
            recipient = cast("Mapping[str, Any]", message)["recipient"]
        else:
            message, recipient = send.messages[k], send.recipients[k]
        contact_id, unicity, hash_ = send.contacts[k]
        return Delivery(
            action_id=send.action_id,
            channel=send.channel,
            message_id=send.message_ids[k],
            contact_id=contact_id,
            unicity=unicity,
            hash=hash_,
            recipient=recipient,
            message=message,
            operation_id=send.operation_id,
            request_id=send.request_id,
            at=send.at,
        )

    def _each(self, action_id: str | None) -> Iterator[tuple[AcceptedSend, int]]:
        for send in self._sends:
            if action_id is None or send.action_id == action_id:
                for k in range(len(send.message_ids)):
                    yield send, k

    def all(self, action_id: str | None = None) -> list[Delivery]:
        """Every delivery (of one action when `action_id` is given), oldest first."""
        with self._lock:
            return [self._delivery(send, k) for send, k in self._each(action_id)]

    def count(self, action_id: str | None = None) -> int:
        """How many messages were accepted (for one action when `action_id` is given)."""
        with self._lock:
            return len(self) if action_id is None else self._per_action[action_id]

    def recipients(self, action_id: str | None = None) -> list[str]:
        """The unicity values of the contacts reached, in order (repeated when a contact got several messages)."""
        with self._lock:
            return [send.contacts[k][1] for send, k in self._each(action_id)]

    def duplicates(self, action_id: str | None = None) -> dict[tuple[str, str], list[Delivery]]:
        """Contacts that received the same action more than once: {(action id, contact id): deliveries}."""
        with self._lock:
            repeated = {
                key
                for key, number in self._per_contact.items()
                if number > 1 and (action_id is None or key[0] == action_id)
            }
            found: dict[tuple[str, str], list[Delivery]] = {key: [] for key in repeated}
            if repeated:
                for send, k in self._each(action_id):
                    key = (send.action_id, send.contacts[k][0])
                    if key in found:
                        found[key].append(self._delivery(send, k))
            return found

    def clear(self) -> None:
        """Forget every delivery."""
        with self._lock:
            self._sends: list[AcceptedSend] = []
            self._ends: list[int] = []  # per send: how many messages up to and including its own
            self._decoded: dict[int, tuple[AcceptedSend, Any]] = {}  # by id(send), the send kept alive with it
            self._per_action: Counter[str] = Counter()
            self._per_contact: Counter[tuple[str, str]] = Counter()

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Delivery]:
        return iter(self.all())

    @overload
    def __getitem__(self, index: int) -> Delivery: ...
    @overload
    def __getitem__(self, index: slice) -> list[Delivery]: ...
    def __getitem__(self, index: int | slice) -> Delivery | list[Delivery]:
        if isinstance(index, slice):
            return self.all()[index]
        with self._lock:
            size = len(self)
            if not -size <= index < size:
                raise IndexError("list index out of range")
            index %= size
            which = bisect.bisect_right(self._ends, index)
            return self._delivery(self._sends[which], index - (self._ends[which - 1] if which else 0))


def record_send(deliveries: Deliveries, send: AcceptedSend) -> None:
    """Append the messages a request had accepted (the core's way in: `Deliveries.record` takes `Delivery`s)."""
    if not send.message_ids:
        return
    with deliveries._lock:
        deliveries._sends.append(send)
        deliveries._ends.append(len(deliveries) + len(send.message_ids))
        deliveries._per_action[send.action_id] += len(send.message_ids)
        deliveries._per_contact.update([(send.action_id, contact[0]) for contact in send.contacts])
