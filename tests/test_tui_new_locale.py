"""Starting a translation from the TUI (`transkit init`'s face there): a plugin that ships no catalog
and no template is a dashboard row, and `n` on any row asks for a locale and creates the catalog,
building the template from the sources first. What QA saw before: the dashboard of such a plugin said
"No plugin or gettext catalog found here", and the TUI had no way to begin."""

from __future__ import annotations

import subprocess

import pytest
from textual.widgets import DataTable, Input

from transkit.catalog import load_catalog
from transkit.tui.app import TranskitApp
from transkit.tui.screens.dashboard import DashboardScreen
from transkit.tui.screens.modals import LocaleScreen
from tui_helpers import SIZE, settle


def screen_text(app) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def row_texts(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [" ".join(str(cell) for cell in table.get_row_at(index)) for index in range(table.row_count)]


async def type_locale(pilot, app, locale: str) -> None:
    screen = app.screen
    assert isinstance(screen, LocaleScreen)
    box = screen.query_one("#locale-input", Input)
    box.value = ""
    await pilot.press(*locale)
    await pilot.pause(0.05)


async def test_a_plugin_without_template_is_a_row_and_n_starts_a_locale(sample_po):
    plugin = sample_po / "pocket-events"
    assert not list(plugin.rglob("*.po")) and not list(plugin.rglob("*.pot"))
    app = TranskitApp(plugin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "No plugin or gettext catalog found" not in text
        assert "pocket-events: no template and no translation yet" in text
        assert any("pocket-events" in row and "no template" in row for row in row_texts(app))

        await pilot.press("n")
        await pilot.pause(0.05)
        assert isinstance(app.screen, LocaleScreen)
        await type_locale(pilot, app, "xx_XX")  # well formed, but no language: refused in the dialog
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert isinstance(app.screen, LocaleScreen)
        assert "'xx' is not a language transkit knows" in screen_text(app)
        await type_locale(pilot, app, "pt-BR")
        assert "Portuguese (Brazil)" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)

        assert isinstance(app.screen, DashboardScreen)
        created = plugin / "languages" / "pocket-events-pt_BR.po"
        catalog = load_catalog(created)
        assert catalog.language == "pt_BR" and "nplurals=2; plural=n > 1;" in catalog.header["Plural-Forms"]
        assert catalog.find("Seats available") is not None  # after a PHP 8.1 enum match: extracted
        assert (plugin / "languages" / "pocket-events.pot").exists()  # built from the sources first
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(created)]).returncode == 0
        # the new catalog is a row, selected, and the "no template" row is gone
        table = app.screen.query_one(DataTable)
        rows = row_texts(app)
        assert not any("no template" in row for row in rows) and len(rows) == 1
        assert "pt_BR" in rows[table.cursor_row]
        assert "1 catalog under" in screen_text(app)


async def test_n_on_a_catalog_row_offers_its_locale_and_refuses_an_existing_one(sample_po):
    gallery = sample_po / "tiny-gallery"
    app = TranskitApp(gallery)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause(0.05)
        box = app.screen.query_one("#locale-input", Input)
        assert box.value == "it_IT"  # the locale the user already works in
        await pilot.press("enter")  # it_IT exists: a clear error, nothing overwritten
        await settle(app, pilot)
        dialog = " ".join(screen_text(app).replace("█", " ").split())  # the message as one line, unwrapped
        assert "Could not start it_IT" in dialog
        assert "languages/tiny-gallery-it_IT.po: already exists; use `transkit update`" in dialog
        before = (gallery / "languages" / "tiny-gallery-it_IT.po").read_bytes()
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert (gallery / "languages" / "tiny-gallery-it_IT.po").read_bytes() == before

        await pilot.press("n")
        await pilot.pause(0.05)
        await type_locale(pilot, app, "de_DE")
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert (gallery / "languages" / "tiny-gallery-de_DE.po").exists()
        assert any("de_DE" in row for row in row_texts(app))


async def test_escape_starts_nothing(sample_po):
    plugin = sample_po / "pocket-events"
    app = TranskitApp(plugin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # enter on a plugin with nothing to open asks for a locale too
        await pilot.pause(0.05)
        assert isinstance(app.screen, LocaleScreen)
        await type_locale(pilot, app, "it_IT")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert not list(plugin.rglob("*.po")) and not list(plugin.rglob("*.pot"))


def test_in_a_terminal_n_and_typed_letters_start_a_locale(sample_po):
    # in a pty: the letters typed into the dialog must reach the input, not the dashboard's keys (n, r)
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    from tui_pty import Terminal

    plugin = sample_po / "pocket-events"
    term = Terminal(["tui", str(plugin)], cwd=plugin, columns=100, lines=30)
    try:
        term.wait_for("no template and no translation yet")
        term.send("n")
        term.wait_for("Start a translation of pocket-events")
        term.send(*"nl_NL")
        term.wait_for("Dutch (Netherlands)")
        term.send("enter")
        term.wait_for("nl_NL")
        term.wait_for(lambda text: "1 catalog under" in text)
    finally:
        term.close()
    assert load_catalog(plugin / "languages" / "pocket-events-nl_NL.po").language == "nl_NL"
