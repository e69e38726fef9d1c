"""The locale glossary on the DeepL account: one glossary per locale and content, the superseded
ones deleted once a new one is made; and a glossary DeepL will not take (a server error, the
account's glossary quota) never fails a fill or a TUI suggestion — DeepL is asked without it, and
that is said once (CLI, --json, TUI)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deepl_server import TEST_KEY, Glossary
from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.jobs.fill import fill
from transkit.tui.app import TranskitApp
from tui_helpers import SIZE, search, settle

pytest_plugins = ["deepl_fixtures"]

PO = ('msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
      '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
      'msgid "Edit the post"\nmsgstr ""\n\nmsgid "Nothing here"\nmsgstr ""\n')


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_superseded_glossaries_of_the_locale_are_deleted_after_the_new_one_is_made(deepl_provider, deepl_server):
    state = deepl_server.state
    # on the account already: the user's own glossary, another locale's (same DE pair), an earlier
    # release's transkit glossary of the same pair, and one for French
    for glossary in (Glossary("mine", "my terms", "EN", "DE", {"a": "b"}),
                     Glossary("formal", "transkit-de_DE_formal-0123456789abcdef", "EN", "DE", {"a": "b"}),
                     Glossary("legacy", "transkit-0123456789abcdef", "EN", "DE", {"a": "b"}),
                     Glossary("french", "transkit-fr_FR-0123456789abcdef", "EN", "FR", {"a": "b"})):
        state.glossaries[glossary.glossary_id] = glossary
    first = deepl_provider.ensure_glossary({"post": "Beitrag"}, "de_DE")
    assert state.glossaries[first].name.startswith("transkit-de_DE-")
    assert deepl_provider.removed_glossaries == 1 and set(state.glossaries) == {"mine", "formal", "french", first}
    assert deepl_provider.ensure_glossary({"post": "Beitrag"}, "de_DE") == first  # unchanged: reused
    assert deepl_provider.removed_glossaries == 0
    second = deepl_provider.ensure_glossary({"post": "Artikel"}, "de_DE")
    assert second != first and set(state.glossaries) == {"mine", "formal", "french", second}
    deletes = [r.path for r in state.requests if r.method == "DELETE"]
    assert deletes == ["/v2/glossaries/legacy", f"/v2/glossaries/{first}"]


@pytest.mark.parametrize("status", [503, 456])
def test_a_glossary_deepl_will_not_take_does_not_fail_the_fill(tmp_path, deepl_server, deepl_settings,
                                                               monkeypatch, status):
    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    deepl_server.state.faults.glossary_fail = 100  # every attempt (retries included)
    deepl_server.state.faults.glossary_status = status
    invoke("glossary", "add", "de_DE", "post", "Beitrag")
    po = tmp_path / "blog-de_DE.po"
    po.write_text(PO, encoding="utf-8")
    result = invoke("fill", po, "--locale", "de_DE", "--provider", "deepl")
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "could not be pushed to DeepL" in line]
    assert len(said) == 1 and "translating without it" in said[0], result.output
    assert load_catalog(po).find("Edit the post").msgstr == "EDIT THE POST"  # asked, without the glossary
    sent = [r.body for r in deepl_server.state.requests if r.path == "/v2/translate"]
    assert sent and not [body for body in sent if body.get("glossary_id")]
    assert not deepl_server.state.glossaries

    po.write_text(PO, encoding="utf-8")
    data = json.loads(invoke("fill", po, "--locale", "de_DE", "--provider", "deepl", "--json").stdout)
    assert data["glossary_not_used"].startswith("the de_DE glossary (1 term) could not be pushed to DeepL")
    assert data["written"] == 2


def test_a_wrong_key_on_the_glossary_still_stops_the_fill(tmp_path, make_provider):
    invoke("glossary", "add", "de_DE", "post", "Beitrag")
    po = tmp_path / "blog-de_DE.po"
    po.write_text(PO, encoding="utf-8")
    from transkit.errors import ProviderError

    with pytest.raises(ProviderError) as caught:
        list(fill([po], "de_DE", provider=make_provider(auth_key="wrong-key")))
    assert caught.value.kind == ProviderError.AUTH
    assert load_catalog(po).find("Edit the post").msgstr == ""


async def test_the_editor_asks_deepl_without_the_glossary_and_says_so_once(sample_po, deepl_server, deepl_settings,
                                                                          monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    deepl_server.state.faults.glossary_fail = 100
    invoke("glossary", "add", "it_IT", "Gallery", "Galleria")
    app = TranskitApp(sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for text in ("Gallery %1$s", "Tiny Gallery settings"):
            await search(pilot, screen, text)
            await pilot.press("d")
            await settle(app, pilot)
        shown = str(screen.editor.query_one("#suggestions").render())
        assert "TINY GALLERY SETTINGS" in shown  # DeepL answered, without the glossary
        said = [n.message for n in app._notifications if "could not be pushed to DeepL" in n.message]
        assert len(said) == 1 and "asked without it" in said[0]
    assert len([r for r in deepl_server.state.requests if r.path == "/v2/translate"]) == 2
