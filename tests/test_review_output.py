"""What `transkit review --approve … --dry-run` shows a person at an 80-column terminal: each entry
it would approve on one line (newlines written \\n), under its catalog when there are several."""

from __future__ import annotations

import shutil

from narrow_terminal import assert_fits, transkit_at_80


def test_dry_run_lists_each_entry_on_one_line_under_its_catalog(sample_po):
    done = transkit_at_80("review", sample_po, "--approve", "all", "--dry-run", cwd=sample_po)
    out = done.stdout
    assert_fits(out)
    lines = out.splitlines()
    # hello-cli's msgid "Hello, %s!\n": one line, its newline written as \n, not a blank line after it
    assert '  "Hello, %s!\\n"' in lines
    assert "" not in lines
    heading = lines.index("hello-cli/po/it.po")
    assert lines[heading + 1] == '  "Hello, %s!\\n"'
    assert '  [menu] "Quit"' in lines
    assert lines.index("tiny-gallery/languages/tiny-gallery-it_IT.po") > heading
    assert "Would approve 18 entries in 3 catalog(s). Held back 1 with errors." in out


def test_dry_run_on_wordpress_core_fits_80_columns(corpus_dir, tmp_path):
    core = tmp_path / "languages"
    core.mkdir()
    shutil.copy(corpus_dir / "wordpress" / "wordpress-core" / "de_DE" / "admin-de_DE.po", core)
    done = transkit_at_80("review", core, "--approve", "msgid~Plugins hook", "--dry-run", cwd=tmp_path)
    assert_fits(done.stdout)
    entry = [line for line in done.stdout.splitlines() if line.startswith('  "Plugins hook')]
    assert len(entry) == 1 and entry[0].endswith("…\"")
    assert "Would approve 1 entry in 1 catalog(s)." in done.stdout


def test_review_names_a_catalog_it_leaves_out_for_want_of_a_locale(sample_po, monkeypatch):
    import json as json_module

    from click.testing import CliRunner

    from transkit.cli.main import cli

    monkeypatch.chdir(sample_po)
    nameless = sample_po / "tiny-gallery" / "languages" / "tiny-gallery.po"
    nameless.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        '#, fuzzy\nmsgid "Close"\nmsgstr "Chiudi"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "tiny-gallery", "--approve", "state=fuzzy", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "left out: tiny-gallery/languages/tiny-gallery.po: no locale" in " ".join(result.output.split())
    report = json_module.loads(CliRunner().invoke(
        cli, ["review", "tiny-gallery", "--approve", "state=fuzzy", "--dry-run", "--json"]).stdout)
    assert [item["path"] for item in report["left_out"]] == [str(nameless)]
