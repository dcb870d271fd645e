"""The README's runbook, for real: a 100,000-row CSV file with per-row data sent from the shell, interrupted with
Ctrl-C (SIGINT) mid-way, resumed by running the same command again, and audited with `np6 journal`: every row
delivered exactly once, with its own data, and the report accounting for every row."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import time
from pathlib import Path

from np6.sandbox import Sandbox

from tests.cli.support import KEY, NP6, environment, np6_command, validated_email_action

ROWS = 100_000


def test_a_100k_row_newsletter_sent_interrupted_resumed_and_audited_from_the_shell(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("email,firstname\n" + "".join(f"c{n:06}@example.com,C{n}\n" for n in range(ROWS)))
    journal, report = tmp_path / "news.journal", tmp_path / "outcomes.csv"
    box = Sandbox(api_key=KEY)  # every request and answer checked against the spec
    action_id = validated_email_action(box)
    command = [*NP6, "send", action_id, "--csv", str(source), "--journal", str(journal), "--report", str(report)]
    with box.serve() as server:
        first = subprocess.Popen(command, env=environment(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while box.deliveries.count() < ROWS // 10 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)  # Ctrl-C, about a tenth of the way
        _, err = first.communicate(timeout=120)
        interrupted = box.deliveries.count()
        assert first.returncode == 130, err.decode()
        assert 0 < interrupted < ROWS
        assert b"run the same command again to resume" in err

        second = subprocess.run(
            command, env=environment(server), capture_output=True, text=True, timeout=300, check=False
        )
        assert second.returncode == 0, second.stderr
        assert "resuming the send recorded in" in " ".join(second.stderr.split())

        audit = np6_command(server, "journal", str(journal), "--json")
    assert audit.returncode == 0, audit.stderr
    assert json.loads(audit.stdout)["counts"] == {"sent": ROWS, "rejected": 0, "failed": 0, "unknown": 0}
    deliveries = box.deliveries.all(action_id)
    assert len(deliveries) == ROWS  # each row once: nothing sent twice across the interruption
    assert box.deliveries.duplicates() == {}
    assert {d.unicity for d in deliveries} == {f"c{n:06}@example.com" for n in range(ROWS)}
    sample = {d.unicity: d.message for d in deliveries[:: ROWS // 100]}
    for unicity, message in sample.items():
        assert message is not None
        assert message["data"] == {"firstname": f"C{int(unicity[1:7])}"}
    with report.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == ROWS
    assert {row["outcome"] for row in rows} == {"sent"}
    assert [int(row["line"]) for row in rows[:3]] == [2, 3, 4]
