"""Plural forms: the catalog's rule, which forms are used for many numbers, and per-entry counts."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from transkit.catalog.locales import evaluate_plural, parse_plural_forms, plural_forms_for
from transkit.checks.problem import ERROR, Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.checks.context import CheckContext, EntryView

DEFAULT_RULE = (2, "n != 1")


def plural_rule_of(plural_forms: str, language: str) -> tuple[int, str]:
    """(nplurals, expression) from the header, else the language's usual rule, else English's."""
    parsed = parse_plural_forms(plural_forms) if plural_forms else None
    if parsed is not None:
        return parsed
    if language:
        try:
            parsed = parse_plural_forms(plural_forms_for(language))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed
    return DEFAULT_RULE


@lru_cache(maxsize=64)
def often_used_forms(expression: str, nplurals: int) -> tuple[bool, ...]:
    """For each form, whether the rule picks it for more than a handful of n in 0..1000.

    msgfmt compares such forms strictly (they must keep every format argument: a Russian form 0
    serves 1, 21, 31… so it must print the number), while a form used only for a few numbers, like
    English "one", may drop the count. Same sampling as gettext's check: n = 0..1000, "often" = more
    than 5 hits.
    """
    hits = [0] * max(nplurals, 1)
    try:
        for n in range(1001):
            form = evaluate_plural(expression, n)
            if 0 <= form < len(hits):
                hits[form] += 1
    except ValueError:  # e.g. divides by zero for some n
        return tuple([True] * max(nplurals, 1))
    return tuple(count > 5 for count in hits)


def check_plural_forms(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """A plural entry needs exactly nplurals forms, all filled (msgfmt rejects a wrong count;
    GlotPress skips a translation with an empty form)."""
    entry = view.entry
    if not entry.is_plural:
        return
    forms = entry.translations
    if len(forms) != context.nplurals:
        yield Problem("plural-count", ERROR,
                      f"{len(forms)} plural forms, but the catalog's Plural-Forms has nplurals="
                      f"{context.nplurals}")
    for index, text in enumerate(forms):
        if not text:
            yield Problem("plural-empty", ERROR, f"plural form msgstr[{index}] is empty", form=index)


CHECKS = [check_plural_forms]
