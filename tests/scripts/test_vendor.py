"""`scripts/vendor.py`: a vendored copy that works on its own, a manifest that catches edits, safe updates.

Every copy lands in `tmp_path`. The copy is imported in a subprocess that cannot see the installed np6-cm
(`python -I -S`: no .pth files, so no editable install; and a finder that hides `np6`/`np6_generated` in case
they are installed as plain files), so a single import the rewrite missed fails the test.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import httpx
import pytest

from tests.scripts.support import PYTHON, ROOT, SCRIPTS, load_script

SCRIPT = SCRIPTS / "vendor.py"
#: The `run` fixture: vendor.py's main() in-process, giving (exit code, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]

PACKAGE = "myapp._vendor"
# Where httpx, attrs (and the sandbox extra's packages) live; put on sys.path without processing its .pth files.
SITE_PACKAGES = sorted({str(Path(module.__file__ or "").resolve().parent.parent) for module in (httpx, attrs)})
SUCCESS = {
    "type": "success",
    "id": "MSG-1",
    "recipient": {"type": "footprint", "id": "000T", "unicity": "a@x.io", "hash": "h"},
}

ISOLATION = """
import importlib.abc, json, sys
sys.path[:0] = sys.argv[1:]

class HideProject(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("np6", "np6_generated"):
            raise ModuleNotFoundError(f"hidden by the test: {name}", name=name)
        return None

sys.meta_path.insert(0, HideProject())
try:
    import np6
    hidden = False
except ModuleNotFoundError:
    hidden = True

def leaked():
    return sorted(m for m in sys.modules if m.partition(".")[0] in ("np6", "np6_generated"))

def files():
    return sorted({getattr(m, "__file__", None) or "" for n, m in sys.modules.items() if n.startswith("myapp")})
"""

SEND = (
    ISOLATION
    + f"""
import httpx
from myapp._vendor import np6 as vendored

seen = []

def handler(request):
    seen.append(request)
    return httpx.Response(200, json={SUCCESS!r})

client = vendored.Client(api_key="k", base_url="http://127.0.0.1", transport=httpx.MockTransport(handler))
with client:
    result = client.actions.send("000ABC", vendored.EmailMessage("a@x.io"))
(request,) = seen
print(json.dumps({{
    "hidden": hidden,
    "result": f"{{type(result).__module__}}.{{type(result).__qualname__}}",
    "id": result.id,
    "method": request.method,
    "path": request.url.path,
    "content_type": request.headers["content-type"],
    "body": json.loads(request.content),
    "leaked": leaked(),
    "files": files(),
}}))
"""
)

SANDBOX = (
    ISOLATION
    + """
from myapp._vendor import np6 as vendored
from myapp._vendor.np6.sandbox import Sandbox, _spec

sandbox = Sandbox()
with sandbox.client() as client:
    sender = vendored.Sender("news", "example.com", "News")
    action = client.actions.create(vendored.email_action(name="n", sender=sender, subject="s", html="<p>h</p>"))
    client.actions.validate(action.id, test_segments=[1])
    client.actions.send(action.id, "alice@example.com")
print(json.dumps({
    "hidden": hidden,
    "spec_package": _spec.SPEC_PACKAGE,
    "spec_version": _spec.load_document()["info"]["version"],
    "deliveries": sandbox.deliveries.count(),
    "leaked": leaked(),
    "files": files(),
}))
"""
)


@pytest.fixture(scope="module")
def vendor_module() -> ModuleType:
    """scripts/vendor.py, imported from its file (scripts/ is not a package)."""
    return load_script("vendor.py", "np6_vendor_under_test")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A consumer repository's src/ with its own package `myapp`."""
    src = tmp_path / "project" / "src"
    (src / "myapp").mkdir(parents=True)
    (src / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    return src


@pytest.fixture
def run(vendor_module: ModuleType, capsys: pytest.CaptureFixture[str]) -> Run:
    """vendor.py's main() in-process: (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = vendor_module.main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def checkout(tmp_path: Path, vendor_module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the parts of np6-cm that vendor.py reads, which a test may change; vendor.py reads this one."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "overlay" / "np6", root / "overlay" / "np6", ignore=ignore)
    shutil.copytree(ROOT / "generated" / "np6_generated", root / "generated" / "np6_generated", ignore=ignore)
    shutil.copy2(ROOT / "generated" / "np6_generated.stamp.json", root / "generated")
    shutil.copy2(ROOT / "pyproject.toml", root)
    monkeypatch.setattr(vendor_module, "ROOT", root)
    return root


@pytest.fixture(scope="module")
def templates(vendor_module: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """One copy without and one with the sandbox, made once: tests start from a copy of them (it is faster)."""
    made: dict[bool, Path] = {}
    for with_sandbox in (False, True):
        src = tmp_path_factory.mktemp("template")
        (src / "myapp").mkdir()
        vendor_module.vendor(src, PACKAGE, with_sandbox=with_sandbox)
        made[with_sandbox] = src / "myapp" / "_vendor"
    return made


def copy_template(template: Path, project: Path) -> Path:
    parent = project / "myapp" / "_vendor"
    shutil.copytree(template, parent)
    return parent


@pytest.fixture
def vendored(project: Path, templates: dict[bool, Path]) -> Path:
    """A copy made by vendor.py in `project` (the vendoring package is myapp/_vendor/)."""
    return copy_template(templates[False], project)


@pytest.fixture
def vendored_sandbox(project: Path, templates: dict[bool, Path]) -> Path:
    return copy_template(templates[True], project)


def isolated(script: str, project: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [PYTHON, "-I", "-S", "-c", script, str(project), *SITE_PACKAGES],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=project,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def copy_files(parent: Path) -> dict[str, str]:
    """sha256 of every file of the copy, bytecode caches left out."""
    return {
        path.relative_to(parent).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for name in ("np6", "np6_generated")
        for path in sorted((parent / name).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def manifest(parent: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((parent / "np6_vendor.json").read_text(encoding="utf-8"))
    return document


def snapshot(parent: Path) -> dict[str, bytes]:
    """Every byte under `parent`, to prove that a refused or failed run left it alone."""
    return {path.relative_to(parent).as_posix(): path.read_bytes() for path in parent.rglob("*") if path.is_file()}


# --------------------------------------------------------------------------------------------- the copy works


def test_the_copy_sends_without_the_installed_packages(project: Path, run: Run) -> None:
    code, out, err = run("--into", project, "--package", PACKAGE)
    assert code == 0, err
    assert "created myapp._vendor.np6 and myapp._vendor.np6_generated" in out

    seen = isolated(SEND, project)

    assert seen["hidden"] is True  # `import np6` fails in there: only the copy can have answered
    assert seen["method"] == "POST"
    assert seen["path"] == "/actions/000ABC/execution"
    assert seen["content_type"] == "application/vnd.np6.cm.email"
    assert seen["body"] == {"recipient": {"type": "unicity", "value": ["a@x.io"]}}
    assert seen["result"] == "myapp._vendor.np6_generated.models.execution_success.ExecutionSuccess"
    assert seen["id"] == "MSG-1"
    assert seen["leaked"] == []
    assert seen["files"]
    assert all(Path(file).is_relative_to(project) for file in seen["files"])


def test_the_sandbox_copy_loads_its_spec_from_the_vendored_package(project: Path, vendored_sandbox: Path) -> None:
    seen = isolated(SANDBOX, project)

    assert seen["hidden"] is True
    assert seen["spec_package"] == "myapp._vendor.np6_generated"
    assert seen["spec_version"] == "8.1.0"
    assert seen["deliveries"] == 1
    assert seen["leaked"] == []
    assert all(Path(file).is_relative_to(project) for file in seen["files"])


def test_no_import_of_the_top_level_packages_is_left(vendored_sandbox: Path) -> None:
    parent = vendored_sandbox
    sources = sorted(
        path
        for name in ("np6", "np6_generated")
        for path in (parent / name).rglob("*.py")
        if "__pycache__" not in path.parts
    )
    assert len(sources) > 100
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not node.value.startswith(("np6_generated.", "myapp._vendor.np6.")), path
                assert node.value != "np6_generated", path
                continue
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                assert top not in ("np6", "np6_generated"), f"{path}:{node.lineno}: import {name}"
                if "np6" in name:
                    assert name.startswith(("myapp._vendor.np6.", "myapp._vendor.np6_generated")), name
        # Only the package names changed: without the prefix, each file is its source byte for byte.
        relative = path.relative_to(parent)
        source = ROOT / ("overlay" if relative.parts[0] == "np6" else "generated") / relative
        assert text.replace("myapp._vendor.", "") == source.read_text(encoding="utf-8"), relative


# ------------------------------------------------------------------------------------------------ the rewrite

REWRITES = [
    ("from np6_generated.models import X\n", "from myapp._vendor.np6_generated.models import X\n"),
    ("from np6 import Client\n", "from myapp._vendor.np6 import Client\n"),
    (
        "from  np6_generated . models  import (\n    X,  # np6_generated\n)\n",
        "from  myapp._vendor.np6_generated.models  import (\n    X,  # np6_generated\n)\n",
    ),
    ("import np6_generated.models as m\n", "import myapp._vendor.np6_generated.models as m\n"),
    ("import np6\n", "from myapp._vendor import np6\n"),
    ("if TYPE_CHECKING: import np6_generated\n", "if TYPE_CHECKING: from myapp._vendor import np6_generated\n"),
    (
        "import os, np6_generated.models\n",
        "import os; from myapp._vendor import np6_generated; "
        "import myapp._vendor.np6_generated.models as _vendored_np6_generated_models\n",
    ),
    ('files("np6_generated")\n', 'files("myapp._vendor.np6_generated")\n'),
    ("P = 'np6_generated.models'\n", "P = 'myapp._vendor.np6_generated.models'\n"),
    # Columns in the AST are UTF-8 bytes: a non-ASCII character earlier on the line must not shift the edit.
    ('s = "é€"; from np6_generated import types\n', 's = "é€"; from myapp._vendor.np6_generated import types\n'),
    (
        "from np6_generated.a import b\r\nfrom np6 import c\r\n",
        "from myapp._vendor.np6_generated.a import b\r\nfrom myapp._vendor.np6 import c\r\n",
    ),
]

UNTOUCHED = '''"""Uses np6_generated and np6."""
from np6x import y
from .np6_generated import z
from . import np6
import np6x.np6_generated
# import np6_generated
LOGGER = "np6"
NAME = "np6.sandbox"
MESSAGE = "see the np6_generated package"


def f():
    """np6_generated"""
'''


@pytest.mark.parametrize(("source", "expected"), REWRITES)
def test_rewrite(vendor_module: ModuleType, source: str, expected: str) -> None:
    assert vendor_module.rewrite_source(source, PACKAGE)[0] == expected


def test_rewrite_leaves_everything_else_alone(vendor_module: ModuleType) -> None:
    text, warnings = vendor_module.rewrite_source(UNTOUCHED, PACKAGE, "m.py")
    assert text == UNTOUCHED
    assert warnings == ["m.py:9: a string mentions np6_generated but is not a module path: left as is"]


def test_rewrite_warns_about_f_strings_it_cannot_edit(vendor_module: ModuleType) -> None:
    source = 'name = f"np6_generated.{x}"\n'
    text, warnings = vendor_module.rewrite_source(source, PACKAGE, "m.py")
    assert text == source
    assert warnings == ["m.py:1: a string mentions np6_generated but is not a module path: left as is"]


def test_a_rewritten_plain_import_still_binds_its_name(
    vendor_module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "vendortestpkg" / "np6_generated"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "models.py").write_text("X = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    code, _ = vendor_module.rewrite_source(
        "import np6_generated.models\nVALUE = np6_generated.models.X\n", "vendortestpkg"
    )
    namespace: dict[str, Any] = {}
    try:
        exec(compile(code, "<vendored>", "exec"), namespace)
    finally:
        for name in [name for name in sys.modules if name.startswith("vendortestpkg")]:
            del sys.modules[name]
    assert namespace["VALUE"] == 42
    assert namespace["np6_generated"].__name__ == "vendortestpkg.np6_generated"


def test_a_source_that_does_not_parse_is_reported(vendor_module: ModuleType) -> None:
    with pytest.raises(vendor_module.VendorError, match=r"m\.py:1: not valid Python") as caught:
        vendor_module.rewrite_source("from np6 import (\n", PACKAGE, "m.py")
    assert caught.value.code == 2


# ------------------------------------------------------------------------------------- manifest and --check


def test_the_manifest_records_versions_and_every_file(project: Path, vendored: Path) -> None:
    parent = vendored
    recorded = manifest(parent)
    stamp = json.loads((ROOT / "generated" / "np6_generated.stamp.json").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    assert recorded["package"] == PACKAGE
    assert recorded["project_version"] == pyproject["project"]["version"]
    assert recorded["spec_version"] == stamp["spec_version"] == "8.1.0"
    assert recorded["spec_sha256"] == stamp["spec_sha256"]
    assert recorded["generator"] == stamp["generator"]
    assert recorded["with_sandbox"] is False
    assert recorded["files"] == copy_files(parent)
    for data_file in ("np6/py.typed", "np6_generated/py.typed", "np6_generated/openapi.json"):
        assert data_file in recorded["files"]
    openapi = (ROOT / "generated" / "np6_generated" / "openapi.json").read_bytes()
    assert (parent / "np6_generated" / "openapi.json").read_bytes() == openapi
    assert not [path for path in recorded["files"] if "__pycache__" in path or path.endswith(".pyc")]
    optional = ("np6/sandbox/", "np6/_cli/", "np6/_command.py", "np6/__main__.py")
    assert not [path for path in recorded["files"] if path.startswith(optional)]
    # The vendoring package was missing: it is created as a package; the user's own package is left alone.
    assert (parent / "__init__.py").read_bytes() == b""
    assert sorted(path.name for path in (project / "myapp").iterdir()) == ["__init__.py", "_vendor"]
    assert sorted(path.name for path in parent.iterdir()) == ["__init__.py", "np6", "np6_generated", "np6_vendor.json"]


def test_check_is_clean_then_lists_what_was_touched(project: Path, vendored: Path, run: Run) -> None:
    parent = vendored
    code, out, _ = run("--into", project, "--package", PACKAGE, "--check")
    assert code == 0
    assert "matches its manifest" in out

    # Bytecode caches appear as soon as the copy is imported: they are not modifications.
    (parent / "np6" / "__pycache__").mkdir()
    (parent / "np6" / "__pycache__" / "_states.cpython-311.pyc").write_bytes(b"cache")
    with (parent / "np6" / "_content" / "states.py").open("a", encoding="utf-8") as stream:
        stream.write("# a local fix\n")
    (parent / "np6_generated" / "py.typed").unlink()
    (parent / "np6" / "extra.py").write_text("", encoding="utf-8")
    code, out, _ = run("--into", project, "--package", PACKAGE, "--check")
    assert code == 1
    assert "changed  np6/_content/states.py" in out
    assert "missing  np6_generated/py.typed" in out
    assert "extra    np6/extra.py" in out
    assert "__pycache__" not in out


def test_check_without_a_copy_is_refused(project: Path, run: Run) -> None:
    code, out, err = run("--into", project, "--package", PACKAGE, "--check")
    assert code == 2
    assert out == ""
    assert "no vendored copy" in err


# ------------------------------------------------------------------------------------------------- updates


def test_a_rerun_reports_what_changed_and_an_unchanged_one_writes_nothing(
    project: Path, checkout: Path, run: Run
) -> None:
    assert run("--into", project, "--package", PACKAGE)[0] == 0
    parent = project / "myapp" / "_vendor"
    with (checkout / "overlay" / "np6" / "_content" / "states.py").open("a", encoding="utf-8") as stream:
        stream.write("# changed upstream\n")
    (checkout / "overlay" / "np6" / "_new.py").write_text("from np6_generated import types\n", encoding="utf-8")
    (checkout / "generated" / "np6_generated" / "py.typed").unlink()
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('version = "0.2.0"', 'version = "0.2.1"'))

    code, _, err = run("--into", project, "--package", PACKAGE, "--check")
    assert code == 0  # the copy is intact; that it is behind the checkout is a note
    assert "(np6-cm 0.2.1, spec 8.1.0) would vendor 3 file(s) differently" in err

    code, out, err = run("--into", project, "--package", PACKAGE)
    assert code == 0, err
    assert "1 changed, 1 removed, 1 added" in out
    assert "changed  np6/_content/states.py" in out
    assert "added    np6/_new.py" in out
    assert "removed  np6_generated/py.typed" in out
    assert "project_version: 0.2.0 -> 0.2.1" in out
    assert manifest(parent)["files"] == copy_files(parent)
    assert (parent / "np6" / "_new.py").read_text(encoding="utf-8") == "from myapp._vendor.np6_generated import types\n"

    before = {path: path.stat().st_mtime_ns for path in [parent / "np6_vendor.json", parent / "np6" / "_new.py"]}
    inode = (parent / "np6").stat().st_ino
    code, out, _ = run("--into", project, "--package", PACKAGE)
    assert code == 0
    assert "is up to date" in out
    assert "nothing written" in out
    assert {path: path.stat().st_mtime_ns for path in before} == before
    assert (parent / "np6").stat().st_ino == inode
    assert not [path for path in parent.iterdir() if path.name.startswith(".np6_vendor")]


def test_optional_parts_are_left_out_unless_asked_for_and_the_choice_sticks(
    project: Path, checkout: Path, run: Run
) -> None:
    cli = checkout / "overlay" / "np6" / "_cli" / "__init__.py"
    cli.write_text("from ..sandbox import Sandbox\n", encoding="utf-8")
    (checkout / "overlay" / "np6" / "_hook.py").write_text(
        "def hook():\n    from .sandbox import Sandbox\n", encoding="utf-8"
    )
    parent = project / "myapp" / "_vendor"

    code, _, err = run("--into", project, "--package", PACKAGE)
    assert code == 0
    assert "np6/_hook.py:2: imports np6.sandbox, which is left out (use --with-sandbox)" in err
    files = manifest(parent)["files"]
    assert "np6/_cli/__init__.py" not in files
    assert not [path for path in files if path.startswith("np6/sandbox/")]

    code, out, _ = run("--into", project, "--package", PACKAGE, "--with-sandbox")
    assert code == 0
    assert "added    np6/_cli/__init__.py" in out
    assert "added    np6/sandbox/__init__.py" in out
    assert "with_sandbox: False -> True" in out

    code, out, _ = run("--into", project, "--package", PACKAGE)  # no flag: the copy keeps its sandbox
    assert (code, "is up to date" in out) == (0, True)

    code, out, _ = run("--into", project, "--package", PACKAGE, "--no-with-sandbox")
    assert code == 0
    assert "removed  np6/_cli/__init__.py" in out
    assert not (parent / "np6" / "sandbox").exists()


def test_local_modifications_are_kept_unless_forced(project: Path, vendored: Path, run: Run) -> None:
    parent = vendored
    (parent / "np6" / "_content" / "states.py").write_text("# mine\n", encoding="utf-8")
    before = snapshot(parent)

    code, out, err = run("--into", project, "--package", PACKAGE)
    assert code == 2
    assert out == ""
    assert "differs from its manifest" in err
    assert "changed  np6/_content/states.py" in err
    assert "--force" in err
    assert snapshot(parent) == before

    code, _, err = run("--into", project, "--package", PACKAGE, "--force")
    assert code == 0
    assert "discarding local modifications of 1 file(s)" in err
    assert run("--into", project, "--package", PACKAGE, "--check")[0] == 0


# ---------------------------------------------------------------------------------------------------- refusals


def _vendor_in_a_subprocess(project: Path, package: str) -> subprocess.CompletedProcess[str]:
    command = [PYTHON, str(SCRIPT), "--into", str(project), "--package", package]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_a_folder_it_did_not_create_is_refused_without_a_traceback(project: Path) -> None:
    foreign = project / "myapp" / "_vendor" / "np6"
    foreign.mkdir(parents=True)
    (foreign / "__init__.py").write_text("MINE = True\n", encoding="utf-8")
    before = snapshot(project)

    completed = _vendor_in_a_subprocess(project, PACKAGE)

    assert completed.returncode == 2
    assert "was not made by vendor.py" in completed.stderr
    assert "np6_vendor.json" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("into", "package", "message"),
    [
        ("project", PACKAGE, "does not exist: the packages above the copy (myapp) must exist"),
        ("src", "other._vendor", "does not exist: the packages above the copy (other) must exist"),
        ("missing", PACKAGE, "no such directory"),
        ("src", "myapp.class", "'class' is not a valid Python package name"),
        ("src", "myapp..x", "'' is not a valid Python package name"),
        ("src", "np6_generated.x", "must not start with np6 or np6_generated"),
    ],
)
def test_bad_targets_are_refused(project: Path, run: Run, into: str, package: str, message: str) -> None:
    target = {"src": project, "project": project.parent, "missing": project / "nowhere"}[into]
    before = snapshot(project.parent)
    code, out, err = run("--into", target, "--package", package)
    assert code == 2
    assert out == ""
    assert message in err
    assert snapshot(project.parent) == before


@pytest.mark.parametrize(
    ("package", "code", "message"),
    [
        ("json", 2, "'json' is a module of the standard library"),
        ("sys", 2, "'sys' is a module of the standard library"),
        ("os", 2, "'os' is a module of the standard library"),
        ("json.vendored", 2, "'json' is a module of the standard library"),
        ("__pycache__", 2, "a name Python keeps for itself"),
        ("\uff4a\uff53\uff4f\uff4e", 2, "only ASCII package names are accepted"),  # fullwidth "json"
        ("caf\u00e9", 2, "only ASCII package names are accepted"),
        ("httpx", 2, "'httpx' is an installed module"),
        ("pytest", 2, "'pytest' is an installed module"),
        ("v" * 300, 3, "File name too long"),
    ],
    ids=["json", "sys", "os", "json-sub", "pycache", "fullwidth", "accent", "httpx", "pytest", "300-chars"],
)
def test_names_that_would_shadow_or_cannot_be_written_are_refused_in_one_line(
    project: Path, package: str, code: int, message: str
) -> None:
    before = snapshot(project)
    completed = _vendor_in_a_subprocess(project, package)
    assert completed.returncode == code, completed.stderr
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr
    assert snapshot(project) == before


def test_an_existing_vendoring_directory_gets_no_init_file(project: Path, run: Run) -> None:
    (project / "myapp" / "_vendor").mkdir()  # a namespace package of the user's: not ours to change
    assert run("--into", project, "--package", PACKAGE)[0] == 0
    assert not (project / "myapp" / "_vendor" / "__init__.py").exists()


# ------------------------------------------------------------------------------------- no half-written copy


class Boom(OSError):
    pass


def fail_on_call(function: Callable[..., None], number: int, error: BaseException) -> Callable[..., None]:
    calls = iter(range(1, 10_000))

    def failing(*args: Any) -> None:
        if next(calls) == number:
            raise error
        function(*args)

    return failing


def test_a_failure_while_writing_leaves_the_old_copy_intact(
    project: Path,
    vendored: Path,
    vendor_module: ModuleType,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(vendored)
    failing = fail_on_call(vendor_module.write_file, 40, Boom(28, "No space left on device"))
    monkeypatch.setattr(vendor_module, "write_file", failing)

    code, out, err = run("--into", project, "--package", PACKAGE, "--with-sandbox")

    assert code == 3
    assert out == ""
    assert "No space left on device" in err
    assert "nothing was changed" in err
    assert snapshot(vendored) == before


# Moves: 1, 2 the old packages out; 3, 4 the new ones in; 5 the manifest. 3: only old ones to put back.
@pytest.mark.parametrize("failing_move", [3, 5])
def test_a_failure_while_swapping_puts_the_old_copy_back(
    project: Path,
    vendored: Path,
    vendor_module: ModuleType,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    failing_move: int,
) -> None:
    before = snapshot(vendored)
    failing = fail_on_call(vendor_module._move, failing_move, Boom(13, "Permission denied"))
    monkeypatch.setattr(vendor_module, "_move", failing)

    code, _, err = run("--into", project, "--package", PACKAGE, "--with-sandbox")

    assert code == 3
    assert "Permission denied" in err
    assert snapshot(vendored) == before


def test_an_unexpected_error_also_puts_the_old_copy_back(
    project: Path, vendored: Path, vendor_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(vendored)
    monkeypatch.setattr(vendor_module, "_move", fail_on_call(vendor_module._move, 4, RuntimeError("bug")))

    with pytest.raises(RuntimeError, match="bug"):
        vendor_module.main(["--into", str(project), "--package", PACKAGE, "--with-sandbox"])

    assert snapshot(vendored) == before


def test_a_failed_first_copy_leaves_nothing_behind(
    project: Path,
    vendor_module: ModuleType,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(project)
    monkeypatch.setattr(vendor_module, "write_file", fail_on_call(vendor_module.write_file, 10, Boom(5, "I/O")))

    code, _, err = run("--into", project, "--package", PACKAGE)

    assert code == 3
    assert "I/O" in err
    assert snapshot(project) == before
    assert not (project / "myapp" / "_vendor").exists()
