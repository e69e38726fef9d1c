"""Opening a catalog in the editor with cross-catalog consistency on, against the same with it off.

The memory is seeded (in a scratch data folder) with every de_DE catalog of the corpus — WordPress
core's de_DE set and the plugins' — as the TUI dashboard or `transkit scan` would; then each catalog
named below is opened as the editor opens it (``open_catalog`` + ``run_all_checks``, the catalog
screen's checks worker): first its own checks (what opening cost before, shown at once), then the
comparison with the locale's other catalogs (read from the memory), which the worker adds after.
Medians of ``--repeat`` runs, CPU time beside wall.

    python benchmarks/consistency.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

OPENED = [CORPUS / "wordpress" / "wordpress-core" / "de_DE" / "de_DE.po",
          CORPUS / "wordpress" / "woocommerce" / "2.4" / "woocommerce-de_DE.po",
          CORPUS / "wordpress" / "jetpack" / "jetpack-de_DE.po"]


def opening(path: Path) -> tuple[float, float, float, float, int, int, int]:
    """As the catalog screen's checks worker: this catalog's checks (what was there before), then
    the comparison with the other catalogs. Wall and CPU seconds of each, warnings before/after."""
    from transkit.jobs.edit_session import open_catalog

    wall, cpu = time.perf_counter(), time.process_time()
    session = open_catalog(path)
    session.run_all_checks(other_catalogs=False)
    own_wall, own_cpu = time.perf_counter() - wall, time.process_time() - cpu
    before = sum(p.check == "consistency" for found in session.problems.values() for p in found)
    wall, cpu = time.perf_counter(), time.process_time()
    session.compare_with_other_catalogs()
    more_wall, more_cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = sum(p.check == "consistency" for found in session.problems.values() for p in found)
    return own_wall, own_cpu, more_wall, more_cpu, before, after, session.other_catalogs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS} (set TRANSKIT_CORPUS)")
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TRANSKIT_DATA_DIR"] = scratch
        os.environ.pop("TRANSKIT_DATABASE_URL", None)
        from transkit.jobs.catalogs import catalogs_for
        from transkit.jobs.memory import seed_memory

        refs = catalogs_for([CORPUS / "wordpress"], "de_DE")
        started = time.perf_counter()
        report = seed_memory(refs)
        print(f"memory seeded from {report.files_read} de_DE catalogs ({report.segments_added:,} segments) "
              f"in {time.perf_counter() - started:.2f} s")
        opening(OPENED[0])  # imports and the memory's first connection out of the figures
        for path in OPENED:
            runs = [opening(path) for _ in range(args.repeat)]
            own_wall, own_cpu, more_wall, more_cpu = (statistics.median(r[i] for r in runs) for i in range(4))
            _, _, _, _, before, after, others = runs[0]
            print(f"{path.name}: open + its own checks {own_wall:.3f} s wall / {own_cpu:.3f} s CPU "
                  f"(unchanged: what the screen shows first); then {others} other catalogs compared in "
                  f"{more_wall:.3f} s / {more_cpu:.3f} s CPU (+{100 * more_cpu / own_cpu:.0f} % CPU); "
                  f"consistency warnings {before} -> {after}")


if __name__ == "__main__":
    main()
