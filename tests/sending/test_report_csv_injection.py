"""`report.to_csv` is opened in spreadsheets: cells a spreadsheet would run as formulas are written as text, while
`to_jsonl` keeps every value exact (OWASP's CSV-injection rule)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import np6
import pytest

from tests.harness import mail_action

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def _hostile(request: httpx.Request) -> httpx.Response:
    if request.method == "GET":
        return httpx.Response(200, json=mail_action("000ABC", state=50))
    count = len(json.loads(request.content))
    results = [
        {"type": "success", "id": FORMULAS[i % len(FORMULAS)]}
        if i % 2 == 0
        else {"type": "error", "value": {"type": FORMULAS[i % len(FORMULAS)]}}
        for i in range(count)
    ]
    return httpx.Response(200, json=results, headers={"x-request-id": "=cmd|' /C calc'!A0"})


@pytest.fixture
def report() -> np6.SendReport:
    with np6.Client("k-0123456789", transport=httpx.MockTransport(_hostile)) as client:
        return client.actions.send_many("000ABC", [f"u{i}@example.com" for i in range(12)])


def test_csv_cells_that_begin_a_formula_are_written_as_text(report: np6.SendReport, tmp_path: Path) -> None:
    report.to_csv(tmp_path / "r.csv")
    with (tmp_path / "r.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    cells = [value for row in rows for value in row.values() if value]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
    assert {row["request_id"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    sent = [row["message_id"] for row in rows if row["outcome"] == "sent"]
    assert sent == ["'" + FORMULAS[i % len(FORMULAS)] for i in range(0, 12, 2)]
    assert all(row["recipient"].startswith("{") for row in rows)  # JSON stays as it was
    assert [row["index"] for row in rows] == [str(i) for i in range(12)]


def test_jsonl_keeps_the_values_exact(report: np6.SendReport, tmp_path: Path) -> None:
    report.to_jsonl(tmp_path / "r.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["message_id"] for line in lines if line["outcome"] == "sent"] == [
        FORMULAS[i % len(FORMULAS)] for i in range(0, 12, 2)
    ]
    assert {line["request_id"] for line in lines} == {"=cmd|' /C calc'!A0"}
