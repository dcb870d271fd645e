"""Recipients and message builders: the exact wire dicts they produce, and the shapes NP6 would refuse, caught
before any request."""

from __future__ import annotations

import json
from typing import Any

import attrs
import np6
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from np6 import models

from tests.harness import SUCCESS, Harness, resp

EMAIL_TYPE = "application/vnd.np6.cm.email"
SMS_TYPE = "application/vnd.np6.cm.sms"


def wire(h: Harness, message: Any, channel: str | None = None) -> Any:
    """The JSON body a send of `message` puts on the wire."""
    client = h.client(resp(200, json_body=SUCCESS))
    h.run(client.actions.send("000ABC", message, channel=channel))
    return json.loads(h.recorder.requests[-1].content)


# ------------------------------------------------------------------------------------------------ recipients


def test_by_id() -> None:
    assert np6.Recipient.by_id("000TGT").to_dict() == {"type": "id", "value": "000TGT"}


def test_by_unicity_is_always_an_array() -> None:
    assert np6.Recipient.by_unicity("a@x.io").to_dict() == {"type": "unicity", "value": ["a@x.io"]}
    assert np6.Recipient.by_unicity("a@x.io", "FR").to_dict() == {"type": "unicity", "value": ["a@x.io", "FR"]}


def test_by_hash() -> None:
    assert np6.Recipient.by_hash("h4sh").to_dict() == {"type": "hash", "value": "h4sh"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"id": "000T", "unicity": "a@x.io", "hash": "h"}, {"id": "000T", "unicity": "a@x.io", "hash": "h"}),
        ({"id": "000T"}, {"id": "000T"}),
        ({"unicity": "a@x.io"}, {"unicity": "a@x.io"}),
        ({"hash": "h"}, {"hash": "h"}),
    ],
)
def test_by_footprint(kwargs: dict[str, str], expected: dict[str, str]) -> None:
    assert np6.Recipient.by_footprint(**kwargs).to_dict() == {"type": "footprint", **expected}


def test_recipient_is_not_instantiable() -> None:
    with pytest.raises(TypeError, match="by_id"):
        np6.Recipient()


@pytest.mark.parametrize(
    "make",
    [
        lambda: np6.Recipient.by_id(""),
        lambda: np6.Recipient.by_id("   "),
        lambda: np6.Recipient.by_id(42),
        np6.Recipient.by_unicity,
        lambda: np6.Recipient.by_unicity(""),
        lambda: np6.Recipient.by_unicity("a@x.io", " "),
        lambda: np6.Recipient.by_unicity(["a@x.io"]),
        lambda: np6.Recipient.by_unicity(("a@x.io", "FR")),
        lambda: np6.Recipient.by_unicity(7),
        lambda: np6.Recipient.by_unicity(None),
        lambda: np6.Recipient.by_hash(""),
        lambda: np6.Recipient.by_hash(b"h"),
        np6.Recipient.by_footprint,
        lambda: np6.Recipient.by_footprint(id=""),
        lambda: np6.Recipient.by_footprint(unicity=["a@x.io"]),
    ],
)
def test_bad_recipients_are_refused(make: Any) -> None:
    with pytest.raises(np6.InvalidInputError):
        make()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(lambda s: s.strip()),
        min_size=1,
        max_size=6,
    )
)
def test_by_unicity_round_trips_any_non_blank_values(values: list[str]) -> None:
    expected = {"type": "unicity", "value": values}
    recipient = np6.Recipient.by_unicity(*values)
    assert recipient.to_dict() == expected
    assert json.loads(json.dumps(recipient.to_dict())) == expected
    assert np6.EmailMessage(recipient).to_model().to_dict() == {"recipient": expected}
    assert np6.SmsMessage(recipient).to_model().to_dict() == {"recipient": expected}
    assert models.RecipientByUnicity.from_dict(recipient.to_dict()).value == values


@pytest.mark.parametrize("value", ["a\r\nb", "a\x00", "\tx", "x\x7f", "x\x85"])
def test_a_unicity_value_with_a_control_character_is_refused(value: str) -> None:
    with pytest.raises(np6.InvalidInputError, match="control character"):
        np6.Recipient.by_unicity(value)
    with pytest.raises(np6.InvalidInputError, match="control character"):
        np6.EmailMessage(value)


# ------------------------------------------------------------------------------------------- plain strings


def test_a_plain_string_means_a_unicity_value(h: Harness) -> None:
    expected = {"recipient": {"type": "unicity", "value": ["a@x.io"]}}
    assert np6.EmailMessage("a@x.io").to_model().to_dict() == expected
    assert np6.SmsMessage("a@x.io").to_model().to_dict() == expected
    assert wire(h, "a@x.io", channel="email") == expected
    assert h.recorder.requests[-1].headers["content-type"] == EMAIL_TYPE


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (np6.Recipient.by_id("000T"), {"type": "id", "value": "000T"}),
        (np6.Recipient.by_hash("h"), {"type": "hash", "value": "h"}),
        (np6.Recipient.by_unicity("a", "b"), {"type": "unicity", "value": ["a", "b"]}),
        (np6.Recipient.by_footprint(id="000T"), {"type": "footprint", "id": "000T"}),
    ],
)
def test_every_recipient_shape_reaches_the_wire(h: Harness, recipient: Any, expected: dict[str, Any]) -> None:
    assert wire(h, recipient, channel="sms") == {"recipient": expected}
    assert h.recorder.requests[-1].headers["content-type"] == SMS_TYPE


# ------------------------------------------------------------------------------------------ e-mail builder


def full_email() -> np6.EmailMessage:
    return np6.EmailMessage(
        np6.Recipient.by_id("000TGT"),
        related=np6.Recipient.by_hash("h-related"),
        copies=[np6.Copy("boss@x.io", blind=True), np6.Copy(np6.Recipient.by_id("000CC"))],
        sender=np6.Sender("news", "example.com", "Example"),
        reply_to="help@example.com",
        subject="Your order",
        attachments=[
            np6.Attachment("invoice.pdf", mime="application/pdf", data={"url": "https://files.example.com/1.pdf"}),
            np6.Attachment("notes.txt"),
        ],
        html="<p>Hi</p>",
        text="Hi",
        amp="<amp>Hi</amp>",
        content_type="html",
        data={"order": 42, "items": ["a", "b"]},
        blocks=[{"id": 1, "visible": False}],
        variables=[{"name": "promo", "value": "X"}],
        urgent=True,
        important=False,
        extra={"views": {"web": True}},
    )


FULL_EMAIL_WIRE = {
    "recipient": {"type": "id", "value": "000TGT"},
    "related": {"type": "hash", "value": "h-related"},
    "copies": [
        {"type": "unicity", "value": ["boss@x.io"], "blind": True},
        {"type": "id", "value": "000CC", "blind": False},
    ],
    "headers": {"from": {"prefix": "news", "domain": "example.com", "label": "Example"}, "reply": "help@example.com"},
    "subject": "Your order",
    "attachments": [
        {"name": "invoice.pdf", "mime": "application/pdf", "data": {"url": "https://files.example.com/1.pdf"}},
        {"name": "notes.txt"},
    ],
    "content": {"type": "html", "html": "<p>Hi</p>", "text": "Hi", "amp": "<amp>Hi</amp>"},
    "data": {"order": 42, "items": ["a", "b"]},
    "blocks": [{"id": 1, "visible": False}],
    "variables": [{"name": "promo", "value": "X"}],
    "urgent": True,
    "important": False,
    "views": {"web": True},
}


def test_full_email_message_wire_dict(h: Harness) -> None:
    message = full_email()
    assert message.to_model().to_dict() == FULL_EMAIL_WIRE
    assert message.channel is np6.Channel.EMAIL
    assert wire(h, message) == FULL_EMAIL_WIRE
    assert h.recorder.requests[-1].headers["content-type"] == EMAIL_TYPE


def test_minimal_email_message_sends_only_the_recipient() -> None:
    assert np6.EmailMessage(np6.Recipient.by_id("1")).to_model().to_dict() == {
        "recipient": {"type": "id", "value": "1"}
    }


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"sender": np6.Sender("news", "example.com")},
            {"headers": {"from": {"prefix": "news", "domain": "example.com"}}},
        ),
        ({"reply_to": "r@x.io"}, {"headers": {"reply": "r@x.io"}}),
        ({"html": "<p/>"}, {"content": {"html": "<p/>"}}),
        ({"text": "t"}, {"content": {"text": "t"}}),
        ({"amp": "a", "content_type": "amp"}, {"content": {"amp": "a", "type": "amp"}}),
        (
            {"copies": [np6.Copy(np6.Recipient.by_hash("hh"), blind=True)]},
            {"copies": [{"type": "hash", "value": "hh", "blind": True}]},
        ),
        ({"related": "r@x.io"}, {"related": {"type": "unicity", "value": ["r@x.io"]}}),
        ({"data": {}}, {"data": {}}),
        ({"urgent": False}, {"urgent": False}),
        ({"stamp": models.Stamp(time=1_700_000_000_000)}, {"stamp": {"time": 1_700_000_000_000}}),
    ],
)
def test_each_email_option_on_its_own(kwargs: dict[str, Any], expected: dict[str, Any]) -> None:
    assert np6.EmailMessage("a@x.io", **kwargs).to_model().to_dict() == {
        "recipient": {"type": "unicity", "value": ["a@x.io"]},
        **expected,
    }


def test_sender_parse() -> None:
    assert np6.Sender.parse("news@example.com", "Example") == np6.Sender("news", "example.com", "Example")
    assert np6.Sender.parse(" news@example.com ") == np6.Sender("news", "example.com")
    assert np6.Sender("news", "example.com", "Ex").to_model().to_dict() == {
        "prefix": "news",
        "domain": "example.com",
        "label": "Ex",
    }


def test_email_render_model() -> None:
    message = np6.EmailMessage(
        "a@x.io", subject="S", sender=np6.Sender("n", "example.com"), html="<p/>", data={"k": 1}, related="b@x.io"
    )
    assert message.to_render_model(models.RenderContext(display=1)).to_dict() == {
        "receiver": {"type": "unicity", "value": ["a@x.io"]},
        "related": {"type": "unicity", "value": ["b@x.io"]},
        "subject": "S",
        "headers": {"from": {"prefix": "n", "domain": "example.com"}},
        "content": {"html": "<p/>"},
        "data": {"k": 1},
        "context": {"display": 1},
    }


# --------------------------------------------------------------------------------------------- SMS builder


def test_sms_message_wire_dict(h: Harness) -> None:
    message = np6.SmsMessage(
        np6.Recipient.by_unicity("+33600000000"),
        text="-10% today",
        related=np6.Recipient.by_id("000REL"),
        data={"first": "Al"},
        blocks=[{"id": 2}],
        variables=[{"name": "v"}],
        extra={"priority": 1},
    )
    expected = {
        "recipient": {"type": "unicity", "value": ["+33600000000"]},
        "related": {"type": "id", "value": "000REL"},
        "content": {"text": "-10% today"},
        "data": {"first": "Al"},
        "blocks": [{"id": 2}],
        "variables": [{"name": "v"}],
        "priority": 1,
    }
    assert message.to_model().to_dict() == expected
    assert message.channel is np6.Channel.SMS
    assert wire(h, message) == expected
    assert h.recorder.requests[-1].headers["content-type"] == SMS_TYPE
    render = message.to_render_model().to_dict()
    assert render.pop("receiver") == expected["recipient"]
    assert render == {k: v for k, v in expected.items() if k != "recipient"}


# ------------------------------------------------------------------------------------------ immutability


def test_builders_are_frozen_values() -> None:
    message = full_email()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        message.subject = "changed"  # type: ignore[misc]
    other = attrs.evolve(message, subject="Another")
    assert other.to_model().to_dict() == {**FULL_EMAIL_WIRE, "subject": "Another"}
    assert message.to_model().to_dict() == FULL_EMAIL_WIRE
    assert full_email() == message
    # Building the wire form twice gives the same thing, and does not change the builder.
    assert message.to_model().to_dict() == message.to_model().to_dict()


def test_changing_the_data_given_does_not_change_the_wire_form_already_built() -> None:
    data = {"k": 1}
    model = np6.EmailMessage("a@x.io", data=data).to_model()
    data["k"] = 2
    assert model.to_dict()["data"] == {"k": 1}


def test_an_evolved_builder_is_checked_again() -> None:
    with pytest.raises(np6.InvalidInputError):
        attrs.evolve(np6.EmailMessage("a@x.io"), sender="news@example.com")


# ---------------------------------------------------------------------------------------- refused shapes


SCALAR_UNICITY = models.RecipientByUnicity(type_="unicity", value="a@x.io")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: np6.EmailMessage("a@x.io", sender="news@example.com"), "not a string"),
        (lambda: np6.EmailMessage("a@x.io", sender={"prefix": "n", "domain": "d"}), "np6.Sender"),
        (lambda: np6.EmailMessage(SCALAR_UNICITY), "list of strings"),
        (lambda: np6.SmsMessage(SCALAR_UNICITY), "list of strings"),
        (lambda: np6.EmailMessage("a@x.io", related=SCALAR_UNICITY), "list of strings"),
        (lambda: np6.EmailMessage("a@x.io", copies=[np6.Copy(SCALAR_UNICITY)]), "list of strings"),
        (lambda: np6.EmailMessage(models.RecipientByUnicity(type_="unicity", value=[])), "at least one"),
        (lambda: np6.EmailMessage(models.RecipientByUnicity(type_="unicity", value=[""])), "empty"),
        (lambda: np6.EmailMessage(models.RecipientById(type_="id", value="")), "empty"),
        (lambda: np6.EmailMessage(""), "empty"),
        (lambda: np6.EmailMessage("   "), "empty"),
        (lambda: np6.SmsMessage(""), "empty"),
        (lambda: np6.EmailMessage(None), "recipient"),
        (lambda: np6.EmailMessage(42), "recipient"),
        (lambda: np6.EmailMessage(["a@x.io"]), "recipient"),
        (lambda: np6.EmailMessage(b"a@x.io"), "recipient"),
        (lambda: np6.EmailMessage("a@x.io", subject=1), "subject"),
        (lambda: np6.EmailMessage("a@x.io", html=b"<p/>"), "html"),
        (lambda: np6.EmailMessage("a@x.io", reply_to=["r@x.io"]), "reply_to"),
        (lambda: np6.EmailMessage("a@x.io", content_type="html"), "content_type"),
        (lambda: np6.EmailMessage("a@x.io", data=[("k", 1)]), "data"),
        (lambda: np6.EmailMessage("a@x.io", blocks={"id": 1}), "blocks"),
        (lambda: np6.EmailMessage("a@x.io", variables=["v"]), "variables"),
        (lambda: np6.EmailMessage("a@x.io", copies=["boss@x.io"]), "np6.Copy"),
        (lambda: np6.EmailMessage("a@x.io", copies=[np6.Copy(np6.Recipient.by_footprint(id="1"))]), "copy"),
        (lambda: np6.EmailMessage("a@x.io", attachments=[{"name": "a.pdf"}]), "np6.Attachment"),
        (lambda: np6.EmailMessage("a@x.io", attachments=[np6.Attachment("")]), "file name"),
        (lambda: np6.EmailMessage("a@x.io", attachments=[np6.Attachment("a", data="x")]), "mapping"),
        (lambda: np6.EmailMessage("a@x.io", urgent="yes"), "urgent"),
        (lambda: np6.EmailMessage("a@x.io", important=1), "important"),
        (lambda: np6.EmailMessage("a@x.io", copies=[np6.Copy("b@x.io", blind="no")]), "blind"),
        (lambda: np6.EmailMessage("a@x.io", stamp={"time": 1}), "stamp"),
        (lambda: np6.EmailMessage("a@x.io", extra=[("k", 1)]), "extra"),
        (lambda: np6.SmsMessage("+33600000000", text=42), "text"),
        (lambda: np6.Sender("news@example.com", "example.com"), "without '@'"),
        (lambda: np6.Sender("", "example.com"), "non-empty"),
        (lambda: np6.Sender("news", ""), "non-empty"),
        (lambda: np6.Sender("news", "example.com", label=5), "label"),
        (lambda: np6.Sender.parse("no-at-sign"), "not an e-mail address"),
        (lambda: np6.Sender.parse("news@"), "non-empty"),
        (lambda: np6.Sender.parse(None), "address string"),
    ],
)
def test_refused_shapes(make: Any, match: str) -> None:
    with pytest.raises(np6.InvalidInputError, match=match):
        make()


def test_render_only_and_send_only_options() -> None:
    with pytest.raises(np6.InvalidInputError, match="not part of a render"):
        np6.EmailMessage("a@x.io", copies=[np6.Copy("b@x.io")]).to_render_model()
    with pytest.raises(np6.InvalidInputError, match="e-mail renders only"):
        np6.SmsMessage("+33600000000").to_render_model(models.RenderContext(display=1))


@pytest.mark.parametrize(
    "message",
    [
        "",
        "  ",
        42,
        None,
        ["a@x.io"],
        {"type": "unicity", "value": ["a@x.io"]},
        SCALAR_UNICITY,
        models.RecipientById(type_="id", value=""),
        models.EmailMessage(recipient=SCALAR_UNICITY),
        models.SmsMessage(recipient=models.RecipientByUnicity(type_="unicity", value=[])),
    ],
    ids=["empty", "blank", "int", "none", "list", "dict", "scalar-unicity", "empty-id", "model-scalar", "model-empty"],
)
def test_refused_sends_make_no_request(h: Harness, message: Any) -> None:
    client = h.client()
    with pytest.raises(np6.InvalidInputError):
        h.run(client.actions.send("000ABC", message, channel="email"))
    with pytest.raises(np6.InvalidInputError):
        h.run(client.actions.render("000ABC", message, channel="email"))
    assert h.recorder.count == 0


def test_generated_model_with_a_string_sender_is_refused(h: Harness) -> None:
    message = models.EmailMessage(
        recipient=models.RecipientByUnicity(type_="unicity", value=["a@x.io"]),
        headers=models.MailHeaders(from_="news@example.com"),  # type: ignore[arg-type]
    )
    client = h.client()
    with pytest.raises(np6.InvalidInputError):
        h.run(client.actions.send("000ABC", message))
    assert h.recorder.count == 0


def test_send_many_rejects_bad_shapes_without_sending_them(h: Harness) -> None:
    client = h.client(resp(200, json_body=[{"type": "success", "id": "M1"}]))
    report = h.run(client.actions.send_many("000ABC", ["", SCALAR_UNICITY, "a@x.io", 42], channel="email"))
    assert h.recorder.count == 1
    assert json.loads(h.recorder.requests[0].content) == [{"recipient": {"type": "unicity", "value": ["a@x.io"]}}]
    assert [outcome.outcome for outcome in report] == [
        np6.Outcome.REJECTED,
        np6.Outcome.REJECTED,
        np6.Outcome.SENT,
        np6.Outcome.REJECTED,
    ]
