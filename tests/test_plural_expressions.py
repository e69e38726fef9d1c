"""Plural-Forms expressions: the same forms as Python's gettext (an independent parser) on every
rule we know, msgfmt's verdict on broken ones, and no recursion limit on deep ones."""

from __future__ import annotations

import gettext
import re
import subprocess

import pytest

from tests.conftest import corpus_files
from transkit.catalog import parse_catalog
from transkit.catalog.locales import WORDPRESS_PLURAL_FORMS, parse_plural_forms
from transkit.catalog.plural import PluralExpressionError, compile_plural
from transkit.checks import check_catalog


def known_expressions() -> set[str]:
    found = {value.split("plural=", 1)[1].rstrip(";").strip() for value in WORDPRESS_PLURAL_FORMS.values()}
    for po in corpus_files("wordpress/**/*.po", "other/**/*.po"):
        match = re.search(rb'Plural-Forms: *nplurals *= *\d+ *; *plural *= *(.+?);? *\\n', po.read_bytes())
        if match:
            found.add(match.group(1).decode("utf-8", "replace").strip())
    return found


@pytest.mark.parametrize("expression", sorted(known_expressions()))
def test_same_forms_as_pythons_gettext(expression):
    reference = gettext.c2py(expression)
    ours = compile_plural(expression)
    assert [ours(n) for n in range(1002)] == [int(reference(n)) for n in range(1002)]


def po_with(plural_forms: str) -> bytes:
    return (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n'
            f'"Plural-Forms: {plural_forms}\\n"\n\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
            ).encode()


def msgfmt_accepts(data: bytes) -> bool:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", "-"], input=data, capture_output=True).returncode == 0


def header_errors(data: bytes) -> list[str]:
    return [p.message for entry, p in check_catalog(parse_catalog(data, "x.po")) if p.is_error]


@pytest.mark.parametrize("plural_forms", [
    "nplurals=2; plural=-n;", "nplurals=2; plural=n +;", "nplurals=2; plural=(n;", "nplurals=2; plural=n ? 1;",
    "nplurals=2; plural=10/(n-1) > 0;", "nplurals=2; plural=n % 0;", "nplurals=2; plural=n > 1 : 0;",
    "nplurals=0; plural=0;", "nplurals=2; plural=n x 1;",
])
def test_broken_rules_are_errors_as_msgfmt_says(plural_forms):
    data = po_with(plural_forms)
    assert not msgfmt_accepts(data)
    assert header_errors(data), plural_forms


@pytest.mark.parametrize("depth", [200, 1000])
def test_deep_nesting_is_no_recursion_error(depth):
    expression = "(" * depth + "n != 1" + ")" * depth
    rule = compile_plural(expression)
    assert [rule(n) for n in (0, 1, 2)] == [1, 0, 1]
    data = po_with(f"nplurals=2; plural={expression};")
    assert header_errors(data) == [] and msgfmt_accepts(data)


def test_deep_ternaries_and_not_chains():
    assert compile_plural("!" * 3000 + "n")(0) == 0  # an even number of negations
    chain = "n==0 ? 0 : " * 300 + "1"
    assert compile_plural(chain)(0) == 0 and compile_plural(chain)(5) == 1


def test_overlong_and_huge_counts_are_rejected_cleanly():
    with pytest.raises(PluralExpressionError, match="longer than"):
        compile_plural("+".join(["n"] * 5000))
    assert parse_plural_forms("nplurals=99999999999; plural=0;") is None
    assert header_errors(po_with("nplurals=99999999999; plural=0;"))


def test_c_unsigned_arithmetic_and_lazy_branches():
    assert compile_plural("n-1 < 5")(0) == 0  # unsigned long wraps around, as in gettext
    assert compile_plural("n == 0 ? 0 : 10 / n > 3")(0) == 0  # the branch not taken is not evaluated
    assert compile_plural("n != 0 && 10 / n > 3")(0) == 0
