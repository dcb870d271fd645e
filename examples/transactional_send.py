"""One transactional e-mail: an order confirmation whose details fill the action's placeholders.

    np6 sandbox            # in another terminal: a local NP6; paste the two export lines it prints
    python examples/transactional_send.py

In production NP6_API_KEY holds your key and NP6_BASE_URL is left unset: the same code then talks to NP6.
"""

import np6

CUSTOMER = "alice@example.com"
ORDER = {"firstname": "Alice", "order": "A-1001", "total": "42.50 EUR"}


def main() -> None:
    with np6.Client() as client:  # the key and the server come from the environment
        # An action is NP6's template. Real code creates it once (or in NP6's interface) and keeps its id.
        action = client.actions.create(
            np6.email_action(
                name="Order confirmation",
                sender=np6.Sender(prefix="orders", domain="example.com", label="Example Shop"),
                subject="Order [[order]] confirmed",
                html="<p>Hello [[firstname]], we received order [[order]] ([[total]]).</p>",
                text="Hello [[firstname]], we received order [[order]] ([[total]]).",
            )
        )
        # NP6 sends validated actions only: a test phase (proofs to a test segment: 1 is the sandbox's, take
        # yours from client.segments.test_segments()), then production. Done once per action.
        client.actions.validate(action.id, test_segments=[1])

        result = client.actions.send(action.id, np6.EmailMessage(CUSTOMER, data=ORDER))
        if not isinstance(result, np6.models.ExecutionSuccess):
            raise SystemExit(f"NP6 did not send it: {result}")  # e.g. the recipient is not a contact
        # The message id is how NP6's delivery events name this message later (see poll_events.py).
        print(f"sent order {ORDER['order']} to {CUSTOMER}: message id {result.id}")


if __name__ == "__main__":
    main()
