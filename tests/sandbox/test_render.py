"""What `/render` and `/render/links` answer for bodies the overlay's builders never produce: JSON values of every
type in `data`, partial sender headers, actions without a subject or a text. Raw httpx sends them; every answer
is still checked against the spec by the strict sandbox."""

from __future__ import annotations

import json
from typing import Any

import httpx
import np6
import pytest
from np6.sandbox import Sandbox

from tests.sandbox.support import EMAIL_TYPE, SMS_TYPE, draft_action, newsletter, promo_sms, raw, stored_action

ALICE = {"type": "unicity", "value": ["alice@example.com"]}


def _render(sandbox: Sandbox, action_id: str, definition: dict[str, Any], media_type: str = EMAIL_TYPE) -> Any:
    with raw(sandbox) as http:
        response = http.post(
            f"/actions/{action_id}/render", content=json.dumps(definition), headers={"content-type": media_type}
        )
    assert response.status_code == 200, response.text
    return response.json()


def _links(sandbox: Sandbox, action_id: str, definition: dict[str, Any]) -> httpx.Response:
    with raw(sandbox) as http:
        return http.post(f"/actions/{action_id}/render/links", json=definition)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(True, "true"), (False, "false"), (None, ""), (0, "0"), (2.5, "2.5"), ("", "")],
    ids=["true", "false", "null", "zero", "float", "empty-string"],
)
def test_data_values_of_any_json_type_render_as_text(sandbox: Sandbox, value: Any, shown: str) -> None:
    action_id = draft_action(sandbox)
    rendered = _render(sandbox, action_id, {"receiver": ALICE, "data": {"first_name": value}})
    # JSON spellings, not Python's (`True`, `None`): what a template author expects to see.
    assert rendered["subject"] == f"Hello {shown}"
    assert rendered["html"].startswith(f"<p>Hello {shown}</p>")
    assert rendered["sender"]["label"] == f"Example for {shown}"


def test_the_messages_sender_replaces_the_actions_whole(sandbox: Sandbox) -> None:
    action_id = draft_action(sandbox)
    label_only = _render(sandbox, action_id, {"receiver": ALICE, "headers": {"from": {"label": "Team [[unicity]]"}}})
    address_only = _render(
        sandbox, action_id, {"receiver": ALICE, "headers": {"from": {"prefix": "hello", "domain": "example.org"}}}
    )
    # The action's reply-to stays unless the message's headers set it; null removes it.
    assert label_only["sender"] == {"label": "Team alice@example.com", "reply": "reply@example.com"}
    assert address_only["sender"] == {"value": "hello@example.org", "reply": "reply@example.com"}
    no_reply = _render(sandbox, action_id, {"receiver": ALICE, "headers": {"reply": None}})
    assert no_reply["sender"] == {"label": "Example for [[first_name]]", "value": "news@example.com"}


def test_without_any_sender_header_the_render_has_no_sender(sandbox: Sandbox) -> None:
    action_id = draft_action(sandbox)
    rendered = _render(sandbox, action_id, {"receiver": ALICE, "headers": {"from": {"domain": "x.org"}, "reply": None}})
    assert "sender" not in rendered
    assert rendered["subject"] == "Hello [[first_name]]"


def test_an_action_without_subject_or_text_renders_them_empty(sandbox: Sandbox) -> None:
    body = newsletter().to_dict()
    for part in ("subject", "text"):
        del body["content"][part]
    action_id = str(sandbox.actions.create(body)["id"])
    rendered = _render(sandbox, action_id, {"receiver": ALICE})
    assert (rendered["subject"], rendered["text"]) == ("", "")
    # The message's own subject is personalised like the action's would have been.
    titled = _render(sandbox, action_id, {"receiver": ALICE, "subject": "For [[unicity]]"})
    assert titled["subject"] == "For alice@example.com"


def test_an_sms_action_without_text_renders_an_empty_text(sandbox: Sandbox) -> None:
    body = promo_sms().to_dict()
    del body["content"]["textContent"]
    action_id = str(sandbox.actions.create(body)["id"])
    rendered = _render(sandbox, action_id, {"receiver": {"type": "unicity", "value": ["+33600000001"]}}, SMS_TYPE)
    assert rendered == {"type": "success", "recipient": "+33600000001", "text": ""}


def test_links_follow_the_html_in_order_and_take_the_messages_data(sandbox: Sandbox) -> None:
    html = (
        "<a href='https://example.com/a?u=[[id]]'>a</a>"
        '<A HREF = "https://example.com/b/[[code]]">b</A>'
        '<a href="mailto:[[unicity]]">c</a><a name="no-link">d</a>'
    )
    action = np6.email_action(
        name="Links",
        sender=np6.Sender(prefix="news", domain="example.com"),
        subject="Links",
        html=html,
        text="links",
    )
    action_id = stored_action(sandbox, action)
    contact = sandbox.contacts.create("alice@example.com")
    response = _links(sandbox, action_id, {"receiver": ALICE, "data": {"code": "XMAS"}})
    assert response.status_code == 200
    assert response.json() == {
        "type": "success",
        "links": [
            f"https://example.com/a?u={contact.id}",
            "https://example.com/b/XMAS",
            "mailto:alice@example.com",
        ],
    }


def test_an_action_without_html_has_no_links(sandbox: Sandbox) -> None:
    sms_id = stored_action(sandbox, promo_sms())
    response = _links(sandbox, sms_id, {"receiver": {"type": "unicity", "value": ["+33600000001"]}})
    assert (response.status_code, response.json()) == (200, {"type": "success", "links": []})
    assert sandbox.deliveries.count() == 0
