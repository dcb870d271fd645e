"""send_many accounts for every message exactly once, whatever the fake server does to each batch.

The fake server keeps the truth: which requests it processed (and so which messages NP6 would have delivered)
and what it answered. The report is checked against that truth, never against the client's own view.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import np6
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import RecipientByUnicity

from tests.sending.batch_faults import FAULTS, after_processing, instant_policy, refusal

ACTION = "000ABC"


def address(i: int) -> str:
    return f"user{i}@example.com"


@dataclass
class FakeNP6:
    faults: list[str]
    unknown_recipients: frozenset[str] = frozenset()
    processed: Counter[str] = field(default_factory=Counter)
    # For each processed message: what the server answered ("success", "error" or "unclear").
    answered: dict[str, str] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    requests: int = 0

    def _values(self, request: httpx.Request) -> list[str]:
        assert request.headers["content-type"] == "application/vnd.np6.cm.email"
        assert request.url.path == f"/actions/{ACTION}/executions"
        return [message["recipient"]["value"][0] for message in json.loads(request.content)]

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        values = self._values(request)
        fault = self.faults.pop(0) if self.faults else "ok"
        refused = refusal(fault, request, self.requests)
        if refused is not None:
            return refused
        for value in values:
            self.processed[value] += 1
        results = [self._result(value) for value in values]
        if fault == "ok":
            for value, result in zip(values, results, strict=True):
                self.answered[value] = result["type"]
            return httpx.Response(200, json=results, headers={"x-request-id": f"req-{self.requests}"})
        for value in values:
            self.answered[value] = "unclear"
        return after_processing(fault, results, request)

    def _result(self, value: str) -> dict[str, Any]:
        if value in self.unknown_recipients:
            recipient = {"type": "unicity", "value": [value]}
            return {"type": "error", "value": {"type": "recipientNotFound", "recipient": recipient}}
        footprint = {"type": "footprint", "id": f"T-{value}", "unicity": value, "hash": "h"}
        return {"type": "success", "id": f"M-{value}", "recipient": footprint}

    def expected(self, value: str) -> np6.Outcome:
        if self.processed[value] == 0:
            return np6.Outcome.FAILED
        return {"success": np6.Outcome.SENT, "error": np6.Outcome.REJECTED, "unclear": np6.Outcome.UNKNOWN}[
            self.answered[value]
        ]


def sync_send(server: FakeNP6, messages: list[Any], batch_size: int, max_retries: int = 2) -> np6.SendReport:
    transport = httpx.MockTransport(server.answer)
    policy = instant_policy(max_retries)
    with np6.Client("k", base_url="http://127.0.0.1", transport=transport, retry_policy=policy) as client:
        return client.actions.send_many(ACTION, iter(messages), channel="email", batch_size=batch_size)


def async_send(
    server: FakeNP6, messages: list[Any], batch_size: int, concurrency: int, max_retries: int = 2
) -> np6.SendReport:
    async def handler(request: httpx.Request) -> httpx.Response:
        server.in_flight += 1
        server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            await asyncio.sleep(0.001)  # let the other workers start their requests
            return server.answer(request)
        finally:
            server.in_flight -= 1

    async def run() -> np6.SendReport:
        transport = httpx.MockTransport(handler)
        policy = instant_policy(max_retries)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport, retry_policy=policy) as c:
            return await c.actions.send_many(
                ACTION, messages, channel="email", batch_size=batch_size, concurrency=concurrency
            )

    return asyncio.run(run())


def check_against_server(report: np6.SendReport, server: FakeNP6, messages: list[str], invalid: set[int]) -> None:
    assert len(report) == len(messages)
    assert [item.index for item in report] == list(range(len(messages)))
    assert sum(report.counts.values()) == len(messages)
    # NP6 never processed a message twice: the library sent nothing again after a possibly processed request.
    assert all(count == 1 for count in server.processed.values()), server.processed.most_common(3)
    for item, value in zip(report, messages, strict=True):
        if item.index in invalid:
            assert item.outcome is np6.Outcome.REJECTED
            assert "invalid input" in (item.reason or "")
            assert server.processed[value] == 0
            continue
        assert item.outcome is server.expected(value), (item, value)
        assert item.recipient == {"type": "unicity", "value": [value]}
        if item.outcome is np6.Outcome.SENT:
            assert item.message_id == f"M-{value}"
            assert item.footprint is not None
            assert item.footprint.unicity == value
        elif item.outcome in (np6.Outcome.FAILED, np6.Outcome.UNKNOWN):
            assert item.reason
    retryable = {m.recipient.value[0] for m in report.retryable() if isinstance(m.recipient, RecipientByUnicity)}
    assert retryable == {v for i, v in enumerate(messages) if i not in invalid and server.processed[v] == 0}


scenarios = st.tuples(
    st.integers(min_value=0, max_value=60),  # messages
    st.integers(min_value=1, max_value=12),  # batch size
    st.lists(st.sampled_from(FAULTS), max_size=12),  # faults, one per request in arrival order
    st.sets(st.integers(min_value=0, max_value=59), max_size=6),  # recipients NP6 cannot resolve
    st.sets(st.integers(min_value=0, max_value=59), max_size=3),  # invalid inputs (refused by the client)
)


def build(count: int, unknown: set[int], invalid: set[int]) -> tuple[list[str], list[str], frozenset[str]]:
    values = [address(i) for i in range(count)]
    inputs = ["   " if i in invalid else value for i, value in enumerate(values)]
    return values, inputs, frozenset(address(i) for i in unknown)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_every_message_once_sync(scenario: tuple[int, int, list[str], set[int], set[int]]) -> None:
    count, batch_size, faults, unknown, invalid = scenario
    invalid = {i for i in invalid if i < count}
    values, inputs, unresolvable = build(count, unknown, invalid)
    server = FakeNP6(list(faults), unresolvable)
    report = sync_send(server, inputs, batch_size)
    check_against_server(report, server, values, invalid)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios, st.integers(min_value=1, max_value=4))
def test_every_message_once_async(scenario: tuple[int, int, list[str], set[int], set[int]], concurrency: int) -> None:
    count, batch_size, faults, unknown, invalid = scenario
    invalid = {i for i in invalid if i < count}
    values, inputs, unresolvable = build(count, unknown, invalid)
    server = FakeNP6(list(faults), unresolvable)
    report = async_send(server, inputs, batch_size, concurrency)
    check_against_server(report, server, values, invalid)
    assert server.max_in_flight <= concurrency


def test_concurrency_is_reached_and_bounded() -> None:
    server = FakeNP6([])
    values = [address(i) for i in range(400)]
    report = async_send(server, values, batch_size=10, concurrency=5)
    assert report.sent == 400
    assert server.max_in_flight == 5


def test_async_iterable_input_is_consumed_lazily() -> None:
    pulled = 0

    async def messages() -> Any:
        nonlocal pulled
        for i in range(95):
            pulled += 1
            yield address(i)

    server = FakeNP6([])
    seen_when_first_request: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if not seen_when_first_request:
            seen_when_first_request.append(pulled)
        return server.answer(request)

    async def run() -> np6.SendReport:
        transport = httpx.MockTransport(handler)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as client:
            return await client.actions.send_many(ACTION, messages(), channel="email", batch_size=10, concurrency=2)

    report = asyncio.run(run())
    assert report.sent == 95
    assert seen_when_first_request[0] <= 30, "the input was read ahead of what the workers can hold"


def test_413_splits_until_each_half_fits() -> None:
    server = FakeNP6(["413", "413", "413"])
    values = [address(i) for i in range(8)]
    report = sync_send(server, values, batch_size=8)
    assert report.sent == 8
    assert server.requests == 3 + 4  # 8 -> 4+4 (first 4 -> 2+2), then 2, 2, 4
    assert all(count == 1 for count in server.processed.values())


def test_413_on_a_single_message_fails_it() -> None:
    server = FakeNP6(["413"])
    report = sync_send(server, [address(0)], batch_size=1)
    assert report.failed == 1
    assert "413" in (report[0].reason or "")


def test_stopping_error_fails_the_rest_without_requests() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, headers={"x-request-id": "req-409"})

    transport = httpx.MockTransport(answer)
    calls = 0

    def counted(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return answer(request)

    transport = httpx.MockTransport(counted)
    with np6.Client("k", base_url="http://127.0.0.1", transport=transport) as client:
        report = client.actions.send_many(ACTION, [address(i) for i in range(50)], channel="email", batch_size=10)
    assert calls == 1
    assert report.failed == 50
    assert isinstance(report.stopped_by, np6.ConflictError)
    assert report[0].request_id == "req-409"
    assert "stopped" in (report[49].reason or "")


def test_unrecognised_result_type_is_unknown_for_that_message_only() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        results: list[dict[str, Any]] = [
            {"type": "success", "id": "M-0"},
            {"type": "queued", "id": "Q-1"},
        ]
        return httpx.Response(200, json=results)

    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
        report = client.actions.send_many(ACTION, [address(0), "", address(1)], channel="email")
    assert [item.outcome for item in report] == [np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.UNKNOWN]
    assert "queued" in (report[2].reason or "")


def test_mixed_inputs_and_channel_mismatch() -> None:
    server = FakeNP6([])
    messages: list[Any] = [
        address(0),
        np6.Recipient.by_unicity(address(1)),
        np6.EmailMessage(address(2)),
        np6.SmsMessage("+33600000000", text="hi"),
        EmailMessageModel(recipient=RecipientByUnicity(type_="unicity", value=[address(3)])),
    ]
    transport = httpx.MockTransport(server.answer)
    with np6.Client("k", base_url="http://127.0.0.1", transport=transport) as client:
        report = client.actions.send_many(ACTION, messages, channel="email")
    assert [item.outcome for item in report] == [
        np6.Outcome.SENT,
        np6.Outcome.SENT,
        np6.Outcome.SENT,
        np6.Outcome.REJECTED,
        np6.Outcome.SENT,
    ]
    assert "SMS message cannot be sent" in (report[3].reason or "")
    assert sorted(server.processed) == [address(i) for i in range(4)]


def test_progress_exports_and_summary(tmp_path: Any) -> None:
    server = FakeNP6(["503", "503", "503"], frozenset({address(3)}))
    progress: list[np6.SendProgress] = []
    transport = httpx.MockTransport(server.answer)
    with np6.Client("k", base_url="http://127.0.0.1", transport=transport, retry_policy=instant_policy()) as client:
        report = client.actions.send_many(
            ACTION, [address(i) for i in range(7)], channel="email", batch_size=3, on_progress=progress.append
        )
    assert report.counts == {"sent": 3, "rejected": 1, "failed": 3, "unknown": 0}
    assert [p.done for p in progress] == [3, 6, 7]
    assert not report.ok
    report.to_csv(tmp_path / "r.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert [row["outcome"] for row in rows] == ["failed"] * 3 + ["rejected", "sent", "sent", "sent"]
    assert rows[4]["message_id"] == f"M-{address(4)}"
    assert json.loads(rows[0]["recipient"]) == {"type": "unicity", "value": [address(0)]}
    buffer = io.StringIO()
    report.to_jsonl(buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [line["outcome"] for line in lines] == [row["outcome"] for row in rows]
    assert "3 sent, 1 rejected, 3 failed, 0 unknown" in report.summary()
    again = [m.to_dict() for m in report.retryable()]
    assert again == [{"recipient": {"type": "unicity", "value": [address(i)]}} for i in range(3)]


def test_fast_path_wire_form_is_what_the_generated_models_produce() -> None:
    from np6._content.channel import Channel
    from np6._sending.batches import BatchSender
    from np6._sending.report import Recorder

    sender = BatchSender(None, ACTION, Channel.EMAIL, Recorder.new(ACTION, Channel.EMAIL))  # type: ignore[arg-type]
    (fast,) = json.loads(sender.prepare(["a@x.io"]).body())
    (typed,) = json.loads(sender.prepare([np6.EmailMessage("a@x.io")]).body())
    model = EmailMessageModel(recipient=RecipientByUnicity(type_="unicity", value=["a@x.io"]))
    assert fast == typed == model.to_dict()


@pytest.mark.parametrize(
    ("options", "match"),
    [
        *(({"channel": "email", "batch_size": bad}, "batch_size") for bad in [0, -1, 10_001, 2.5, True]),
        ({"channel": 5}, "channel"),
    ],
    ids=[*(f"batch_size={bad}" for bad in [0, -1, 10_001, 2.5, True]), "a channel that is not a name"],
)
def test_bad_options_are_refused_before_any_request(options: dict[str, Any], match: str) -> None:
    server = FakeNP6([])
    with (
        np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(server.answer)) as client,
        pytest.raises(np6.InvalidInputError, match=match),
    ):
        client.actions.send_many(ACTION, [address(0)], **options)
    assert server.requests == 0


def test_a_single_string_is_not_a_message_iterable() -> None:
    transport = httpx.MockTransport(FakeNP6([]).answer)
    with (
        np6.Client("k", base_url="http://127.0.0.1", transport=transport) as client,
        pytest.raises(np6.InvalidInputError, match="single string"),
    ):
        client.actions.send_many(ACTION, "a@x.io", channel="email")  # type: ignore[arg-type]


# Recipients: any text but control characters (refused: no address or phone number holds one) and lone
# surrogates (they cannot be encoded).
RECIPIENT_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1)


@given(st.lists(RECIPIENT_TEXT.filter(lambda v: not v.isspace()), min_size=1, max_size=20))
def test_fast_body_is_the_json_of_the_generated_models(values: list[str]) -> None:
    from np6._content.channel import Channel
    from np6._sending.batches import BatchSender
    from np6._sending.report import Recorder

    sender = BatchSender(None, ACTION, Channel.EMAIL, Recorder.new(ACTION, Channel.EMAIL))  # type: ignore[arg-type]
    prepared = sender.prepare(values)
    models = [EmailMessageModel(recipient=RecipientByUnicity(type_="unicity", value=[v])).to_dict() for v in values]
    assert json.loads(prepared.body()) == models
    assert prepared.body() == json.dumps(models, separators=(",", ":"), ensure_ascii=False).encode()


def test_one_stray_message_does_not_choose_the_channel_of_the_whole_send() -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.method == "GET":
            return httpx.Response(200, json={"type": "mailMessage", "id": ACTION})
        return FakeNP6([]).answer(request)

    messages: list[Any] = [address(0), np6.SmsMessage("+33600000001"), address(1)]
    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
        report = client.actions.send_many(ACTION, messages, batch_size=2)
    assert [item.outcome for item in report] == [np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.SENT]
    assert requests[0].method == "GET", "the action's type decides, looked up once"
    assert all(r.headers["content-type"] == "application/vnd.np6.cm.email" for r in requests[1:])


def test_a_first_batch_of_typed_messages_names_the_channel_without_a_lookup() -> None:
    server = FakeNP6([])
    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(server.answer)) as client:
        report = client.actions.send_many(ACTION, [np6.EmailMessage(address(i)) for i in range(3)])
    assert report.sent == 3
    assert server.requests == 1


def test_text_that_cannot_be_encoded_is_rejected_alone() -> None:
    server = FakeNP6([])
    messages = [address(0), "bad\udc80@example.com", address(1)]
    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(server.answer)) as client:
        report = client.actions.send_many(ACTION, messages, channel="email")
        with pytest.raises(np6.InvalidInputError, match="UTF-8"):
            client.actions.send(ACTION, "bad\udc80@example.com", channel="email")
    assert [item.outcome for item in report] == [np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.SENT]
    assert report[1].message is None
    assert report[1].input == "bad\\udc80@example.com"
    buffer = io.StringIO()
    report.to_jsonl(buffer)  # the refused input is written escaped, not as an unencodable string
    assert json.loads(buffer.getvalue().splitlines()[1])["input"] == "bad\\udc80@example.com"


@pytest.mark.parametrize("concurrency", [1, 3])
def test_an_exception_in_on_progress_stops_the_send_with_its_report(concurrency: int) -> None:
    server = FakeNP6([])

    def fail(_: np6.SendProgress) -> None:
        raise RuntimeError("progress display broke")

    with (
        np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(server.answer)) as client,
        pytest.raises(np6.SendAborted, match="progress display broke") as caught,
    ):
        client.actions.send_many(
            ACTION, [address(i) for i in range(50)], channel="email", batch_size=5, on_progress=fail
        )
    assert server.requests == 1
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert caught.value.report.counts == {"sent": 5, "rejected": 0, "failed": 0, "unknown": 0}

    async_server = FakeNP6([])

    async def run() -> np6.SendReport:
        transport = httpx.MockTransport(async_server.answer)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as aclient:
            return await aclient.actions.send_many(
                ACTION,
                [address(i) for i in range(50)],
                channel="email",
                batch_size=5,
                concurrency=concurrency,
                on_progress=fail,
            )

    with pytest.raises(np6.SendAborted, match="progress display broke") as async_caught:
        asyncio.run(run())
    assert async_server.requests <= concurrency + 1, "the send went on after on_progress raised"
    partial = async_caught.value.report
    # Batches already in flight finish and are accounted; nothing else was taken from the input.
    assert partial.sent == 5 * async_server.requests == len(partial)
    assert set(async_server.processed) == {item.recipient["value"][0] for item in partial}
