"""Helpers of the `np6` command tests: the command run as a user runs it (a subprocess whose environment holds no
NP6_ variable but the ones given), and the actions it is run on, made through a sandbox's own client."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import np6
from np6.sandbox import Sandbox, SandboxServer

KEY = "cli-test-key-0123456789"
Served = tuple[Sandbox, SandboxServer]
"""A sandbox and the loopback server that puts it on a socket."""
NP6 = [sys.executable, "-m", "np6._cli"]


def environment(server: SandboxServer | None = None, *, key: str | None = KEY) -> dict[str, str]:
    """This process's environment without its NP6_ variables, plus the key, the sandbox's URL and a fixed layout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NP6_")}
    if key is not None:
        env.update({"NP6_API_KEY": key, "COLUMNS": "120", "NO_COLOR": "1"})
    if server is not None:
        env["NP6_BASE_URL"] = server.url
    return env


def np6_command(server: SandboxServer | None, *args: str, key: str = KEY) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NP6, *args], env=environment(server, key=key), capture_output=True, text=True, timeout=60, check=False
    )


def email_action(name: str) -> Any:
    return np6.email_action(
        name=name,
        sender=np6.Sender(prefix="hello", domain="example.com", label="Shop"),
        subject="Hi [[unicity]]",
        text="Hello [[unicity]]",
    )


def validated_email_action(box: Sandbox) -> str:
    with box.client() as client:
        action = client.actions.create(email_action("Welcome"))
        client.actions.validate(action.id, test_segments=[1])
    return action.id


def unvalidated_sms_action(box: Sandbox) -> str:
    with box.client() as client:
        return client.actions.create(np6.sms_action(name="Code", text="Your code: [[code]]")).id
