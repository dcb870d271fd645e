"""The sdist and the wheel as PyPI would receive them: the license in both, the metadata, the long description that
PyPI shows, and a wheel that holds the two packages and nothing else.

Each is built once for the module. The build requirements of pyproject.toml are installed from the package index
into a temporary folder, and the backend runs on them and the standard library alone, as build isolation does: a
requirement missing from pyproject.toml fails here, not on release day. The wheel is built from the unpacked sdist,
as `python -m build` does, so a file the sdist leaves out fails the build too.
"""

from __future__ import annotations

import email.message
import email.parser
import os
import re
import subprocess
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.scripts.support import PYTHON, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
STEM = f"np6_cm-{VERSION}"

CLASSIFIERS = {
    "Development Status :: 4 - Beta",
    "Framework :: AsyncIO",
    "Intended Audience :: Developers",
    "Operating System :: OS Independent",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13",
    "Topic :: Communications :: Email",
    "Typing :: Typed",
}
PROJECT_URLS = {
    "Homepage": "https://github.com/np6-cm/np6-cm",
    "Source": "https://github.com/np6-cm/np6-cm",
    "Documentation": "https://np6-cm.github.io/np6-cm/",
    "Issues": "https://github.com/np6-cm/np6-cm/issues",
    "Changelog": "https://github.com/np6-cm/np6-cm/blob/main/CHANGELOG.md",
    "Security": "https://github.com/np6-cm/np6-cm/blob/main/SECURITY.md",
}
INSTALL_LINES = [
    "pip install np6-cm",
    "pip install 'np6-cm[sandbox]'",
    "pip install 'np6-cm[cli]'",
    "pip install 'np6-cm[speed]'",
]

# Runs one PEP 517 hook of the backend named in pyproject.toml (`module` or `module:object`) and prints the name of
# the file it wrote.
_HOOK = """
import importlib, sys
module, _, attribute = sys.argv[1].partition(":")
backend = importlib.import_module(module)
for name in filter(None, attribute.split(".")):
    backend = getattr(backend, name)
print(getattr(backend, sys.argv[2])(sys.argv[3]))
"""


@dataclass(frozen=True)
class Built:
    wheel: dict[str, bytes]
    sdist: dict[str, bytes]
    wheel_path: Path

    @property
    def metadata(self) -> email.message.Message:
        return _parse_metadata(self.wheel[f"{STEM}.dist-info/METADATA"])

    @property
    def pkg_info(self) -> email.message.Message:
        return _parse_metadata(self.sdist[f"{STEM}/PKG-INFO"])


def _parse_metadata(raw: bytes) -> email.message.Message:
    return email.parser.BytesParser().parsebytes(raw)


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"{' '.join(command[:4])} ...:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout


def _hook(backend: Path, name: str, out: Path, *, cwd: Path) -> Path:
    # -S: no site-packages, so the backend sees only what pyproject.toml asks for (and the standard library).
    env = {**os.environ, "PYTHONPATH": str(backend)}
    command = [PYTHON, "-S", "-c", _HOOK, PYPROJECT["build-system"]["build-backend"], name, str(out)]
    return out / _run(command, cwd=cwd, env=env).strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("distribution")
    backend, out, unpacked = root / "backend", root / "dist", root / "unpacked"
    out.mkdir()
    requires = PYPROJECT["build-system"]["requires"]
    pip = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "--target", str(backend), *requires], cwd=root)

    sdist = _hook(backend, "build_sdist", out, cwd=ROOT)
    sdist_files: dict[str, bytes] = {}
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
        for member in archive.getmembers():
            content = archive.extractfile(member) if member.isfile() else None
            if content is not None:
                sdist_files[member.name] = content.read()
    wheel = _hook(backend, "build_wheel", out, cwd=unpacked / STEM)
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    return Built(wheel=wheel_files, sdist=sdist_files, wheel_path=wheel)


def test_the_license_ships_in_the_wheel_and_the_sdist(built: Built) -> None:
    license_text = (ROOT / "LICENSE").read_bytes()
    assert license_text.startswith(b"MIT License\n\nCopyright (c) 2026 The np6-cm authors\n")
    assert built.wheel[f"{STEM}.dist-info/licenses/LICENSE"] == license_text
    assert built.sdist[f"{STEM}/LICENSE"] == license_text
    for metadata in (built.metadata, built.pkg_info):
        assert metadata["License-Expression"] == "MIT"
        assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_metadata_has_the_classifiers_and_the_project_urls(built: Built) -> None:
    for metadata in (built.metadata, built.pkg_info):
        assert set(metadata.get_all("Classifier") or []) >= CLASSIFIERS
        urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL") or [])
        assert urls == PROJECT_URLS
        assert metadata["Requires-Python"] == ">=3.11"
        assert (metadata["Name"], metadata["Version"]) == ("np6-cm", VERSION)


def _description(metadata: email.message.Message) -> str:
    assert metadata["Description-Content-Type"] == "text/markdown"
    body = metadata.get_payload()
    assert isinstance(body, str)
    return body


def test_the_long_description_opens_with_the_install_lines_then_the_quick_start(built: Built) -> None:
    description = _description(built.metadata)
    assert _description(built.pkg_info) == description
    lines = description.lstrip("\n").splitlines()
    assert lines[0] == "```bash"
    assert [line.split("#", 1)[0].rstrip() for line in lines[1 : 1 + len(INSTALL_LINES)]] == INSTALL_LINES
    assert lines[1 + len(INSTALL_LINES)] == "```"
    assert "./scripts/demo" not in description
    assert "The Python client for **NP6 CM**" in description
    assert description.index("pip install np6-cm ") < description.index("\n## Quick start\n")
    # The markers that cut README.md into these parts stay out of the page.
    assert "<!-- pypi-" not in description


_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)


def test_the_long_description_links_only_to_absolute_urls_or_anchors(built: Built) -> None:
    description = _description(built.metadata)
    targets = _LINK_TARGET.findall(description) + _LINK_DEFINITION.findall(description)
    relative = [target for target in targets if not re.match(r"https?://|#", target)]
    assert relative == []
    # README.md's relative links, made absolute: the check above looked at real links.
    assert "](https://github.com/np6-cm/np6-cm/blob/main/docs/reconcile.md)" in description
    assert "](https://github.com/np6-cm/np6-cm/blob/main/CONTRIBUTING.md)" in description


def test_the_wheel_holds_the_two_packages_and_nothing_else(built: Built) -> None:
    top_level = {name.split("/", 1)[0] for name in built.wheel}
    assert top_level == {"np6", "np6_generated", f"{STEM}.dist-info"}
    assert [name for name in built.wheel if "__pycache__" in name or name.endswith((".pyc", ".pyo"))] == []
    tests = [
        name
        for name in built.wheel
        if any(part in ("tests", "test", "conftest.py") or part.startswith("test_") for part in name.split("/"))
    ]
    assert tests == []
    # Typing :: Typed holds for both packages.
    assert "np6/py.typed" in built.wheel
    assert "np6_generated/py.typed" in built.wheel
    # What the sandbox validates against travels with the generated code.
    assert "np6_generated/openapi.json" in built.wheel
    wheel_metadata = built.wheel[f"{STEM}.dist-info/WHEEL"].decode()
    assert "Root-Is-Purelib: true" in wheel_metadata


def test_every_file_of_the_two_packages_goes_from_the_work_tree_through_the_sdist_into_the_wheel(built: Built) -> None:
    # What hatchling takes: the files git tracks or would track (not ignored), that exist on disk.
    listed = _run(
        [
            "git",
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
            "overlay/np6",
            "generated/np6_generated",
        ],
        cwd=ROOT,
    )
    expected = {
        name.removeprefix("overlay/").removeprefix("generated/")
        for name in listed.split("\0")
        if name and (ROOT / name).is_file()
    }
    assert "np6/__init__.py" in expected
    packaged = {name for name in built.wheel if not name.startswith(f"{STEM}.dist-info/")}
    assert packaged == expected


def test_the_readme_quick_start_runs_from_the_wheel_in_a_clean_virtualenv(built: Built, tmp_path: Path) -> None:
    """As a new user: a fresh venv, `pip install 'np6-cm[sandbox]'` from the wheel, the quick start as written,
    run from a folder that is not the repository (so nothing of the work tree can stand in for the wheel)."""
    from tests.docs.blocks import python_blocks

    venv = tmp_path / "venv"
    _run([PYTHON, "-m", "venv", str(venv)], cwd=tmp_path)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input"]
    _run([*pip, f"{built.wheel_path}[sandbox]"], cwd=tmp_path)
    quick_start = python_blocks(ROOT / "README.md")[0].source
    (tmp_path / "quick_start.py").write_text(quick_start, encoding="utf-8")
    printed = _run([python, "-I", "quick_start.py"], cwd=tmp_path)
    assert "('test', 'production')" in printed
    where = _run([python, "-I", "-c", "import np6, np6.sandbox; print(np6.__file__)"], cwd=tmp_path)
    assert where.startswith(str(venv)), where
    # A plain install has no `rich`: the command says which extra to install, in one line.
    result = subprocess.run(
        [python, "-I", "-m", "np6", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "pip install 'np6-cm[cli]'" in result.stderr
