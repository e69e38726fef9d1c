"""`scan` and `status` at 80 columns: snapshots of what a person sees in a narrow terminal. Tables
fold between words (after "-" in a slug) or shorten a name from its start with "…"; no word is
broken in two and no line is wider than the terminal."""

from __future__ import annotations

import os
import re
import subprocess

from rich.cells import cell_len

COLUMNS = 80


def narrow(args: list[str], cwd, home) -> str:
    env = {**os.environ, "COLUMNS": str(COLUMNS), "TERM": "dumb"}
    result = subprocess.run(["transkit", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.replace(str(home / "data"), "<data>")


def assert_fits(text: str) -> None:
    too_wide = [line for line in text.splitlines() if cell_len(line) > COLUMNS]
    assert not too_wide, too_wide


def test_scan_at_80_columns(sample_po, isolated_home, snapshot):
    shown = narrow(["scan", "sample_po"], sample_po.parent, isolated_home)
    assert_fits(shown)
    assert " it_IT " in shown and "31% +8%" in shown  # a locale and its figures are never cut
    assert shown == snapshot


def test_status_at_80_columns(sample_po, isolated_home, snapshot):
    first = narrow(["status", "sample_po"], sample_po.parent, isolated_home)
    assert_fits(first)  # with the note that the review database was built, wrapped between words
    assert "Review database was empty" in " ".join(first.split())
    shown = narrow(["status", "sample_po"], sample_po.parent, isolated_home)  # the table alone
    assert_fits(shown)
    for name in ("quick-notes-it_IT.po", "tiny-gallery-it_IT.po"):  # whole, or its end after "…"
        assert name in shown or any(line.lstrip().startswith("…") and name.endswith(line.split()[0][1:])
                                    for line in shown.splitlines()), name
    assert shown == snapshot


def test_status_says_once_how_many_catalogs_wordpress_does_not_use_yet(sample_po, isolated_home):
    # the JSON listed a not-compiled problem per catalog; the table said nothing of it
    shown = " ".join(narrow(["status", "sample_po"], sample_po.parent, isolated_home).split())
    assert shown.count("note: 2 of these catalog(s) have no .mo or .l10n.php beside them, so WordPress does "
                       "not use them yet; `transkit compile` writes them") == 1
    narrow(["compile", "sample_po/tiny-gallery"], sample_po.parent, isolated_home)
    shown = " ".join(narrow(["status", "sample_po"], sample_po.parent, isolated_home).split())
    assert "note: 1 of these catalog(s) have no .mo" in shown


def test_scan_of_long_slugs_folds_after_hyphens(tmp_path, isolated_home):
    for slug in ("woocommerce-gateway-paypal-express-checkout", "woocommerce-payments"):
        folder = tmp_path / "plugins" / slug
        (folder / "languages").mkdir(parents=True)
        (folder / f"{slug}.php").write_text(f"<?php\n/*\n * Plugin Name: {slug}\n * Text Domain: {slug}\n */\n")
    shown = narrow(["scan", "plugins"], tmp_path, isolated_home)
    assert_fits(shown)
    for slug in ("woocommerce-gateway-paypal-express-checkout", "woocommerce-payments"):
        pieces = re.split(r"(?<=-)", slug)
        whole_pieces = {"".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)}
        fragments = [token for token in shown.split() if len(token) > 3 and token.strip(";") in slug]
        assert fragments and all(token.strip(";") in whole_pieces for token in fragments), fragments


def test_status_of_a_large_catalog_shows_every_figure_at_80_columns(tmp_path, isolated_home):
    """WordPress core's admin-de_DE.po has 27157 words: with two cells between columns the table
    did not fit and rich cut the figures ("1…" for 100%, "fuz…" for fuzzy)."""
    languages = tmp_path / "wp-content" / "languages"
    languages.mkdir(parents=True)
    entries = "".join(f'msgid "word {n} one two three four five six seven eight nine ten eleven"\n'
                      f'msgstr "Wort {n}"\n\n' for n in range(2400))
    header = 'msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (languages / "admin-network-de_DE.po").write_text(header + entries)
    shown = narrow(["status", "wp-content"], tmp_path, isolated_home)
    assert_fits(shown)
    assert "…" not in shown.splitlines()[0]  # every column title whole
    row = next(line for line in shown.splitlines() if "de_DE.po" in line)
    assert row.split()[-1] == "100" and "31200/31200" in row and "2400" in row.split(), row
    assert "admin-network-de_DE.po" in row or row.split()[0].startswith("…"), row
