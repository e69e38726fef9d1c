"""The locale glossary as a user meets it: import (GlotPress CSV, plain CSV, TBX), list/add/remove,
the glossary check in `check` (quiet on inflections, case, terms inside words and placeholders),
consistency across catalogs, and terms learned from WordPress core's de_DE translations."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from transkit.catalog import Entry
from transkit.checks import CheckContext, run_checks
from transkit.checks.glossary import Glossary, Term, read_terms
from transkit.cli.main import cli
from transkit.store.glossary import GlossaryStore

pytest_plugins = ["deepl_fixtures", "llm_fixtures"]

GERMAN_TERMS = [Term("Post", "Beitrag", "noun"), Term("Post", "veröffentlichen", "verb"),
                Term("Featured image", "Beitragsbild", "noun"), Term("Category", "Kategorie"),
                Term("WordPress")]


def glossary_problems(source, translation, language="de_DE", flags=(), terms=GERMAN_TERMS):
    context = CheckContext.for_rule(language, 2, "n != 1", Glossary(entries=terms, locale=language))
    entry = Entry(source, translation, flags=list(flags))
    return [p.message for p in run_checks(entry, context) if p.check == "glossary"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# -- the check -------------------------------------------------------------------------------------------
def test_a_term_translated_another_way_is_a_warning_naming_term_and_translation():
    assert glossary_problems("Edit post", "Artikel bearbeiten") == [
        "glossary: Post should be translated as Beitrag or veröffentlichen"]
    assert glossary_problems("Choose a category", "Wähle eine Rubrik") == [
        "glossary: Category should be translated as Kategorie"]
    assert glossary_problems("Powered by WordPress", "Betrieben mit Wordpress") == [
        "WordPress must stay untranslated"]


@pytest.mark.parametrize("source, translation", [
    ("Edit posts", "Beiträge bearbeiten"),                    # plural source, inflected target
    ("The post's author", "Der Autor des Beitrags"),          # possessive, genitive
    ("POST SETTINGS", "BEITRAGSEINSTELLUNGEN"),               # case, and a German compound
    ("Categories", "Kategorien"),                              # -ies plural
    ("Set featured images", "Beitragsbilder festlegen"),      # two-word term, plural compound
    ("Postcode", "Postleitzahl"),                              # a term inside another word is no term
    ("Repost this", "Nochmal teilen"),
    ("Go to %post%", "Gehe zu %post%"),                        # inside a placeholder
    ('<a href="post.php">Edit</a>', '<a href="post.php">Bearbeiten</a>'),  # inside a tag
    ("Publish a post now", "Jetzt veröffentlichen"),           # the verb's translation counts too
])
def test_the_check_stays_quiet(source, translation):
    assert glossary_problems(source, translation) == []


def test_a_language_without_stemmer_or_spaces_still_finds_the_translation():
    terms = [Term("Post", "投稿")]
    assert glossary_problems("Edit posts", "投稿を編集", "ja", terms=terms) == []
    assert glossary_problems("Edit posts", "記事を編集", "ja", terms=terms) == [
        "glossary: Post should be translated as 投稿"]


# -- files ------------------------------------------------------------------------------------------------
GLOTPRESS_CSV = ('en,de,pos,description\n'
                 'post,Beitrag,noun,"A blog post, the main content type"\n'
                 'post,veröffentlichen,verb,\n'
                 'WordPress,WordPress,noun,brand name\n'
                 'widget,Widget,thingy,\n')

TBX = '''<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="c1"><descrip type="definition">Where posts are sorted</descrip>
    <langSet xml:lang="en"><tig><term>category</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
    <langSet xml:lang="de-DE"><tig><term>Kategorie</term></tig></langSet>
    <langSet xml:lang="fr"><tig><term>catégorie</term></tig></langSet>
  </termEntry>
  <termEntry id="c2"><langSet xml:lang="en"><tig><term>orphan</term></tig></langSet></termEntry>
</body></text></martif>
'''


def test_glotpress_export_is_imported_with_parts_of_speech_and_comments(tmp_path):
    path = tmp_path / "wp-dev-de-glossary.csv"
    path.write_text(GLOTPRESS_CSV, encoding="utf-8")
    result = invoke("glossary", "import", "de_DE", path)
    assert result.exit_code == 0, result.output
    assert "(glotpress): 3 added, 0 updated, 0 unchanged, 1 skipped; de_DE has 3 terms" in result.output
    assert f"{path}:5: unknown part of speech 'thingy'" in result.output
    listed = json.loads(invoke("glossary", "list", "de_DE", "--json").output)["terms"]
    assert {(t["term"], t["translation"], t["pos"]) for t in listed} == {
        ("post", "Beitrag", "noun"), ("post", "veröffentlichen", "verb"), ("WordPress", "WordPress", "noun")}
    assert [t["comment"] for t in listed if t["pos"] == "noun" and t["term"] == "post"] == [
        "A blog post, the main content type"]
    # the same file again changes nothing; a file for another language is refused, nothing written
    assert "0 added, 0 updated, 3 unchanged" in invoke("glossary", "import", "de_DE", path).output
    refused = invoke("glossary", "import", "fr_FR", path)
    assert refused.exit_code != 0 and "a glossary for 'de', not 'fr_FR'" in refused.output
    assert "Traceback" not in refused.output
    assert json.loads(invoke("glossary", "list", "fr_FR", "--json").output)["terms"] == []
    # exported back in GlotPress's columns, so translate.wordpress.org can import it
    exported = invoke("glossary", "export", "de_DE").output.splitlines()
    assert exported[0] == "en,de,pos,description"
    assert '"post,Beitrag,noun,""A blog post, the main content type"""' not in exported
    assert 'post,Beitrag,noun,"A blog post, the main content type"' in exported


def test_tbx_and_plain_csv_are_imported_and_tbx_round_trips(tmp_path):
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(TBX, encoding="utf-8")
    read = read_terms(tbx, locale="de_DE")
    assert read.terms == [Term("category", "Kategorie", "noun", "Where posts are sorted")]
    assert read.skipped == [(2, "concept 'orphan' without a term in de")]
    plain = tmp_path / "plain.csv"
    plain.write_text("term,translation\nPlugin,Plugin\nSettings,Einstellungen\n", encoding="utf-8")
    assert invoke("glossary", "import", "de_DE", tbx).exit_code == 0
    assert "(csv): 2 added" in invoke("glossary", "import", "de_DE", plain).output
    out = tmp_path / "out.tbx"
    assert invoke("glossary", "export", "de_DE", out, "--format", "tbx").exit_code == 0
    assert {t.source: t.translation for t in read_terms(out, locale="de_DE").terms} == {
        "category": "Kategorie", "Plugin": "Plugin", "Settings": "Einstellungen"}


def test_a_broken_file_is_one_line_naming_it(tmp_path):
    broken = tmp_path / "broken.tbx"
    broken.write_text("<martif><text><body><termEntry>", encoding="utf-8")
    result = invoke("glossary", "import", "de_DE", broken)
    assert result.exit_code == 3 and f"{broken}:1: not a TBX file" in result.output
    assert "Traceback" not in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("term,translation\n", encoding="utf-8")
    assert "no glossary terms found" in invoke("glossary", "import", "de_DE", empty).output


def test_an_unclosed_quote_in_a_csv_is_refused_with_its_line_and_nothing_is_imported(tmp_path):
    # without strict reading the quote swallowed the rest of the file into one term, said "3 added"
    damaged = tmp_path / "damaged.csv"
    damaged.write_text('en,de,pos,description\nPost,Beitrag,noun,\nSettings,Einstellungen,noun,\n"Broken,row\n',
                       encoding="utf-8")
    result = invoke("glossary", "import", "de_DE", damaged)
    assert result.exit_code == 3 and f"{damaged}:4: not a CSV file" in result.output
    assert "no glossary terms" in invoke("glossary", "list", "de_DE").output
    # a quoted cell holding a line break is fine, and a skipped row is named by its own line
    multiline = tmp_path / "multiline.csv"
    multiline.write_text('en,de,pos,description\nPost,Beitrag,noun,"two\nlines"\n,Leer,noun,\n', encoding="utf-8")
    result = invoke("glossary", "import", "de_DE", multiline)
    assert result.exit_code == 0 and "1 added" in result.output and f"{multiline}:4: no term" in result.output


def test_a_catalog_given_as_a_glossary_is_refused_and_nothing_is_imported(sample_po, tmp_path):
    # guessed as a term list, tiny-gallery's PO became 38 terms ('"Language-Team: Italian\n"' …), exit 0
    po = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    result = invoke("glossary", "import", "de_DE", po)
    assert result.exit_code == 3  # a file that cannot be read as a glossary, as an unreadable catalog
    assert "a gettext catalog, not a glossary" in result.output and "glossary suggest" in result.output
    renamed = tmp_path / "terms.txt"  # the content says it too, whatever the name
    renamed.write_bytes((sample_po / "hello-cli" / "po" / "hello-cli.pot").read_bytes())
    assert invoke("glossary", "import", "de_DE", renamed).exit_code == 3
    assert invoke("check", po, "--glossary", po).exit_code == 3
    assert "no glossary terms" in invoke("glossary", "list", "de_DE").output
    listed = tmp_path / "list.txt"
    listed.write_text("# our terms\nPost\tBeitrag\n", encoding="utf-8")
    assert "1 added" in invoke("glossary", "import", "de_DE", listed).output


def test_add_and_remove_terms(tmp_path):
    assert invoke("glossary", "add", "de_DE", "Dashboard", "Dashboard").exit_code == 0
    assert "added" in invoke("glossary", "add", "de_DE", "Post", "Beitrag", "--pos", "noun").output
    assert "updated" in invoke("glossary", "add", "de_DE", "Post", "Artikel", "--pos", "noun").output
    assert invoke("glossary", "add", "de_DE", "Post", "x", "--pos", "thing").exit_code == 2
    assert "Post → Artikel" in invoke("glossary", "list", "de_DE").output
    assert invoke("glossary", "remove", "de_DE", "post").exit_code == 0
    missing = invoke("glossary", "remove", "de_DE", "post")
    assert missing.exit_code == 1 and "de_DE has no term post" in missing.output
    assert "Post" not in invoke("glossary", "list", "de_DE").output


# -- the store on both backends ---------------------------------------------------------------------------
def test_store_keeps_terms_per_locale_on_both_backends(backend):
    with GlossaryStore.open(backend.target("glossary")) as store:
        written = store.add_terms("de_DE", GERMAN_TERMS, origin="test")
        assert (written.added, written.updated) == (5, 0)
        store.add_terms("fr_FR", [Term("Post", "Article")], origin="test")
        first_hash = store.content_hash("de_DE")
        again = store.add_terms("de_DE", [Term("Post", "Artikel", "noun")], origin="test")
        assert (again.added, again.updated) == (0, 1)
        assert store.content_hash("de_DE") != first_hash
        assert store.locales() == {"de_DE": 5, "fr_FR": 1}
        assert store.remove("de_DE", "POST", "verb") == 1
    with GlossaryStore.open(backend.target("glossary")) as store:  # it survives reopening
        glossary = store.glossary("de_DE")
        assert sorted((t.source, t.translation) for t in glossary.entries) == [
            ("Category", "Kategorie"), ("Featured image", "Beitragsbild"), ("Post", "Artikel"), ("WordPress", "")]
        assert store.glossary("it_IT") is None


# -- check uses the store's glossary ----------------------------------------------------------------------
PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de_DE\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Edit posts"
msgstr "Artikel bearbeiten"

msgid "All posts"
msgstr "Alle Beiträge"

msgid "Settings"
msgstr "Einstellungen"
'''


def test_check_uses_the_locale_glossary_of_the_store(tmp_path):
    po = tmp_path / "plugin-de_DE.po"
    po.write_text(PO, encoding="utf-8")
    assert "glossary" not in invoke("check", po).output
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    result = invoke("check", po)
    assert result.exit_code == 0  # a warning, never blocking
    assert f'{po}:7: warning [glossary] "Edit posts": glossary: Post should be translated as Beitrag' in result.output
    assert ":10:" not in result.output
    # another locale's glossary does not apply
    invoke("glossary", "remove", "de_DE", "Post")
    invoke("glossary", "add", "fr_FR", "Post", "Article")
    assert "glossary" not in invoke("check", po).output


def test_consistency_names_the_other_occurrences(tmp_path):
    first = tmp_path / "one-de_DE.po"
    first.write_text(PO, encoding="utf-8")
    second = tmp_path / "two-de_DE.po"
    second.write_text(PO.replace('"Alle Beiträge"', '"Alle Artikel"').replace('msgid "Settings"', 'msgid "Options"'),
                      encoding="utf-8")
    plain = invoke("check", first, second)
    assert "consistency" not in plain.output
    result = invoke("check", "--json", "--consistency", first, second)
    found = [(f["path"], f["line"], f["message"]) for f in json.loads(result.output)["findings"]
             if f["check"] == "consistency"]
    assert (str(first), 10, f"translated differently elsewhere: 'Alle Artikel' in {second}:10") in found
    assert (str(second), 10, f"translated differently elsewhere: 'Alle Beiträge' in {first}:10") in found
    assert (str(second), 13, f"same translation as another source: 'Settings' in {first}:13") in found
    # "Edit posts" is translated the same way in both: nothing said about it
    assert not [f for f in found if f[1] == 7]


# -- learned from what the user has -----------------------------------------------------------------------
def test_terms_learned_from_core_de_DE_are_cores_choices(corpus_dir):
    core = corpus_dir / "wordpress" / "wordpress-core" / "de_DE"
    plugins = corpus_dir / "wordpress"
    result = invoke("glossary", "suggest", "de_DE", core, plugins / "akismet", plugins / "classic-editor",
                    "--json", "--limit", "0")
    assert result.exit_code == 0, result.output
    proposals = {p["term"]: p for p in json.loads(result.output)["proposals"]}
    learned = {term: p["translation"] for term, p in proposals.items()}
    for term, translation in {"Post": "Beitrag", "Page": "Seite", "Comment": "Kommentar",
                              "Category": "Kategorie", "Tag": "Schlagwort", "Media": "Medien",
                              "User": "Benutzer", "Settings": "Einstellungen"}.items():
        assert learned.get(term) == translation, (term, proposals.get(term))
    post = proposals["Post"]
    assert post["core"] >= 3 and post["agreeing"] <= post["count"]
    assert any("de_DE.po:" in example for example in post["examples"])
    # accepting puts them in the glossary; they are not proposed again
    accepted = invoke("glossary", "suggest", "de_DE", core, "--accept", "Post", "--accept", "Page")
    assert "2 accepted into the glossary" in accepted.output
    listed = {t["term"]: t["translation"] for t in json.loads(invoke("glossary", "list", "de_DE", "--json").output)["terms"]}
    assert listed == {"Post": "Beitrag", "Page": "Seite"}
    again = json.loads(invoke("glossary", "suggest", "de_DE", core, "--json", "--limit", "0").output)
    assert not {"Post", "Page"} & {p["term"] for p in again["proposals"]}


def test_suggest_without_catalogs_of_the_locale_says_so(sample_po):
    # was "0 proposals from 0 de_DE catalog(s); accept with --accept TERM or --accept all", exit 3
    result = invoke("glossary", "suggest", "de_DE", sample_po)
    assert result.exit_code == 3
    assert result.output.strip() == f"error: no de_DE catalogs under {sample_po}"


def test_suggest_on_core_and_a_plugin_fits_80_columns(corpus_dir, tmp_path):
    from narrow_terminal import assert_fits, transkit_at_80

    core = corpus_dir / "wordpress" / "wordpress-core" / "de_DE"
    plugin = corpus_dir / "wordpress" / "contact-form-7"
    done = transkit_at_80("glossary", "suggest", "de_DE", core, plugin, "--limit", "0", cwd=tmp_path)
    assert_fits(done.stdout + done.stderr, "    admin-de_DE.po:7071: For more information → Für weitere Informationen")
    # a proposal too long for one line goes on indented under it, its count not cut in two
    assert "WordPress updated successfully → WordPress wurde erfolgreich aktualisiert  1/1," in done.stdout
    assert "\n    1 in core\n" in done.stdout


# -- fill: the locale glossary goes to DeepL and into every request -----------------------------------
FILL_PO = '''msgid ""
msgstr ""
"Language: de_DE\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Edit the post"
msgstr ""

msgid "Nothing here"
msgstr ""
'''


def test_fill_pushes_the_locale_glossary_to_deepl_and_sends_its_id(tmp_path, deepl_provider, deepl_server):
    from transkit.catalog import load_catalog
    from transkit.jobs.fill import fill

    po = tmp_path / "blog-de_DE.po"
    po.write_text(FILL_PO, encoding="utf-8")
    invoke("glossary", "add", "de_DE", "post", "Beitrag")
    events = list(fill([po], "de_DE", provider=deepl_provider))
    assert events[-1].kind == "done"
    (glossary_id, pushed), = deepl_server.state.glossaries.items()
    assert pushed.entries == {"post": "Beitrag"} and pushed.target_lang.upper() == "DE"
    sent = [r.body for r in deepl_server.state.requests if r.path == "/v2/translate"]
    assert sent and all(body.get("glossary_id") == glossary_id for body in sent)
    assert load_catalog(po).find("Edit the post").msgstr == "EDIT THE Beitrag"
    # unchanged terms reuse the DeepL glossary; a changed term makes a new one, and the cache,
    # keyed by the glossary id, does not answer with the old translation
    catalog = load_catalog(po)
    catalog.find("Edit the post").msgstr = ""
    catalog.save()
    invoke("glossary", "add", "de_DE", "post", "Artikel")
    list(fill([po], "de_DE", provider=deepl_provider))
    (newer,) = deepl_server.state.glossaries.values()  # the superseded one was deleted
    assert newer.glossary_id != glossary_id and newer.entries == {"post": "Artikel"}
    assert load_catalog(po).find("Edit the post").msgstr == "EDIT THE Artikel"
    # check then agrees with what fill wrote
    assert "glossary" not in invoke("check", po).output


def test_fill_without_glossary_sends_no_glossary_id(tmp_path, deepl_provider, deepl_server):
    from transkit.jobs.fill import fill

    po = tmp_path / "blog-de_DE.po"
    po.write_text(FILL_PO, encoding="utf-8")
    invoke("glossary", "add", "de_DE", "post", "Beitrag")
    list(fill([po], "de_DE", provider=deepl_provider, locale_glossary=False))
    assert not deepl_server.state.glossaries
    assert not [r for r in deepl_server.state.requests if r.body.get("glossary_id")]


def test_the_llm_request_carries_the_terms_occurring_in_each_entry(tmp_path, make_llm, llm_server):
    """The requests fill and the TUI build (RequestSettings + build_request) with the locale's
    glossary: an LLM sees only the terms of each entry, and the fake model uses them."""
    from transkit.catalog import load_catalog
    from transkit.store.glossary import locale_glossary
    from transkit.suggest.mt import RequestSettings, build_request

    po = tmp_path / "blog-de_DE.po"
    po.write_text(FILL_PO, encoding="utf-8")
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    invoke("glossary", "add", "de_DE", "WordPress")
    catalog = load_catalog(po)
    settings = RequestSettings.for_catalog(catalog, glossary=locale_glossary("de_DE"))
    requests = [build_request(entry, settings) for entry in catalog.entries]
    outcome = make_llm().translate_batch(requests)
    assert [r.forms for r in outcome.results] == [("EDIT THE Beitrag",), ("NOTHING HERE",)]
    (sent,) = llm_server.state.completions(200)
    glossaries = [entry.get("glossary") for entry in sent.payload["entries"]]
    assert glossaries == [[{"source": "Post", "target": "Beitrag"}], None]


# -- before export: listed in the maintainer's note, never blocking ---------------------------------
def test_export_lists_terminology_warnings_in_the_maintainer_message(tmp_path):
    root = tmp_path / "tiny"
    (root / "languages").mkdir(parents=True)
    (root / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nVersion: 1.2\nText Domain: tiny\n*/\n")
    po = root / "languages" / "tiny-de_DE.po"
    po.write_text('msgid ""\nmsgstr ""\n"Project-Id-Version: Tiny 1.2\\n"\n"Language: de_DE\\n"\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Edit post"\nmsgstr "Artikel bearbeiten"\n\n'
                  'msgid "All posts"\nmsgstr "Alle Beiträge"\n\n'
                  'msgid "Save"\nmsgstr "Speichern"\n\n'
                  'msgid "Store"\nmsgstr "Speichern"\n\n'
                  'msgid "%d post"\nmsgid_plural "%d posts"\nmsgstr[0] "%d Artikel"\nmsgstr[1] "%d Artikel"\n',
                  encoding="utf-8")
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    out = tmp_path / "out"
    result = invoke("export", root, "--locale", "de_DE", "--out", out)
    assert result.exit_code == 0, result.output
    exported = load_catalog_text(out / "tiny-de_DE.po")
    assert 'msgid "Edit post"\nmsgstr "Artikel bearbeiten"' in exported  # a warning holds nothing back
    message = (out / "MESSAGE.md").read_text(encoding="utf-8")
    section = message.split("## Terminology to look at", 1)[1].split("\n## ", 1)[0]
    assert '- "Edit post" (line 8): glossary: Post should be translated as Beitrag' in section
    assert "- \"Save\" (line 14): same translation as another source: 'Store'" in section
    assert "All posts" not in section
    # one warning per plural form, each named as `transkit check` names it (not one line said twice)
    assert '- "%d post" (line 20, msgstr[0]): glossary: Post should be translated as Beitrag' in section
    assert '- "%d post" (line 20, msgstr[1]): glossary: Post should be translated as Beitrag' in section
    data = json.loads(invoke("export", root, "--locale", "de_DE", "--out", out, "--json", "--force").stdout)
    assert [t["form"] for t in data["terminology"] if t["msgid"] == "%d post"] == [0, 1]


def load_catalog_text(path):
    return path.read_text(encoding="utf-8")


def test_memory_suggestions_that_ignore_the_glossary_rank_lower():
    from transkit.jobs.suggestions import MemorySuggestions
    from transkit.suggest.tm import TranslationMemory

    memory = TranslationMemory()
    try:
        memory.add("de_DE", "Edit post", ["Artikel bearbeiten"], "/site/a-de_DE.po")
        memory.add("de_DE", "Edit post", ["Beitrag bearbeiten"], "/site/b-de_DE.po")
    finally:
        memory.close()

    def shown():
        suggestions = MemorySuggestions("de_DE")
        try:
            return suggestions.lookup(Entry("Edit post", ""))
        finally:
            suggestions.close()

    assert {s.text for s in shown()} == {"Artikel bearbeiten", "Beitrag bearbeiten"}
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    first, second = shown()
    assert (first.text, first.against_glossary) == ("Beitrag bearbeiten", ())
    assert (second.text, second.against_glossary) == ("Artikel bearbeiten", ("Post → Beitrag",))
    assert "not the glossary's Post → Beitrag" in second.origin


def test_a_glossary_file_that_is_not_utf8_is_named_with_its_line(tmp_path):
    bad = tmp_path / "terms.csv"
    bad.write_bytes(b"en,de_DE,pos,description\nPost,Beitrag,noun,\nPage,Seite \xff,noun,\n")
    result = CliRunner().invoke(cli, ["glossary", "import", "de_DE", str(bad)])
    assert result.exit_code == 3  # unreadable input, as a catalog or a TMX file
    text = " ".join(result.output.split())
    assert f"{bad}:3: cannot read glossary: not UTF-8" in text and "Traceback" not in text
