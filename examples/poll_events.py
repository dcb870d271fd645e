"""What became of the messages: NP6 has no webhooks, so delivery feedback (handed over, bounced, opened, clicked,
unsubscribed) is read from its event feed, and matched with the messages by the message id each send answered.

    np6 sandbox            # in another terminal: a local NP6; paste the two export lines it prints
    python examples/poll_events.py
"""

import datetime as dt

import np6

RECIPIENTS = ["alice@example.com", "bob@example.com", "carol@example.com"]


def describe(event: np6.Event) -> str:
    if isinstance(event, np6.BounceEvent):
        return f"bounced ({event.verdict}: {event.diagnostic})"
    if isinstance(event, np6.ClickEvent):
        return "clicked a link"
    if isinstance(event, np6.OpenEvent):
        return "opened it"
    if isinstance(event, np6.UnsubscribeEvent):
        return "unsubscribed"
    if isinstance(event, np6.ActivationEvent):
        return "handed over for delivery"
    return event.type  # kinds this script does not know are yielded too, never dropped


def main() -> None:
    with np6.Client() as client:  # the key and the server come from the environment
        action = client.actions.create(
            np6.email_action(
                name="Spring sale",
                sender=np6.Sender.parse("news@example.com"),
                subject="Spring sale",
                html='<p>Up to 30% off: <a href="https://example.com/sale">see the sale</a></p>',
            )
        )
        client.actions.validate(action.id, test_segments=[1])  # 1: the sandbox's test segment

        started = dt.datetime.now(dt.UTC)
        report = client.actions.send_many(action.id, RECIPIENTS)
        # The report is in input order: message ids back to the addresses they were sent to.
        sent = {item.message_id: address for address, item in zip(RECIPIENTS, report, strict=True) if item.message_id}
        print(f"sent {len(sent)} messages")

        # NP6 records events some time after the fact: a real poller reads every few minutes, a while behind
        # now, and starts each window where the last one ended. The sandbox records them at once.
        until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
        for event in client.events.iter(started - dt.timedelta(seconds=1), until, action_id=action.id):
            recipient = sent.get(event.message_id or "", event.unicity or "another message")
            print(f"{event.at:%H:%M:%S} {recipient}: {describe(event)}")


if __name__ == "__main__":
    main()
