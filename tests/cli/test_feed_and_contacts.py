"""`np6 events` (the delivery feed, polled; --follow until Ctrl-C) and `np6 targets import` (contacts from a CSV
file), as a shell uses them: subprocesses against a sandbox on loopback, real signals."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import signal
import subprocess
import time
from pathlib import Path

import np6
from np6._cli.events import parse_since
from np6.sandbox import Sandbox

from tests.cli.support import KEY, NP6, Served, environment, np6_command, validated_email_action


def sent(box: Sandbox, *recipients: str) -> str:
    action_id = validated_email_action(box)
    with box.client() as client:
        report = client.actions.send_many(action_id, list(recipients))
    assert report.sent == len(recipients)
    return action_id


def test_events_prints_one_line_per_event_of_the_action(sandbox: Served) -> None:
    box, server = sandbox
    box.reactions.bounce("bob@example.com", verdict="hard")
    box.reactions.click("ada@example.com")
    action_id = sent(box, "ada@example.com", "bob@example.com")
    result = np6_command(server, "events", "--action", action_id, "--since", "1h")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("bounce" in line and "bob@example.com" in line for line in lines), lines
    assert any("click" in line and "ada@example.com" in line for line in lines), lines
    bounces = np6_command(server, "events", "--action", action_id, "--kind", "bounce", "--json")
    events = [json.loads(line) for line in bounces.stdout.splitlines()]
    assert events
    assert {event["unicity"] for event in events} == {"bob@example.com"}
    assert all("bounce" in event["kinds"] for event in events)
    assert all(event["action_id"] == action_id for event in events)


def test_events_refuses_an_unknown_kind_and_a_bad_since(sandbox: Served) -> None:
    _, server = sandbox
    kind = np6_command(server, "events", "--kind", "bounce,nope")
    assert kind.returncode == 2
    assert "nope is not a kind of event" in kind.stderr
    since = np6_command(server, "events", "--since", "yesterday")
    assert since.returncode == 2
    assert "--since: a duration such as 1h" in since.stderr


def test_since_reads_durations_and_instants() -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert parse_since("90s", now) == now - dt.timedelta(seconds=90)
    assert parse_since("2d", now) == now - dt.timedelta(days=2)
    assert parse_since("2026-12-01T10:00:00", now) == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_follow_shows_new_events_once_and_stops_on_ctrl_c(sandbox: Served) -> None:
    box, server = sandbox
    action_id = sent(box, "ada@example.com")
    command = subprocess.Popen(
        [*NP6, "events", "--action", action_id, "--since", "1h", "--follow", "--json"],
        env=environment(server),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        with box.client() as client:  # a second message while the command follows the feed
            client.actions.send(action_id, "bob@example.com")
        time.sleep(3.5)  # the first waits of the backoff are 2 s
        command.send_signal(signal.SIGINT)
        out, err = command.communicate(timeout=30)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert "Traceback" not in err
    ids = [event["id"] for event in events]
    assert len(ids) == len(set(ids))  # each event once, although the last minutes are read again on each poll
    assert {event["unicity"] for event in events} >= {"ada@example.com", "bob@example.com"}


CONTACTS = "Email,FirstName\nada@example.com,Ada\nbob@example.com,Bob\n"


def test_targets_import_creates_the_contacts_and_reports_each_row(tmp_path: Path) -> None:
    box = Sandbox(api_key=KEY, auto_create_contacts=False)  # contacts exist only once imported
    with box.serve() as own:
        source = tmp_path / "contacts.csv"
        source.write_text(CONTACTS + ",Nobody\n")
        report = tmp_path / "imported.csv"
        refused = np6_command(own, "targets", "import", "--csv", str(source))
        assert refused.returncode == 2
        assert "line 4" in refused.stderr
        assert "nothing was written" in " ".join(refused.stderr.split())
        result = np6_command(
            own, "targets", "import", "--csv", str(source), "--skip-invalid", "--report", str(report), "--json"
        )
        assert result.returncode == 1, result.stderr
        assert json.loads(result.stdout)["counts"] == {"upserted": 2, "rejected": 1, "failed": 0, "unknown": 0}
        with report.open(newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert [(row["line"], row["unicity"], row["outcome"]) for row in rows] == [
            ("2", "ada@example.com", "upserted"),
            ("3", "bob@example.com", "upserted"),
            ("4", "", "rejected"),
        ]
        assert all(row["contact_id"] for row in rows[:2])
        with box.client() as client:
            found = client.targets.find(unicity="ada@example.com")
            assert found is not None
            assert client.fields.to_names(found)["FirstName"] == "Ada"
        # Imported again: the contacts exist, they are found, not duplicated.
        again = np6_command(own, "targets", "import", "--csv", str(source), "--skip-invalid", "--json")
        assert json.loads(again.stdout)["counts"]["upserted"] == 2
        assert len(box.contacts) == 2


def test_targets_import_from_stdin_refuses_unknown_fields_before_writing(sandbox: Served) -> None:
    box, server = sandbox
    result = subprocess.run(
        [*NP6, "targets", "import", "--csv", "-"],
        input="Email,Shoe size\nada@example.com,42\n",
        env=environment(server),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "the CSV names fields the account does not have: Shoe size" in " ".join(result.stderr.split())
    ok = subprocess.run(
        [*NP6, "targets", "import", "--csv", "-"],
        input=CONTACTS,
        env=environment(server),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "2 upserted, 0 rejected, 0 failed, 0 unknown of 2 rows" in ok.stderr
    assert re.search(r"^np6 importing: 2/2 done, [\d.]+ s$", ok.stderr, re.MULTILINE), ok.stderr  # no terminal
    with box.client() as client:
        assert isinstance(client.targets.find(unicity="bob@example.com"), np6.models.Target)


def test_targets_import_refuses_rows_whose_cells_would_shift_and_a_column_named_twice(
    sandbox: Served, tmp_path: Path
) -> None:
    box, server = sandbox
    shifted = tmp_path / "shifted.csv"
    shifted.write_text("Email,FirstName\njohn@example.com,Smith, John\n")
    result = np6_command(server, "targets", "import", "--csv", str(shifted))
    assert result.returncode == 2
    assert "line 2: 3 cells where the header has 2" in result.stderr
    twice = tmp_path / "twice.csv"
    twice.write_text("Email,FirstName,FirstName\nann@example.com,A,B\n")
    assert "names a column twice: FirstName" in np6_command(server, "targets", "import", "--csv", str(twice)).stderr
    with box.client() as client:
        assert client.targets.find(unicity="john@example.com") is None


def test_a_send_refuses_a_report_that_would_overwrite_its_input(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    source = tmp_path / "same.csv"
    source.write_text("email\nada@example.com\n")
    result = np6_command(server, "send", "000ABC", "--csv", str(source), "--report", str(source))
    assert result.returncode == 2
    assert "--report names the input file" in result.stderr
    assert source.read_text() == "email\nada@example.com\n"
    assert box.deliveries.count() == 0


def test_an_interrupted_import_still_reports_every_row(tmp_path: Path) -> None:
    box = Sandbox(
        api_key=KEY,
        auto_create_contacts=False,
        latency=lambda info: 0.4 if info.operation_id == "create_target" else 0.0,
    )
    source = tmp_path / "contacts.csv"
    source.write_text("Email\n" + "".join(f"p{n}@example.com\n" for n in range(30)))
    report = tmp_path / "imported.csv"
    with box.serve() as server:
        command = subprocess.Popen(
            [*NP6, "targets", "import", "--csv", str(source), "--report", str(report), "--concurrency", "2"],
            env=environment(server),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        command.send_signal(signal.SIGINT)
        _, err = command.communicate(timeout=60)
    assert command.returncode == 130, err
    assert "Traceback" not in err
    with report.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["unicity"] for row in rows] == [f"p{n}@example.com" for n in range(30)]  # every row, once
    outcomes = {row["outcome"] for row in rows}
    assert outcomes <= {"upserted", "unknown", "failed"}
    upserted = {row["unicity"] for row in rows if row["outcome"] == "upserted"}
    assert upserted
    assert sum(row["outcome"] == "unknown" for row in rows) <= 2  # at most the requests in flight
    with box.client() as client:
        for unicity in upserted:
            assert client.targets.find(unicity=unicity) is not None
