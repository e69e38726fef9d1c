"""The editor's warnings follow the draft: the checks (placeholders, glossary, consistency, …) run
again on what is being typed, once the typing pauses — not once per key — and what was typed is in
the session (journal, undo) at once."""

from __future__ import annotations

from click.testing import CliRunner

from transkit.cli.main import cli
from textual.widgets import Static

from transkit.tui.app import TranskitApp
from transkit.tui.screens.modals import ConfirmScreen
from tui_helpers import SIZE, search, settle, wait_until  # the debounce timer fires on its own


def checks_shown(screen) -> str:
    return str(screen.editor.query_one("#entry-checks").render())


async def test_glossary_warning_appears_and_goes_while_typing(sample_po):
    result = CliRunner().invoke(cli, ["glossary", "add", "it_IT", "gallery", "galleria"])
    assert result.exit_code == 0, result.output
    po = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Choose how many")
        assert "not translated yet" in checks_shown(screen)
        await pilot.press("tab", *"Scegli quante colonne mostra la raccolta.")
        assert screen.session.entries[screen.index].msgstr == "Scegli quante colonne mostra la raccolta."
        wanted = "glossary: gallery should be translated as galleria"
        assert await wait_until(pilot, lambda: wanted in checks_shown(screen)), checks_shown(screen)
        # mend the draft: the warning goes once the typing pauses again
        await pilot.press(*(["backspace"] * len("raccolta.")), *"galleria.")
        assert await wait_until(pilot, lambda: wanted not in checks_shown(screen)), checks_shown(screen)
        assert "no problems found" in checks_shown(screen)
        assert screen.index not in screen.session.problems  # the "failing" filter agrees


async def test_placeholder_error_follows_the_draft_of_a_plural_form(sample_po):
    po = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    app = TranskitApp(po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "%d image")
        await pilot.press("tab", *"%s immagine")  # %s where the source has %d
        wrong = "format [form 0]"
        assert await wait_until(pilot, lambda: wrong in checks_shown(screen)), checks_shown(screen)
        await pilot.press("home", "delete", "delete", *"%d")
        assert screen.session.entries[screen.index].msgstr_plural[0] == "%d immagine"
        assert await wait_until(pilot, lambda: wrong not in checks_shown(screen)), checks_shown(screen)
        # approving right after typing sees the draft as it is (the checks owed run first): the
        # second form's %s is named by the approve guard
        await pilot.press("alt+right", *"%s immagini", "ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "format [form 1]" in str(app.screen.query_one("#dialog-message", Static).render())


def test_a_draft_kept_unchecked_is_checked_when_asked(sample_po):
    """What the debounce relies on: set_form(check=False) keeps the draft (undo, journal) and leaves
    its checks owed; check_pending (or any recheck of the entry) runs them on the draft."""
    from transkit.jobs.edit_session import open_catalog

    session = open_catalog(sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po")
    session.run_all_checks()
    index = next(i for i, e in enumerate(session.entries) if e.msgid == "Close")
    assert index not in session.problems
    session.set_form(index, 0, "Chiudi %s", check=False)
    assert session.entries[index].msgstr == "Chiudi %s" and index in session.dirty
    assert index not in session.problems and session.unchecked == {index}
    assert session.check_pending() == [index]
    assert "%s" in " ".join(p.message for p in session.problems[index]) and not session.unchecked
    assert session.undo() == index and session.entries[index].msgstr == "Chiudi"
    assert index not in session.problems
