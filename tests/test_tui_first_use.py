"""The TUI as a new user meets it: a folder with a broken catalog next to good ones."""

from __future__ import annotations


from textual.widgets import DataTable

from transkit.tui.app import TranskitApp
from transkit.tui.screens.dashboard import DashboardScreen
from transkit.tui.screens.modals import ErrorScreen
from tui_helpers import settle
from plugin_helpers import break_gallery_catalog

SIZE = (140, 40)


async def test_a_broken_catalog_keeps_the_dashboard_on_screen_and_enter_tells_why(sample_po):
    broken, line = break_gallery_catalog(sample_po)
    before = broken.read_bytes()

    app = TranskitApp(sample_po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one(DataTable)
        # every column of the good catalogs stays within the terminal
        assert table.virtual_size.width <= SIZE[0]
        keys = [row.key.value for row in table.ordered_rows]
        row = keys.index(str(broken))
        cell = str(table.get_cell_at((row, 2)))
        assert cell.startswith(f"line {line}: expected a quoted string")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert f"tiny-gallery-de_DE.po:{line}:" in app.screen.message
    assert broken.read_bytes() == before
