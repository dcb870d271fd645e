"""Every `client.actions` method, on `np6.Client` and `np6.AsyncClient`: the request that reaches the wire (method,
path, query, headers, body) and the typed result parsed from NP6's answer."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import np6
import pytest
from np6 import models

from tests.harness import KEY, SUCCESS, Harness, mail_action, resp, sms_action

EMAIL_TYPE = "application/vnd.np6.cm.email"
SMS_TYPE = "application/vnd.np6.cm.sms"
JSON_TYPE = "application/json"


def check_request(
    request: httpx.Request, method: str, path: str, *, content_type: str | None = None, body: object = ...
) -> None:
    """Method, path, the headers every request carries, the body's media type and (when given) its JSON."""
    assert request.method == method
    assert request.url.scheme == "https"
    assert request.url.host == "api-cm.np6.com"
    assert request.url.path == path
    # The generator's `#email` / `#sms` view fragment must never reach the wire.
    assert request.url.fragment == ""
    assert "#" not in str(request.url)
    assert request.headers["x-key"] == KEY
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == np6._client.USER_AGENT
    if content_type is None:
        assert "content-type" not in request.headers
    else:
        assert request.headers["content-type"] == content_type
    if body is not ...:
        assert json.loads(request.content) == body


# ---------------------------------------------------------------------------------------------------- get


def test_get_mail_action(h: Harness) -> None:
    body = mail_action("000ABC", state=38, creationDate="2024-05-01T10:00:00+00:00", tenantOnly={"x": 1})
    client = h.client(resp(200, json_body=body, headers={"x-request-id": "r1"}))
    action = h.run(client.actions.get("000ABC"))
    (request,) = h.recorder.requests
    check_request(request, "GET", "/actions/000ABC")
    assert request.content == b""
    assert isinstance(action, models.MailMessageAction)
    assert action.id == "000ABC"
    assert action.name == "Newsletter"
    assert isinstance(action.informations, models.ActionInformations)
    assert action.informations.state == 38 == np6.ActionState.TEST_VALIDATED
    assert action.creation_date == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    # Undocumented tenant fields survive.
    assert action.additional_properties["tenantOnly"] == {"x": 1}


def test_get_sms_and_unknown_action_types(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=sms_action("000SMS")),
        resp(200, json_body={"type": "pushNotification", "id": "000PSH", "name": "P"}),
    )
    sms = h.run(client.actions.get("000SMS"))
    other = h.run(client.actions.get("000PSH"))
    assert isinstance(sms, models.SmsMessageAction)
    assert sms.id == "000SMS"
    assert isinstance(other, models.UnknownAction)
    assert other.type_ == "pushNotification"
    assert other.id == "000PSH"
    assert h.recorder.calls == [("GET", "/actions/000SMS"), ("GET", "/actions/000PSH")]


def test_action_id_is_quoted_into_one_path_segment(h: Harness) -> None:
    client = h.client(resp(200, json_body=mail_action("a b?c#d")))
    h.run(client.actions.get("a b?c#d"))
    (request,) = h.recorder.requests
    assert request.url.raw_path == b"/actions/a%20b%3Fc%23d"


# --------------------------------------------------------------------------------------------------- list


def test_list_without_filters(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=[mail_action("000A"), sms_action("000B"), {"type": "mailCampaign", "id": "000C"}])
    )
    actions = h.run(client.actions.list())
    (request,) = h.recorder.requests
    check_request(request, "GET", "/actions")
    assert request.url.query == b""
    assert [type(a) for a in actions] == [models.MailMessageAction, models.SmsMessageAction, models.UnknownAction]
    assert [a.id for a in actions[:2]] == ["000A", "000B"]


@pytest.mark.parametrize(
    ("after", "before", "expected_after", "expected_before"),
    [
        pytest.param(
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
            "2024-01-02T03:04:05+00:00",
            "2024-02-01T00:00:00+00:00",
            id="aware-datetimes",
        ),
        pytest.param(
            dt.datetime(2024, 1, 2, 3, 4, 5),
            dt.datetime(2024, 2, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2024-01-02T03:04:05+00:00",  # naive means UTC
            "2024-02-01T00:00:00+02:00",
            id="naive-and-offset",
        ),
        pytest.param(1_700_000_000, 1_700_086_400, "2023-11-14T22:13:20+00:00", "2023-11-15T22:13:20+00:00", id="s"),
        pytest.param(
            1_700_000_000_000, 1_700_086_400_000, "2023-11-14T22:13:20+00:00", "2023-11-15T22:13:20+00:00", id="ms"
        ),
    ],
)
def test_list_with_creation_filters(
    h: Harness, after: object, before: object, expected_after: str, expected_before: str
) -> None:
    client = h.client(resp(200, json_body=[]))
    assert h.run(client.actions.list(created_after=after, created_before=before)) == []
    (request,) = h.recorder.requests
    check_request(request, "GET", "/actions")
    assert dict(request.url.params) == {"creation_start": expected_after, "creation_end": expected_before}


def test_list_with_only_one_bound(h: Harness) -> None:
    client = h.client(resp(200, json_body=[]))
    h.run(client.actions.list(created_before=1_700_000_000))
    assert dict(h.recorder.requests[0].url.params) == {"creation_end": "2023-11-14T22:13:20+00:00"}


@pytest.mark.parametrize("bad", [True, "2024-01-01", 3 + 0j])
def test_list_refuses_other_filter_types(h: Harness, bad: object) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match="created_after"):
        h.run(client.actions.list(created_after=bad))
    assert h.recorder.count == 0


def test_list_teaches_the_channel_of_each_action(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=[mail_action("000A"), sms_action("000B")]), default=resp(200, json_body=SUCCESS)
    )
    h.run(client.actions.list())
    h.run(client.actions.send("000A", "a@x.io"))
    h.run(client.actions.send("000B", "+33600000000"))
    assert h.recorder.calls == [
        ("GET", "/actions"),
        ("POST", "/actions/000A/execution"),
        ("POST", "/actions/000B/execution"),
    ]
    assert h.recorder.requests[1].headers["content-type"] == EMAIL_TYPE
    assert h.recorder.requests[2].headers["content-type"] == SMS_TYPE


# ------------------------------------------------------------------------------------------ create/update


@pytest.mark.parametrize("status", [200, 201])
def test_create_email_action(h: Harness, status: int) -> None:
    definition = np6.email_action(
        name="Welcome",
        sender=np6.Sender("news", "example.com", "Example"),
        subject="Hello",
        html="<p>Hi</p>",
        text="Hi",
        reply_to="reply@example.com",
        description="first",
    )
    client = h.client(resp(status, json_body=mail_action("000NEW", state=20)))
    created = h.run(client.actions.create(definition))
    (request,) = h.recorder.requests
    check_request(
        request,
        "POST",
        "/actions",
        content_type=JSON_TYPE,
        body={
            "type": "mailMessage",
            "name": "Welcome",
            "description": "first",
            "settings": {"templating": {"version": "4.1"}, "editionMode": 1},
            "content": {
                "headers": {
                    "from": {"prefix": "news", "domain": "example.com", "label": "Example"},
                    "reply": "reply@example.com",
                },
                "subject": "Hello",
                "html": "<p>Hi</p>",
                "text": "Hi",
            },
        },
    )
    assert isinstance(created, models.MailMessageAction)
    assert created.id == "000NEW"


def test_create_sms_action_and_remember_its_channel(h: Harness) -> None:
    client = h.client(resp(200, json_body=sms_action("000SMS", state=50)), resp(200, json_body=SUCCESS))
    created = h.run(client.actions.create(np6.sms_action(name="Promo", text="-10% today")))
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions",
        content_type=JSON_TYPE,
        body={"type": "smsMessage", "name": "Promo", "content": {"textContent": "-10% today"}},
    )
    assert isinstance(created, models.SmsMessageAction)
    # The created action's channel is known: a send needs no lookup.
    h.run(client.actions.send("000SMS", "+33600000000"))
    assert h.recorder.calls[1] == ("POST", "/actions/000SMS/execution")
    assert h.recorder.requests[1].headers["content-type"] == SMS_TYPE


@pytest.mark.parametrize("bad", [{"type": "mailMessage"}, "mailMessage", None])
def test_create_refuses_what_is_not_an_action_model(h: Harness, bad: object) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match=r"an action must be np6\.email_action"):
        h.run(client.actions.create(bad))
    assert h.recorder.count == 0


def test_update_action(h: Harness) -> None:
    definition = np6.sms_action(name="Promo v2", text="-20%")
    client = h.client(resp(200, json_body={**sms_action("000SMS", state=20), "name": "Promo v2"}))
    updated = h.run(client.actions.update("000SMS", definition))
    (request,) = h.recorder.requests
    check_request(request, "PUT", "/actions/000SMS", content_type=JSON_TYPE, body=definition.to_dict())
    assert isinstance(updated, models.SmsMessageAction)
    assert updated.name == "Promo v2"


def test_update_replaces_the_cached_channel(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=mail_action("000X")),
        resp(200, json_body=sms_action("000X")),
        resp(200, json_body=SUCCESS),
    )
    h.run(client.actions.get("000X"))
    h.run(client.actions.update("000X", np6.sms_action(name="now sms", text="t")))
    h.run(client.actions.send("000X", "+33600000000"))
    assert h.recorder.calls[-1] == ("POST", "/actions/000X/execution")
    assert h.recorder.requests[-1].headers["content-type"] == SMS_TYPE


def test_delete_action_and_forget_its_channel(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=mail_action("000D")),
        resp(204),
        resp(200, json_body=mail_action("000D")),
        resp(200, json_body=SUCCESS),
    )
    h.run(client.actions.get("000D"))
    assert h.run(client.actions.delete("000D")) is None
    check_request(h.recorder.requests[1], "DELETE", "/actions/000D")
    assert h.recorder.requests[1].content == b""
    # The channel learnt before the delete is forgotten: the next send looks the action up again.
    h.run(client.actions.send("000D", "a@x.io"))
    assert h.recorder.calls[2:] == [("GET", "/actions/000D"), ("POST", "/actions/000D/execution")]


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [({}, {}), ({"type": 2}, {"type": "2"}), ({"type": 2, "folder": 7}, {"type": "2", "folder": "7"})],
)
def test_duplicate_action(h: Harness, kwargs: dict[str, int], query: dict[str, str]) -> None:
    client = h.client(resp(200, json_body={**mail_action("000CPY"), "name": "Newsletter(1)"}))
    copy = h.run(client.actions.duplicate("000ABC", **kwargs))
    (request,) = h.recorder.requests
    check_request(request, "POST", "/actions/000ABC/duplication")
    assert dict(request.url.params) == query
    # A bodiless POST still needs Content-Length, or NP6 answers 411.
    assert request.headers["content-length"] == "0"
    assert isinstance(copy, models.MailMessageAction)
    assert (copy.id, copy.name) == ("000CPY", "Newsletter(1)")


@pytest.mark.parametrize("bad", [{"type": "2"}, {"folder": True}, {"folder": 1.5}])
def test_duplicate_refuses_non_integer_options(h: Harness, bad: dict[str, object]) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match="integer"):
        h.run(client.actions.duplicate("000ABC", **bad))
    assert h.recorder.count == 0


# ------------------------------------------------------------------------------------------- validation

TEST_PHASE = {"fortest": True, "testSegments": [1319]}
PRODUCTION_PHASE = {"fortest": False}


@pytest.mark.parametrize(
    ("state", "phases"),
    [
        (10, ("test", "production")),
        (20, ("test", "production")),
        (None, ("test", "production")),
        (38, ("production",)),
        (40, ("production",)),
        (50, ()),
    ],
)
def test_validate_runs_the_phases_the_state_needs(h: Harness, state: int | None, phases: tuple[str, ...]) -> None:
    client = h.client(resp(200, json_body=mail_action("000V", state=state)), default=resp(204))
    result = h.run(client.actions.validate("000V", test_segments=[1319]))
    assert result == phases
    assert h.recorder.calls == [("GET", "/actions/000V")] + [("POST", "/actions/000V/validation")] * len(phases)
    expected_bodies = {"test": TEST_PHASE, "production": PRODUCTION_PHASE}
    for request, phase in zip(h.recorder.requests[1:], phases, strict=True):
        check_request(request, "POST", "/actions/000V/validation", content_type=JSON_TYPE, body=expected_bodies[phase])


def test_validate_stops_at_the_failing_test_phase(h: Harness) -> None:
    client = h.client(resp(200, json_body=mail_action("000V", state=20)), resp(409))
    with pytest.raises(np6.ConflictError):
        h.run(client.actions.validate("000V", test_segments=[1319]))
    assert h.recorder.calls == [("GET", "/actions/000V"), ("POST", "/actions/000V/validation")]


def test_validate_for_test_with_every_option(h: Harness) -> None:
    client = h.client(resp(204))
    result = h.run(
        client.actions.validate_for_test(
            "000V",
            test_segments=[1, 2],
            campaign_analyser=True,
            media_for_test="desktop",
            text_and_html=False,
            comments="proof",
            variables=[{"name": "promo", "value": "X"}],
        )
    )
    assert result is None
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000V/validation",
        content_type=JSON_TYPE,
        body={
            "fortest": True,
            "testSegments": [1, 2],
            "campaignAnalyser": True,
            "mediaForTest": "desktop",
            "textandHtml": False,
            "comments": "proof",
            "variables": [{"name": "promo", "value": "X"}],
        },
    )


def test_validate_for_test_without_options(h: Harness) -> None:
    client = h.client(resp(204))
    h.run(client.actions.validate_for_test("000V"))
    assert h.recorder.json() == {"fortest": True}


@pytest.mark.parametrize("segments", ["1319", [1319, "1320"], [True]])
def test_validate_refuses_bad_test_segments(h: Harness, segments: object) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match="test_segments"):
        h.run(client.actions.validate_for_test("000V", test_segments=segments))
    assert h.recorder.count == 0


def test_validate_for_production(h: Harness) -> None:
    client = h.client(resp(204))
    assert h.run(client.actions.validate_for_production("000V")) is None
    check_request(
        h.recorder.requests[0], "POST", "/actions/000V/validation", content_type=JSON_TYPE, body=PRODUCTION_PHASE
    )


def test_unvalidate_sends_an_empty_json_object(h: Harness) -> None:
    client = h.client(resp(204))
    assert h.run(client.actions.unvalidate("000V")) is None
    (request,) = h.recorder.requests
    check_request(request, "DELETE", "/actions/000V/validation", content_type=JSON_TYPE)
    assert request.content == b"{}"
    assert request.headers["content-length"] == "2"


# --------------------------------------------------------------------------------------------------- send


def test_send_email_message_builder(h: Harness) -> None:
    message = np6.EmailMessage(
        np6.Recipient.by_id("000TGT"),
        subject="Your order",
        sender=np6.Sender.parse("shop@example.com", "Shop"),
        reply_to="help@example.com",
        data={"order": 42},
        copies=[np6.Copy("boss@example.com", blind=True)],
        urgent=True,
    )
    client = h.client(resp(200, json_body=mail_action("000ABC", state=50)), resp(200, json_body=SUCCESS))
    h.run(client.actions.get("000ABC"))
    result = h.run(client.actions.send("000ABC", message))
    check_request(
        h.recorder.requests[1],
        "POST",
        "/actions/000ABC/execution",
        content_type=EMAIL_TYPE,
        body={
            "recipient": {"type": "id", "value": "000TGT"},
            "subject": "Your order",
            "headers": {
                "from": {"prefix": "shop", "domain": "example.com", "label": "Shop"},
                "reply": "help@example.com",
            },
            "data": {"order": 42},
            "copies": [{"type": "unicity", "value": ["boss@example.com"], "blind": True}],
            "urgent": True,
        },
    )
    assert isinstance(result, models.ExecutionSuccess)
    assert result.id == "MSG-1"
    assert isinstance(result.recipient, models.RecipientByFootprint)
    assert (result.recipient.id, result.recipient.unicity) == ("000TGT", "a@x.io")


@pytest.mark.parametrize("kind", ["email", "sms"])
def test_send_infers_channel_from_message_type_without_lookup(h: Harness, kind: str) -> None:
    message = np6.EmailMessage("a@x.io") if kind == "email" else np6.SmsMessage("+33600000000", text="Hi")
    client = h.client(resp(200, json_body=SUCCESS))
    result = h.run(client.actions.send("000ABC", message))
    assert isinstance(result, models.ExecutionSuccess)
    (request,) = h.recorder.requests
    check_request(
        request,
        "POST",
        "/actions/000ABC/execution",
        content_type=EMAIL_TYPE if kind == "email" else SMS_TYPE,
        body=message.to_model().to_dict(),
    )


@pytest.mark.parametrize(("action", "media_type"), [(mail_action, EMAIL_TYPE), (sms_action, SMS_TYPE)])
def test_send_infers_channel_from_one_cached_lookup(h: Harness, action: object, media_type: str) -> None:
    client = h.client(resp(200, json_body=action("000ABC")), default=resp(200, json_body=SUCCESS))  # type: ignore[operator]
    for recipient in ("first@x.io", "second@x.io", "third@x.io"):
        assert isinstance(h.run(client.actions.send("000ABC", recipient)), models.ExecutionSuccess)
    assert h.recorder.calls == [("GET", "/actions/000ABC")] + [("POST", "/actions/000ABC/execution")] * 3
    for request, recipient in zip(h.recorder.requests[1:], ("first@x.io", "second@x.io", "third@x.io"), strict=True):
        check_request(
            request,
            "POST",
            "/actions/000ABC/execution",
            content_type=media_type,
            body={"recipient": {"type": "unicity", "value": [recipient]}},
        )


def test_channel_cache_is_per_action(h: Harness) -> None:
    client = h.client(
        resp(200, json_body=mail_action("000A")),
        resp(200, json_body=SUCCESS),
        resp(200, json_body=sms_action("000B")),
        resp(200, json_body=SUCCESS),
        resp(200, json_body=SUCCESS),
    )
    h.run(client.actions.send("000A", "a@x.io"))
    h.run(client.actions.send("000B", "+33600000000"))
    h.run(client.actions.send("000A", "b@x.io"))
    assert [c for c in h.recorder.calls if c[0] == "GET"] == [("GET", "/actions/000A"), ("GET", "/actions/000B")]
    assert [r.headers.get("content-type") for r in h.recorder.requests if r.method == "POST"] == [
        EMAIL_TYPE,
        SMS_TYPE,
        EMAIL_TYPE,
    ]


@pytest.mark.parametrize(
    ("channel", "media_type"),
    [("sms", SMS_TYPE), ("SMS", SMS_TYPE), (np6.Channel.SMS, SMS_TYPE), ("email", EMAIL_TYPE), ("e-mail", EMAIL_TYPE)],
)
def test_send_with_explicit_channel_needs_no_lookup(h: Harness, channel: object, media_type: str) -> None:
    client = h.client(resp(200, json_body=SUCCESS))
    h.run(client.actions.send("000ABC", "+33600000000", channel=channel))
    (request,) = h.recorder.requests
    check_request(
        request,
        "POST",
        "/actions/000ABC/execution",
        content_type=media_type,
        body={"recipient": {"type": "unicity", "value": ["+33600000000"]}},
    )


def test_send_unknown_channel_name_is_refused(h: Harness) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match="unknown channel"):
        h.run(client.actions.send("000ABC", "a@x.io", channel="fax"))
    assert h.recorder.count == 0


def test_send_to_action_of_unknown_channel_asks_for_channel(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": "pushNotification", "id": "000P"}))
    with pytest.raises(np6.InvalidInputError, match="channel="):
        h.run(client.actions.send("000P", "a@x.io"))
    assert h.recorder.calls == [("GET", "/actions/000P")]


def test_send_generated_sms_model(h: Harness) -> None:
    body = models.SmsMessage(
        recipient=models.RecipientByUnicity(type_="unicity", value=["+33600000000"]),
        content=models.SmsContentOverride(text="Hello"),
    )
    client = h.client(resp(200, json_body=SUCCESS))
    h.run(client.actions.send("000SMS", body, channel="sms"))
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000SMS/execution",
        content_type=SMS_TYPE,
        body={"recipient": {"type": "unicity", "value": ["+33600000000"]}, "content": {"text": "Hello"}},
    )


@pytest.mark.parametrize(
    ("answer", "expected_type"),
    [
        (
            {"type": "error", "value": {"type": "recipient not found", "recipient": {"type": "id", "value": "000Z"}}},
            models.ExecutionError,
        ),
        ({"type": "queued", "ticket": "T-1"}, models.UnknownExecutionResult),
    ],
)
def test_send_parses_other_results(h: Harness, answer: dict[str, object], expected_type: type) -> None:
    client = h.client(resp(200, json_body=answer))
    result = h.run(client.actions.send("000ABC", "a@x.io", channel="email"))
    assert type(result) is expected_type
    if isinstance(result, models.ExecutionError):
        assert isinstance(result.value, models.ResultErrorValue)
        assert result.value.type_ == "recipient not found"
        assert isinstance(result.value.recipient, models.RecipientById)
        assert result.value.recipient.value == "000Z"
    else:
        assert result.type_ == "queued"
        assert result.additional_properties == {"ticket": "T-1"}


# ------------------------------------------------------------------------------------------------- render


def test_render_email_with_context(h: Harness) -> None:
    answer = {
        "type": "success",
        "subject": "Hello Alice",
        "html": "<p>Hello Alice</p>",
        "text": "Hello Alice",
        "recipient": "a@x.io",
        "headers": {"X-Mailer": "np6"},
    }
    client = h.client(resp(200, json_body=answer))
    result = h.run(
        client.actions.render(
            "000ABC",
            np6.EmailMessage("a@x.io", subject="Hello", data={"first": "Alice"}),
            channel="email",
            context=models.RenderContext(display=1),
        )
    )
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000ABC/render",
        content_type=EMAIL_TYPE,
        body={
            "receiver": {"type": "unicity", "value": ["a@x.io"]},
            "subject": "Hello",
            "data": {"first": "Alice"},
            "context": {"display": 1},
        },
    )
    assert isinstance(result, models.RenderSuccess)
    assert (result.subject, result.html, result.recipient) == ("Hello Alice", "<p>Hello Alice</p>", "a@x.io")


def test_render_sms_from_a_recipient_string(h: Harness) -> None:
    client = h.client(resp(200, json_body=sms_action("000SMS")), resp(200, json_body={"type": "success", "text": "Hi"}))
    result = h.run(client.actions.render("000SMS", "+33600000000"))
    assert h.recorder.calls == [("GET", "/actions/000SMS"), ("POST", "/actions/000SMS/render")]
    check_request(
        h.recorder.requests[1],
        "POST",
        "/actions/000SMS/render",
        content_type=SMS_TYPE,
        body={"receiver": {"type": "unicity", "value": ["+33600000000"]}},
    )
    assert isinstance(result, models.RenderSuccess)
    assert result.text == "Hi"


def test_render_error_result(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": "error", "value": {"type": "recipient not found"}}))
    result = h.run(client.actions.render("000ABC", np6.Recipient.by_hash("h4sh"), channel="email"))
    assert h.recorder.json() == {"receiver": {"type": "hash", "value": "h4sh"}}
    assert isinstance(result, models.RenderError)
    assert isinstance(result.value, models.ResultErrorValue)
    assert result.value.type_ == "recipient not found"


@pytest.mark.parametrize(
    ("message", "match"),
    [
        (models.EmailMessage(recipient=models.RecipientById(type_="id", value="1")), "builder"),
        (np6.EmailMessage("a@x.io", urgent=True), "not part of a render"),
    ],
)
def test_render_refuses_send_only_input(h: Harness, message: object, match: str) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match=match):
        h.run(client.actions.render("000ABC", message, channel="email"))
    assert h.recorder.count == 0


def test_render_sms_refuses_a_context(h: Harness) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError, match="e-mail renders only"):
        h.run(
            client.actions.render(
                "000S", np6.SmsMessage("+33600000000"), channel="sms", context=models.RenderContext(display=1)
            )
        )
    assert h.recorder.count == 0


def test_render_many_email(h: Harness) -> None:
    client = h.client(
        resp(
            200,
            json_body=[
                {"type": "success", "subject": "A"},
                {"type": "error", "value": {"type": "recipient not found"}},
            ],
        )
    )
    results = h.run(
        client.actions.render_many("000ABC", [np6.EmailMessage("a@x.io", subject="A"), "b@x.io"], channel="email")
    )
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000ABC/renders",
        content_type=EMAIL_TYPE,
        body=[
            {"receiver": {"type": "unicity", "value": ["a@x.io"]}, "subject": "A"},
            {"receiver": {"type": "unicity", "value": ["b@x.io"]}},
        ],
    )
    assert [type(r) for r in results] == [models.RenderSuccess, models.RenderError]
    assert results[0].subject == "A"


def test_render_many_sms_infers_channel_from_builders(h: Harness) -> None:
    client = h.client(resp(200, json_body=[{"type": "success", "text": "x"}]))
    results = h.run(client.actions.render_many("000S", [np6.SmsMessage("+33600000000", text="x")]))
    assert h.recorder.count == 1, "a typed message names its channel: no lookup of the action"
    assert h.recorder.requests[-1].url.path == "/actions/000S/renders"
    assert h.recorder.requests[-1].headers["content-type"] == SMS_TYPE
    assert h.recorder.json() == [{"receiver": {"type": "unicity", "value": ["+33600000000"]}, "content": {"text": "x"}}]
    assert len(results) == 1
    assert isinstance(results[0], models.RenderSuccess)


def test_render_many_refuses_mixed_channels_and_empty_input(h: Harness) -> None:
    client = h.client()
    with pytest.raises(np6.ChannelMismatchError):
        h.run(client.actions.render_many("000A", [np6.EmailMessage("a@x.io"), np6.SmsMessage("+33600000000")]))
    with pytest.raises(np6.InvalidInputError, match="at least one"):
        h.run(client.actions.render_many("000A", [], channel="email"))
    assert h.recorder.count == 0


def test_render_many_result_count_must_match(h: Harness) -> None:
    client = h.client(resp(200, json_body=[{"type": "success"}]))
    with pytest.raises(np6.ResponseParseError, match="1 render results for 2"):
        h.run(client.actions.render_many("000A", ["a@x.io", "b@x.io"], channel="email"))


# ------------------------------------------------------------------------------------------------- legacy


def test_render_links(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": "links", "links": ["https://t.np6.com/1", "https://t.np6.com/2"]}))
    result = h.run(
        client.actions.render_links(
            "000ABC",
            "a@x.io",
            links=[models.LinkDefinition(type_="url")],
            data={"first": "Alice"},
            variables=[{"name": "v"}],
            context=models.RenderContext(render=3),
        )
    )
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000ABC/render/links",
        content_type=JSON_TYPE,
        body={
            "receiver": {"type": "unicity", "value": ["a@x.io"]},
            "links": [{"type": "url"}],
            "data": {"first": "Alice"},
            "variables": [{"name": "v"}],
            "context": {"render": 3},
        },
    )
    assert isinstance(result, models.RenderLinksResult)
    assert result.links == ["https://t.np6.com/1", "https://t.np6.com/2"]


@pytest.mark.parametrize(("method", "segment"), [("export_opens", "opens"), ("export_clicks", "clicks")])
@pytest.mark.parametrize(
    ("answer", "expected"), [(resp(204), b""), (resp(200, content=b"id;date\n1;2"), b"id;date\n1;2")]
)
def test_exports(h: Harness, method: str, segment: str, answer: httpx.Response, expected: bytes) -> None:
    client = h.client(answer)
    assert h.run(getattr(client.actions, method)("000ABC")) == expected
    check_request(h.recorder.requests[0], "GET", f"/actions/000ABC/export/tracking/{segment}")


@pytest.mark.parametrize(("answer", "expected"), [(resp(200, json_body="MSG-9"), "MSG-9"), (resp(204), None)])
def test_send_to_target(h: Harness, answer: httpx.Response, expected: str | None) -> None:
    client = h.client(answer)
    result = h.run(
        client.actions.send_to_target(
            "000ABC", "000TGT", data={"first": "Bob"}, content=models.ContentOverride(html="<p>x</p>")
        )
    )
    assert result == expected
    check_request(
        h.recorder.requests[0],
        "POST",
        "/actions/000ABC/targets/000TGT",
        content_type=JSON_TYPE,
        body={"data": {"first": "Bob"}, "content": {"html": "<p>x</p>"}},
    )


def test_send_to_target_without_options_and_bad_target(h: Harness) -> None:
    client = h.client(resp(204))
    assert h.run(client.actions.send_to_target("000ABC", "000TGT")) is None
    assert h.recorder.json() == {}
    with pytest.raises(np6.InvalidInputError, match="target id"):
        h.run(client.actions.send_to_target("000ABC", ""))
    assert h.recorder.count == 1


@pytest.mark.parametrize(("action", "message"), [(mail_action, "sms"), (sms_action, "email")])
def test_message_of_the_wrong_channel_fails_before_sending_when_the_action_is_known(
    h: Harness, action: object, message: str
) -> None:
    client = h.client(resp(200, json_body=action("000ABC")))  # type: ignore[operator]
    h.run(client.actions.get("000ABC"))
    wrong = np6.SmsMessage("+33600000000", text="Hi") if message == "sms" else np6.EmailMessage("a@x.io")
    with pytest.raises(np6.ChannelMismatchError, match="cannot be sent"):
        h.run(client.actions.send("000ABC", wrong))
    with pytest.raises(np6.ChannelMismatchError):
        h.run(client.actions.render("000ABC", wrong))
    assert h.recorder.calls == [("GET", "/actions/000ABC")]


def test_an_answer_to_a_create_that_is_not_the_kind_written_names_the_action_written(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": "mailMessage", "id": "000NEW", "content": None}))
    action = np6.email_action(name="N", sender=np6.Sender.parse("a@example.com"), subject="S", html="<p>x</p>")
    with pytest.raises(np6.ResponseParseError, match=r"NP6 wrote the action \(id '000NEW'\)"):
        h.run(client.actions.create(action))


def test_an_action_id_that_is_not_a_string_is_a_typed_error(h: Harness) -> None:
    client = h.client(resp(200, json_body={"type": "mailMessage", "id": ["000ABC"]}))
    with pytest.raises(np6.ResponseParseError):
        h.run(client.actions.get("000ABC"))
