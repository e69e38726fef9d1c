"""At 80x24 (a plain terminal) the dashboard table and the catalog footer fit the width: what QA saw
in tmux was a table scrolled sideways (last header "Fuz") and a footer ending "^p palette1"."""

from __future__ import annotations

from textual.widgets import DataTable

from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.dashboard import COLUMNS, DashboardScreen
from tui_helpers import settle
from plugin_helpers import break_gallery_catalog

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


def break_a_catalog(sample_po):
    """A copy of tiny-gallery's it_IT catalog as de_DE with a quote left open, and a .mo that is
    not one: a red row on the dashboard, and two catalogs the memory cannot learn from."""
    broken, line = break_gallery_catalog(sample_po)
    (broken.parent / "tiny-gallery-fr_FR.mo").write_bytes(b"\xde\x12\x04\x95not a catalog")
    return broken, line


async def test_a_row_with_an_error_still_fits_80_columns(sample_po):
    """QA: with a broken catalog the narrow table ran 8 columns past the screen (the error's message
    was cut at the bar's width + 12 whatever room was left). Now it takes the room the other columns
    leave, cut between words, and enter shows the whole message; wider, more of it shows."""
    broken, line = break_a_catalog(sample_po)
    app = TranskitApp(sample_po)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # nothing off screen to the right
        header = next(text for text in screen_lines(app) if "Project" in text and "Locale" in text)
        assert header.rstrip().endswith("Last"), header
        row = [str(r.key.value) for r in table.ordered_rows].index(str(broken))
        cell = str(table.get_cell_at((row, 2)))
        assert cell == f"line {line}…", cell  # "line 76: expecte…" would not fit: the words that fit
        await pilot.resize_terminal(100, 30)  # still the narrow layout: the message gets the room
        await settle(app, pilot)
        assert table.virtual_size.width <= table.size.width
        cell = str(table.get_cell_at((row, 2)))
        assert cell.startswith(f"line {line}: expected a") and cell.endswith("…") and " " in cell, cell
        assert not cell[:-1].endswith(("expecte", "quote", "strin")), cell  # never cut inside a word


async def test_the_memorys_failures_are_a_list_whose_items_fold_under_themselves(sample_po):
    """QA: a failure folded at the panel's edge went on at the panel's left edge, under the title,
    not under its item. Each item is two cells in and its folded lines two more."""
    broken, line = break_a_catalog(sample_po)
    app = TranskitApp(sample_po)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        for _ in range(100):
            if app.screen.seeding_failures:
                break
            await pilot.pause(0.05)
        await settle(app, pilot)
        lines = screen_lines(app)
        title = next(n for n, text in enumerate(lines) if "Memory: could not learn from 2 catalogs" in text)
        left = lines[title].index("Memory")
        items = lines[title + 1:title + 5]
        assert items[0][left:].startswith(f"  tiny-gallery/languages/tiny-gallery-de_DE.po:{line}: expected")
        assert items[1][left:].startswith("    ") and "found" in items[1]  # its folded line, under it
        assert items[2][left:].startswith("  tiny-gallery/languages/tiny-gallery-fr_FR.mo: not a valid")
        assert items[3][left:].startswith("    ") and "28-byte .mo header" in items[3]
        assert all(len(text.rstrip()) <= 80 for text in lines)


async def test_a_template_only_project_and_a_width_the_wide_table_needs_more_than(sample_po):
    """A plugin with a template and no translation yet widened the narrow table past 80 columns
    ("template only", "no translation yet"); between 118 and ~130 columns the wide table scrolled."""
    from transkit.jobs.extract import extract_template

    extract_template(str(sample_po / "pocket-events"))
    broken, _ = break_a_catalog(sample_po)
    app = TranskitApp(sample_po)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
        lines = screen_lines(app)
        row = next(text for text in lines if "pocket-e" in text)
        assert "template" in row and "no PO" in row, row
        for width in (120, 126):  # under the wide table's width: the narrow columns, nothing off screen
            await pilot.resize_terminal(width, 30)
            await settle(app, pilot)
            assert table.virtual_size.width <= table.size.width, width
            header = next(text for text in screen_lines(app) if "Project" in text and "Locale" in text)
            assert header.rstrip().endswith("Last"), header
        await pilot.resize_terminal(140, 30)
        await settle(app, pilot)
        assert table.virtual_size.width <= table.size.width
        row = next(text for text in screen_lines(app) if "pocket-events" in text)
        assert "template only" in row and "no translation yet" in row, row
