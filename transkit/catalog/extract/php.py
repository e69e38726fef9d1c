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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from transkit.catalog.extract.calls import PHP_FUNCTIONS, Argument, CallSite, Comment
from transkit.errors import TranskitError

# Reads NUL-separated paths on stdin; writes one JSON line per file:
# {"error": [line, message, PHP version] | null, "calls": [[line, name, position, end, statement line, [args]]],
#  "comments": [[text, start line, end line, position]]}; an argument is the value of a literal PHP
# decodes trivially (single-quoted, or double-quoted without a backslash), else ["v", value],
# ["s", raw literal], ["h", heredoc start, body, heredoc end] or ["x", what it is instead], these
# followed by the argument's name when it is a named one.
_TOKENIZER = r'''
if (!function_exists('token_get_all')) { fwrite(STDERR, "PHP's tokenizer extension is not installed\n"); exit(3); }
$functions = array_flip(json_decode($argv[1], true));
$skip_before = [T_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW, T_CONST];
if (defined('T_NULLSAFE_OBJECT_OPERATOR')) { $skip_before[] = T_NULLSAFE_OBJECT_OPERATOR; }
$skip_before = array_flip($skip_before);
$fq = defined('T_NAME_FULLY_QUALIFIED') ? T_NAME_FULLY_QUALIFIED : -1;
$noise = [T_WHITESPACE => 1, T_COMMENT => 1, T_DOC_COMMENT => 1];
$opens = ['(' => 1, '[' => 1, '{' => 1];
$closes = [')' => 1, ']' => 1, '}' => 1];
$statement_ends = [';' => 1, '{' => 1, '}' => 1];
$tags = [T_OPEN_TAG => 1, T_CLOSE_TAG => 1, T_OPEN_TAG_WITH_ECHO => 1];
$input = stream_get_contents(STDIN);
foreach ($input === '' ? [] : explode("\0", $input) as $path) {
  $code = @file_get_contents($path);
  $error = null;
  if ($code === false) { echo json_encode(['error' => [0, 'cannot be read', PHP_VERSION], 'calls' => [], 'comments' => []]), "\n"; continue; }
  try {
    $tokens = token_get_all($code, TOKEN_PARSE);
  } catch (Throwable $e) {
    $error = [$e->getLine(), $e->getMessage(), PHP_VERSION];
    $tokens = token_get_all($code);
  }
  $count = count($tokens);
  $calls = []; $comments = [];
  $last_call = -1; $last_statement_line = 1;
  for ($i = 0; $i < $count; $i++) {
    $token = $tokens[$i];
    if (!is_array($token)) { continue; }
    $type = $token[0];
    if ($type === T_COMMENT || $type === T_DOC_COMMENT) {
      if (stripos($token[1], 'translators') !== false) {
        $comments[] = [$token[1], $token[2], $token[2] + substr_count($token[1], "\n"), $i];
      }
      continue;
    }
    if ($type !== T_STRING && $type !== $fq) { continue; }
    $name = $type === T_STRING ? $token[1] : ltrim($token[1], '\\');
    if (!isset($functions[$name])) { continue; }
    $line = $token[2];
    // not a method ($x->__(), X::__()), a definition (function __()) or a constant
    $p = $i - 1;
    while ($p >= 0 && is_array($tokens[$p]) && isset($noise[$tokens[$p][0]])) { $p--; }
    if ($p >= 0 && is_array($tokens[$p]) && isset($skip_before[$tokens[$p][0]])) { continue; }
    $j = $i + 1;
    while ($j < $count && is_array($tokens[$j]) && isset($noise[$tokens[$j][0]])) { $j++; }
    if ($j >= $count || $tokens[$j] !== '(') { continue; }
    $args = []; $current = []; $depth = 0; $end = $count;
    for ($k = $j + 1; $k < $count; $k++) {
      $t = $tokens[$k];
      if (is_array($t)) {
        if (isset($noise[$t[0]])) { continue; }
        if ($t[0] === T_CURLY_OPEN || $t[0] === T_DOLLAR_OPEN_CURLY_BRACES) { $depth++; }
        $current[] = $t;
        continue;
      }
      if (isset($closes[$t]) && $depth === 0) { if ($current) { $args[] = $current; } $end = $k; break; }
      if ($t === ',' && $depth === 0) { $args[] = $current; $current = []; continue; }
      if (isset($opens[$t])) { $depth++; } elseif (isset($closes[$t])) { $depth--; }
      $current[] = $t;
    }
    $described = [];
    foreach ($args as $arg) {
      $arg_name = null;
      if (count($arg) > 2 && is_array($arg[0]) && $arg[0][0] === T_STRING && $arg[1] === ':') {
        $arg_name = $arg[0][1]; $arg = array_slice($arg, 2);
      }
      $n = count($arg);
      $first = $n ? $arg[0] : null;
      if ($n === 1 && is_array($first) && $first[0] === T_CONSTANT_ENCAPSED_STRING) {
        $raw = $first[1];
        $quote = $raw[0];
        if ($quote === "'") {  // the common case, decoded here: only \\ and \' are escapes
          $d = ['v', strtr(substr($raw, 1, -1), ['\\\\' => '\\', "\\'" => "'"])];
        } elseif ($quote === '"' && strpos($raw, '\\') === false) {
          $d = ['v', substr($raw, 1, -1)];
        } else {
          $d = ['s', $raw];
        }
      } elseif ($n >= 2 && is_array($first) && $first[0] === T_START_HEREDOC && is_array($arg[$n - 1])
                && $arg[$n - 1][0] === T_END_HEREDOC && ($n === 2 || ($n === 3 && $arg[1][0] === T_ENCAPSED_AND_WHITESPACE))) {
        $d = ['h', $first[1], $n === 3 ? $arg[1][1] : '', $arg[$n - 1][1]];
      } else {
        $what = 'an expression';
        $dot = false; $interpolated = false; $depth = 0;
        foreach ($arg as $t) {
          if (is_array($t)) {
            if ($t[0] === T_VARIABLE || $t[0] === T_CURLY_OPEN || $t[0] === T_DOLLAR_OPEN_CURLY_BRACES) {
              if ($first === '"' || (is_array($first) && $first[0] === T_START_HEREDOC)) { $interpolated = true; }
            }
          } elseif (isset($opens[$t])) { $depth++; } elseif (isset($closes[$t])) { $depth--; }
          elseif ($t === '.' && $depth === 0) { $dot = true; }
        }
        if ($n === 0) { $what = 'missing'; }
        elseif ($dot) { $what = 'a concatenation'; }
        elseif ($interpolated) { $what = is_array($first) ? 'a heredoc with interpolation' : 'a string with interpolation'; }
        elseif ($n === 1 && is_array($first) && $first[0] === T_VARIABLE) { $what = 'a variable (' . $first[1] . ')'; }
        elseif ($n === 1 && is_array($first) && $first[0] === T_STRING) { $what = 'a constant (' . $first[1] . ')'; }
        elseif (is_array($first) && $first[0] === T_VARIABLE) { $what = 'an expression on ' . $first[1]; }
        elseif (is_array($first) && $first[0] === T_STRING && $n > 1 && $arg[1] === '(') { $what = 'a function call (' . $first[1] . '())'; }
        $d = ['x', $what];
      }
      if ($arg_name !== null) { $d[] = $arg_name; }
      $described[] = ($d[0] === 'v' && $arg_name === null) ? $d[1] : $d;
    }
    // the first line of the statement: back to a ; { } or PHP tag, or to the previous call
    $statement_line = $line;
    for ($q = $i - 1; $q >= 0; $q--) {
      if ($q === $last_call) { $statement_line = $last_statement_line; break; }
      $t = $tokens[$q];
      if (is_array($t)) {
        if (isset($noise[$t[0]])) { continue; }
        if (isset($tags[$t[0]])) { break; }
        $statement_line = $t[2];
      } elseif (isset($statement_ends[$t])) { break; }
    }
    $last_call = $i; $last_statement_line = $statement_line;
    $calls[] = [$line, $name, $i, $end, $statement_line, $described];
  }
  echo json_encode(['error' => $error, 'calls' => $calls, 'comments' => $comments],
                   JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
'''


@dataclass
class PhpFile:
    calls: list[CallSite]
    comments: list[Comment]
    error: tuple[int, str, str] | None  # PHP's syntax error (line, message, PHP version); calls read leniently


def php_path() -> str:
    found = shutil.which("php")
    if found is None:
        raise TranskitError("PHP (php-cli) was not found on PATH; transkit reads PHP sources with PHP's own "
                            "tokenizer — install it (apt install php-cli, brew install php)")
    return found


def scan_php_files(folder: Path, files: list[str]) -> Iterator[PhpFile]:
    """The WordPress gettext calls of each file (paths relative to ``folder``), in the same order.

    A generator: each file's calls arrive while PHP tokenizes the next ones, so the caller's work on
    them overlaps PHP's."""
    if not files:
        return
    program = php_path()
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                [program, "-d", "memory_limit=-1", "-d", "display_errors=stderr", "-d", "error_reporting=0",
                 "-r", _TOKENIZER, json.dumps(sorted(PHP_FUNCTIONS))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, cwd=folder)
        except OSError as exc:
            raise TranskitError(f"php could not be started: {exc.strerror or exc}") from None
        try:
            # PHP reads the whole list before it writes a line, so this cannot block on a full pipe
            process.stdin.write("\0".join(files).encode("utf-8"))
            process.stdin.close()
            produced = 0
            for line in process.stdout:
                produced += 1
                yield _php_file(json.loads(line))
            code = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if code != 0 or produced != len(files):
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise TranskitError(f"php could not tokenize the sources: {message[0] if message else 'no output'}")


def _php_file(data: dict) -> PhpFile:
    calls = [CallSite(name, line, [_argument(a) for a in args], position, end, statement_line)
             for line, name, position, end, statement_line, args in data["calls"]]
    comments = [Comment(text, start, end, position) for text, start, end, position in data["comments"]]
    error = tuple(data["error"]) if data["error"] else None
    return PhpFile(calls, comments, error)


def _argument(described: str | list) -> Argument:
    if type(described) is str:  # a literal PHP decoded already: most arguments
        return Argument(described)
    kind = described[0]
    if kind == "v":
        value, name = described[1], (described[2] if len(described) > 2 else None)
    elif kind == "s":
        value, name = decode_php_string(described[1]), (described[2] if len(described) > 2 else None)
    elif kind == "h":
        value, name = decode_heredoc(*described[1:4]), (described[4] if len(described) > 4 else None)
    else:
        return Argument(None, described[1], described[2] if len(described) > 2 else None)
    return Argument(value, "", name)


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
