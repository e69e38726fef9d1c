"""A locale variant uses its base locale's glossary (de_DE's for de_DE_formal, pt_PT's for
pt_PT_ao90), its own terms winning term by term — one answer, catalog/locales.locale_fallbacks —
and every face says which glossary was used."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deepl_server import TEST_KEY
from transkit.catalog.locales import locale_fallbacks
from transkit.cli.main import cli
from transkit.store.glossary import locale_glossary
from transkit.tui.app import TranskitApp
from tui_helpers import SIZE, search, settle

pytest_plugins = ["deepl_fixtures"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("locale, chain", [
    ("de_DE_formal", ["de_DE_formal", "de_DE", "de"]),
    ("pt_PT_ao90", ["pt_PT_ao90", "pt_PT", "pt"]),
    ("nl_NL_formal", ["nl_NL_formal", "nl_NL", "nl"]),
    ("ca@valencia", ["ca@valencia", "ca"]),
    ("sr_RS@latin", ["sr_RS@latin"]),  # another script: nothing of sr_RS (Cyrillic)
    ("pt_BR", ["pt_BR", "pt"]),  # never another territory
    ("de_CH", ["de_CH", "de"]),
    ("it", ["it"]),
])
def test_fallback_chain(locale, chain):
    assert locale_fallbacks(locale) == chain


def test_the_variant_uses_the_base_glossary_and_its_own_terms_win():
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    invoke("glossary", "add", "de_DE", "Page", "Seite")
    invoke("glossary", "add", "de_DE_formal", "post", "Eintrag")  # any case: the same term
    invoke("glossary", "add", "pt_PT", "Post", "Artigo")
    invoke("glossary", "add", "sr_RS", "Post", "Чланак")
    formal = locale_glossary("de_DE_formal")
    assert formal.pairs() == {"post": "Eintrag", "Page": "Seite"}
    assert formal.described == "the de_DE_formal glossary (1 term) with de_DE's (1 term)"
    assert locale_glossary("de_DE").pairs() == {"Post": "Beitrag", "Page": "Seite"}  # not the other way
    assert locale_glossary("pt_PT_ao90").described == "the pt_PT glossary (1 term), for pt_PT_ao90"
    assert locale_glossary("pt_BR") is None and locale_glossary("sr_RS@latin") is None
    listed = invoke("glossary", "list", "de_DE_formal", "--json")
    assert json.loads(listed.stdout)["inherited"] == [{"locale": "de_DE", "terms": 1}]
    assert "de_DE_formal also uses de_DE's 1 term (its own terms win)" in invoke("glossary", "list", "de_DE_formal").output


FORMAL_PO = ('msgid ""\nmsgstr ""\n"Language: de_DE_formal\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
             '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
             'msgid "Edit page"\nmsgstr "Blatt bearbeiten"\n\n'     # line 7: against de_DE's Page → Seite
             'msgid "Edit post"\nmsgstr "Eintrag bearbeiten"\n\n'   # line 10: the variant's own term
             'msgid "New page"\nmsgstr ""\n')


def test_check_and_fill_of_a_formal_catalog_use_the_de_DE_terms(tmp_path, deepl_server, deepl_settings, monkeypatch):
    invoke("glossary", "add", "de_DE", "page", "Seite")
    invoke("glossary", "add", "de_DE", "post", "Beitrag")
    invoke("glossary", "add", "de_DE_formal", "post", "Eintrag")
    po = tmp_path / "blog-de_DE_formal.po"
    po.write_text(FORMAL_PO, encoding="utf-8")
    result = invoke("check", po)
    assert f"{po}:7: warning [glossary]" in result.output and "page should be translated as Seite" in result.output
    assert ":10:" not in result.output
    assert "checked against the de_DE_formal glossary (1 term) with de_DE's (1 term)" in result.output
    assert json.loads(invoke("check", po, "--json").stdout)["glossaries"] == [
        "the de_DE_formal glossary (1 term) with de_DE's (1 term)"]

    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    result = invoke("fill", po, "--locale", "de_DE_formal", "--provider", "deepl", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["glossary"] == "the de_DE_formal glossary (1 term) with de_DE's (1 term)"
    (pushed,) = deepl_server.state.glossaries.values()
    assert pushed.entries == {"post": "Eintrag", "page": "Seite"} and pushed.name.startswith("transkit-de_DE_formal-")
    assert "NEW Seite" in po.read_text(encoding="utf-8")


async def test_the_editor_names_the_glossaries_it_shows(tmp_path):
    invoke("glossary", "add", "de_DE", "page", "Seite")
    po = tmp_path / "blog-de_DE_formal.po"
    po.write_text(FORMAL_PO, encoding="utf-8")
    app = TranskitApp(po)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "Edit page")
        shown = str(screen.editor.query_one("#entry-source").render())
        assert "Glossary (de_DE)  page → Seite" in shown
        checks = str(screen.editor.query_one("#entry-checks").render())
        assert "page should be translated as Seite" in checks
