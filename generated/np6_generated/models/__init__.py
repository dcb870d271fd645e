"""Contains all the data models used in inputs/outputs"""

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
from .email_render_definition_variables_item import EmailRenderDefinitionVariablesItem
from .execution_error import ExecutionError
from .execution_success import ExecutionSuccess
from .link_definition import LinkDefinition
from .link_definition_destination import LinkDefinitionDestination
from .mail_content import MailContent
from .mail_headers import MailHeaders
from .mail_message_action import MailMessageAction
from .mail_settings import MailSettings
from .mail_settings_environment import MailSettingsEnvironment
from .marketing_pressure import MarketingPressure
from .performance import Performance
from .purpose import Purpose
from .recipient_by_footprint import RecipientByFootprint
from .recipient_by_hash import RecipientByHash
from .recipient_by_id import RecipientById
from .recipient_by_unicity import RecipientByUnicity
from .render_context import RenderContext
from .render_error import RenderError
from .render_links_definition import RenderLinksDefinition
from .render_links_definition_data import RenderLinksDefinitionData
from .render_links_definition_variables_item import RenderLinksDefinitionVariablesItem
from .render_links_result import RenderLinksResult
from .render_sender import RenderSender
from .render_success import RenderSuccess
from .render_success_headers import RenderSuccessHeaders
from .result_error_value import ResultErrorValue
from .sender import Sender
from .sms_content import SmsContent
from .sms_content_override import SmsContentOverride
from .sms_message import SmsMessage
from .sms_message_action import SmsMessageAction
from .sms_message_blocks_item import SmsMessageBlocksItem
from .sms_message_data import SmsMessageData
from .sms_message_variables_item import SmsMessageVariablesItem
from .sms_render_definition import SmsRenderDefinition
from .sms_render_definition_blocks_item import SmsRenderDefinitionBlocksItem
from .sms_render_definition_data import SmsRenderDefinitionData
from .sms_render_definition_variables_item import SmsRenderDefinitionVariablesItem
from .sms_settings import SmsSettings
from .stamp import Stamp
from .target_message_request import TargetMessageRequest
from .target_message_request_data import TargetMessageRequestData
from .templating import Templating
from .unknown_action import UnknownAction
from .unknown_execution_result import UnknownExecutionResult
from .unknown_recipient import UnknownRecipient
from .unknown_render_result import UnknownRenderResult
from .validation_settings import ValidationSettings
from .validation_settings_variables_item import ValidationSettingsVariablesItem

__all__ = (
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
    "ExecutionError",
    "ExecutionSuccess",
    "LinkDefinition",
    "LinkDefinitionDestination",
    "MailContent",
    "MailHeaders",
    "MailMessageAction",
    "MailSettings",
    "MailSettingsEnvironment",
    "MarketingPressure",
    "Performance",
    "Purpose",
    "RecipientByFootprint",
    "RecipientByHash",
    "RecipientById",
    "RecipientByUnicity",
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
    "Sender",
    "SmsContent",
    "SmsContentOverride",
    "SmsMessage",
    "SmsMessageAction",
    "SmsMessageBlocksItem",
    "SmsMessageData",
    "SmsMessageVariablesItem",
    "SmsRenderDefinition",
    "SmsRenderDefinitionBlocksItem",
    "SmsRenderDefinitionData",
    "SmsRenderDefinitionVariablesItem",
    "SmsSettings",
    "Stamp",
    "TargetMessageRequest",
    "TargetMessageRequestData",
    "Templating",
    "UnknownAction",
    "UnknownExecutionResult",
    "UnknownRecipient",
    "UnknownRenderResult",
    "ValidationSettings",
    "ValidationSettingsVariablesItem",
)
