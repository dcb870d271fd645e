"""A report without a journal keeps its raw bodies in memory up to a limit, then in a temporary file: every message
reads the same on both sides of the move, and a closed report refuses to read instead of answering wrongly."""

from __future__ import annotations

from pathlib import Path

import np6
import pytest
from np6._sending import report as report_module

from tests.sending.support import FakeNP6, address, send


def test_messages_read_the_same_before_and_after_the_bodies_move_to_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [address(i) for i in range(40)]
    expected = send("sync", FakeNP6([]), values, batch_size=4)
    # About two batches' bodies fit in memory: the rest of the send goes to the file, the first ones move there.
    monkeypatch.setattr(report_module, "SPOOL_IN_MEMORY_BYTES", 600)
    spooled = send("sync", FakeNP6([]), values, batch_size=4)
    assert spooled._spool is not None
    assert spooled._spool._file is not None
    assert [(m.outcome, m.input, m.message_id) for m in spooled] == [
        (m.outcome, m.input, m.message_id) for m in expected
    ]
    assert spooled[39].recipient == {"type": "unicity", "value": [values[39]]}


def test_a_closed_report_refuses_to_read_its_messages() -> None:
    report = send("sync", FakeNP6([]), [address(i) for i in range(3)], batch_size=2)
    assert report[0].message_id is not None
    report.close()
    with pytest.raises(ValueError, match="closed"):
        _ = report[2].message_id  # of a batch not read before the close


def test_a_report_subclass_opens_a_journal_as_itself(tmp_path: Path) -> None:
    class AuditedReport(np6.SendReport):
        pass

    journal = tmp_path / "send.journal"
    send("sync", FakeNP6([]), [address(i) for i in range(3)], batch_size=2, journal=journal)
    opened = AuditedReport.open(journal)
    assert type(opened) is AuditedReport
    assert opened.sent == 3
