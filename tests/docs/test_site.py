"""The documentation site builds with `mkdocs build --strict` and not one warning, into a temporary folder (nothing
built lands in the repository), and its API reference pages exist and document what users call."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.support import DOCS, ROOT

REFERENCE = {
    # page: what it must document, by the names users read
    "clients": ["Client", "AsyncClient", "with_options", "RetryPolicy", "Limits", "RequestOptions", "actions"],
    "actions": ["send_many", "send", "validate", "render", "reconcile", "SendReport"],
    "contacts": ["Targets", "upsert", "Fields", "FieldMap", "Segments", "add_members"],
    "events": ["Events", "iter", "BounceEvent", "ActivationEvent", "UnknownEvent"],
    "messages": ["email_action", "sms_action", "EmailMessage", "SmsMessage", "Sender", "Recipient", "Channel"],
    "reports": ["SendReport", "MessageOutcome", "Outcome", "retryable", "to_csv", "open"],
    "errors": ["NP6Error", "APIStatusError", "RateLimitError", "outcome_unknown", "SendInterrupted"],
    "models": ["ExecutionSuccess", "MailMessageAction", "Target", "Segment"],
    "sandbox": ["Sandbox", "deliveries", "faults", "serve", "Fault", "SandboxServer", "Deliveries"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("site")
    # Material's banner about its successor is not a warning of this build.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return folder, output


def text_of(page: Path) -> str:
    """The words of a built page, without its markup."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_the_site_builds_without_a_warning(site: tuple[Path, str]) -> None:
    folder, output = site
    assert "WARNING" not in output, output
    assert "Documentation built" in output
    for page in DOCS.rglob("*.md"):
        built = folder / page.relative_to(DOCS).with_suffix("") / "index.html"
        if page.name == "index.md":
            built = folder / page.relative_to(DOCS).parent / "index.html"
        assert built.is_file(), f"{page.relative_to(DOCS)} was not built"


@pytest.mark.parametrize("area", sorted(REFERENCE))
def test_the_reference_page_documents_its_area(site: tuple[Path, str], area: str) -> None:
    words = text_of(site[0] / "reference" / area / "index.html")
    for name in REFERENCE[area]:
        assert re.search(rf"\b{re.escape(name)}\b", words), f"reference/{area} does not mention {name}"


def test_the_reference_has_the_methods_made_at_import_time_in_declaration_order(site: tuple[Path, str]) -> None:
    page = (site[0] / "reference" / "actions" / "index.html").read_text(encoding="utf-8")
    # Declared once as flows and made into methods when the package is imported: invisible in the source alone.
    names = ("get", "create", "validate", "send", "render", "reconcile", "send_many")
    positions = [page.index(f'id="np6._resources.actions.Actions.{name}"') for name in names]
    assert positions == sorted(positions)
    words = text_of(site[0] / "reference" / "actions" / "index.html")
    assert "Send the action to any number of messages" in words  # send_many's docstring, on the async twin too
    assert words.count("Send the action to any number of messages") == 2
    sandbox = text_of(site[0] / "reference" / "sandbox" / "index.html")
    assert "Every message it accepted, in order" in sandbox  # a property built by a helper, with its docstring


def test_the_testing_guide_shows_the_example_file_itself(site: tuple[Path, str]) -> None:
    words = text_of(site[0] / "testing" / "index.html")
    example = (ROOT / "examples" / "test_with_sandbox.py").read_text(encoding="utf-8")
    for name in re.findall(r"^def (\w+)\(", example, flags=re.MULTILINE):
        assert re.search(rf"def\s+{name}\s*\(", words), f"def {name}( is not on the page"
