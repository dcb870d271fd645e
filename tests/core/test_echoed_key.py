"""A server (or a proxy) that echoes the request's headers back, in its bodies and its headers: the key must appear
in no error text or attribute, no pickled error, no report, no export, no journal and no CLI output.

The server is real, on a loopback socket; the key is a realistic one, long enough to be scrubbed everywhere.
"""

from __future__ import annotations

import csv
import http.server
import json
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import np6
import pytest

from tests.harness import mail_action

KEY = "sk-live-7d3f9a2b4c6e8f0a1b3c5d7e9f1a3b5c"


class EchoingHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with what it received: the request headers in the body and in its own headers."""

    def _echo(self) -> str:
        return "\n".join(f"{name}: {value}" for name, value in self.headers.items())

    def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", f"req-{self.headers.get('X-Key')}")
        self.send_header("X-Echo", self.headers.get("X-Key", ""))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        key = self.headers.get("X-Key", "")
        if self.path == "/actions/000REASON":  # the key in the status line and in a header's name
            self.send_response(400, f"Bad {key}")
            self.send_header(f"X-{key}", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/actions/000HUGE":  # an answer over the size limit, whose body is never read
            self.send_response(200)
            self.send_header("X-Request-Id", f"req-{key}")
            self.send_header("Content-Length", str(20 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(key.encode() * (20 * 1024 * 1024 // len(key)))
            return
        if self.path == "/actions/000GARBLED":  # a header line httpcore cannot parse, and quotes
            self.wfile.write(f"HTTP/1.1 200 OK\r\nx-echo {key}\r\n\r\n".encode())
            return
        if self.path == "/actions/000ECHO":
            self._answer(200, json.dumps(mail_action("000ECHO", state=50)).encode())
        elif self.path == "/actions/000BROKEN":
            self._answer(200, f"not json {self._echo()}".encode(), "text/plain")
        else:
            self._answer(404, f"<html>no such page; you sent:\n{self._echo()}</html>".encode(), "text/html")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        messages = json.loads(self.rfile.read(length)) if length else []
        key = self.headers.get("X-Key")
        if self.path == "/actions/000ECHO/executions":
            results = [
                {"type": "success", "id": f"msg-{key}"}
                if index % 2 == 0
                else {"type": "error", "value": {"type": f"refused {key}", "detail": self._echo()}}
                for index, _ in enumerate(messages)
            ]
            self._answer(200, json.dumps(results).encode())
        else:
            self._answer(500, f"internal error, headers were {self._echo()}".encode(), "text/plain")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _assert_clean(text: str | bytes, where: str) -> None:
    data = text if isinstance(text, bytes) else text.encode()
    assert KEY.encode() not in data, f"the key is in {where}: {data[:400]!r}"


def _assert_error_clean(error: BaseException) -> None:
    _assert_clean(str(error), "str(error)")
    _assert_clean(repr(error), "repr(error)")
    _assert_clean("".join(traceback.format_exception(error)), "the traceback")
    te = traceback.TracebackException.from_exception(error, capture_locals=True)
    _assert_clean("".join(te.format()), "the traceback with locals")
    _assert_clean(pickle.dumps(error), "the pickled error")
    for name, value in vars(error).items():
        _assert_clean(repr(value), f"error.{name}")
    for attribute in ("body", "request_id"):
        value = getattr(error, attribute, None)
        if value is not None:
            _assert_clean(value, f"error.{attribute}")
    headers = getattr(error, "headers", None)
    if headers is not None:
        _assert_clean(repr(dict(headers)), "error.headers")


@pytest.mark.parametrize(
    ("call", "error_type"),
    [
        (lambda c: c.actions.get("000MISSING"), np6.NotFoundError),
        (lambda c: c.actions.get("000BROKEN"), np6.ResponseParseError),
        (lambda c: c.actions.send("000OTHER", "a@example.com", channel=np6.Channel.EMAIL), np6.APIStatusError),
        (lambda c: c.actions.get("000REASON"), np6.BadRequestError),
        (lambda c: c.actions.get("000HUGE"), np6.ResponseTooLargeError),
        (lambda c: c.actions.get("000GARBLED"), np6.APIConnectionError),
    ],
    ids=["a 404 page", "an unparseable 200", "a 500 on a send", "reason phrase", "too large", "garbled header"],
)
def test_errors_carry_no_echoed_key(base_url: str, call: Any, error_type: type[BaseException]) -> None:
    with np6.Client(KEY, base_url=base_url, max_retries=0) as client, pytest.raises(error_type) as caught:
        call(client)
    _assert_error_clean(caught.value)
    response = getattr(caught.value, "response", None)
    if response is not None:
        _assert_clean(repr(response.headers.multi_items()), "error.response.headers")
        _assert_clean(response.reason_phrase, "error.response.reason_phrase")


def test_httpx_log_lines_carry_no_echoed_key(base_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level("DEBUG"),
        np6.Client(KEY, base_url=base_url, max_retries=0) as client,
        pytest.raises(np6.BadRequestError),
    ):
        client.actions.get("000REASON")
    assert caplog.records, "httpx logs each answer"
    for record in caplog.records:
        _assert_clean(record.getMessage(), f"a log line of {record.name}")


def test_the_async_client_scrubs_the_same_way(base_url: str) -> None:
    import asyncio

    async def scenario() -> BaseException:
        async with np6.AsyncClient(KEY, base_url=base_url, max_retries=0) as client:
            try:
                await client.actions.get("000MISSING")
            except np6.NotFoundError as error:
                return error
        raise AssertionError("no error")

    _assert_error_clean(asyncio.run(scenario()))


def test_reports_exports_and_journals_carry_no_echoed_key(base_url: str, tmp_path: Path) -> None:
    recipients = [f"user{i}@example.com" for i in range(6)]
    journal = tmp_path / "send.journal"
    with np6.Client(KEY, base_url=base_url, max_retries=0) as client:
        report = client.actions.send_many("000ECHO", recipients, batch_size=3, journal=journal)
        failed = client.actions.send_many("000OTHER", recipients[:2], channel=np6.Channel.EMAIL)
    assert (report.sent, report.rejected) == (4, 2)
    assert failed.unknown == 2
    for each in (report, failed):
        for outcome in each:
            for value in (outcome.reason, outcome.message_id, outcome.request_id, repr(outcome)):
                if value is not None:
                    _assert_clean(value, "a report outcome")
        _assert_clean(repr(each.summary()), "the summary")
    assert any("[redacted]" in (outcome.reason or "") for outcome in report)
    report.to_csv(tmp_path / "report.csv")
    report.to_jsonl(tmp_path / "report.jsonl")
    failed.to_csv(tmp_path / "failed.csv")
    for name in ("report.csv", "report.jsonl", "failed.csv"):
        _assert_clean((tmp_path / name).read_bytes(), name)
    with (tmp_path / "report.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 6
    _assert_clean(journal.read_bytes(), "the send journal")
    reopened = np6.SendReport.open(journal)
    _assert_clean(repr([(o.reason, o.message_id, o.request_id) for o in reopened]), "the reopened journal")


@pytest.mark.parametrize(
    "arguments",
    [["actions", "get", "000MISSING"], ["actions", "get", "000BROKEN"], ["send", "000ECHO", "--to", "a@example.com"]],
    ids=["actions get 404", "actions get unparseable", "send"],
)
def test_the_command_line_prints_no_echoed_key(base_url: str, arguments: list[str], tmp_path: Path) -> None:
    env = {"NP6_API_KEY": KEY, "NP6_BASE_URL": base_url, "COLUMNS": "120", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "np6._cli", *arguments, "--json"]
        if arguments[0] == "actions"
        else [sys.executable, "-m", "np6._cli", *arguments, "--report", str(tmp_path / "r.csv")],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    _assert_clean(result.stdout, "stdout")
    _assert_clean(result.stderr, "stderr")
    if (tmp_path / "r.csv").exists():
        _assert_clean((tmp_path / "r.csv").read_bytes(), "the CLI's report")
    assert result.returncode != 0 or arguments[0] == "send", result.stderr
