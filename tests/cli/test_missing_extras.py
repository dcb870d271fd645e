"""In an install without an extra, what needs it says which extra to install, in one line, instead of a
`ModuleNotFoundError` from inside a dependency; and `python -m np6` is the `np6` command. Run in child processes in
which the extra's modules cannot be imported, as in a plain `pip install np6-cm`."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# A finder ahead of every other that refuses the given top-level modules, as if they were not installed.
WITHOUT = textwrap.dedent(
    """
    import runpy, sys

    class NotInstalled:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in {blocked!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    sys.argv = ["np6", *{argv!r}]
    {code}
    """
)


def _run(blocked: set[str], code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    source = WITHOUT.format(blocked=blocked, argv=list(argv), code=code)
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=60, check=False)


#: What the `sandbox` extra installs: the compiled validator and the reference one.
SANDBOX_EXTRA = {"jsonschema_rs", "rfc3339_validator", "openapi_schema_validator", "referencing", "jsonschema"}


@pytest.mark.parametrize(
    ("blocked", "argv", "extra"),
    [
        ({"rich"}, ["--help"], "cli"),
        (SANDBOX_EXTRA, ["sandbox", "--port", "0"], "sandbox"),
    ],
)
def test_the_command_without_its_extra_says_how_to_install_it(blocked: set[str], argv: list[str], extra: str) -> None:
    result = _run(blocked, "runpy.run_module('np6', run_name='__main__')", *argv)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("np6: ")
    assert f"needs the '{extra}' extra" in lines[0]
    assert f"pip install 'np6-cm[{extra}]'" in lines[0]


# The whole extra missing, or only the validator `import np6.sandbox` needs (the reference one loads later).
@pytest.mark.parametrize("blocked", [SANDBOX_EXTRA, {"jsonschema_rs"}, {"rfc3339_validator"}])
def test_the_sandbox_without_its_extra_says_how_to_install_it(blocked: set[str]) -> None:
    code = textwrap.dedent(
        """
        try:
            from np6.sandbox import Sandbox
        except ImportError as error:
            print(type(error).__name__, isinstance(error, ModuleNotFoundError), error, sep=": ")
        """
    )
    result = _run(blocked, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MissingExtraError: True: np6.sandbox needs the 'sandbox' extra"), result.stdout
    assert "pip install 'np6-cm[sandbox]'" in result.stdout


def test_plain_np6_imports_without_any_extra() -> None:
    code = "import np6; print(np6.Client('k').base_url)"
    result = _run({"rich", "argcomplete", "orjson", "msgspec", *SANDBOX_EXTRA}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://api-cm.np6.com"


def test_python_dash_m_np6_is_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "np6", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: np6")
