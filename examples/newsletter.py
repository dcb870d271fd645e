"""A newsletter to a list of subscribers, sent in batches with a journal: if the run stops half-way (a crash, a
deploy, NP6 refusing a batch), running it again resumes it, and no subscriber gets the newsletter twice.

    np6 sandbox            # in another terminal: a local NP6; paste the two export lines it prints
    python examples/newsletter.py subscribers.csv   # a CSV with an "email" column
    python examples/newsletter.py                   # or 1,200 generated addresses

It exits 1 while some messages are still to be sent: run it again.
"""

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import np6

JOURNAL = Path("newsletter.np6journal")


def subscribers(csv_path: str | None) -> Iterator[np6.EmailMessage]:
    """The messages, read lazily: a list of a million rows is never in memory at once."""
    if csv_path is None:
        for number in range(1_200):
            yield np6.EmailMessage(f"subscriber{number}@example.com", data={"firstname": f"Subscriber {number}"})
        return
    with open(csv_path, newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            yield np6.EmailMessage(row["email"], data={"firstname": row.get("firstname") or "there"})


def newsletter_action(client: np6.Client) -> str:
    if JOURNAL.exists():
        # Resuming: the journal records which action it sends, and a resume must send that one.
        with np6.SendReport.open(JOURNAL) as recorded:
            print(f"resuming {JOURNAL}: {recorded.sent} already sent, {recorded.failed} to send again")
            return recorded.action_id
    action = client.actions.create(
        np6.email_action(
            name="December newsletter",
            sender=np6.Sender(prefix="news", domain="example.com", label="Example Shop"),
            subject="Our December picks, [[firstname]]",
            html="<p>Hello [[firstname]], here is what is new this month.</p>",
        )
    )
    client.actions.validate(action.id, test_segments=[1])  # 1: the sandbox's test segment
    return action.id


def show(progress: np6.SendProgress) -> None:
    print(f"  {progress.done} answered: {progress.sent} sent, {progress.failed} failed", flush=True)


def main(csv_path: str | None) -> int:
    with np6.Client() as client:  # the key and the server come from the environment
        action_id = newsletter_action(client)
        # The same call with the same journal skips what was sent and sends the rest. A batch whose answer was
        # lost stays `unknown`, never sent again on its own: NP6 may have delivered it.
        with client.actions.send_many(action_id, subscribers(csv_path), journal=JOURNAL, on_progress=show) as report:
            print(report.summary())
            print(report.counts)
            if report.failed:
                print(f"{report.failed} not sent yet (NP6 did not take them): run this again to send them")
            return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
