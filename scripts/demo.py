"""The main job: a real send through the np6 overlay against the built-in NP6 sandbox, over loopback HTTP.

Starts the sandbox on a free loopback port, creates an e-mail action and an SMS action, validates both (NP6's
two phases), sends 10,000 e-mails and 1,000 SMS with `AsyncClient.actions.send_many` behind a progress bar,
checks the sandbox received every message exactly once, prints the reports and one rendered message.

    ./scripts/demo [--emails 10000] [--sms 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import np6
from np6._cli import summary_table
from np6.sandbox import Sandbox, random_api_key
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(highlight=False)
UNKNOWN_EVERY = 997  # every 997th address is one NP6 cannot resolve: the report shows per-message rejections


def email_address(i: int) -> str:
    return f"customer{i}@invalid.example" if i % UNKNOWN_EVERY == 0 else f"customer{i}@example.com"


def phone_number(i: int) -> str:
    return f"+3361{i:07d}"


async def send(
    client: np6.AsyncClient, progress: Progress, action_id: str, label: str, messages: list[str]
) -> np6.SendReport:
    task = progress.add_task(label, total=len(messages))
    return await client.actions.send_many(
        action_id,
        messages,
        concurrency=4,
        on_progress=lambda state: progress.update(task, completed=state.done),
    )


def action_id(action: np6.models.Action) -> str:
    """The id NP6 gave a created action (the catch-all variant has none typed)."""
    identifier = getattr(action, "id", None)
    if not isinstance(identifier, str):
        raise SystemExit(f"NP6 created an action without an id: {action!r}")
    return identifier


async def main_job(base_url: str, api_key: str, emails: int, sms: int) -> tuple[np6.SendReport, np6.SendReport, str]:
    async with np6.AsyncClient(api_key, base_url=base_url) as client:
        email_action = await client.actions.create(
            np6.email_action(
                name="Welcome e-mail",
                sender=np6.Sender(prefix="hello", domain="example.com", label="Example Shop"),
                subject="Welcome, [[unicity]]",
                html="<p>Hello [[unicity]], your account is ready.</p>",
                text="Hello [[unicity]], your account is ready.",
            )
        )
        sms_action = await client.actions.create(
            np6.sms_action(name="Welcome SMS", text="Example Shop: welcome! Reply STOP to opt out.")
        )
        for action in (email_action, sms_action):
            phases = await client.actions.validate(action_id(action), test_segments=[1])
            console.print(f"action {action_id(action)} ({action.type_}): validated, phases {' then '.join(phases)}")

        with Progress(
            TextColumn("[bold]{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            email_report, sms_report = await asyncio.gather(
                send(client, progress, action_id(email_action), "e-mails", [email_address(i) for i in range(emails)]),
                send(client, progress, action_id(sms_action), "SMS", [phone_number(i) for i in range(sms)]),
            )
        rendered = await client.actions.render(action_id(email_action), email_address(1))
        preview = rendered.to_dict()
    body = f"to: {preview.get('recipient')}\nsubject: {preview.get('subject')}\n\n{preview.get('text')}"
    return email_report, sms_report, body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--sms", type=int, default=1_000)
    args = parser.parse_args()
    started = time.perf_counter()
    sandbox = Sandbox(api_key=random_api_key())  # every request and answer checked against the spec
    with sandbox.serve() as server:
        console.print(f"NP6 sandbox on {server.url} (in this process, loopback only)")
        email_report, sms_report, preview = asyncio.run(main_job(server.url, sandbox.api_key, args.emails, args.sms))
    console.print(summary_table(email_report, "e-mails"))
    console.print(summary_table(sms_report, "SMS"))
    rejected = next(email_report.outcomes(np6.Outcome.REJECTED), None)
    if rejected is not None:
        console.print(f"e.g. message {rejected.index} ({rejected.recipient['value'][0]}): {rejected.reason}")
    console.print(Panel(preview, title="one rendered e-mail"))

    # The sandbox's own record: every accepted message exactly once, and nothing else.
    delivered = sandbox.deliveries.count()
    duplicates = sandbox.deliveries.duplicates()
    expected = email_report.sent + sms_report.sent
    console.print(f"sandbox deliveries: {delivered:,} (reports say {expected:,} sent), duplicates: {len(duplicates)}")
    everything_accounted = (
        len(email_report) == args.emails
        and len(sms_report) == args.sms
        and delivered == expected
        and not duplicates
        and email_report.failed == email_report.unknown == sms_report.failed == sms_report.unknown == 0
    )
    console.print(f"done in {time.perf_counter() - started:.1f} s")
    return 0 if everything_accounted else 1


if __name__ == "__main__":
    sys.exit(main())
