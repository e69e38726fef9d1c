"""A data folder or config file that cannot be used is a one-line error naming the path and the
variable that chose it (exit 6), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def transkit(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": REPO, **env}
    return subprocess.run([sys.executable, "-c", "from transkit.cli.main import main; main()", *args],
                          capture_output=True, text=True, env=environment, timeout=120)


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_a_data_dir_that_cannot_be_a_folder_is_a_config_error(sample_po, tmp_path, where):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    data = a_file if where == "file" else a_file / "sub"
    result = transkit("status", str(sample_po), TRANSKIT_DATA_DIR=str(data))
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr
    assert str(data) in result.stderr and "TRANSKIT_DATA_DIR" in result.stderr


def test_a_config_path_that_is_a_folder_is_a_config_error(sample_po, tmp_path):
    result = transkit("status", str(sample_po), TRANSKIT_CONFIG=str(tmp_path))
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{tmp_path}: cannot read the config file" in result.stderr
