"""The placeholder vocabulary as real plugins write it: found once, protected by masking, checked.

Strings are written for these tests in the style of real WordPress plugins (WooCommerce's
``{site_title}``, Yoast's ``%%sitename%%``, permalink tags, list-table ``%plural%`` labels)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from transkit.catalog import Catalog, Entry
from transkit.checks import CheckContext, run_checks
from transkit.checks.placeholders import PlaceholderRules, find_placeholders, rules_for_catalog
from transkit.suggest.masking import mask, unmask

GERMAN = CheckContext.for_rule("de_DE", 2, "n != 1")


def found(text, flags=(), rules=None):
    return [(p.kind, p.text) for p in find_placeholders(text, flags, rules)]


def problems(entry, context=GERMAN):
    return [(p.severity, p.check, p.message) for p in run_checks(entry, context)]


# -- what is one token ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, tokens", [
    ("No %plural% found in Trash.", [("variable", "%plural%")]),
    ("Add New %singular%", [("variable", "%singular%")]),
    ("%user_name% logged in from %ip%", [("variable", "%user_name%"), ("variable", "%ip%")]),
    ("Please enter %qty% or more characters", [("variable", "%qty%")]),
    ("Structure: <code>/%year%/%postname%/</code>",
     [("tag", "<code>"), ("variable", "%year%"), ("variable", "%postname%"), ("tag", "</code>")]),
    ("%%title%% %%sep%% %%sitename%%",
     [("variable", "%%title%%"), ("variable", "%%sep%%"), ("variable", "%%sitename%%")]),
    ("Welcome to {site_title}!", [("brace", "{site_title}")]),
    ("Hi {{name}}, see {{{raw}}}", [("mustache", "{{name}}"), ("mustache", "{{{raw}}}")]),
    ('Insert [gallery id="1"] here', [("shortcode", '[gallery id="1"]')]),
    ("Use the [gallery] shortcode", [("shortcode", "[gallery]")]),
    # printf around words stays printf: these are two directives, not a %name% variable
    ("released under the %sGPL%s.", [("printf", "%s"), ("printf", "%s")]),
    ("%ux%u dots per inch", [("printf", "%u"), ("printf", "%u")]),
    ("Saved (%ld%)", [("printf", "%ld")]),
    ("Progress: %d%%", [("printf", "%d"), ("printf", "%%")]),
    ("100% sure, 50%-off, [Optional], [source]", []),
])
def test_each_style_is_one_token(text, tokens):
    assert found(text) == tokens


def test_plural_is_never_printf_p_even_where_a_format_flag_lets_php_decide():
    assert found("Delete %plural%", ["php-format"]) == [("variable", "%plural%")]
    assert found("%d %plural% deleted", ["php-format"]) == [("printf", "%d"), ("variable", "%plural%")]
    # PHP itself would read "% lo" in "%user_name% logged": the variable is still one token
    assert found("%user_name% logged in", ["php-format"]) == [("variable", "%user_name%")]


def test_dollar_names_are_tokens_in_js_format_entries_only():
    assert found("Hello $name, you owe $5", ["javascript-format"]) == [("dollar", "$name")]
    assert found("Hello $name, price $amount") == []
    assert found("Hello ${name}") == [("dollar", "${name}")]  # a template literal's ${…} is one everywhere
    assert found("Moved %1$s") == [("printf", "%1$s")]  # "$s" of a positional directive is no variable


def catalog_of(*msgids):
    return Catalog([Entry("", "Language: de_DE\\n"), *(Entry(msgid, "") for msgid in msgids)], path="x-de_DE.po")


def test_the_catalog_decides_whether_colon_names_are_tokens():
    laravel = rules_for_catalog(catalog_of("The :attribute field is required.", "The :attribute must be :size.",
                                           "Welcome back, :name", "Note: this is prose"))
    assert laravel.colon and not laravel.dollar
    assert found("Hello :name, see :count items", rules=laravel) == [("colon", ":name"), ("colon", ":count")]
    # one string with a colon-word does not make a convention
    prose = rules_for_catalog(catalog_of("Ratio 1 :one", "Hello", "World"))
    assert not prose.colon
    assert found("Hello :name", rules=prose) == []


def test_a_bare_bracketed_word_is_a_shortcode_where_the_catalog_uses_it_as_one():
    assert found("Embed a [playlist] here") == []
    rules = rules_for_catalog(catalog_of('Use [playlist ids="1,2"] to embed', "Embed a [playlist] here"))
    assert "playlist" in rules.shortcodes
    assert found("Embed a [playlist] here", rules=rules) == [("shortcode", "[playlist]")]


# -- masking protects every token ------------------------------------------------------------------
FIXTURES = [
    ("No %plural% found in Trash.", "%plural%"),
    ("%%title%% %%sep%% %%sitename%%", "%%sitename%%"),
    ("Your {site_title} order is complete", "{site_title}"),
    ('Insert [gallery id="1"] into the post', '[gallery id="1"]'),
    ("%user_name% logged in from %ip%", "%user_name%"),
]


@pytest.mark.parametrize("source, token", FIXTURES)
def test_masking_protects_the_token_whole(source, token):
    masked = mask(source)
    assert token in masked.placeholders.values()
    assert token not in masked.xml and token.strip("%{}[]") not in masked.plain_text
    assert unmask(masked, masked.xml) == source


def test_masking_sends_sitename_as_one_token_not_a_word_between_percent_signs():
    masked = mask("%%title%% %%sep%% %%sitename%%")
    assert masked.xml == '<x id="1"/> <x id="2"/> <x id="3"/>'
    assert not masked.needs_translation


# -- check finds the lost token and raises no false printf error -----------------------------------
@pytest.mark.parametrize("source, token", FIXTURES)
def test_a_lost_token_is_an_error(source, token):
    translation = source.replace(token, "X")
    assert ("error", "placeholders", f"placeholder {token} is missing from the translation") in \
        problems(Entry(source, translation))


@pytest.mark.parametrize("source, translation", [
    ("No %plural% found in Trash.", "Keine %plural% im Papierkorb gefunden."),
    ("%%title%% %%sep%% %%sitename%%", "%%sitename%% %%sep%% %%title%%"),
    ("Your {site_title} order is complete", "Ihre Bestellung bei {site_title} ist abgeschlossen"),
    ('Insert [gallery id="1"] into the post', 'Füge [gallery id="1"] in den Beitrag ein'),
    ("%user_name% logged in from %ip%", "%user_name% hat sich von %ip% aus angemeldet"),
])
def test_a_faithful_translation_has_no_placeholder_problem(source, translation):
    assert [p for p in problems(Entry(source, translation)) if p[1] in ("placeholders", "format")] == []


def test_a_translated_variable_name_is_an_error_and_no_printf_is_invented():
    result = problems(Entry("%user_name% logged in from %ip%", "%benutzer% angemeldet von %ip%"))
    assert ("error", "placeholders", "placeholder %user_name% is missing from the translation") in result
    assert ("error", "placeholders", "placeholder %benutzer% of the translation is not in the source") in result
    assert not any("%u" in message and "%user_name%" not in message for _, _, message in result)


def test_a_plural_form_for_few_numbers_may_drop_a_token_but_not_invent_one():
    entry = Entry("One %singular% deleted", "", msgid_plural="%d %plural% deleted",
                  msgstr_plural={0: "Ein Eintrag gelöscht", 1: "%d %plural% gelöscht"}, flags=["php-format"])
    assert problems(entry) == []
    entry.msgstr_plural = {0: "Ein %plural% gelöscht", 1: "%d %plural% gelöscht"}
    assert ("error", "placeholders", "placeholder %plural% of the translation is not in the source") in \
        problems(entry)


def test_c_program_usage_metavariables_are_only_warnings():
    entry = Entry("missing right brace on \\x{HEXNUMBER}", "rechte Klammer bei \\x{HEXZAHL} fehlt",
                  flags=["c-format"])
    assert {severity for severity, check, _ in problems(entry) if check == "placeholders"} == {"warning"}


def test_the_catalog_rules_reach_the_checks():
    catalog = catalog_of("The :attribute field is required.", "The :attribute must be :size.", "Hi :name")
    catalog.entries[1].msgstr = "Das Feld :attribut ist erforderlich."
    context = CheckContext.for_catalog(catalog)
    assert context.placeholder_rules == rules_for_catalog(catalog)
    assert ("error", "placeholders", "placeholder :attribute is missing from the translation") in \
        problems(catalog.entries[1], context)
    assert problems(catalog.entries[1], GERMAN) == []  # without the catalog's rules ":attribute" is prose


# -- every corpus template: protected and restored ------------------------------------------------
_XML_TAG = re.compile(r"(<[^>]+>)")


def machine_translation(masked, words: str) -> str:
    """What an engine that keeps every token but rewrites every word returns: each stretch of text
    with letters becomes ``words`` (line breaks kept), tokens and tag pairs stay where they were."""
    return "".join(
        part if part.startswith("<") or not re.search(r"[^\W\d_]", part)
        else words + ("\n" + words) * part.count("\n")
        for part in _XML_TAG.split(masked.xml))


@pytest.mark.corpus
def test_every_corpus_template_entry_masks_every_token_and_check_agrees(corpus_dir):
    """For every source string of every template in the corpus: mask → unmask is the identity, every
    token the vocabulary finds is one masked token, and a translation that kept the tokens but
    rewrote the words (in spaced Latin or in glued CJK script) has no placeholder or format problem."""
    from transkit.catalog import load_catalog
    from transkit.errors import CatalogError

    templates = sorted(corpus_dir.rglob("*.pot"))
    checked, unreadable, disagreements = 0, [], []
    for path in templates:
        try:
            catalog = load_catalog(path)
        except CatalogError:
            unreadable.append(path)
            continue
        rules = rules_for_catalog(catalog)
        context = CheckContext.for_rule("de_DE", 2, "n != 1", placeholder_rules=rules)
        for entry in catalog.entries:
            for source in filter(None, (entry.msgid, entry.msgid_plural)):
                masked = mask(source, entry.flags, rules)
                assert unmask(masked, masked.xml) == source, (path, source)
                protected = Counter(masked.placeholders.values())
                for open_tag, close_tag in masked.tags.values():
                    protected.update((open_tag, close_tag))
                core_start, core_end = len(masked.leading), len(source) - len(masked.trailing)
                wanted = Counter(p.text for p in find_placeholders(source, entry.flags, rules)
                                 if core_start <= p.start and p.end <= core_end)
                assert protected == wanted, (path, source)
                for words in (" Wörter ", "文"):
                    translation = unmask(masked, machine_translation(masked, words))
                    disagreements += [(str(path), source, translation, p.message)
                                      for p in run_checks(Entry(source, translation, flags=list(entry.flags)), context)
                                      if p.check in ("placeholders", "format")]
                checked += 1
    assert len(templates) - len(unreadable) >= 25 and checked > 20_000, (checked, unreadable)
    assert disagreements == []


def test_the_tui_colours_exactly_the_tokens_the_checks_compare():
    from transkit.tui.widgets.editor import PLACEHOLDER_STYLE, highlight_placeholders

    text = "No %plural% found for %user_name%, see [gallery id=\"1\"] at 100% zoom"
    shown = highlight_placeholders(text)
    coloured = [shown.plain[span.start:span.end] for span in shown.spans if span.style == PLACEHOLDER_STYLE]
    assert coloured == ["%plural%", "%user_name%", '[gallery id="1"]']
    laravel = PlaceholderRules(colon=True)
    shown = highlight_placeholders("Hello :name", rules=laravel)
    assert [shown.plain[s.start:s.end] for s in shown.spans if s.style == PLACEHOLDER_STYLE] == [":name"]
