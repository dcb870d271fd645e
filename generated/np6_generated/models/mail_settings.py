from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mail_settings_environment import MailSettingsEnvironment
    from ..models.marketing_pressure import MarketingPressure
    from ..models.performance import Performance
    from ..models.purpose import Purpose
    from ..models.templating import Templating


T = TypeVar("T", bound="MailSettings")


@_attrs_define
class MailSettings:
    """Settings of an e-mail action. Tenants carry more fields than these; they are kept as they are.

    Attributes:
        archive (bool | Unset):
        consent (int | Unset):
        content_format (int | Unset):
        culture (str | Unset):
        edition_mode (int | Unset): Edition mode, an open integer; known values 0 (design), 1 (HTML), 2 (text).
        environment (MailSettingsEnvironment | Unset):
        field (int | Unset): Id of the contact field holding the address; tenant-specific (omit it to get the tenant
            default).
        importance (bool | Unset): Flag the e-mail as important.
        mp (MarketingPressure | Unset):
        performance (Performance | Unset):
        priority (bool | Unset): Route through the dedicated high-priority queue.
        purpose (Purpose | Unset):
        sending_profile (int | Unset):
        templating (Templating | Unset):
        use_form_link_ssl (bool | Unset):
        web_analyser (int | None | Unset):
    """

    archive: bool | Unset = UNSET
    consent: int | Unset = UNSET
    content_format: int | Unset = UNSET
    culture: str | Unset = UNSET
    edition_mode: int | Unset = UNSET
    environment: MailSettingsEnvironment | Unset = UNSET
    field: int | Unset = UNSET
    importance: bool | Unset = UNSET
    mp: MarketingPressure | Unset = UNSET
    performance: Performance | Unset = UNSET
    priority: bool | Unset = UNSET
    purpose: Purpose | Unset = UNSET
    sending_profile: int | Unset = UNSET
    templating: Templating | Unset = UNSET
    use_form_link_ssl: bool | Unset = UNSET
    web_analyser: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        archive = self.archive

        consent = self.consent

        content_format = self.content_format

        culture = self.culture

        edition_mode = self.edition_mode

        environment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment.to_dict()

        field = self.field

        importance = self.importance

        mp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mp, Unset):
            mp = self.mp.to_dict()

        performance: dict[str, Any] | Unset = UNSET
        if not isinstance(self.performance, Unset):
            performance = self.performance.to_dict()

        priority = self.priority

        purpose: dict[str, Any] | Unset = UNSET
        if not isinstance(self.purpose, Unset):
            purpose = self.purpose.to_dict()

        sending_profile = self.sending_profile

        templating: dict[str, Any] | Unset = UNSET
        if not isinstance(self.templating, Unset):
            templating = self.templating.to_dict()

        use_form_link_ssl = self.use_form_link_ssl

        web_analyser: int | None | Unset
        if isinstance(self.web_analyser, Unset):
            web_analyser = UNSET
        else:
            web_analyser = self.web_analyser

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if archive is not UNSET:
            field_dict["archive"] = archive
        if consent is not UNSET:
            field_dict["consent"] = consent
        if content_format is not UNSET:
            field_dict["contentFormat"] = content_format
        if culture is not UNSET:
            field_dict["culture"] = culture
        if edition_mode is not UNSET:
            field_dict["editionMode"] = edition_mode
        if environment is not UNSET:
            field_dict["environment"] = environment
        if field is not UNSET:
            field_dict["field"] = field
        if importance is not UNSET:
            field_dict["importance"] = importance
        if mp is not UNSET:
            field_dict["mp"] = mp
        if performance is not UNSET:
            field_dict["performance"] = performance
        if priority is not UNSET:
            field_dict["priority"] = priority
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if sending_profile is not UNSET:
            field_dict["sendingProfile"] = sending_profile
        if templating is not UNSET:
            field_dict["templating"] = templating
        if use_form_link_ssl is not UNSET:
            field_dict["useFormLinkSSL"] = use_form_link_ssl
        if web_analyser is not UNSET:
            field_dict["webAnalyser"] = web_analyser

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mail_settings_environment import MailSettingsEnvironment  # noqa: PLC0415
        from ..models.marketing_pressure import MarketingPressure  # noqa: PLC0415
        from ..models.performance import Performance  # noqa: PLC0415
        from ..models.purpose import Purpose  # noqa: PLC0415
        from ..models.templating import Templating  # noqa: PLC0415

        d = dict(src_dict)
        archive = d.pop("archive", UNSET)

        consent = d.pop("consent", UNSET)

        content_format = d.pop("contentFormat", UNSET)

        culture = d.pop("culture", UNSET)

        edition_mode = d.pop("editionMode", UNSET)

        _environment = d.pop("environment", UNSET)
        environment: MailSettingsEnvironment | Unset
        if isinstance(_environment, Unset):
            environment = UNSET
        else:
            environment = MailSettingsEnvironment.from_dict(_environment)

        field = d.pop("field", UNSET)

        importance = d.pop("importance", UNSET)

        _mp = d.pop("mp", UNSET)
        mp: MarketingPressure | Unset
        if isinstance(_mp, Unset):
            mp = UNSET
        else:
            mp = MarketingPressure.from_dict(_mp)

        _performance = d.pop("performance", UNSET)
        performance: Performance | Unset
        if isinstance(_performance, Unset):
            performance = UNSET
        else:
            performance = Performance.from_dict(_performance)

        priority = d.pop("priority", UNSET)

        _purpose = d.pop("purpose", UNSET)
        purpose: Purpose | Unset
        if isinstance(_purpose, Unset):
            purpose = UNSET
        else:
            purpose = Purpose.from_dict(_purpose)

        sending_profile = d.pop("sendingProfile", UNSET)

        _templating = d.pop("templating", UNSET)
        templating: Templating | Unset
        if isinstance(_templating, Unset):
            templating = UNSET
        else:
            templating = Templating.from_dict(_templating)

        use_form_link_ssl = d.pop("useFormLinkSSL", UNSET)

        def _parse_web_analyser(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        web_analyser = _parse_web_analyser(d.pop("webAnalyser", UNSET))

        mail_settings = cls(
            archive=archive,
            consent=consent,
            content_format=content_format,
            culture=culture,
            edition_mode=edition_mode,
            environment=environment,
            field=field,
            importance=importance,
            mp=mp,
            performance=performance,
            priority=priority,
            purpose=purpose,
            sending_profile=sending_profile,
            templating=templating,
            use_form_link_ssl=use_form_link_ssl,
            web_analyser=web_analyser,
        )

        mail_settings.additional_properties = d
        return mail_settings

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
