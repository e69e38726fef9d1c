"""What every command module shares: the rich console, error rendering, exit codes."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Callable, TypeVar

import click
from rich.console import Console

from transkit.errors import ExitCode, TranskitError

# emoji=False: a msgid or path holding ":thumbs_up:" is printed as written, never as an emoji
console = Console(highlight=False, soft_wrap=True, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# catalogs the finder gives for a plugin from outside its folder (CatalogRef.origin), as compile and status name them
ORIGINS = {"wp-languages": "the language pack WordPress installed for {project}",
           "loco": "Loco's copy of {project}'s catalog"}
PACK_NOTE = ("WordPress loads it before the plugin's own catalog, and its next language pack update replaces "
             "these files")

F = TypeVar("F", bound=Callable)


def echo_json_error(message: str, exit_code: int, path: str | None = None, line: int | None = None) -> None:
    """What a --json command prints on stdout when it fails: one object a consumer can read instead of
    nothing, ``{"error": {"message", "exit_code", "kind", "path", "line"}}`` (``kind`` is the exit
    code's name: ``catalog``, ``config``, ``usage``…). The one line on stderr is still printed."""
    try:
        kind = ExitCode(exit_code).name.lower()
    except ValueError:
        kind = "error"
    click.echo(json.dumps({"error": {"message": message, "exit_code": int(exit_code), "kind": kind,
                                     "path": path, "line": line}}, indent=2, ensure_ascii=False))


def wants_json(ctx: click.Context | None, argv: list[str] | None = None) -> bool:
    """Whether the command of ``ctx`` was asked for --json: its parsed ``as_json``, or (when parsing
    failed before it was read) a ``--json`` among ``argv`` for a command that has that option."""
    if ctx is None:
        return False
    if ctx.params.get("as_json"):
        return True
    has_option = any(param.name == "as_json" for param in ctx.command.params)
    return has_option and "--json" in (argv or ())


def fail(err: TranskitError) -> "click.exceptions.Exit":
    """Print one clear message for a TranskitError and return the Exit to raise: on a terminal folded
    between words at its width (the terminal would cut a path or a word anywhere), in a log or a
    pipe one line, so a file:line stays one greppable line. Under --json, stdout gets the error
    as JSON too (``echo_json_error``)."""
    if wants_json(click.get_current_context(silent=True)):
        echo_json_error(str(err), int(err.exit_code), getattr(err, "path", None), getattr(err, "line", None))
    message = f"[bold red]error:[/] {escape(str(err))}"
    if err_console.is_terminal:
        print_folded(message, hang=2, stream=err_console)
    else:
        err_console.print(message)
    return click.exceptions.Exit(int(err.exit_code))


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def shorten_start(text: str, width: int) -> str:
    """``text``, or "…" and its end when it is wider than ``width`` cells: the end of a catalog's
    name or path says most (its locale), and a table then fits the terminal without breaking a
    word in two."""
    from rich.cells import cell_len

    if width < 2 or cell_len(text) <= width:
        return text
    tail = text
    while tail and cell_len(tail) > width - 1:
        tail = tail[1:]
    return "…" + tail


def shown_path(path) -> str:
    """A path relative to the current folder when it is under it (the lines stay short), else as given."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def print_no_catalogs(paths) -> None:
    """What a command that works on PO catalogs says when PATH… holds none (an empty folder, a
    template): never nothing at all."""
    console.print(f"No PO catalogs under {escape(' '.join(str(path) for path in paths))}")


def print_left_out(items, stream=None) -> None:
    """The catalog files the finder left out (``discover.LeftOut``), one folded line each: file (or
    bundled folder not searched), why, what to do."""
    for item in items:
        hint = f"; {item.hint}" if item.hint else ""
        hint += f", e.g. {shown_path(item.include)}" if item.include else ""
        shown = shown_path(item.path) + ("/" if item.is_folder else "")  # a vendor/ folder, not a file
        label = "left out:" if item.is_note else "[yellow]left out:[/]"  # bundled code: a note, as doctor counts it
        print_folded(f"{label} {escape(shown)}: {escape(item.reason)}{escape(hint)}", hang=2, stream=stream)


def shown_message(message: str, path) -> str:
    """An error or warning that starts with ``path`` (``/abs/x-de_DE.po:6: …``), naming it as
    ``shown_path`` does: the lines stay short enough to fit a terminal."""
    text = str(path)
    return shown_path(path) + message[len(text):] if message.startswith(text) else message


def shown_msgid(msgid: str, msgctxt: str | None = None, width: int = 60) -> str:
    """An entry as one line of at most ``width`` cells: its msgid in quotes, newlines and tabs
    written ``\\n`` / ``\\t``, cut with "…" when long, after its ``[msgctxt]``. Plain text."""
    from rich.cells import cell_len

    text = msgid.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    prefix = f"[{msgctxt}] " if msgctxt is not None else ""
    room = max(8, width - cell_len(prefix) - 2)
    if cell_len(text) > room:
        while text and cell_len(text) > room - 1:
            text = text[:-1]
        text += "…"
    return f'{prefix}"{text}"'


def free_width(rows: list[list[str]], total: int, column: int = 0, between: int = 2, edges: int = 0,
               minimum: int = 12) -> int:
    """How wide ``column`` of a table may be so the table fits ``total`` cells, given the plain text
    of every row's cells (every other column as wide as its widest cell; ``between`` cells separate
    two columns, ``edges`` cells the outer border and padding)."""
    from rich.cells import cell_len

    columns = max((len(row) for row in rows), default=1)
    others = sum(max((cell_len(row[i]) for row in rows if len(row) > i), default=0)
                 for i in range(columns) if i != column)
    return max(minimum, total - others - between * (columns - 1) - edges)


def fold_markup(markup: str, width: int, after: str = "-_/ "):
    """A cell (rich markup) as a Text broken into lines of at most ``width`` cells after one of the
    characters ``after`` (a space, "-", "_" or "/") or before "(", never inside a word; styles are kept.
    A file name is folded with ``after="-/ "``: never inside its locale (``it_`` / ``IT.po``)."""
    import re

    from rich.text import Text

    text = Text.from_markup(markup)
    plain = text.plain
    cuts, line_start, last_break = [], 0, None
    for match in re.finditer(rf"(?<=[{re.escape(after)}])|(?=\()", plain):
        position = match.start()
        if position - line_start > width and last_break is not None and last_break > line_start:
            cuts.append(last_break)
            line_start = last_break
        last_break = position
    if len(plain) - line_start > width and last_break is not None and last_break > line_start:
        cuts.append(last_break)
    if not cuts:
        return text
    lines = list(text.divide(cuts))
    for line in lines:
        line.rstrip()  # in place
    return Text("\n").join(lines)


def print_folded(markup: str, indent: int = 0, hang: int = 0, after: str = "/ ", stream=None) -> None:
    """Print ``markup`` folded at the terminal's width (``fold_markup``), its first line ``indent``
    cells in and the lines it folds into ``indent + hang``: an item of a list stays visibly one
    item. Lines break at spaces; one that still does not fit also after a character of ``after``
    (a path's "/"); a piece with no place to break is left whole."""
    from rich.text import Text

    def fold(text: Text, width: int) -> list[Text]:
        lines = []
        for line in fold_markup(text.markup, width, " ").split("\n"):  # between words first, then a path's "/"
            lines.extend(fold_markup(line.markup, width, after).split("\n") if line.cell_len > width else [line])
        return lines

    out = stream or console
    text = Text.from_markup(markup)
    first = fold(text, max(20, out.width - indent))[0]  # the first line takes the whole width
    rest = text[len(first.plain):]
    rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")):]
    lines = [first] + (fold(rest, max(20, out.width - indent - hang)) if rest.plain else [])
    folded = Text("\n").join([Text(" " * indent) + lines[0]]
                             + [Text(" " * (indent + hang)) + line for line in lines[1:]])
    out.print(folded, soft_wrap=True)  # folded already: rich must not fold it again


def fitted_table(headers: list[str], rows: list[list[str]], width: int, wrap_column: int,
                 **table_options):
    """A table that fits ``width`` cells with no word broken in two: every column takes its widest
    cell (and its header on one line), ``wrap_column`` what is left (at least a third of the width),
    and when that is not enough the widest other columns are folded too — all between words
    (``fold_markup``)."""
    from rich.table import Table
    from rich.text import Text

    plain = [[Text.from_markup(cell).plain for cell in row] for row in rows]
    # a header is one line: "of" above "template" read as two columns (QA at 80 columns)
    natural = [max([len(headers[i])] + [max((len(line) for line in row[i].split("\n")), default=0)
                                        for row in plain if len(row) > i])
               for i in range(len(headers))]
    between = 2  # no box: one cell of padding each side of a column, none at the edges
    budget = width - between * (len(headers) - 1)
    import re

    # the longest piece fold_markup cannot break, per column: a column is not made narrower than
    # that while another one can still give
    pieces = [max([len(headers[i])]
                  + [len(piece.strip()) for row in plain if len(row) > i
                     for piece in re.split(r"(?<=[-_/ ])|(?=\()", row[i])])
              for i in range(len(headers))]
    widths = list(natural)
    minimum_wrap = max(16, width // 4)
    while sum(widths) > budget:
        if widths[wrap_column] > minimum_wrap:
            widths[wrap_column] = max(minimum_wrap, widths[wrap_column] - (sum(widths) - budget))
            continue
        others = [i for i in range(len(widths)) if i != wrap_column]
        slack = max(others, key=lambda i: widths[i] - pieces[i])
        if widths[slack] > pieces[slack]:
            widths[slack] -= 1
            continue
        widest = max(others, key=lambda i: widths[i])  # every word at its length: "…" the widest
        if widths[widest] <= 6:
            break
        widths[widest] -= 1
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold", **table_options)
    for number, header in enumerate(headers):  # cells are folded already; a header is never cut
        table.add_column(header, min_width=widths[number], max_width=widths[number], overflow="ellipsis",
                         no_wrap=widths[number] >= len(header))
    for row in rows:
        table.add_row(*[fold_markup(cell, widths[i]) for i, cell in enumerate(row)])
    return table


def locale_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """click callback for ``--locale``: a malformed name is a usage error naming the option (exit 2);
    a well-formed one is given as catalogs and the stores name it (``de-DE`` → ``de_DE``, ``pt_br`` →
    ``pt_BR``), so a glossary or memory entered one way is found the other."""
    if value is None:
        return value
    from transkit.catalog.locales import parse_locale

    info = parse_locale(value)
    if info is None:
        raise click.BadParameter(f"{value!r} is not a locale name (expected e.g. it_IT, pt_BR, de_DE_formal)")
    return info.code


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
