"""A one-time login code by SMS: the message's type picks NP6's SMS channel, the rest is as for an e-mail.

    np6 sandbox            # in another terminal: a local NP6; paste the two export lines it prints
    python examples/sms.py +33612345678

In production NP6_API_KEY holds your key and NP6_BASE_URL is left unset: the same code then talks to NP6.
"""

import secrets
import sys

import np6


def main(phone: str) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    with np6.Client() as client:  # the key and the server come from the environment
        action = client.actions.create(np6.sms_action(name="Login code", text="Your Example Shop code: [[code]]"))
        client.actions.validate(action.id, test_segments=[1])  # 1: the sandbox's test segment

        message = np6.SmsMessage(phone, data={"code": code})
        # A render costs nothing and sends nothing: a cheap check of what the customer will read.
        preview = client.actions.render(action.id, message)
        if isinstance(preview, np6.models.RenderSuccess):
            print(f"text: {preview.text}")

        result = client.actions.send(action.id, message)
        if not isinstance(result, np6.models.ExecutionSuccess):
            raise SystemExit(f"NP6 did not send it: {result}")
        print(f"sent to {phone}: message id {result.id}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "+33612345678")
