"""Placeholder masking for machine translation: what is protected, what comes back, what is refused."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transkit.checks.placeholders import PlaceholderRules
from transkit.suggest.masking import MaskError, mask, try_unmask, unmask


def well_formed(xml: str) -> bool:
    try:
        ElementTree.fromstring(f"<root>{xml}</root>")
        return True
    except ElementTree.ParseError:
        return False


@pytest.mark.parametrize("source, protected", [
    ("Delete %s?", ["%s"]),
    ("Showing %1$s of %2$d items", ["%1$s", "%2$d"]),
    ("Progress: %d%%", ["%d", "%%"]),
    ("Price %.2f, padded %-10s, custom %'.10d", ["%.2f", "%-10s", "%'.10d"]),
    ("Hello %(name)s, you have %(count)d new", ["%(name)s", "%(count)d"]),
    ("Welcome {name}, see {0}", ["{name}", "{0}"]),
    ("Hi {{ user.name }} and {{{raw}}}", ["{{ user.name }}", "{{{raw}}}"]),
    ("Dear ###USERNAME###, thanks", ["###USERNAME###"]),
    ('Insert [gallery id="1"] or [contact-form-7 id="12" title="Form"] here', ['[gallery id="1"]', '[contact-form-7 id="12" title="Form"]']),
    ("Read https://example.com/docs?a=1&b=2. Then write to help@example.org", ["https://example.com/docs?a=1&b=2", "help@example.org"]),
    ("Copyright &copy; 2024 &#8211; all&nbsp;rights", ["&copy;", "&#8211;", "&nbsp;"]),
    ("Line one<br>line two<br />", ["<br>", "<br />"]),
])
def test_placeholders_become_empty_tokens(source, protected):
    masked = mask(source)
    assert sorted(masked.placeholders.values()) == sorted(protected)
    for text in protected:
        assert text not in masked.xml
    assert masked.xml.count("<x id=") == len(protected)
    assert well_formed(masked.xml)
    assert unmask(masked, masked.xml) == source


def test_plain_percent_and_brackets_are_text():
    # "100% sure" is not "% s"; "[Optional]" is not a shortcode; a lone brace is not a placeholder
    masked = mask("100% sure, [Optional] { not a placeholder")
    assert masked.placeholders == {}
    assert masked.plain_text == "100% sure, [Optional] { not a placeholder"


def test_well_formed_html_stays_a_movable_pair_and_attributes_never_leave():
    masked = mask('Click <a href="%s" class="button">here</a> to <strong>save</strong>.')
    assert masked.xml == 'Click <g id="1">here</g> to <g id="2">save</g>.'
    assert "%s" not in masked.xml and "href" not in masked.xml
    # the engine moves a pair with its words: still accepted
    assert unmask(masked, '<g id="2">SAVE</g> TO <g id="1">HERE</g> CLICK.') == (
        '<strong>SAVE</strong> TO <a href="%s" class="button">HERE</a> CLICK.')


def test_malformed_html_is_masked_as_tokens():
    masked = mask("<b>bold without end and <i>crossed</b> tags</i> and <p>")
    assert well_formed(masked.xml)
    assert masked.tags == {1: ("<b>", "</b>")}
    assert sorted(masked.placeholders.values()) == ["</i>", "<i>", "<p>"]


def test_xml_specials_are_escaped_and_come_back():
    masked = mask("If a < b & c > d")
    assert masked.xml == "If a &lt; b &amp; c &gt; d"
    assert unmask(masked, "SI a &lt; b &amp; c &gt; d") == "SI a < b & c > d"
    assert unmask(masked, "SI a &#60; b &#x26; c &gt; d") == "SI a < b & c > d"


def test_edge_whitespace_is_cut_and_restored_from_the_source():
    masked = mask("\n  Save changes\t \n")
    assert masked.xml == "Save changes"
    assert unmask(masked, "  Salva le modifiche ") == "\n  Salva le modifiche\t \n"


def test_only_placeholders_needs_no_translation():
    assert not mask("%s: %d").needs_translation
    assert not mask("  ").needs_translation
    assert mask("%s items").needs_translation
    assert mask("Café <b>%s</b>").billable_characters == len("Café ")


@pytest.mark.parametrize("translated, reason", [
    ("Ciao , hai <x id=\"2\"/>", "lost"),
    ('Ciao <x id="1"/><x id="1"/>, hai <x id="2"/>', "twice"),
    ('Ciao <x id="1"/>, hai <x id="7"/> <x id="2"/>', "unknown placeholder"),
    ('Ciao <x id="2"/>, hai <x id="1"/>', "changed order"),
    ('Ciao <x id="1"/>, <b>hai</b> <x id="2"/>', "unexpected markup"),
    ('Ciao <x id="1"/>,\nhai <x id="2"/>', "line breaks"),
])
def test_damaged_translations_are_refused(translated, reason):
    masked = mask("Hello %s, you have %d")
    with pytest.raises(MaskError) as caught:
        unmask(masked, translated)
    assert reason in caught.value.reason
    text, problem = try_unmask(masked, translated)
    assert text is None and reason in problem


def test_positional_placeholders_may_move():
    masked = mask("%1$s of %2$s")
    assert unmask(masked, '<x id="2"/> DI <x id="1"/>') == "%2$s DI %1$s"


@pytest.mark.parametrize("translated, reason", [
    ('Clicca <g id="1">qui', "not closed"),
    ("Clicca qui</g>", "no opening"),
    ('Clicca <g id="1">qui</g> <g id="1">x</g>', "twice"),
    ("Clicca qui", "lost"),
])
def test_unbalanced_tags_are_refused(translated, reason):
    masked = mask('Click <a href="#">here</a>')
    with pytest.raises(MaskError, match=reason):
        unmask(masked, translated)


# -- properties ---------------------------------------------------------------------------------
_PIECES = st.sampled_from([
    "%s", "%d", "%1$s", "%2$d", "%%", "%.2f", "%-10s", "%(name)s", "{name}", "{{x}}", "###X###",
    '[gallery id="1"]', "[/caption]", "https://example.com/a?b=1", "me@example.org", "&amp;",
    "&nbsp;", "&#8217;", "<b>", "</b>", "<br>", '<a href="%s">', "</a>", "<i/>", "<", ">", "&",
    "100%", "{", "}", "[", "]", "#", " ", "\n", "\t", "\r", "\x00", "\x0b", '"', "'", "é", "😀",
    "%plural%", "%%sitename%%", "%user_name%", "${name}", "$name", ":name", "[gallery]", "%", "$", ":",
    "文", "削除",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example('<x id="1"/> literal token')
@example("  \n")
def test_mask_then_unmask_with_identity_translation_is_the_source(source):
    for flags, rules in (((), None), (("php-format",), None), (("javascript-format",), PlaceholderRules(colon=True))):
        masked = mask(source, flags, rules)
        assert well_formed(masked.xml), masked.xml
        assert unmask(masked, masked.xml) == source


@pytest.mark.corpus
def test_every_corpus_template_string_masks_to_xml_and_back(corpus_dir):
    from transkit.catalog import load_catalog
    from transkit.errors import CatalogError

    checked = 0
    for path in sorted((corpus_dir / "wordpress").rglob("*.pot")):
        try:
            catalog = load_catalog(path)
        except CatalogError:
            continue
        for entry in catalog.entries:
            for source in filter(None, (entry.msgid, entry.msgid_plural)):
                for flags in ((), tuple(entry.flags)):
                    masked = mask(source, flags)
                    assert well_formed(masked.xml), (path, source, flags)
                    assert unmask(masked, masked.xml) == source, (path, source, flags)
                checked += 1
    assert checked > 1000


def test_bracketed_words_are_text_but_shortcodes_are_protected():
    masked = mask('[block rendering halted] before [gallery] and [caption width="300"]x[/caption]')
    assert sorted(masked.placeholders.values()) == ["[/caption]", '[caption width="300"]', "[gallery]"]
    assert "block rendering halted" in masked.plain_text


def test_the_entry_format_flag_decides_what_a_directive_is():
    # PHP reads "% s" as a space-padded string directive; prose without a flag keeps its percent sign
    assert mask("100% sure").placeholders == {}
    assert list(mask("100% sure", ["php-format"]).placeholders.values()) == ["% s"]
    assert list(mask("%-10s left, 50%% off", ["php-format"]).placeholders.values()) == ["%-10s", "%%"]
    assert list(mask("%-10s left", ["no-php-format"]).placeholders.values()) == []
    assert list(mask("%(name)s and %s", ["python-format"]).placeholders.values()) == ["%(name)s", "%s"]


def test_the_catalog_rules_decide_what_is_sent_as_a_token():
    assert mask("The :attribute field").placeholders == {}
    masked = mask("The :attribute field", rules=PlaceholderRules(colon=True))
    assert list(masked.placeholders.values()) == [":attribute"] and masked.xml == 'The <x id="1"/> field'
