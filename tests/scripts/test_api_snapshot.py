"""The public API of np6 changes only on purpose: compare it with the committed snapshot."""

from __future__ import annotations

import difflib

from tests.scripts.support import load_script


def _snapshot_module():  # type: ignore[no-untyped-def]
    return load_script("api_snapshot.py", "api_snapshot")


def test_public_api_matches_the_committed_snapshot() -> None:
    module = _snapshot_module()
    committed = module.SNAPSHOT.read_text(encoding="utf-8")
    current = module.snapshot()
    diff = "".join(difflib.unified_diff(committed.splitlines(True), current.splitlines(True), "api/np6.txt", "now"))
    assert not diff, (
        "the public API of np6 changed. If intended, refresh the snapshot with\n"
        "    .venv/bin/python scripts/api_snapshot.py --update\n" + diff
    )


def test_snapshot_names_every_export_and_the_exception_tree() -> None:
    import np6

    text = _snapshot_module().snapshot()
    for name in np6.__all__:
        assert name in text
    tree = text.split("# exception tree (np6)\n", 1)[1].splitlines()
    assert tree[0] == "NP6Error"
    assert "  APIStatusError" in tree
    assert "    RateLimitError" in tree
