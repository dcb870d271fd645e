"""E-mail or SMS: the media type of send and render bodies, and the action types behind them."""

from __future__ import annotations

import enum

__all__ = ["Channel"]


class Channel(enum.Enum):
    """The channel of an action. Its value is the media type NP6 wants on sends and renders."""

    EMAIL = "application/vnd.np6.cm.email"
    SMS = "application/vnd.np6.cm.sms"

    @property
    def media_type(self) -> str:
        """The `Content-Type` of this channel's send and render bodies, e.g. `application/vnd.np6.cm.sms`."""
        return self.value

    @classmethod
    def for_action_type(cls, action_type: str) -> Channel | None:
        """`mailMessage`, `mailCampaign`... -> EMAIL; `smsMessage`, `smsCampaign`... -> SMS; else None."""
        lowered = action_type.lower()
        if lowered.startswith("mail") or lowered.startswith("email"):
            return cls.EMAIL
        if lowered.startswith("sms"):
            return cls.SMS
        return None

    @classmethod
    def coerce(cls, value: Channel | str) -> Channel:
        """Accept `Channel.SMS`, "sms", "email", "e-mail" or the media type itself."""
        if isinstance(value, Channel):
            return value
        from .._core.errors import InvalidInputError

        if not isinstance(value, str):
            raise InvalidInputError(
                f"channel must be np6.Channel.EMAIL, np6.Channel.SMS, 'email' or 'sms', got {value!r}"
            )
        key = value.lower()  # exact names only: "EMAIL\n" is a mistake to report, not to guess through
        for channel in cls:
            if key in (channel.name.lower(), channel.value):
                return channel
        if key in ("e-mail", "mail"):
            return cls.EMAIL
        raise InvalidInputError(f"unknown channel {value!r}: use np6.Channel.EMAIL or np6.Channel.SMS")
