"""Time to check every entry of a filled WooCommerce catalog (goal: under 1 s).

The 9.4.0-rc.1 template (12,007 entries) is filled in memory with msgstr = msgid (every plural
form too), so every check runs on every entry. Baseline in the same run: msgfmt -c on the same
filled catalog, written to a temporary file.

    python benchmarks/checks.py [path/to/template.pot]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from transkit.catalog import load_catalog
from transkit.checks import check_catalog

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wordpress" / "woocommerce" / \
    "woocommerce-9.4.0-rc.1.pot"


def filled(path: Path):
    catalog = load_catalog(path)
    catalog.path = path.with_name("woocommerce-de_DE.po")  # a translation, not a template
    catalog.set_header("Language", "de_DE")
    catalog.set_header("Plural-Forms", "nplurals=2; plural=(n != 1);")
    for entry in catalog.entries:
        if entry.is_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    return catalog


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        sys.exit(f"no catalog at {path}")
    catalog = filled(path)
    count = len(catalog.entries)
    check_catalog(catalog)  # warm up (imports, regex compilation)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        results = check_catalog(catalog)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    errors = sum(1 for _, p in results if p.is_error)
    print(f"checked {count} entries in {best:.3f} s (best of 5; median {sorted(runs)[2]:.3f} s), "
          f"{count / best:,.0f} entries/s; {errors} errors, {len(results) - errors} warnings")
    print(f"goal < 1 s: {'met' if best < 1 else 'NOT met'}")
    if shutil.which("msgfmt"):
        with tempfile.TemporaryDirectory() as folder:
            filled_path = Path(folder) / "woocommerce-de_DE.po"
            filled_path.write_bytes(catalog.to_bytes())
            started = time.perf_counter()
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(filled_path)], capture_output=True)
            baseline = time.perf_counter() - started
        print(f"baseline msgfmt -c on the same catalog: {baseline:.3f} s "
              f"(transkit check takes {best / baseline:.1f}x as long, and runs ~20 more checks)")


if __name__ == "__main__":
    main()
