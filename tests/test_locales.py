"""Which locale is this catalog file: one answer (header, Poedit header, file name read knowing the
domain, Language-Team), and the source it came from."""

from __future__ import annotations

import pytest

from transkit.catalog.locales import catalog_locale, normalize_locale, parse_catalog_name

# file name, domain known to the caller (None: not known) -> locale
FILE_NAMES = [
    ("ca@valencia.po", None, "ca@valencia"),
    ("de_DE_formal.po", None, "de_DE_formal"),
    ("plugin-de_DE_formal.mo", "plugin", "de_DE_formal"),
    ("pt_PT_ao90.po", None, "pt_PT_ao90"),
    ("akismet-pt_PT_ao90.po", None, "pt_PT_ao90"),
    ("sr_RS@latin.po", None, "sr_RS@latin"),
    ("wp-super-cache-sr_RS@latin.l10n.php", None, "sr_RS@latin"),
    ("zh_TW.mo", None, "zh_TW"),
    ("ja.po", None, "ja"),
    ("contact-form-7-ja.po", None, "ja"),
    ("fa_IR.po", None, "fa_IR"),
    ("admin-network-de_DE.po", None, "de_DE"),
    ("continents-cities-ar.po", None, "ar"),
    # slugs ending in a short word: the word stays the slug's
    ("my-gb-es_ES.po", "my-gb", "es_ES"),
    ("my-gb-es_ES.po", None, "es_ES"),
    ("easy-ads-pt_BR.po", None, "pt_BR"),
    ("easy-ads-pt_BR.po", "easy-ads", "pt_BR"),
    ("my-gb-ja.po", None, "ja"),
    ("my-gb-ja.po", "my-gb", "ja"),
    ("polylang-bel.po", "polylang", "bel"),
    ("x-de_DE-0123456789abcdef0123456789abcdef.json", None, "de_DE"),
    # a charset after the locale (POSIX ll_CC.charset[@modifier]) is no part of it: kr of euc-kr is not Kanuri
    ("mm-ko.euc-kr.po", None, "ko"),
    ("mm-ko.euc-kr.po", "mm", "ko"),
    ("ko.euc-kr.po", None, "ko"),
    ("de_DE.UTF-8.po", None, "de_DE"),
    ("plugin-pt_BR.ISO-8859-1.mo", "plugin", "pt_BR"),
    ("ja_JP.eucJP.po", None, "ja_JP"),
    ("de_DE.UTF-8@euro.po", None, "de_DE@euro"),
    ("com.example.app-de_DE.po", None, "de_DE"),  # a dotted domain is no charset
    ("x-kr.po", None, "kr"),  # Kanuri, when it is the locale
    # not a locale at all
    ("x.UTF-8.po", None, None),
    ("x-de.hex.po", None, None),  # "hex" is a codec, not a charset
    ("my-gb.po", None, None),
    ("my-gb.po", "my-gb", None),
    ("messages.po", None, None),
]


@pytest.mark.parametrize("name, domain, expected", FILE_NAMES)
def test_file_name_to_locale(name, domain, expected):
    assert parse_catalog_name(name, domain).locale == expected
    answer = catalog_locale(name, {}, domain)
    assert answer.code == expected
    assert answer.source == ("file-name" if expected else None)


@pytest.mark.parametrize("name, domain, slug, expected", [
    # a WordPress language pack is named by the plugin's slug, its own files by its text domain
    ("acme-pro-fr_FR.po", "acme", "acme-pro", ("acme-pro", "fr_FR")),
    ("acme-fr_FR.po", "acme", "acme-pro", ("acme", "fr_FR")),
    ("acme-pro-fr_FR.po", "acme-pro", "acme", ("acme-pro", "fr_FR")),
    ("acme-fr_FR.mo", "acme-pro", "acme", ("acme", "fr_FR")),
    ("acme-pro-pt_BR-0123456789abcdef0123456789abcdef.json", "acme", "acme-pro", ("acme-pro", "pt_BR")),
    ("acme-pro.pot", "acme", "acme-pro", ("acme-pro", None)),
])
def test_the_file_name_is_read_knowing_slug_and_domain(name, domain, slug, expected):
    parsed = parse_catalog_name(name, domain, slug)
    assert (parsed.domain, parsed.locale) == expected
    if expected[1]:
        answer = catalog_locale(name, {"Language": expected[1]}, domain, slug)
        assert (answer.code, answer.source, answer.warning) == (expected[1], "file-name", None)


def test_a_misnamed_file_still_says_its_locale_and_its_wrong_separator():
    name = parse_catalog_name("wp-slug_uk_UA.po", "wp-slug")
    assert (name.domain, name.locale, name.separator) == ("wp-slug", "uk_UA", "_")
    name = parse_catalog_name("wp-slug_uk_UA.po")
    assert (name.domain, name.locale, name.separator) == ("wp-slug", "uk_UA", "_")


@pytest.mark.parametrize("header, expected", [
    ("French", "fr"), ("German", "de"), ("Persian (Iran)", "fa_IR"), ("pt-BR", "pt_BR"),
    ("zh_TW.Big5", "zh_TW"), ("sr@latin", "sr@latin"), ("Portuguese (Brazil)", "pt_BR"),
    ("de_DE_formal", "de_DE_formal"), ("ca@valencia", "ca@valencia"), ("ja", "ja"), ("", None),
    ("LANGUAGE", None),
])
def test_header_language_is_normalised(header, expected):
    assert normalize_locale(header) == expected
    answer = catalog_locale("messages.po", {"Language": header})
    assert answer.code == expected
    assert answer.source == ("header" if expected else None)


def test_poedit_language_and_country():
    answer = catalog_locale("strings.po", {"X-Poedit-Language": "Chinese", "X-Poedit-Country": "TAIWAN"})
    assert (answer.code, answer.source) == ("zh_TW", "poedit-header")
    answer = catalog_locale("strings.po", {"X-Poedit-Language": "Russian", "X-Poedit-Country": "RUSSIAN FEDERATION"})
    assert answer.code == "ru_RU"


def test_language_team_is_the_last_resort():
    header = {"Language-Team": "Russian (Russia) (http://www.transifex.com/woothemes/woocommerce/language/ru_RU/)"}
    assert catalog_locale("strings.po", header).code == "ru_RU"
    assert catalog_locale("strings.po", {"Language-Team": "LANGUAGE <LL@li.org>"}).code is None
    # the file name comes before the team
    assert catalog_locale("x-it_IT.po", {"Language-Team": "German <de@li.org>"}).code == "it_IT"


def test_header_and_file_name_of_one_language_give_the_name_wordpress_loads():
    assert catalog_locale("x-de_DE.po", {"Language": "de"}) .code == "de_DE"
    assert catalog_locale("x-ja.mo", {"Language": "ja_JP"}).code == "ja"
    assert catalog_locale("x-fr_FR.po", {"Language": "French"}).warning is None


def test_a_conflict_between_header_and_file_name_is_a_warning():
    answer = catalog_locale("x-de_DE.po", {"Language": "de_CH"})
    assert answer.code == "de_DE" and "de_CH" in answer.warning
    answer = catalog_locale("polylang-bel.po", {"Language": "ru_RU"}, "polylang")
    assert (answer.code, answer.source) == ("ru_RU", "header")
    assert "bel" in answer.warning and "ru_RU" in answer.warning


def test_folder_locale_of_lc_messages(tmp_path):
    path = tmp_path / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po"
    answer = catalog_locale(path, {})
    assert (answer.code, answer.source) == ("pt_BR", "folder")


def test_scan_gives_the_corpus_euc_kr_catalog_its_korean_locale(corpus_dir, tmp_path):
    """gettext's mm-ko.euc-kr.po (no Language header) is Korean: its name's charset is not its locale."""
    import json
    import shutil

    from click.testing import CliRunner

    from transkit.cli.main import cli

    shutil.copy(corpus_dir / "edge" / "gnu-gettext" / "tests" / "mm-ko.euc-kr.po", tmp_path)
    done = CliRunner().invoke(cli, ["scan", str(tmp_path), "--json"], catch_exceptions=False)
    found = [item for project in json.loads(done.output) for item in project["locales"]
             if item["path"].endswith("mm-ko.euc-kr.po")]
    assert [(item["locale"], item["locale_source"]) for item in found] == [("ko", "file-name")]
