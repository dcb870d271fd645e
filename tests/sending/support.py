"""Helpers of the send-journal tests: fake NP6 servers that keep the truth, strict checks of what went on the wire,
and snapshots of a journal as a process killed at that instant would leave it on disk.

Two fakes:
- `FakeNP6`, in process (`httpx.MockTransport`, sync and async), with faults per request, hostile answers and hooks
  that can kill the "process" (raise `ProcessDeath`) before or after NP6 processed a request;
- `LoopbackNP6`, a real HTTP server on 127.0.0.1 (threads), for senders in other processes that the tests SIGKILL.

Both record every message they process: the tests check the reports against that record, never against the
client's own view.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import np6

from tests.sending.batch_faults import after_processing, instant_policy, refusal

ACTION = "000ABC"


def address(i: int) -> str:
    return f"user{i}@example.com"


def phone(i: int) -> str:
    return f"+336{i:08d}"


class ProcessDeath(BaseException):
    """Raised from a transport to stand for the death of the sending process at that instant."""


class WireError(AssertionError):
    pass


def _no_constant(name: str) -> Any:
    raise WireError(f"non-standard JSON constant {name} on the wire")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise WireError(f"duplicate names in a JSON object on the wire: {sorted(k for k in keys if keys.count(k) > 1)}")
    return dict(pairs)


def strict_json(body: bytes) -> Any:
    """A request body as a strict reader sees it: UTF-8 (no surrogates), RFC 8259 JSON, no NaN/Infinity, no
    duplicate names. Raises WireError (an AssertionError) for anything else."""
    try:
        text = body.decode("utf-8")  # strict: a lone surrogate encoded as UTF-8 bytes is refused too
    except UnicodeDecodeError as exc:
        raise WireError(f"request body is not UTF-8: {exc}") from exc
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise WireError(f"request body is not JSON: {exc}") from exc


def wire_values(body: bytes) -> list[str]:
    """The unicity values of a send body (a JSON array of messages), checked strictly."""
    messages = strict_json(body)
    assert isinstance(messages, list), messages
    values = []
    for message in messages:
        recipient = message["recipient"]
        assert recipient["type"] == "unicity", recipient
        (value,) = recipient["value"]
        values.append(value)
    return values


def success(value: str) -> dict[str, Any]:
    footprint = {"type": "footprint", "id": f"T-{value}", "unicity": value, "hash": "h"}
    return {"type": "success", "id": f"M-{value}", "recipient": footprint}


def not_found(value: str) -> dict[str, Any]:
    recipient = {"type": "unicity", "value": [value]}
    return {"type": "error", "value": {"type": "recipientNotFound", "recipient": recipient}}


# FakeNP6 takes one fault per request, in arrival order (retries included): see tests/sending/batch_faults.py.

Hook = Callable[[int, str, list[str]], None]
"""Called with (request number, phase, values): phase "before" (nothing processed yet) or "after" (processed, not
answered). May raise (ProcessDeath) to kill the sender at that instant."""


@dataclass
class FakeNP6:
    """An in-process NP6 for `/actions/{id}/executions`. `answers` maps a request number (1-based, retries
    included) to a function giving the HTTP answer after NP6 processed it (hostile answers)."""

    faults: list[str] = field(default_factory=list)
    unknown_recipients: frozenset[str] = frozenset()
    channel: str = "email"
    answers: dict[int, Callable[[list[str]], httpx.Response]] = field(default_factory=dict)
    hook: Hook | None = None
    async_delay: float = 0.001
    block: dict[int, asyncio.Event] = field(default_factory=dict)  # async: request number -> wait before processing
    processed: Counter[str] = field(default_factory=Counter)
    answered: dict[str, str] = field(default_factory=dict)  # value -> "success" | "error" | "unclear"
    entered: Counter[str] = field(default_factory=Counter)  # values whose request reached the server
    in_flight: dict[int, list[str]] = field(default_factory=dict)  # request number -> values, until answered
    bodies: list[bytes] = field(default_factory=list)
    requests: int = 0
    max_in_flight: int = 0
    dead: bool = False  # after the sender's "death": nothing is processed any more
    # Values whose request was handed to the transport after the death (other batches in parallel, before the
    # death reached them): never processed, but the client cannot know that.
    after_death: Counter[str] = field(default_factory=Counter)

    # ---------------------------------------------------------------------------------------- sync
    def answer(self, request: httpx.Request) -> httpx.Response:
        number, values = self._receive(request)
        try:
            return self._answer(number, values, request)
        finally:
            self.in_flight.pop(number, None)

    # --------------------------------------------------------------------------------------- async
    async def async_answer(self, request: httpx.Request) -> httpx.Response:
        number, values = self._receive(request)
        self.max_in_flight = max(self.max_in_flight, len(self.in_flight))
        try:
            await asyncio.sleep(self.async_delay)  # let the other workers start their requests
            if number in self.block:
                await self.block[number].wait()
            if self.dead:  # a dead sender never gets an answer (nor processes anything): its request ends here
                raise ProcessDeath("the sender died while this request was in flight")
            return self._answer(number, values, request)
        finally:
            self.in_flight.pop(number, None)

    # ------------------------------------------------------------------------------------- shared
    def _receive(self, request: httpx.Request) -> tuple[int, list[str]]:
        if self.dead:
            self.after_death.update(wire_values(request.content))
            raise ProcessDeath("the sender is dead: nothing more reaches the server")
        assert request.method == "POST"
        assert request.url.path == f"/actions/{ACTION}/executions", request.url
        assert request.headers["content-type"] == f"application/vnd.np6.cm.{self.channel}"
        self.requests += 1
        body = request.content
        self.bodies.append(body)
        values = wire_values(body)
        self.entered.update(values)
        self.in_flight[self.requests] = values
        return self.requests, values

    def _answer(self, number: int, values: list[str], request: httpx.Request) -> httpx.Response:
        if self.hook is not None:
            self.hook(number, "before", values)
        fault = self.faults.pop(0) if self.faults else "ok"
        if number in self.answers:
            fault = "custom"
        refused = refusal(fault, request, number)
        if refused is not None:
            return refused
        self.processed.update(values)
        results = [not_found(v) if v in self.unknown_recipients else success(v) for v in values]
        for value in values:
            self.answered[value] = "unclear"
        if self.hook is not None:
            self.hook(number, "after", values)
        if fault == "custom":
            return self.answers[number](values)
        if fault == "ok":
            for value, result in zip(values, results, strict=True):
                self.answered[value] = result["type"]
            return httpx.Response(200, json=results, headers={"x-request-id": f"req-{number}"})
        return after_processing(fault, results, request)

    def expected(self, value: str) -> np6.Outcome:
        if self.processed[value] == 0:
            return np6.Outcome.FAILED
        return {"success": np6.Outcome.SENT, "error": np6.Outcome.REJECTED, "unclear": np6.Outcome.UNKNOWN}[
            self.answered[value]
        ]


def _options(answer: Any, policy: np6.RetryPolicy | None) -> dict[str, Any]:
    """A client's options over `answer` (the fake's sync or async handler), retrying without waiting by default."""
    return {
        "base_url": "http://127.0.0.1",
        "transport": httpx.MockTransport(answer),
        "retry_policy": policy or instant_policy(),
    }


def sync_client(server: FakeNP6, policy: np6.RetryPolicy | None = None) -> np6.Client:
    return np6.Client("k", **_options(server.answer, policy))


def async_client(server: FakeNP6, policy: np6.RetryPolicy | None = None) -> np6.AsyncClient:
    return np6.AsyncClient("k", **_options(server.async_answer, policy))


def send(
    mode: str,
    server: FakeNP6,
    messages: Iterable[Any],
    *,
    concurrency: int = 3,
    policy: np6.RetryPolicy | None = None,
    **options: Any,
) -> np6.SendReport:
    """One send_many with the sync client (mode "sync") or the async one ("async", with `concurrency`)."""
    options.setdefault("channel", server.channel)
    if mode == "sync":
        with sync_client(server, policy) as client:
            return client.actions.send_many(ACTION, messages, **options)

    async def run() -> np6.SendReport:
        async with async_client(server, policy) as client:
            return await client.actions.send_many(ACTION, messages, concurrency=concurrency, **options)

    return asyncio.run(run())


def outcome_of(mode: str, server: FakeNP6, messages: Iterable[Any], **options: Any) -> tuple[np6.SendReport, Any]:
    """`send`, and what it raised (None when it returned): (report, error). The report of an interrupted send is
    the one the exception carries."""
    try:
        return send(mode, server, messages, **options), None
    except BaseException as error:  # the tests look at what it raised
        report = np6.SendInterrupted.report_of(error)
        if report is None and error.__cause__ is not None:
            report = np6.SendInterrupted.report_of(error.__cause__)
        if report is None:
            raise
        return report, error


def check_complete(report: np6.SendReport, count: int) -> None:
    """One outcome per message, in input order, counts that add up."""
    assert len(report) == count
    assert [item.index for item in report] == list(range(count))
    assert sum(report.counts.values()) == count
    for outcome in np6.Outcome:
        assert report.count(outcome) == sum(1 for item in report if item.outcome is outcome)


def values_by_outcome(report: np6.SendReport) -> dict[np6.Outcome, set[str]]:
    found: dict[np6.Outcome, set[str]] = {outcome: set() for outcome in np6.Outcome}
    for item in report:
        recipient = item.recipient
        if recipient is not None:
            found[item.outcome].add(recipient["value"][0])
    return found


def outcomes(report: np6.SendReport) -> list[str]:
    return [item.outcome.value for item in report]


def check_exports(report: np6.SendReport, directory: Path) -> None:
    """The report can be written out (CSV and JSON lines files): one row per message."""
    report.to_csv(directory / "report.csv")
    report.to_jsonl(directory / "report.jsonl")
    lines = (directory / "report.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == outcomes(report)


# ------------------------------------------------------------------------------------------- journals


def snapshot(journal: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
    """Copy a journal (and its write-ahead log) as it is on disk now: what a process killed at this instant
    leaves behind. Only call it between two journal writes (from a transport, say)."""
    source = os.fspath(journal)
    target = os.fspath(destination)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, target + suffix)


def journal_rows(journal: str | os.PathLike[str]) -> list[tuple[int, int, int]]:
    """(id, state, count) of every batch row, read with a plain SQLite connection (after the send is over)."""
    db = sqlite3.connect(os.fspath(journal))
    try:
        return list(db.execute("SELECT id, state, count FROM batches ORDER BY id"))
    finally:
        db.close()


IN_FLIGHT = 1  # np6._sending.journal.State.IN_FLIGHT, as the journal's docstring documents it


def in_flight_rows(journal: str | os.PathLike[str]) -> int:
    return sum(1 for _, state, _ in journal_rows(journal) if state == IN_FLIGHT)


# ------------------------------------------------------------------------------------ loopback server


class LoopbackNP6:
    """A real HTTP NP6 on 127.0.0.1 (a thread per connection) for senders in other processes.

    It processes every well-formed send (records its messages) before answering one success per message, after
    `latency` seconds. `arm()` sets up the kill points of the next run, by request number from now on:
    `block_at=k`: the k-th request is recorded, then `blocked` is set and the answer waits for `release`;
    `signal_at=k`: `answered` is set once the k-th answer has been written and flushed; `started` is set on the
    first request of the run. With `refuse_every=n`, every n-th request is answered 503 without being processed.
    """

    def __init__(self, latency: float = 0.002) -> None:
        self.latency = latency
        self.refuse_every: int | None = None  # every n-th request gets a 503, unprocessed (the sender: `failed`)
        self.lock = threading.Lock()
        self.processed: Counter[str] = Counter()
        self.batches: list[list[str]] = []
        self.bad: list[str] = []
        self.requests = 0
        self.blocked = threading.Event()
        self.release = threading.Event()
        self.answered = threading.Event()
        self.started = threading.Event()
        self._block_at: int | None = None
        self._signal_at: int | None = None
        self._watch_from = 1
        self._active = 0
        self._idle = threading.Condition(self.lock)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one answer is two writes: no 40 ms delayed-ACK stall

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                with owner.lock:
                    owner._active += 1
                try:
                    owner._handle(self)
                finally:
                    with owner.lock:
                        owner._active -= 1
                        owner._idle.notify_all()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def arm(self, *, block_at: int | None = None, signal_at: int | None = None) -> None:
        with self.lock:
            base = self.requests
            self._block_at = None if block_at is None else base + block_at
            self._signal_at = None if signal_at is None else base + signal_at
            self._watch_from = base + 1
            for event in (self.blocked, self.release, self.answered, self.started):
                event.clear()

    def wait_idle(self, timeout: float = 20) -> None:
        """Until no request is being handled (after a kill: the server has recorded all it received)."""
        with self._idle:
            assert self._idle.wait_for(lambda: self._active == 0, timeout), "the server stays busy"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length)
        if len(body) < length:  # the sender died while writing it: NP6 never got the whole request
            return
        path_ok = handler.path == f"/actions/{ACTION}/executions"
        try:
            values = wire_values(body) if path_ok else []
        except (WireError, KeyError, TypeError, ValueError) as exc:
            with self.lock:
                self.bad.append(f"{exc}: {body[:200]!r}")
            values = None
        if not path_ok or values is None:
            self._reply(handler, 400, b"")
            return
        with self.lock:
            self.requests += 1
            number = self.requests
            if self.refuse_every and number % self.refuse_every == 0:
                refuse = True
            else:
                refuse = False
                self.processed.update(values)
            self.batches.append(values)
            block = number == self._block_at
            signal = number == self._signal_at
            if number >= self._watch_from:
                self.started.set()
        if refuse:
            self._reply(handler, 503, b"", number)
            if signal:
                self.answered.set()
            return
        if block:
            self.blocked.set()
            self.release.wait(30)
        time.sleep(self.latency)
        payload = json.dumps([success(v) for v in values]).encode()
        self._reply(handler, 200, payload, number)
        if signal:
            self.answered.set()

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, payload: bytes, number: int = 0) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.send_header("x-request-id", f"req-{number}")
            handler.end_headers()
            handler.wfile.write(payload)
            handler.wfile.flush()
        except OSError:  # the sender was killed: nobody reads the answer
            pass

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
