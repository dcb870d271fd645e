from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link_definition import LinkDefinition
    from ..models.recipient_by_footprint import RecipientByFootprint
    from ..models.recipient_by_hash import RecipientByHash
    from ..models.recipient_by_id import RecipientById
    from ..models.recipient_by_unicity import RecipientByUnicity
    from ..models.render_context import RenderContext
    from ..models.render_links_definition_data import RenderLinksDefinitionData
    from ..models.render_links_definition_variables_item import (
        RenderLinksDefinitionVariablesItem,
    )
    from ..models.stamp import Stamp
    from ..models.unknown_recipient import UnknownRecipient


T = TypeVar("T", bound="RenderLinksDefinition")


@_attrs_define
class RenderLinksDefinition:
    """
    Attributes:
        receiver (RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient): Who
            receives a message, told apart by `type`. Unknown types parse as `UnknownRecipient`.
        context (RenderContext | Unset): Views overrides of a render.
        data (RenderLinksDefinitionData | Unset):
        links (list[LinkDefinition] | Unset):
        stamp (Stamp | Unset):
        variables (list[RenderLinksDefinitionVariablesItem] | Unset):
    """

    receiver: RecipientByFootprint | RecipientByHash | RecipientById | RecipientByUnicity | UnknownRecipient
    context: RenderContext | Unset = UNSET
    data: RenderLinksDefinitionData | Unset = UNSET
    links: list[LinkDefinition] | Unset = UNSET
    stamp: Stamp | Unset = UNSET
    variables: list[RenderLinksDefinitionVariablesItem] | Unset = UNSET
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

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        links: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = []
            for links_item_data in self.links:
                links_item = links_item_data.to_dict()
                links.append(links_item)

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

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
        if context is not UNSET:
            field_dict["context"] = context
        if data is not UNSET:
            field_dict["data"] = data
        if links is not UNSET:
            field_dict["links"] = links
        if stamp is not UNSET:
            field_dict["stamp"] = stamp
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.link_definition import LinkDefinition  # noqa: PLC0415
        from ..models.recipient_by_footprint import RecipientByFootprint  # noqa: PLC0415
        from ..models.recipient_by_hash import RecipientByHash  # noqa: PLC0415
        from ..models.recipient_by_id import RecipientById  # noqa: PLC0415
        from ..models.recipient_by_unicity import RecipientByUnicity  # noqa: PLC0415
        from ..models.render_context import RenderContext  # noqa: PLC0415
        from ..models.render_links_definition_data import RenderLinksDefinitionData  # noqa: PLC0415
        from ..models.render_links_definition_variables_item import (
            RenderLinksDefinitionVariablesItem,  # noqa: PLC0415
        )
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

        _context = d.pop("context", UNSET)
        context: RenderContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = RenderContext.from_dict(_context)

        _data = d.pop("data", UNSET)
        data: RenderLinksDefinitionData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = RenderLinksDefinitionData.from_dict(_data)

        _links = d.pop("links", UNSET)
        links: list[LinkDefinition] | Unset = UNSET
        if _links is not UNSET:
            links = []
            for links_item_data in _links:
                links_item = LinkDefinition.from_dict(links_item_data)

                links.append(links_item)

        _stamp = d.pop("stamp", UNSET)
        stamp: Stamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = Stamp.from_dict(_stamp)

        _variables = d.pop("variables", UNSET)
        variables: list[RenderLinksDefinitionVariablesItem] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = RenderLinksDefinitionVariablesItem.from_dict(variables_item_data)

                variables.append(variables_item)

        render_links_definition = cls(
            receiver=receiver,
            context=context,
            data=data,
            links=links,
            stamp=stamp,
            variables=variables,
        )

        render_links_definition.additional_properties = d
        return render_links_definition

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
