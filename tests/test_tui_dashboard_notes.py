"""The dashboard says what scan and doctor note (QA: it was silent): a catalog of another text
domain than its plugin's carries the domain on its row, and a line under the title counts those
and the language packs of plugins that are not installed."""

from __future__ import annotations

import subprocess

from textual.widgets import DataTable, Static

from transkit.tui.app import TranskitApp

from tui_helpers import settle

PO = """msgid ""
msgstr ""
"Language: de_DE\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Hello"
msgstr "Hallo"
"""


def write_po(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO)
    return path


async def test_dashboard_notes_other_domains_and_packs_of_plugins_not_installed(tmp_path):
    wp_content = tmp_path / "wp-content"
    plugin = wp_content / "plugins" / "acme"
    plugin.mkdir(parents=True)
    (plugin / "acme.php").write_text("<?php\n/*\nPlugin Name: Acme\nText Domain: acme\n*/\n")
    blocks = write_po(plugin / "languages" / "acme-blocks-de_DE.po")  # the plugin's own domain has no de_DE
    subprocess.run(["msgfmt", "-o", str(blocks.with_suffix(".mo")), str(blocks)], check=True)
    write_po(wp_content / "languages" / "plugins" / "gone-plugin-de_DE.po")
    app = TranskitApp(wp_content)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        rows = {str(row.key.value).rsplit("/", 1)[-1]: [str(cell) for cell in table.get_row(row.key)]
                for row in table.ordered_rows}
        assert rows["acme-blocks-de_DE.po"][1] == "de_DE (acme-blocks)"
        assert rows["gone-plugin-de_DE.po"][1] == "de_DE"
        title = " ".join(str(app.screen.query_one("#dashboard-title", Static).render()).split())
        assert ("Notes: 1 catalog of a text domain other than its plugin's (shown after the locale); "
                "1 language pack of a plugin or theme that is not installed (WordPress never loads it). "
                "`transkit doctor` says which, and whether WordPress loads them.") in title, title
