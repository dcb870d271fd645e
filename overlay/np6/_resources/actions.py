"""`client.actions`: every action operation of the spec, as flows shared by the sync and async clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import httpx
from np6_generated.api.actions import (
    create_action,
    delete_action,
    duplicate_action,
    export_action_clickers,
    export_action_openers,
    get_action,
    list_actions,
    render_links,
    render_message_email,
    render_message_sms,
    render_messages_email,
    render_messages_sms,
    send_message_email,
    send_message_sms,
    send_message_to_target,
    unvalidate_action,
    update_action,
    validate_action,
)
from np6_generated.models import (
    ContentOverride,
    LinkDefinition,
    MailMessageAction,
    RenderContext,
    RenderLinksDefinition,
    RenderLinksDefinitionData,
    RenderLinksDefinitionVariablesItem,
    SmsMessageAction,
    TargetMessageRequest,
    TargetMessageRequestData,
    UnknownAction,
    ValidationSettings,
    ValidationSettingsVariablesItem,
)
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.types import UNSET, Unset

from .._content.channel import Channel
from .._content.messages import EmailMessage, SmsMessage
from .._content.recipients import RecipientLike, to_recipient
from .._content.sendable import MessageLike, message_channel, render_builder, send_model
from .._content.states import ActionState
from .._core.engine import Flow
from .._core.errors import ChannelMismatchError, InvalidInputError
from .._core.retry import OperationKind
from ..models import (
    Action,
    ExecutionResult,
    RenderLinksResult,
    RenderResult,
)
from .base import ResourceFlows, check_str_id, instant

if TYPE_CHECKING:
    pass

__all__ = ["ActionsFlows", "MessageLike", "ValidationPhase", "action_id_of"]

T = TypeVar("T")

ValidationPhase = Literal["test", "production"]


def _typed_action(action: Action) -> Action:
    # The catch-all variant accepts any object; an action whose `type` is not even a string is not an answer
    # the spec allows, and would break the channel lookup later.
    if not isinstance(action.type_, str):
        raise ValueError(f"an action's type must be a string, got {action.type_!r}")
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
        action_id = action.additional_properties.get("id") if isinstance(action, UnknownAction) else action.id
        channel = Channel.for_action_type(action.type_)
        if isinstance(action_id, str) and channel is not None:
            self._client._channels[action_id] = channel
        return action

    # ---------------------------------------------------------------------------------------------- CRUD

    def _get(self, action_id: str) -> Flow[Action]:
        request = get_action.build_request(id=action_id_of(action_id))
        action = yield from self._call(request, self._action(get_action.parse_response), OperationKind.IDEMPOTENT)
        return self._remember(action)

    def _list(
        self, created_after: dt.datetime | int | None, created_before: dt.datetime | int | None
    ) -> Flow[list[Action]]:
        request = list_actions.build_request(
            creation_start=_as_datetime(created_after, "created_after"),
            creation_end=_as_datetime(created_before, "created_before"),
        )
        parse = list_actions.parse_response
        actions = yield from self._call(
            request, lambda r: [_typed_action(a) for a in parse(r)], OperationKind.IDEMPOTENT
        )
        return [self._remember(action) for action in actions]

    def _create(self, action: Action) -> Flow[Action]:
        _expect_action(action)
        request = create_action.build_request(body=action)
        created = yield from self._call(request, self._action(create_action.parse_response), OperationKind.WRITE)
        return self._remember(created)

    def _update(self, action_id: str, action: Action) -> Flow[Action]:
        _expect_action(action)
        action_id = action_id_of(action_id)
        self._client._channels.pop(action_id, None)
        request = update_action.build_request(id=action_id, body=action)
        updated = yield from self._call(request, self._action(update_action.parse_response), OperationKind.IDEMPOTENT)
        return self._remember(updated)

    def _delete(self, action_id: str) -> Flow[None]:
        action_id = action_id_of(action_id)
        request = delete_action.build_request(id=action_id)
        yield from self._call(request, lambda r: None, OperationKind.IDEMPOTENT)
        self._client._channels.pop(action_id, None)

    def _duplicate(self, action_id: str, type: int | None, folder: int | None) -> Flow[Action]:
        request = duplicate_action.build_request(
            id=action_id_of(action_id), type_=_opt_int(type), folder=_opt_int(folder)
        )
        copy = yield from self._call(request, self._action(duplicate_action.parse_response), OperationKind.WRITE)
        return self._remember(copy)

    # ------------------------------------------------------------------------------------------ validation

    def _validation_phase(self, action_id: str, settings: ValidationSettings) -> Flow[None]:
        request = validate_action.build_request(id=action_id_of(action_id), body=settings)
        yield from self._call(request, lambda r: None, OperationKind.WRITE)

    def _validate_for_test(
        self,
        action_id: str,
        test_segments: Sequence[int] | None,
        campaign_analyser: bool | None = None,
        media_for_test: str | None = None,
        text_and_html: bool | None = None,
        comments: str | None = None,
        variables: Sequence[dict[str, Any]] | None = None,
    ) -> Flow[None]:
        settings = ValidationSettings(
            fortest=True,
            test_segments=_segments(test_segments),
            campaign_analyser=_opt(campaign_analyser),
            media_for_test=_opt(media_for_test),
            textand_html=_opt(text_and_html),
            comments=_opt(comments),
            variables=UNSET
            if variables is None
            else [ValidationSettingsVariablesItem.from_dict(dict(v)) for v in variables],
        )
        yield from self._validation_phase(action_id, settings)

    def _validate_for_production(self, action_id: str) -> Flow[None]:
        yield from self._validation_phase(action_id, ValidationSettings(fortest=False))

    def _validate(self, action_id: str, test_segments: Sequence[int] | None) -> Flow[tuple[ValidationPhase, ...]]:
        action = yield from self._get(action_id)
        state = _state_of(action)
        if state is not None and state >= ActionState.VALIDATED:
            return ()
        phases: list[ValidationPhase] = []
        if state is None or state < ActionState.TEST_VALIDATED:
            yield from self._validate_for_test(action_id, test_segments)
            phases.append("test")
        yield from self._validate_for_production(action_id)
        phases.append("production")
        return tuple(phases)

    def _unvalidate(self, action_id: str) -> Flow[None]:
        # NP6 wants a JSON body on this DELETE, `{}` at least.
        request = unvalidate_action.build_request(id=action_id_of(action_id), body=ValidationSettings())
        # Removing a validation twice leaves the same state: safe to repeat, like any DELETE.
        yield from self._call(request, lambda r: None, OperationKind.IDEMPOTENT)

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

    def _send(self, action_id: str, message: MessageLike, channel: Channel | str | None) -> Flow[ExecutionResult]:
        action_id = action_id_of(action_id)
        resolved = yield from self._channel(action_id, channel, message_channel(message))
        body = send_model(message, resolved)
        if isinstance(body, EmailMessageModel):
            request, parse = (
                send_message_email.build_request(id=action_id, body=body),
                send_message_email.parse_response,
            )
        else:
            request, parse = send_message_sms.build_request(id=action_id, body=body), send_message_sms.parse_response
        return (yield from self._call(request, parse, OperationKind.SEND))

    def _render(
        self, action_id: str, message: MessageLike, channel: Channel | str | None, context: RenderContext | None
    ) -> Flow[RenderResult]:
        action_id = action_id_of(action_id)
        resolved = yield from self._channel(action_id, channel, message_channel(message))
        builder = render_builder(message, resolved)
        parse: Callable[[httpx.Response], RenderResult]
        if isinstance(builder, EmailMessage):
            request = render_message_email.build_request(id=action_id, body=builder.to_render_model(context))
            parse = render_message_email.parse_response
        else:
            request = render_message_sms.build_request(id=action_id, body=builder.to_render_model(context))
            parse = render_message_sms.parse_response
        # A render changes nothing on NP6's side: safe to repeat like a GET.
        return (yield from self._call(request, parse, OperationKind.IDEMPOTENT))

    def _render_many(
        self, action_id: str, messages: Iterable[MessageLike], channel: Channel | str | None
    ) -> Flow[list[RenderResult]]:
        action_id = action_id_of(action_id)
        items = list(messages)
        if not items:
            raise InvalidInputError("render_many() needs at least one message")
        channels = {c for c in map(message_channel, items) if c is not None}
        if len(channels) > 1:
            raise ChannelMismatchError("render_many() got both e-mail and SMS messages")
        resolved = yield from self._channel(action_id, channel, channels.pop() if channels else None)
        builders = [render_builder(item, resolved) for item in items]
        parse: Callable[[httpx.Response], list[RenderResult]]
        if resolved is Channel.EMAIL:
            email_bodies = [b.to_render_model() for b in builders if isinstance(b, EmailMessage)]
            request = render_messages_email.build_request(id=action_id, body=email_bodies)
            parse = render_messages_email.parse_response
        else:
            sms_bodies = [b.to_render_model() for b in builders if isinstance(b, SmsMessage)]
            request = render_messages_sms.build_request(id=action_id, body=sms_bodies)
            parse = render_messages_sms.parse_response

        def results(response: httpx.Response) -> list[RenderResult]:
            parsed = parse(response)
            if len(parsed) != len(items):
                raise ValueError(f"{len(parsed)} render results for {len(items)} definitions")
            return parsed

        return (yield from self._call(request, results, OperationKind.IDEMPOTENT))

    # ------------------------------------------------------------------------------------------- legacy

    def _render_links(
        self,
        action_id: str,
        receiver: RecipientLike,
        links: Sequence[LinkDefinition] | None,
        data: dict[str, Any] | None,
        variables: Sequence[dict[str, Any]] | None,
        context: RenderContext | None,
    ) -> Flow[RenderLinksResult]:
        body = RenderLinksDefinition(
            receiver=to_recipient(receiver, "receiver"),
            data=UNSET if data is None else RenderLinksDefinitionData.from_dict(dict(data)),
            variables=UNSET
            if variables is None
            else [RenderLinksDefinitionVariablesItem.from_dict(dict(v)) for v in variables],
            context=_opt(context),
            links=UNSET if links is None else list(links),
        )
        request = render_links.build_request(id=action_id_of(action_id), body=body)
        return (yield from self._call(request, render_links.parse_response, OperationKind.IDEMPOTENT))

    def _export(self, action_id: str, what: Literal["opens", "clicks"]) -> Flow[bytes]:
        action_id = action_id_of(action_id)
        if what == "opens":
            request = export_action_openers.build_request(id=action_id)
        else:
            request = export_action_clickers.build_request(id=action_id)
        # NP6 documents "No Content"; whatever body comes back is handed over untouched.
        return (yield from self._call(request, lambda r: r.content, OperationKind.IDEMPOTENT))

    def _send_to_target(
        self, action_id: str, target_id: str, data: dict[str, Any] | None, content: ContentOverride | None
    ) -> Flow[str | None]:
        if not isinstance(target_id, str) or not target_id:
            raise InvalidInputError("a target id must be a non-empty string")
        body = TargetMessageRequest(
            data=UNSET if data is None else TargetMessageRequestData.from_dict(dict(data)), content=_opt(content)
        )
        request = send_message_to_target.build_request(id=action_id_of(action_id), target_id=target_id, body=body)
        return (yield from self._call(request, _message_id, OperationKind.SEND))


def _message_id(response: httpx.Response) -> str | None:
    # The generated parser only casts the JSON value to the spec's string.
    message_id = send_message_to_target.parse_response(response)
    if message_id is not None and not isinstance(message_id, str):
        raise ValueError(f"expected a message id, got {type(message_id).__name__}")
    return message_id


def _expect_action(action: object) -> None:
    if not isinstance(action, (MailMessageAction, SmsMessageAction, UnknownAction)):
        raise InvalidInputError(
            "an action must be a generated action model (np6.email_action(...), np6.sms_action(...),"
            f" np6.models.MailMessageAction...), got {type(action).__name__}"
        )


def _state_of(action: Action) -> int | None:
    informations = getattr(action, "informations", UNSET)
    if isinstance(informations, Unset):
        return None
    state = informations.state
    return state if isinstance(state, int) else None


def _opt(value: Any) -> Any:
    return UNSET if value is None else value


def _opt_int(value: int | None) -> int | Unset:
    if value is None:
        return UNSET
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInputError(f"expected an integer, got {value!r}")
    return value


def _segments(values: Sequence[int] | None) -> list[int] | Unset:
    if values is None:
        return UNSET
    if isinstance(values, (str, bytes)) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise InvalidInputError(f"test_segments must be a list of segment ids (integers), got {values!r}")
    return list(values)
