"""The dashboard while the memory learns the catalogs it found: a count while it runs, then the
catalogs it could not learn from (file, line, reason) above the table and in a notification; and a
dashboard over several paths."""

from __future__ import annotations

import re
import threading

from textual.widgets import DataTable, Static

from transkit.jobs.catalogs import memory_sources, projects_for
from transkit.suggest.tm import TranslationMemory
from transkit.tui.app import TranskitApp
from transkit.tui.screens.dashboard import DashboardScreen

from tui_helpers import settle, wait_until
from plugin_helpers import break_gallery_catalog

SIZE = (100, 30)


async def until(pilot, condition, what: str) -> None:
    """Poll the app until ``condition()`` holds (never a fixed sleep to order things)."""
    if not await wait_until(pilot, condition):
        raise AssertionError(f"never happened: {what}; panel: {panel_text(pilot.app)!r}")


def panel_text(app) -> str:
    panel = app.screen.query_one("#memory-status", Static)
    return str(panel.render()) if panel.display else ""


async def test_seeding_shows_its_count_while_it_runs(sample_po, monkeypatch):
    """The memory's second catalog is held until the panel has been seen counting."""
    reached, release = threading.Event(), threading.Event()
    calls = []
    real = TranslationMemory.seed_file

    def held(self, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            reached.set()
            release.wait(120)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TranslationMemory, "seed_file", held)
    app = TranskitApp(sample_po)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, reached.is_set, "seeding reached its second catalog")
        await until(pilot, lambda: "learning from the catalogs found" in panel_text(app), "a seeding count")
        counted = re.search(r"Memory: learning from the catalogs found … (\d+)/(\d+)", panel_text(app))
        # held inside its second catalog: one or none counted yet (events are throttled), of all of them
        assert counted and int(counted[1]) <= 1 and int(counted[2]) == len(memory_sources(projects_for([sample_po]))) >= 2, \
            panel_text(app)
        release.set()
        await settle(app, pilot)
        await until(pilot, lambda: panel_text(app) == "", "the panel to go once every catalog was learned")
        assert isinstance(app.screen, DashboardScreen) and app.screen.seeding_failures == []
        assert not list(app._notifications)


async def test_catalogs_the_memory_could_not_learn_from_are_listed(sample_po):
    """A broken PO (also a red row) and a broken .mo-only language pack (no row at all: the table
    lists PO files): both named with file, line and reason, and a notification says so."""
    languages = sample_po / "tiny-gallery" / "languages"
    broken_po, line = break_gallery_catalog(sample_po)
    broken_mo = languages / "tiny-gallery-fr_FR.mo"
    broken_mo.write_bytes(b"\xde\x12\x04\x95not a catalog")
    app = TranskitApp(sample_po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: "could not learn" in panel_text(app), "the memory's failures")
        shown = panel_text(app)
        assert "Memory: could not learn from 2 catalogs" in shown
        assert f"tiny-gallery/languages/tiny-gallery-de_DE.po:{line}: expected a quoted string" in shown
        assert "tiny-gallery/languages/tiny-gallery-fr_FR.mo" in shown
        assert str(sample_po) not in shown  # paths as under the folder the user opened
        notes = [n.message for n in app._notifications]
        assert any("Memory could not learn from 2 catalogs" in n for n in notes)
        # the table is still there and usable
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 3


async def test_a_dashboard_over_several_paths(sample_po):
    app = TranskitApp([sample_po / "tiny-gallery", sample_po / "hello-cli"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.query_one(DataTable).row_count > 0, "rows")
        assert isinstance(app.screen, DashboardScreen)
        keys = [row.key.value for row in app.screen.query_one(DataTable).ordered_rows]
        assert any("tiny-gallery" in key for key in keys) and any("hello-cli" in key for key in keys)
        assert not any("quick-notes" in key for key in keys)
        title = str(app.screen.query_one("#dashboard-title", Static).render())
        assert f"under {sample_po / 'tiny-gallery'} {sample_po / 'hello-cli'}" in title
