"""What the documentation tests share: the repository's paths, and a sandbox on loopback with the environment a
reader has once `np6 sandbox`'s export lines are pasted (NP6_BASE_URL, NP6_API_KEY)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from np6.sandbox import Sandbox, SandboxServer

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
# The `np6` console script and the `python` a reader's shell finds: the ones beside the interpreter running the tests.
BIN = Path(sys.executable).parent
KEY = "docs-test-key-0123456789"


@dataclass(frozen=True)
class Served:
    """A sandbox and its loopback server: the test inspects the one while the code under test talks to the other."""

    sandbox: Sandbox
    server: SandboxServer

    def environment(self) -> dict[str, str]:
        """This process's environment as a reader's shell would have it, pointed at the server."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("NP6_")}
        env.update(
            {
                "NP6_BASE_URL": self.server.url,
                "NP6_API_KEY": self.server.api_key,
                "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
                "COLUMNS": "120",
                "NO_COLOR": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(OFFLINE)
        return env


# Anything that would leave this machine (code ignoring NP6_BASE_URL reaches production) goes to a proxy that
# refuses connections: it fails at once, and the sandbox key never travels.
OFFLINE = {
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost,::1",
}


@contextmanager
def serving(**options: Any) -> Iterator[Served]:
    """A fresh sandbox (options as for `Sandbox`) served on an ephemeral loopback port, with a key of its own."""
    sandbox = Sandbox(api_key=KEY, **options)
    with sandbox.serve() as server:
        yield Served(sandbox, server)
