"""The note for the maintainer: what was translated, how it was checked, how to apply it.

Plain Markdown, usable as a pull-request description or an e-mail body. Short on purpose: a
maintainer reads the first lines and decides.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from transkit.catalog.locales import locale_display_name


TERMINOLOGY_SHOWN = 10  # terminology warnings the note lists before it counts the rest


def counted(number: int, noun: str) -> str:
    """'1 string', '3 strings': every number the note and the messages give says its unit."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


@dataclass
class HandOff:
    """Everything the note and the commit message say."""

    plugin: str
    locale: str
    version: str | None = None
    total: int = 0  # messages in the catalog
    exported: int = 0  # strings this export carries
    added: int = 0  # newly translated compared with the base
    changed: int = 0  # translated before, different now
    reviewed: int = 0  # of the exported strings, approved by a person in transkit
    # check problems among the exported strings, counted as `transkit check` counts them: a plural
    # string is checked form by form, so one string may carry several
    errors: int = 0  # error-level (0: failing strings are held back, even when forced)
    warnings: int = 0
    warned_strings: int = 0  # of the exported strings, those with at least one warning
    held_back: int = 0  # strings left out: fuzzy, unreviewed, or failing checks
    files: list[str] = field(default_factory=list)
    patch_name: str | None = None
    branch: str | None = None
    glotpress_name: str | None = None
    translator: str = ""
    msgfmt_ok: bool | None = None  # GNU msgfmt -c on the exported PO (None: not run)
    keep_cr: bool = False  # the patch carries CRLF text files: `git am --keep-cr`
    # of the exported strings first drafted by an engine: "DeepL", "an LLM (model)", … ->
    # (strings, of them reviewed by a person in transkit)
    engines: dict[str, tuple[int, int]] = field(default_factory=dict)
    # terminology warnings among the exported strings (glossary, consistency): '"msgid": message'
    terminology: list[str] = field(default_factory=list)

    @property
    def am_command(self) -> str:
        # a person copies this into a shell: a patch name from a plugin's data must stay one argument
        return shlex.join(["git", "am", *(["--keep-cr"] if self.keep_cr else []), self.patch_name or ""])

    @property
    def language(self) -> str:
        name = locale_display_name(self.locale)
        return name if name == self.locale else f"{name} ({self.locale})"

    @property
    def percent_translated(self) -> float:
        return 100.0 * self.exported / self.total if self.total else 0.0

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.exported if self.exported else 0.0

    @property
    def engines_line(self) -> str | None:
        """Which engine drafted how many of the exported strings, and how many a person reviewed."""
        if not self.engines:
            return None
        ordered = sorted(self.engines.items(), key=lambda item: (-item[1][0], item[0]))
        drafted = sum(strings for strings, _ in self.engines.values())
        reviewed = sum(done for _, done in self.engines.values())
        sources = ", ".join(f"{strings} from {label}" for label, (strings, _) in ordered)
        if reviewed == drafted:
            who = "a person reviewed every one of them"
        else:
            who = (f"a person reviewed {reviewed} of them in transkit; the others were confirmed by "
                   "hand in the PO file")
        return f"{counted(drafted, 'string')} started as suggestions — {sources}; {who}"

    @property
    def checks_line(self) -> str:
        """What the checks found in the exported strings. Problems are counted as `transkit check`
        counts them (each plural form on its own), strings as the rest of the note counts them."""
        if not self.errors and not self.warnings:
            return "clean (no errors, no warnings)"
        found = (f"{counted(self.errors, 'error')} and " if self.errors else "no errors; ") + counted(self.warnings, "warning")
        where = f"in {self.warned_strings} of the {counted(self.exported, 'string')}"
        per_form = " (each plural form is checked on its own)" if self.warnings > self.warned_strings else ""
        tail = "exported anyway, on request" if self.errors else "likely fine; `transkit check` lists them"
        return f"{found} {where}{per_form}; {tail}"


def commit_subject(hand_off: HandOff) -> str:
    numbers = []
    if hand_off.added:
        numbers.append(f"{hand_off.added} added")
    if hand_off.changed:
        numbers.append(f"{hand_off.changed} changed")
    counted = ", ".join(numbers) or f"{hand_off.exported} strings"
    return f"Update {hand_off.language} translation ({counted})"


def commit_message(hand_off: HandOff) -> str:
    lines = [
        commit_subject(hand_off),
        "",
        f"Strings added: {hand_off.added}; changed: {hand_off.changed}.",
        f"Translated: {hand_off.exported} of {counted(hand_off.total, 'string')} ({hand_off.percent_translated:.1f}%).",
        f"Reviewed: {hand_off.reviewed} of {counted(hand_off.exported, 'string')} ({hand_off.percent_reviewed:.1f}%).",
        f"Checks: {hand_off.checks_line}.",
    ]
    if hand_off.engines_line:
        lines.append(f"Drafts: {hand_off.engines_line}.")
    if hand_off.held_back:
        lines.append(f"Held back: {counted(hand_off.held_back, 'string')} still needing work.")
    return "\n".join(lines) + "\n"


def maintainer_message(hand_off: HandOff) -> str:
    """The Markdown note."""
    title = f"{hand_off.language} translation for {hand_off.plugin}"
    if hand_off.version:
        title += f" {hand_off.version}"
    out = [f"# {title}", ""]
    out.append(f"This adds or updates the {hand_off.language} translation: "
               f"**{counted(hand_off.added, 'string')} newly translated, {hand_off.changed} changed**, "
               f"{hand_off.exported} of {counted(hand_off.total, 'string')} translated in total "
               f"({hand_off.percent_translated:.1f}%).")
    out += ["", "## How it was checked", ""]
    out.append(f"- Reviewed by a person: {hand_off.reviewed} of {counted(hand_off.exported, 'string')} "
               f"({hand_off.percent_reviewed:.1f}%); only non-fuzzy strings are included.")
    if hand_off.engines_line:
        out.append(f"- Machine and memory drafts: {hand_off.engines_line}.")
    out.append(f"- Placeholders, HTML tags, plurals and the header checked: {hand_off.checks_line}.")
    if hand_off.msgfmt_ok:
        out.append("- GNU `msgfmt -c` accepts the catalog.")
    elif hand_off.msgfmt_ok is False:
        out.append("- GNU `msgfmt -c` reports problems in the catalog (they predate this change or "
                   "were exported on request); please run it before release.")
    if hand_off.files and not any(name.endswith(".mo") for name in hand_off.files):
        out.append("- No `.mo` or `.l10n.php`: the repository ignores them, so its own build makes them.")
    else:
        out.append("- `.mo` and `.l10n.php` are generated from the same strings, so WordPress 6.5+ "
                   "(which prefers `.l10n.php`) shows no stale text.")
    if hand_off.held_back:
        out.append(f"- {counted(hand_off.held_back, 'string')} still needing work "
                   f"{'was' if hand_off.held_back == 1 else 'were'} left out on purpose.")
    if hand_off.terminology:
        out += ["", "## Terminology to look at", "",
                "Not blocking: the locale's glossary or the other translations disagree here.", ""]
        out += [f"- {line}" for line in hand_off.terminology[:TERMINOLOGY_SHOWN]]
        if len(hand_off.terminology) > TERMINOLOGY_SHOWN:
            out.append(f"- … and {len(hand_off.terminology) - TERMINOLOGY_SHOWN} more (`transkit check --consistency`)")
    if hand_off.files:
        out += ["", "## Files", ""]
        out += [f"- `{name}`" for name in hand_off.files]
    out += ["", "## How to apply", ""]
    if hand_off.patch_name:
        out += ["```sh", hand_off.am_command, "```"]
        if hand_off.keep_cr:
            out.append("(`--keep-cr` because the catalog has Windows line endings, which `git am` "
                       "would otherwise strip.)")
        if hand_off.branch:
            out.append(f"(The same commit is on the branch `{hand_off.branch}` if you prefer to pull.)")
    elif hand_off.glotpress_name:
        out.append(f"Import `{hand_off.glotpress_name}` on translate.wordpress.org "
                   "(Projects → the plugin → the locale → Import Translations). It holds only "
                   "strings that are not translated there yet.")
    else:
        out.append("Copy the files into the plugin's languages folder.")
    if hand_off.translator:
        out += ["", f"Thank you for the plugin! — {hand_off.translator}"]
    return "\n".join(out) + "\n"
