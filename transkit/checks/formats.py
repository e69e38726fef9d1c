"""Format strings as GNU gettext understands them, so that our `error`s agree with `msgfmt -c`.

For each ``*-format`` flag msgfmt parses msgid (msgid_plural for plural entries) and every msgstr
form; when the msgid parses, each msgstr form must parse too and must use the same arguments with
the same types. "Strict" comparison (every msgid argument present in msgstr) applies to singular
entries and to plural forms that the language uses for many numbers; a form used only for a few
numbers (English "one") may leave arguments out. The parsers below follow gettext 0.21's rules
(format-c.c, format-php.c, format-python.c, format-python-brace.c): they were checked against
msgfmt on random strings (tests/test_checks_formats.py), not copied from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# flag name -> our format kind
FORMAT_FLAGS = {
    "c-format": "c",
    "php-format": "php",
    "python-format": "python",
    "python-brace-format": "python-brace",
}


@dataclass
class FormatSpec:
    """The arguments a format string consumes.

    ``named``: argument name (python) or number (php) -> type; ``unnamed``: types in order (c, python
    tuples); ``spans``: (start, end) of every directive, for pointing at the problem.
    """

    named: dict = field(default_factory=dict)
    unnamed: list = field(default_factory=list)
    spans: list = field(default_factory=list)


class InvalidFormat(ValueError):
    """The string is not a valid format string of its kind; ``args[0]`` says why."""


def _digits_end(text: str, position: int) -> int:
    while position < len(text) and "0" <= text[position] <= "9":
        position += 1
    return position


def _char(text: str, position: int) -> str:
    return text[position] if position < len(text) else ""


# -- C ----------------------------------------------------------------------------------------------
_C_SIZES = {"h", "l", "L", "q", "j", "z", "Z", "t"}


def parse_c(text: str, translated: bool = False) -> FormatSpec:
    spec = FormatSpec()
    numbered: list[tuple[int, str]] = []
    unnumbered: list[str] = []
    position = 0
    count = 0

    def add(number: int, arg_type: str) -> None:
        if number:
            if unnumbered:
                raise InvalidFormat("the string mixes numbered (%n$) and unnumbered directives")
            numbered.append((number, arg_type))
        else:
            if numbered:
                raise InvalidFormat("the string mixes numbered (%n$) and unnumbered directives")
            unnumbered.append(arg_type)

    def star_argument(position: int) -> int:
        # `*` or `*N$`: the width/precision is itself an int argument
        end = _digits_end(text, position)
        if end > position and _char(text, end) == "$":
            number = int(text[position:end])
            if number == 0:
                raise InvalidFormat(f"in directive {count}, the width argument number is 0")
            add(number, "int")
            return end + 1
        add(0, "int")
        return position

    while True:
        position = text.find("%", position)
        if position < 0:
            break
        start = position
        position += 1
        count += 1
        number = 0
        end = _digits_end(text, position)
        if end > position and _char(text, end) == "$":
            number = int(text[position:end])
            if number == 0:
                raise InvalidFormat(f"in directive {count}, the argument number is 0")
            position = end + 1
        while _char(text, position) in (" ", "+", "-", "#", "0", "'") or (
                translated and _char(text, position) == "I"):
            if _char(text, position) == "":
                break
            position += 1
        if _char(text, position) == "*":
            position = star_argument(position + 1)
        else:
            position = _digits_end(text, position)
        if _char(text, position) == ".":
            position += 1
            if _char(text, position) == "*":
                position = star_argument(position + 1)
            else:
                position = _digits_end(text, position)
        size = ""
        while _char(text, position) in _C_SIZES and _char(text, position):
            letter = text[position]
            if letter == "h":
                size = "hh" if size in ("h", "hh") else "h"
            elif letter == "l":
                size = "ll" if size in ("l", "ll") else "l"
            elif letter in "Lq":
                size = "ll"
            else:
                size = letter.lower()
            position += 1
        conversion = _char(text, position)
        if conversion == "":
            raise InvalidFormat("the string ends in the middle of a directive")
        if conversion in "%m":
            arg_type = ""
        elif conversion == "c":
            arg_type = "wchar" if size in ("l", "ll") else "char"
        elif conversion == "C":
            arg_type = "wchar"
        elif conversion == "s":
            arg_type = "wstring" if size in ("l", "ll") else "string"
        elif conversion == "S":
            arg_type = "wstring"
        elif conversion in "di":
            arg_type = "int" + size
        elif conversion in "uoxX":
            arg_type = "uint" + size
        elif conversion in "eEfFgGaA":
            arg_type = "longdouble" if size == "ll" else "double"
        elif conversion == "p":
            arg_type = "pointer"
        elif conversion == "n":
            arg_type = "count" + size
        else:
            raise InvalidFormat(
                f"in directive {count}, {conversion!r} is not a valid conversion specifier")
        position += 1
        if arg_type:
            add(number, arg_type)
        spec.spans.append((start, position))
    if numbered:
        by_number: dict[int, str] = {}
        for number, arg_type in numbered:
            if by_number.setdefault(number, arg_type) != arg_type:
                raise InvalidFormat(f"the string uses argument {number} in incompatible ways")
        highest = max(by_number)
        for number in range(1, highest + 1):
            if number not in by_number:
                raise InvalidFormat(
                    f"the string refers to argument {highest} but ignores argument {number}")
        spec.unnamed = [by_number[n] for n in range(1, highest + 1)]
    else:
        spec.unnamed = unnumbered
    return spec


# -- PHP --------------------------------------------------------------------------------------------
_PHP_TYPES = {**dict.fromkeys("bduoxX", "int"), "e": "float", "f": "float", "c": "char", "s": "string"}


def parse_php(text: str, translated: bool = False) -> FormatSpec:
    spec = FormatSpec()
    position = 0
    count = 0
    unnumbered_count = 0
    while True:
        position = text.find("%", position)
        if position < 0:
            break
        start = position
        position += 1
        count += 1
        if _char(text, position) == "%":
            position += 1
            continue
        unnumbered_count += 1
        number = unnumbered_count
        end = _digits_end(text, position)
        if end > position and _char(text, end) == "$":
            number = int(text[position:end])
            if number == 0:
                raise InvalidFormat(f"in directive {count}, the argument number is 0")
            position = end + 1
            unnumbered_count -= 1
        while True:
            letter = _char(text, position)
            if letter and letter in "0- ":
                position += 1
            elif letter == "'":
                if position + 1 >= len(text):
                    raise InvalidFormat("the string ends in the middle of a directive")
                position += 2
            else:
                break
        position = _digits_end(text, position)
        if _char(text, position) == ".":
            if "0" <= _char(text, position + 1) <= "9" and _char(text, position + 1):
                position = _digits_end(text, position + 1)
        if _char(text, position) == "l":
            position += 1
        conversion = _char(text, position)
        if conversion == "":
            raise InvalidFormat("the string ends in the middle of a directive")
        if conversion not in _PHP_TYPES:
            raise InvalidFormat(
                f"in directive {count}, {conversion!r} is not a valid conversion specifier")
        position += 1
        arg_type = _PHP_TYPES[conversion]
        if spec.named.setdefault(number, arg_type) != arg_type:
            raise InvalidFormat(f"the string uses argument {number} in incompatible ways")
        spec.spans.append((start, position))
    return spec


# -- Python %-format --------------------------------------------------------------------------------
_PY_TYPES = {"c": "char", **dict.fromkeys("sra", "any"), **dict.fromkeys("diuoxX", "int"),
             **dict.fromkeys("eEfFgG", "float")}


def parse_python(text: str, translated: bool = False) -> FormatSpec:
    spec = FormatSpec()
    position = 0
    count = 0

    def add(name: str | None, arg_type: str) -> None:
        if name is None:
            if spec.named:
                raise InvalidFormat("the string mixes named %(name)s and unnamed %s directives")
            spec.unnamed.append(arg_type)
        else:
            if spec.unnamed:
                raise InvalidFormat("the string mixes named %(name)s and unnamed %s directives")
            if spec.named.setdefault(name, arg_type) != arg_type:
                raise InvalidFormat(f"the string uses argument {name!r} in incompatible ways")

    while True:
        position = text.find("%", position)
        if position < 0:
            break
        start = position
        position += 1
        count += 1
        name = None
        if _char(text, position) == "(":
            depth = 0
            scan = position + 1
            while scan < len(text):
                if text[scan] == "(":
                    depth += 1
                elif text[scan] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                scan += 1
            if scan >= len(text):
                raise InvalidFormat("the string ends in the middle of a directive")
            name = text[position + 1:scan]
            position = scan + 1
        while _char(text, position) and _char(text, position) in "-+ #0":
            position += 1
        if _char(text, position) == "*":
            add(None, "int")
            position += 1
        else:
            position = _digits_end(text, position)
        if _char(text, position) == ".":
            position += 1
            if _char(text, position) == "*":
                add(None, "int")
                position += 1
            else:
                position = _digits_end(text, position)
        if _char(text, position) and _char(text, position) in "hlL":
            position += 1
        conversion = _char(text, position)
        if conversion == "":
            raise InvalidFormat("the string ends in the middle of a directive")
        if conversion == "%":
            arg_type = ""
        elif conversion in _PY_TYPES:
            arg_type = _PY_TYPES[conversion]
        else:
            raise InvalidFormat(
                f"in directive {count}, {conversion!r} is not a valid conversion specifier")
        position += 1
        if name is not None:
            add(name, arg_type or "any")
        elif arg_type:
            add(None, arg_type)
        spec.spans.append((start, position))
    return spec


# -- Python str.format ------------------------------------------------------------------------------
def _is_name_char(letter: str) -> bool:
    return letter.isalnum() or letter == "_"


def parse_python_brace(text: str, translated: bool = False) -> FormatSpec:
    spec = FormatSpec()
    position = 0

    def field_at(position: int, depth: int) -> int:
        """Parse a replacement field whose ``{`` is just before position; return the end."""
        start = position
        while position < len(text) and _is_name_char(text[position]):
            position += 1
        if position == start:
            raise InvalidFormat(f"a field name cannot start with {_char(text, position)!r}")
        name = text[start:position]
        if name[0].isdigit() and not name.isdigit():
            raise InvalidFormat(f"field name {name!r} is neither a number nor an identifier")
        while _char(text, position) in (".", "["):
            if text[position] == ".":
                position += 1
                attr_start = position
                while position < len(text) and _is_name_char(text[position]):
                    position += 1
                if position == attr_start:
                    raise InvalidFormat("an attribute name is empty")
            else:
                close = text.find("]", position + 1)
                if close < 0 or close == position + 1:
                    raise InvalidFormat("an index is not terminated")
                position = close + 1
        if _char(text, position) == ":":
            position += 1
            while True:
                letter = _char(text, position)
                if letter == "":
                    raise InvalidFormat("the string ends in the middle of a directive")
                if letter == "}":
                    break
                if letter == "{":
                    if depth > 0:
                        raise InvalidFormat("replacement fields are nested too deeply")
                    position = field_at(position + 1, depth + 1)
                    continue
                position += 1
        if _char(text, position) != "}":
            raise InvalidFormat("a replacement field is not terminated by '}'")
        spec.named[name] = "any"
        spec.spans.append((start - 1, position + 1))
        return position + 1

    while position < len(text):
        letter = text[position]
        if letter == "{":
            if _char(text, position + 1) == "{":
                position += 2
            else:
                position = field_at(position + 1, 0)
        elif letter == "}" and _char(text, position + 1) == "}":
            position += 2  # gettext 0.21 lets a lone "}" pass as text
        else:
            position += 1
    return spec


PARSERS = {"c": parse_c, "php": parse_php, "python": parse_python, "python-brace": parse_python_brace}


def compare_formats(kind: str, source: FormatSpec, translation: FormatSpec, strict: bool) -> str | None:
    """Why ``translation`` cannot replace ``source`` (None when it can), as msgfmt decides."""
    if kind == "c":
        want, have = source.unnamed, translation.unnamed
        if (len(want) != len(have)) if strict else (len(have) > len(want)):
            return f"{len(want)} format directives in the source, {len(have)} in the translation"
        for index, arg_type in enumerate(have):
            if want[index] != arg_type:
                return f"argument {index + 1} has a different type in the translation"
        return None
    if kind == "python" and source.named and translation.unnamed:
        return "the source expects a mapping (%(name)s), the translation a tuple (%s)"
    if kind == "python" and source.unnamed and translation.named:
        return "the source expects a tuple (%s), the translation a mapping (%(name)s)"
    for name in sorted(translation.named, key=str):
        if name not in source.named:
            return f"argument {_show(kind, name)} of the translation does not exist in the source"
    if strict:
        for name in sorted(source.named, key=str):
            if name not in translation.named:
                return f"argument {_show(kind, name)} is missing from the translation"
    for name, arg_type in translation.named.items():
        if not _types_agree(kind, source.named[name], arg_type, strict):
            return f"argument {_show(kind, name)} has a different type in the translation"
    if kind == "python" and (source.unnamed or translation.unnamed):
        if len(source.unnamed) != len(translation.unnamed):
            return (f"{len(source.unnamed)} format directives in the source, "
                    f"{len(translation.unnamed)} in the translation")
        for index, (want, have) in enumerate(zip(source.unnamed, translation.unnamed)):
            if not _types_agree(kind, want, have, strict):
                return f"argument {index + 1} has a different type in the translation"
    return None


def _types_agree(kind: str, want: str, have: str, strict: bool) -> bool:
    # gettext compares types exactly, plural form or not (%s and %r are both "any" in Python)
    return want == have


def _show(kind: str, name) -> str:
    return f"'{name}'" if kind in ("python", "python-brace") else f"{name}"
