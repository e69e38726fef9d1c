"""Each check: cases that must fire and cases that must not (strings written for these tests)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from transkit.catalog import Catalog, Entry
from transkit.checks import CheckContext, check_catalog, run_checks
from transkit.checks.glossary import load_glossary
from transkit.checks.placeholders import find_placeholders

ENGLISH = CheckContext.for_rule("de_DE", 2, "n != 1")
RUSSIAN = CheckContext.for_rule(
    "ru_RU", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)")
JAPANESE = CheckContext.for_rule("ja", 1, "0")


def checks_of(entry, context=ENGLISH, severity=None):
    return [p.check for p in run_checks(entry, context) if severity is None or p.severity == severity]


def errors_of(entry, context=ENGLISH):
    return checks_of(entry, context, "error")


# -- format strings (msgfmt -c) ----------------------------------------------------------------------
def test_php_format_translation_that_drops_an_argument_is_an_error():
    entry = Entry("Moved %1$s to %2$s", "%1$s verschoben", flags=["php-format"])
    assert errors_of(entry) == ["format"]


def test_php_format_reordered_arguments_are_fine():
    entry = Entry("Moved %1$s to %2$s", "Nach %2$s verschoben: %1$s", flags=["php-format"])
    assert errors_of(entry) == []


def test_php_format_unknown_conversion_is_an_error_with_its_reason():
    [problem] = [p for p in run_checks(Entry("Done %s", "Fini %q", flags=["php-format"]), ENGLISH)
                 if p.is_error]
    assert "'q'" in problem.message


def test_python_format_renamed_argument_is_an_error():
    entry = Entry("%(name)s saved", "%(naam)s opgeslagen", flags=["python-format"])
    assert errors_of(entry) == ["format"]
    assert errors_of(Entry("%(name)s saved", "%(name)s opgeslagen", flags=["python-format"])) == []


def test_python_brace_format_unknown_field_is_an_error():
    assert errors_of(Entry("Hi {user}", "Hallo {nutzer}", flags=["python-brace-format"])) == ["format"]
    assert errors_of(Entry("Hi {user}", "Hallo {user}", flags=["python-brace-format"])) == []


def test_c_format_type_change_is_an_error():
    assert errors_of(Entry("%d apples", "%s Äpfel", flags=["c-format"])) == ["format"]


def test_without_a_format_flag_a_dropped_placeholder_is_only_a_warning():
    problems = run_checks(Entry("Moved %s", "Verschoben"), ENGLISH)
    assert [(p.check, p.severity) for p in problems] == [("placeholders", "warning")]


def test_without_a_format_flag_an_extra_argument_is_an_error_because_sprintf_would_throw():
    assert "placeholders" in errors_of(Entry("Moved %s", "%s nach %s verschoben"))
    # reusing the same numbered argument needs no extra one
    assert errors_of(Entry("Report for %1$s", "[%1$s] Bericht für %1$s")) == []


def test_respelled_placeholder_that_msgfmt_accepts_is_a_warning():
    # "% 1s" is valid PHP (space padding), which is why msgfmt lets DeepL's mangling through
    problems = run_checks(Entry("Hello %1s", "Hallo % 1s", flags=["php-format"]), ENGLISH)
    assert [(p.check, p.severity) for p in problems] == [("placeholders", "warning")]


def test_glotpress_named_placeholders_must_be_kept():
    assert checks_of(Entry("Hi ###USERNAME###,", "Hallo ###BENUTZER###,")) == ["placeholders", "placeholders"]
    assert checks_of(Entry("Hi ###USERNAME###,", "Hallo ###USERNAME###,")) == []


# -- newlines (msgfmt -c) ------------------------------------------------------------------------------
def test_leading_and_trailing_newline_must_agree():
    assert errors_of(Entry("Saving...\n", "\nSpeichern...")) == ["newline-start", "newline-end"]
    assert errors_of(Entry("\nSaving...\n", "\nSpeichern...\n")) == []


# -- plurals ---------------------------------------------------------------------------------------------
def test_plural_count_must_match_nplurals():
    entry = Entry("%d file", "", "%d files", {0: "%d файл", 1: "%d файла"}, flags=["php-format"])
    assert "plural-count" in errors_of(entry, RUSSIAN)
    entry.msgstr_plural[2] = "%d файлов"
    assert errors_of(entry, RUSSIAN) == []


def test_every_plural_form_must_be_filled():
    entry = Entry("%d file", "", "%d files", {0: "%d Datei", 1: ""}, flags=["php-format"])
    assert errors_of(entry) == ["plural-empty"]


def test_placeholders_are_compared_per_plural_form():
    # German "one" is used for n=1 only, so it may say "eine Datei"
    assert errors_of(Entry("%d file", "", "%d files", {0: "Eine Datei", 1: "%d Dateien"},
                           flags=["php-format"])) == []
    # Russian form 0 serves 1, 21, 31…: it must print the number
    entry = Entry("%d file", "", "%d files", {0: "Один файл", 1: "%d файла", 2: "%d файлов"},
                  flags=["php-format"])
    problems = [p for p in run_checks(entry, RUSSIAN) if p.is_error]
    assert [(p.check, p.form) for p in problems] == [("format", 0)]
    # with one form for every number, the count must stay
    assert errors_of(Entry("%d file", "", "%d files", {0: "ファイル"}, flags=["php-format"]),
                     JAPANESE) == ["format"]


def test_a_form_may_drop_the_count_but_not_invent_an_argument():
    entry = Entry("%d file", "", "%d files", {0: "%s Datei", 1: "%d Dateien"}, flags=["php-format"])
    assert errors_of(entry) == ["format"]


# -- tags, entities, urls --------------------------------------------------------------------------------
def test_tags_must_be_kept_but_translatable_attributes_may_change():
    assert "tags" in checks_of(Entry('Read <a href="/docs">the docs</a>', "Lies die Doku"))
    assert checks_of(Entry('<a href="/x" title="Open">Go</a>', '<a href="/x" title="Öffnen">Los</a>')) == []
    assert "tags" in checks_of(Entry('<a href="/x">Go</a>', '<a href="/y">Los</a>'))


def test_entities_urls_and_emails_must_be_kept():
    assert "entities" in checks_of(Entry("Fish &amp; chips", "Fisch und Pommes"))
    assert checks_of(Entry("Next &raquo;", "Weiter »")) == []
    assert "urls" in checks_of(Entry("See https://example.org/help now", "Siehe Hilfe"))
    assert checks_of(Entry("See https://wordpress.org/plugins now", "Siehe https://de.wordpress.org/plugins jetzt")) == []
    assert "emails" in checks_of(Entry("Write to help@example.org.", "Schreib uns."))


# -- whitespace, case, punctuation, length, unchanged -----------------------------------------------------
@pytest.mark.parametrize("source, translation, check", [
    (" and more", "und mehr", "start-space"),
    ("Name: ", "Name:", "end-space"),
    ("Line one\nline two", "Zeile eins", "newline-count"),
    ("Save now", "Jetzt  speichern", "double-space"),
    ("Settings saved.", "einstellungen gespeichert.", "uppercase-start"),
    ("Settings saved.", "Einstellungen gespeichert", "end-punctuation"),
    ("Please choose one of the available options", "Wähle", "length"),
    ("Add to cart", "Add to cart", "unchanged"),
])
def test_cosmetic_warnings_fire(source, translation, check):
    problems = run_checks(Entry(source, translation), ENGLISH)
    assert check in [p.check for p in problems]
    assert all(p.severity == "warning" for p in problems)


@pytest.mark.parametrize("source, translation", [
    ("Settings saved.", "Einstellungen gespeichert."),
    ("Loading...", "Wird geladen …"),
    ("WordPress", "WordPress"),
    ("Name: ", "Name: "),
])
def test_cosmetic_warnings_stay_quiet_on_good_translations(source, translation):
    assert checks_of(Entry(source, translation)) == []


def test_japanese_end_punctuation_is_not_reported():
    assert checks_of(Entry("Settings saved.", "設定を保存しました。"), JAPANESE) == []


# -- glossary --------------------------------------------------------------------------------------------
def test_glossary_and_do_not_translate_terms(tmp_path):
    path = tmp_path / "glossary.tsv"
    path.write_text("# brand names stay\nWooCommerce\npost\tBeitrag\n", encoding="utf-8")
    glossary = load_glossary(path)
    context = CheckContext.for_rule("de_DE", 2, "n != 1", glossary)
    assert checks_of(Entry("WooCommerce settings", "Woo-Handel Einstellungen"), context) == ["glossary"]
    assert checks_of(Entry("Edit post", "Artikel bearbeiten"), context) == ["glossary"]
    assert checks_of(Entry("Edit post", "Beitrag bearbeiten"), context) == []
    assert checks_of(Entry("Edit post", "Artikel bearbeiten"), ENGLISH) == []


# -- catalog level ---------------------------------------------------------------------------------------
def header(plural_forms="nplurals=2; plural=(n != 1);", language="de_DE"):
    return Entry("", f"Content-Type: text/plain; charset=UTF-8\nLanguage: {language}\n"
                     f"Plural-Forms: {plural_forms}\n")


def test_plural_forms_of_another_language_is_a_warning_and_a_broken_one_an_error():
    catalog = Catalog([header("nplurals=1; plural=0;"), Entry("Save", "Speichern")], path="x-de_DE.po")
    assert [(p.check, p.severity) for _, p in check_catalog(catalog)] == [("plural-header", "warning")]
    catalog = Catalog([header("nplurals=2; plural=n>1 ? 2 : 0;"), Entry("Save", "Speichern")], path="x-de_DE.po")
    assert [(p.check, p.severity) for _, p in check_catalog(catalog)] == [("plural-header", "error")]
    catalog = Catalog([header("nplurals=INTEGER; plural=EXPRESSION;"), Entry("Save", "Speichern")], path="x.po")
    assert "error" in [p.severity for _, p in check_catalog(catalog)]


def test_missing_header_and_duplicates_are_errors():
    catalog = Catalog([Entry("Save", "Speichern"), Entry("Save", "Sichern")], path="x-de_DE.po")
    assert sorted(p.check for _, p in check_catalog(catalog)) == ["duplicate", "header-missing"]


def test_only_filters_by_state():
    fuzzy = Entry("Moved %s", "%s %s", flags=["fuzzy"])
    translated = Entry("Copied %s", "%s %s kopiert")
    catalog = Catalog([header(), fuzzy, translated], path="x-de_DE.po")
    assert {id(e) for e, p in check_catalog(catalog, only="fuzzy")} == {id(fuzzy)}
    assert {id(e) for e, p in check_catalog(catalog, only="translated")} == {id(translated)}


# -- a lone percent sign where sprintf reads the string (GlotPress's unexpected sprintf token) --------
@pytest.mark.parametrize("source, translation, warned", [
    ("every %s weeks", "toutes les % semaines", True),  # "% s" eats the argument
    ("%d%% done", "%d % erledigt", True),
    ("%d%% done", "%d%% erledigt", False),
    ("(%1$s%)", "(%1$s%)", False),  # the source has it already
    ("100% sure", "100 % sicher", False),  # not formatted: prose
    ("No %plural% found", "Keine %plural% gefunden", False),
])
def test_a_lone_percent_sign_the_translation_adds_is_a_warning(source, translation, warned):
    assert ("percent-sign" in checks_of(Entry(source, translation), severity="warning")) is warned


def test_with_a_format_flag_msgfmt_decides_about_percent_signs():
    assert "percent-sign" not in checks_of(Entry("every %s weeks", "toutes les % semaines", flags=["php-format"]))


# -- placeholders for masking ----------------------------------------------------------------------------
def test_find_placeholders_returns_exact_non_overlapping_spans():
    text = 'Hi %1$s, <a href="https://x.org/?a=1">see</a> &amp; {name} ###SITE### mail@x.org %(n)d 100% sure'
    found = find_placeholders(text)
    assert [(p.kind, p.text) for p in found] == [
        ("printf", "%1$s"), ("tag", '<a href="https://x.org/?a=1">'), ("tag", "</a>"), ("entity", "&amp;"),
        ("brace", "{name}"), ("glotpress", "###SITE###"), ("email", "mail@x.org"), ("python", "%(n)d")]
    assert all(text[p.start:p.end] == p.text for p in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_checks_do_not_import_the_faces():
    code = "import sys, transkit.checks.text, transkit.checks.header, transkit.jobs.check; " \
           "print(sorted(m for m in ('textual', 'click', 'rich') if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
