"""A PO file for translate.wordpress.org (GlotPress) import.

GlotPress editors drown in bulk uploads of strings that are already translated, and GlotPress
demotes imported strings with warnings to "waiting". So the file holds only the entries the caller
chose (reviewed, check-clean), optionally only those not yet translated upstream (given the
project's own export from translate.wordpress.org), with the catalog's header kept as it is.

Plural order: GlotPress stores forms in the order of WordPress's rule for the locale. When the
catalog's Plural-Forms orders them differently, forms are re-ordered by evaluating both rules on
sample numbers; an entry whose forms cannot be mapped one-to-one is left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from transkit.catalog import Catalog, Entry
from transkit.catalog.locales import evaluate_plural, parse_plural_forms, plural_forms_for

_SAMPLE_NUMBERS = range(0, 1001)


@dataclass
class GlotPressReport:
    written: int = 0
    already_upstream: int = 0
    plural_unmappable: int = 0
    plural_forms: str = ""  # the Plural-Forms the file declares
    plural_reordered: bool = False
    skipped_keys: list[tuple[str | None, str]] = field(default_factory=list)


def plural_mapping(catalog_rule: str, target_rule: str) -> list[int] | None:
    """For each form of ``target_rule``, the catalog's form index holding it; None when the rules
    do not map one-to-one (e.g. the catalog has fewer forms than the locale needs)."""
    ours, theirs = parse_plural_forms(catalog_rule), parse_plural_forms(target_rule)
    if ours is None or theirs is None:
        return None
    (our_count, our_expr), (their_count, their_expr) = ours, theirs
    seen: dict[int, set[int]] = {j: set() for j in range(their_count)}
    for n in _SAMPLE_NUMBERS:
        seen.setdefault(evaluate_plural(their_expr, n), set()).add(evaluate_plural(our_expr, n))
    mapping = []
    for j in range(their_count):
        forms = seen.get(j, set())
        if len(forms) != 1:
            return None
        (form,) = forms
        if form >= our_count:
            return None
        mapping.append(form)
    return mapping


def _is_translated_upstream(upstream: Catalog | None, entry: Entry) -> bool:
    if upstream is None:
        return False
    theirs = upstream.find(entry.msgid, entry.msgctxt)
    return theirs is not None and theirs.is_translated()


def clean_copy(entry: Entry, forms: dict[int, str] | None = None) -> Entry:
    """A fresh entry with the same message, without fuzzy and without transkit bookkeeping."""
    return Entry(
        msgid=entry.msgid, msgstr=entry.msgstr, msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(forms if forms is not None else entry.msgstr_plural), msgctxt=entry.msgctxt,
        flags=[f for f in entry.flags if f != "fuzzy" and not f.startswith("transkit")],
        tcomment=strip_bookkeeping(entry.tcomment), comment=entry.comment,
        references=list(entry.references),
    )


def strip_bookkeeping(comment: str) -> str:
    """Translator comment lines that transkit itself wrote (``transkit: …``) are not for upstream."""
    lines = [line for line in comment.split("\n") if not line.lstrip().lower().startswith("transkit")]
    return "\n".join(lines).strip("\n")


def glotpress_catalog(catalog: Catalog, entries: Iterable[Entry], locale: str,
                      upstream: Catalog | None = None) -> tuple[Catalog, GlotPressReport]:
    """The catalog to upload; ``entries`` are the ones the caller allows (reviewed, check-clean)."""
    report = GlotPressReport()
    target_rule = plural_forms_for(locale)
    catalog_rule = catalog.plural_forms or target_rule
    mapping = plural_mapping(catalog_rule, target_rule)
    identity = mapping is not None and mapping == list(range(len(mapping))) and \
        parse_plural_forms(catalog_rule)[0] == len(mapping)
    report.plural_reordered = mapping is not None and not identity

    header = catalog.header_entry
    copied: list[Entry] = []
    if header is not None:
        copied.append(Entry(msgid="", msgstr=header.msgstr, tcomment=header.tcomment,
                            flags=[f for f in header.flags if f != "fuzzy"]))
    for entry in entries:
        if _is_translated_upstream(upstream, entry):
            report.already_upstream += 1
            report.skipped_keys.append(entry.key)
            continue
        if entry.is_plural and not identity:
            if mapping is None:
                report.plural_unmappable += 1
                report.skipped_keys.append(entry.key)
                continue
            forms = {j: entry.msgstr_plural.get(i, "") for j, i in enumerate(mapping)}
            copied.append(clean_copy(entry, forms))
        else:
            copied.append(clean_copy(entry))
        report.written += 1

    result = Catalog(copied, path=catalog.path, style=catalog.style)
    if report.plural_reordered:
        result.set_header("Plural-Forms", target_rule)
    report.plural_forms = result.plural_forms
    return result, report
