"""`np6 send` as a runbook uses it: CSV or JSON lines from a file or stdin, per-row data reaching the deliveries,
bad rows listed (or skipped and reported), dry runs that send nothing, a machine-readable summary, the report's
columns; and the rest of the command's surface (--version, help, completion). Subprocesses against a sandbox
listening on loopback."""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import np6
import pytest
import yaml
from np6._cli import _parser
from np6.sandbox import Sandbox, SandboxServer

from tests.cli.support import NP6, Served, environment, np6_command

ROOT = Path(__file__).resolve().parents[2]
REPORT_COLUMNS = ["line", "input", "recipient", "outcome", "message_id", "reason", "request_id"]


def greeting_action(box: Sandbox) -> str:
    """An e-mail action whose subject and text use per-row data, validated for production."""
    with box.client() as client:
        action = client.actions.create(
            np6.email_action(
                name="Greeting",
                sender=np6.Sender.parse("hello@example.com"),
                subject="Hi [[firstname]]",
                text="Your order [[order]] ships today.",
            )
        )
        client.actions.validate(action.id, test_segments=[1])
    return action.id


def rendered_subjects(box: Sandbox, action_id: str) -> dict[str, str]:
    """What NP6 would show each recipient: each delivery's data rendered through the sandbox's render operation."""
    subjects = {}
    with box.client() as client:
        for delivery in box.deliveries.all(action_id):
            data = (delivery.message or {}).get("data") or {}
            rendered = client.actions.render(action_id, np6.EmailMessage(delivery.unicity, data=data))
            assert isinstance(rendered, np6.models.RenderSuccess)
            subjects[delivery.unicity] = str(rendered.subject)
    return subjects


def run(server: SandboxServer, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NP6, *args], env=environment(server), input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


CUSTOMERS = "email,firstname,order\nada@example.com,Ada,A-1\nbob@example.com,Bob,B-2\n"


def test_every_other_csv_column_fills_the_data_of_its_row(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS)
    result = np6_command(server, "send", action_id, "--csv", str(source))
    assert result.returncode == 0, result.stderr
    assert [d.message["data"] for d in box.deliveries.all(action_id) if d.message] == [
        {"firstname": "Ada", "order": "A-1"},
        {"firstname": "Bob", "order": "B-2"},
    ]
    assert rendered_subjects(box, action_id) == {"ada@example.com": "Hi Ada", "bob@example.com": "Hi Bob"}


def test_csv_from_stdin(sandbox: Served) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    result = run(server, "send", action_id, "--csv", "-", "--json", "--quiet", stdin=CUSTOMERS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 0}
    assert rendered_subjects(box, action_id) == {"ada@example.com": "Hi Ada", "bob@example.com": "Hi Bob"}


def test_data_columns_and_no_data_choose_what_fills_the_data(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS)
    assert np6_command(server, "send", action_id, "--csv", str(source), "--data-columns", "firstname").returncode == 0
    assert [d.message["data"] for d in box.deliveries.all(action_id) if d.message] == [
        {"firstname": "Ada"},
        {"firstname": "Bob"},
    ]
    box.reset()
    action_id = greeting_action(box)
    assert np6_command(server, "send", action_id, "--csv", str(source), "--no-data").returncode == 0
    assert [(d.message or {}).get("data") for d in box.deliveries.all(action_id)] == [None, None]
    refused = np6_command(server, "send", action_id, "--csv", str(source), "--data-columns", "nope")
    assert refused.returncode == 2
    assert "--data-columns names columns the CSV input does not have: nope" in refused.stderr


def test_json_lines_from_stdin_with_per_message_overrides_and_wire_messages(sandbox: Served) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    lines = [
        {"to": "ada@example.com", "data": {"firstname": "Ada", "order": "A-1"}, "subject": "For you, [[firstname]]"},
        {"to": {"unicity": "bob@example.com"}, "data": {"firstname": "Bob"}},
        # As `np6 journal --retryable out.jsonl` writes them: messages as NP6 reads them.
        {"recipient": {"type": "unicity", "value": ["carol@example.com"]}, "data": {"firstname": "Carol"}},
    ]
    result = run(server, "send", action_id, "--jsonl", "-", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    deliveries = box.deliveries.all(action_id)
    assert [d.unicity for d in deliveries] == ["ada@example.com", "bob@example.com", "carol@example.com"]
    assert deliveries[0].message is not None
    assert deliveries[0].message["subject"] == "For you, [[firstname]]"
    assert rendered_subjects(box, action_id)["carol@example.com"] == "Hi Carol"


def test_a_bad_row_stops_the_command_before_anything_is_sent_and_each_is_listed(
    sandbox: Served, tmp_path: Path
) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text("email,firstname\nada@example.com,Ada\n,Nobody\nbob@example.com,Bob\nx\x07@example.com,X\n")
    result = np6_command(server, "send", action_id, "--csv", str(source))
    assert result.returncode == 2
    flat = " ".join(result.stderr.split())
    assert "2 rows of the input cannot be sent; nothing was sent" in flat
    assert "line 3: empty recipient value" in flat
    assert "line 5: recipient value with a control character" in flat
    assert "--skip-invalid" in flat
    assert box.deliveries.count() == 0


def test_skip_invalid_sends_the_rest_and_reports_each_bad_line(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text("email,firstname\nada@example.com,Ada\n,Nobody\nbob@example.com,Bob\nnobody@example.com,N\n")
    report = tmp_path / "report.csv"
    result = np6_command(
        server, "send", action_id, "--csv", str(source), "--skip-invalid", "--report", str(report), "--json"
    )
    assert result.returncode == 1, result.stderr  # one row skipped, one recipient NP6 does not know
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"sent": 2, "rejected": 2, "failed": 0, "unknown": 0}
    assert summary["invalid_rows"] == [{"line": 3, "input": "", "reason": "empty recipient value"}]
    with report.open(newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames == REPORT_COLUMNS
        rows = list(reader)
    assert [(row["line"], row["input"], row["outcome"]) for row in rows] == [
        ("2", "ada@example.com", "sent"),
        ("3", "", "rejected"),
        ("4", "bob@example.com", "sent"),
        ("5", "nobody@example.com", "rejected"),
    ]
    assert rows[1]["reason"] == "invalid input: empty recipient value"
    assert rows[3]["reason"] == "recipient not found"
    assert rows[0]["recipient"] == "ada@example.com"
    assert rows[0]["message_id"]
    assert all(row["request_id"] for row in rows if row["outcome"] == "sent")
    assert sorted(box.deliveries.recipients()) == ["ada@example.com", "bob@example.com"]


def test_a_dry_run_checks_everything_renders_the_first_message_and_sends_nothing(
    sandbox: Served, tmp_path: Path
) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS)
    result = np6_command(server, "send", action_id, "--csv", str(source), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run: 2 messages would be sent" in result.stdout
    assert "subject: Hi Ada" in result.stdout
    assert box.deliveries.count() == 0
    as_json = np6_command(server, "send", action_id, "--csv", str(source), "--dry-run", "--json")
    summary = json.loads(as_json.stdout)
    assert (summary["sent"], summary["messages"], summary["rendered"]["subject"]) == (0, 2, "Hi Ada")
    assert box.deliveries.count() == 0


def test_json_summary_is_the_only_thing_on_stdout(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS)
    report = tmp_path / "r.jsonl"
    result = np6_command(server, "send", action_id, "--csv", str(source), "--json", "--report", str(report))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    assert summary["report"] == str(report)
    assert summary["messages"] == 2
    assert summary["elapsed"] >= 0
    assert "action" in result.stderr  # the human table went to stderr
    quiet = np6_command(server, "send", action_id, "--csv", str(source), "--json", "--quiet")
    assert quiet.stderr == ""
    assert json.loads(quiet.stdout)["counts"]["sent"] == 2
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert [sorted(row) for row in rows] == [sorted(REPORT_COLUMNS)] * 2


def test_recipients_by_contact_id(sandbox: Served) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    with box.client() as client:
        contact = client.targets.create({"Email": "dora@example.com"})
    result = np6_command(server, "send", action_id, "--to", contact.id, "--recipient-type", "id")
    assert result.returncode == 0, result.stderr
    assert box.deliveries.recipients() == ["dora@example.com"]


def test_without_a_terminal_progress_is_plain_lines(sandbox: Served, tmp_path: Path) -> None:
    box, server = sandbox
    action_id = greeting_action(box)
    result = np6_command(server, "send", action_id, "--to", "ada@example.com", "bob@example.com")
    assert result.returncode == 0
    assert re.search(r"^np6 send: 2/2 answered \(sent 2\), [\d.]+ s$", result.stderr, re.MULTILINE), result.stderr
    assert "\x1b" not in result.stderr  # no cursor movement, no colours


# ---------------------------------------------------------------------------------------- the command


def test_version_names_every_version_and_python_dash_m_np6_runs_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "np6", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    spec = yaml.safe_load((ROOT / "spec" / "np6-cm.openapi.yaml").read_text(encoding="utf-8"))
    assert result.stdout.strip() == (
        f"np6-cm {np6.__version__} (NP6 API {spec['info']['version']}), Python {sys.version.split()[0]},"
        f" httpx {__import__('httpx').__version__}"
    )


def test_a_bare_np6_prints_its_help_with_exit_codes_and_environment() -> None:
    result = subprocess.run(NP6, capture_output=True, text=True, timeout=60, check=False, env=environment())
    assert result.returncode == 0
    for text in ("usage: np6", "send", "sandbox", "exit codes:", "130", "NP6_API_KEY", "NP6_BASE_URL", "NP6_LOG"):
        assert text in result.stdout


def test_every_argument_and_option_has_help() -> None:
    missing = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{path} {name}")
            elif not action.help and not isinstance(action, argparse._HelpAction):
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(_parser(), "np6")
    assert not missing, missing


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = subprocess.run(
        [*NP6, "completion", shell], capture_output=True, text=True, timeout=60, check=False, env=environment()
    )
    assert result.returncode == 0, result.stderr
    assert "np6" in result.stdout
    assert len(result.stdout) > 200
    if shell == "bash":
        assert "complete " in result.stdout


def test_completion_answers_the_shell(tmp_path: Path) -> None:
    """What bash asks through the completion script: the candidates for `np6 se<TAB>`."""
    env = {**environment(), "_ARGCOMPLETE": "1", "COMP_LINE": "np6 se", "COMP_POINT": "6", "_ARGCOMPLETE_IFS": "\n"}
    output = tmp_path / "candidates"
    env["_ARGCOMPLETE_STDOUT_FILENAME"] = str(output)
    subprocess.run([*NP6], capture_output=True, text=True, timeout=60, check=False, env=env)
    assert set(output.read_text().split()) == {"send"}


def test_errors_say_which_variable_option_or_command_to_use(sandbox: Served) -> None:
    box, server = sandbox
    no_key = subprocess.run(
        [*NP6, "actions", "list"],
        env=environment(server, key=None),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert no_key.returncode == 2
    assert "set NP6_API_KEY (or pass --api-key)" in no_key.stderr
    assert "api_key=" not in no_key.stderr
    with box.client() as client:  # created, never validated: NP6 answers a send with 409
        action = client.actions.create(
            np6.email_action(name="Draft", sender=np6.Sender.parse("a@example.com"), subject="S", text="T")
        )
    refused = np6_command(server, "send", action.id, "--to", "ada@example.com", "--json")
    flat = " ".join((refused.stdout + refused.stderr).split())
    assert "np6 actions validate ACTION_ID --test-segment ID" in flat
    assert "client.actions.validate" not in flat


def test_actions_list_shows_when_each_action_was_created(sandbox: Served) -> None:
    box, server = sandbox
    greeting_action(box)
    result = np6_command(server, "actions", "list")
    assert result.returncode == 0
    assert re.search(r"│ Greeting\s+│ 50\s+│ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", result.stdout), result.stdout
