"""What every command module shares: the rich console, error rendering, exit codes."""

from __future__ import annotations

import functools
import sys
from typing import Callable, TypeVar

import click
from rich.console import Console

from transkit.errors import ExitCode, TranskitError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable)


def fail(err: TranskitError) -> "click.exceptions.Exit":
    """Print one clear line for a TranskitError and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {escape(str(err))}")
    return click.exceptions.Exit(int(err.exit_code))


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def locale_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """click callback for ``--locale``: a malformed name is a usage error naming the option (exit 2)."""
    if value is None:
        return value
    from transkit.catalog.locales import parse_locale

    if parse_locale(value) is None:
        raise click.BadParameter(f"{value!r} is not a locale name (expected e.g. it_IT, pt_BR, de_DE_formal)")
    return value


def run_guarded(function: F) -> F:
    """Decorator for command callbacks: TranskitError → one line + exit code; Ctrl-C → exit 130."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TranskitError as err:
            raise fail(err) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; finished work was kept")
            raise click.exceptions.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:  # `transkit scan | head`
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None

    return wrapper  # type: ignore[return-value]
