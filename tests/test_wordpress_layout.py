"""A whole WordPress as a user has it: core's own translations, plugins, a theme, a must-use plugin,
language packs, Loco's copies, misnamed and header-only catalogs — every catalog found once, with
the locale WordPress (or its header) gives it, and the memory learns them core first."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.catalog.discover import catalog_kind, scan
from transkit.cli.main import cli
from transkit.jobs.catalogs import catalogs_for

CORE_DE = ("de_DE.po", "de_DE.mo", "admin-de_DE.po", "admin-network-de_DE.po", "continents-cities-de_DE.po")
CORE_AR = ("ar.po", "admin-ar.po", "admin-network-ar.po", "continents-cities-ar.po")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from transkit.cli import common

    monkeypatch.setattr(common.console, "width", 220)


def plugin(wp_content, slug, name, domain=None, domain_path="/languages"):
    folder = wp_content / "plugins" / slug
    (folder / "languages").mkdir(parents=True)
    (folder / f"{slug}.php").write_text(
        f"<?php\n/*\nPlugin Name: {name}\nVersion: 1.0\nText Domain: {domain or slug}\n"
        f"Domain Path: {domain_path}\n*/\n")
    return folder


def without_language_header(source, target):
    data = re.sub(rb'"Language: [^"]*\\n"\r?\n', b"", source.read_bytes())
    target.write_bytes(data)


def with_header(source, target, name, value):
    data = re.sub(rb'"' + name.encode() + rb': [^"]*\\n"', b'"' + f"{name}: {value}".encode() + rb'\\n"',
                  source.read_bytes())
    if f"{name}: {value}".encode() not in data:
        data = data.replace(b'"Content-Type:', f'"{name}: {value}\\n"\n"Content-Type:'.encode(), 1)
    target.write_bytes(data)


THEME_PO = """msgid ""
msgstr ""
"Project-Id-Version: Quiet Theme 1.0\\n"
"Language: {locale}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Read more"
msgstr "{read_more}"

msgid "Posts"
msgstr "{posts}"
"""


def make_wordpress(root, corpus_dir):
    wp = corpus_dir / "wordpress"
    wp_content = root / "wp-content"
    languages = wp_content / "languages"
    (languages / "plugins").mkdir(parents=True)
    (languages / "themes").mkdir()
    (languages / "loco" / "plugins").mkdir(parents=True)
    for name in CORE_DE:
        shutil.copy(wp / "wordpress-core" / "de_DE" / name, languages / name)
    for name in CORE_AR:
        shutil.copy(wp / "wordpress-core" / "ar" / name, languages / name)
    cf7 = plugin(wp_content, "contact-form-7", "Contact Form 7")
    shutil.copy(wp / "contact-form-7" / "contact-form-7.pot", cf7 / "languages")
    shutil.copy(wp / "contact-form-7" / "contact-form-7-it_IT.po", cf7 / "languages")
    shutil.copy(wp / "contact-form-7" / "contact-form-7-de_DE.po", languages / "plugins")
    shutil.copy(wp / "contact-form-7" / "contact-form-7-de_DE.mo", languages / "plugins")
    jetpack = plugin(wp_content, "jetpack", "Jetpack")
    shutil.copy(wp / "jetpack" / "jetpack.pot", jetpack / "languages")
    shutil.copy(wp / "jetpack" / "jetpack-fr_FR.po", languages / "loco" / "plugins")
    plugin(wp_content, "wordpress-seo", "Yoast SEO")
    shutil.copy(wp / "wordpress-seo" / "wordpress-seo-ja.mo", languages / "plugins")  # .mo only
    cache = plugin(wp_content, "wp-super-cache", "WP Super Cache")
    shutil.copy(wp / "wp-super-cache" / "wp-super-cache-uk.po", cache / "languages" / "wp-super-cache_uk_UA.po")
    gb = plugin(wp_content, "my-gb", "My GB")  # a slug ending in a short word
    without_language_header(wp / "contact-form-7" / "contact-form-7-es_ES.po", gb / "languages" / "my-gb-es_ES.po")
    without_language_header(wp / "contact-form-7" / "contact-form-7-ja.po", gb / "languages" / "my-gb-ja.po")
    ads = plugin(wp_content, "easy-ads", "Easy Ads")
    without_language_header(wp / "polylang" / "polylang-pt_BR.po", ads / "languages" / "easy-ads-pt_BR.po")
    french = plugin(wp_content, "french-only", "French Only")  # header-only language
    with_header(wp / "contact-form-7" / "contact-form-7-fr_FR.po", french / "languages" / "traduction.po",
                "Language", "French")
    theme = wp_content / "themes" / "quiet-theme"
    (theme / "languages").mkdir(parents=True)
    (theme / "style.css").write_text("/*\nTheme Name: Quiet Theme\nVersion: 1.0\nText Domain: quiet-theme\n*/\n")
    (theme / "languages" / "de_DE.po").write_text(THEME_PO.format(locale="de_DE", read_more="Weiterlesen",
                                                                  posts="Beiträge"))
    (theme / "languages" / "quiet-theme-fr_FR.po").write_text(THEME_PO.format(
        locale="fr_FR", read_more="Lire la suite", posts="Articles"))
    (languages / "themes" / "quiet-theme-it_IT.po").write_text(THEME_PO.format(
        locale="it_IT", read_more="Leggi tutto", posts="Articoli"))
    mu = wp_content / "mu-plugins"
    (mu / "languages").mkdir(parents=True)
    (mu / "site-tweaks.php").write_text("<?php\n/*\nPlugin Name: Site Tweaks\nText Domain: site-tweaks\n*/\n")
    (mu / "languages" / "site-tweaks-de_DE.po").write_text(THEME_PO.format(
        locale="de_DE", read_more="Mehr", posts="Beiträge"))
    return wp_content


def catalog_files_on_disk(root):
    return sorted(p for p in root.rglob("*") if p.is_file() and catalog_kind(p.name))


def test_every_catalog_is_found_once_with_its_locale(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    refs = catalogs_for([wp_content], kinds=("po", "mo", "l10n.php"))
    templates = [f.path for p in scan(wp_content) for f in p.files if f.kind == "pot"]
    found = sorted([r.path for r in refs] + templates)
    assert found == catalog_files_on_disk(wp_content)  # every file, none twice
    by_name = {r.path.relative_to(wp_content).as_posix(): r for r in refs}
    expected = {
        "languages/de_DE.po": ("de_DE", "wordpress", "wordpress-core", "default"),
        "languages/admin-de_DE.po": ("de_DE", "wordpress", "wordpress-core", "admin"),
        "languages/admin-network-ar.po": ("ar", "wordpress", "wordpress-core", "admin-network"),
        "languages/continents-cities-ar.po": ("ar", "wordpress", "wordpress-core", "continents-cities"),
        "languages/plugins/contact-form-7-de_DE.mo": ("de_DE", "contact-form-7", "wordpress-plugin", "contact-form-7"),
        "languages/plugins/wordpress-seo-ja.mo": ("ja", "wordpress-seo", "wordpress-plugin", "wordpress-seo"),
        "languages/loco/plugins/jetpack-fr_FR.po": ("fr_FR", "jetpack", "wordpress-plugin", "jetpack"),
        "plugins/wp-super-cache/languages/wp-super-cache_uk_UA.po": ("uk_UA", "wp-super-cache", "wordpress-plugin",
                                                                    "wp-super-cache"),
        "plugins/my-gb/languages/my-gb-es_ES.po": ("es_ES", "my-gb", "wordpress-plugin", "my-gb"),
        "plugins/my-gb/languages/my-gb-ja.po": ("ja", "my-gb", "wordpress-plugin", "my-gb"),
        "plugins/easy-ads/languages/easy-ads-pt_BR.po": ("pt_BR", "easy-ads", "wordpress-plugin", "easy-ads"),
        "plugins/french-only/languages/traduction.po": ("fr", "french-only", "wordpress-plugin", "french-only"),
        "themes/quiet-theme/languages/de_DE.po": ("de_DE", "quiet-theme", "wordpress-theme", "quiet-theme"),
        "languages/themes/quiet-theme-it_IT.po": ("it_IT", "quiet-theme", "wordpress-theme", "quiet-theme"),
        "mu-plugins/languages/site-tweaks-de_DE.po": ("de_DE", "site-tweaks", "wordpress-mu-plugin", "site-tweaks"),
    }
    for name, (locale, project, kind, domain) in expected.items():
        ref = by_name[name]
        assert (ref.locale, ref.project, ref.project_kind, ref.domain) == (locale, project, kind, domain), name
    assert by_name["plugins/french-only/languages/traduction.po"].locale_source == "header"
    assert by_name["plugins/my-gb/languages/my-gb-es_ES.po"].locale_source == "file-name"
    core = [p for p in scan(wp_content) if p.kind == "wordpress-core"]
    assert len(core) == 1 and core[0].locales == ["ar", "de_DE"]
    assert {f.domain for f in core[0].files} == {"default", "admin", "admin-network", "continents-cities"}


def test_misnamed_catalogs_say_what_wordpress_does_with_them(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    problems = {r.path.name: {p.code: p for p in r.problems} for r in catalogs_for([wp_content])
                if r.project_kind != "wordpress-core"}
    core = {r.path.name: r.problems for r in catalogs_for([wp_content]) if r.project_kind == "wordpress-core"}
    misnamed = problems["wp-super-cache_uk_UA.po"]["misnamed-separator"]
    assert "wp-super-cache-uk_UA.mo" in misnamed.message and "never loads" in misnamed.message
    assert misnamed.rename_to.name == "wp-super-cache-uk_UA.po"
    assert problems["quiet-theme-fr_FR.po"]["domain-in-theme-name"].rename_to.name == "fr_FR.po"
    assert problems["traduction.po"]["wrong-domain"].rename_to.name == "french-only-fr.po"
    assert "not-compiled" in problems["contact-form-7-it_IT.po"]
    assert "not-compiled" not in problems["contact-form-7-de_DE.po"]  # its .mo is beside it
    assert not core["de_DE.po"]  # core's, with its .mo
    assert [p.code for p in core["admin-de_DE.po"]] == ["not-compiled"]
    result = run("scan", str(wp_content))
    assert result.exit_code == 0
    assert "wp-super-cache_uk_UA.po" in result.output and "never loads" in result.output


def test_a_language_pack_named_by_slug_is_read_as_its_locale(tmp_path):
    """acme-pro-fr_FR.po for plugin acme-pro, Text Domain acme: fr_FR (it was read as pro_FR_FR,
    with a header/file-name conflict warning). WordPress loads languages/plugins/<domain>-<locale>.mo,
    so it is still named as not loaded, by the name it would be loaded by."""
    wp_content = tmp_path / "wp-content"
    plugin(wp_content, "acme-pro", "Acme Pro", domain="acme")
    pack = wp_content / "languages" / "plugins" / "acme-pro-fr_FR.po"
    pack.parent.mkdir(parents=True)
    pack.write_text('msgid ""\nmsgstr ""\n"Language: fr_FR\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "Save"\nmsgstr "Enregistrer"\n',
                    encoding="utf-8")
    (ref,) = [r for r in catalogs_for([wp_content]) if r.path == pack]
    assert (ref.project, ref.domain, ref.locale, ref.locale_source) == ("acme-pro", "acme", "fr_FR", "file-name")
    assert "locale-conflict" not in {p.code for p in ref.problems}
    assert ref.problems[0].rename_to.name == "acme-fr_FR.po"
    data = json.loads(run("scan", str(wp_content), "--json").output)
    assert [row["locale"] for row in data[0]["locales"]] == ["fr_FR"]
    result = run("scan", str(wp_content))
    assert result.exit_code == 0
    assert "pro_FR_FR" not in result.output and "the header says" not in result.output
    assert "WordPress loads acme-fr_FR.mo; it never loads acme-pro-fr_FR.po" in " ".join(result.output.split())


def test_scan_shows_one_row_per_locale_and_the_template_percentage(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    data = json.loads(run("scan", str(wp_content), "--json").output)
    projects = {p["handle"]: p for p in data}
    assert projects["wordpress"]["kind"] == "wordpress-core"
    core_de = [row for row in projects["wordpress"]["locales"] if row["locale"] == "de_DE" and row["domain"] == "default"]
    assert len(core_de) == 1 and set(core_de[0]["files"]) == {"po", "mo"}
    cf7_de = [row for row in projects["contact-form-7"]["locales"] if row["locale"] == "de_DE"]
    assert len(cf7_de) == 1 and set(cf7_de[0]["files"]) == {"po", "mo"}
    assert cf7_de[0]["locale_source"] == "file-name"
    template = load_catalog(wp_content / "plugins" / "contact-form-7" / "languages" / "contact-form-7.pot")
    german = load_catalog(wp_content / "languages" / "plugins" / "contact-form-7-de_DE.po")
    lacking = len({e.key for e in template.entries} - {e.key for e in german.entries})
    assert lacking > 0 and cf7_de[0]["missing_from_template"] == lacking
    assert cf7_de[0]["percent_of_template"] < 100
    table = run("scan", str(wp_content)).output
    assert f"outdated: template has {lacking} strings this catalog lacks" in table


def test_a_memory_seeded_from_core_suggests_cores_words_first(tmp_path, corpus_dir):
    """Plugins translate "Posts" and "Tags" their own way (polylang: Artikel, events-manager:
    Schlagworte); WordPress core's locale team decided Beiträge and Schlagwörter. With every catalog
    in one folder (names sorting the plugins first), core's wins the tie."""
    wp = corpus_dir / "wordpress"
    folder = tmp_path / "translations"
    for slug, name in (("polylang", "polylang-de_DE.po"), ("events-manager", "dbem-de_DE.po")):
        (folder / slug).mkdir(parents=True)
        shutil.copy(wp / slug / name, folder / slug / name)
    (folder / "wordpress").mkdir()
    for name in CORE_DE:
        shutil.copy(wp / "wordpress-core" / "de_DE" / name, folder / "wordpress" / name)
    assert run("scan", str(folder)).exit_code == 0  # scanning seeds the memory
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory() as memory:
        assert memory.suggest("Posts", "de_DE")[0].target == "Beiträge"
        assert memory.suggest("Tags", "de_DE")[0].target == "Schlagwörter"
        assert memory.exact("Posts", "de_DE").target == "Beiträge"
        assert {m.target for m in memory.suggest("Posts", "de_DE")} >= {"Beiträge", "Artikel"}


def test_mo_only_and_header_only_catalogs_seed_the_memory_under_their_locale(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    assert run("scan", str(wp_content)).exit_code == 0
    from transkit.catalog.mofile import read_mo
    from transkit.suggest.tm import TranslationMemory

    seo = read_mo(wp_content / "languages" / "plugins" / "wordpress-seo-ja.mo")
    sample = next(m for m in seo.messages if m.translations[0] and not m.msgctxt and not m.msgid_plural)
    french = load_catalog(wp_content / "plugins" / "french-only" / "languages" / "traduction.po")
    entry = next(e for e in french.entries if e.is_translated() and not e.msgctxt and not e.is_plural)
    with TranslationMemory() as memory:
        assert memory.exact(sample.msgid, "ja").target == sample.translations[0]
        assert memory.exact(entry.msgid, "fr").target == entry.msgstr
        assert memory.exact(entry.msgid, "fr_FR").target == entry.msgstr  # the bare language serves fr_FR
        assert "French" not in memory.stats()["locales"]


def test_status_lists_the_misnamed_catalog_with_its_locale(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    data = json.loads(run("status", str(wp_content), "--json").output)
    rows = {r["path"].split("/")[-1]: r for r in data["catalogs"]}
    assert rows["wp-super-cache_uk_UA.po"]["locale"] == "uk_UA"
    assert rows["wp-super-cache_uk_UA.po"]["project_kind"] == "wordpress-plugin"
    assert rows["admin-de_DE.po"]["project"] == "wordpress"
    assert rows["traduction.po"]["locale_source"] == "header"
    table = run("status", str(wp_content)).output
    assert any(line.strip().startswith("wordpress core") for line in table.splitlines())
    assert any(line.strip().startswith("quiet-theme theme") for line in table.splitlines())
    assert any(line.strip().startswith("site-tweaks mu-plugin") for line in table.splitlines())
    # the warning is folded between words at the terminal's width: read it as one text
    flat = " ".join(table.split())
    assert re.search(r"warning: \S*wp-super-cache_uk_UA\.po: [^:]*?WordPress loads wp-super-cache-uk_UA\.mo"
                     r".*?doctor --fix", flat), flat


def test_a_l10n_php_only_language_pack_seeds_the_memory(tmp_path, corpus_dir):
    """WordPress 6.5+ installs .l10n.php files; one left without its PO and .mo still teaches the memory."""
    wp_content = make_wordpress(tmp_path, corpus_dir)
    packs = wp_content / "languages" / "plugins"
    assert run("compile", "--force", str(packs / "contact-form-7-de_DE.po")).exit_code in (0, 1)
    german = load_catalog(packs / "contact-form-7-de_DE.po")
    (packs / "contact-form-7-de_DE.po").unlink()
    (packs / "contact-form-7-de_DE.mo").unlink()
    refs = catalogs_for([wp_content], "de_DE", kinds=("po", "mo", "l10n.php"))
    assert [r.kind for r in refs if r.project == "contact-form-7"] == ["l10n.php"]
    assert run("scan", str(wp_content)).exit_code == 0
    from transkit.suggest.tm import TranslationMemory

    entry = next(e for e in german.entries if e.is_translated() and e.msgid not in
                 {x.msgid for p in (wp_content / "languages").glob("*de_DE.po") for x in load_catalog(p).entries})
    with TranslationMemory() as memory:
        assert memory.exact(entry.msgid, "de_DE", entry.msgctxt).target == entry.msgstr


@pytest.mark.skipif(shutil.which("php") is None, reason="php not installed")
def test_l10n_php_reader_agrees_with_php_var_export(tmp_path):
    import subprocess

    from transkit.catalog.compiled import read_l10n_php

    script = (r"""$m = ['messages' => ["Post\x04Publish" => 'Veröffentlichen', 'It\'s %s' => "Es ist %s",""" +
              r""" '%d item' => "%d Element\0%d Elemente", 'back\\slash' => 'a\\b', 'x' => "tab\there"],""" +
              r""" 'language' => 'de_DE', 'domain' => 'demo'];""" +
              r""" echo '<?php' . "\nreturn " . var_export($m, true) . ";\n";""")
    target = tmp_path / "demo-de_DE.l10n.php"
    target.write_bytes(subprocess.run(["php", "-r", script], capture_output=True, check=True).stdout)
    header, messages = read_l10n_php(target)
    assert header == {"language": "de_DE", "domain": "demo"}
    assert {(c, m): forms for c, m, _, forms in messages} == {
        ("Post", "Publish"): ["Veröffentlichen"], (None, "It's %s"): ["Es ist %s"],
        (None, "%d item"): ["%d Element", "%d Elemente"], (None, "back\\slash"): ["a\\b"],
        (None, "x"): ["tab\there"]}


def test_fill_from_memory_writes_cores_words(tmp_path, corpus_dir):
    wp = corpus_dir / "wordpress"
    folder = tmp_path / "translations"
    (folder / "polylang").mkdir(parents=True)
    shutil.copy(wp / "polylang" / "polylang-de_DE.po", folder / "polylang")
    (folder / "wordpress").mkdir()
    for name in CORE_DE:
        shutil.copy(wp / "wordpress-core" / "de_DE" / name, folder / "wordpress" / name)
    new = folder / "new-plugin"
    new.mkdir()
    (new / "new-plugin-de_DE.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\nmsgid "Posts"\nmsgstr ""\n')
    assert run("fill", str(folder), "--locale", "de_DE", "--provider", "tm").exit_code == 0
    entry = load_catalog(new / "new-plugin-de_DE.po").find("Posts")
    assert entry.msgstr == "Beiträge" and entry.fuzzy  # core's word, not polylang's "Artikel"


async def test_the_tui_dashboard_lists_core_the_theme_and_the_misnamed_catalog(tmp_path, corpus_dir):
    from textual.widgets import DataTable

    from transkit.tui.app import TranskitApp

    wp_content = make_wordpress(tmp_path, corpus_dir)
    app = TranskitApp(wp_content)
    async with app.run_test(size=(160, 60)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        table = app.screen.query_one(DataTable)
        rows = {row.key.value: (str(table.get_cell_at((index, 0))), str(table.get_cell_at((index, 1))))
                for index, row in enumerate(table.ordered_rows)}
    # core's four de_DE catalogs are told apart by their domain, as `transkit scan` does
    assert rows[str((wp_content / "languages" / "admin-de_DE.po").resolve())] == ("wordpress (core)", "de_DE (admin)")
    assert rows[str((wp_content / "languages" / "de_DE.po").resolve())] == ("wordpress (core)", "de_DE (default)")
    assert rows[str((wp_content / "languages" / "admin-network-de_DE.po").resolve())][1] == "de_DE (admin-network)"
    assert rows[str((wp_content / "themes/quiet-theme/languages/de_DE.po").resolve())] == ("quiet-theme (theme)", "de_DE")
    misnamed = wp_content / "plugins/wp-super-cache/languages/wp-super-cache_uk_UA.po"
    assert rows[str(misnamed.resolve())] == ("wp-super-cache", "uk_UA")
