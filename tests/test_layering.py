"""The core never imports a face: importing the library must not pull in textual, click or rich."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "transkit", "transkit.catalog", "transkit.catalog.discover", "transkit.catalog.merge",
    "transkit.jobs.catalogs", "transkit.checks", "transkit.store", "transkit.upstream",
    "transkit.suggest", "transkit.jobs", "transkit.jobs.edit_session", "transkit.jobs.suggestions",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_faces(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "faces = sorted(m for m in ('textual', 'click', 'rich') if m in sys.modules)\n"
        "print(','.join(faces))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
