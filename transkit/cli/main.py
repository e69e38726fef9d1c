"""Entry point of the ``transkit`` command: a click group to which each command module adds itself."""

from __future__ import annotations

import importlib
import sys

import click

from transkit import __version__

# Each module exposes ``register(group)``; here, the top-level commands it adds. One line per module,
# sorted. A module is imported only when one of its commands runs (or for the full ``--help``): start-up
# time is what a person waits for on every command. tests/test_cli_lazy.py checks this table against
# what ``register`` adds.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "transkit.cli.catalog_commands": ("doctor", "init", "scan", "update"),
    "transkit.cli.check": ("check",),
    "transkit.cli.db": ("db",),
    "transkit.cli.export": ("compile", "export"),
    "transkit.cli.extract": ("extract",),
    "transkit.cli.fill": ("fill", "tm"),
    "transkit.cli.glossary": ("glossary",),
    "transkit.cli.memory": ("tm",),
    "transkit.cli.review": ("history", "review", "status"),
    "transkit.cli.team": ("team",),
    "transkit.cli.tui": ("tui",),
}


class LazyGroup(click.Group):
    """click's documented lazy-loading group: a command's module is imported when the command is asked for."""

    def __init__(self, *args, command_modules: dict[str, tuple[str, ...]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pending = dict(command_modules)

    def _load(self, name: str | None) -> None:
        for module_name, names in list(self._pending.items()):
            if name is None or name in names:
                del self._pending[module_name]
                importlib.import_module(module_name).register(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = {name for names in self._pending.values() for name in names}
        return sorted(names | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["transkit.argv"] = list(args)  # what was typed: a usage error under --json is JSON too
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        """A usage error (a missing path, a bad option value) of a command asked for --json also
        prints the error as JSON on stdout, as its other failures do (``common.fail``)."""
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            if err.ctx is not None and err.ctx is not ctx:
                # only on this error path: the common module (rich) is not loaded for every command
                from transkit.cli.common import echo_json_error, wants_json

                if wants_json(err.ctx, ctx.meta.get("transkit.argv")):
                    echo_json_error(err.format_message(), err.exit_code)
            raise


@click.group(cls=LazyGroup, command_modules=COMMAND_MODULES, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Translate the plugins you use and give the translation back to their maintainers.

    Without a command, opens the review TUI on the current folder.
    """
    if ctx.invoked_subcommand is None:
        tui_command = cli.get_command(ctx, "tui")
        # piped or redirected (`transkit | head`): a full-screen TUI there would hang unseen
        if tui_command is None or not (sys.stdin.isatty() and sys.stdout.isatty()):
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui_command)


def main() -> None:
    cli(prog_name="transkit")


if __name__ == "__main__":  # pragma: no cover
    main()
