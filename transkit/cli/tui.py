"""``transkit tui [PATH…]``: open the review TUI on folders (dashboard) or a catalog file."""

from __future__ import annotations

from pathlib import Path

import click

from transkit.cli.common import run_guarded


def register(group: click.Group) -> None:
    group.add_command(tui)


@click.command("tui")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@run_guarded
def tui(paths: tuple[Path, ...]) -> None:
    """Review translations in the terminal: the catalogs under PATH… (folders, or a .po/.pot file).

    PATH defaults to the current folder. One catalog file opens its editor; a folder, or several
    paths, open the dashboard of every catalog under them.
    """
    paths = paths or (Path("."),)
    for path in paths:
        if not path.exists():
            from transkit.errors import CatalogError

            raise CatalogError("no such file or folder", path)
    from transkit.tui import run

    run(list(paths) if len(paths) > 1 else paths[0])
