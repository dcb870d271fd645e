"""Spec conformance of the sandbox, checked by a property-based API tester (schemathesis) over loopback.

Schemathesis generates requests from the curated document, valid and invalid ones, and checks every answer: a
declared status, a declared content type, declared headers, a body matching the response schema, no 5xx, 405 for
undeclared methods. Two of its heuristics are left out on purpose: `positive_data_acceptance` expects a 2xx for
every schema-valid request (the sandbox answers 400 to `{"fortest": null}`, a 400 the spec declares, because
NP6's reaction to it is undocumented) and `negative_data_rejection` expects unknown query parameters to be
refused (NP6 ignores them, like most HTTP APIs). Examples per operation are bounded to keep the run short.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from np6.sandbox import Sandbox, SandboxServer
from np6.sandbox._spec import load_document
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

KEY = "conformance-key"
EXAMPLES_PER_OPERATION = 25

# The vendor media types carry JSON: serialise them as such.
schemathesis.serializer.alias("application/vnd.np6.cm.email", "application/json")
schemathesis.serializer.alias("application/vnd.np6.cm.sms", "application/json")

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(load_document())))


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Sandbox, SandboxServer]]:
    # strict=False: a mismatch is answered 500 (which schemathesis reports) instead of raising in a server thread.
    sandbox = Sandbox(api_key=KEY, strict=False)
    with sandbox.serve() as running:
        yield sandbox, running
    assert not sandbox.mismatches, [str(m) for m in sandbox.mismatches[:3]]


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_sandbox_answers_conform_to_the_spec(case: Any, server: tuple[Sandbox, SandboxServer]) -> None:
    _, running = server
    case.call_and_validate(
        base_url=running.url,
        headers={"X-Key": KEY},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
