"""What a gettext call in the sources means, whatever parser found it (PHP tokenizer, tree-sitter).

A parser reports ``CallSite``s: the function name, where it is, and each argument either as the
string it literally is or as a description of what it is instead ("a variable $label"). This module
turns a call site into a message of the template, or into the reason it was skipped, with the
argument positions of WP-CLI ``make-pot`` (its PhpCodeExtractor / JsCodeExtractor function maps).
It also decides which ``translators:`` comments belong to which call.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import itemgetter
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


def sprintf_placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` by make-pot's rule, in order (``%%`` is none)."""
    return _SPRINTF.findall(text) if "%" in text else []


class Argument(NamedTuple):
    """An argument that is not a plain positional literal (which a parser gives as its ``str``)."""

    value: str | None  # the string, when the argument is a literal string
    what: str = ""  # otherwise: "a variable ($label)", "a concatenation", …
    name: str | None = None  # PHP 8 named argument


class CallSite(NamedTuple):
    """A call as a parser reports it. A tuple, and read by index only, so the PHP side's JSON lists
    (written in this field order) serve as they are: a large plugin has 100,000 calls."""

    line: int
    function: str
    arguments: list  # each a str (a literal positional argument) or an Argument-shaped sequence
    position: float  # order in the file (token or byte offset), to place comments
    end: float  # position where the call's argument list ends
    statement_line: int  # first line of the statement the call is part of
    # 1 when an argument is named (PHP 8) or spread (``...$args``): roles then follow the names,
    # and every role from the spread on is the spread's
    irregular: int = 0


class Comment(NamedTuple):  # as CallSite: read by index, the PHP side's lists serve as they are
    text: str  # as written, markers included
    start_line: int
    end_line: int
    position: float


# reasons a call gives no message, as the summary names them
OTHER_DOMAIN = "other text domain"
NO_DOMAIN = "no text domain (WordPress core's)"
DOMAIN_NOT_LITERAL = "text domain is not a literal string"
MSGID_NOT_LITERAL = "msgid is not a literal string"
MSGID_NOT_UTF8 = "msgid is not valid UTF-8"
PART_NOT_LITERAL = "context or plural is not a literal string"
EMPTY_MSGID = "empty msgid"
# what a parser calls a spread argument (``__( ...$args )``) and PHP 8.1's ``__(...)``, which makes a
# closure: the arguments from there on are not known before the code runs
SPREAD, FIRST_CLASS_CALLABLE = "a spread argument", "a first-class callable"
# what tokenizer.php calls a literal of a file in another encoding (Latin-1…): no UTF-8 catalog has its bytes
NOT_UTF8 = "a string that is not valid UTF-8 (the file is in another encoding)"
# reasons worth a file:line warning: the call is (or may be) the plugin's and its string is lost
WARNED_REASONS = frozenset({DOMAIN_NOT_LITERAL, MSGID_NOT_LITERAL, MSGID_NOT_UTF8, PART_NOT_LITERAL})


class Roles(NamedTuple):
    """Where a function's strings are among its positional arguments (None: it has no such one)."""

    names: tuple[str, ...]
    plural: int | None
    context: int | None
    domain: int


def roles_of(functions: dict[str, tuple[str, ...]]) -> dict[str, Roles]:
    """``PHP_FUNCTIONS``/``JS_FUNCTIONS`` as positions, for ``interpret``."""
    return {name: Roles(roles, roles.index("plural") if "plural" in roles else None,
                        roles.index("context") if "context" in roles else None, roles.index("domain"))
            for name, roles in functions.items()}


def interpret(call, roles: Roles, domain: str | None) -> tuple[str | None, str | None, str | None]:
    """What a call gives: ``(msgid, plural, context)``, or ``(None, skip reason, detail)`` when it
    gives no message. ``domain`` None keeps every domain. Plain tuples: this runs once per call."""
    arguments = call[2]
    count = len(arguments)
    names, plural_at, context_at, domain_at = roles
    if call[6]:  # PHP 8 named arguments, a spread
        by_role = _by_role_irregular(arguments, names)
        msgid_arg, domain_arg = by_role.get("msgid"), by_role.get("domain")
        plural_arg = by_role.get("plural") if plural_at is not None else None
        context_arg = by_role.get("context") if context_at is not None else None
    else:
        msgid_arg = arguments[0] if count else None
        domain_arg = arguments[domain_at] if domain_at < count else None
        plural_arg = arguments[plural_at] if plural_at is not None and plural_at < count else None
        context_arg = arguments[context_at] if context_at is not None and context_at < count else None
    if domain is not None:
        if domain_arg is None:
            return None, NO_DOMAIN, ""
        if type(domain_arg) is not str:
            if domain_arg[0] is None:
                if msgid_arg is domain_arg:  # one spread holds both
                    return None, MSGID_NOT_LITERAL, f"msgid is {msgid_arg[1]}"
                if msgid_arg is not None and type(msgid_arg) is not str and msgid_arg[0] is None:
                    return None, MSGID_NOT_LITERAL, f"msgid is {msgid_arg[1]} and text domain is {domain_arg[1]}"
                return None, DOMAIN_NOT_LITERAL, f"text domain is {domain_arg[1]}"
            domain_arg = domain_arg[0]
        if domain_arg != domain:
            return None, OTHER_DOMAIN, domain_arg
    if msgid_arg is None:
        return None, EMPTY_MSGID, ""
    if type(msgid_arg) is not str:
        if msgid_arg[0] is None:
            return None, MSGID_NOT_LITERAL if msgid_arg[1] != NOT_UTF8 else MSGID_NOT_UTF8, f"msgid is {msgid_arg[1]}"
        msgid_arg = msgid_arg[0]
    if msgid_arg == "":
        return None, EMPTY_MSGID, ""
    if context_arg is not None and type(context_arg) is not str:
        if context_arg[0] is None:
            return None, PART_NOT_LITERAL, f"context is {context_arg[1]}"
        context_arg = context_arg[0]
    if plural_arg is not None and type(plural_arg) is not str:
        if plural_arg[0] is None:
            return None, PART_NOT_LITERAL, f"plural is {plural_arg[1]}"
        plural_arg = plural_arg[0]
    if plural_arg is None and plural_at is not None:
        plural_arg = ""
    return msgid_arg, plural_arg, context_arg


def _by_role_irregular(arguments: list, roles: tuple[str, ...]) -> dict:
    """Role -> argument when some are PHP 8 named arguments (the first argument of a role wins)
    or one is spread (it stands for every role from its position on; a positional argument after
    it has no known position)."""
    by_role: dict = {}
    spread = False
    for index, argument in enumerate(arguments):
        if type(argument) is not str and argument[2] is not None:
            role = _NAMED_ROLES.get(argument[2])
        elif spread:
            continue
        elif type(argument) is not str and argument[1].startswith((SPREAD, FIRST_CLASS_CALLABLE)):
            spread = True
            for role in roles[index:]:
                by_role.setdefault(role, argument)
            continue
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
    if "\n" not in raw and "\r" not in raw:  # most comments: one line
        return raw.strip().lstrip("*").strip()
    lines = (line.strip().lstrip("*").strip() for line in raw.splitlines())
    return " ".join(line for line in lines if line)


def is_translators_comment(text: str) -> bool:
    return text.startswith(("translators", "Translators"))


def assign_comments(calls: list[CallSite], comments: list[Comment], shared: bool = True) -> dict[int, list[str]]:
    """Index of a call → its ``translators:`` comments; ``calls`` in file order (as parsers give them).

    A comment belongs to the first call after it that starts on the line it ends on or the line
    after, and, when ``shared`` (PHP: make-pot's PHP scanner relates a comment to every such call),
    to the other calls up to the next comment that do, so two calls on the line under one comment
    both get it; in JS make-pot gives a comment to one call only (a minified bundle's one line
    holds many). Also to the first call after it when it ends on the line before that call's
    statement (``/* translators: */`` above a ``printf(`` whose ``__()`` is three lines down),
    unless that call has a comment of its own; and a comment inside a call's parentheses to that
    call alone."""
    found = []  # (position, end line, text)
    for comment in comments:
        text = comment_text(comment[0])
        if is_translators_comment(text):
            found.append((comment[3], comment[2], text))
    assigned: dict[int, list[str]] = {}
    if not found:
        return assigned
    above_statement: dict[int, list[str]] = {}
    found.sort(key=itemgetter(0))
    positions = [call[3] for call in calls]
    for number, (position, end_line, text) in enumerate(found):
        following = bisect_left(positions, position)  # the first call after the comment
        if following and position < calls[following - 1][4]:  # inside the previous call's parentheses
            assigned.setdefault(following - 1, []).append(text)
            continue
        if following < len(calls):
            call = calls[following]
            if end_line in (call[0], call[0] - 1):
                assigned.setdefault(following, []).append(text)
            elif end_line in (call[5], call[5] - 1):
                above_statement.setdefault(following, []).append(text)
        if not shared:
            continue
        until = bisect_left(positions, found[number + 1][0]) if number + 1 < len(found) else len(calls)
        for index in range(following + 1, until):  # more calls on the comment's line or the next
            if calls[index][0] > end_line + 1:
                break
            assigned.setdefault(index, []).append(text)
    for index, texts in above_statement.items():
        assigned.setdefault(index, texts)
    return assigned
