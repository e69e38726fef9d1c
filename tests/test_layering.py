"""The core never imports a face: importing any module below the faces must not pull in textual,
click or rich. `lint-imports` (pyproject.toml's contracts, run by .ci/run) reads the imports; this
test watches what really happens when every core module is imported, in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import transkit

FACES = ("transkit.cli", "transkit.tui")
FACE_LIBRARIES = ("textual", "click", "rich")


def core_modules() -> list[str]:
    """Every module of the package except the faces, found on disk (a new module is covered at once)."""
    names = ["transkit"]
    for info in pkgutil.walk_packages(transkit.__path__, prefix="transkit."):
        if not info.name.startswith(FACES):
            names.append(info.name)
    return sorted(names)


def test_the_discovery_sees_every_core_package():
    names = core_modules()
    package_dir = Path(transkit.__file__).parent
    on_disk = {p.stem for p in package_dir.glob("*.py")} | {p.name for p in package_dir.iterdir()
                                                            if (p / "__init__.py").exists()}
    for name in on_disk - {"__init__", "cli", "tui"}:
        assert f"transkit.{name}" in names
    for package in ("catalog.extract", "jobs.fill", "suggest.llm", "store.sql", "catalog.pofile"):
        assert f"transkit.{package}" in names
    assert not [n for n in names if n.startswith(FACES)]


def test_no_core_module_imports_a_face_library():
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in {FACE_LIBRARIES!r} if m in sys.modules)))\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({FACES!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    libraries, faces = (result.stdout.splitlines() + ["", ""])[:2]
    assert libraries == "", f"importing the {len(modules)} core modules loads {libraries}"
    assert faces == "", f"importing the core loads the faces' modules {faces}"

