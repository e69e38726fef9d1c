"""The one validator of path parts that come from data (domains, locales, Domain Path)."""

from __future__ import annotations

import os

import pytest

from transkit.catalog.paths import (contained, safe_domain, safe_file_name, safe_locale,
                                    safe_relative_folder)
from transkit.errors import CatalogError


@pytest.mark.parametrize("domain", ["woocommerce", "wp-seo", "contact-form-7", "my_plugin", "com.example"])
def test_real_domains_pass(domain):
    assert safe_domain(domain) == domain


@pytest.mark.parametrize("domain", ["../../x", "/abs/dir/x", "a/b", "a\\b", ".hidden", "..", "a..b", "", "x\0y",
                                    "C:x"])
def test_hostile_domains_are_refused_naming_field_and_file(domain):
    with pytest.raises(CatalogError) as raised:
        safe_domain(domain, "X-Domain", "plugin/x-de_DE.po")
    assert "X-Domain" in str(raised.value) and "plugin/x-de_DE.po" in str(raised.value)


@pytest.mark.parametrize("locale", ["de_DE", "pt_BR", "es_419", "sr_RS@latin", "de_DE_formal", "ja", "fil"])
def test_locales_pass(locale):
    assert safe_locale(locale) == locale


@pytest.mark.parametrize("locale", ["../de", "de/DE", "de_DE/../..", "", "DE", "de_DE\n"])
def test_hostile_locales_refused(locale):
    with pytest.raises(CatalogError, match="not a locale code"):
        safe_locale(locale, "Language", "x.po")


@pytest.mark.parametrize("value, expected", [("/languages", "languages"), ("languages/", "languages"),
                                             ("./lang/./po", "lang/po"), ("", "")])
def test_domain_path_normalised(value, expected):
    assert safe_relative_folder(value, "Domain Path") == expected


@pytest.mark.parametrize("value", ["/../../../d", "languages/../../x", "..", "C:/x"])
def test_domain_path_leaving_the_plugin_refused(value):
    with pytest.raises(CatalogError, match="Domain Path .* leads out of the plugin"):
        safe_relative_folder(value, "Domain Path", "plugin.php")


def test_contained_resolves_symlinks(tmp_path):
    root = tmp_path / "plugin"
    (root / "languages").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, root / "link")
    assert contained("languages/x.mo", root) == (root / "languages" / "x.mo").resolve()
    with pytest.raises(CatalogError, match="outside"):
        contained("link/x.mo", root, "X-Domain", "x.po")
    with pytest.raises(CatalogError, match="outside"):
        contained(tmp_path / "x.json", root)


@pytest.mark.parametrize("name", ["..", ".", "a/b", ".x", ""])
def test_file_names_refused(name):
    with pytest.raises(CatalogError):
        safe_file_name(name, "project name")
