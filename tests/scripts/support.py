"""Helpers of the tests of `scripts/`: the repository, the interpreter its scripts run with, and a script imported
from its file (scripts/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))


def load_script(file_name: str, module_name: str) -> ModuleType:
    """`scripts/<file_name>` imported as `module_name`, once per run. Registered in `sys.modules` before it runs, as
    `regenerate.py` does with `api_diff.py`: dataclasses look their module up while a class is being built."""
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, SCRIPTS / file_name)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]
