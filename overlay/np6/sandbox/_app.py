"""The sandbox core: one pure function from a `CoreRequest` to an `Outcome`, shared by every way of running it.

Why pure: the in-process transports (sync and async) and the loopback server only differ in how they read
requests, wait and write answers; keeping authentication, rate limiting, faults, validation and NP6 semantics
here means the three behave identically. The core never sleeps nor touches sockets: it says how long to wait
and whether to drop the connection, and the adapters do it.

Order of the checks: sandbox endpoints; API key (401); route (404/405); rate limit (429); scripted or random
faults; Content-Length (411); parameters (400); media type (415, or 400 where the spec declares no 415); JSON
(400); batch size (413); body schema (400); then the operation itself (404/409/415 and the answer). Every
answer of a spec operation is validated before it leaves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from ._admin import ADMIN_PREFIX, handle_admin
from ._directory import DirectoryHandlers, FieldCatalog, Redlists, SegmentStore
from ._errors import Reject, SpecMismatchError, query_instant
from ._events import EventHandlers, EventLog, record_deliveries
from ._faults import Decision, Faults, RateLimiter, RequestInfo
from ._http import CoreRequest, CoreResponse, Outcome
from ._ids import Ids, format_id
from ._reactions import Reactions
from ._render import extract_links, render_email, render_sms
from ._spec import Operation, Spec
from ._store import (
    STATE_VALIDATED,
    AcceptedSend,
    ActionStore,
    Channel,
    Conflict,
    ContactBook,
    ContactRow,
    Deliveries,
    NotFound,
    footprint,
    record_send,
    resolve_row,
)
from ._validation import JSON_MEDIA_TYPES, ContractValidator, media_type_of

__all__ = ["App", "Settings"]

EMAIL_MEDIA_TYPE = "application/vnd.np6.cm.email"
SMS_MEDIA_TYPE = "application/vnd.np6.cm.sms"
_CHANNEL_OF_MEDIA: dict[str, Channel] = {EMAIL_MEDIA_TYPE: "email", SMS_MEDIA_TYPE: "sms"}
_CHANNEL_OF_ACTION: dict[str, Channel] = {"mailMessage": "email", "smsMessage": "sms"}
RECIPIENT_NOT_FOUND = "recipient not found"


@dataclass
class Settings:
    """The mutable configuration of a running sandbox."""

    api_keys: set[str]
    strict: bool = True
    max_batch_size: int | None = None
    keep_messages: bool = True
    events_page_cap: int | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    operation: Operation
    params: Mapping[str, Any]
    body: Any
    media_type: str
    request_id: str
    api_key: str
    raw: bytes | None  # the body as received


#: How deep a request body may nest: NP6's deepest schema is a few levels; the checks recurse.
MAX_JSON_DEPTH = 64


def _deeper_than(value: Any, limit: int) -> bool:
    # Level by level, keeping containers only: a 500-message batch is five levels of a few thousand nodes.
    level: list[Any] = [value] if type(value) is dict or type(value) is list else []
    for _ in range(limit):
        if not level:
            return False
        inner: list[Any] = []
        for item in level:
            inner.extend(cast("dict[str, Any]", item).values() if type(item) is dict else cast("list[Any]", item))
        level = [item for item in inner if type(item) is dict or type(item) is list]
    return bool(level)


def _array_length(value: Any) -> int | None:
    """The number of items of a JSON array; None for any other JSON value."""
    return len(cast("list[object]", value)) if isinstance(value, list) else None


@dataclass
class App:
    """The core handler of a sandbox and the state it works on."""

    spec: Spec
    validator: ContractValidator
    settings: Settings
    faults: Faults
    limiter: RateLimiter | None
    ids: Ids
    lock: threading.RLock
    actions: ActionStore
    contacts: ContactBook
    deliveries: Deliveries
    catalog: FieldCatalog
    segments: SegmentStore
    redlists: Redlists
    events: EventLog
    reactions: Reactions
    mismatches: list[SpecMismatchError] = field(default_factory=list[SpecMismatchError])

    def __post_init__(self) -> None:
        self._handlers: dict[str, Callable[[_Context], CoreResponse]] = {
            "list_actions": self._list_actions,
            "create_action": self._create_action,
            "get_action": self._get_action,
            "update_action": self._update_action,
            "delete_action": self._delete_action,
            "duplicate_action": self._duplicate_action,
            "validate_action": self._validate_action,
            "unvalidate_action": self._unvalidate_action,
            "render_message": self._render_message,
            "render_messages": self._render_messages,
            "send_message": self._send_message,
            "send_messages": self._send_messages,
            "render_links": self._render_links,
            "export_action_openers": self._export,
            "export_action_clickers": self._export,
            "send_message_to_target": self._send_message_to_target,
        }
        directory = DirectoryHandlers(self.lock, self.contacts, self.catalog, self.segments, self.redlists)
        self._handlers.update(directory.handlers())
        events = EventHandlers(self.actions, self.events, lambda: self.settings.events_page_cap)
        self._handlers.update(events.handlers())
        missing = set(self.spec.operations) - set(self._handlers)
        if missing:
            raise RuntimeError(f"the sandbox does not implement {sorted(missing)}: the spec grew, extend _app.py")

    # ------------------------------------------------------------------------------------------ pipeline
    def handle(self, request: CoreRequest) -> Outcome:
        """Answer one request."""
        request_id = self.ids.uuid()
        if request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/"):
            answer = handle_admin(self, request)
            answer.headers["x-request-id"] = request_id
            return Outcome(answer)
        match = self.spec.route(request.method, request.path)
        operation = match.operation
        api_key = request.headers.get(self.spec.api_key_header, "")
        decision = Decision()
        extra_headers: dict[str, str] = {}
        response: CoreResponse | None = None
        if api_key not in self.settings.api_keys:
            response = CoreResponse.empty(401)
        elif operation is None:
            response = CoreResponse.empty(405 if match.allowed_methods else 404)
            if match.allowed_methods:
                response.headers["allow"] = ", ".join(match.allowed_methods)
        else:
            if self.limiter is not None:
                allowed, extra_headers = self.limiter.hit(api_key)
                if not allowed:
                    response = CoreResponse.empty(429)
            if response is None:
                info = RequestInfo(
                    method=request.method.upper(),
                    path=request.path,
                    operation_id=operation.operation_id,
                    api_key=api_key,
                    body_size=len(request.body or b""),
                    sequence=self.faults.next_sequence(),
                )
                decision = self.faults.decide(info)
                if decision.drop == "before":
                    return Outcome(None, delay=decision.delay)
                if decision.error_status is not None and not decision.error_after_processing:
                    response = CoreResponse.empty(decision.error_status)
                else:
                    response = self._process(operation, match.path_params, request, api_key, request_id)
                    if decision.error_status is not None:  # processed (recorded), then answered as an error
                        response = CoreResponse.empty(decision.error_status)
        response.headers.update(extra_headers)
        response.headers["x-request-id"] = request_id
        mismatch = None
        if operation is not None:
            problems = self.validator.response(operation, response.status, response.headers, response.body)
            if problems:
                mismatch = SpecMismatchError(
                    operation.operation_id, request.method.upper(), request.path, response.status, problems
                )
                with self.lock:
                    self.mismatches.append(mismatch)
        return Outcome(response, delay=decision.delay, drop=decision.drop == "after", mismatch=mismatch)

    def _process(
        self,
        operation: Operation,
        path_params: Mapping[str, str],
        request: CoreRequest,
        api_key: str,
        request_id: str,
    ) -> CoreResponse:
        try:
            params, body, media_type = self._parse(operation, path_params, request)
            context = _Context(operation, params, body, media_type, request_id, api_key, request.body)
            return self._handlers[operation.operation_id](context)
        except Reject as reject:
            return CoreResponse.empty(reject.status)
        except NotFound:
            return CoreResponse.empty(404)
        except Conflict:
            return CoreResponse.empty(409)

    def _parse(
        self, operation: Operation, path_params: Mapping[str, str], request: CoreRequest
    ) -> tuple[dict[str, Any], Any, str]:
        """The decoded parameters, the parsed body and its media type; `Reject` when the request is malformed."""
        expects_body = operation.request_body is not None
        if not request.has_content_length and (request.announces_body or expects_body) and operation.declares(411):
            raise Reject(411, "a body needs a Content-Length")
        if request.body is None and expects_body:
            raise Reject(400, "unreadable body")
        params, problems = self.validator.parameters(operation, path_params, request.query)
        if problems:
            # Sandbox's choice where the spec declares no 400 (duplication): NP6 answers 404 to a malformed URL or
            # an invalid value (facts sheet 3.2); an undeclared 400 would be a spec mismatch.
            raise Reject(400 if operation.declares(400) else 404, "; ".join(problems))
        body: Any = None
        media_type = media_type_of(request.headers.get("content-type"))
        if operation.request_body is not None:
            raw = request.body or b""
            if not raw:
                if operation.request_body.required:
                    raise Reject(400, "a body is required")
            else:
                parse = JSON_MEDIA_TYPES.get(media_type)
                if media_type not in operation.request_body.content or parse is None:
                    raise Reject(415 if operation.declares(415) else 400, f"media type {media_type!r}")
                try:
                    body = parse(raw)
                except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python recurses
                    raise Reject(400, "malformed JSON") from exc
                if _deeper_than(body, MAX_JSON_DEPTH):
                    raise Reject(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
                limit, length = self.settings.max_batch_size, _array_length(body)
                if limit is not None and length is not None and length > limit and operation.declares(413):
                    raise Reject(413, f"{length} items, at most {limit}")
                problems = self.validator.request_body(operation, media_type, body)
                if problems:
                    raise Reject(400, "; ".join(problems))
        return params, body, media_type

    # ----------------------------------------------------------------------------------------- helpers
    def _channel(self, action: Mapping[str, Any], media_type: str) -> Channel:
        """The channel of a send or render; the body's vendor type must match the action's type."""
        channel = _CHANNEL_OF_ACTION.get(str(action.get("type")))
        if channel is None:
            # Not a message action (e.g. a campaign): it cannot be sent or rendered message by message.
            raise Conflict(f"action type {action.get('type')!r}")
        if _CHANNEL_OF_MEDIA.get(media_type) != channel:
            # Sandbox's choice: NP6's answer to an e-mail body on an SMS action (or the reverse) is not
            # documented; the sandbox answers 415, as for any other media type the action cannot take.
            raise Reject(415, f"{media_type} on a {action.get('type')} action")
        return channel

    def _object(self, value: Any) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise Reject(400, "an object is required")
        return cast("Mapping[str, Any]", value)

    def _objects(self, value: Any) -> list[Mapping[str, Any]]:
        if not isinstance(value, list):
            raise Reject(400, "an array is required")
        return [self._object(item) for item in cast("list[object]", value)]

    @staticmethod
    def _not_found(recipient: Any) -> dict[str, Any]:
        kind = cast("Mapping[str, Any]", recipient).get("type") if isinstance(recipient, Mapping) else None
        error = RECIPIENT_NOT_FOUND if kind in ("id", "unicity", "hash", "footprint") else "unsupported recipient type"
        return {"type": "error", "value": {"type": error, "recipient": recipient}}

    # ------------------------------------------------------------------------------------------ actions
    def _list_actions(self, ctx: _Context) -> CoreResponse:
        start = query_instant(ctx.params.get("creation_start"))
        end = query_instant(ctx.params.get("creation_end"))
        return CoreResponse.json(200, self.actions.list(start, end))

    def _create_action(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self.actions.create(self._object(ctx.body)))

    def _get_action(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self.actions.get(ctx.params["id"]))

    def _update_action(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self.actions.update(ctx.params["id"], self._object(ctx.body)))

    def _delete_action(self, ctx: _Context) -> CoreResponse:
        self.actions.delete(ctx.params["id"])
        return CoreResponse.empty(204)

    def _duplicate_action(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self.actions.duplicate(ctx.params["id"], ctx.params.get("folder")))

    def _validate_action(self, ctx: _Context) -> CoreResponse:
        fortest = self._object(ctx.body).get("fortest")
        if not isinstance(fortest, bool):
            # Sandbox's choice: without `fortest` the phase is unknown; NP6's answer is not documented.
            raise Reject(400, "fortest must be true or false")
        self.actions.validate(ctx.params["id"], fortest)
        return CoreResponse.empty(204)

    def _unvalidate_action(self, ctx: _Context) -> CoreResponse:
        self.actions.unvalidate(ctx.params["id"])
        return CoreResponse.empty(204)

    def _export(self, ctx: _Context) -> CoreResponse:
        self.actions.get(ctx.params["id"])
        return CoreResponse.empty(204)

    # ------------------------------------------------------------------------------------------ renders
    def _render(self, ctx: _Context, definitions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        action = self.actions.get(ctx.params["id"])
        channel = self._channel(action, ctx.media_type)
        render = render_email if channel == "email" else render_sms
        results: list[dict[str, Any]] = []
        for definition in definitions:
            receiver = definition.get("receiver")
            contact = self.contacts.resolve(receiver)
            results.append(self._not_found(receiver) if contact is None else render(action, contact, definition))
        return results

    def _render_message(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self._render(ctx, [self._object(ctx.body)])[0])

    def _render_messages(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self._render(ctx, self._objects(ctx.body)))

    def _render_links(self, ctx: _Context) -> CoreResponse:
        definition = self._object(ctx.body)
        action = self.actions.get(ctx.params["id"])
        contact = self.contacts.resolve(definition.get("receiver"))
        if contact is None:
            # Sandbox's choice: an unknown receiver is an unknown resource (404); NP6 documents no error result.
            raise NotFound("receiver")
        return CoreResponse.json(200, {"type": "success", "links": extract_links(action, contact, definition)})

    # -------------------------------------------------------------------------------------------- sends
    def _send(self, ctx: _Context, messages: Sequence[Mapping[str, Any]], *, single: bool) -> list[dict[str, Any]]:
        """Send `messages` (the request's body, or its one message when `single`): one result per message, in
        order; successes are recorded as deliveries."""
        action_id = str(ctx.params["id"])
        with self.lock:
            action = self.actions.get(action_id)
            channel = self._channel(action, ctx.media_type)
            if action["informations"]["state"] != STATE_VALIDATED:
                raise Conflict(f"action {action_id} is not validated for production")
            if channel == "email" and any(isinstance(m.get("content"), Mapping) for m in messages):
                templating = action.get("settings", {}).get("templating", {})
                if (
                    not isinstance(templating, Mapping)
                    or str(cast("Mapping[str, Any]", templating).get("version")) != "4.1"
                ):
                    raise Conflict("a content override needs templating version 4.1")
            # Serials of three ids per message (its own, its thread's, its activation's), reserved at once.
            first_serial = self.ids.reserve(3 * len(messages))
            prefix = self.ids.prefix
            book = self.contacts
            results: list[dict[str, Any]] = []
            contacts: list[ContactRow] = []
            message_ids: list[str] = []
            indexes: list[int] = []
            recipients: list[Mapping[str, Any]] = []
            for index, message in enumerate(messages):
                recipient = message.get("recipient")
                contact = resolve_row(book, recipient)
                if contact is None:
                    results.append(self._not_found(recipient))
                    continue
                message_id = format_id(prefix, first_serial + 3 * index)
                results.append({"type": "success", "id": message_id, "recipient": footprint(contact)})
                contacts.append(contact)
                message_ids.append(message_id)
                indexes.append(index)
                recipients.append(cast("Mapping[str, Any]", recipient))
            keep = self.settings.keep_messages
            self._keep(
                ctx,
                action_id,
                channel,
                first_serial,
                contacts,
                message_ids,
                indexes,
                single=single,
                # Kept, the messages stay in the raw body, decoded again only when a test reads them.
                body=ctx.raw if keep else None,
                recipients=() if keep else recipients,
                messages=() if keep else [None] * len(message_ids),
            )
            return results

    def _keep(
        self,
        ctx: _Context,
        action_id: str,
        channel: Channel,
        first_serial: int,
        contacts: Sequence[ContactRow],
        message_ids: Sequence[str],
        indexes: Sequence[int],
        *,
        single: bool,
        body: bytes | None = None,
        recipients: Sequence[Mapping[str, Any]] = (),
        messages: Sequence[Mapping[str, Any] | None] = (),
    ) -> None:
        """Record the messages a send accepted as deliveries and events (the members: see `AcceptedSend`)."""
        send = AcceptedSend(
            action_id,
            channel,
            ctx.operation.operation_id,
            ctx.request_id,
            datetime.now(UTC),
            contacts,
            message_ids,
            indexes,
            single=single,
            body=body,
            recipients=recipients,
            messages=messages,
            first_serial=first_serial,
        )
        record_send(self.deliveries, send)
        record_deliveries(self.events, self.reactions, send, self.ids)

    def _send_message(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self._send(ctx, [self._object(ctx.body)], single=True)[0])

    def _send_messages(self, ctx: _Context) -> CoreResponse:
        return CoreResponse.json(200, self._send(ctx, self._objects(ctx.body), single=False))

    def _send_message_to_target(self, ctx: _Context) -> CoreResponse:
        action_id = str(ctx.params["id"])
        target_id = str(ctx.params["targetId"])
        body: Mapping[str, Any] = self._object(ctx.body) if ctx.body is not None else {}
        with self.lock:
            action = self.actions.get(action_id)
            contact = self.contacts.get(target_id)
            if contact is None:
                raise NotFound(target_id)
            channel = _CHANNEL_OF_ACTION.get(str(action.get("type")))
            if channel is None or action["informations"]["state"] != STATE_VALIDATED:
                raise Conflict(f"action {action_id} cannot be sent")
            first_serial = self.ids.reserve(3)
            message_id = format_id(self.ids.prefix, first_serial)
            self._keep(
                ctx,
                action_id,
                channel,
                first_serial,
                [(contact.id, contact.unicity, contact.hash)],
                [message_id],
                [0],
                single=True,
                recipients=[{"type": "id", "value": target_id}],
                messages=[body if self.settings.keep_messages else None],
            )
        return CoreResponse.json(200, message_id)

    # -------------------------------------------------------------------------------------------- state
    def reset(self) -> None:
        """Forget actions, contacts, deliveries, events, reactions, rate-limit windows, queued faults and recorded
        mismatches; fields, value lists and segments go back to the sandbox's initial ones."""
        with self.lock:
            self.actions.clear()
            self.contacts.clear()
            self.deliveries.clear()
            self.catalog.reset()
            self.segments.reset()
            self.redlists.clear()
            self.events.clear()
            self.reactions.clear()
            self.mismatches.clear()
        self.faults.clear()
        if self.limiter is not None:
            self.limiter.reset()
