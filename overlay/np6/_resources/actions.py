"""`client.actions`: every action operation of the spec, written once as flows, run by `Actions` (sync) and
`AsyncActions` (async)."""

from __future__ import annotations

import builtins
import datetime as dt
import os
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack, cast, overload

import httpx
from np6_generated.models import EmailMessage as EmailMessageModel  # the bodies of sends, loaded with `sendable`
from np6_generated.models import SmsMessage as SmsMessageModel
from np6_generated.types import UNSET, Unset

from .._content.channel import Channel
from .._content.messages import EmailMessage, SmsMessage
from .._content.recipients import RecipientLike, to_recipient
from .._content.sendable import MessageLike, check_message, message_channel, render_builder, send_model
from .._content.states import ActionState
from .._core.engine import Flow, strict_json
from .._core.errors import ChannelMismatchError, InvalidInputError
from .._core.interrupts import deferring_sigint
from .._core.limits import Limits, check_message_bytes
from .._core.options import CallOptions, RequestOptions, call_options
from .._core.retry import OperationKind
from .._sending.defaults import DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, ProgressCallback
from .base import (
    ResourceFlows,
    check_bool,
    check_int,
    check_mapping,
    check_mapping_list,
    check_model,
    check_optional_text,
    check_str_id,
    instant,
    no_body,
)
from .binding import AsyncResource, SyncResource, operation, twin_of

if TYPE_CHECKING:
    import asyncio

    # Each operation imports its generated module (and so its models) when it runs first, and send_many the send
    # machinery: a client that sends one message loads what that send needs, not the ~90 models of the API.
    from np6_generated.models import (
        ContentOverride,
        LinkDefinition,
        MailMessageAction,
        MailMessageActionRequest,
        RenderContext,
        SmsMessageAction,
        SmsMessageActionRequest,
        ValidationSettings,
    )

    from .._client import AsyncClient, Client
    from .._sending.journal import Journal
    from .._sending.report import SendReport
    from .._sending.run import AsyncSource, SendRun, Work
    from ..models import Action, ActionRequest, ExecutionResult, RenderLinksResult, RenderResult

__all__ = ["Actions", "ActionsFlows", "AsyncActions", "MessageLike", "ValidationPhase", "action_id_of"]

T = TypeVar("T")

ValidationPhase = Literal["test", "production"]


def _typed_action(action: Action) -> Action:
    # The catch-all variant accepts any object; an action whose `type` or `id` is not even a string is not an
    # answer the spec allows, and would break the channel lookup (and its cache) later.
    if not isinstance(action.type_, str):
        raise ValueError(f"an action's type must be a string, got {action.type_!r}")
    if not isinstance(action.id, str):
        raise ValueError(f"an action's id must be a string, got {action.id!r}")
    return action


def _as_datetime(value: dt.datetime | int | float | None, what: str) -> dt.datetime | Unset:
    if value is None:
        return UNSET
    return instant(value, what)  # one rule for datetimes and timestamps, with its range check


def action_id_of(value: object) -> str:
    """The id of an action, checked before any request."""
    return check_str_id(value, "an action id")


class ActionsFlows(ResourceFlows):
    """The logic of every `client.actions` method, as flows (see `_engine`); the public classes run them."""

    @staticmethod
    def _action(parse: Callable[[httpx.Response], Action]) -> Callable[[httpx.Response], Action]:
        return lambda response: _typed_action(parse(response))

    def _remember(self, action: Action) -> Action:
        channel = Channel.for_action_type(action.type_)
        if channel is not None:
            self._client._channels[action.id] = channel
        return action

    # ---------------------------------------------------------------------------------------------- CRUD

    def _get(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[Action]:
        """The action `action_id` (`MailMessageAction`, `SmsMessageAction`, or `UnknownAction` for other types)."""
        from np6_generated.api.actions import get_action

        request = get_action.build_request(id=action_id_of(action_id))
        action = yield from self._call(request, self._action(get_action.parse_response), OperationKind.IDEMPOTENT)
        return self._remember(action)

    get = operation(_get)

    def _list(
        self,
        *,
        created_after: dt.datetime | int | None = None,
        created_before: dt.datetime | int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[list[Action]]:
        """The account's actions, optionally created in [created_after, created_before). Deprecated by NP6."""
        from np6_generated.api.actions import list_actions

        request = list_actions.build_request(
            creation_start=_as_datetime(created_after, "created_after"),
            creation_end=_as_datetime(created_before, "created_before"),
        )
        parse = list_actions.parse_response
        actions = yield from self._call(
            request, lambda r: [_typed_action(a) for a in parse(r)], OperationKind.IDEMPOTENT
        )
        return [self._remember(action) for action in actions]

    list = operation(_list)

    def _create(self, action: ActionRequest, **options: Unpack[RequestOptions]) -> Flow[Action]:
        """Create an action (see `np6.email_action()` / `np6.sms_action()`); returns it as NP6 created it, with its
        id: a `MailMessageAction` for an e-mail action, a `SmsMessageAction` for an SMS one (type checkers know)."""
        from np6_generated.api.actions import create_action

        body = _request_body(action)
        request = create_action.build_request(body=body)
        parse = _answer_of_kind(body, create_action.parse_response)
        created = yield from self._call(request, parse, OperationKind.WRITE)
        return self._remember(created)

    create = operation(_create)

    def _update(
        self, action_id: str, action: ActionRequest | Action, **options: Unpack[RequestOptions]
    ) -> Flow[Action]:
        """Replace the definition of an action (only drafts can be changed: states 10 and 20), with a new
        definition (`np6.email_action(...)`) or an action NP6 returned, changed; returns the updated action."""
        from np6_generated.api.actions import update_action

        body = _request_body(action)
        action_id = action_id_of(action_id)
        self._client._channels.pop(action_id, None)
        request = update_action.build_request(id=action_id, body=body)
        parse = _answer_of_kind(body, update_action.parse_response)
        updated = yield from self._call(request, parse, OperationKind.IDEMPOTENT)
        return self._remember(updated)

    update = operation(_update)

    def _delete(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Delete an action."""
        from np6_generated.api.actions import delete_action

        action_id = action_id_of(action_id)
        request = delete_action.build_request(id=action_id)
        yield from self._read(request, no_body)
        self._client._channels.pop(action_id, None)

    delete = operation(_delete)

    def _duplicate(
        self, action_id: str, *, type: int | None = None, folder: int | None = None, **options: Unpack[RequestOptions]
    ) -> Flow[Action]:
        """Copy an action (NP6 names the copy `<name>(1)`, as a new draft)."""
        from np6_generated.api.actions import duplicate_action

        request = duplicate_action.build_request(
            id=action_id_of(action_id), type_=_opt_int(type, "type"), folder=_opt_int(folder, "folder")
        )
        copy = yield from self._call(request, self._action(duplicate_action.parse_response), OperationKind.WRITE)
        return self._remember(copy)

    duplicate = operation(_duplicate)

    # ------------------------------------------------------------------------------------------ validation

    def _validation_phase(self, action_id: str, settings: ValidationSettings) -> Flow[None]:
        from np6_generated.api.actions import validate_action

        request = validate_action.build_request(id=action_id_of(action_id), body=settings)
        yield from self._call(request, lambda r: None, OperationKind.WRITE)

    def _validate_for_test(
        self,
        action_id: str,
        *,
        test_segments: Sequence[int] | None = None,
        campaign_analyser: bool | None = None,
        media_for_test: str | None = None,
        text_and_html: bool | None = None,
        comments: str | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[None]:
        """Phase 1 alone: proofs go to the test segments; the action is not sendable yet (state 38)."""
        from np6_generated.models import ValidationSettings, ValidationSettingsVariablesItem

        settings = ValidationSettings(
            fortest=True,
            test_segments=_segments(test_segments),
            campaign_analyser=_opt_bool(campaign_analyser, "campaign_analyser"),
            media_for_test=_opt_text(media_for_test, "media_for_test"),
            textand_html=_opt_bool(text_and_html, "text_and_html"),
            comments=_opt_text(comments, "comments"),
            variables=UNSET
            if variables is None
            else [ValidationSettingsVariablesItem.from_dict(v) for v in check_mapping_list(variables, "variables")],
        )
        yield from self._validation_phase(action_id, settings)

    validate_for_test = operation(_validate_for_test)

    def _validate_for_production(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Phase 2 alone: after it the action can be sent (state 50)."""
        from np6_generated.models import ValidationSettings

        yield from self._validation_phase(action_id, ValidationSettings(fortest=False))

    validate_for_production = operation(_validate_for_production)

    def _validate(
        self, action_id: str, *, test_segments: Sequence[int] | None = None, **options: Unpack[RequestOptions]
    ) -> Flow[tuple[ValidationPhase, ...]]:
        """Make the action sendable: runs NP6's test phase then its production phase, as far as its state needs.

        Returns the phases that ran (`()` when the action was already validated for production).
        """
        _segments(test_segments)  # checked even when the action turns out to be validated already
        action = yield from self._get(action_id)
        state = _state_of(action)
        if state is not None and state >= ActionState.VALIDATED:
            return ()
        phases: list[ValidationPhase] = []
        if state is None or state < ActionState.TEST_VALIDATED:
            yield from self._validate_for_test(action_id, test_segments=test_segments)
            phases.append("test")
        yield from self._validate_for_production(action_id)
        phases.append("production")
        return tuple(phases)

    validate = operation(_validate)

    def _unvalidate(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[None]:
        """Back to draft (state 20), e.g. to change the content."""
        from np6_generated.api.actions import unvalidate_action
        from np6_generated.models import ValidationSettings

        request = unvalidate_action.build_request(id=action_id_of(action_id), body=ValidationSettings())
        # Removing a validation twice leaves the same state: safe to repeat, like any DELETE.
        yield from self._read(request, no_body)

    unvalidate = operation(_unvalidate)

    # ------------------------------------------------------------------------------------ send and render

    def _channel(self, action_id: str, channel: Channel | str | None, message_channel: Channel | None) -> Flow[Channel]:
        """The channel to use: the caller's, else the message's, checked against the action's (looked up once)."""
        explicit = None if channel is None else Channel.coerce(channel)
        if explicit is not None and message_channel is not None and explicit is not message_channel:
            raise ChannelMismatchError(
                f"channel={explicit.name} but the message is an {message_channel.name} message ({action_id})"
            )
        known = self._client._channels.get(action_id)
        # A typed message names its channel: no lookup for it. A mismatch with the action is caught here when the
        # action's type is already known to this client, else by NP6, which refuses the wrong media type (415).
        if known is None and explicit is None and message_channel is None:
            action = yield from self._get(action_id)
            known = self._client._channels.get(action_id)
            if known is None:
                raise InvalidInputError(
                    f"cannot tell whether action {action_id} (type {action.type_!r}) is e-mail or SMS: pass channel="
                )
        wanted = explicit or message_channel
        if known is not None and wanted is not None and wanted is not known:
            raise ChannelMismatchError(
                f"action {action_id} is an {known.name} action; an {wanted.name} message cannot be sent to it"
            )
        return cast(Channel, wanted or known)

    def _send(
        self,
        action_id: str,
        message: MessageLike,
        *,
        channel: Channel | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[ExecutionResult]:
        """Send the action to one recipient: a unicity string, a `np6.Recipient`, or an e-mail/SMS message builder.

        Returns NP6's result: `ExecutionSuccess` (message id, resolved recipient) or `ExecutionError` (e.g. the
        recipient was not found). `channel` defaults to the message's, else the action's (looked up once).
        """
        action_id = action_id_of(action_id)
        check_message(message)
        # Encoded once before the channel lookup: a message that cannot be sent costs no request at all.
        _check_message_size(send_model(message, message_channel(message) or Channel.EMAIL), self._limits)
        resolved = yield from self._channel(action_id, channel, message_channel(message))
        body = send_model(message, resolved)
        if isinstance(body, EmailMessageModel):
            from np6_generated.api.actions import send_message_email

            request, parse = (
                send_message_email.build_request(id=action_id, body=body),
                send_message_email.parse_response,
            )
        else:
            from np6_generated.api.actions import send_message_sms

            request, parse = send_message_sms.build_request(id=action_id, body=body), send_message_sms.parse_response
        return (yield from self._call(request, parse, OperationKind.SEND, messages=1))

    send = operation(_send)

    def _render(
        self,
        action_id: str,
        message: MessageLike,
        *,
        channel: Channel | str | None = None,
        context: RenderContext | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[RenderResult]:
        """Preview the message one recipient would get; nothing is sent."""
        action_id = action_id_of(action_id)
        check_message(message)
        if context is not None:
            from np6_generated.models import RenderContext

            check_model(context, RenderContext, "context")
        resolved = yield from self._channel(action_id, channel, message_channel(message))
        builder = render_builder(message, resolved)
        parse: Callable[[httpx.Response], RenderResult]
        if isinstance(builder, EmailMessage):
            from np6_generated.api.actions import render_message_email

            request = render_message_email.build_request(id=action_id, body=builder.to_render_model(context))
            parse = render_message_email.parse_response
        else:
            from np6_generated.api.actions import render_message_sms

            request = render_message_sms.build_request(id=action_id, body=builder.to_render_model(context))
            parse = render_message_sms.parse_response
        # A render changes nothing on NP6's side: safe to repeat like a GET.
        return (yield from self._read(request, parse))

    render = operation(_render)

    def _render_many(
        self,
        action_id: str,
        messages: Iterable[MessageLike],
        *,
        channel: Channel | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[builtins.list[RenderResult]]:
        """Preview several messages in one call; one result per message, in order."""
        action_id = action_id_of(action_id)
        if isinstance(messages, (str, bytes)) or not isinstance(messages, Iterable):
            # A string would render one message per character.
            raise InvalidInputError(f"render_many() takes an iterable of messages, got {type(messages).__name__}")
        items = list(messages)
        if not items:
            raise InvalidInputError("render_many() needs at least one message")
        for item in items:
            check_message(item)
        channels = {c for c in map(message_channel, items) if c is not None}
        if len(channels) > 1:
            raise ChannelMismatchError("render_many() got both e-mail and SMS messages")
        resolved = yield from self._channel(action_id, channel, channels.pop() if channels else None)
        builders = [render_builder(item, resolved) for item in items]
        parse: Callable[[httpx.Response], list[RenderResult]]
        if resolved is Channel.EMAIL:
            from np6_generated.api.actions import render_messages_email

            email_bodies = [b.to_render_model() for b in builders if isinstance(b, EmailMessage)]
            request = render_messages_email.build_request(id=action_id, body=email_bodies)
            parse = render_messages_email.parse_response
        else:
            from np6_generated.api.actions import render_messages_sms

            sms_bodies = [b.to_render_model() for b in builders if isinstance(b, SmsMessage)]
            request = render_messages_sms.build_request(id=action_id, body=sms_bodies)
            parse = render_messages_sms.parse_response

        def results(response: httpx.Response) -> list[RenderResult]:
            parsed = parse(response)
            if len(parsed) != len(items):
                raise ValueError(f"{len(parsed)} render results for {len(items)} definitions")
            return parsed

        return (yield from self._read(request, results))

    render_many = operation(_render_many)

    def _reconcile(
        self,
        report: SendReport | str | os.PathLike[str],
        *,
        until: dt.datetime | int | None = None,
        margin: dt.timedelta | None = None,
        kinds: Iterable[str] = ("activation",),
        **options: Unpack[RequestOptions],
    ) -> Flow[SendReport]:
        """Settle `unknown` outcomes from NP6's event feed: an unknown message is marked `sent` when an event of
        the send's action proves NP6 processed it (`activation` by default; see `np6._sending.reconcile` for the rules),
        with the event as `MessageOutcome.evidence` (written to the send journal too, when there is one).

        `report`: a `SendReport`, or the path of a send journal (opened with `SendReport.open`). The feed is read
        from the earliest `attempted_at` of the unknown messages minus `margin` (clock skew; default 1 minute) to
        `until` (default: now plus `margin`). `kinds`: the event kinds that count as proof (some of "activation",
        "bounce", "cancellation", "execution"). Absence of an event proves nothing: the others stay `unknown`,
        their reason saying "no event found as of <time>"; NP6 records events late, so run it again later.
        Returns the report (the same object, or the one opened from the journal).
        """
        from .._sending.reconcile import ReconcileJob  # its matcher is not needed before a reconcile
        from .._sending.report import SendReport
        from .events import EventsFlows

        job = ReconcileJob.prepare(report, until, margin, kinds)
        if isinstance(job, SendReport):
            return job
        events = EventsFlows(self._client)
        for kind in job.kinds:
            pages = events._iter(job.start, job.end, types={kind}, action_id=job.report.action_id)
            while (page := pages.next_page()) is not None:
                for event in pages.take((yield from page)):
                    job.matcher.offer(event)
        return job.finish()

    reconcile = operation(_reconcile)

    # ------------------------------------------------------------------------------------------- legacy

    def _render_links(
        self,
        action_id: str,
        receiver: RecipientLike,
        *,
        links: Sequence[LinkDefinition] | None = None,
        data: dict[str, Any] | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
        context: RenderContext | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[RenderLinksResult]:
        """The tracked links of the action for one receiver. Deprecated by NP6."""
        if links is not None and (isinstance(links, (str, bytes, Mapping)) or not isinstance(links, Iterable)):
            raise InvalidInputError(f"links must be a list of LinkDefinition, got {type(links).__name__}")
        from np6_generated.api.actions import render_links
        from np6_generated.models import (
            LinkDefinition,
            RenderContext,
            RenderLinksDefinition,
            RenderLinksDefinitionData,
            RenderLinksDefinitionVariablesItem,
        )

        body = RenderLinksDefinition(
            receiver=to_recipient(receiver, "receiver"),
            data=UNSET if data is None else RenderLinksDefinitionData.from_dict(check_mapping(data, "data")),
            variables=UNSET
            if variables is None
            else [RenderLinksDefinitionVariablesItem.from_dict(v) for v in check_mapping_list(variables, "variables")],
            context=UNSET if context is None else check_model(context, RenderContext, "context"),
            links=UNSET if links is None else [check_model(link, LinkDefinition, "each of links") for link in links],
        )
        request = render_links.build_request(id=action_id_of(action_id), body=body)
        return (yield from self._read(request, render_links.parse_response))

    render_links = operation(_render_links)

    def _export_opens(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[bytes]:
        """Ask NP6 for the list of openers (NP6 answers "No Content"; the body, if any, is returned). Deprecated."""
        from np6_generated.api.actions import export_action_openers

        request = export_action_openers.build_request(id=action_id_of(action_id))
        return (yield from self._read(request, _body))

    export_opens = operation(_export_opens)

    def _export_clicks(self, action_id: str, **options: Unpack[RequestOptions]) -> Flow[bytes]:
        """Ask NP6 for the list of clickers (NP6 answers "No Content"; the body, if any, is returned). Deprecated."""
        from np6_generated.api.actions import export_action_clickers

        request = export_action_clickers.build_request(id=action_id_of(action_id))
        return (yield from self._read(request, _body))

    export_clicks = operation(_export_clicks)

    def _send_to_target(
        self,
        action_id: str,
        target_id: str,
        *,
        data: dict[str, Any] | None = None,
        content: ContentOverride | None = None,
        **options: Unpack[RequestOptions],
    ) -> Flow[str | None]:
        """Legacy send with the target id in the path; returns the message id when NP6 gives one. Deprecated."""
        target_id = check_str_id(target_id, "a target id")
        from np6_generated.api.actions import send_message_to_target
        from np6_generated.models import ContentOverride, TargetMessageRequest, TargetMessageRequestData

        body = TargetMessageRequest(
            data=UNSET if data is None else TargetMessageRequestData.from_dict(check_mapping(data, "data")),
            content=UNSET if content is None else check_model(content, ContentOverride, "content"),
        )
        request = send_message_to_target.build_request(id=action_id_of(action_id), target_id=target_id, body=body)
        return (yield from self._call(request, _message_id, OperationKind.SEND, messages=1))

    send_to_target = operation(_send_to_target)


def _body(response: httpx.Response) -> bytes:
    # NP6 documents "No Content"; whatever body comes back is handed over untouched.
    return response.content


def _message_id(response: httpx.Response) -> str | None:
    # The generated parser only casts the JSON value to the spec's string.
    from np6_generated.api.actions import send_message_to_target

    message_id = send_message_to_target.parse_response(response)
    if message_id is not None and not isinstance(message_id, str):
        raise ValueError(f"expected a message id, got {type(message_id).__name__}")
    return message_id


def _request_body(action: object) -> ActionRequest:
    """The body of a create or update: a definition as written, or an action NP6 returned, as a definition."""
    from np6_generated.models import (
        MailMessageAction,
        MailMessageActionRequest,
        SmsMessageAction,
        SmsMessageActionRequest,
        UnknownAction,
    )

    if isinstance(action, (MailMessageActionRequest, SmsMessageActionRequest)):
        return action
    if isinstance(action, MailMessageAction):
        return MailMessageActionRequest.from_dict(action.to_dict())
    if isinstance(action, SmsMessageAction):
        return SmsMessageActionRequest.from_dict(action.to_dict())
    if isinstance(action, UnknownAction):
        raise InvalidInputError(
            f"np6 cannot write an action of type {action.type_!r}: this version knows e-mail and SMS actions only"
        )
    raise InvalidInputError(
        "an action must be np6.email_action(...), np6.sms_action(...) or an action NP6 returned,"
        f" got {type(action).__name__}"
    )


def _answer_of_kind(
    body: ActionRequest, parse: Callable[[httpx.Response], Action]
) -> Callable[[httpx.Response], Action]:
    """`parse` for what the typed `create` and `update` promise: the kind of action written, parsed as that kind,
    so that an answer that is not one says which field is wrong (and which action NP6 wrote: it was written)."""
    from np6_generated.models import (
        MailMessageAction,
        MailMessageActionRequest,
        SmsMessageAction,
        SmsMessageActionRequest,
    )

    # What NP6 answers for each kind of action written: the answer of a create or update is the same kind.
    answer_of: tuple[tuple[type, type[MailMessageAction] | type[SmsMessageAction]], ...] = (
        (MailMessageActionRequest, MailMessageAction),
        (SmsMessageActionRequest, SmsMessageAction),
    )
    expected = next(answer for written, answer in answer_of if isinstance(body, written))

    def checked(response: httpx.Response) -> Action:
        parse(response)  # the generated checks of the status and of the body's shape
        data: object = response.json()
        shape = type(data).__name__
        fields = cast("dict[str, Any]", data) if isinstance(data, dict) else None
        written = fields.get("id") if fields is not None else None
        try:
            if fields is None or fields.get("type") != body.type_:
                kind = shape if fields is None else fields.get("type")
                raise ValueError(f"NP6 answered a {kind!r} action to a write of a {body.type_!r} one")
            return _typed_action(expected.from_dict(fields))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            note = f"; NP6 wrote the action (id {written!r}), do not write it again" if isinstance(written, str) else ""
            raise ValueError(f"{type(exc).__name__}: {exc}{note}") from exc

    return checked


def _state_of(action: Action) -> int | None:
    informations = getattr(action, "informations", UNSET)
    if isinstance(informations, Unset):
        return None
    state = informations.state
    return state if isinstance(state, int) else None


def _check_message_size(model: EmailMessageModel | SmsMessageModel, limits: Limits) -> None:
    check_message_bytes(len(strict_json(model.to_dict())), limits.max_message_bytes)


def _opt_int(value: int | None, what: str) -> int | Unset:
    return UNSET if value is None else check_int(value, what)


def _segments(values: Sequence[int] | None) -> list[int] | Unset:
    if values is None:
        return UNSET
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InvalidInputError(f"test_segments must be a list of segment ids (integers), got {values!r}")
    return [check_int(value, "each of test_segments (a segment id)") for value in values]


def _opt_bool(value: bool | None, what: str) -> bool | Unset:
    return UNSET if value is None else check_bool(value, what)


def _opt_text(value: str | None, what: str) -> str | Unset:
    return UNSET if value is None else cast(str, check_optional_text(value, what))


class Actions(ActionsFlows, SyncResource):
    """Action operations of `np6.Client` (e-mail and SMS actions)."""

    _client: Client

    if TYPE_CHECKING:  # the kind of action written is the kind answered (`_answer_of_kind` checks it)

        @overload
        def create(self, action: MailMessageActionRequest, **options: Unpack[RequestOptions]) -> MailMessageAction: ...
        @overload
        def create(self, action: SmsMessageActionRequest, **options: Unpack[RequestOptions]) -> SmsMessageAction: ...
        def create(self, action: ActionRequest, **options: Unpack[RequestOptions]) -> Action: ...
        @overload
        def update(
            self,
            action_id: str,
            action: MailMessageActionRequest | MailMessageAction,
            **options: Unpack[RequestOptions],
        ) -> MailMessageAction: ...
        @overload
        def update(
            self,
            action_id: str,
            action: SmsMessageActionRequest | SmsMessageAction,
            **options: Unpack[RequestOptions],
        ) -> SmsMessageAction: ...
        @overload
        def update(
            self, action_id: str, action: ActionRequest | Action, **options: Unpack[RequestOptions]
        ) -> Action: ...
        def update(
            self, action_id: str, action: ActionRequest | Action, **options: Unpack[RequestOptions]
        ) -> Action: ...

    def send_many(
        self,
        action_id: str,
        messages: Iterable[MessageLike],
        *,
        channel: Channel | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
        journal: str | os.PathLike[str] | None = None,
        resend_unknown: bool = False,
        **options: Unpack[RequestOptions],
    ) -> SendReport:
        """Send the action to any number of messages, `batch_size` per request, reading `messages` lazily.

        Returns a `SendReport` with exactly one outcome per message, in input order: `sent`, `rejected` (NP6
        refused that message, or the client refused its content), `failed` (not processed: safe to send again,
        see `report.retryable()`) or `unknown` (NP6 may have processed it; never retried automatically). Nothing
        NP6 answers makes it raise. `on_progress(SendProgress)` is called after each batch.

        `journal=PATH` records the send in an SQLite file: each batch before its request, its outcome with the
        next batch's record (see np6/_sending/journal.py for what a crash leaves); calling
        again with the same journal (after a crash, Ctrl-C, an error) resumes: sent and NP6-rejected messages are
        skipped, messages in flight when it stopped stay `unknown` (`resend_unknown=True` sends them again,
        accepting duplicates), the rest is sent. The input must be the same messages in the same order
        (`JournalMismatchError` otherwise, before any request).

        Raises `SendInterrupted` (`SendAborted` when the input or `on_progress` raised, `SendKeyboardInterrupt`
        on Ctrl-C) with the partial report as `.report`.
        """
        from .._sending.batches import check_options
        from .._sending.run import TAKE_INPUT, SendRun, Source, check_send_options, open_journal, raise_stopped

        action_id = action_id_of(action_id)
        check_options(batch_size)
        check_send_options(on_progress, journal, resend_unknown)
        per_call = call_options("send_many", options)
        source = Source(messages)
        opened: list[Journal] = []
        run: SendRun | None = None
        try:
            # Inside the try, so that an interrupt anywhere, even as the deferral ends, still gives the report.
            with deferring_sigint():
                writer = open_journal(journal, action_id, opened)
                items = source.take(batch_size)
                resolved = self._client._run(self._channel(action_id, channel, _first_channel(items)), per_call)
                run = SendRun.start(self, action_id, resolved, writer, source, batch_size, on_progress, resend_unknown)
                checked = run.check(items)
                while checked is None:  # resuming: the input is checked against the journal first
                    checked = run.check(source.take(batch_size))
                run.give(checked)
                while (work := run.next_work()) is not None:
                    if work is TAKE_INPUT:
                        run.give(source.take(batch_size))
                        continue
                    self._client._run(run.batch(work), per_call)
                    run.after_batch()
                run.left_over()
                return run.finish()
        except BaseException as error:
            raise_stopped(run, source, opened, error)


class AsyncActions(ActionsFlows, AsyncResource):
    """Action operations of `np6.AsyncClient`: the same as `np6.Client`'s, awaited."""

    _client: AsyncClient

    if TYPE_CHECKING:  # the kind of action written is the kind answered (`_answer_of_kind` checks it)

        @overload
        async def create(
            self, action: MailMessageActionRequest, **options: Unpack[RequestOptions]
        ) -> MailMessageAction: ...
        @overload
        async def create(
            self, action: SmsMessageActionRequest, **options: Unpack[RequestOptions]
        ) -> SmsMessageAction: ...
        async def create(self, action: ActionRequest, **options: Unpack[RequestOptions]) -> Action: ...
        @overload
        async def update(
            self,
            action_id: str,
            action: MailMessageActionRequest | MailMessageAction,
            **options: Unpack[RequestOptions],
        ) -> MailMessageAction: ...
        @overload
        async def update(
            self,
            action_id: str,
            action: SmsMessageActionRequest | SmsMessageAction,
            **options: Unpack[RequestOptions],
        ) -> SmsMessageAction: ...
        @overload
        async def update(
            self, action_id: str, action: ActionRequest | Action, **options: Unpack[RequestOptions]
        ) -> Action: ...
        async def update(
            self, action_id: str, action: ActionRequest | Action, **options: Unpack[RequestOptions]
        ) -> Action: ...

    @twin_of(
        Actions.send_many,
        "Async: up to `concurrency` batches are in flight (memory: batch_size x concurrency). A cancellation"
        " propagates as `asyncio.CancelledError` itself; its partial report is"
        " `np6.SendInterrupted.report_of(error)`.",
    )
    async def send_many(
        self,
        action_id: str,
        messages: Iterable[MessageLike] | AsyncIterable[MessageLike],
        *,
        channel: Channel | str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        journal: str | os.PathLike[str] | None = None,
        resend_unknown: bool = False,
        **options: Unpack[RequestOptions],
    ) -> SendReport:
        from .._sending.batches import check_options
        from .._sending.run import AsyncSource, SendRun, cancel_all, check_send_options, open_journal, raise_stopped

        action_id = action_id_of(action_id)
        check_options(batch_size, concurrency)
        check_send_options(on_progress, journal, resend_unknown)
        per_call = call_options("send_many", options)
        source = AsyncSource(messages)
        opened: list[Journal] = []
        run: SendRun | None = None
        tasks: set[asyncio.Task[None]] = set()
        try:
            writer = open_journal(journal, action_id, opened)
            items = await source.take(batch_size)
            resolved = await self._client._run(self._channel(action_id, channel, _first_channel(items)), per_call)
            run = SendRun.start(self, action_id, resolved, writer, source, batch_size, on_progress, resend_unknown)
            checked = run.check(items)
            while checked is None:  # resuming: the input is checked against the journal first
                checked = run.check(await source.take(batch_size))
            run.give(checked)
            await self._send_batches(run, source, concurrency, tasks, per_call)
            return run.finish()
        except BaseException as error:
            await cancel_all(tasks)
            raise_stopped(run, source, opened, error.interrupt if isinstance(error, _Escalated) else error)

    async def _send_batches(
        self,
        run: SendRun,
        source: AsyncSource,
        concurrency: int,
        tasks: set[asyncio.Task[None]],
        options: CallOptions | None,
    ) -> None:
        import asyncio  # here: a program that never sends asynchronously never loads it

        from .._sending.run import TAKE_INPUT

        slots = asyncio.Semaphore(concurrency)

        async def send(work: Work) -> None:
            try:
                try:
                    await self._client._run(run.batch(work), options)
                finally:
                    slots.release()
                run.after_batch()
            except (KeyboardInterrupt, SystemExit) as interrupt:
                # asyncio lets these out of the event loop, past send_many and its report: they travel as a task
                # failure to send_many instead, which raises them with the report.
                raise _Escalated(interrupt) from interrupt

        def reap() -> None:
            # A batch that raised (Ctrl-C, a transport that raised) stops the send; finished tasks stay in `tasks`
            # until looked at here, so no exception is lost.
            for task in [t for t in tasks if t.done()]:
                tasks.discard(task)
                task.result()

        while True:
            # A slot first, then the input: a batch taken from the input starts at once.
            await slots.acquire()
            reap()
            while (work := run.next_work()) is TAKE_INPUT:
                run.give(await source.take(run.batch_size))
            if work is None:
                slots.release()
                break
            tasks.add(asyncio.create_task(send(work)))
        while tasks:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            reap()
        run.left_over()


class _Escalated(Exception):
    """A KeyboardInterrupt or SystemExit raised in one of send_many's batch tasks, on its way to send_many."""

    def __init__(self, interrupt: BaseException) -> None:
        super().__init__(repr(interrupt))
        self.interrupt = interrupt


def _first_channel(batch: builtins.list[Any]) -> Channel | None:
    """The channel the first batch names, when every message of it is a typed message of one channel.

    Anything less (plain recipients, or a stray message of the other channel) leaves the choice to the action's
    type, looked up once: one odd message must not decide where thousands of others go.
    """
    channels = {message_channel(item) for item in batch}
    return channels.pop() if len(channels) == 1 else None
