from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_settings_variables_item import (
        ValidationSettingsVariablesItem,
    )


T = TypeVar("T", bound="ValidationSettings")


@_attrs_define
class ValidationSettings:
    """Body of the two validation phases (and of unvalidation).

    Attributes:
        campaign_analyser (bool | None | Unset):
        comments (None | str | Unset):
        fortest (bool | None | Unset): true launches the test phase; false validates for production.
        media_for_test (None | str | Unset):
        test_segments (list[int] | Unset): Ids of the segments of test contacts that receive the proofs.
        textand_html (bool | None | Unset):
        variables (list[ValidationSettingsVariablesItem] | Unset):
    """

    campaign_analyser: bool | None | Unset = UNSET
    comments: None | str | Unset = UNSET
    fortest: bool | None | Unset = UNSET
    media_for_test: None | str | Unset = UNSET
    test_segments: list[int] | Unset = UNSET
    textand_html: bool | None | Unset = UNSET
    variables: list[ValidationSettingsVariablesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_analyser: bool | None | Unset
        if isinstance(self.campaign_analyser, Unset):
            campaign_analyser = UNSET
        else:
            campaign_analyser = self.campaign_analyser

        comments: None | str | Unset
        if isinstance(self.comments, Unset):
            comments = UNSET
        else:
            comments = self.comments

        fortest: bool | None | Unset
        if isinstance(self.fortest, Unset):
            fortest = UNSET
        else:
            fortest = self.fortest

        media_for_test: None | str | Unset
        if isinstance(self.media_for_test, Unset):
            media_for_test = UNSET
        else:
            media_for_test = self.media_for_test

        test_segments: list[int] | Unset = UNSET
        if not isinstance(self.test_segments, Unset):
            test_segments = self.test_segments

        textand_html: bool | None | Unset
        if isinstance(self.textand_html, Unset):
            textand_html = UNSET
        else:
            textand_html = self.textand_html

        variables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = []
            for variables_item_data in self.variables:
                variables_item = variables_item_data.to_dict()
                variables.append(variables_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if campaign_analyser is not UNSET:
            field_dict["campaignAnalyser"] = campaign_analyser
        if comments is not UNSET:
            field_dict["comments"] = comments
        if fortest is not UNSET:
            field_dict["fortest"] = fortest
        if media_for_test is not UNSET:
            field_dict["mediaForTest"] = media_for_test
        if test_segments is not UNSET:
            field_dict["testSegments"] = test_segments
        if textand_html is not UNSET:
            field_dict["textandHtml"] = textand_html
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_settings_variables_item import (
            ValidationSettingsVariablesItem,  # noqa: PLC0415
        )

        d = dict(src_dict)

        def _parse_campaign_analyser(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        campaign_analyser = _parse_campaign_analyser(d.pop("campaignAnalyser", UNSET))

        def _parse_comments(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comments = _parse_comments(d.pop("comments", UNSET))

        def _parse_fortest(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        fortest = _parse_fortest(d.pop("fortest", UNSET))

        def _parse_media_for_test(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        media_for_test = _parse_media_for_test(d.pop("mediaForTest", UNSET))

        test_segments = cast(list[int], d.pop("testSegments", UNSET))

        def _parse_textand_html(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        textand_html = _parse_textand_html(d.pop("textandHtml", UNSET))

        _variables = d.pop("variables", UNSET)
        variables: list[ValidationSettingsVariablesItem] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = ValidationSettingsVariablesItem.from_dict(variables_item_data)

                variables.append(variables_item)

        validation_settings = cls(
            campaign_analyser=campaign_analyser,
            comments=comments,
            fortest=fortest,
            media_for_test=media_for_test,
            test_segments=test_segments,
            textand_html=textand_html,
            variables=variables,
        )

        validation_settings.additional_properties = d
        return validation_settings

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
