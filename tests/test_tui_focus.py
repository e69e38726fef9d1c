"""The catalog screen's focus model, with Pilot: list → editor (→ next plural form) → list by Tab,
no hidden stops, single-letter commands only while the list has focus; the approve guard."""

from __future__ import annotations

from textual.widgets import TextArea

from transkit.catalog import load_catalog
from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.modals import ConfirmScreen, HelpScreen
from transkit.tui.widgets.entry_list import EntryList
from tui_helpers import SIZE, search, settle


def gallery_po(sample_po):
    return sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"


async def open_gallery(app, pilot) -> CatalogScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, CatalogScreen)
    return app.screen


async def test_tab_goes_list_editor_list_and_through_every_plural_form(sample_po):
    app = TranskitApp(gallery_po(sample_po))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gallery(app, pilot)
        assert isinstance(app.focused, EntryList)
        await pilot.press("down", "tab")
        assert isinstance(app.focused, TextArea)  # no stop between the list and the editor
        await pilot.press("tab")
        assert isinstance(app.focused, EntryList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, TextArea)

        await pilot.press("escape")
        await search(pilot, screen, "%d image")
        await pilot.press("tab", *"%d immagine", "tab")
        assert isinstance(app.focused, TextArea) and screen.form == 1  # the next form, same entry
        await pilot.press(*"%d immagini", "tab")
        assert isinstance(app.focused, EntryList)
        await pilot.press("shift+tab")  # back into the last form
        assert isinstance(app.focused, TextArea) and screen.form == 1
        entry = screen.session.entries[screen.index]
        assert entry.msgstr_plural == {0: "%d immagine", 1: "%d immagini"}


async def test_letters_typed_in_the_editor_are_text_never_commands(sample_po):
    app = TranskitApp(gallery_po(sample_po))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gallery(app, pilot)
        await search(pilot, screen, "Lightbox")
        await pilot.press("tab", *"dazfuet1")  # DeepL, approve, undo, fuzzy, jumps, accept — as list keys
        await settle(app, pilot)
        assert isinstance(app.screen, CatalogScreen)  # no DeepL modal
        assert screen.session.entries[screen.index].msgstr == "dazfuet1"
        assert screen.session.status(screen.index) == "translated"


async def test_after_help_and_after_approve_the_arrows_move_the_list(sample_po):
    app = TranskitApp(gallery_po(sample_po))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gallery(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("down")
        assert screen.entry_list.cursor == 1
        await pilot.press("down", "a")  # "Tiny Gallery settings" approved → next that needs work
        assert screen.session.status(2) == "reviewed"
        assert screen.entry_list.cursor == 3 and isinstance(app.focused, EntryList)
        await pilot.press("down")
        assert screen.entry_list.cursor == 4


async def test_approve_refuses_an_error_until_approve_anyway(sample_po):
    po = gallery_po(sample_po)
    app = TranskitApp(po)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gallery(app, pilot)
        await search(pilot, screen, "is empty")
        index = screen.index
        await pilot.press("tab", "ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "argument 2 is missing from the translation" in app.screen.question
        await pilot.press("escape")  # keep editing: still fuzzy, cursor and focus where they were
        assert screen.session.entries[index].fuzzy and screen.index == index
        assert isinstance(app.focused, TextArea)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press("y")  # approve anyway
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    found = load_catalog(po).find('Gallery %1$s is empty. <a href="%2$s">Add images</a>.')
    assert not found.fuzzy and found.msgstr == "La galleria %s è vuota."


async def test_end_in_the_dashboard_goes_to_the_last_catalog_not_sideways(sample_po):
    from transkit.tui.screens.dashboard import CatalogTable, DashboardScreen

    app = TranskitApp(sample_po)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the table is wider than the screen
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one(CatalogTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_x == 0
