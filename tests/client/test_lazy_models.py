"""What a cold start loads: `import np6` no generated model, a first send only the models of that send, and each
other resource its own on first use (issue #15). Each program runs in a fresh interpreter, whose `sys.modules` is
what it imported; the lazy `np6.models` and `np6_generated.models` still export every name."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import np6
import np6.models
import np6_generated.models
import pytest

from tests.harness import SUCCESS

OVERLAY = Path(np6.__file__).resolve().parent
SEGMENT = {"id": 1319, "type": "static", "name": "Tests", "isTest": True}

PROGRAM = f"""
import json, sys
import httpx


def loaded(prefix):
    return sorted(name for name in sys.modules if name.startswith(prefix))


def answer(request):
    if request.url.path == "/segments":
        return httpx.Response(200, json=[{SEGMENT!r}])
    return httpx.Response(200, json={SUCCESS!r})


seen = {{}}
import np6

seen["import"] = loaded("np6_generated.models.")
client = np6.Client("k", transport=httpx.MockTransport(answer))
seen["client"] = loaded("np6_generated.models.")
result = client.actions.send("000ABC", np6.EmailMessage("alice@example.com"))
seen["send"] = {{
    "result": type(result).__name__,
    "models": loaded("np6_generated.models."),
    "operations": loaded("np6_generated.api."),
    "resources": loaded("np6._resources."),
}}
segments = client.segments.list()
seen["segments"] = {{
    "result": [type(segment).__name__ for segment in segments],
    "models": loaded("np6_generated.models."),
    "resources": loaded("np6._resources."),
}}
print(json.dumps(seen))
"""


def _run_fresh() -> dict[str, Any]:
    output = subprocess.run([sys.executable, "-c", PROGRAM], check=True, capture_output=True, text=True).stdout
    seen: dict[str, Any] = json.loads(output)
    return seen


def test_a_cold_start_loads_the_models_of_what_it_uses_only() -> None:
    seen = _run_fresh()
    assert seen["import"] == []
    assert seen["client"] == []
    send = seen["send"]
    assert send["result"] == "ExecutionSuccess"
    models = {name.rpartition(".")[2] for name in send["models"]}
    # The message sent (with the types of its data, blocks and variables), its answer and the recipients either
    # can hold (the SMS body comes with the actions resource, as send_many's), and the models the builders'
    # public annotations name (resolvable at run time: tests/typing/test_runtime_hints.py): a fifth of the models.
    assert models <= {
        "sender",
        "carbon_copy",
        "attachment",
        "stamp",
        "render_context",
        "email_render_definition",
        "sms_render_definition",
        "email_message",
        "email_message_data",
        "email_message_blocks_item",
        "email_message_variables_item",
        "sms_message",
        "execution_success",
        "execution_error",
        "unknown_execution_result",
        "recipient_by_id",
        "recipient_by_unicity",
        "recipient_by_hash",
        "recipient_by_footprint",
        "unknown_recipient",
    }
    assert "np6_generated.api.actions.send_message_email" in send["operations"]
    assert not any(
        name.startswith(("np6_generated.api.segments", "np6_generated.api.targets")) for name in send["operations"]
    )
    assert "np6._resources.segments" not in send["resources"]
    assert "np6._resources.targets" not in send["resources"]
    assert "np6._resources.fields" not in send["resources"]
    assert "np6._resources.events" not in send["resources"]

    # Another resource, used later, loads its own models then, and works.
    later = seen["segments"]
    assert later["result"] == ["Segment"]
    assert "np6_generated.models.segment" in later["models"]
    assert "np6._resources.segments" in later["resources"]
    assert "np6_generated.models.target" not in later["models"]


def test_the_resources_are_documented_once_loaded() -> None:
    """`np6.Client.actions` on the class is the resource's class, imported then; the descriptor carries its
    docstring from that moment (what `help()` and the reference show)."""
    for client in (np6.Client, np6.AsyncClient):
        for name in ("actions", "targets", "fields", "segments", "events"):
            kind = getattr(client, name)
            assert vars(client)[name].__doc__ == kind.__doc__
            assert kind.__module__ == f"np6._resources.{name}"


def test_np6_models_exports_every_name_lazily() -> None:
    for name in np6.models.__all__:
        assert getattr(np6.models, name) is not None
    assert set(np6.models.__all__) <= set(dir(np6.models))
    assert np6.models.ExecutionSuccess is np6_generated.models.ExecutionSuccess
    result = np6.models.ExecutionSuccess.from_dict(SUCCESS)
    assert isinstance(result, np6.models.ExecutionResult)


def test_the_union_aliases_of_np6_models_are_those_type_checkers_see() -> None:
    """`np6/models.py` writes each union twice: as a type alias for the checkers (under TYPE_CHECKING) and in
    `_UNIONS`, which builds it at run time. The two must name the same members in the same order."""
    tree = ast.parse((OVERLAY / "models.py").read_text(encoding="utf-8"))
    checked = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
    aliases = {
        node.target.id: tuple(ast.unparse(node.value).split(" | "))
        for block in checked
        for node in block.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None
    }
    assert aliases == np6.models._UNIONS
    for name, members in aliases.items():
        assert getattr(np6.models, name) == eval(" | ".join(f"np6_generated.models.{m}" for m in members))


def test_the_generated_models_package_imports_each_model_on_first_use() -> None:
    assert set(np6_generated.models.__all__) <= set(dir(np6_generated.models))
    for name in np6_generated.models.__all__:
        model = getattr(np6_generated.models, name)
        assert model.__name__ == name
        assert model.__module__.startswith("np6_generated.models.")
    namespace: dict[str, Any] = {}
    exec("from np6_generated.models import *", namespace)
    assert set(np6_generated.models.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        np6_generated.models.NoSuchModel  # noqa: B018


def test_the_generated_models_package_answers_attribute_lookups_as_a_module_does() -> None:
    import np6_generated.models as generated

    assert generated.email_message.EmailMessage is generated.EmailMessage  # a model's module, as before
    # Whatever is not a model nor a model's module is an AttributeError (what hasattr, mock and inspect expect).
    for name in ("nope", "a.b", "__wrapped__", "email_message.EmailMessage"):
        assert not hasattr(generated, name), name
