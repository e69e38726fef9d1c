"""Where the real-data corpus is: ``$TRANSKIT_CORPUS``, else ``../shared/corpus`` beside the checkout.

The one answer for the tests (``conftest.py``) and the benchmarks (which put ``tests/`` on their path).
The corpus is never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

CORPUS = Path(os.environ.get("TRANSKIT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
