"""`transkit tm export`: the translation memory as TMX, so it can move between machines either way
(`transkit tm import` reads it back)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from transkit.cli.common import console, escape, locale_option, run_guarded


def register(group: click.Group) -> None:
    tm_group = group.commands.get("tm")
    if not isinstance(tm_group, click.Group):  # transkit.cli.fill defines it; stand alone otherwise
        @group.group("tm")
        def tm_group():
            """The translation memory."""

    @tm_group.command("export")
    @click.argument("output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
    @click.option("--locale", "-l", callback=locale_option,
                  help="Only this locale's segments (default: every locale).")
    @click.option("--source-lang", default="en", show_default=True, help="The TMX srclang of the msgids.")
    @run_guarded
    def tm_export(output, locale, source_lang):
        """Write the memory (SQLite or the shared PostgreSQL one) as a TMX 1.4 file; '-' for stdout."""
        from transkit.files import atomic_write
        from transkit.suggest.tm import TranslationMemory

        buffer = io.BytesIO()
        with TranslationMemory() as tm:
            held = tm.stats()["locales"] if locale else {}
            if locale and locale not in held:  # a misspelt locale must not give an empty file in silence
                raise click.UsageError(f"the memory ({tm.path}) holds no {locale} segments; its locales: "
                                       f"{', '.join(held) or 'none yet'}")
            units = tm.export_tmx(buffer, locale=locale, source_lang=source_lang)
            where = tm.path
        if str(output) == "-":
            sys.stdout.buffer.write(buffer.getvalue())
            sys.stdout.flush()
            return
        atomic_write(output, buffer.getvalue())
        console.print(f"{escape(str(output))}: {units} translation units from {escape(str(where))}")
