"""`to_csv` and `to_jsonl` write, byte for byte, what the report says of each message one by one.

The exports read each batch's decoded bodies straight, without a `MessageOutcome` per message (issue #15): the
reference here is the export as it was written before, row by row from `for item in report`, and every report a
send can leave is checked against it: sent, rejected (by NP6, and inputs refused before sending), failed and
unknown messages, notes on single messages, recipients of every kind, non-ASCII and lone surrogates, cells that
begin a formula, missing values; kept in memory, in the spool's file, in a journal, resumed with another batch
size (batches of scattered indexes), sent concurrently (batches recorded out of order) and reconciled.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from np6._content.channel import Channel
from np6._sending import report as report_module
from np6._sending.report import Evidence, Recorder

from tests.sending.batch_faults import instant_policy

ACTION = "000ABC"
COLUMNS = ("index", "outcome", "message_id", "recipient", "footprint_id", "reason", "request_id", "input")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ------------------------------------------------------------------------------------- the reference


def reference_rows(report: np6.SendReport) -> Iterator[dict[str, Any]]:
    """The rows as the export built them before issue #15: from each message's `MessageOutcome`."""
    for item in report:
        wire_result = item._wire_result
        footprint = wire_result.get("recipient") if wire_result and item.outcome is np6.Outcome.SENT else None
        yield {
            "index": item.index,
            "outcome": item.outcome.value,
            "message_id": item.message_id,
            "recipient": item.recipient,
            "footprint_id": footprint.get("id") if isinstance(footprint, dict) else None,
            "reason": item.reason,
            "request_id": item.request_id,
            "input": item.input,
        }


def reference_inert(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def reference_csv(report: np6.SendReport) -> str:
    stream = io.StringIO()
    writer: csv.DictWriter[str] = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in reference_rows(report):
        row["recipient"] = json.dumps(row["recipient"], separators=(",", ":"))
        writer.writerow({name: reference_inert(value) for name, value in row.items()})
    return stream.getvalue()


def reference_jsonl(report: np6.SendReport) -> str:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in reference_rows(report))


def check_exports(report: np6.SendReport, directory: Path) -> None:
    """Both exports equal the reference: to a text stream, and to a file (UTF-8, lone surrogates escaped)."""
    expected = {"csv": reference_csv(report), "jsonl": reference_jsonl(report)}
    for name, export in (("csv", report.to_csv), ("jsonl", report.to_jsonl)):
        stream = io.StringIO()
        export(stream)
        assert stream.getvalue() == expected[name], name
        path = directory / f"report.{name}"
        export(path)
        assert path.read_bytes() == expected[name].encode("utf-8", "backslashreplace"), name


# --------------------------------------------------------------------------------------- hostile NP6


def _footprint(sent: dict[str, Any], identifier: object) -> dict[str, Any]:
    """A footprint the client accepts for the recipient `sent` (it names the same contact), with `identifier`."""
    kind, value = sent.get("type"), sent.get("value")
    if kind == "unicity" and isinstance(value, list) and len(value) == 1:
        return {"type": "footprint", "id": identifier, "unicity": value[0], "hash": "h"}
    if kind == "hash":
        return {"type": "footprint", "id": identifier, "hash": value}
    if kind == "id":
        return {"type": "footprint", "id": value}
    return {"type": "footprint", "id": identifier}


Answer = Callable[[dict[str, Any], str], dict[str, Any]]
ANSWERS: list[Answer] = [
    lambda sent, text: {"type": "success", "id": f"M-{text}", "recipient": _footprint(sent, f"T-{text}")},
    lambda sent, text: {"type": "success", "id": '=HYPERLINK("http://evil.example","x")', "recipient": None},
    lambda sent, text: {"type": "success", "id": "-1+1", "recipient": _footprint(sent, "@SUM(1)")},
    lambda sent, text: {"type": "success", "id": 12345, "recipient": _footprint(sent, 67)},  # a message id not text
    lambda sent, text: {"type": "success", "id": "zoë-✓-\udc80", "recipient": _footprint(sent, "\t=1")},
    lambda sent, text: {"type": "success", "id": text},  # no footprint
    lambda sent, text: {"type": "error", "value": {"type": "recipientNotFound", "recipient": sent}},
    lambda sent, text: {"type": "error", "value": {"type": "+cmd|' /C calc'!A0"}},
    lambda sent, text: {"type": "error"},  # no kind: "rejected by NP6"
    lambda sent, text: {"type": "error", "value": {"type": 5}},
    lambda sent, text: {"type": "error", "value": {"type": ""}},
    lambda sent, text: {"type": "queued", "id": f"Q-{text}"},  # unrecognised: unknown, with a note
]
REQUEST_IDS = ["req-1", "=cmd|' /C calc'!A0", "réq-ø-\u2028", None]


class HostileNP6:
    """Answers request n with fault `faults[n]` ("ok" past the end): "ok", "503" (not processed: failed, without
    retries), "500" or "drop" (processed, unanswered: unknown), "short" (one result too few: unknown). An "ok"
    answer picks each message's result from ANSWERS by `choice` (of the request number, the message's position
    and its recipient)."""

    def __init__(self, faults: list[str] | None = None, choice: Callable[[int, int, str], int] | None = None) -> None:
        self.faults = faults or []
        self.choice = choice or (lambda number, position, text: zlib.crc32(text.encode()))
        self.requests = 0

    def answer(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST", request
        number = self.requests
        self.requests += 1
        fault = self.faults[number] if number < len(self.faults) else "ok"
        if fault == "503":
            return httpx.Response(503, headers={"retry-after": "0"})
        if fault == "drop":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if fault == "500":
            return httpx.Response(500)
        messages = json.loads(request.content)
        results = []
        for position, message in enumerate(messages):
            sent = message["recipient"]
            text = json.dumps(sent, ensure_ascii=False)
            results.append(ANSWERS[self.choice(number, position, text) % len(ANSWERS)](sent, text))
        if fault == "short":
            results = results[:-1]
        request_id = REQUEST_IDS[number % len(REQUEST_IDS)]
        headers = [] if request_id is None else [(b"x-request-id", request_id.encode())]  # UTF-8 on the wire
        # ensure_ascii (json.dumps's default): a lone surrogate is sent as its escape, as a hostile NP6 could.
        return httpx.Response(200, content=json.dumps(results).encode(), headers=headers)

    async def async_answer(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.001 * (self.requests % 3))  # batches answered out of order
        return self.answer(request)


def every_kind_of_input() -> list[Any]:
    """Recipients of every kind, non-ASCII and formula-like values, and inputs the client refuses."""
    return [
        "user0@example.com",
        "zoë@exämple.com",
        "用户@例子.cn",
        "=1+1@example.com",  # a valid unicity value that a spreadsheet would run
        "",  # refused: empty
        np6.Recipient.by_id("000PIZ76"),
        np6.Recipient.by_hash("5d41402abc4b2a76b9719d911017c592"),
        np6.Recipient.by_footprint(id="000XYZ", unicity="fp@example.com"),
        np6.Recipient.by_unicity("composite", "key"),
        np6.EmailMessage("typed@example.com", subject="Ünïcödé", data={"z": 1, "a": [1.5, None, {"k": "v"}]}),
        "bad\udc80@example.com",  # refused: cannot be encoded
        np6.SmsMessage("+33600000000", text="hi"),  # refused: an SMS in an e-mail send
        "=cmd\x00|' /C calc'!A0",  # refused (a control character), given as a formula
        "-\x01",
        42,  # refused: not a message
        None,
        *(f"user{i}@example.com" for i in range(1, 30)),
    ]


def send(
    server: HostileNP6, messages: list[Any], *, mode: str = "sync", concurrency: int = 3, **options: Any
) -> np6.SendReport:
    options.setdefault("channel", "email")
    settings: dict[str, Any] = {"base_url": "http://127.0.0.1", "retry_policy": instant_policy(0)}
    if mode == "sync":
        with np6.Client("k", transport=httpx.MockTransport(server.answer), **settings) as client:
            return client.actions.send_many(ACTION, messages, **options)

    async def run() -> np6.SendReport:
        transport = httpx.MockTransport(server.async_answer)
        async with np6.AsyncClient("k", transport=transport, **settings) as client:
            return await client.actions.send_many(ACTION, messages, concurrency=concurrency, **options)

    return asyncio.run(run())


FAULTS = ["ok", "503", "ok", "500", "short", "ok", "drop", "ok", "503", "ok", "ok", "ok"]


def test_every_outcome_and_kind_of_message(tmp_path: Path) -> None:
    report = send(HostileNP6(FAULTS), every_kind_of_input(), batch_size=4)
    assert all(report.counts.values()), report.counts  # each outcome is there
    assert any(item.input is not None for item in report)
    assert any(item.reason and "unrecognised" in item.reason for item in report)  # a note
    check_exports(report, tmp_path)


def test_every_outcome_sent_concurrently(tmp_path: Path) -> None:
    report = send(HostileNP6(FAULTS), every_kind_of_input(), mode="async", batch_size=3, concurrency=3)
    check_exports(report, tmp_path)


def test_bodies_in_the_spool_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "SPOOL_IN_MEMORY_BYTES", 500)
    report = send(HostileNP6(FAULTS), every_kind_of_input(), batch_size=4)
    assert report._spool is not None
    assert report._spool._file is not None
    check_exports(report, tmp_path)


def test_a_journal_and_the_report_it_opens_as(tmp_path: Path) -> None:
    journal = tmp_path / "send.np6journal"
    report = send(HostileNP6(FAULTS), every_kind_of_input(), batch_size=4, journal=journal)
    assert report.journal_path is not None
    check_exports(report, tmp_path)
    check_exports(np6.SendReport.open(journal), tmp_path)


def test_a_resume_with_another_batch_size(tmp_path: Path) -> None:
    """The resume sends the failed messages again in batches of scattered indexes, which the first batches no
    longer hold: the rows still come in input order, each from the batch that holds it now."""
    journal = tmp_path / "send.np6journal"
    messages = every_kind_of_input()
    first = send(HostileNP6(["503", "ok", "503", "500", "503"]), messages, batch_size=4, journal=journal)
    assert first.failed
    check_exports(first, tmp_path)
    resumed = send(HostileNP6(["ok", "503"]), messages, batch_size=3, journal=journal)
    assert any(batch.indexes is not None for batch in resumed._batches)
    check_exports(resumed, tmp_path)
    check_exports(np6.SendReport.open(journal), tmp_path)


def test_a_reconciled_report(tmp_path: Path) -> None:
    """Unknown messages proven sent (their reason and message id from the event) and the others looked for."""
    journal = tmp_path / "send.np6journal"
    report = send(HostileNP6(FAULTS), every_kind_of_input(), batch_size=4, journal=journal)
    unanswered = [item.index for item in report.outcomes(np6.Outcome.UNKNOWN) if item.result is None]
    noted = [item.index for item in report.outcomes(np6.Outcome.UNKNOWN) if item.result is not None]
    assert len(unanswered) >= 3
    assert noted
    found = {
        unanswered[0]: Evidence("activation", "=EV-1", None, "=M-1"),
        unanswered[1]: Evidence("click", None, None, None),
        noted[0]: Evidence("open", "EV-2", None, "M-2"),  # its message id is the one NP6 answered
    }
    Recorder(report).confirm(found, checked_at=1_700_000_000.5)
    assert report[unanswered[0]].message_id == "=M-1"
    assert report[unanswered[2]].reason is not None
    assert "no event found" in report[unanswered[2]].reason
    check_exports(report, tmp_path)
    check_exports(np6.SendReport.open(journal), tmp_path)


def test_sms_and_an_empty_report(tmp_path: Path) -> None:
    sms = send(HostileNP6(["ok", "500"]), ["+33600000001", "+33600000002", "", "+33 6 00"], channel="sms", batch_size=2)
    check_exports(sms, tmp_path)
    check_exports(send(HostileNP6(), [], batch_size=2), tmp_path)


# ----------------------------------------------------------------------------------- any report at all

TEXT = st.text(max_size=8)
INPUTS = st.one_of(
    TEXT.map(lambda text: f"{text}@example.com"),
    TEXT,  # empty, blank, control characters, lone surrogates: refused
    st.sampled_from(every_kind_of_input()[:16]),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    messages=st.lists(INPUTS, max_size=30),
    batch_size=st.integers(min_value=1, max_value=7),
    faults=st.lists(st.sampled_from(["ok", "ok", "503", "500", "short", "drop"]), max_size=8),
    choices=st.lists(st.integers(min_value=0, max_value=len(ANSWERS) - 1), min_size=1, max_size=12),
    mode=st.sampled_from(["sync", "async"]),
)
def test_any_report(
    messages: list[Any], batch_size: int, faults: list[str], choices: list[int], mode: str, tmp_path: Path
) -> None:
    def choice(number: int, position: int, text: str) -> int:
        return choices[(number * 5 + position) % len(choices)]

    # A typed SMS message first would make the e-mail send refuse the whole input: a plain address comes first.
    report = send(HostileNP6(faults, choice), ["first@example.com", *messages], mode=mode, batch_size=batch_size)
    check_exports(report, tmp_path)


def test_a_report_with_messages_not_recorded_yet(tmp_path: Path) -> None:
    """While a send runs, messages taken from the input may have no outcome yet: the exports skip them, as
    iteration does."""
    recorder = Recorder.new(ACTION, Channel.EMAIL)
    recorder.reserve(5)
    body = json.dumps([{"recipient": {"type": "unicity", "value": [f"u{i}@example.com"]}} for i in (1, 2)])
    pending = recorder.begin(range(1, 3), body.encode(), None)
    recorder.record(pending, bytes([report_module.CODE[np6.Outcome.FAILED]] * 2), None, reason="=not sent")
    report = recorder.report
    assert [item.index for item in report] == [1, 2]
    check_exports(report, tmp_path)
