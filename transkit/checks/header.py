"""Catalog-wide checks: the Plural-Forms header (as msgfmt -c judges it, then against the rule the
language really has) and the header fields a compiled catalog needs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from transkit.catalog.locales import parse_locale, plural_forms_for
from transkit.catalog.plural import MAX_NPLURALS, PluralExpressionError, compile_plural
from transkit.catalog.pofile import CHARSET_NAME
from transkit.checks.problem import ERROR, WARNING, Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog
    from transkit.checks.context import CheckContext

_DIGITS = re.compile(r"\s*(\d+)")


def check_header(catalog: "Catalog", context: "CheckContext") -> Iterator[Problem]:
    header_entry = catalog.header_entry
    # msgfmt keeps (and so checks) non-fuzzy entries whose first form is filled
    has_plurals = any(entry.is_plural and not entry.fuzzy and entry.translations[:1] != ['']
                      and entry.translations for entry in catalog.entries)
    if header_entry is None:
        if not catalog.is_template:
            # msgfmt -c refuses a catalog without header: no charset, no Plural-Forms
            # an empty file (or only comments): say so, not only that its header is missing
            empty = "" if catalog.all_entries else "the file is empty (no entries at all): "
            yield Problem("header-missing", ERROR,
                          f"{empty}the catalog has no header entry (msgid \"\"), so no charset and no Plural-Forms")
        return
    header = catalog.header
    if catalog.is_template:
        return
    if not header_entry.msgstr.strip():
        # msgfmt -c: "PO file header missing or invalid" (a fatal error)
        yield Problem("header-missing", ERROR, "the header entry (msgid \"\") is empty: no charset, no "
                                               "Plural-Forms")
        return
    yield from _plural_forms_problems(catalog, header.get("Plural-Forms", "").strip(), has_plurals)
    content_type = header.get("Content-Type", "")
    if "charset=" not in content_type:
        yield Problem("header-field", WARNING, "the header has no Content-Type charset")
    elif "charset=CHARSET" in content_type:
        yield Problem("header-field", WARNING, "the header's charset is still the template's CHARSET")
    else:
        written = re.search(r"charset\s*=\s*([^\s;]*)", content_type).group(1)
        name = re.search(CHARSET_NAME, content_type, re.I)
        if name is None or name.group(1) != written:
            # msgfmt: 'Charset "…" is not a portable encoding name'
            yield Problem("header-field", WARNING, f"the header's charset {written!r} is not a charset name, so "
                          "the file's bytes are read and compiled as they are (as msgfmt does); write e.g. UTF-8")
    if not header.get("Language", "").strip():
        yield Problem("header-field", WARNING, "the header has no Language field")
    yield from _lying_charset(catalog, context)


def _lying_charset(catalog: "Catalog", context: "CheckContext") -> Iterator[Problem]:
    """UTF-8 bytes under another declared charset: msgfmt copies the bytes, so the .mo happens to
    work on a UTF-8 site, but every other tool (Poedit, GlotPress, msgcat) shows mojibake."""
    if context.charset in ("utf-8", "utf_8"):
        return
    sample = "".join(text for entry in catalog.all_entries[:500] for text in (entry.msgid, *entry.translations)
                     if not text.isascii())
    if not sample:
        return
    try:
        as_utf8 = sample.encode(context.charset).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return
    if as_utf8 != sample:
        word = next((w for w in sample.split() if not w.isascii()), sample)[:20]
        yield Problem("charset-mismatch", WARNING,
                      f"the header declares charset {context.charset} but the text is UTF-8 ({word!r} is "
                      f"{word.encode(context.charset).decode('utf-8', 'replace')!r}); set charset=UTF-8 in "
                      "Content-Type")


def _plural_forms_problems(catalog: "Catalog", value: str, has_plurals: bool) -> Iterator[Problem]:
    if not value:
        if has_plurals:
            yield Problem("plural-header", ERROR,
                          "the catalog has plural translations but the header has no Plural-Forms")
        return
    # msgfmt looks for the literal "nplurals=" and "plural=" (no spaces before "=")
    nplurals_at = value.find("nplurals=")
    plural_at = value.replace("nplurals=", "n_______=").find("plural=")
    if nplurals_at < 0 or plural_at < 0:
        severity = ERROR if has_plurals else WARNING
        yield Problem("plural-header", severity,
                      f"Plural-Forms is malformed ({value!r}); expected "
                      "'nplurals=INTEGER; plural=EXPRESSION;'")
        return
    match = _DIGITS.match(value, nplurals_at + len("nplurals="))
    failed = False
    if match is None:
        yield Problem("plural-header", ERROR, f"Plural-Forms has an invalid nplurals value: {value!r}")
        failed = True
    expression = value[plural_at + len("plural="):].split(";")[0].strip()
    try:
        rule = compile_plural(expression)
    except PluralExpressionError as err:
        yield Problem("plural-header", ERROR,
                      f"Plural-Forms has an invalid plural expression ({err}): {expression[:200]!r}")
        return
    if failed:
        return
    nplurals = int(match.group(1))
    if not 0 < nplurals <= MAX_NPLURALS:
        yield Problem("plural-header", ERROR, f"Plural-Forms has nplurals={nplurals}; a language has 1 to 6 forms")
        return
    for n in range(1001):
        try:
            form = rule(n)
        except PluralExpressionError as err:
            yield Problem("plural-header", ERROR, f"{err} for n={n}")
            return
        if form >= nplurals:
            yield Problem("plural-header", ERROR,
                          f"nplurals={nplurals} but the plural expression gives form {form} for n={n}")
            return
    yield from _against_language(catalog.language, nplurals, rule)


def _against_language(language: str, nplurals: int, rule) -> Iterator[Problem]:
    """Plural-Forms copied from another language (a German file with Japanese's nplurals=1)."""
    if not language or parse_locale(language) is None:
        return
    try:
        expected = plural_forms_for(language)
    except ValueError:
        return
    expected_nplurals = int(_DIGITS.match(expected, expected.find("nplurals=") + 9).group(1))
    expected_rule = compile_plural(expected.split("plural=", 1)[1].split(";")[0].strip())
    if expected_nplurals != nplurals:
        yield Problem("plural-header", WARNING,
                      f"Plural-Forms has nplurals={nplurals}, but {language} has {expected_nplurals} "
                      f"plural forms ({expected})")
        return
    differing = [n for n in range(201) if rule(n) != expected_rule(n)]
    if differing:
        yield Problem("plural-header", WARNING,
                      f"the plural expression picks another form than {language}'s usual rule for "
                      f"n={differing[0]} ({expected})")
