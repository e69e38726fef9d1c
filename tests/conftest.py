"""Shared fixtures: an isolated data/config folder for every test, and the real-data corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus_path import CORPUS
from postgres_server import backend, pg_url  # noqa: F401  (fixtures: both store backends)

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = CORPUS  # $TRANSKIT_CORPUS, else ../shared/corpus (tests/corpus_path.py)
SAMPLE_PO = REPO_ROOT / "sample_po"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's real config, data dir or DeepL key."""
    home = tmp_path_factory.mktemp("transkit-home")
    monkeypatch.setenv("TRANSKIT_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("TRANSKIT_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.delenv("DEEPL_SERVER_URL", raising=False)
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL",
                 "TRANSKIT_LLM_PROVIDER", "TRANSKIT_LLM_MODEL", "TRANSKIT_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TRANSKIT_TRANSLATOR_NAME", raising=False)
    monkeypatch.delenv("TRANSKIT_TRANSLATOR_EMAIL", raising=False)
    monkeypatch.delenv("TRANSKIT_DATABASE_URL", raising=False)  # a developer's team database
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return home


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"real-data corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture
def sample_po(tmp_path) -> Path:
    """A private copy of sample_po/ (tests must never edit the repo's own samples)."""
    target = tmp_path / "sample_po"
    shutil.copytree(SAMPLE_PO, target)
    return target


def corpus_files(*patterns: str) -> list[Path]:
    """Corpus files matching glob patterns (relative to the corpus), for parametrisation."""
    if not CORPUS_DIR.is_dir():
        return []
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in CORPUS_DIR.glob(pattern) if p.is_file())
    return sorted(found)
