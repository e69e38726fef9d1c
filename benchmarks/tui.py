"""TUI responsiveness on the 12,007-entry WooCommerce template, headless (Textual Pilot).

Prints:
* time to first paint of the catalog screen (app start → catalog screen rendered with its rows),
  next to two baselines measured in the same run: parsing the catalog alone (the floor), and a
  plain Textual ``DataTable`` holding every entry (what a non-virtualised list costs);
* the median / p90 latency of one "next untranslated" key press over 200 presses: from the key
  press to the last frame the app draws because of it (frames are timed where Textual hands them to
  the driver, which headless discards), on the template and on a real translated catalog where each
  move also looks up the memory (the suggestions' frame counts). Next to it, Pilot's own round trip
  (``press`` + ``pause``, which adds Pilot's idle detection) and that round trip for an unbound key,
  the harness's floor.

Goals (issue 5): first paint ≤ 1 s, next untranslated ≤ 50 ms.

    python benchmarks/tui.py [--presses 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

TEMPLATE = CORPUS / "wordpress" / "woocommerce" / "woocommerce-9.4.0-rc.1.pot"
TRANSLATED = CORPUS / "wordpress" / "woocommerce" / "2.4" / "woocommerce-it_IT.po"
SIZE = (160, 48)


async def first_paint(path: Path) -> float:
    from transkit.tui.app import TranskitApp
    from transkit.tui.screens.catalog import CatalogScreen

    started = time.perf_counter()
    app = TranskitApp(path)
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, CatalogScreen) or not app.screen.entry_list.rows:
            await asyncio.sleep(0.001)
        await pilot.pause()  # the first frame of the screen is drawn
        return time.perf_counter() - started


async def datatable_baseline(path: Path) -> float:
    """The same entries in a stock DataTable (every row added up front)."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from transkit.catalog import load_catalog

    class TableApp(App):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            catalog = load_catalog(path)
            table = self.query_one(DataTable)
            table.add_columns("source", "translation")
            table.add_rows((e.msgid[:80], e.msgstr[:80]) for e in catalog.entries)

    started = time.perf_counter()
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - started


def timed_app(path: Path):
    from transkit.tui.app import TranskitApp

    class FrameTimedApp(TranskitApp):
        """Records when each frame is handed to the (headless) driver."""

        frames: list[float] = []

        def _display(self, screen, renderable) -> None:
            if renderable is not None:
                self.frames.append(time.perf_counter())
            super()._display(screen, renderable)

    return FrameTimedApp(path)


async def key_latency(path: Path, presses: int, key: str, window: float) -> tuple[list[float], list[float]]:
    """(key → last frame, Pilot round trip) for each press."""
    app = timed_app(path)
    latencies, round_trips = [], []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        for _ in range(presses):
            app.frames.clear()
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            round_trips.append(time.perf_counter() - started)
            await pilot.pause(window)  # let late frames (suggestions) arrive
            drawn = [frame for frame in app.frames if frame > started]
            if drawn:
                latencies.append(drawn[-1] - started)
    return latencies, round_trips


def describe(label: str, timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    return (f"{label}: median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms "
            f"over {len(ms)} presses")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    if not TEMPLATE.exists():
        print(f"corpus file missing: {TEMPLATE}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRANSKIT_DATA_DIR"] = str(Path(home) / "data")
        os.environ["TRANSKIT_CONFIG"] = str(Path(home) / "config.toml")
        os.environ.pop("DEEPL_AUTH_KEY", None)
        from transkit.catalog import load_catalog

        started = time.perf_counter()
        entries = len(load_catalog(TEMPLATE).entries)
        parse = time.perf_counter() - started
        paint = asyncio.run(first_paint(TEMPLATE))
        table = asyncio.run(datatable_baseline(TEMPLATE))
        print(f"catalog: {TEMPLATE.name} ({entries:,} entries)")
        print(f"first paint of the catalog screen: {paint:.3f} s   (goal ≤ 1 s)")
        print(f"  baseline, parsing the file alone: {parse:.3f} s  (first paint = {paint / parse:.1f}× parse)")
        print(f"  baseline, stock DataTable with every row: {table:.3f} s  "
              f"(ours = {paint / table:.2f}× the DataTable's)")
        latency, round_trip = asyncio.run(key_latency(TEMPLATE, args.presses, "ctrl+n", 0.05))
        print(describe("next untranslated (ctrl+n) on the template, key → last frame", latency)
              + "   (goal ≤ 50 ms)")
        print(describe("  Pilot round trip (press + pause) for the same presses", round_trip))
        _, idle = asyncio.run(key_latency(TEMPLATE, min(args.presses, 50), "x", 0.0))
        print(describe("  baseline, Pilot round trip for an unbound key", idle))
        if TRANSLATED.exists():
            with tempfile.TemporaryDirectory() as work:
                copy = Path(work) / TRANSLATED.name
                copy.write_bytes(TRANSLATED.read_bytes())
                # its 11 untranslated entries, wrapped around; each stop looks up the memory
                latency, _ = asyncio.run(key_latency(copy, args.presses, "ctrl+n", 0.15))
                print(describe(f"next untranslated on {TRANSLATED.name} ({len(load_catalog(copy).entries):,} "
                               "entries), key → last frame incl. memory suggestions", latency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
