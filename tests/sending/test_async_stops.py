"""How an async send stops when its own machinery is hit: a journal write that fails while other batches are about
to start, a send cancelled twice, message content that raises a BaseException. NP6 processes a request as soon as
it arrives here (the fake answers later), as a real server does."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import np6
import pytest
from np6._sending import journal as _journal
from np6_generated.models import EmailMessage as EmailMessageModel
from np6_generated.models import RecipientByUnicity

ACTION = "000ABC"
MESSAGES = [f"user{i}@example.com" for i in range(40)]


class ProcessOnArrival:
    def __init__(self, delay: float = 0.01) -> None:
        self.processed: Counter[str] = Counter()
        self.delay = delay
        self.arrived = asyncio.Event()

    def _values(self, request: httpx.Request) -> list[str]:
        return [m["recipient"]["value"][0] for m in json.loads(request.content)]

    async def answer(self, request: httpx.Request) -> httpx.Response:
        values = self._values(request)
        self.processed.update(values)
        self.arrived.set()
        await asyncio.sleep(self.delay)
        return httpx.Response(200, json=[{"type": "success", "id": f"M-{v}"} for v in values])

    def answer_sync(self, request: httpx.Request) -> httpx.Response:
        values = self._values(request)
        self.processed.update(values)
        return httpx.Response(200, json=[{"type": "success", "id": f"M-{v}"} for v in values])


def _resume(server: ProcessOnArrival, journal: Path) -> np6.SendReport:
    with np6.Client("k", base_url="http://127.0.0.1", transport=httpx.MockTransport(server.answer_sync)) as client:
        return client.actions.send_many(ACTION, MESSAGES, channel="email", batch_size=5, journal=journal)


@pytest.mark.parametrize("failing_write", [2, 3, 5])
def test_after_a_journal_write_fails_no_batch_goes_out_unrecorded(tmp_path: Path, failing_write: int) -> None:
    server = ProcessOnArrival()
    journal = tmp_path / "send.np6journal"
    original = _journal.Journal.add
    calls = [0]

    def add(self: Any, *args: Any, **kwargs: Any) -> int:
        calls[0] += 1
        if calls[0] == failing_write:
            raise np6.JournalError("the send journal cannot be written: database or disk is full")
        return original(self, *args, **kwargs)

    async def run() -> None:
        transport = httpx.MockTransport(server.answer)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as client:
            await client.actions.send_many(
                ACTION, MESSAGES, channel="email", batch_size=5, concurrency=4, journal=journal
            )

    with mock.patch.object(_journal.Journal, "add", add), pytest.raises(np6.SendAborted) as caught:
        asyncio.run(run())
    partial = caught.value.report
    assert sum(partial.counts.values()) == len(partial)
    sent_first = set(server.processed)
    recorded = np6.SendReport.open(journal)
    on_record = {item.recipient["value"][0] for item in recorded if item.recipient is not None}
    assert sent_first <= on_record, "a batch went out without its record: a resume would send it again"
    final = _resume(server, journal)
    assert sum(final.counts.values()) == len(MESSAGES)
    assert max(server.processed.values()) == 1, server.processed.most_common(3)


def test_a_send_cancelled_twice_keeps_its_report_and_releases_the_journal(tmp_path: Path) -> None:
    server = ProcessOnArrival(delay=0.5)
    journal = tmp_path / "send.np6journal"
    caught: list[BaseException] = []

    async def run() -> None:
        transport = httpx.MockTransport(server.answer)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as client:
            task = asyncio.ensure_future(
                client.actions.send_many(
                    ACTION, MESSAGES, channel="email", batch_size=5, concurrency=4, journal=journal
                )
            )
            await server.arrived.wait()
            task.cancel()
            await asyncio.sleep(0)
            task.cancel()  # a timeout and a task group, or two signals
            try:
                await task
            except asyncio.CancelledError as error:
                caught.append(error)

    asyncio.run(run())
    assert caught, "the cancellation propagates as itself"
    partial = np6.SendInterrupted.report_of(caught[0])
    assert partial is not None
    assert partial.unknown == len(partial) == sum(server.processed.values())
    assert np6.SendReport.open(journal).counts == partial.counts  # reopened at once: the journal is released


class ExitsWhenSerialised(dict[str, Any]):
    def items(self) -> Any:
        raise SystemExit("user code exited while being serialised")


def _send_all(mode: str, server: ProcessOnArrival, messages: list[Any]) -> None:
    if mode == "sync":
        transport = httpx.MockTransport(server.answer_sync)
        with np6.Client("k", base_url="http://127.0.0.1", transport=transport) as client:
            client.actions.send_many(ACTION, messages, channel="email", batch_size=4)
        return

    async def run() -> None:
        transport = httpx.MockTransport(server.answer)
        async with np6.AsyncClient("k", base_url="http://127.0.0.1", transport=transport) as client:
            await client.actions.send_many(ACTION, messages, channel="email", batch_size=4, concurrency=1)

    asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_content_raising_a_base_exception_still_leaves_the_report(mode: str) -> None:
    server = ProcessOnArrival(delay=0.0)
    hostile = EmailMessageModel(recipient=RecipientByUnicity(type_="unicity", value=["x@example.com"]))
    hostile.additional_properties["data"] = ExitsWhenSerialised(a=1)
    messages: list[Any] = [*MESSAGES[:8], hostile]
    with pytest.raises(SystemExit) as caught:
        _send_all(mode, server, messages)
    partial = np6.SendInterrupted.report_of(caught.value)
    assert partial is not None
    assert len(partial) == len(messages) == sum(partial.counts.values())
    assert partial.sent == sum(server.processed.values()) == 8


def test_a_cancellation_while_waiting_to_retry_a_refused_send_is_failed_not_unknown() -> None:
    """A 429 says NP6 processed nothing: interrupted during the wait before its retry, the batch is `failed` (safe to
    send again), not `unknown`."""
    import asyncio

    import httpx
    import np6

    from tests.harness import mail_action

    async def scenario() -> np6.SendReport | None:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.method == "GET":
                return httpx.Response(200, json=mail_action("000ABC", state=50))
            return httpx.Response(429, headers={"retry-after": "30"})

        async with np6.AsyncClient("k-0123456789", transport=httpx.MockTransport(answer)) as client:
            task = asyncio.create_task(client.actions.send_many("000ABC", ["a@example.com", "b@example.com"]))
            await asyncio.sleep(0.2)  # the 429 is in; the batch waits 30 s to retry
            task.cancel()
            try:
                await task
            except asyncio.CancelledError as cancelled:
                return np6.SendInterrupted.report_of(cancelled)
        return None

    report = asyncio.run(scenario())
    assert report is not None
    assert [outcome.outcome for outcome in report] == [np6.Outcome.FAILED, np6.Outcome.FAILED]
    assert "refused unprocessed" in (report[0].reason or "")
