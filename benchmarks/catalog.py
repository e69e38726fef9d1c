"""Load + save time and peak memory of the faithful catalog layer vs plain polib, same file, same run.

    python3 benchmarks/catalog.py [CATALOG]     # default: the 12,007-entry woocommerce template

Each figure is the median of several runs; peak memory is measured separately with tracemalloc.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import polib

from transkit.catalog import load_catalog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

DEFAULT = CORPUS / "wordpress" / "woocommerce" / "woocommerce-9.4.0-rc.1.pot"
RUNS = 5


def median_seconds(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(function) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        sys.exit(f"catalog not found: {path}")
    out = Path(tempfile.mkdtemp()) / path.name
    transkit_catalog = load_catalog(path)
    polib_catalog = polib.pofile(str(path), wrapwidth=79)
    print(f"{path.name}: {len(transkit_catalog.entries)} entries, {path.stat().st_size / 2**20:.1f} MiB")

    rows = {
        "transkit": (lambda: load_catalog(path), lambda: transkit_catalog.save(out),
                     lambda: load_catalog(path).save(out)),
        "polib": (lambda: polib.pofile(str(path), wrapwidth=79), lambda: polib_catalog.save(str(out)),
                  lambda: polib.pofile(str(path), wrapwidth=79).save(str(out))),
    }
    figures = {}
    for name, (load, save, both) in rows.items():
        figures[name] = (median_seconds(load), median_seconds(save), median_seconds(both), peak_mib(both))
    print(f"{'':10} {'load':>9} {'save':>9} {'load+save':>10} {'peak MiB':>9}")
    for name, (load, save, both, peak) in figures.items():
        print(f"{name:10} {load:8.3f}s {save:8.3f}s {both:9.3f}s {peak:9.1f}")
    ours, theirs = figures["transkit"], figures["polib"]
    print(f"ratio transkit/polib: load {ours[0] / theirs[0]:.2f}x, save {ours[1] / theirs[1]:.2f}x, "
          f"load+save {ours[2] / theirs[2]:.2f}x (goal <= 1.0x), peak memory {ours[3] / theirs[3]:.2f}x")
    load_catalog(path).save(out)
    print("transkit output byte-identical:", out.read_bytes() == path.read_bytes())
    polib.pofile(str(path), wrapwidth=79).save(str(out))
    print("polib output byte-identical:   ", out.read_bytes() == path.read_bytes())


if __name__ == "__main__":
    main()
