"""At 80x24 (a plain terminal) the dashboard table and the catalog footer fit the width: what QA saw
in tmux was a table scrolled sideways (last header "Fuz") and a footer ending "^p palette1"."""

from __future__ import annotations

from textual.widgets import DataTable

from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.dashboard import COLUMNS, DashboardScreen
from tui_helpers import settle

NARROW = (80, 24)


def screen_lines(app) -> list[str]:
    """The characters on the terminal, one string per row, as the user sees them."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def test_dashboard_and_catalog_footer_fit_80_columns(sample_po):
    app = TranskitApp(sample_po)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count
        assert table.virtual_size.width <= table.size.width  # nothing off screen to the right
        header = next(line for line in screen_lines(app) if "Project" in line and "Locale" in line)
        for name in ("Project", "Locale", "Progress", "Rev", "Todo", "Mem", "DeepL", "LLM", "Fuz", "Chg", "Last"):
            assert name in header, (name, header)

        table.move_cursor(row=next(i for i, row in enumerate(table.ordered_rows)
                                   if "tiny-gallery" in str(row.key.value)))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CatalogScreen)
        footer = screen_lines(app)[-1].rstrip()
        for key in ("⏎ Edit", "1…9 Accept", "^s Save", "^r Approve+next", "^q Quit", "f1 Help"):
            assert key in footer, (key, footer)
        assert footer.endswith("f1 Help"), footer  # no stray "1" of a cut-off "f1"
        assert "palette" not in footer

        await pilot.resize_terminal(140, 40)  # wide again: the full headers and the long bar
        await pilot.press("escape")
        await settle(app, pilot)
        header = next(line for line in screen_lines(app) if "Project" in line and "Locale" in line)
        for name in COLUMNS:
            assert name in header, (name, header)



async def test_dashboard_rows_are_never_drawn_cut_to_their_headers(sample_po):
    """Columns set anew (a resize across the narrow/wide border) and rows filled in the same frame
    show whole project names: DataTable's own auto width is only measured on a later idle event, and
    a frame drawn before it showed 'hello-c', 'tiny-ga' (the dashboard snapshot failed so in CI)."""
    app = TranskitApp(sample_po)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen._set_columns(False)
        screen.show_rows(*screen._shown)  # no await: no idle event between filling and drawing
        table = screen.query_one(DataTable)
        project_column = table.ordered_columns[0]
        widest = max(len(str(row.project)) for row in screen.rows.values())
        assert project_column.get_render_width(table) - 2 * table.cell_padding >= widest
