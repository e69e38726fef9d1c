"""The glossary in the TUI: terms underlined in the source with their agreed translation below it,
the glossary check among the entry's problems, and a term added or removed from the editor."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable, Input

from transkit.cli.main import cli
from transkit.store.glossary import GlossaryStore
from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.modals import TermScreen
from tui_helpers import SIZE, search, settle

PO = '''msgid ""
msgstr ""
"Project-Id-Version: Blog Tools 1.0\\n"
"Language: de_DE\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Edit posts"
msgstr "Artikel bearbeiten"

msgid "Choose a category"
msgstr "Wähle eine Rubrik"
'''


def make_plugin(root: Path) -> Path:
    plugin = root / "blog-tools"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "blog-tools.php").write_text("<?php\n/*\nPlugin Name: Blog Tools\nText Domain: blog-tools\n*/\n")
    po = plugin / "languages" / "blog-tools-de_DE.po"
    po.write_text(PO, encoding="utf-8")
    return po


def shown(screen, selector: str) -> str:
    return str(screen.editor.query_one(selector).render())


async def open_catalog(app, pilot) -> CatalogScreen:
    await settle(app, pilot)
    table = app.screen.query_one(DataTable)
    keys = [row.key.value for row in table.ordered_rows]
    table.move_cursor(row=next(i for i, key in enumerate(keys) if key.endswith("blog-tools-de_DE.po")))
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CatalogScreen)
    return app.screen


async def test_terms_are_shown_checked_and_edited_from_the_editor(tmp_path):
    po = make_plugin(tmp_path)
    CliRunner().invoke(cli, ["glossary", "add", "de_DE", "Post", "Beitrag"])
    app = TranskitApp(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Edit posts")
        assert screen.session.entries[screen.index].msgid == "Edit posts"
        assert "Glossary  Post → Beitrag" in shown(screen, "#entry-source")
        assert "glossary: Post should be translated as Beitrag" in shown(screen, "#entry-checks")

        # f9 (alt+k): one line adds a term; the checks run again with it
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, TermScreen)
        field = app.screen.query_one("#term-input", Input)
        assert field.value == "Edit posts = Artikel bearbeiten"  # the entry, to shorten to a term
        field.value = "Category = Kategorie"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CatalogScreen)
        await search(pilot, screen, "Choose a category")
        assert "Glossary  Category → Kategorie" in shown(screen, "#entry-source")
        assert "glossary: Category should be translated as Kategorie" in shown(screen, "#entry-checks")

        # '-term' removes it; the warning goes
        await pilot.press("f9")
        await settle(app, pilot)
        app.screen.query_one("#term-input", Input).value = "-category"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Glossary" not in shown(screen, "#entry-source")
        assert "glossary" not in shown(screen, "#entry-checks")
    with GlossaryStore.open() as store:
        assert [(t.source, t.translation) for t in store.terms("de_DE")] == [("Post", "Beitrag")]
    assert po.read_text(encoding="utf-8") == PO  # nothing of this touches the catalog
