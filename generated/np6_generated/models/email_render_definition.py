from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content_override import ContentOverride
    from ..models.email_render_definition_blocks_item import (
        EmailRenderDefinitionBlocksItem,
    )
    from ..models.email_render_definition_data import EmailRenderDefinitionData
    from ..models.email_render_definition_variables_item import (
        EmailRenderDefinitionVariablesItem,
    )
    from ..models.mail_headers import MailHeaders
    from ..models.recipient_by_footprint import RecipientByFootprint
    from ..models.recipient_by_hash import RecipientByHash
    from ..models.recipient_by_id import RecipientById
    from ..models.recipient_by_unicity import RecipientByUnicity
    from ..models.render_context import RenderContext
    from ..models.stamp import Stamp
    from ..models.unknown_recipient import UnknownRecipient


T = TypeVar("T", bound="EmailRenderDefinition")


@_attrs_define
class EmailRenderDefinition:
    """
    Attributes:
        receiver (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient): Who
            receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        blocks (list[EmailRenderDefinitionBlocksItem] | Unset):
        content (ContentOverride | Unset): Replaces the action's content for this message; it is then sent as is (no
            personalisation, no
            tracking). Needs templating version 4.1, else NP6 answers 409.
        context (RenderContext | Unset): Views overrides of a render.
        data (EmailRenderDefinitionData | Unset):
        headers (MailHeaders | Unset):
        related (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient |
            Unset): Who receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        stamp (Stamp | Unset):
        subject (str | Unset):
        variables (list[EmailRenderDefinitionVariablesItem] | Unset):
    """

    receiver: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient
    blocks: list[EmailRenderDefinitionBlocksItem] | Unset = UNSET
    content: ContentOverride | Unset = UNSET
    context: RenderContext | Unset = UNSET
    data: EmailRenderDefinitionData | Unset = UNSET
    headers: MailHeaders | Unset = UNSET
    related: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset = (
        UNSET
    )
    stamp: Stamp | Unset = UNSET
    subject: str | Unset = UNSET
    variables: list[EmailRenderDefinitionVariablesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415

        receiver: dict[str, Any]
        if isinstance(self.receiver, RecipientById):
            receiver = self.receiver.to_dict()
        elif isinstance(self.receiver, RecipientByUnicity):
            receiver = self.receiver.to_dict()
        elif isinstance(self.receiver, RecipientByHash):
            receiver = self.receiver.to_dict()
        elif isinstance(self.receiver, RecipientByFootprint):
            receiver = self.receiver.to_dict()
        else:
            receiver = self.receiver.to_dict()

        blocks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.blocks, Unset):
            blocks = []
            for blocks_item_data in self.blocks:
                blocks_item = blocks_item_data.to_dict()
                blocks.append(blocks_item)

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        related: dict[str, Any] | Unset
        if isinstance(self.related, Unset):
            related = UNSET
        elif isinstance(self.related, RecipientById):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByUnicity):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByHash):
            related = self.related.to_dict()
        elif isinstance(self.related, RecipientByFootprint):
            related = self.related.to_dict()
        else:
            related = self.related.to_dict()

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

        subject = self.subject

        variables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = []
            for variables_item_data in self.variables:
                variables_item = variables_item_data.to_dict()
                variables.append(variables_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "receiver": receiver,
            }
        )
        if blocks is not UNSET:
            field_dict["blocks"] = blocks
        if content is not UNSET:
            field_dict["content"] = content
        if context is not UNSET:
            field_dict["context"] = context
        if data is not UNSET:
            field_dict["data"] = data
        if headers is not UNSET:
            field_dict["headers"] = headers
        if related is not UNSET:
            field_dict["related"] = related
        if stamp is not UNSET:
            field_dict["stamp"] = stamp
        if subject is not UNSET:
            field_dict["subject"] = subject
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content_override import ContentOverride  # noqa: PLC0415
        from ..models.email_render_definition_blocks_item import (
            EmailRenderDefinitionBlocksItem,  # noqa: PLC0415
        )
        from ..models.email_render_definition_data import EmailRenderDefinitionData  # noqa: PLC0415
        from ..models.email_render_definition_variables_item import (
            EmailRenderDefinitionVariablesItem,  # noqa: PLC0415
        )
        from ..models.mail_headers import MailHeaders  # noqa: PLC0415
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415
        from ..models.render_context import RenderContext  # noqa: PLC0415
        from ..models.stamp import Stamp  # noqa: PLC0415
        from ..models.unknown_recipient import UnknownRecipient  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_receiver(
            data: object,
        ) -> RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_0 = RecipientById.from_dict(data)

                return componentsschemas_recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_1 = RecipientByUnicity.from_dict(data)

                return componentsschemas_recipient_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_2 = RecipientByHash.from_dict(data)

                return componentsschemas_recipient_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_3 = RecipientByFootprint.from_dict(data)

                return componentsschemas_recipient_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_recipient_type_4 = UnknownRecipient.from_dict(data)

            return componentsschemas_recipient_type_4

        receiver = _parse_receiver(d.pop("receiver"))

        _blocks = d.pop("blocks", UNSET)
        blocks: list[EmailRenderDefinitionBlocksItem] | Unset = UNSET
        if _blocks is not UNSET:
            blocks = []
            for blocks_item_data in _blocks:
                blocks_item = EmailRenderDefinitionBlocksItem.from_dict(blocks_item_data)

                blocks.append(blocks_item)

        _content = d.pop("content", UNSET)
        content: ContentOverride | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = ContentOverride.from_dict(_content)

        _context = d.pop("context", UNSET)
        context: RenderContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = RenderContext.from_dict(_context)

        _data = d.pop("data", UNSET)
        data: EmailRenderDefinitionData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EmailRenderDefinitionData.from_dict(_data)

        _headers = d.pop("headers", UNSET)
        headers: MailHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = MailHeaders.from_dict(_headers)

        def _parse_related(
            data: object,
        ) -> RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_0 = RecipientById.from_dict(data)

                return componentsschemas_recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_1 = RecipientByUnicity.from_dict(data)

                return componentsschemas_recipient_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_2 = RecipientByHash.from_dict(data)

                return componentsschemas_recipient_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_recipient_type_3 = RecipientByFootprint.from_dict(data)

                return componentsschemas_recipient_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_recipient_type_4 = UnknownRecipient.from_dict(data)

            return componentsschemas_recipient_type_4

        related = _parse_related(d.pop("related", UNSET))

        _stamp = d.pop("stamp", UNSET)
        stamp: Stamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = Stamp.from_dict(_stamp)

        subject = d.pop("subject", UNSET)

        _variables = d.pop("variables", UNSET)
        variables: list[EmailRenderDefinitionVariablesItem] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = EmailRenderDefinitionVariablesItem.from_dict(variables_item_data)

                variables.append(variables_item)

        email_render_definition = cls(
            receiver=receiver,
            blocks=blocks,
            content=content,
            context=context,
            data=data,
            headers=headers,
            related=related,
            stamp=stamp,
            subject=subject,
            variables=variables,
        )

        email_render_definition.additional_properties = d
        return email_render_definition

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
