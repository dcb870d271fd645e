"""The input of `np6 send`, row by row: what each CSV row and JSON line becomes (a message, or why it cannot be
one), read twice alike, standard input included. In-process, on files written here."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import np6
import pytest
from np6._cli.errors import BadInput
from np6._cli.rows import Bad, Input, Row, csv_shape, open_input
from np6._content.channel import Channel


def _input(tmp_path: Path, text: str, kind: str = "csv", **options: Any) -> Input:
    path = tmp_path / f"input.{kind}"
    path.write_text(text, encoding="utf-8")
    defaults: dict[str, Any] = {"recipient_type": "unicity", "column": None, "data_columns": None, "no_data": False}
    defaults.update(options)
    return open_input(path if kind == "csv" else None, path if kind == "jsonl" else None, **defaults)


def _jsonl(tmp_path: Path, *lines: object, channel: Channel = Channel.EMAIL) -> list[Row | Bad]:
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    return list(_input(tmp_path, text, "jsonl").rows(channel))


def test_csv_rows_carry_their_line_the_recipient_as_given_and_the_data(tmp_path: Path) -> None:
    rows = list(
        _input(tmp_path, "\ufeffemail,first\r\n alice@example.com ,Ali\r\n\r\nbob@example.com,Bo\r\n").rows(None)
    )
    assert [(row.line, row.given) for row in rows] == [(2, "alice@example.com"), (4, "bob@example.com")]
    typed = list(_input(tmp_path, "email,first\nalice@example.com,Ali\n").rows(Channel.EMAIL))
    assert isinstance(typed[0], Row)
    assert isinstance(typed[0].message, np6.EmailMessage)
    assert typed[0].message.data == {"first": "Ali"}


def test_a_quoted_cell_over_two_lines_keeps_the_row_on_its_first_line(tmp_path: Path) -> None:
    rows = list(_input(tmp_path, 'email,note\na@example.com,"two\nlines"\nb@example.com,x\n').rows(Channel.EMAIL))
    assert [(row.line, row.given) for row in rows] == [(2, "a@example.com"), (4, "b@example.com")]


def test_csv_rows_that_cannot_be_sent_say_why(tmp_path: Path) -> None:
    text = "email,first\n,Nobody\nx@example.com\nok@example.com,Ok,extra\n" + "y" * 300 + "@example.com,Y\n"
    rows = list(_input(tmp_path, text).rows(Channel.EMAIL))
    assert [(row.line, row.reason) for row in rows if isinstance(row, Bad)] == [
        (2, "empty recipient value"),
        (3, "1 cells where the header has 2"),
        (4, "3 cells where the header has 2"),
        (5, "recipient value longer than 255 characters"),
    ]


@pytest.mark.parametrize(
    ("header", "column", "data", "no_data", "message"),
    [
        ([], None, None, False, "no header row"),
        (["email", "email"], None, None, False, "names a column twice: email"),
        (["email"], "phone", None, False, "no column 'phone'"),
        (["email", "a"], None, ["b"], False, "--data-columns names columns the CSV input does not have: b"),
    ],
)
def test_the_shape_of_a_csv_input_is_checked(
    header: list[str], column: str | None, data: list[str] | None, no_data: bool, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        csv_shape(header, column, data, no_data)


def test_the_shape_chooses_the_data_columns() -> None:
    assert csv_shape(["email", "a", "b"], None, None, False).data == ("a", "b")
    assert csv_shape(["a", "email", "b"], "email", ["b", "email", "b"], False).data == ("b",)
    assert csv_shape(["email", "a"], None, None, True).data == ()


def test_recipients_by_id_and_hash(tmp_path: Path) -> None:
    rows = list(_input(tmp_path, "id\n000ABC\n", recipient_type="id").rows(Channel.EMAIL))
    assert isinstance(rows[0], Row)
    assert rows[0].message == np6.Recipient.by_id("000ABC")
    hashed = list(_input(tmp_path, "h\nabc123\n", recipient_type="hash", no_data=True).rows(Channel.SMS))
    assert isinstance(hashed[0], Row)
    assert hashed[0].message == np6.Recipient.by_hash("abc123")


def test_json_lines_become_builder_messages_with_their_overrides(tmp_path: Path) -> None:
    rows = _jsonl(
        tmp_path,
        {
            "to": "a@example.com",
            "data": {"x": 1},
            "subject": "S",
            "sender": "news@example.com",
            "copies": ["boss@example.com", {"to": "audit@example.com", "blind": True}],
            "attachments": [{"name": "t.pdf", "mime": "application/pdf"}],
        },
        {"to": {"id": "000TGT"}, "sender": {"prefix": "n", "domain": "example.com"}},
        {"to": "b@example.com"},
    )
    first, second, third = rows
    assert isinstance(first, Row)
    assert isinstance(first.message, np6.EmailMessage)
    assert first.message.subject == "S"
    assert [copy.blind for copy in first.message.copies] == [False, True]
    assert isinstance(second, Row)
    assert second.given == '{"id":"000TGT"}'
    assert isinstance(third, Row)
    assert third.message == "b@example.com"  # a plain recipient: send_many makes it a message of the channel


def test_json_lines_as_np6_reads_them(tmp_path: Path) -> None:
    wire = {"recipient": {"type": "unicity", "value": ["c@example.com"]}, "data": {"x": "1"}}
    (row,) = _jsonl(tmp_path, wire, channel=Channel.SMS)
    assert isinstance(row, Row)
    assert isinstance(row.message, np6.models.SmsMessage)
    assert row.given == '{"type":"unicity","value":["c@example.com"]}'


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "a line must be a JSON object (one message), got list"),
        ({"data": {}}, "no `to` (the recipient)"),
        ({"to": "a@example.com", "recipient": {}}, "a message has `to` or `recipient`, not both"),
        ({"to": "a@example.com", "colour": "red"}, "unknown message field 'colour'"),
        ({"to": {"email": "a@example.com"}}, "got 'email'"),
        ({"to": {"id": "1", "hash": "2"}}, "has one key"),
        ({"to": 42}, "the recipient must be a string"),
        ({"to": "a@example.com", "copies": [3]}, "a copy is a recipient"),
        ({"recipient": 42}, "not a message NP6 can read"),
    ],
)
def test_json_lines_that_cannot_be_sent_say_why(tmp_path: Path, line: object, reason: str) -> None:
    (row,) = _jsonl(tmp_path, line)
    assert isinstance(row, Bad)
    assert reason in row.reason
    assert row.line == 1


def test_a_field_of_the_other_channel_is_refused_once_the_channel_is_known(tmp_path: Path) -> None:
    line = {"to": "+33600000000", "subject": "an SMS has no subject"}
    (unchecked,) = _jsonl(tmp_path, line, channel=Channel.EMAIL)
    assert isinstance(unchecked, Row)
    (row,) = _jsonl(tmp_path, line, channel=Channel.SMS)
    assert isinstance(row, Bad)
    assert "'subject' is not a field of an SMS message" in row.reason


def test_csv_options_do_not_apply_to_json_lines(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="apply to --csv input"):
        _input(tmp_path, "{}\n", "jsonl", column="email")
    with pytest.raises(BadInput, match="cannot be read: no such file"):
        open_input(
            tmp_path / "missing.csv", None, recipient_type="unicity", column=None, data_columns=None, no_data=False
        )
    with pytest.raises(BadInput, match="give the messages"):
        open_input(None, None, recipient_type="unicity", column=None, data_columns=None, no_data=False)


def test_an_unreadable_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"email\n\xe9@example.com\n")
    source = open_input(path, None, recipient_type="unicity", column=None, data_columns=None, no_data=False)
    with pytest.raises(BadInput, match="cannot be read"):
        list(source.rows(None))


def test_standard_input_is_read_once_and_its_copy_gives_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"email,first\na@example.com,A\nb@example.com,B\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    source = open_input(Path("-"), None, recipient_type="unicity", column=None, data_columns=None, no_data=False)
    assert source.label == "stdin"
    try:
        first = [(row.line, row.given) for row in source.rows(None)]
        second = [(row.line, row.given) for row in source.rows(Channel.EMAIL)]
        assert first == second == [(2, "a@example.com"), (3, "b@example.com")]
        assert source.columns == ("email", "first")
    finally:
        source.close()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"subject": 5}, "'subject' must be a JSON string, got int"),
        ({"urgent": "yes"}, "'urgent' must be a JSON boolean"),
        ({"data": ["x"]}, "'data' must be a JSON object"),
        ({"bogus": 1}, "'bogus' is not a field of an EmailMessage"),
    ],
)
def test_a_message_as_np6_reads_it_is_checked_field_by_field(
    tmp_path: Path, fields: dict[str, object], reason: str
) -> None:
    line = {"recipient": {"type": "unicity", "value": ["a@example.com"]}, **fields}
    (row,) = _jsonl(tmp_path, line)
    assert isinstance(row, Bad)
    assert reason in row.reason


def test_json_constants_and_lone_surrogates_are_bad_rows(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path, '{"to": "a@example.com", "data": {"x": NaN}}', '{"to": "\\ud800@example.com"}')
    reasons = [row.reason for row in rows if isinstance(row, Bad)]
    assert len(reasons) == 2
    assert "NaN is not a number JSON can carry" in reasons[0]
    assert "lone surrogate" in reasons[1]


def test_an_sms_message_as_np6_reads_it_has_no_subject(tmp_path: Path) -> None:
    line = {"recipient": {"type": "unicity", "value": ["+33600000000"]}, "subject": "S"}
    (row,) = _jsonl(tmp_path, line, channel=Channel.SMS)
    assert isinstance(row, Bad)
    assert "'subject' is not a field of an SmsMessage" in row.reason
