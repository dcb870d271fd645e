"""Testing code that sends through NP6, against the sandbox: no account, no network, answers checked against NP6's
API description.

    pytest examples/test_with_sandbox.py

`welcome()` stands for the code under test. The fixtures are the recipe: copy them into your conftest.py.
"""

from collections.abc import Iterator

import np6
import pytest
from np6.sandbox import Fault, Sandbox


def welcome(client: np6.Client, action_id: str, address: str, firstname: str) -> str | None:
    """Send the welcome e-mail; NP6's message id, or None when NP6 refused that recipient."""
    result = client.actions.send(action_id, np6.EmailMessage(address, data={"firstname": firstname}))
    return result.id if isinstance(result, np6.models.ExecutionSuccess) else None


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    yield box
    # Strict by default, the sandbox raises a spec mismatch in the caller; this catches one a broad `except` hid.
    assert box.mismatches == []


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[np6.Client]:
    # In-process: the client production uses, over another transport. Retries do not wait: no test sleeps.
    with sandbox.client(retry_policy=np6.RetryPolicy(sleep=lambda seconds: None)) as client:
        yield client


@pytest.fixture
def action_id(client: np6.Client) -> str:
    action = client.actions.create(
        np6.email_action(
            name="Welcome",
            sender=np6.Sender.parse("hello@example.com"),
            subject="Welcome, [[firstname]]",
            html="<p>Hello [[firstname]]</p>",
        )
    )
    client.actions.validate(action.id, test_segments=[1])  # the sandbox starts with test segment 1
    return action.id


@pytest.fixture
def environment(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For code that builds its own `np6.Client()`: the sandbox on a loopback port, named by the environment."""
    with sandbox.serve(api_key="test-key") as server:
        monkeypatch.setenv("NP6_BASE_URL", server.url)
        monkeypatch.setenv("NP6_API_KEY", server.api_key)
        yield


def test_the_welcome_reaches_the_contact_with_their_name(client: np6.Client, sandbox: Sandbox, action_id: str) -> None:
    message_id = welcome(client, action_id, "alice@example.com", "Alice")

    assert sandbox.deliveries.recipients() == ["alice@example.com"]
    delivery = sandbox.deliveries[0]
    assert delivery.message_id == message_id
    assert delivery.message is not None
    assert delivery.message["data"] == {"firstname": "Alice"}
    rendered = client.actions.render(action_id, np6.EmailMessage("alice@example.com", data={"firstname": "Alice"}))
    assert isinstance(rendered, np6.models.RenderSuccess)
    assert rendered.subject == "Welcome, Alice"


def test_an_unknown_recipient_is_refused_not_raised(client: np6.Client, sandbox: Sandbox, action_id: str) -> None:
    # Addresses at invalid.example never resolve: NP6's per-message "recipient not found".
    assert welcome(client, action_id, "nobody@invalid.example", "Nobody") is None
    assert sandbox.deliveries.count() == 0


def test_a_brief_outage_is_retried(client: np6.Client, sandbox: Sandbox, action_id: str) -> None:
    sandbox.faults.add(Fault.error(503, operation="send_message"))  # the next send is refused, unprocessed
    assert welcome(client, action_id, "alice@example.com", "Alice") is not None
    assert sandbox.deliveries.count() == 1
    assert sandbox.faults.pending() == []


def test_a_lost_answer_is_never_sent_twice(client: np6.Client, sandbox: Sandbox, action_id: str) -> None:
    sandbox.faults.add(Fault.drop(operation="send_message"))  # processed, then the connection is lost
    with pytest.raises(np6.APIConnectionError) as raised:
        welcome(client, action_id, "alice@example.com", "Alice")
    assert raised.value.outcome_unknown
    assert sandbox.deliveries.count() == 1
    assert sandbox.deliveries.duplicates() == {}


@pytest.mark.usefixtures("environment")
def test_code_that_builds_its_own_client(sandbox: Sandbox, action_id: str) -> None:
    with np6.Client() as production_like:  # NP6_BASE_URL and NP6_API_KEY name the sandbox
        report = production_like.actions.send_many(action_id, ["a@example.com", "b@example.com"])
    assert report.counts["sent"] == 2
    assert sandbox.deliveries.recipients() == ["a@example.com", "b@example.com"]
