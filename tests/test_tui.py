"""The TUI driven for real with Textual's Pilot: keys in, PO files and review state out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from transkit.catalog import load_catalog
from transkit.store import ReviewState, ReviewStore
from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.dashboard import DashboardScreen
from transkit.tui.screens.modals import ConfirmScreen, ErrorScreen, HelpScreen
from tui_helpers import SIZE, msgfmt_ok, search, settle, wait_until



async def open_from_dashboard(app, pilot, name: str) -> CatalogScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, DashboardScreen)
    table = app.screen.query_one(DataTable)
    keys = [row.key.value for row in table.ordered_rows]
    target = next(i for i, key in enumerate(keys) if Path(key).name == name)
    table.move_cursor(row=target)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CatalogScreen)
    return app.screen


async def test_review_flow_on_sample_po(sample_po):
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    original = po_path.read_text(encoding="utf-8")
    app = TranskitApp(sample_po)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_dashboard(app, pilot, po_path.name)
        session = screen.session

        # filter to untranslated: every row shown is untranslated
        await pilot.press("ctrl+f")
        assert screen.filter == "untranslated"
        rows = screen.entry_list.rows
        assert rows and all(session.entries[i].is_untranslated() for i in rows)
        assert len(rows) == 8

        # the memory (seeded from hello-cli's Italian catalog) knows "Save Changes"
        await search(pilot, screen, "Save Changes")
        assert session.entries[screen.index].msgid == "Save Changes"
        assert screen.suggestions, "no memory suggestion shown"
        first = screen.suggestions[0]
        assert first.text == "Salva le modifiche" and first.score == 100 and first.provider == "memory"
        assert "hello-cli" in first.origin
        await pilot.press("1")
        save_changes = session.entries[screen.index]
        assert save_changes.msgstr == "Salva le modifiche" and save_changes.fuzzy
        assert session.status(screen.index) == "machine"
        await pilot.press("a")  # approve and go on
        assert not save_changes.fuzzy and session.status(session.entries.index(save_changes)) == "reviewed"

        # a plural entry: type both forms, switching tabs with alt+right
        await search(pilot, screen, "%d image")
        plural = session.entries[screen.index]
        assert plural.msgid == "%d image"
        assert screen.editor.labels == ["1", "0, 2, 3, 4…"]
        await pilot.press("enter")
        assert app.focused is screen.editor.text_area
        await pilot.press(*"%d immagine")
        await pilot.press("alt+right")
        assert screen.form == 1
        await pilot.press(*"%d immagini")
        await pilot.press("ctrl+r")  # approve and next, while typing
        assert plural.msgstr_plural == {0: "%d immagine", 1: "%d immagini"}
        assert session.status(session.entries.index(plural)) == "reviewed"

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not session.modified

    # on disk: both translations, approved (not fuzzy), the rest of the file untouched, valid for msgfmt
    saved = load_catalog(po_path)
    entry = saved.find("Save Changes")
    assert entry.msgstr == "Salva le modifiche" and not entry.fuzzy
    plural_entry = saved.find("%d image")
    assert plural_entry.msgstr_plural == {0: "%d immagine", 1: "%d immagini"} and not plural_entry.fuzzy
    assert saved.find("Gallery %1$s is empty. <a href=\"%2$s\">Add images</a>.").fuzzy
    msgfmt_ok(po_path)
    text = po_path.read_text(encoding="utf-8")
    untouched = original.split('#: tiny-gallery.php:21')[1].split('#: tiny-gallery.php:25')[0]
    assert untouched in text

    # in the review store: reviewed, and the memory suggestion's provenance kept
    with ReviewStore.open() as store:
        states = store.states(screen.session.key)
        assert states[(None, "Save Changes")].state is ReviewState.REVIEWED
        assert states[(None, "Save Changes")].provider == "memory"
        assert states[(None, "%d image")].state is ReviewState.REVIEWED
        assert states[(None, "Lightbox")].state is ReviewState.UNTRANSLATED


async def test_toggle_fuzzy_undo_copy_source_and_refusals(sample_po):
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        session = screen.session
        await search(pilot, screen, "Lightbox")
        lightbox = session.entries[screen.index]
        await pilot.press("a")  # approving an untranslated entry is refused with a message
        assert not session.modified
        await pilot.press("t")  # so is marking it fuzzy
        assert not lightbox.fuzzy
        await pilot.press("c")  # copy source
        assert lightbox.msgstr == "Lightbox"
        await pilot.press("t")
        assert lightbox.fuzzy
        await pilot.press("z")
        assert not lightbox.fuzzy and lightbox.msgstr == "Lightbox"
        await pilot.press("z")
        assert lightbox.msgstr == "" and not session.modified

        # next fuzzy / next failing jump to the one fuzzy entry (its placeholders do not match)
        await search(pilot, screen, "")
        await pilot.press("home", "f")
        assert session.entries[screen.index].msgid.startswith("Gallery %1$s")
        await pilot.press("home", "e")
        assert screen.index in session.problems


async def test_unsaved_work_is_offered_back_after_a_crash(sample_po):
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    before = po_path.read_bytes()
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Lightbox")
        await pilot.press("enter", *"Lightbox (finestra)")
        journal = screen.session.journal

        def journalled_all_typed() -> bool:
            return journal.path.exists() and any(
                (row.msgid, row.msgstr) == ("Lightbox", "Lightbox (finestra)") for row in journal.read())

        # the journal is written by a timer, every second: waited for, not slept for (a write that
        # came mid-typing holds part of it; the next one all of it)
        assert await wait_until(pilot, journalled_all_typed), "the typing never reached the journal"
    # the app ended without saving (as if killed): the file is as it was
    assert po_path.read_bytes() == before

    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert screen.session.catalog.find("Lightbox").msgstr == "Lightbox (finestra)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert load_catalog(po_path).find("Lightbox").msgstr == "Lightbox (finestra)"
    assert not screen.session.journal.path.exists()


async def test_broken_catalog_shows_an_error_not_a_traceback(tmp_path):
    broken = tmp_path / "broken-it_IT.po"
    broken.write_text('msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n\nmsgid "One"\nmsgstr "Uno\n', encoding="utf-8")
    app = TranskitApp(broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "broken-it_IT.po" in app.screen.message and ":6" in app.screen.message
        await pilot.press("escape")
        assert not isinstance(app.screen, ErrorScreen)
    assert broken.read_text(encoding="utf-8").endswith('msgstr "Uno\n')


async def test_help_lists_bindings_with_the_users_keymap(sample_po, isolated_home):
    (isolated_home / "config.toml").write_text('[keys]\nnext_untranslated = "ctrl+down"\n', encoding="utf-8")
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        start = screen.index
        await pilot.press("ctrl+down")
        assert screen.index != start and screen.session.status(screen.index) == "untranslated"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        listed = {ident: keys for _, rows in app.screen.sections for keys, _, ident in rows}
        for ident in ("save", "approve_next", "toggle_fuzzy", "undo", "copy_source", "next_fuzzy",
                      "next_failing", "previous_untranslated", "accept_1", "help", "quit"):
            assert ident in listed, ident
        assert listed["next_untranslated"] == "^↓"  # remapped; ctrl+n no longer listed


async def test_deepl_without_a_key_says_so_and_the_editor_keeps_working(sample_po):
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Lightbox")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "DEEPL_AUTH_KEY" in app.screen.message
        await pilot.press("escape")
        await pilot.press("enter", *"Lightbox")
        assert screen.session.entries[screen.index].msgstr == "Lightbox"


async def test_corpus_catalog_flow(corpus_dir, tmp_path):
    """A real WooCommerce Italian catalog: memory suggestion, plural edit, approve, save."""
    source = corpus_dir / "wordpress" / "woocommerce" / "2.4" / "woocommerce-it_IT.po"
    if not source.exists():
        pytest.skip(f"{source} not in the corpus")
    folder = tmp_path / "woocommerce" / "languages"
    folder.mkdir(parents=True)
    po_path = folder / source.name
    shutil.copy(source, po_path)
    app = TranskitApp(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_dashboard(app, pilot, po_path.name)
        session = screen.session
        await pilot.press("ctrl+f")
        untranslated = list(screen.entry_list.rows)
        assert untranslated and all(session.entries[i].is_untranslated() for i in untranslated)
        # walk the untranslated entries until the memory has something for one
        chosen = None
        for _ in untranslated:
            await settle(app, pilot)
            if screen.suggestions and screen.suggestions_for == screen.index \
                    and not session.entries[screen.index].is_plural:
                chosen = session.entries[screen.index]
                break
            await pilot.press("down")
        assert chosen is not None, "no untranslated entry got a memory suggestion"
        suggestion = screen.suggestions[0]
        await pilot.press("1", "a")
        # a plural entry: change its second form, then approve
        await pilot.press("ctrl+f", "ctrl+f", "ctrl+f", "ctrl+f", "ctrl+f")  # back to "all"
        assert screen.filter == "all"
        plural = next(e for e in session.entries if e.is_plural and e.is_translated())
        screen.entry_list.go_to_index(session.entries.index(plural))
        await settle(app, pilot)
        await pilot.press("enter", "alt+right", "end", *" (rev)", "ctrl+r", "ctrl+s")
        await settle(app, pilot)
    saved = load_catalog(po_path)
    accepted = saved.find(chosen.msgid, chosen.msgctxt)
    assert accepted.msgstr == suggestion.text and not accepted.fuzzy
    edited = saved.find(plural.msgid, plural.msgctxt)
    assert edited.msgstr_plural[1].endswith(" (rev)") and not edited.fuzzy
    msgfmt_ok(po_path)
    with ReviewStore.open() as store:
        states = store.states(session.key)
    assert states[accepted.key].state is ReviewState.REVIEWED
    assert states[accepted.key].provider == "memory"
    assert states[edited.key].state is ReviewState.REVIEWED


async def test_a_fuzzy_index_the_memory_cannot_store_is_said_once_and_suggestions_still_come(sample_po):
    """A memory that cannot write its fuzzy index (here SQLite refuses the rows, as a full disk or a
    read-only role would) still suggests; the editor says why every new session will be slow."""
    import sqlite3

    from transkit.config import data_dir
    from transkit.suggest.tm import FILE_NAME, TranslationMemory

    with TranslationMemory() as memory:
        memory.add("it_IT", "Save Changes", ["Salva le modifiche"], "team-it_IT.po")
    with sqlite3.connect(data_dir() / FILE_NAME) as db:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON fuzzy_index_parts "
                   "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for text in ("Save Changes", "Gallery settings", "Save Changes"):
            await search(pilot, screen, text)
        assert any(s.text == "Salva le modifiche" for s in screen.suggestions)
        said = [n.message for n in app._notifications if "could not be stored" in n.message]
        assert len(said) == 1 and "fuzzy index of the it_IT memory" in said[0] and "disk is full" in said[0]
