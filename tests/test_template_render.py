"""A new template is written by the renderer's one-pass path (``_Renderer.whole``), which exists for
speed (``benchmarks/extract.py``). It must write exactly what the part-by-part path — the one an
edited entry goes through (``kinds_of`` + ``part``) — writes: byte for byte, on every fixture, on a
generated plugin like the benchmark's, and on every entry of real corpus catalogs in both styles."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, corpus_files
from transkit.catalog import load_catalog
from transkit.catalog.extract import build_template
from transkit.catalog.model import FileStyle
from transkit.catalog.writer import _Renderer
from transkit.errors import CatalogError

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = [FIXTURES / "plugins" / "shop-helper", FIXTURES / "plugins" / "modern-shop",
           FIXTURES / "themes" / "modern-theme", REPO_ROOT / "sample_po" / "pocket-events"]
# every 8th real catalog: each entry of each is rendered both ways (all of them would take minutes)
SOME_CATALOGS = corpus_files("wordpress/**/*.po", "wordpress/**/*.pot", "other/**/*.po",
                             "other/**/*.pot", "edge/**/*.po", "edge/**/*.pot")[::8]


def part_by_part(catalog) -> bytes:
    """The template as the part-by-part renderer writes it (every entry new: blank line between)."""
    renderer = _Renderer(catalog.style)
    lines: list[str] = []
    for index, entry in enumerate(catalog.all_entries):
        if index:
            lines.append(renderer.eol)
        for kind in renderer.kinds_of(entry):
            lines += renderer.part(kind, entry)
    return "\n".join(lines + catalog.trailer).encode("utf-8")


def benchmark_plugin(folder: Path, corpus_dir: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_extract", REPO_ROOT / "benchmarks" / "extract.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    msgids = [e.msgid for e in load_catalog(corpus_dir / "wordpress" / "polylang" / "polylang.pot").entries
              if e.msgid and "\n" not in e.msgid]
    bench.write_plugin(folder / bench.DOMAIN, files=40, calls=1600, msgids=msgids)
    return folder / bench.DOMAIN


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_extracted_template_is_what_the_part_by_part_renderer_writes(folder, tmp_path):
    plugin = tmp_path / folder.name
    shutil.copytree(folder, plugin)
    for existing in plugin.rglob("*.pot"):
        existing.unlink()
    template = build_template(plugin).catalog  # what extract_template saves
    assert len(template.entries) > 10
    assert template.save(tmp_path / "t.pot").read_bytes() == part_by_part(template)


@pytest.mark.corpus
def test_benchmark_plugin_template_is_what_the_part_by_part_renderer_writes(corpus_dir, tmp_path):
    template = build_template(benchmark_plugin(tmp_path, corpus_dir)).catalog
    assert len(template.entries) > 500
    assert any(e.comment for e in template.entries) and any(e.msgid_plural for e in template.entries)
    assert any(e.msgctxt for e in template.entries) and any(e.flags for e in template.entries)
    assert template.save(tmp_path / "t.pot").read_bytes() == part_by_part(template)


@pytest.mark.corpus
@pytest.mark.parametrize("path", SOME_CATALOGS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_corpus_entry_renders_the_same_in_one_pass(path):
    try:
        catalog = load_catalog(path)
    except CatalogError:
        pytest.skip("a damaged edge file (the roundtrip tests cover it)")
    for style in (catalog.style, FileStyle(wrap_width=0, references_per_line=True), FileStyle(newline="\r\n")):
        renderer = _Renderer(style)
        for entry in catalog.all_entries:
            parts = [line for kind in renderer.kinds_of(entry) for line in renderer.part(kind, entry)]
            assert renderer.whole(entry, []) == parts, (path, entry.msgid)
