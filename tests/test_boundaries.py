"""The boundaries the layout promises (docs/architecture.md): the overlay uses only public names of the generated
package, and its modules use each other only through what each declares in `__all__`."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import httpx
import np6_generated.api
import pytest

OVERLAY = Path(__file__).resolve().parents[1] / "overlay" / "np6"
SOURCES = sorted(OVERLAY.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(OVERLAY.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _declared(module: str) -> set[str] | None:
    """The names listed in a module's `__all__`, read from its source; None when it has no `__all__`."""
    relative = Path(*module.split(".")[1:])
    path = OVERLAY / relative / "__init__.py" if (OVERLAY / relative).is_dir() else OVERLAY / f"{relative}.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return {elt.value for elt in ast.walk(node.value) if isinstance(elt, ast.Constant)}
    return None


def _is_module(module: str, name: str) -> bool:
    relative = Path(*module.split(".")[1:], name)
    return (OVERLAY / relative).is_dir() or (OVERLAY / f"{relative}.py").is_file()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(OVERLAY)))
def test_no_private_name_of_the_generated_package(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    generated_names: set[str] = set()
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("np6_generated"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    offences.append(f"line {node.lineno}: imports {alias.name}")
                generated_names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            generated_names.update(
                (a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("np6_generated")
            )
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in generated_names
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            offences.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    assert offences == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(OVERLAY)))
def test_modules_import_each_other_only_through_their_declared_api(path: Path) -> None:
    offences = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = _resolve(path, node)
        if module != "np6" and not module.startswith("np6."):
            continue
        declared = _declared(module)
        for alias in node.names:
            if _is_module(module, alias.name):
                continue  # a submodule: its own `__all__` governs what is used of it
            if alias.name.startswith("_") and alias.name != "__version__":
                offences.append(f"line {node.lineno}: {alias.name} from {module}")
            elif declared is not None and alias.name not in declared:
                offences.append(f"line {node.lineno}: {alias.name} is not in {module}.__all__")
    assert offences == []


def _operations() -> list[str]:
    return sorted(
        info.name for info in pkgutil.walk_packages(np6_generated.api.__path__, "np6_generated.api.") if not info.ispkg
    )


@pytest.mark.parametrize("name", _operations())
def test_every_generated_operation_has_a_typed_sans_io_surface(name: str) -> None:
    module = importlib.import_module(name)
    build = inspect.signature(module.build_request)
    assert build.return_annotation in ("RequestArgs", "np6_generated.types.RequestArgs") or (
        build.return_annotation.__name__ == "RequestArgs"
    )
    parse = inspect.signature(module.parse_response)
    assert list(parse.parameters) == ["response"]
    assert "Any" not in str(parse.return_annotation)  # the documented success types, not the generator's union
    # The generator view's `#email` / `#sms` fragment is cut at generation time.
    assert "#" not in inspect.getsource(module.build_request).split('"url":', 1)[1].split("\n", 1)[0]


def test_parse_response_refuses_a_status_the_spec_does_not_document() -> None:
    from np6_generated.api.actions import get_action
    from np6_generated.errors import UnexpectedStatus

    with pytest.raises(UnexpectedStatus):
        get_action.parse_response(httpx.Response(201, json={"type": "mailMessage"}))


def test_the_lazy_exports_of_np6_are_what_type_checkers_see() -> None:
    """`np6/__init__.py` lists its lazily imported names twice: in `_LAZY_BY_MODULE` for the run time and as
    plain imports under TYPE_CHECKING for the checkers. The two must name the same things from the same modules."""
    import np6

    tree = ast.parse((OVERLAY / "__init__.py").read_text(encoding="utf-8"))
    checked = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    seen: dict[str, str] = {}
    for node in checked.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            seen[alias.name] = "." * node.level + (f"{node.module}" if node.module else alias.name)
    lazy = {name: module for name, module in np6._LAZY.items()}  # type: ignore[attr-defined]
    assert lazy == seen
    assert set(lazy) <= set(np6.__all__)
    for name in np6.__all__:
        assert getattr(np6, name) is not None
