"""`client.actions`: every action operation of the spec, as flows shared by the sync and async clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
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
    RenderContext,
    RenderLinksDefinition,
    RenderLinksDefinitionData,
    RenderLinksDefinitionVariablesItem,
    TargetMessageRequest,
    TargetMessageRequestData,
    UnknownAction,
    ValidationSettings,
    ValidationSettingsVariablesItem,
)
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import SmsMessage as SmsMessageModel
from np6_generated.types import UNSET, Unset

from .._content.channel import Channel
from .._content.messages import EmailMessage, SmsMessage
from .._content.recipients import RecipientLike, to_recipient
from .._content.states import ActionState
from .._core.engine import Flow
from .._core.errors import ChannelMismatchError, InvalidInputError
from .._core.retry import OperationKind
from ..models import (
    ACTION_TYPES,
    EXECUTION_RESULT_TYPES,
    RENDER_RESULT_TYPES,
    Action,
    ExecutionResult,
    RenderLinksResult,
    RenderResult,
)
from .base import ResourceFlows, instant

if TYPE_CHECKING:
    pass

__all__ = ["ActionsFlows", "MessageLike", "ValidationPhase"]

T = TypeVar("T")

MessageLike = RecipientLike | EmailMessage | SmsMessage | EmailMessageModel | SmsMessageModel
"""What a send accepts for one message: a unicity string, a recipient, a message builder or a generated model."""

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


def _action_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"an action id must be a non-empty string, got {value!r}")
    return value


def _message_channel(message: object) -> Channel | None:
    if isinstance(message, (EmailMessage, EmailMessageModel)):
        return Channel.EMAIL
    if isinstance(message, (SmsMessage, SmsMessageModel)):
        return Channel.SMS
    return None


def _send_model(message: object, channel: Channel) -> EmailMessageModel | SmsMessageModel:
    if isinstance(message, (EmailMessage, SmsMessage)):
        return message.to_model()
    if isinstance(message, (EmailMessageModel, SmsMessageModel)):
        to_recipient(message.recipient)
        headers = getattr(message, "headers", UNSET)
        if not isinstance(headers, Unset) and isinstance(getattr(headers, "from_", None), str):
            raise InvalidInputError(
                "headers.from_ must be a generated Sender model (np6.Sender(...).to_model()): NP6 refuses a string"
            )
        try:
            message.to_dict()
        except (AttributeError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"this generated message cannot be serialised: {exc!r}") from exc
        return message
    recipient = to_recipient(message)
    if channel is Channel.EMAIL:
        return EmailMessageModel(recipient=recipient)
    return SmsMessageModel(recipient=recipient)


class ActionsFlows(ResourceFlows):
    """The logic of every `client.actions` method, as flows (see `_engine`); the public classes run them."""

    def _action(self, module: Any) -> Callable[[httpx.Response], Action]:
        parse = self._parse_as(module, ACTION_TYPES, "an action")
        return lambda response: _typed_action(parse(response))

    def _remember(self, action: Action) -> Action:
        action_id = action.additional_properties.get("id") if isinstance(action, UnknownAction) else action.id
        channel = Channel.for_action_type(action.type_)
        if isinstance(action_id, str) and channel is not None:
            self._client._channels[action_id] = channel
        return action

    # ---------------------------------------------------------------------------------------------- CRUD

    def _get(self, action_id: str) -> Flow[Action]:
        request = get_action._get_kwargs(id=_action_id(action_id))
        action = yield from self._call(request, self._action(get_action), OperationKind.IDEMPOTENT)
        return self._remember(action)

    def _list(
        self, created_after: dt.datetime | int | None, created_before: dt.datetime | int | None
    ) -> Flow[list[Action]]:
        request = list_actions._get_kwargs(
            creation_start=_as_datetime(created_after, "created_after"),
            creation_end=_as_datetime(created_before, "created_before"),
        )
        parse = self._parse_list_of(list_actions, ACTION_TYPES, "actions")
        actions = yield from self._call(
            request, lambda r: [_typed_action(a) for a in parse(r)], OperationKind.IDEMPOTENT
        )
        return [self._remember(action) for action in actions]

    def _create(self, action: Action) -> Flow[Action]:
        _expect_action(action)
        request = create_action._get_kwargs(body=action)
        created = yield from self._call(request, self._action(create_action), OperationKind.WRITE)
        return self._remember(created)

    def _update(self, action_id: str, action: Action) -> Flow[Action]:
        _expect_action(action)
        action_id = _action_id(action_id)
        self._client._channels.pop(action_id, None)
        request = update_action._get_kwargs(id=action_id, body=action)
        updated = yield from self._call(request, self._action(update_action), OperationKind.IDEMPOTENT)
        return self._remember(updated)

    def _delete(self, action_id: str) -> Flow[None]:
        action_id = _action_id(action_id)
        request = delete_action._get_kwargs(id=action_id)
        yield from self._call(request, lambda r: None, OperationKind.IDEMPOTENT)
        self._client._channels.pop(action_id, None)

    def _duplicate(self, action_id: str, type: int | None, folder: int | None) -> Flow[Action]:
        request = duplicate_action._get_kwargs(id=_action_id(action_id), type_=_opt_int(type), folder=_opt_int(folder))
        copy = yield from self._call(request, self._action(duplicate_action), OperationKind.WRITE)
        return self._remember(copy)

    # ------------------------------------------------------------------------------------------ validation

    def _validation_phase(self, action_id: str, settings: ValidationSettings) -> Flow[None]:
        request = validate_action._get_kwargs(id=_action_id(action_id), body=settings)
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
        request = unvalidate_action._get_kwargs(id=_action_id(action_id), body=ValidationSettings())
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
        action_id = _action_id(action_id)
        resolved = yield from self._channel(action_id, channel, _message_channel(message))
        body = _send_model(message, resolved)
        module: ModuleType
        if isinstance(body, EmailMessageModel):
            request, module = send_message_email._get_kwargs(id=action_id, body=body), send_message_email
        else:
            request, module = send_message_sms._get_kwargs(id=action_id, body=body), send_message_sms
        parse = self._parse_as(module, EXECUTION_RESULT_TYPES, "a send result")
        return cast(ExecutionResult, (yield from self._call(request, parse, OperationKind.SEND)))

    def _render(
        self, action_id: str, message: MessageLike, channel: Channel | str | None, context: RenderContext | None
    ) -> Flow[RenderResult]:
        action_id = _action_id(action_id)
        resolved = yield from self._channel(action_id, channel, _message_channel(message))
        builder = _render_builder(message, resolved)
        module: ModuleType
        if resolved is Channel.EMAIL:
            body_e = cast(EmailMessage, builder).to_render_model(context)
            request, module = render_message_email._get_kwargs(id=action_id, body=body_e), render_message_email
        else:
            body_s = cast(SmsMessage, builder).to_render_model(context)
            request, module = render_message_sms._get_kwargs(id=action_id, body=body_s), render_message_sms
        parse = self._parse_as(module, RENDER_RESULT_TYPES, "a render result")
        # A render changes nothing on NP6's side: safe to repeat like a GET.
        return cast(RenderResult, (yield from self._call(request, parse, OperationKind.IDEMPOTENT)))

    def _render_many(
        self, action_id: str, messages: Iterable[MessageLike], channel: Channel | str | None
    ) -> Flow[list[RenderResult]]:
        action_id = _action_id(action_id)
        items = list(messages)
        if not items:
            raise InvalidInputError("render_many() needs at least one message")
        channels = {c for c in map(_message_channel, items) if c is not None}
        if len(channels) > 1:
            raise ChannelMismatchError("render_many() got both e-mail and SMS messages")
        resolved = yield from self._channel(action_id, channel, channels.pop() if channels else None)
        builders = [_render_builder(item, resolved) for item in items]
        module: ModuleType
        if resolved is Channel.EMAIL:
            email_bodies = [cast(EmailMessage, b).to_render_model() for b in builders]
            request, module = render_messages_email._get_kwargs(id=action_id, body=email_bodies), render_messages_email
        else:
            sms_bodies = [cast(SmsMessage, b).to_render_model() for b in builders]
            request, module = render_messages_sms._get_kwargs(id=action_id, body=sms_bodies), render_messages_sms
        parse = self._parse_list_of(module, RENDER_RESULT_TYPES, "render results")

        def results(response: httpx.Response) -> list[RenderResult]:
            parsed = parse(response)
            if len(parsed) != len(items):
                raise ValueError(f"{len(parsed)} render results for {len(items)} definitions")
            return cast(list[RenderResult], parsed)

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
        request = render_links._get_kwargs(id=_action_id(action_id), body=body)
        parse = self._parse_as(render_links, (RenderLinksResult,), "rendered links")
        return cast(RenderLinksResult, (yield from self._call(request, parse, OperationKind.IDEMPOTENT)))

    def _export(self, action_id: str, what: Literal["opens", "clicks"]) -> Flow[bytes]:
        module = export_action_openers if what == "opens" else export_action_clickers
        request = module._get_kwargs(id=_action_id(action_id))
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
        request = send_message_to_target._get_kwargs(id=_action_id(action_id), target_id=target_id, body=body)
        parse = self._parse_as(send_message_to_target, (str, type(None)), "a message id")
        return cast(str | None, (yield from self._call(request, parse, OperationKind.SEND)))


def _render_builder(message: object, channel: Channel) -> EmailMessage | SmsMessage:
    if isinstance(message, (EmailMessage, SmsMessage)):
        return message
    if isinstance(message, (EmailMessageModel, SmsMessageModel)):
        raise InvalidInputError("render takes a recipient or an np6.EmailMessage / np6.SmsMessage builder")
    recipient = cast(RecipientLike, message)
    return EmailMessage(recipient) if channel is Channel.EMAIL else SmsMessage(recipient)


def _expect_action(action: object) -> None:
    if not isinstance(action, ACTION_TYPES):
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
