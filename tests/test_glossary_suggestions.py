"""The TUI's own machine suggestions carry the locale glossary, as fill's requests do: DeepL gets the
terms as a DeepL glossary (pushed once, its id in the request), the LLM gets them in the request."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from deepl_server import TEST_KEY as DEEPL_KEY
from llm_server import TEST_KEY as LLM_KEY
from transkit.cli.main import cli
from transkit.tui.app import TranskitApp
from transkit.tui.screens.modals import ErrorScreen
from tui_helpers import SIZE, search, settle

pytest_plugins = ["deepl_fixtures", "llm_fixtures"]

GALLERY = 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.'


@pytest.fixture
def po_path(sample_po) -> Path:
    result = CliRunner().invoke(cli, ["glossary", "add", "it_IT", "Gallery", "Galleria"])
    assert result.exit_code == 0, result.output
    return sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"


async def ask(po_path: Path, key: str):
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Gallery %1$s")
        await pilot.press(key)
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        return str(screen.editor.query_one("#suggestions").render())


async def test_deepl_suggestion_uses_the_locale_glossary(po_path, deepl_server, deepl_settings, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", DEEPL_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    shown = await ask(po_path, "d")
    assert 'Galleria %1$s IS EMPTY.' in shown
    state = deepl_server.state
    assert [g.entries for g in state.glossaries.values()] == [{"Gallery": "Galleria"}]
    (glossary_id,) = state.glossaries
    assert [r.body.get("glossary_id") for r in state.translate_requests(200)] == [glossary_id]


async def test_llm_suggestion_carries_the_terms(po_path, llm_server, isolated_home, monkeypatch):
    (isolated_home / "config.toml").write_text(
        f'[llm]\nprovider = "openai"\nmodel = "fake-model"\nbase_url = "{llm_server.openai_url}"\n',
        encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", LLM_KEY)
    shown = await ask(po_path, "l")
    assert 'Galleria %1$s IS EMPTY.' in shown
    (request,) = llm_server.state.completions(200)
    assert '"Galleria"' in str(request.body) or "Galleria" in str(request.body)
