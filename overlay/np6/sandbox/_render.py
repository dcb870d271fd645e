"""Rendering of an action's content for one contact: what `/render`, `/renders` and `/render/links` answer.

Why a placeholder syntax of our own: NP6's personalisation language is not public. The sandbox substitutes
`[[name]]` (spaces allowed: `[[ name ]]`) with, in order of precedence, the message's `data[name]`, the
contact's fields, then `id`, `unicity` and `hash` of the contact. An unknown placeholder is left as it is, so
a typo shows in the render. As in NP6, a content override (`content` in the message) is used as is, without
personalisation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from ._store import Contact

__all__ = ["PLACEHOLDER", "extract_links", "render_email", "render_sms", "substitute"]

PLACEHOLDER = re.compile(r"\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def values_for(contact: Contact, data: Any) -> dict[str, Any]:
    """The substitution values for a contact and a message's `data`."""
    values: dict[str, Any] = {"id": contact.id, "unicity": contact.unicity, "hash": contact.hash}
    values.update(contact.fields)
    if isinstance(data, Mapping):
        values.update(cast("Mapping[str, Any]", data))
    return values


def substitute(template: Any, values: Mapping[str, Any]) -> str:
    """Replace the `[[name]]` placeholders of `template` (None gives "")."""
    if template is None:
        return ""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return _text(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(replace, str(template))


def _mapping(value: Any) -> Mapping[str, Any]:
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else {}


def render_email(action: Mapping[str, Any], contact: Contact, definition: Mapping[str, Any]) -> dict[str, Any]:
    """A `RenderSuccess` for an e-mail action: recipient, sender, subject, html and text."""
    values = values_for(contact, definition.get("data"))
    content = _mapping(action.get("content"))
    headers = {**_mapping(content.get("headers")), **_mapping(definition.get("headers"))}
    override = _mapping(definition.get("content"))
    subject = definition.get("subject", content.get("subject"))
    result: dict[str, Any] = {
        "type": "success",
        "recipient": contact.unicity,
        "subject": substitute(subject, values),
        "html": _text(override["html"]) if "html" in override else substitute(content.get("html"), values),
        "text": _text(override["text"]) if "text" in override else substitute(content.get("text"), values),
    }
    sender: dict[str, str] = {}
    origin = _mapping(headers.get("from"))
    if origin.get("label") is not None:
        sender["label"] = substitute(origin["label"], values)
    if origin.get("prefix") is not None and origin.get("domain") is not None:
        sender["value"] = f"{origin['prefix']}@{origin['domain']}"
    if isinstance(headers.get("reply"), str):
        sender["reply"] = headers["reply"]
    if sender:
        result["sender"] = sender
    return result


def render_sms(action: Mapping[str, Any], contact: Contact, definition: Mapping[str, Any]) -> dict[str, Any]:
    """A `RenderSuccess` for an SMS action: recipient and text only."""
    override = _mapping(definition.get("content"))
    if "text" in override:
        text = _text(override["text"])
    else:
        text = substitute(
            _mapping(action.get("content")).get("textContent"), values_for(contact, definition.get("data"))
        )
    return {"type": "success", "recipient": contact.unicity, "text": text}


def extract_links(action: Mapping[str, Any], contact: Contact, definition: Mapping[str, Any]) -> list[str]:
    """The links of the action's HTML for this contact (placeholders substituted), in document order."""
    html = _mapping(action.get("content")).get("html")
    if not isinstance(html, str):
        return []
    values = values_for(contact, definition.get("data"))
    return [substitute(link, values) for link in _HREF.findall(html)]
