"""Failures in the middle of a send_many: one bad message, one hostile answer, the caller's code raising, Ctrl-C and
cancellation. Each must cost exactly what it touches (that message, that batch, what was in flight), never raise
out of send_many for something NP6 answered, never put invalid JSON on the wire, and leave a report (and a
journal) with one outcome per message taken from the input that agrees with what the fake server processed.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import np6
import pytest

from tests.sending.support import (
    ACTION,
    FakeNP6,
    address,
    async_client,
    check_complete,
    check_exports,
    outcome_of,
    outcomes,
    phone,
    send,
    strict_json,
    sync_client,
    values_by_outcome,
)

SENT, REJECTED, FAILED, UNKNOWN = np6.Outcome.SENT, np6.Outcome.REJECTED, np6.Outcome.FAILED, np6.Outcome.UNKNOWN


def nested(depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    inner = data
    for _ in range(depth):
        inner["a"] = {}
        inner = inner["a"]
    return data


BAD = 5  # the index of the bad message in a send of 10, batches of 4: the middle of the second batch

# name -> (channel, the bad message); its recipient is the BAD-th address (or phone number), so the tests can tell
# whether it reached the server.
UNENCODABLE: dict[str, tuple[str, Callable[[], Any]]] = {
    "object-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={"x": object()})),
    "lone-surrogate-in-sms-text": ("sms", lambda: np6.SmsMessage(phone(BAD), text="caf\udce9 au lait")),
    "lone-surrogate-in-a-data-key": ("email", lambda: np6.EmailMessage(address(BAD), data={"\ud800": 1})),
    "set-in-extra": ("email", lambda: np6.EmailMessage(address(BAD), extra={"tags": {"a", "b"}})),
    "nan-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={"score": math.nan})),
    "infinity-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={"score": math.inf})),
    "minus-infinity-in-sms-data": ("sms", lambda: np6.SmsMessage(phone(BAD), data={"score": -math.inf})),
    "deeply-nested-data": ("email", lambda: np6.EmailMessage(address(BAD), data=nested(50_000))),
    "bytes-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={"raw": b"\xff"})),
    "tuple-key-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={(1, 2): "x"})),
    "huge-int-in-data": ("email", lambda: np6.EmailMessage(address(BAD), data={"n": 10**5000})),
}


def _inputs(channel: str, bad: Any, count: int = 10) -> tuple[list[Any], list[str]]:
    recipient = address if channel == "email" else phone
    values = [recipient(i) for i in range(count)]
    return [bad if i == BAD else value for i, value in enumerate(values)], values


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
@pytest.mark.parametrize("case", sorted(UNENCODABLE))
def test_a_message_that_cannot_be_encoded_is_rejected_alone(
    mode: str, case: str, journaled: bool, tmp_path: Path
) -> None:
    channel, make = UNENCODABLE[case]
    messages, values = _inputs(channel, make())
    server = FakeNP6(channel=channel)
    journal = tmp_path / "send.np6journal" if journaled else None
    report = send(mode, server, messages, batch_size=4, journal=journal)

    check_complete(report, 10)
    assert outcomes(report) == ["rejected" if i == BAD else "sent" for i in range(10)]
    refused = report[BAD]
    assert (refused.reason or "").startswith("invalid input (not sent)"), refused.reason
    assert refused.message is None
    assert isinstance(refused.input, str)
    refused.input.encode("utf-8")  # printable: the exports can write it
    # Nothing invalid went out, and the bad message not at all; the others exactly once.
    for body in server.bodies:
        strict_json(body)
    assert values[BAD] not in server.entered
    assert server.processed == {v: 1 for i, v in enumerate(values) if i != BAD}
    assert report.retryable() == []
    check_exports(report, tmp_path)
    if journal is not None:
        assert outcomes(np6.SendReport.open(journal)) == outcomes(report)
        # Resuming with the same input sends nothing again (the refused message is refused again).
        requests = server.requests
        again = send(mode, server, _inputs(channel, make())[0], batch_size=4, journal=journal)
        assert outcomes(again) == outcomes(report)
        assert server.requests == requests


def single_send(mode: str, server: FakeNP6, message: Any) -> Any:
    """`client.actions.send` with the sync or the async client."""
    if mode == "sync":
        with sync_client(server) as client:
            return client.actions.send(ACTION, message, channel=server.channel)

    async def run() -> Any:
        async with async_client(server) as client:
            return await client.actions.send(ACTION, message, channel=server.channel)

    return asyncio.run(run())


@pytest.mark.parametrize("case", sorted(UNENCODABLE))
def test_a_single_send_of_a_message_that_cannot_be_encoded_makes_no_request(mode: str, case: str) -> None:
    channel, make = UNENCODABLE[case]
    server = FakeNP6(channel=channel)
    message = make()
    with pytest.raises(np6.InvalidInputError) as caught:
        single_send(mode, server, message)
    assert caught.value.outcome_unknown is False
    assert server.requests == 0


def test_keys_that_collide_once_encoded_are_refused(mode: str) -> None:
    messages, _ = _inputs("email", np6.EmailMessage(address(BAD), data={1: "int key", "1": "str key"}))
    server = FakeNP6()
    report = send(mode, server, messages, batch_size=4)
    assert report[BAD].outcome is REJECTED
    for body in server.bodies:
        strict_json(body)


# ------------------------------------------------------------------------------------------ hostile answers


def _deep_results(values: list[str]) -> httpx.Response:
    first = b'{"type":"success","id":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    rest = b"".join(b"," + json.dumps(success_result(v)).encode() for v in values[1:])
    return httpx.Response(200, content=b"[" + first + rest + b"]", headers={"content-type": "application/json"})


def success_result(value: str) -> dict[str, Any]:
    return {"type": "success", "id": f"M-{value}"}


def _results(values: list[str]) -> bytes:
    return json.dumps([success_result(v) for v in values]).encode()


HOSTILE: dict[str, Callable[[list[str]], httpx.Response]] = {
    "deeply-nested-json": lambda v: httpx.Response(200, content=b"[" * 500_000 + b"]" * 500_000),
    "deeply-nested-result": _deep_results,
    "html-200": lambda v: httpx.Response(
        200, content=b"<!doctype html><html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
    ),
    "empty-200": lambda v: httpx.Response(200, content=b""),
    "object-not-array": lambda v: httpx.Response(200, json={"results": [success_result(x) for x in v]}),
    "huge-integer": lambda v: httpx.Response(
        200, content=("[" + ",".join('{"type":"success","id":' + "9" * 6000 + "}" for _ in v) + "]").encode()
    ),
    "invalid-utf8": lambda v: httpx.Response(200, content=_results(v).replace(b'"M-', b'"\xff\xfe', 1)),
    "204-no-content": lambda v: httpx.Response(204),
    "truncated-gzip": lambda v: httpx.Response(
        200, content=gzip.compress(_results(v))[:20], headers={"content-encoding": "gzip"}
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_answer_makes_that_batch_unknown(mode: str, case: str, tmp_path: Path) -> None:
    server = FakeNP6(answers={2: HOSTILE[case]})
    values = [address(i) for i in range(12)]
    report = send(mode, server, values, batch_size=4, concurrency=1, journal=tmp_path / "j.np6journal")
    check_complete(report, 12)
    assert outcomes(report) == ["sent"] * 4 + ["unknown"] * 4 + ["sent"] * 4
    assert all(report[i].reason for i in range(4, 8))
    assert report.retryable() == []
    assert server.processed == dict.fromkeys(values, 1)
    assert outcomes(np6.SendReport.open(tmp_path / "j.np6journal")) == outcomes(report)


def _broken_gzip(values: list[str]) -> httpx.Response:
    return httpx.Response(
        200, content=b"this is not gzip", headers={"content-encoding": "gzip", "content-type": "application/json"}
    )


def test_an_answer_that_cannot_be_decoded_makes_that_batch_unknown(mode: str) -> None:
    server = FakeNP6(answers={2: _broken_gzip})
    report, error = outcome_of(mode, server, [address(i) for i in range(12)], batch_size=4, concurrency=1)
    assert error is None, f"send_many raised for something NP6 answered: {error!r}"
    assert outcomes(report) == ["sent"] * 4 + ["unknown"] * 4 + ["sent"] * 4


def test_a_single_send_with_an_undecodable_answer_is_outcome_unknown(mode: str) -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return _broken_gzip([])

    async def answer_async(request: httpx.Request) -> httpx.Response:
        return answer(request)

    def send() -> None:
        if mode == "sync":
            with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(answer)) as client:
                client.actions.send(ACTION, address(0), channel="email")
            return

        async def run() -> None:
            transport = httpx.MockTransport(answer_async)
            async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as client:
                await client.actions.send(ACTION, address(0), channel="email")

        asyncio.run(run())

    with pytest.raises(np6.NP6Error) as caught:
        send()
    assert caught.value.outcome_unknown is True
    assert [r.url.path for r in requests] == [f"/actions/{ACTION}/execution"], "an unknown outcome is not retried"


RATE_LIMIT_HEADERS = {
    "inf": {"x-ratelimit-limit": "inf", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "inf"},
    "1e400": {"x-ratelimit-limit": "1e400", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1e400"},
    "nan": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "nan"},
    "5000-digits": {"x-ratelimit-limit": "9" * 5000, "x-ratelimit-remaining": "0", "x-ratelimit-reset": "9" * 5000},
    "negative": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "-30"},
    "arabic-digits": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "\u0663\u0660"},
    "far-future-epoch": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(2**52)},
    "garbage": {"x-ratelimit-limit": "lots", "x-ratelimit-remaining": "-1", "x-ratelimit-reset": "soon"},
}


@pytest.mark.parametrize("case", sorted(RATE_LIMIT_HEADERS))
def test_odd_rate_limit_headers_on_success_are_ignored(mode: str, case: str) -> None:
    headers = RATE_LIMIT_HEADERS[case]
    encoded = {k: v.encode("utf-8") for k, v in headers.items()}
    server = FakeNP6(
        answers={n: (lambda v: httpx.Response(200, content=_results(v), headers=encoded)) for n in range(1, 5)}
    )
    slept: list[float] = []

    async def async_sleep(seconds: float) -> None:
        slept.append(seconds)

    policy = np6.RetryPolicy(max_retries=2, sleep=slept.append, async_sleep=async_sleep, jitter=lambda: 0.0)
    report = send(mode, server, [address(i) for i in range(12)], batch_size=4, policy=policy)
    assert outcomes(report) == ["sent"] * 12
    assert slept == [], f"a header that is not a plausible wait made the client wait: {slept}"


@pytest.mark.parametrize("case", sorted(RATE_LIMIT_HEADERS))
def test_odd_rate_limit_headers_on_429_fall_back_to_the_backoff(mode: str, case: str) -> None:
    headers = {**RATE_LIMIT_HEADERS[case], "retry-after": RATE_LIMIT_HEADERS[case].get("x-ratelimit-reset", "x")}
    encoded = {k: v.encode("utf-8") for k, v in headers.items()}
    server = FakeNP6(answers={})
    calls = {"n": 0}
    original = server._answer

    def answer(number: int, values: list[str], request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers=encoded)
        return original(number, values, request)

    server._answer = answer  # type: ignore[method-assign]
    slept: list[float] = []

    async def async_sleep(seconds: float) -> None:
        slept.append(seconds)

    policy = np6.RetryPolicy(
        max_retries=2, sleep=slept.append, async_sleep=async_sleep, jitter=lambda: 0.0, backoff_base=0.5
    )
    report = send(mode, server, [address(i) for i in range(8)], batch_size=4, policy=policy, concurrency=1)
    assert outcomes(report) == ["sent"] * 8
    assert slept, "the 429 was not retried after a wait"
    assert all(0 <= s <= 60 for s in slept), slept


# --------------------------------------------------------------------------------- the caller's code raising


class BadRow(Exception):
    pass


def rows_failing_at(count: int, fail_at: int, pulled: list[int]) -> Iterator[str]:
    for i in range(count):
        if i == fail_at:
            raise BadRow(f"row {i} cannot be read")
        pulled.append(i)
        yield address(i)


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
def test_an_input_that_raises_at_message_150(mode: str, journaled: bool, tmp_path: Path) -> None:
    server = FakeNP6()
    pulled: list[int] = []
    journal = tmp_path / "send.np6journal" if journaled else None
    report, error = outcome_of(mode, server, rows_failing_at(300, 150, pulled), batch_size=40, journal=journal)

    assert isinstance(error, np6.SendAborted)
    assert isinstance(error, np6.NP6Error)
    assert isinstance(error, np6.SendInterrupted)
    assert isinstance(error.__cause__, BadRow)
    assert error.report is report
    assert pulled == list(range(150))
    check_complete(report, 150)  # exactly the messages taken before the error, each once
    by = values_by_outcome(report)
    taken = {address(i) for i in range(150)}
    assert set(server.entered) <= taken, "a message after the failing one reached the server"
    assert by[SENT] == set(server.processed)
    assert all(count == 1 for count in server.processed.values())
    assert by[UNKNOWN] == by[REJECTED] == set()
    assert by[FAILED] == taken - set(server.processed)
    assert not by[FAILED] & set(server.entered)
    if mode == "sync":  # batches of 40: 0-119 sent, 120-149 taken with the error, never started
        assert by[FAILED] == {address(i) for i in range(120, 150)}
    assert {m.recipient.value[0] for m in report.retryable()} == by[FAILED]  # type: ignore[union-attr]
    if journal is None:
        return
    assert outcomes(np6.SendReport.open(journal)) == outcomes(report)
    # The same send again, with an input that no longer fails: the rest goes, nothing twice.
    final = send(mode, server, (address(i) for i in range(300)), batch_size=40, journal=journal)
    check_complete(final, 300)
    assert final.counts == {"sent": 300, "rejected": 0, "failed": 0, "unknown": 0}
    assert server.processed == {address(i): 1 for i in range(300)}


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
def test_on_progress_raising_stops_the_send_with_an_exact_report(mode: str, journaled: bool, tmp_path: Path) -> None:
    server = FakeNP6()
    calls: list[np6.SendProgress] = []

    def progress(state: np6.SendProgress) -> None:
        calls.append(state)
        if len(calls) == 2:
            raise RuntimeError("the progress bar broke")

    journal = tmp_path / "send.np6journal" if journaled else None
    values = [address(i) for i in range(100)]
    report, error = outcome_of(mode, server, iter(values), batch_size=5, journal=journal, on_progress=progress)
    assert isinstance(error, np6.SendAborted)
    assert isinstance(error.__cause__, RuntimeError)
    check_complete(report, len(report))
    by = values_by_outcome(report)
    assert by[SENT] == set(server.processed) == set(server.entered)
    assert all(count == 1 for count in server.processed.values())
    assert by[FAILED] | by[SENT] == set(values[: len(report)])
    # It stopped: in flight when on_progress raised finished, nothing else started.
    assert server.requests <= (2 if mode == "sync" else 2 + 3)
    assert len(calls) == 2, "on_progress was called again after it raised"
    if journal is None:
        return
    final = send(mode, server, iter(values), batch_size=5, journal=journal)
    assert final.counts == {"sent": 100, "rejected": 0, "failed": 0, "unknown": 0}
    assert server.processed == dict.fromkeys(values, 1)


@pytest.mark.parametrize("bad", [42, "print", object()], ids=["int", "str", "object"])
def test_on_progress_that_is_not_callable_is_refused_before_anything(mode: str, bad: Any, tmp_path: Path) -> None:
    server = FakeNP6()
    pulled: list[int] = []
    journal = tmp_path / "send.np6journal"
    with pytest.raises(np6.InvalidInputError, match="on_progress"):
        send(mode, server, rows_failing_at(10, 99, pulled), on_progress=bad, journal=journal)
    assert server.requests == 0
    assert pulled == []
    assert not journal.exists()


# ------------------------------------------------------------------------------------- Ctrl-C, cancellation


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
@pytest.mark.parametrize("phase", ["before", "after"], ids=["before-processing", "after-processing"])
def test_keyboard_interrupt_inside_the_transport(phase: str, journaled: bool, tmp_path: Path) -> None:
    def hook(number: int, when: str, values: list[str]) -> None:
        if number == 3 and when == phase:
            raise KeyboardInterrupt

    server = FakeNP6(hook=hook)
    journal = tmp_path / "send.np6journal" if journaled else None
    values = [address(i) for i in range(30)]
    report, error = outcome_of("sync", server, iter(values), batch_size=5, journal=journal)
    assert isinstance(error, np6.SendKeyboardInterrupt)
    assert isinstance(error, KeyboardInterrupt)
    assert error.report is report
    check_complete(report, 15)  # three batches taken, no more
    assert outcomes(report) == ["sent"] * 10 + ["unknown"] * 5
    assert set(server.processed) == set(values[: 10 if phase == "before" else 15])
    if journal is None:
        return
    assert outcomes(np6.SendReport.open(journal)) == outcomes(report)
    server.hook = None
    final = send("sync", server, iter(values), batch_size=5, journal=journal)
    assert outcomes(final) == ["sent"] * 10 + ["unknown"] * 5 + ["sent"] * 15
    assert all(count == 1 for count in server.processed.values())
    # Asked explicitly, the unknown batch is sent again (accepting a duplicate), once.
    again = send("sync", server, iter(values), batch_size=5, journal=journal, resend_unknown=True)
    assert outcomes(again) == ["sent"] * 30
    assert server.processed == {v: 2 if 10 <= i < 15 and phase == "after" else 1 for i, v in enumerate(values)}


async def _blocked_send(server: FakeNP6, values: list[str], journal: Path | None, how: str) -> BaseException:
    """Run a send whose requests from the 4th on never get an answer, and stop it by `how` once the three workers
    are all waiting; returns what it raised."""
    for number in range(4, 100):
        server.block[number] = asyncio.Event()
    async with async_client(server) as client:
        sending = client.actions.send_many(
            ACTION, values, channel="email", batch_size=5, concurrency=3, journal=journal
        )
        try:
            if how == "wait_for":
                await asyncio.wait_for(sending, timeout=0.3)
            elif how == "timeout":
                async with asyncio.timeout(0.3):
                    await sending
            else:
                task = asyncio.ensure_future(sending)
                while len(server.in_flight) < 3 or server.requests < 6:
                    await asyncio.sleep(0.005)
                await asyncio.sleep(0.01)
                task.cancel()
                await task
        except BaseException as error:
            return error
    raise AssertionError("the send was not stopped")


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
@pytest.mark.parametrize("how", ["cancel", "wait_for", "timeout"])
def test_cancellation_while_requests_are_pending(how: str, journaled: bool, tmp_path: Path) -> None:
    server = FakeNP6()
    values = [address(i) for i in range(60)]
    journal = tmp_path / "send.np6journal" if journaled else None
    error = asyncio.run(_blocked_send(server, values, journal, how))
    if how == "cancel":
        assert type(error) is asyncio.CancelledError
        cancelled: BaseException = error
    else:
        assert isinstance(error, TimeoutError)
        assert isinstance(error.__cause__, asyncio.CancelledError)
        cancelled = error.__cause__
    report = np6.SendInterrupted.report_of(cancelled)
    assert report is not None
    # Requests 1-3 answered, 4-6 waiting when it was stopped; the main loop waits for a slot before taking more.
    check_complete(report, 30)
    assert outcomes(report) == ["sent"] * 15 + ["unknown"] * 15
    assert set(server.processed) == set(values[:15])
    assert set(server.entered) == set(values[:30])
    if journal is None:
        return
    assert outcomes(np6.SendReport.open(journal)) == outcomes(report)
    server.block.clear()
    final = send("async", server, values, batch_size=5, journal=journal)
    assert outcomes(final) == ["sent"] * 15 + ["unknown"] * 15 + ["sent"] * 30
    assert all(count == 1 for count in server.processed.values())
    assert not set(values[15:30]) & set(server.processed), "an unknown batch was sent again"


def test_a_custom_base_exception_from_the_transport_propagates_as_itself(mode: str, tmp_path: Path) -> None:
    class Stop(BaseException):
        pass

    def hook(number: int, when: str, values: list[str]) -> None:
        if number == 2 and when == "after":
            raise Stop

    server = FakeNP6(hook=hook)
    values = [address(i) for i in range(20)]
    report, error = outcome_of(mode, server, values, batch_size=4, concurrency=1, journal=tmp_path / "j")
    assert type(error) is Stop
    assert outcomes(report) == ["sent"] * 4 + ["unknown"] * 4
    assert outcomes(np6.SendReport.open(tmp_path / "j")) == outcomes(report)


@pytest.mark.parametrize("where", ["transport", "on_progress"])
def test_keyboard_interrupt_in_an_async_worker_keeps_the_partial_report(where: str, tmp_path: Path) -> None:
    server, progress = _interrupting(where)
    with pytest.raises(KeyboardInterrupt) as caught:
        send("async", server, [address(i) for i in range(40)], batch_size=5, concurrency=2, on_progress=progress)
    assert np6.SendInterrupted.report_of(caught.value) is not None


def _interrupting(where: str) -> tuple[FakeNP6, Callable[[np6.SendProgress], None] | None]:
    def hook(number: int, when: str, values: list[str]) -> None:
        if number == 3 and when == "after":
            raise KeyboardInterrupt

    calls: list[int] = []

    def progress(_: np6.SendProgress) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt

    if where == "transport":
        return FakeNP6(hook=hook), None
    return FakeNP6(), progress


@pytest.mark.parametrize("where", ["transport", "on_progress"])
def test_keyboard_interrupt_in_an_async_worker_leaves_a_safe_journal(where: str, tmp_path: Path) -> None:
    server, progress = _interrupting(where)
    journal = tmp_path / "send.np6journal"
    values = [address(i) for i in range(40)]
    with pytest.raises(KeyboardInterrupt):
        send("async", server, values, batch_size=5, concurrency=2, on_progress=progress, journal=journal)
    recorded = np6.SendReport.open(journal)
    check_complete(recorded, len(recorded))
    by = values_by_outcome(recorded)
    assert not by[FAILED] & set(server.processed)
    assert by[SENT] <= set(server.processed) <= by[SENT] | by[UNKNOWN]
    final = send("async", server, values, batch_size=5, journal=journal)
    check_complete(final, 40)
    assert all(count == 1 for count in server.processed.values())
    assert "failed" not in outcomes(final)


@pytest.mark.parametrize(
    "mode",
    [
        "sync",
        pytest.param("async"),
    ],
)
def test_ctrl_c_inside_the_input_iterator_keeps_what_it_gave(mode: str, tmp_path: Path) -> None:
    pulled: list[int] = []
    _check_interrupted_input(mode, _rows_until_ctrl_c(pulled), pulled, tmp_path)


def test_ctrl_c_inside_an_async_input_iterator_keeps_what_it_gave(tmp_path: Path) -> None:
    pulled: list[int] = []

    async def rows() -> Any:
        for row in _rows_until_ctrl_c(pulled):
            yield row

    report = _check_interrupted_input("async", rows(), pulled, tmp_path)
    assert outcomes(np6.SendReport.open(tmp_path / "j")) == outcomes(report)


def _rows_until_ctrl_c(pulled: list[int]) -> Iterator[str]:
    """Twelve addresses (noted in `pulled` as they are taken), then Ctrl-C."""
    for i in range(40):
        if i == 12:
            raise KeyboardInterrupt
        pulled.append(i)
        yield address(i)


def _check_interrupted_input(mode: str, rows: Any, pulled: list[int], tmp_path: Path) -> np6.SendReport:
    """A journaled send of `rows`, an input interrupted by Ctrl-C, keeps what it gave: each message taken once in the
    report, none that reached the server failed."""
    server = FakeNP6()
    report, error = outcome_of(mode, server, rows, batch_size=5, concurrency=2, journal=tmp_path / "j")
    assert isinstance(error, np6.SendKeyboardInterrupt)
    check_complete(report, len(report))
    assert len(report) == len(pulled) == 12, "messages taken from the input are missing from the report"
    by = values_by_outcome(report)
    assert by[SENT] <= set(server.processed)
    assert not by[FAILED] & set(server.entered)
    return report


def _escaped_surrogates(values: list[str]) -> httpx.Response:
    footprints = [{"type": "footprint", "id": f"T-{v}", "unicity": v} for v in values]
    body = json.dumps(
        [{"type": "success", "id": f"M-{v}", "recipient": f} for v, f in zip(values, footprints, strict=True)]
    )
    # JSON escapes of lone surrogates: valid JSON text, not representable in UTF-8 once decoded.
    return httpx.Response(200, content=body.replace('"M-', '"M-\\ud800').replace('"T-', '"T-\\udc80').encode())


@pytest.mark.parametrize("journaled", [False, True], ids=["memory", "journal"])
def test_a_report_with_hostile_ids_can_be_exported(mode: str, journaled: bool, tmp_path: Path) -> None:
    server = FakeNP6(answers={1: _escaped_surrogates})
    journal = tmp_path / "j" if journaled else None
    report = send(mode, server, [address(i) for i in range(3)], journal=journal)
    assert outcomes(report) == ["sent"] * 3
    check_exports(report, tmp_path)
