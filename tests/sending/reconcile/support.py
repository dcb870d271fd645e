"""Helpers of the reconcile tests: a driver running one scenario with `np6.Client` or `np6.AsyncClient` against a
sandbox, a validated action, and faults that hit a send before or after the sandbox processed it."""

from __future__ import annotations

from typing import Any

import np6
from np6.sandbox import Fault, Sandbox

from tests.dual_clients import DualClients

KEY = "sbx-reconcile-key-NEVER-LEAK-5120"
BASE_URL = "http://localhost"

SEND = "send_messages"


def after_processing_drop() -> Fault:
    """The connection is lost once the sandbox processed the batch: NP6 sent it, the client cannot know."""
    return Fault.drop(after_processing=True, operation=SEND)


def after_processing_500() -> Fault:
    """A 500 once the sandbox processed the batch (e.g. a proxy failing after NP6 answered)."""
    return Fault.error(500, after_processing=True, operation=SEND)


def before_processing_500() -> Fault:
    """A 500 before anything was processed: unknown to the client, never sent."""
    return Fault.error(500, operation=SEND)


def before_processing_drop() -> Fault:
    """The connection is lost before the sandbox read the batch: unknown to the client, never sent."""
    return Fault.drop(after_processing=False, operation=SEND)


def ok() -> Fault:
    """No fault: a batch answered normally (a zero delay), to keep the fault queue in batch order."""
    return Fault.slow(0.0, operation=SEND)


class Driver(DualClients):
    def client(self, sandbox: Sandbox, **options: Any) -> Any:
        """A client of the driver's mode over the sandbox, typed Any: the tests use both surfaces the same way."""
        options.setdefault("api_key", sandbox.api_key)
        options.setdefault("base_url", BASE_URL)
        options.setdefault("max_retries", 0)
        return self._client_over(sandbox.transport, **options)


def validated_action(sandbox: Sandbox) -> str:
    with sandbox.client(max_retries=0) as client:
        action = client.actions.create(
            np6.email_action(
                name="Reconcile", sender=np6.Sender.parse("news@example.com"), subject="Hi", html="<p>Hi</p>"
            )
        )
        client.actions.validate(action.id, test_segments=[1])
        return str(action.id)


def activation(action_id: str, unicity: str, timestamp: int, *, message_id: str, event_id: str) -> dict[str, Any]:
    """A raw activation event as the sandbox (and NP6's reference example) shapes it."""
    detail = {
        "id": action_id,
        "kind": "message",
        "receiver": {"type": "footprint", "unicity": unicity},
        "recipient": unicity,
        "stamp": {"time": timestamp, "id": message_id},
    }
    return {
        "type": "activation",
        "id": event_id,
        "timestamp": timestamp,
        "source": {"type": "email", "detail": {"activation": detail}},
    }
