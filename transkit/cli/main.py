"""Entry point of the ``transkit`` command: a click group to which each command module adds itself."""

from __future__ import annotations

import importlib

import click

from transkit import __version__

# Each module exposes ``register(group)``. One line per module; keep the list sorted.
COMMAND_MODULES: tuple[str, ...] = (
    "transkit.cli.catalog_commands",
    "transkit.cli.check",
    "transkit.cli.db",
    "transkit.cli.export",
    "transkit.cli.extract",
    "transkit.cli.fill",
    "transkit.cli.glossary",
    "transkit.cli.memory",
    "transkit.cli.review",
    "transkit.cli.tui",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Translate the plugins you use and give the translation back to their maintainers.

    Without a command, opens the review TUI on the current folder.
    """
    if ctx.invoked_subcommand is None:
        tui_command = cli.get_command(ctx, "tui")
        if tui_command is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui_command)


for _module_name in COMMAND_MODULES:
    importlib.import_module(_module_name).register(cli)


def main() -> None:
    cli(prog_name="transkit")


if __name__ == "__main__":  # pragma: no cover
    main()
