"""`client.actions.reconcile()` end to end against the sandbox, with `np6.Client` and `np6.AsyncClient`: unknown
outcomes from faults that hit after the sandbox processed a batch are proven sent by its activation events; those
from faults that hit before stay unknown; the evidence reaches the send journal; the counting and time rules."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import np6
import pytest
from np6.sandbox import Fault, Sandbox

from tests.sending.reconcile.support import (
    Driver,
    activation,
    after_processing_500,
    after_processing_drop,
    before_processing_500,
    before_processing_drop,
    ok,
    validated_action,
)

SENT, UNKNOWN = np6.Outcome.SENT, np6.Outcome.UNKNOWN


def addresses(count: int, prefix: str = "user") -> list[str]:
    return [f"{prefix}{i}@example.com" for i in range(count)]


def message_ids(sandbox: Sandbox) -> dict[str, list[str]]:
    """The message ids the sandbox delivered, per recipient."""
    found: dict[str, list[str]] = {}
    for delivery in sandbox.deliveries:
        found.setdefault(delivery.unicity, []).append(delivery.message_id)
    return found


# --------------------------------------------------------------------------------------- proven and not proven


def test_unknowns_the_sandbox_processed_are_proven_sent(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(after_processing_drop(), after_processing_500())
    recipients = addresses(6)
    report = d.run(client.actions.send_many(action_id, recipients, batch_size=2))
    assert report.counts == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 4}
    assert sandbox.deliveries.recipients() == recipients  # the sandbox processed every batch

    before = time.time()
    again = d.run(client.actions.reconcile(report))
    assert again is report
    assert report.counts == {"sent": 6, "rejected": 0, "failed": 0, "unknown": 0}
    delivered = message_ids(sandbox)
    for item in list(report)[:4]:
        assert item.outcome is SENT
        evidence = item.evidence
        assert evidence is not None
        assert evidence.event_type == "activation"
        assert evidence.event_id
        assert evidence.message_id == delivered[recipients[item.index]][0] == item.message_id
        assert item.attempted_at is not None
        assert evidence.time is not None
        assert evidence.time >= item.attempted_at - dt.timedelta(milliseconds=1)
        assert f"activation event {evidence.event_id}" in (item.reason or "")
    assert all(item.evidence is None for item in list(report)[4:])  # sent by NP6's own answer
    assert report.reconciled_at is not None
    assert before - 1 <= report.reconciled_at.timestamp() <= time.time()


def test_unknowns_the_sandbox_never_processed_stay_unknown(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(before_processing_500(), before_processing_drop(), after_processing_drop())
    report = d.run(client.actions.send_many(action_id, addresses(8), batch_size=2))
    assert report.counts == {"sent": 2, "rejected": 0, "failed": 0, "unknown": 6}
    assert sandbox.deliveries.count() == 4  # only the batch dropped after processing, and the last one

    d.run(client.actions.reconcile(report))
    assert [item.outcome for item in report] == [UNKNOWN] * 4 + [SENT] * 4
    assert report.reconciled_at is not None
    as_of = report.reconciled_at.isoformat(timespec="seconds")
    for item in report.outcomes(UNKNOWN):
        assert item.evidence is None
        assert (item.reason or "").endswith(f"; no event found as of {as_of}")
        assert "unknown" in (item.reason or "")  # what made it unknown is still said
    assert report[4].evidence is not None
    assert report[5].evidence is not None


def test_a_journal_keeps_the_evidence(sandbox: Sandbox, d: Driver, tmp_path: Path) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    journal = tmp_path / "send.journal"
    sandbox.faults.add(after_processing_drop(), before_processing_500())
    report = d.run(client.actions.send_many(action_id, addresses(6), batch_size=2, journal=journal))
    assert report.counts["unknown"] == 4

    given: str | Path = str(journal) if d.is_async else journal  # a str or any os.PathLike
    opened = d.run(client.actions.reconcile(given))
    assert isinstance(opened, np6.SendReport)
    assert opened is not report
    assert opened.counts == {"sent": 4, "rejected": 0, "failed": 0, "unknown": 2}

    reread = np6.SendReport.open(journal)
    try:
        assert [item.outcome for item in reread] == [SENT, SENT, UNKNOWN, UNKNOWN, SENT, SENT]
        for index in (0, 1):
            assert reread[index].evidence == opened[index].evidence
            assert reread[index].evidence is not None
            assert reread[index].message_id == opened[index].message_id is not None
        assert reread.reconciled_at == opened.reconciled_at is not None
        assert "no event found as of" in (reread[2].reason or "")
    finally:
        reread.close()
        opened.close()

    # Again, later: nothing new is proven, and the earlier evidence is not spent twice.
    again = d.run(client.actions.reconcile(journal))
    assert again.counts == {"sent": 4, "rejected": 0, "failed": 0, "unknown": 2}
    again.close()


# --------------------------------------------------------------------------------------- one event, one message


def test_two_unknown_messages_to_one_recipient_need_two_events(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    # Three messages to Alice, one per batch: the first and the third were processed, the second was not.
    sandbox.faults.add(after_processing_drop(), before_processing_500(), after_processing_500())
    alice = "alice@example.com"
    report = d.run(client.actions.send_many(action_id, [alice, alice, alice, "bob@example.com"], batch_size=1))
    assert report.counts == {"sent": 1, "rejected": 0, "failed": 0, "unknown": 3}
    assert sandbox.deliveries.recipients().count(alice) == 2

    d.run(client.actions.reconcile(report))
    outcomes = [item.outcome for item in report]
    assert outcomes.count(SENT) == 3  # two of Alice's three, and Bob's
    # Nothing in an activation says which of Alice's messages it is about: the earliest attempts are marked. The
    # count is what is proven (two of them went through); which two, NP6's events cannot tell.
    assert outcomes[:3] == [SENT, SENT, UNKNOWN]
    proofs = [report[i].evidence for i in (0, 1)]
    assert {p.message_id for p in proofs if p is not None} == set(message_ids(sandbox)[alice])


def test_events_of_messages_the_report_holds_as_sent_prove_nothing(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    # Alice twice: the first message is answered (sent, with NP6's message id), the second gets a 500 before
    # processing. The activation of the first must not be taken for the second.
    sandbox.faults.add(ok(), before_processing_500())
    alice = "alice@example.com"
    report = d.run(client.actions.send_many(action_id, [alice, alice], batch_size=1))
    assert [item.outcome for item in report] == [SENT, UNKNOWN]
    d.run(client.actions.reconcile(report))
    assert [item.outcome for item in report] == [SENT, UNKNOWN]


def test_the_activation_and_the_bounce_of_one_message_prove_one_message(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    bob = "bob@example.com"
    sandbox.reactions.bounce(bob, verdict="hard")
    sandbox.faults.add(after_processing_drop(), before_processing_drop())
    report = d.run(client.actions.send_many(action_id, [bob, bob], batch_size=1))
    assert report.counts["unknown"] == 2
    d.run(client.actions.reconcile(report, kinds=("activation", "bounce")))
    assert [item.outcome for item in report] == [SENT, UNKNOWN]
    assert report[0].evidence is not None
    assert report[0].evidence.event_type == "activation"


def test_contacts_sent_to_by_id_and_by_hash_are_matched(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    carol = sandbox.contacts.create("carol@example.com")
    dave = sandbox.contacts.create("dave@example.com")
    client = d.client(sandbox)
    sandbox.faults.add(after_processing_500())
    messages = [np6.Recipient.by_id(carol.id), np6.Recipient.by_hash(dave.hash.upper())]
    report = d.run(client.actions.send_many(action_id, messages))
    assert report.counts["unknown"] == 2
    d.run(client.actions.reconcile(report))
    assert report.counts["sent"] == 2
    assert [item.evidence.message_id for item in report if item.evidence] == [
        message_ids(sandbox)["carol@example.com"][0],
        message_ids(sandbox)["dave@example.com"][0],
    ]


# --------------------------------------------------------------------------------------- time


def test_events_before_the_attempt_are_not_proof(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    alice = "alice@example.com"
    now = int(time.time() * 1000)
    # Alice got this action earlier (another send, not in this report): ten minutes ago, and 30 seconds ago.
    sandbox.events.add(activation(action_id, alice, now - 600_000, message_id="m-old", event_id="e-old"))
    sandbox.faults.add(before_processing_500())
    report = d.run(client.actions.send_many(action_id, [alice]))
    assert report.counts["unknown"] == 1
    d.run(client.actions.reconcile(report))
    assert report[0].outcome is UNKNOWN

    # Within the clock-skew margin (one minute by default), an event is taken as this attempt's.
    sandbox.events.add(activation(action_id, alice, now - 30_000, message_id="m-recent", event_id="e-recent"))
    d.run(client.actions.reconcile(report, margin=dt.timedelta(seconds=5)))
    assert report[0].outcome is UNKNOWN
    d.run(client.actions.reconcile(report))
    assert report[0].outcome is SENT
    assert report[0].evidence is not None
    assert report[0].evidence.event_id == "e-recent"


def test_an_event_recorded_late_is_found_by_a_later_reconcile(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.events.lag = 0.3  # NP6 records events after the fact
    sandbox.faults.add(after_processing_drop())
    report = d.run(client.actions.send_many(action_id, ["alice@example.com"]))
    d.run(client.actions.reconcile(report))
    assert report[0].outcome is UNKNOWN
    assert "no event found as of" in (report[0].reason or "")
    first = report.reconciled_at
    time.sleep(0.35)
    d.run(client.actions.reconcile(report))
    assert report[0].outcome is SENT
    assert first is not None
    assert report.reconciled_at is not None
    assert report.reconciled_at > first


def test_until_bounds_the_window(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(after_processing_drop())
    report = d.run(client.actions.send_many(action_id, ["alice@example.com"]))
    attempted = report[0].attempted_at
    assert attempted is not None
    # Alice was sent the action again later (by hand, say): reading the feed up to then keeps that send out.
    d.run(client.actions.reconcile(report, until=attempted - dt.timedelta(seconds=30)))
    assert report[0].outcome is UNKNOWN
    assert report.reconciled_at is not None
    assert report.reconciled_at < attempted
    with pytest.raises(np6.InvalidInputError):
        d.run(client.actions.reconcile(report, until=attempted - dt.timedelta(minutes=5)))


# --------------------------------------------------------------------------------------- arguments, no work


def test_a_report_without_unknowns_makes_no_request(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    report = d.run(client.actions.send_many(action_id, addresses(3)))
    tripwire = Fault.error(500, operation="list_action_activations")
    sandbox.faults.add(tripwire)
    assert d.run(client.actions.reconcile(report)) is report
    assert sandbox.faults.pending() == [tripwire]
    assert report.reconciled_at is None


def test_bad_arguments_are_refused_before_any_request(sandbox: Sandbox, d: Driver) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    sandbox.faults.add(before_processing_500())
    report = d.run(client.actions.send_many(action_id, ["alice@example.com"]))
    for call in (
        lambda: client.actions.reconcile(42),
        lambda: client.actions.reconcile(report, kinds=("click",)),
        lambda: client.actions.reconcile(report, kinds="activation"),
        lambda: client.actions.reconcile(report, kinds=()),
        lambda: client.actions.reconcile(report, margin=dt.timedelta(seconds=-1)),
        lambda: client.actions.reconcile(report, margin=60),
    ):
        assert isinstance(d.raises(call), np6.InvalidInputError)
    assert report.reconciled_at is None


def test_a_resumed_send_sends_again_only_what_reconcile_did_not_prove(
    sandbox: Sandbox, d: Driver, tmp_path: Path
) -> None:
    action_id = validated_action(sandbox)
    client = d.client(sandbox)
    journal = tmp_path / "send.journal"
    recipients = addresses(4)
    sandbox.faults.add(after_processing_drop(), before_processing_drop())
    d.run(client.actions.send_many(action_id, recipients, batch_size=2, journal=journal)).close()
    d.run(client.actions.reconcile(journal)).close()
    assert sandbox.deliveries.recipients() == recipients[:2]

    resumed = d.run(client.actions.send_many(action_id, recipients, batch_size=2, journal=journal, resend_unknown=True))
    assert resumed.counts == {"sent": 4, "rejected": 0, "failed": 0, "unknown": 0}
    assert sandbox.deliveries.recipients() == recipients  # the proven ones were not sent twice
    assert sandbox.deliveries.duplicates() == {}
    assert resumed[0].evidence is not None
    assert resumed[2].evidence is None
    resumed.close()
