"""Recipients: who a message goes to, in the shapes NP6 accepts.

NP6 identifies a contact by its id, its unicity value(s), its hash or a footprint. Unicity values are *always*
an array on the wire (one element per unicity field of the account); a plain string gets a 400, so the helpers
here never produce one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias

from np6_generated.models.recipient_by_footprint import RecipientByFootprint
from np6_generated.models.recipient_by_hash import RecipientByHash
from np6_generated.models.recipient_by_id import RecipientById
from np6_generated.models.recipient_by_unicity import RecipientByUnicity
from np6_generated.models.unknown_recipient import UnknownRecipient
from np6_generated.types import UNSET

from .._core.errors import InvalidInputError

__all__ = ["CONTROL_CHARACTERS", "Recipient", "RecipientModel", "RecipientLike", "to_recipient"]

RecipientModel: TypeAlias = (
    RecipientById | RecipientByUnicity | RecipientByHash | RecipientByFootprint | UnknownRecipient
)
"""A recipient as the generated models represent it."""

RecipientLike: TypeAlias = RecipientModel | str
"""What the overlay accepts wherever a recipient is expected: a model, or a plain string meaning a unicity value."""


#: C0 controls, DEL and C1 controls: never part of a recipient.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _non_empty(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInputError(f"{what} must not be empty")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from a badly decoded file
            raise InvalidInputError(f"{what} is not valid text (it cannot be encoded as UTF-8): {value!r}") from exc
    if CONTROL_CHARACTERS.search(value):  # no address, phone number or id holds one: a file read wrongly
        raise InvalidInputError(f"{what} contains a control character: {value!r}")
    return value


class Recipient:
    """Factories for the four recipient shapes (they return the generated models)."""

    def __init__(self) -> None:
        raise TypeError("use Recipient.by_id(), .by_unicity(), .by_hash() or .by_footprint()")

    @staticmethod
    def by_id(target_id: str) -> RecipientById:
        """The NP6 target (contact) id, e.g. "000PIZ76"."""
        return RecipientById(type_="id", value=_non_empty(target_id, "a target id"))

    @staticmethod
    def by_unicity(*values: str) -> RecipientByUnicity:
        """The value(s) of the account's unicity field(s), e.g. `by_unicity("alice@example.com")`.

        Several values form a composite key, in the order of the account's unicity fields.
        """
        if not values:
            raise InvalidInputError("by_unicity() needs at least one value")
        if len(values) == 1 and isinstance(values[0], (list, tuple)):
            raise InvalidInputError("pass unicity values as separate arguments: by_unicity(*values)")
        return RecipientByUnicity(type_="unicity", value=[_non_empty(v, "a unicity value") for v in values])

    @staticmethod
    def by_hash(target_hash: str) -> RecipientByHash:
        """The contact's hash, as NP6 gives it: a target's `hash_`, or the `hash` of a footprint or an event."""
        return RecipientByHash(type_="hash", value=_non_empty(target_hash, "a target hash"))

    @staticmethod
    def by_footprint(
        *, id: str | None = None, unicity: str | None = None, hash: str | None = None
    ) -> RecipientByFootprint:
        """A footprint as NP6 returns it from sends (`ExecutionSuccess.recipient`), reusable as input."""
        if id is None and unicity is None and hash is None:
            raise InvalidInputError("a footprint needs at least one of id, unicity, hash")
        return RecipientByFootprint(
            type_="footprint",
            id=UNSET if id is None else _non_empty(id, "a footprint id"),
            unicity=UNSET if unicity is None else _non_empty(unicity, "a footprint unicity"),
            hash_=UNSET if hash is None else _non_empty(hash, "a footprint hash"),
        )


def to_recipient(value: object, what: str = "recipient") -> RecipientModel:
    """Coerce and check what the caller gave as a recipient, before anything is sent."""
    if isinstance(value, str):
        return Recipient.by_unicity(value)
    if isinstance(value, RecipientByUnicity):
        unicity = value.value
        if isinstance(unicity, str) or not isinstance(unicity, Sequence):
            raise InvalidInputError(f"{what}: a unicity value must be a list of strings, not {type(unicity).__name__}")
        if not unicity:
            raise InvalidInputError(f"{what}: a unicity recipient needs at least one value")
        for item in unicity:
            _non_empty(item, f"{what}: a unicity value")
        return value
    if isinstance(value, (RecipientById, RecipientByHash)):
        _non_empty(value.value, f"{what}: a recipient {value.type_}")
        return value
    if isinstance(value, (RecipientByFootprint, UnknownRecipient)):
        return value
    raise InvalidInputError(
        f"{what} must be a string (a unicity value) or a np6.Recipient.by_*() value, got {type(value).__name__}"
    )
