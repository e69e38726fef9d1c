"""The gettext calls of JavaScript, TypeScript and JSX files, found with tree-sitter.

tree-sitter parses modern JS (JSX, optional chaining, classes) and TypeScript, recovers after a
syntax error (so the rest of a file is still read, and the error is reported with its line), and its
queries run in C. The callee forms are those WP-CLI resolves: ``__()``, ``wp.i18n.__()``,
``i18n.__()``, a bundler's ``(0, _i18n.__)()`` and webpack's ``Object(_i18n.__)()`` /
``Object(m["__"])()`` / ``Object(m[/* __ */ "a"])()``.

This module is the only one that imports tree_sitter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING

from transkit.catalog.extract.calls import JS_FUNCTIONS, SPREAD, Argument, CallSite, Comment

if TYPE_CHECKING:  # pragma: no cover
    import tree_sitter

JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
_QUERY = "(call_expression) @call (comment) @comment"
# a file without any of these bytes cannot hold a call of ours: not worth parsing
_MAY_HAVE_CALL = re.compile(rb"_[_xn]")


@dataclass
class JsFile:
    calls: list[CallSite]
    comments: list[Comment]
    error: tuple[int, str] | None


@lru_cache(maxsize=None)
def _language(suffix: str) -> tuple[tree_sitter.Parser, tree_sitter.Query, type[tree_sitter.QueryCursor]]:
    # imported here, not at the top: a plugin without JS (and every other command) never pays for it
    import tree_sitter
    import tree_sitter_javascript
    import tree_sitter_typescript

    if suffix in (".ts", ".mts", ".cts"):
        language = tree_sitter.Language(tree_sitter_typescript.language_typescript())
    elif suffix == ".tsx":
        language = tree_sitter.Language(tree_sitter_typescript.language_tsx())
    else:
        language = tree_sitter.Language(tree_sitter_javascript.language())
    return tree_sitter.Parser(language), tree_sitter.Query(language, _QUERY), tree_sitter.QueryCursor


def scan_js_source(source: bytes, suffix: str) -> JsFile:
    if not _MAY_HAVE_CALL.search(source):
        return JsFile([], [], None)
    parser, query, query_cursor = _language(suffix.lower())
    tree = parser.parse(source)
    captures = query_cursor(query).captures(tree.root_node)
    comments = [Comment(node.text.decode("utf-8", "replace"), node.start_point.row + 1,
                        node.end_point.row + 1, node.start_byte)
                for node in captures.get("comment", ()) if b"ranslators" in node.text]
    calls = []
    for call in captures.get("call", ()):
        callee, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or arguments is None or arguments.type != "arguments":
            continue  # a tagged template: __`text`
        name = _callee_name(callee)
        if name == "eval" and callee.type == "identifier":
            _add_eval(call, arguments, suffix, calls, comments)
            continue
        if name not in JS_FUNCTIONS:
            continue
        given = [node for node in arguments.named_children if node.type != "comment"]
        calls.append(CallSite(call.start_point.row + 1, name, [_argument(node) for node in given],
                              call.start_byte, arguments.end_byte, _statement_line(call),
                              int(any(node.type == "spread_element" for node in given))))
    calls.sort(key=lambda c: c.position)
    return JsFile(calls, comments, _first_error(tree.root_node) if tree.root_node.has_error else None)


def _add_eval(call: tree_sitter.Node, arguments: tree_sitter.Node, suffix: str, calls: list[CallSite],
              comments: list[Comment]) -> None:
    """``eval("__('Hi', 'd')")``: the calls in the evaluated string, at the line of the eval (as WP-CLI)."""
    literal = [a for a in arguments.named_children if a.type != "comment"]
    if not literal or literal[0].type != "string":
        return
    code = _string_value(literal[0]).encode("utf-8")
    inner = scan_js_source(code, suffix)
    line, statement_line = call.start_point.row + 1, _statement_line(call)
    scale = len(code) + 2  # inner offsets become fractions of a byte, so the order around the eval holds
    for found in inner.calls:
        calls.append(CallSite(line, found.function, found.arguments, call.start_byte + (found.position + 1) / scale,
                              call.start_byte + (found.end + 1) / scale, statement_line, found.irregular))
    for comment in inner.comments:
        comments.append(Comment(comment.text, line, line, call.start_byte + (comment.position + 1) / scale))


def _callee_name(node: tree_sitter.Node) -> str | None:
    kind = node.type
    if kind == "identifier":
        return node.text.decode()
    if kind == "member_expression":
        prop = node.child_by_field_name("property")
        return prop.text.decode() if prop is not None else None
    if kind == "parenthesized_expression":  # (0, _i18n.__)
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) == 1 and inner[0].type == "sequence_expression":
            parts = [c for c in inner[0].named_children if c.type != "comment"]
            if len(parts) == 2 and parts[0].type in ("number", "string") and \
                    parts[1].type in ("identifier", "member_expression"):
                return _callee_name(parts[1])
        return None
    if kind == "call_expression":  # webpack's Object(m.__) and Object(m["__"])
        function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if function is None or function.text != b"Object" or arguments is None:
            return None
        inner = [c for c in arguments.named_children if c.type != "comment"]
        if not inner:
            return None
        if inner[0].type == "member_expression":
            return _callee_name(inner[0])
        if inner[0].type == "subscript_expression":
            index = inner[0].child_by_field_name("index")
            mangled = [c for c in inner[0].named_children if c.type == "comment"]
            if len(mangled) == 1 and mangled[0].text.startswith(b"/*"):
                return mangled[0].text[2:-2].decode().strip()
            if index is not None and index.type == "string":
                return _string_value(index)
    return None


def _statement_line(node: tree_sitter.Node) -> int:
    while node.parent is not None and node.parent.type != "program" and \
            not node.type.endswith(("statement", "declaration")):
        node = node.parent
    return node.start_point.row + 1


def _argument(node: tree_sitter.Node) -> str | Argument:
    """The string of a literal; an Argument saying what it is otherwise."""
    kind = node.type
    if kind == "string":
        return _string_value(node)
    if kind == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return Argument(None, "a template string with ${…}")
        return _string_value(node)
    if kind == "identifier":
        return Argument(None, f"a variable ({node.text.decode()})")
    if kind == "binary_expression":
        return Argument(None, "a concatenation")
    if kind == "call_expression":
        return Argument(None, "a function call")
    if kind == "number":
        return Argument(None, "a number")
    if kind == "spread_element":
        return Argument(None, f"{SPREAD} ({_shortened(node.text.decode('utf-8', 'replace'))})")
    return Argument(None, "an expression")


def _shortened(code: str, limit: int = 40) -> str:
    code = " ".join(code.split())
    return code if len(code) <= limit else code[:limit - 1] + "…"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _string_value(node: tree_sitter.Node) -> str:
    parts = []
    for child in node.named_children:
        text = child.text.decode("utf-8", "replace")
        if child.type == "string_fragment":
            parts.append(text)
        elif child.type == "escape_sequence":
            parts.append(_unescape(text))
    return "".join(parts)


def _unescape(sequence: str) -> str:
    body = sequence[1:]
    if body[:1] in ("\n", "\r"):  # a line continuation
        return ""
    if body[:1] == "x":
        return chr(int(body[1:3], 16))
    if body.startswith("u{"):
        return chr(int(body[2:-1], 16))
    if body[:1] == "u":
        return chr(int(body[1:5], 16))
    return _ESCAPES.get(body, body)


def _first_error(root: tree_sitter.Node) -> tuple[int, str]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            return node.start_point.row + 1, f"syntax error: missing {node.type!r}"
        if node.type == "ERROR":
            snippet = node.text.decode("utf-8", "replace").split("\n")[0][:30]
            return node.start_point.row + 1, f"syntax error near {snippet!r}"
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return root.start_point.row + 1, "syntax error"
