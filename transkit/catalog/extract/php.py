"""The gettext calls of PHP files, found with PHP's own tokenizer (``token_get_all``).

PHP's tokenizer is the only lexer that is right about PHP by definition: flexible heredocs (7.3),
attributes, ``match``, enums and ``?->`` (8.x) are whatever the installed PHP says they are, where
GNU xgettext 0.21 stops reading a file at its first PHP 7.3 heredoc without a word. It is also fast:
one ``php`` process tokenizes a thousand files in a fraction of a second, and only the calls of the
WordPress functions travel back (as JSON). The files are tokenized with ``TOKEN_PARSE`` so a syntax
error is reported with its line; such a file is then read again leniently (what WP-CLI always does),
so its strings are still found.

This module is the only one that runs ``php``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from transkit.catalog.extract.calls import PHP_FUNCTIONS, Argument, CallSite, Comment
from transkit.errors import TranskitError

# the PHP program (a file, so that PHP's JIT compiles it; see tokenizer.php for what it writes)
_TOKENIZER = Path(__file__).with_name("tokenizer.php")
# PHP's JIT (OPcache, PHP 8) halves the time of the loop over the tokens; without OPcache these are ignored
_JIT = ("-d", "opcache.enable_cli=1", "-d", "opcache.jit_buffer_size=32M", "-d", "opcache.jit=tracing")
# a php.ini's auto_prepend_file (a site's bootstrap, a profiler) would run before the tokenizer and
# write into its JSON
_NO_PREPENDED_FILES = ("-d", "auto_prepend_file=", "-d", "auto_append_file=")

@dataclass
class PhpFile:
    calls: list[CallSite]  # the JSON lists PHP wrote, in CallSite's field order
    comments: list[Comment]
    error: tuple[int, str, str] | None  # PHP's syntax error (line, message, PHP version); calls read leniently
    unreadable: str | None = None  # "unreadable": nothing was read
    invalid_utf8_line: int | None = None  # not valid UTF-8 from this line: its strings that are not were skipped


def php_path() -> str:
    found = shutil.which("php")
    if found is None:
        raise TranskitError("PHP (php-cli) was not found on PATH; transkit reads PHP sources with PHP's own "
                            "tokenizer — install it (apt install php-cli, brew install php)")
    return found


def scan_php_files(folder: Path, files: list[str], processes: int = 0) -> Iterator[PhpFile]:
    """The WordPress gettext calls of each file (paths relative to ``folder``), in the same order.

    A generator: each file's calls arrive while PHP tokenizes the next ones, so the caller's work on
    them overlaps PHP's. By default one ``php`` process: it tokenizes faster than the caller takes
    the calls in, so a second one adds its CPU (its start-up, two processes at the pipes) and saves
    no time. ``processes`` more share the files round-robin and are read in turn, so the order holds
    and none waits long on a full pipe."""
    if not files:
        return
    program = php_path()
    count = max(1, min(processes or 1, len(files)))
    with ExitStack() as stack:
        workers = [stack.enter_context(_Tokenizer(program, folder, files[start::count])) for start in range(count)]
        decode, php_file = json.JSONDecoder().decode, _php_file
        for index in range(len(files)):
            line = workers[index % count].stdout.readline()
            if not line:
                workers[index % count].fail()
            try:
                data = decode(line.decode("utf-8"))
            except ValueError:  # a php.ini's auto_prepend_file, an extension writing to stdout…
                workers[index % count].fail(f"it wrote {line[:60].decode('utf-8', 'replace').strip()!r}, "
                                            "not the tokenizer's JSON")
            yield php_file(data)
        for worker in workers:
            if worker.stdout.read() or worker.process.wait() != 0:
                worker.fail()


class _Tokenizer:
    """One ``php tokenizer.php`` process over some of the files."""

    def __init__(self, program: str, folder: Path, files: list[str]) -> None:
        self.program, self.folder, self.files = program, folder, files

    def __enter__(self) -> "_Tokenizer":
        self.errors = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                [self.program, "-d", "memory_limit=-1", "-d", "display_errors=stderr", "-d", "error_reporting=0",
                 *_NO_PREPENDED_FILES, *_JIT, str(_TOKENIZER), _FUNCTION_NAMES],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, cwd=self.folder)
        except OSError as exc:
            self.errors.close()
            raise TranskitError(f"php could not be started: {exc.strerror or exc}") from None
        # PHP reads the whole list before it writes a line, so this cannot block on a full pipe
        self.process.stdin.write("\0".join(self.files).encode("utf-8"))
        self.process.stdin.close()
        self.stdout = self.process.stdout
        return self

    def fail(self, instead: str = "") -> None:
        """PHP stopped early, failed or wrote more than a line per file: say what it said."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.errors.seek(0)
        message = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        raise TranskitError(f"php could not tokenize the sources: {message[0] if message else instead or 'no output'}")

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stdout.close()
        self.errors.close()


_FUNCTION_NAMES = json.dumps(sorted(PHP_FUNCTIONS))


def _php_file(data: list) -> PhpFile:
    error, calls, comments, decode, *invalid_utf8_line = data
    if type(error) is str:
        return PhpFile([], [], None, error)
    for call_index, argument_index, kind, *raw in decode:
        arguments = calls[call_index][2]
        name = arguments[argument_index][2]
        if kind == "s":
            value = decode_php_string(raw[0])
        elif kind == "c":  # literals joined with "."
            value = "".join(map(decode_php_string, raw))
        else:
            value = decode_heredoc(*raw)
        arguments[argument_index] = value if name is None else Argument(value, "", name)
    return PhpFile(calls, comments, tuple(error) if error else None, None,
                   invalid_utf8_line[0] if invalid_utf8_line else None)


_DOUBLE_QUOTED_ESCAPE = re.compile(
    r"\\(?:(?P<simple>[nrtvef\\$\"])|(?P<octal>[0-7]{1,3})|x(?P<hex>[0-9A-Fa-f]{1,2})|u\{(?P<uni>[0-9A-Fa-f]+)\})")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\", "$": "$", '"': '"'}


def decode_php_string(raw: str) -> str:
    """The value of a PHP single- or double-quoted literal, as PHP evaluates it."""
    if raw[:1] in "bB":
        raw = raw[1:]
    quote, body = raw[0], raw[1:-1]
    if quote == "'":
        return re.sub(r"\\([\\'])", r"\1", body) if "\\" in body else body
    return _unescape(body, double_quoted=True)


def decode_heredoc(start: str, body: str, end: str) -> str:
    """A heredoc/nowdoc's value: the closing marker's indentation removed from every line (PHP 7.3),
    escapes applied unless it is a nowdoc (``<<<'EOT'``)."""
    indentation = len(end) - len(end.lstrip(" \t"))
    body = body[:-1] if body.endswith("\n") else body
    body = body[:-1] if body.endswith("\r") else body
    if indentation:
        body = "\n".join(line[indentation:] for line in body.split("\n"))
    nowdoc = start.lstrip("bB<").lstrip().startswith("'")
    return body if nowdoc else _unescape(body, double_quoted=False)


def _unescape(body: str, double_quoted: bool) -> str:
    if "\\" not in body:
        return body
    pieces: list[bytes] = []
    position = 0
    for match in _DOUBLE_QUOTED_ESCAPE.finditer(body):
        simple = match.group("simple")
        if simple == '"' and not double_quoted:
            continue  # in a heredoc \" stays as written
        pieces.append(body[position:match.start()].encode("utf-8"))
        if simple:
            pieces.append(_SIMPLE[simple].encode("utf-8"))
        elif match.group("octal"):
            pieces.append(bytes([int(match.group("octal"), 8) & 0xFF]))
        elif match.group("hex"):
            pieces.append(bytes([int(match.group("hex"), 16)]))
        else:
            pieces.append(chr(int(match.group("uni"), 16)).encode("utf-8", "surrogatepass"))
        position = match.end()
    pieces.append(body[position:].encode("utf-8"))
    return b"".join(pieces).decode("utf-8", "replace")
