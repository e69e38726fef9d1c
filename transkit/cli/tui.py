"""``transkit tui [PATH]``: open the review TUI on a folder (dashboard) or a catalog file."""

from __future__ import annotations

from pathlib import Path

import click

from transkit.cli.common import run_guarded


def register(group: click.Group) -> None:
    group.add_command(tui)


@click.command("tui")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@run_guarded
def tui(path: Path) -> None:
    """Review translations in the terminal: the catalogs under PATH (a folder, or a .po/.pot file).

    PATH defaults to the current folder.
    """
    if not path.exists():
        from transkit.errors import CatalogError

        raise CatalogError("no such file or folder", path)
    from transkit.tui import run

    run(path)
