"""Contains all the data models used in inputs/outputs

Each model's module is imported when its name is first used: one operation loads its own models only.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .action_event import ActionEvent
    from .action_informations import ActionInformations
    from .attachment import Attachment
    from .attachment_data import AttachmentData
    from .carbon_copy import CarbonCopy
    from .content_override import ContentOverride
    from .email_message import EmailMessage
    from .email_message_blocks_item import EmailMessageBlocksItem
    from .email_message_data import EmailMessageData
    from .email_message_variables_item import EmailMessageVariablesItem
    from .email_render_definition import EmailRenderDefinition
    from .email_render_definition_blocks_item import EmailRenderDefinitionBlocksItem
    from .email_render_definition_data import EmailRenderDefinitionData
    from .email_render_definition_variables_item import (
        EmailRenderDefinitionVariablesItem,
    )
    from .event_activation import EventActivation
    from .event_bounce import EventBounce
    from .event_bounce_analysis import EventBounceAnalysis
    from .event_bounce_code import EventBounceCode
    from .event_bounce_status import EventBounceStatus
    from .event_bounce_subject import EventBounceSubject
    from .event_cancellation import EventCancellation
    from .event_cancellation_value import EventCancellationValue
    from .event_detail import EventDetail
    from .event_execution import EventExecution
    from .event_execution_data import EventExecutionData
    from .event_identity import EventIdentity
    from .event_link import EventLink
    from .event_receiver import EventReceiver
    from .event_response import EventResponse
    from .event_sort_order import EventSortOrder
    from .event_source import EventSource
    from .event_stamp import EventStamp
    from .execution_error import ExecutionError
    from .execution_success import ExecutionSuccess
    from .field import Field
    from .field_constraint import FieldConstraint
    from .link_definition import LinkDefinition
    from .link_definition_destination import LinkDefinitionDestination
    from .mail_content import MailContent
    from .mail_headers import MailHeaders
    from .mail_message_action import MailMessageAction
    from .mail_message_action_request import MailMessageActionRequest
    from .mail_settings import MailSettings
    from .mail_settings_environment import MailSettingsEnvironment
    from .marketing_pressure import MarketingPressure
    from .performance import Performance
    from .purpose import Purpose
    from .recipient_by_footprint import RecipientByFootprint
    from .recipient_by_hash import RecipientByHash
    from .recipient_by_id import RecipientById
    from .recipient_by_unicity import RecipientByUnicity
    from .redlist_entry import RedlistEntry
    from .render_context import RenderContext
    from .render_error import RenderError
    from .render_links_definition import RenderLinksDefinition
    from .render_links_definition_data import RenderLinksDefinitionData
    from .render_links_definition_variables_item import (
        RenderLinksDefinitionVariablesItem,
    )
    from .render_links_result import RenderLinksResult
    from .render_sender import RenderSender
    from .render_success import RenderSuccess
    from .render_success_headers import RenderSuccessHeaders
    from .result_error_value import ResultErrorValue
    from .segment import Segment
    from .segment_request import SegmentRequest
    from .sender import Sender
    from .sms_content import SmsContent
    from .sms_content_override import SmsContentOverride
    from .sms_message import SmsMessage
    from .sms_message_action import SmsMessageAction
    from .sms_message_action_request import SmsMessageActionRequest
    from .sms_message_blocks_item import SmsMessageBlocksItem
    from .sms_message_data import SmsMessageData
    from .sms_message_variables_item import SmsMessageVariablesItem
    from .sms_render_definition import SmsRenderDefinition
    from .sms_render_definition_blocks_item import SmsRenderDefinitionBlocksItem
    from .sms_render_definition_data import SmsRenderDefinitionData
    from .sms_render_definition_variables_item import SmsRenderDefinitionVariablesItem
    from .sms_settings import SmsSettings
    from .stamp import Stamp
    from .target import Target
    from .target_fields import TargetFields
    from .target_message_request import TargetMessageRequest
    from .target_message_request_data import TargetMessageRequestData
    from .target_values import TargetValues
    from .targets_count import TargetsCount
    from .templating import Templating
    from .unknown_action import UnknownAction
    from .unknown_execution_result import UnknownExecutionResult
    from .unknown_recipient import UnknownRecipient
    from .unknown_render_result import UnknownRenderResult
    from .validation_settings import ValidationSettings
    from .validation_settings_variables_item import ValidationSettingsVariablesItem
    from .value_list import ValueList
    from .value_list_item import ValueListItem

_MODULE_OF = {
    "ActionEvent": ".action_event",
    "ActionInformations": ".action_informations",
    "Attachment": ".attachment",
    "AttachmentData": ".attachment_data",
    "CarbonCopy": ".carbon_copy",
    "ContentOverride": ".content_override",
    "EmailMessage": ".email_message",
    "EmailMessageBlocksItem": ".email_message_blocks_item",
    "EmailMessageData": ".email_message_data",
    "EmailMessageVariablesItem": ".email_message_variables_item",
    "EmailRenderDefinition": ".email_render_definition",
    "EmailRenderDefinitionBlocksItem": ".email_render_definition_blocks_item",
    "EmailRenderDefinitionData": ".email_render_definition_data",
    "EmailRenderDefinitionVariablesItem": ".email_render_definition_variables_item",
    "EventActivation": ".event_activation",
    "EventBounce": ".event_bounce",
    "EventBounceAnalysis": ".event_bounce_analysis",
    "EventBounceCode": ".event_bounce_code",
    "EventBounceStatus": ".event_bounce_status",
    "EventBounceSubject": ".event_bounce_subject",
    "EventCancellation": ".event_cancellation",
    "EventCancellationValue": ".event_cancellation_value",
    "EventDetail": ".event_detail",
    "EventExecution": ".event_execution",
    "EventExecutionData": ".event_execution_data",
    "EventIdentity": ".event_identity",
    "EventLink": ".event_link",
    "EventReceiver": ".event_receiver",
    "EventResponse": ".event_response",
    "EventSortOrder": ".event_sort_order",
    "EventSource": ".event_source",
    "EventStamp": ".event_stamp",
    "ExecutionError": ".execution_error",
    "ExecutionSuccess": ".execution_success",
    "Field": ".field",
    "FieldConstraint": ".field_constraint",
    "LinkDefinition": ".link_definition",
    "LinkDefinitionDestination": ".link_definition_destination",
    "MailContent": ".mail_content",
    "MailHeaders": ".mail_headers",
    "MailMessageAction": ".mail_message_action",
    "MailMessageActionRequest": ".mail_message_action_request",
    "MailSettings": ".mail_settings",
    "MailSettingsEnvironment": ".mail_settings_environment",
    "MarketingPressure": ".marketing_pressure",
    "Performance": ".performance",
    "Purpose": ".purpose",
    "RecipientByFootprint": ".recipient_by_footprint",
    "RecipientByHash": ".recipient_by_hash",
    "RecipientById": ".recipient_by_id",
    "RecipientByUnicity": ".recipient_by_unicity",
    "RedlistEntry": ".redlist_entry",
    "RenderContext": ".render_context",
    "RenderError": ".render_error",
    "RenderLinksDefinition": ".render_links_definition",
    "RenderLinksDefinitionData": ".render_links_definition_data",
    "RenderLinksDefinitionVariablesItem": ".render_links_definition_variables_item",
    "RenderLinksResult": ".render_links_result",
    "RenderSender": ".render_sender",
    "RenderSuccess": ".render_success",
    "RenderSuccessHeaders": ".render_success_headers",
    "ResultErrorValue": ".result_error_value",
    "Segment": ".segment",
    "SegmentRequest": ".segment_request",
    "Sender": ".sender",
    "SmsContent": ".sms_content",
    "SmsContentOverride": ".sms_content_override",
    "SmsMessage": ".sms_message",
    "SmsMessageAction": ".sms_message_action",
    "SmsMessageActionRequest": ".sms_message_action_request",
    "SmsMessageBlocksItem": ".sms_message_blocks_item",
    "SmsMessageData": ".sms_message_data",
    "SmsMessageVariablesItem": ".sms_message_variables_item",
    "SmsRenderDefinition": ".sms_render_definition",
    "SmsRenderDefinitionBlocksItem": ".sms_render_definition_blocks_item",
    "SmsRenderDefinitionData": ".sms_render_definition_data",
    "SmsRenderDefinitionVariablesItem": ".sms_render_definition_variables_item",
    "SmsSettings": ".sms_settings",
    "Stamp": ".stamp",
    "Target": ".target",
    "TargetFields": ".target_fields",
    "TargetMessageRequest": ".target_message_request",
    "TargetMessageRequestData": ".target_message_request_data",
    "TargetValues": ".target_values",
    "TargetsCount": ".targets_count",
    "Templating": ".templating",
    "UnknownAction": ".unknown_action",
    "UnknownExecutionResult": ".unknown_execution_result",
    "UnknownRecipient": ".unknown_recipient",
    "UnknownRenderResult": ".unknown_render_result",
    "ValidationSettings": ".validation_settings",
    "ValidationSettingsVariablesItem": ".validation_settings_variables_item",
    "ValueList": ".value_list",
    "ValueListItem": ".value_list_item",
}

__all__ = (
    "ActionEvent",
    "ActionInformations",
    "Attachment",
    "AttachmentData",
    "CarbonCopy",
    "ContentOverride",
    "EmailMessage",
    "EmailMessageBlocksItem",
    "EmailMessageData",
    "EmailMessageVariablesItem",
    "EmailRenderDefinition",
    "EmailRenderDefinitionBlocksItem",
    "EmailRenderDefinitionData",
    "EmailRenderDefinitionVariablesItem",
    "EventActivation",
    "EventBounce",
    "EventBounceAnalysis",
    "EventBounceCode",
    "EventBounceStatus",
    "EventBounceSubject",
    "EventCancellation",
    "EventCancellationValue",
    "EventDetail",
    "EventExecution",
    "EventExecutionData",
    "EventIdentity",
    "EventLink",
    "EventReceiver",
    "EventResponse",
    "EventSortOrder",
    "EventSource",
    "EventStamp",
    "ExecutionError",
    "ExecutionSuccess",
    "Field",
    "FieldConstraint",
    "LinkDefinition",
    "LinkDefinitionDestination",
    "MailContent",
    "MailHeaders",
    "MailMessageAction",
    "MailMessageActionRequest",
    "MailSettings",
    "MailSettingsEnvironment",
    "MarketingPressure",
    "Performance",
    "Purpose",
    "RecipientByFootprint",
    "RecipientByHash",
    "RecipientById",
    "RecipientByUnicity",
    "RedlistEntry",
    "RenderContext",
    "RenderError",
    "RenderLinksDefinition",
    "RenderLinksDefinitionData",
    "RenderLinksDefinitionVariablesItem",
    "RenderLinksResult",
    "RenderSender",
    "RenderSuccess",
    "RenderSuccessHeaders",
    "ResultErrorValue",
    "Segment",
    "SegmentRequest",
    "Sender",
    "SmsContent",
    "SmsContentOverride",
    "SmsMessage",
    "SmsMessageAction",
    "SmsMessageActionRequest",
    "SmsMessageBlocksItem",
    "SmsMessageData",
    "SmsMessageVariablesItem",
    "SmsRenderDefinition",
    "SmsRenderDefinitionBlocksItem",
    "SmsRenderDefinitionData",
    "SmsRenderDefinitionVariablesItem",
    "SmsSettings",
    "Stamp",
    "Target",
    "TargetFields",
    "TargetMessageRequest",
    "TargetMessageRequestData",
    "TargetsCount",
    "TargetValues",
    "Templating",
    "UnknownAction",
    "UnknownExecutionResult",
    "UnknownRecipient",
    "UnknownRenderResult",
    "ValidationSettings",
    "ValidationSettingsVariablesItem",
    "ValueList",
    "ValueListItem",
)


# Not for type checkers: a module `__getattr__` would make them accept any name as an attribute of this module.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            if not name.isidentifier() or name.startswith("__"):
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
            # A model's module itself (`np6_generated.models.email_message`), as the eager imports made it.
            try:
                return import_module(f".{name}", __name__)
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{name}":
                    raise  # a module the model's module needs is missing: not a missing name
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # looked up here from now on, without this function
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
