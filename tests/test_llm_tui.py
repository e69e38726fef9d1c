"""The TUI's LLM suggestions against the fake LLM server: the real app and the real openai library,
keys in, PO file and review state out. The answer joins the memory's; a failure is a modal."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm_server import TEST_KEY
from transkit.catalog import load_catalog
from transkit.store import ReviewStore
from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.modals import ErrorScreen
from tui_helpers import SIZE, msgfmt_ok, search, settle

pytest_plugins = ["llm_fixtures"]

GALLERY = 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.'


@pytest.fixture
def po_path(sample_po) -> Path:
    return sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"


@pytest.fixture
def llm_config(llm_server, isolated_home, monkeypatch):
    (isolated_home / "config.toml").write_text(
        f'[llm]\nprovider = "openai"\nmodel = "fake-model"\nbase_url = "{llm_server.openai_url}"\n',
        encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    return llm_server


async def test_the_llm_suggestion_is_shown_and_accepted_as_fuzzy_with_its_model(po_path, llm_config):
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await search(pilot, screen, "Gallery %1$s")
        await pilot.press("l")
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        expected = 'GALLERY %1$s IS EMPTY. <a href="%2$s">ADD IMAGES</a>.'
        shown = str(screen.editor.query_one("#suggestions").render())
        assert expected in shown and "fake-model" in shown
        llm = [s for s in screen.suggestions if s.provider == "llm:openai/fake-model"]
        assert [s.forms for s in llm] == [(expected,)]
        await pilot.press(str(screen.suggestions.index(llm[0]) + 1))
        await settle(app, pilot)
        # the entry says where its draft came from: engine, API and model
        assert "llm:openai/fake-model" in str(screen.editor.query_one("#entry-details").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        key = screen.session.key
    on_disk = load_catalog(po_path).find(GALLERY)
    assert on_disk.msgstr == expected and on_disk.fuzzy
    msgfmt_ok(po_path)
    with ReviewStore.open() as store:
        assert store.states(key)[(None, GALLERY)].provider == "llm:openai/fake-model"
    assert len(llm_config.state.completions(200)) == 1


async def test_a_refused_key_is_a_modal_and_typing_goes_on(po_path, llm_config):
    llm_config.faults.refuse_keys = True
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Lightbox")
        await pilot.press("alt+l")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "refused the API key" in app.screen.message and TEST_KEY not in app.screen.message
        await pilot.press("escape")
        await pilot.press("enter", *"Lightbox (finestra)", "ctrl+s")
        await settle(app, pilot)
        assert not screen.session.modified
    assert load_catalog(po_path).find("Lightbox").msgstr == "Lightbox (finestra)"
