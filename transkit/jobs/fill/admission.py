"""May this suggestion be written? ``transkit.checks`` answers, for fill and the TUI alike.

A machine or memory suggestion is written only when it adds no error-level problem (something that
would break the site or that ``msgfmt -c`` rejects) that the maintainer's source does not already
have. "Already have" is measured by checking the source itself as the translation: a check id that
fails for the source copy on the same form is the source's own problem, not the suggestion's.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Sequence

from transkit.checks import CheckContext, Problem, run_checks

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry
    from transkit.suggest.mt import EntryResult

__all__ = ["new_errors", "refusal", "writable_forms"]


def _with_forms(entry: "Entry", forms: Sequence[str]) -> "Entry":
    """A copy of ``entry`` translated as ``forms`` (a shallow copy: dataclasses.replace would run
    ``__init__`` over every field, for every suggestion of a large fill)."""
    translated = copy.copy(entry)
    if entry.is_plural:
        translated.msgstr_plural = dict(enumerate(forms))
    else:
        translated.msgstr = forms[0]
    translated.flags = list(entry.flags)
    return translated


def new_errors(entry: "Entry", forms: Sequence[str], sources: Sequence[str],
               context: CheckContext) -> list[Problem]:
    """The error-level problems ``forms`` would bring into ``entry`` that its sources lack."""
    errors = [p for p in run_checks(_with_forms(entry, forms), context, errors_only=True) if p.is_error]
    if not errors:
        return []
    own = {(p.check, p.form) for p in run_checks(_with_forms(entry, sources), context, errors_only=True)
           if p.is_error}
    return [p for p in errors if (p.check, p.form) not in own]


def refusal(entry: "Entry", forms: Sequence[str], sources: Sequence[str], context: CheckContext) -> str | None:
    """Why ``forms`` may not be written into ``entry`` (None: they may)."""
    if len(forms) != len(sources) or not all(forms):
        return f"{sum(1 for f in forms if f)} of {len(sources)} forms translated"
    errors = new_errors(entry, forms, sources, context)
    if not errors:
        return None
    first = errors[0]
    where = f"msgstr[{first.form}]: " if first.form is not None else ""
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"check {first.check}: {where}{first.message}{more}"


def writable_forms(entry: "Entry", result: "EntryResult",
                   context: CheckContext) -> tuple[tuple[str, ...] | None, str | None]:
    """A provider's answer as ``(forms, None)`` when it may be written, else ``(None, reason)``."""
    if not result.ok:
        return None, result.problem or "no translation"
    reason = refusal(entry, result.forms, result.request.sources, context)
    return (None, reason) if reason else (result.forms, None)
