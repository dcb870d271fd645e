"""A local NP6 CM server, driven by the curated spec: the place to rehearse sends, failures and rate limits.

    from np6.sandbox import Sandbox

    sandbox = Sandbox()
    with sandbox.client() as client:                     # in-process: no socket, no network, no account
        action = client.actions.create(np6.email_action(...))
        client.actions.validate(action.id, test_segments=[1])
        client.actions.send(action.id, "alice@example.com")
    assert sandbox.deliveries.count() == 1

    with sandbox.serve(port=8600) as server:             # or on loopback, for other processes
        print(server.url, server.api_key)

Contacts, contact fields, value lists, segments and events live in the same in-memory state: a contact created
with `client.targets.create(...)` is the one a send reaches, and every accepted message produces an activation
event, followed by what `sandbox.reactions` scripts (bounces, clicks, SMS STOP replies...), for
`client.events.iter(...)` to find.

Every request is validated against the curated document and so is every answer the sandbox gives: with
`strict=True` (the default) a spec/sandbox mismatch raises `SpecMismatchError` in the caller, so a test fails
loudly instead of passing on a shape NP6 would not produce.

Needs the `sandbox` extra (`pip install 'np6-cm[sandbox]'`): `import np6` never imports this package.
"""

from __future__ import annotations

import secrets
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Never, Self, TypeVar, overload

from .._client import AsyncClient, Client
from ._app import App, Settings
from ._directory import DEFAULT_FIELDS, DEFAULT_VALUE_LISTS, FieldCatalog, Redlists, SegmentStore
from ._errors import SpecMismatchError
from ._events import EventLog
from ._faults import Fault, Faults, FaultScope, Latency, RateLimit, RateLimiter, RequestInfo
from ._ids import Ids
from ._reactions import Reaction, Reactions
from ._server import DEFAULT_MAX_BODY_BYTES, SandboxServer
from ._spec import shipped_spec
from ._store import (
    STATE_CREATED,
    STATE_DRAFT,
    STATE_TEST_VALIDATED,
    STATE_VALIDATED,
    ActionStore,
    Contact,
    ContactBook,
    Deliveries,
    Delivery,
)
from ._transport import SandboxTransport
from ._validation import ContractValidator, ValidationMode

__all__ = [
    "STATE_CREATED",
    "STATE_DRAFT",
    "STATE_TEST_VALIDATED",
    "STATE_VALIDATED",
    "Contact",
    "Deliveries",
    "Delivery",
    "EventLog",
    "Fault",
    "FaultScope",
    "FieldCatalog",
    "Faults",
    "RateLimit",
    "Reaction",
    "Reactions",
    "RequestInfo",
    "Sandbox",
    "SandboxServer",
    "SandboxTransport",
    "SegmentStore",
    "SpecMismatchError",
    "random_api_key",
]

DEFAULT_API_KEY = "sandbox-key"

_Part = TypeVar("_Part")


class _StateProperty(property, Generic[_Part]):
    """A read-only property of `Sandbox` giving one part of its state, which lives in `sandbox.app`."""

    def __init__(self, part: Callable[[App], _Part], doc: str) -> None:
        super().__init__(lambda sandbox: part(sandbox.app))
        # On the instance: `property(doc=...)` keeps it in a slot that the docstring of this subclass shadows.
        self.__doc__ = doc

    if TYPE_CHECKING:
        # The runtime is `property`'s; type checkers must see what a plain `@property` gives them: reading an
        # instance's gives the part itself, and assigning to it is an error.
        @overload
        def __get__(self, instance: None, owner: type | None = None, /) -> Self: ...
        @overload
        def __get__(self, instance: object, owner: type | None = None, /) -> _Part: ...
        def __get__(self, instance: object, owner: type | None = None, /) -> Any: ...
        def __set__(self, instance: object, value: Never, /) -> None: ...


class Sandbox:
    """One sandbox state (actions, contacts, deliveries, faults), reachable in-process and over loopback.

    - `api_key`: the key it accepts (also `api_keys` for more); any other key gets 401.
    - `validation`: "full" checks every request and answer against the spec; "sample" checks a rotating sample
      of the items of large arrays (for big batch sends); "off" keeps statuses and media types only.
    - `rate_limit`: e.g. `RateLimit(requests=10, window=1.0)`; beyond it, 429 with `X-RateLimit-*` headers.
    - `latency`, `error_rate`, `drop_rate`, `seed`: random faults; `sandbox.faults.add(Fault.error(503))` scripts
      exact ones.
    - `max_batch_size`: answer 413 to `/executions` and `/renders` bodies with more messages than this.
    - `unknown_recipients`: unicity values NP6 will not resolve (per-message error results); addresses at
      `invalid.example` never resolve either. Other well-formed e-mail addresses and phone numbers are created as
      contacts on first use, as if the account already held them, unless `auto_create_contacts=False`: then only
      the contacts created (`POST /targets`, `sandbox.contacts.create`) are found.
    - `events_page_cap`: every event operation answers at most this many events (NP6 documents no pagination;
      this is how a client's window splitting is rehearsed).
    - `fields` / `value_lists`: the account's contact fields (default: an `Email` unicity field, `Mobile`,
      `FirstName`, `LastName`, `BirthDate` and a `Pastimes` select list) and value lists.
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        api_keys: Iterable[str] = (),
        validation: ValidationMode = "full",
        strict: bool = True,
        rate_limit: RateLimit | None = None,
        latency: Latency = 0.0,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        seed: int | None = None,
        max_batch_size: int | None = None,
        unknown_recipients: Iterable[str] = (),
        keep_messages: bool = True,
        auto_create_contacts: bool = True,
        events_page_cap: int | None = None,
        fields: Iterable[Mapping[str, Any]] = DEFAULT_FIELDS,
        value_lists: Iterable[Mapping[str, Any]] = DEFAULT_VALUE_LISTS,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("the sandbox needs a non-empty api_key")
        self.api_key = api_key
        # The shared Spec: compiled schema checks are cached per Spec for the life of the process, so a Spec per
        # sandbox would keep ~0.5 MB alive for every sandbox ever created (one per test, typically).
        if events_page_cap is not None and (not isinstance(events_page_cap, int) or events_page_cap < 1):
            raise ValueError("events_page_cap must be a positive integer")
        spec = shipped_spec()
        lock = threading.RLock()
        contacts = ContactBook(lock, auto_create=auto_create_contacts, unknown=unknown_recipients)
        self.app: App = App(
            spec=spec,
            validator=ContractValidator(spec, validation),
            settings=Settings(
                api_keys={api_key, *api_keys},
                strict=strict,
                max_batch_size=max_batch_size,
                keep_messages=keep_messages,
                events_page_cap=events_page_cap,
            ),
            faults=Faults(latency=latency, error_rate=error_rate, drop_rate=drop_rate, seed=seed),
            limiter=RateLimiter(rate_limit) if rate_limit is not None else None,
            ids=Ids(seed),
            lock=lock,
            actions=ActionStore(lock),
            contacts=contacts,
            deliveries=Deliveries(lock),
            catalog=FieldCatalog(lock, fields, value_lists),
            segments=SegmentStore(lock, contacts),
            redlists=Redlists(lock),
            events=EventLog(lock),
            reactions=Reactions(lock),
        )
        self.transport: SandboxTransport = SandboxTransport(self.app)

    # ------------------------------------------------------------------------------------------- state

    actions: _StateProperty[ActionStore] = _StateProperty(
        lambda app: app.actions, "The actions it holds (as NP6 would answer them)."
    )
    contacts: _StateProperty[ContactBook] = _StateProperty(
        lambda app: app.contacts, "The contacts (NP6 targets) it knows."
    )
    deliveries: _StateProperty[Deliveries] = _StateProperty(
        lambda app: app.deliveries, "Every message it accepted, in order: count them, look for duplicates."
    )
    fields: _StateProperty[FieldCatalog] = _StateProperty(
        lambda app: app.catalog, "The account's contact fields and value lists."
    )
    segments: _StateProperty[SegmentStore] = _StateProperty(
        lambda app: app.segments, "The segments (one test segment, id 1, from the start)."
    )
    redlists: _StateProperty[Redlists] = _StateProperty(
        lambda app: app.redlists, "The contacts on the e-mail and SMS redlists."
    )
    events: _StateProperty[EventLog] = _StateProperty(
        lambda app: app.events,
        """Every event the event operations can answer; `sandbox.events.add({...})` adds raw ones, and
        `sandbox.events.lag = 2.0` makes new events appear two seconds late (NP6 records events after the fact).""",
    )
    reactions: _StateProperty[Reactions] = _StateProperty(
        lambda app: app.reactions,
        """What contacts do with the messages they get: `sandbox.reactions.bounce("a@b.c", verdict="soft")`.""",
    )
    faults: _StateProperty[Faults] = _StateProperty(
        lambda app: app.faults, """The fault plan: `sandbox.faults.add(Fault.error(503, operation="send_messages"))`."""
    )
    mismatches: _StateProperty[list[SpecMismatchError]] = _StateProperty(
        lambda app: app.mismatches, "Answers that did not match the spec (raised to the caller too when `strict`)."
    )

    def reset(self) -> None:
        """Forget every action, contact, delivery, event, reaction, fault and rate-limit window."""
        self.app.reset()

    # -------------------------------------------------------------------------------------- connecting

    def client(self, **options: Any) -> Client:
        """An `np6.Client` talking to this sandbox in-process (options as for `np6.Client`)."""
        options.setdefault("api_key", self.api_key)
        options.setdefault("base_url", "http://localhost")
        return Client(transport=self.transport, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An `np6.AsyncClient` talking to this sandbox in-process."""
        options.setdefault("api_key", self.api_key)
        options.setdefault("base_url", "http://localhost")
        return AsyncClient(transport=self.transport, **options)

    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> SandboxServer:
        """A server on `host:port` (0: any free port) for this state; use it as a context manager.

        The key it accepts is `server.api_key`: `api_key` when given, else the sandbox's own when it was chosen
        (`Sandbox(api_key=...)`). A sandbox left with the well-known default key gets a random one for its server,
        printed on stderr (as `np6 sandbox` prints it): the default works in-process only, never over a socket.
        """
        refused: frozenset[str] = frozenset()
        if api_key is None:
            api_key = self.api_key
            if api_key == DEFAULT_API_KEY:
                api_key = random_api_key()
                refused = frozenset({DEFAULT_API_KEY})
                print(f"np6 sandbox: its server accepts the key {api_key} (server.api_key)", file=sys.stderr)
        elif not isinstance(api_key, str) or not api_key:
            raise ValueError("the server needs a non-empty api_key")
        self.app.settings.api_keys.add(api_key)
        return SandboxServer(self.app, api_key, host, port, max_body_bytes=max_body_bytes, refused_keys=refused)


def random_api_key() -> str:
    """A fresh sandbox key, for a server other processes talk to."""
    return "sbx_" + secrets.token_urlsafe(18)
