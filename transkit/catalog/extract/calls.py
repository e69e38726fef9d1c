"""What a gettext call in the sources means, whatever parser found it (PHP tokenizer, tree-sitter).

A parser reports ``CallSite``s: the function name, where it is, and each argument either as the
string it literally is or as a description of what it is instead ("a variable $label"). This module
turns a call site into a message of the template, or into the reason it was skipped, with the
argument positions of WP-CLI ``make-pot`` (its PhpCodeExtractor / JsCodeExtractor function maps).
It also decides which ``translators:`` comments belong to which call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# role of each positional argument; "number" is the count passed to _n()/_nx() (not a string)
_TEXT_DOMAIN = ("msgid", "domain")
_TEXT_CONTEXT_DOMAIN = ("msgid", "context", "domain")
_PLURAL_NUMBER_DOMAIN = ("msgid", "plural", "number", "domain")
_PLURAL_NUMBER_CONTEXT_DOMAIN = ("msgid", "plural", "number", "context", "domain")
_PLURAL_DOMAIN = ("msgid", "plural", "domain")
_PLURAL_CONTEXT_DOMAIN = ("msgid", "plural", "context", "domain")

PHP_FUNCTIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("__", "_e", "esc_attr__", "esc_html__", "esc_xml__", "esc_attr_e", "esc_html_e",
                     "esc_xml_e", "_", "_c"), _TEXT_DOMAIN),
    **dict.fromkeys(("_x", "_ex", "esc_attr_x", "esc_html_x", "esc_xml_x"), _TEXT_CONTEXT_DOMAIN),
    **dict.fromkeys(("_n", "_nc", "__ngettext"), _PLURAL_NUMBER_DOMAIN),
    "_nx": _PLURAL_NUMBER_CONTEXT_DOMAIN,
    **dict.fromkeys(("_n_noop", "__ngettext_noop"), _PLURAL_DOMAIN),
    "_nx_noop": _PLURAL_CONTEXT_DOMAIN,
}
# @wordpress/i18n (wp.i18n.__, an imported __, a bundler's (0, r.__) or Object(r.__))
JS_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "__": _TEXT_DOMAIN, "_x": _TEXT_CONTEXT_DOMAIN,
    "_n": _PLURAL_NUMBER_DOMAIN, "_nx": _PLURAL_NUMBER_CONTEXT_DOMAIN,
}
# PHP 8 named arguments: the parameter names WordPress gives these functions
_NAMED_ROLES = {"text": "msgid", "single": "msgid", "singular": "msgid", "plural": "plural",
                "number": "number", "context": "context", "domain": "domain"}

# WP-CLI's make-pot sets php-format / js-format when the msgid holds a sprintf placeholder; this is
# its rule (a % that is not %%, optional position, flags, width, precision, then a type letter),
# which differs on purpose from the checks' placeholder finder: it decides a flag, not a span.
_SPRINTF = re.compile(r"""(?<!%)%(?:\d+\$)?[+-]?(?:(?:0|'.)?-?\d*(?:\.(?:[ 0]|'.)?\d+)?|(?:\ )?-?\d+(?:\.(?:[ 0]|'.)?\d+)?)[bcdeEfFgGosuxX]""")


def has_sprintf_placeholder(text: str) -> bool:
    return "%" in text and _SPRINTF.search(text) is not None


class Argument(NamedTuple):  # a tuple: a large plugin has 100,000 of them
    value: str | None  # the string, when the argument is a literal string
    what: str = ""  # otherwise: "a variable ($label)", "a concatenation", …
    name: str | None = None  # PHP 8 named argument


@dataclass(slots=True)
class CallSite:
    function: str
    line: int
    arguments: list[Argument]
    position: float  # order in the file (token or byte offset), to place comments
    end: float  # position where the call's argument list ends
    statement_line: int  # first line of the statement the call is part of


@dataclass(slots=True)
class Comment:
    text: str  # as written, markers included
    start_line: int
    end_line: int
    position: float


class Message(NamedTuple):  # one per extracted call: a tuple is cheap
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    line: int


# reasons a call gives no message, as the summary names them
OTHER_DOMAIN = "other text domain"
NO_DOMAIN = "no text domain (WordPress core's)"
DOMAIN_NOT_LITERAL = "text domain is not a literal string"
MSGID_NOT_LITERAL = "msgid is not a literal string"
PART_NOT_LITERAL = "context or plural is not a literal string"
EMPTY_MSGID = "empty msgid"
# reasons worth a file:line warning: the call is (or may be) the plugin's and its string is lost
WARNED_REASONS = frozenset({DOMAIN_NOT_LITERAL, MSGID_NOT_LITERAL, PART_NOT_LITERAL})


def interpret(call: CallSite, roles: tuple[str, ...], domain: str | None) -> tuple[Message | None, str, str]:
    """(message, skip reason, detail); message None when skipped. ``domain`` None keeps every domain."""
    arguments = call.arguments
    for argument in arguments:
        if argument.name is not None:
            by_role = _by_role_with_names(arguments, roles)
            break
    else:
        by_role = dict(zip(roles, arguments))

    domain_arg = by_role.get("domain")
    msgid_arg = by_role.get("msgid")
    if domain is not None:
        if domain_arg is None:
            return None, NO_DOMAIN, ""
        if domain_arg.value is None:
            if msgid_arg is not None and msgid_arg.value is None:
                return None, MSGID_NOT_LITERAL, f"msgid is {msgid_arg.what} and text domain is {domain_arg.what}"
            return None, DOMAIN_NOT_LITERAL, f"text domain is {domain_arg.what}"
        if domain_arg.value != domain:
            return None, OTHER_DOMAIN, domain_arg.value
    if msgid_arg is None or msgid_arg.value == "":
        return None, EMPTY_MSGID, ""
    if msgid_arg.value is None:
        return None, MSGID_NOT_LITERAL, f"msgid is {msgid_arg.what}"
    parts = []  # context, plural
    for role in ("context", "plural"):
        argument = by_role.get(role) if role in roles else None
        if argument is not None and argument.value is None:
            return None, PART_NOT_LITERAL, f"{role} is {argument.what}"
        parts.append(argument.value if argument is not None else None)
    context, plural = parts
    if plural is None and "plural" in roles:
        plural = ""
    return Message(msgid_arg.value, plural, context, call.line), "", ""


def _by_role_with_names(arguments: list[Argument], roles: tuple[str, ...]) -> dict[str, Argument]:
    """Role -> argument when some are PHP 8 named arguments (the first argument of a role wins)."""
    by_role: dict[str, Argument] = {}
    for index, argument in enumerate(arguments):
        if argument.name is not None:
            role = _NAMED_ROLES.get(argument.name)
        else:
            role = roles[index] if index < len(roles) else None
        if role and role not in by_role:
            by_role[role] = argument
    return by_role


def comment_text(raw: str) -> str:
    """A comment without its markers, its lines trimmed and joined by spaces (as WP-CLI writes it)."""
    if raw.startswith("/*"):
        raw = raw[2:-2] if raw.endswith("*/") else raw[2:]
    elif raw.startswith("//"):
        raw = raw[2:]
    elif raw.startswith("#"):
        raw = raw[1:]
    lines = (line.strip().lstrip("*").strip() for line in raw.splitlines())
    return " ".join(line for line in lines if line)


def is_translators_comment(text: str) -> bool:
    return text.startswith(("translators", "Translators"))


def assign_comments(calls: list[CallSite], comments: list[Comment]) -> dict[int, list[str]]:
    """Index of a call → its ``translators:`` comments.

    A comment belongs to the first call after it when it ends on that call's line or the line
    before, or on the line before the statement the call is in (``/* translators: */`` above a
    ``printf(`` whose ``__()`` is three lines down); a comment inside a call's parentheses belongs
    to that call. Each comment is used once."""
    comments = sorted((c for c in comments if is_translators_comment(comment_text(c.text))),
                      key=lambda c: c.position)
    assigned: dict[int, list[str]] = {}
    if not comments:
        return assigned
    order = sorted(range(len(calls)), key=lambda i: calls[i].position)
    next_comment = 0
    for rank, index in enumerate(order):
        call = calls[index]
        following = calls[order[rank + 1]].position if rank + 1 < len(order) else None
        texts = []
        while next_comment < len(comments) and comments[next_comment].position < call.position:
            comment = comments[next_comment]
            next_comment += 1
            if comment.end_line in (call.line, call.line - 1) or \
                    comment.end_line in (call.statement_line, call.statement_line - 1):
                texts.append(comment_text(comment.text))
        inner = next_comment
        while inner < len(comments) and comments[inner].position < call.end and \
                (following is None or comments[inner].position < following):
            texts.append(comment_text(comments[inner].text))
            inner += 1
        next_comment = inner
        if texts:
            assigned[index] = texts
    return assigned
