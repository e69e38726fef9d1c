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


def test_fill_memory_prefers_the_match_that_keeps_the_glossary(tmp_path):
    """Two memory catalogs translate "Save the form"; only one keeps the glossary's form → modulo.
    Without the glossary the memory's own order wins; with it, fill ranks as the editor does."""
    from transkit.catalog import load_catalog
    from transkit.jobs.fill import fill
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory() as tm:
        tm.add("it_IT", "Save the form", ["Salva la scheda"], origin="a-plugin/languages/a-it_IT.po")
        tm.add("it_IT", "Save the form", ["Salva il modulo"], origin="b-plugin/languages/b-it_IT.po")
    po = tmp_path / "demo-it_IT.po"
    text = ('msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Save the form"\nmsgstr ""\n')

    po.write_text(text, encoding="utf-8")
    list(fill([po], "it_IT", locale_glossary=False))
    assert load_catalog(po).find("Save the form").msgstr == "Salva la scheda"

    result = CliRunner().invoke(cli, ["glossary", "add", "it_IT", "form", "modulo"])
    assert result.exit_code == 0, result.output
    po.write_text(text, encoding="utf-8")
    events = list(fill([po], "it_IT"))
    assert events[-1].kind == "done"
    entry = load_catalog(po).find("Save the form")
    assert entry.msgstr == "Salva il modulo" and entry.fuzzy


async def test_the_editor_shows_consistency_warnings_among_the_problems(tmp_path):
    """`check --consistency`'s warning, computed once when the catalog opens: two different
    sources given the same translation."""
    po = tmp_path / "blog-de_DE.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Edit post"\nmsgstr "Beitrag bearbeiten"\n\n'
                  'msgid "Edit page"\nmsgstr "Beitrag bearbeiten"\n', encoding="utf-8")
    app = TranskitApp(po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Edit page")
        await settle(app, pilot)
        shown = str(screen.editor.query_one("#entry-checks").render())
        assert "same translation as another source" in shown and "Edit post" in shown
