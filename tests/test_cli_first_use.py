"""What a new user trips over on the command line: a mistyped locale, a locale with no catalog yet.

Each test runs a command as the README shows it, on a private copy of sample_po/.
"""

from __future__ import annotations

import pytest

from click.testing import CliRunner

from transkit.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def po_files(folder) -> set[str]:
    return {p.name for p in folder.rglob("*.po")}


# -- a locale that is not a locale name: a usage error naming --locale -----------------------------
def test_init_with_a_malformed_locale_is_a_usage_error_naming_the_option(sample_po):
    before = po_files(sample_po)
    result = run("init", str(sample_po / "tiny-gallery"), "--locale", "klingon")
    assert result.exit_code == 2
    assert "--locale" in result.output and "'klingon' is not a locale name" in result.output
    assert "<catalog>" not in result.output and "Traceback" not in result.output
    assert po_files(sample_po) == before


def test_fill_with_a_malformed_locale_is_a_usage_error(sample_po):
    result = run("fill", str(sample_po / "tiny-gallery"), "--locale", "klingon", "--dry-run")
    assert result.exit_code == 2
    assert "--locale" in result.output and "not a locale name" in result.output


def test_export_with_a_malformed_locale_is_a_usage_error(sample_po, tmp_path):
    result = run("export", str(sample_po / "tiny-gallery"), "--locale", "it IT", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "not a locale name" in result.output
    assert not (tmp_path / "out").exists()


# -- a well-formed locale nobody knows: refused; with --force-locale created, with a warning ------
@pytest.mark.parametrize("locale", ["zz", "qq_QQ"])
def test_init_refuses_a_language_nobody_knows_without_force_locale(sample_po, locale):
    before = po_files(sample_po)
    result = run("init", str(sample_po / "tiny-gallery"), "--locale", locale)
    assert result.exit_code == 2
    assert "is not a language transkit knows" in result.output and "--force-locale" in result.output
    assert po_files(sample_po) == before


def test_init_warns_when_the_language_is_unknown(sample_po):
    result = run("init", str(sample_po / "tiny-gallery"), "--locale", "qq_QQ", "--force-locale")
    assert result.exit_code == 0
    created = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-qq_QQ.po"
    assert created.is_file()
    assert "warning: 'qq' is not a language transkit knows" in result.output
    assert "nplurals=2" in result.output  # the guessed rule is shown, so it can be checked


def test_init_of_a_known_locale_has_no_warning(sample_po):
    result = run("init", str(sample_po / "tiny-gallery"), "--locale", "fr_FR")
    assert result.exit_code == 0 and "warning" not in result.output


# -- fill with no catalog of that locale: say so, list what is there, point at init ----------------
def test_fill_of_a_locale_without_a_catalog_says_how_to_start_one(sample_po):
    plugin = sample_po / "tiny-gallery"
    before = po_files(sample_po)
    result = run("fill", str(plugin), "--locale", "de_DE", "--provider", "tm")
    assert result.exit_code == 3
    assert "no de_DE catalog under" in result.output
    assert "catalogs found: it_IT" in result.output
    assert f"transkit init {plugin} --locale de_DE" in result.output
    assert po_files(sample_po) == before


def test_fill_with_the_memory_only_does_not_report_deepl(sample_po):
    result = run("fill", str(sample_po / "tiny-gallery"), "--locale", "it_IT", "--provider", "tm")
    assert result.exit_code == 0, result.output
    assert "memory:" in result.output
    assert "deepl:" not in result.output
    # nothing "above" explains it: the choice of provider does
    assert "see above" not in result.output
    assert "entries: --provider tm fills from the translation memory only" in " ".join(result.output.split())


# -- review --approve: the selector syntax is in --help, and its examples run ------------------------
def test_review_help_spells_out_the_selector_and_its_examples_run(sample_po):
    help_text = run("review", "--help").output
    assert '~ means "contains"' in help_text
    examples = [line.strip() for line in help_text.splitlines() if line.strip().startswith("transkit review ")]
    assert len(examples) >= 3
    assert run("fill", str(sample_po / "tiny-gallery"), "--locale", "it_IT", "--provider", "tm").exit_code == 0
    approved = 0
    for example in examples:
        words = example.replace("'", "").split()[2:]  # the shell would drop the quotes
        words = [str(sample_po) if word in ("PLUGIN", "wp-content") else word for word in words]
        if "--dry-run" not in words:
            words.append("--dry-run")
        result = run("review", *words)
        assert result.exit_code == 0, (example, result.output)
        approved += "Would approve 0 " not in result.output
    assert approved  # the examples match something on the sample plugins


# -- history takes the plugin's folder, like every other command -----------------------------------
def test_history_accepts_the_plugin_folder_as_the_other_commands_do(sample_po):
    plugin = sample_po / "tiny-gallery"
    assert run("fill", str(plugin), "--locale", "it_IT", "--provider", "tm").exit_code == 0
    by_folder = run("history", str(plugin), "--json")
    assert by_folder.exit_code == 0, by_folder.output
    by_name = run("history", "tiny-gallery", "--json")
    assert by_folder.output == by_name.output
    assert '"project": "tiny-gallery"' in by_folder.output


def test_history_of_a_folder_with_several_plugins_asks_for_one(sample_po):
    run("status", str(sample_po))
    result = run("history", str(sample_po))
    assert result.exit_code == 2
    assert "holds several projects" in result.output and "tiny-gallery" in result.output


# -- fill FILE --locale: the file's own language must match ------------------------------------------
def test_fill_refuses_a_po_file_of_another_language_and_writes_nothing(sample_po):
    po_path = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    before = po_path.read_bytes()
    result = run("fill", str(po_path), "--locale", "de_DE", "--provider", "tm")
    assert result.exit_code == 2
    assert "is a it_IT catalog" in result.output and "--locale it_IT" in result.output
    assert po_path.read_bytes() == before


def test_fill_of_a_po_file_in_its_own_language_still_runs(sample_po):
    po_path = sample_po / "hello-cli" / "po" / "it.po"  # Language: it, filled as it_IT
    result = run("fill", str(po_path), "--locale", "it_IT", "--provider", "tm")
    assert result.exit_code == 0, result.output
    assert "catalogs: 1" in result.output


# -- the README: every suggestion is written fuzzy, a 100% memory match too unless --trust-exact ---

@pytest.mark.parametrize("trust", [False, True])
def test_a_100_percent_memory_match_is_written_fuzzy_unless_trusted(sample_po, isolated_home, trust):
    from transkit.catalog import load_catalog

    plugin = sample_po / "tiny-gallery"
    assert run("scan", str(sample_po)).exit_code == 0  # the memory learns hello-cli's catalog
    result = run("fill", str(plugin), "--locale", "it_IT", "--provider", "tm", *(["--trust-exact"] if trust else []))
    assert result.exit_code == 0, result.output
    assert "exact" in result.output
    entry = next(e for e in load_catalog(plugin / "languages" / "tiny-gallery-it_IT.po").entries
                 if e.msgid == "Save Changes")  # word for word in hello-cli's it.po
    assert entry.msgstr == "Salva le modifiche"
    assert ("fuzzy" in entry.flags) is not trust


def test_transkit_without_a_command_and_no_terminal_prints_the_help():
    """`transkit | head` must not start a full-screen TUI nobody sees (it hung until killed)."""
    import subprocess

    result = subprocess.run(["transkit"], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("Usage: transkit"), result.stdout[:200]
