"""Create a translation from a template (msginit) and update it from a newer one (msgmerge).

Both work on the catalog model, so entries that do not change keep their exact bytes: updating a
translation whose template did not move produces a file identical to the old one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from transkit.catalog.locales import locale_display_name, parse_locale, parse_plural_forms, plural_forms_for
from transkit.catalog.model import Catalog, Entry
from transkit.catalog.pofile import load_catalog
from transkit.config import Identity
from transkit.errors import CatalogError


@dataclass(frozen=True)
class TurnedFuzzy:
    """An exact match whose translation the update marked fuzzy (it is kept, but no longer used)."""
    line: int  # of the entry's msgid in the catalog before the update
    msgctxt: str | None
    msgid: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "msgctxt": self.msgctxt, "msgid": self.msgid, "reason": self.reason}


@dataclass
class MergeReport:
    kept: int = 0  # exact matches, translation kept as it was
    turned_fuzzy: list[TurnedFuzzy] = field(default_factory=list)  # exact matches the update made fuzzy
    fuzzy: list[str] = field(default_factory=list)  # msgids matched to a similar old message
    added: int = 0  # new untranslated entries
    obsoleted: int = 0  # entries no longer in the template, now #~
    revived: int = 0  # obsolete entries back in the template
    dropped: int = 0  # untranslated entries no longer in the template, removed (as msgmerge does)

    def as_dict(self) -> dict:
        return {"kept": self.kept, "fuzzy": len(self.fuzzy), "added": self.added,
                "obsoleted": self.obsoleted, "revived": self.revived, "dropped": self.dropped,
                "turned_fuzzy": [item.as_dict() for item in self.turned_fuzzy]}


def _now() -> str:
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")


def _resize_plural_forms(entry: Entry, nplurals: int) -> None:
    if entry.is_plural:
        for index in range(nplurals):
            entry.msgstr_plural.setdefault(index, "")
        for index in [i for i in entry.msgstr_plural if i >= nplurals and not entry.msgstr_plural[i]]:
            del entry.msgstr_plural[index]


def init_catalog(template_path: str | Path, locale: str, target: str | Path,
                 identity: Identity | None = None, overwrite: bool = False) -> Catalog:
    """A new translation of ``template_path`` for ``locale``, saved at ``target`` (msginit semantics:
    Language, Plural-Forms for the language, charset UTF-8, the translator's identity)."""
    info = parse_locale(locale)
    if info is None:
        raise CatalogError(f"{locale!r} is not a locale name (expected e.g. it_IT, pt_BR, de_DE_formal)")
    target = Path(target)
    if target.exists() and not overwrite:
        raise CatalogError("already exists; use `transkit update` to merge a newer template", target)
    catalog = load_catalog(template_path)
    catalog.path = target
    plural_forms = plural_forms_for(locale)
    nplurals = parse_plural_forms(plural_forms)[0]
    header = catalog.header_entry
    if header is not None:
        header.fuzzy = False
        header.tcomment = "\n".join(
            line.replace("SOME DESCRIPTIVE TITLE.", f"{locale_display_name(locale)} translation.")
            for line in header.tcomment.split("\n")) if header.tcomment else header.tcomment
    who = identity.as_header() if identity and identity.is_set else "FULL NAME <EMAIL@ADDRESS>"
    fields = {
        "PO-Revision-Date": _now(),
        "Last-Translator": who,
        "Language-Team": f"{locale_display_name(locale)}",
        "Language": info.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    for name, value in fields.items():
        catalog.set_header(name, value)
    catalog.style.encoding = "utf-8"
    for entry in catalog.entries:
        _resize_plural_forms(entry, nplurals)
    catalog.save(target)
    return catalog


def merge_template(catalog: Catalog, template: Catalog, fuzzy_matching: bool = True,
                   breaks_format: Callable[[Entry, str], bool] | None = None) -> MergeReport:
    """Update ``catalog`` in place from ``template`` as ``msgmerge --previous`` does.

    Exact matches (msgctxt + msgid) keep their translation and state — a fuzzy entry stays fuzzy;
    new messages are added (fuzzy with ``#| msgid`` when a similar old message exists and
    ``fuzzy_matching`` is on); messages gone from the template become obsolete ``#~`` entries.
    ``breaks_format(entry, flag)``: whether msgfmt -c would refuse the entry as a ``flag`` string
    (the checks know); a translation the template newly declares a format for, and that breaks
    it, turns fuzzy, so that an update never makes a catalog msgfmt -c accepted one it refuses.
    """
    report = MergeReport()
    nplurals = catalog.nplurals
    live = {e.key: e for e in catalog.all_entries if not e.obsolete and not e.is_header}
    previously_obsolete = [e for e in catalog.all_entries if e.obsolete]
    obsolete = {e.key: e for e in previously_obsolete}
    used: set[int] = set()
    merged: list[Entry] = []
    unmatched: list[tuple[Entry, Entry]] = []  # (new entry, template entry) waiting for fuzzy search

    for source in template.entries:
        entry = live.get(source.key)
        if entry is None and source.key in obsolete:
            entry = obsolete[source.key]
            entry.obsolete = False
            report.revived += 1
        if entry is not None and id(entry) not in used:
            used.add(id(entry))
            was_fuzzy = entry.fuzzy
            added_formats = _take_template_fields(entry, source)
            broken = None  # a format the template now declares and the translation breaks
            if added_formats and breaks_format is not None and not entry.fuzzy and entry.translations[0]:
                broken = next((flag for flag in added_formats if breaks_format(entry, flag)), None)
            if broken:
                entry.fuzzy = True
                entry.previous_msgctxt, entry.previous_msgid = entry.msgctxt, entry.msgid
                entry.previous_msgid_plural = entry.msgid_plural or None
                report.turned_fuzzy.append(TurnedFuzzy(
                    entry.lineno, entry.msgctxt, entry.msgid,
                    f"the template now marks it {broken} and the translation breaks that format"))
            elif entry.fuzzy and not was_fuzzy:
                report.turned_fuzzy.append(TurnedFuzzy(entry.lineno, entry.msgctxt, entry.msgid,
                                                       "the template changed its plural (msgid_plural)"))
            else:
                report.kept += 1
            _resize_plural_forms(entry, nplurals)
            merged.append(entry)
            continue
        entry = Entry(msgid=source.msgid, msgid_plural=source.msgid_plural, msgctxt=source.msgctxt,
                      flags=[f for f in source.flags if f != "fuzzy"], comment=source.comment,
                      references=list(source.references))
        if any(source.translations):  # a "template" that is itself a translation: msgmerge keeps its work
            entry.msgstr, entry.msgstr_plural = source.msgstr, dict(source.msgstr_plural)
            entry.tcomment, entry.fuzzy = source.tcomment, source.fuzzy
        elif entry.is_plural:
            entry.msgstr_plural = {i: "" for i in range(nplurals)}
        merged.append(entry)
        unmatched.append((entry, source))

    leftovers = [e for e in live.values() if id(e) not in used]
    if fuzzy_matching and unmatched:
        from transkit.catalog.similarity import SimilarMessages  # lazy: rapidfuzz only for a fuzzy merge

        # as msgmerge: every old message with a first msgstr, fuzzy and obsolete ones too, in file order
        candidates = [e for e in catalog.all_entries if not e.is_header and e.translations[0]]
        similar = SimilarMessages([(e.msgctxt, e.msgid) for e in candidates])
        for entry, source in unmatched:
            found = similar.best(source.msgctxt, source.msgid)
            if found is None:
                continue
            best = candidates[found]
            used.add(id(best))  # msgmerge does not keep a message it reused as obsolete
            if best.fuzzy:  # what its translation was made for: the msgid before it went fuzzy
                entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = (
                    best.previous_msgctxt, best.previous_msgid, best.previous_msgid_plural)
            else:
                entry.previous_msgctxt = best.msgctxt
                entry.previous_msgid = best.msgid
                entry.previous_msgid_plural = best.msgid_plural or None
            if entry.is_plural:
                forms = best.translations if best.is_plural else [best.msgstr] * nplurals
                entry.msgstr_plural = {i: (forms[i] if i < len(forms) else forms[-1]) for i in range(nplurals)}
            else:
                entry.msgstr = best.msgstr if not best.is_plural else best.translations[0]
            entry.tcomment = best.tcomment
            entry.fuzzy = True
            report.fuzzy.append(source.msgid)
    report.added = len(unmatched) - len(report.fuzzy)

    newly_obsolete = []
    for entry in (e for e in leftovers if id(e) not in used):
        if entry.is_untranslated() and not entry.tcomment:
            report.dropped += 1  # msgmerge drops untranslated messages that left the template
            continue
        entry.obsolete = True
        entry.references = []
        entry.comment = ""
        newly_obsolete.append(entry)
    report.obsoleted = len(newly_obsolete)

    header = [catalog.header_entry] if catalog.header_entry else []
    still_obsolete = [e for e in previously_obsolete if e.obsolete and id(e) not in used]
    catalog.all_entries = header + merged + newly_obsolete + still_obsolete
    catalog.reindex()
    creation = template.header.get("POT-Creation-Date")
    if creation and catalog.header.get("POT-Creation-Date") not in (None, creation):
        catalog.set_header("POT-Creation-Date", creation)
    return report


def _take_template_fields(entry: Entry, source: Entry) -> list[str]:
    """What msgmerge takes from the template: references, extracted comments, format flags.
    Returns the format flags the template declares and the entry did not (nor as possible)."""
    added = [flag for flag in source.flags if flag.endswith("-format") and not flag.startswith("no-")
             and flag not in entry.flags and f"possible-{flag}" not in entry.flags]
    if entry.references != source.references:
        entry.references = list(source.references)
    if entry.comment != source.comment:
        entry.comment = source.comment
    wanted = (["fuzzy"] if entry.fuzzy else []) + [f for f in source.flags if f != "fuzzy"]
    if set(wanted) != set(entry.flags):
        entry.flags = wanted
    if entry.msgid_plural != source.msgid_plural:
        if source.msgid_plural and not entry.is_plural:
            entry.msgstr_plural = {0: entry.msgstr}
            entry.msgstr = ""
        entry.msgid_plural = source.msgid_plural
        if entry.translations and any(entry.translations):
            entry.fuzzy = True
    return added
