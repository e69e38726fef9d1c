"""Discovery cost: ``scan`` (projects, every catalog's locale answer from its header and name) and
``catalogs_for`` vs a bare ``os.walk`` listing the same catalog files, same folder, same run.

    python3 benchmarks/discover.py [FOLDER]     # default: the whole corpus (../shared/corpus)

Figures are medians of several runs (the file system cache warm after the first).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from transkit.catalog.discover import SKIPPED_DIRS, catalog_kind, scan
from transkit.jobs.catalogs import catalogs_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

DEFAULT = CORPUS
RUNS = 7


def median_seconds(function) -> float:
    function()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def walk(folder: Path) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        found.extend(os.path.join(root, name) for name in files if catalog_kind(name))
    return found


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not folder.is_dir():
        sys.exit(f"no folder {folder} (give one, or set TRANSKIT_CORPUS)")
    files = len(walk(folder))
    baseline = median_seconds(lambda: walk(folder))
    scanned = median_seconds(lambda: scan(folder))
    refs = median_seconds(lambda: catalogs_for([folder], kinds=("po", "mo", "l10n.php")))
    projects = scan(folder)
    found = sum(len(p.files) for p in projects)
    print(f"{folder}: {files} catalog files, {len(projects)} projects, {found} catalogs placed")
    print(f"os.walk listing (baseline)   {baseline * 1000:8.1f} ms")
    print(f"scan (projects + locales)    {scanned * 1000:8.1f} ms   {scanned / baseline:6.1f}x")
    print(f"catalogs_for (po, mo, php)   {refs * 1000:8.1f} ms   {refs / baseline:6.1f}x")


if __name__ == "__main__":
    main()
