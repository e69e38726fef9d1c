"""check ⊇ msgfmt -c on every corpus catalog: every file GNU msgfmt -c rejects, check
reports an error for (or cannot read, naming file and line)."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import corpus_files
from transkit.catalog import load_catalog
from transkit.checks import check_catalog
from transkit.errors import CatalogError

EDGE_CATALOGS = corpus_files("edge/**/*.po", "other/**/*.po", "wordpress/**/*.po")


def msgfmt_rejects(path) -> bool:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


@pytest.mark.corpus
@pytest.mark.parametrize("po", EDGE_CATALOGS, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_check_errs_wherever_msgfmt_rejects(po, corpus_dir):
    if not msgfmt_rejects(po):
        pytest.skip("msgfmt -c accepts it")
    try:
        errors = [p.message for _, p in check_catalog(load_catalog(po)) if p.is_error]
    except CatalogError as err:
        assert str(po) in str(err)
        return
    assert errors, "msgfmt -c rejects this catalog but check reports no error"
