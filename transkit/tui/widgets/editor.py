"""The editor pane: everything about one entry, and the text area where its translation is typed."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, Tab, Tabs, TextArea

from transkit.checks import find_placeholders

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry
    from transkit.checks import PlaceholderRules, Problem
    from transkit.jobs.suggestions import Suggestion

PLACEHOLDER_STYLE = "bold #e5a50a"
GLOSSARY_STYLE = "underline #62a0ea"  # glossary terms in the source, and their agreed translations
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def highlight_placeholders(text: str, flags=(), rules: "PlaceholderRules | None" = None) -> Text:
    """The text with placeholders, tags and entities coloured and invisible characters made visible
    (the checks' vocabulary decides what a placeholder is, with the entry's flags and catalog's rules)."""
    result = Text()
    position = 0
    for placeholder in find_placeholders(text, flags, rules):
        result.append(_visible(text[position:placeholder.start], position == 0, False))
        result.append(placeholder.text, PLACEHOLDER_STYLE)
        position = placeholder.end
    result.append(_visible(text[position:], position == 0, True))
    return result


def _visible(text: str, at_start: bool = True, at_end: bool = True) -> Text:
    """Line breaks and tabs made visible, and spaces that begin or end the whole text (the space
    before or after a placeholder is an ordinary one)."""
    edges = "|".join(([r"^ +"] if at_start else []) + ([r" +$"] if at_end else []))
    shown = Text()
    for piece in re.split(r"(\n|\t" + (f"|{edges}" if edges else "") + ")", text):
        if piece == "\n":
            shown.append("⏎\n", "dim")
        elif piece == "\t":
            shown.append("→", "dim")
        elif piece and piece.strip() == "":
            shown.append("·" * len(piece), "dim")
        elif piece:
            shown.append(piece)
    return shown


def word_diff(old: str, new: str) -> Text:
    """``old`` → ``new`` word by word: removed words struck out in red, added ones green."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    result = Text()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            result.append("".join(before[a0:a1]))
            continue
        if a1 > a0:
            result.append("".join(before[a0:a1]), "strike #e01b24")
        if b1 > b0:
            result.append("".join(after[b0:b1]), "bold #2ec27e")
    return result


def form_labels(plural_examples: list[list[int]], nforms: int) -> list[str]:
    labels = []
    for form in range(nforms):
        numbers = plural_examples[form] if form < len(plural_examples) else []
        if not numbers:
            labels.append(f"form {form}")
        else:
            more = "…" if len(numbers) >= 4 else ""
            labels.append(", ".join(str(n) for n in numbers) + more)
    return labels


class EntryEditor(Vertical):
    """Shows one entry; the screen decides what to do with what is typed."""

    placeholder_rules: "PlaceholderRules | None" = None  # the catalog's, set by the screen
    glossary = None  # checks.glossary.Glossary of the catalog's locale, set by the screen
    _entry_flags: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="entry-info"):
            yield Static(id="entry-source")
            yield Static(id="entry-details")
        yield Tabs(id="forms")
        yield TextArea(id="translation", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        yield Static(id="entry-checks")
        yield Static(id="suggestions")

    def on_mount(self) -> None:
        # the text area is the editor's only focus stop: Tab goes list → text area (→ next form)
        self.query_one("#entry-info").can_focus = False
        self.query_one("#forms", Tabs).can_focus = False
        self.query_one("#forms", Tabs).display = False
        self.labels: list[str] = []
        self._heights: dict[str, int] = {}

    def _update(self, selector: str, text: Text) -> None:
        """Update a Static, asking for a layout pass only when its height changes: a layout repaints
        the whole screen, and moving from entry to entry must stay cheap."""
        widget = self.query_one(selector, Static)
        width = max(widget.content_size.width, 1)
        height = sum(max(1, -(-cell_len(line) // width)) for line in text.plain.split("\n"))
        widget.update(text, layout=self._heights.get(selector) != height)
        self._heights[selector] = height

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#translation", TextArea)

    def show_entry(self, entry: "Entry", status: str, provenance: str, labels: list[str],
                   form: int, read_only: bool) -> None:
        source = Text()
        self._entry_flags = flags = tuple(entry.flags)
        if entry.is_plural:
            source.append("Singular  ", "dim")
            source.append_text(highlight_placeholders(entry.msgid, flags, self.placeholder_rules))
            source.append("\nPlural    ", "dim")
            source.append_text(highlight_placeholders(entry.msgid_plural, flags, self.placeholder_rules))
        else:
            source.append_text(highlight_placeholders(entry.msgid, flags, self.placeholder_rules))
        self._glossary_terms(source, entry, flags)
        self._update("#entry-source", source)
        self._update("#entry-details", self._details(entry, status, provenance))
        tabs = self.query_one("#forms", Tabs)
        if entry.is_plural:
            if labels != self.labels:
                tabs.clear()
                for number, label in enumerate(labels):
                    tabs.add_tab(Tab(label, id=f"form-{number}"))
                self.labels = labels
            tabs.display = True
            tabs.active = f"form-{form}"
        else:
            tabs.display = False
        self.show_form_text(entry, form)
        self.text_area.read_only = read_only

    def _glossary_terms(self, source: Text, entry: "Entry", flags) -> None:
        """Underline the glossary's terms in the source and list their agreed translations below."""
        glossary = self.glossary
        if glossary is None:
            return
        shown: dict[str, list[str]] = {}
        offset = len("Singular  ") if entry.is_plural else 0
        texts = [(entry.msgid, offset)]
        if entry.is_plural:
            texts.append((entry.msgid_plural, offset + len(entry.msgid) + len("\nPlural    ")))
        plain = source.plain
        for text, at in texts:
            for match in glossary.occurrences(text, flags, self.placeholder_rules):
                # underlined where the shown text is the source as written (visible marks shift it)
                if plain[at + match.start:at + match.end] == text[match.start:match.end]:
                    source.stylize(GLOSSARY_STYLE, at + match.start, at + match.end)
                term = match.term
                shown.setdefault(term.source, [])
                agreed = "(keep as is)" if term.keep else term.translation
                if agreed not in shown[term.source]:
                    shown[term.source].append(agreed)
        if shown:
            # another locale's terms apply (de_DE's for de_DE_formal): say whose
            sources = [name for name, _ in glossary.sources]
            whose = f" ({' + '.join(sources)})" if sources and sources != [glossary.locale] else ""
            source.append(f"\nGlossary{whose}  ", "dim")
            source.append(" · ".join(f"{term} → {' / '.join(agreed)}" for term, agreed in shown.items()),
                          GLOSSARY_STYLE)

    def show_form_text(self, entry: "Entry", form: int) -> None:
        forms = entry.translations
        text = forms[form] if form < len(forms) else ""
        area = self.text_area
        if area.text != text:
            area.load_text(text)

    @staticmethod
    def _details(entry: "Entry", status: str, provenance: str) -> Text:
        details = Text()
        details.append(f"{status}", f"bold {_STATUS_COLOUR.get(status, '')}".strip())
        if provenance:
            details.append(f"  ({provenance})", "dim")
        flags = [f for f in entry.flags if f != "fuzzy"]
        if flags:
            details.append("   " + ", ".join(flags), "dim italic")
        if entry.msgctxt:
            details.append("\nContext   ", "dim")
            details.append(entry.msgctxt, "bold")
        if entry.comment:
            details.append("\nFor translators  ", "dim")
            details.append(entry.comment)
        if entry.tcomment:
            details.append("\nTranslator note  ", "dim")
            details.append(entry.tcomment)
        if entry.references:
            shown = entry.references[:4]
            extra = f" (+{len(entry.references) - 4})" if len(entry.references) > 4 else ""
            details.append("\nUsed in   ", "dim")
            details.append(" ".join(shown) + extra, "dim")
        if entry.fuzzy and entry.previous_msgid is not None:
            details.append("\nSource changed  ", "dim")
            details.append_text(word_diff(entry.previous_msgid, entry.msgid))
        return details

    def show_problems(self, problems: list["Problem"], ready: bool = True, note: str = "") -> None:
        text = Text()
        if note:
            text.append(note, "dim")
        elif not ready:
            text.append("checks running…", "dim")
        elif not problems:
            text.append("✓ no problems found", "#2ec27e")
        for problem in problems:
            if text:
                text.append("\n")
            colour = "#e01b24" if problem.is_error else "#e5a50a"
            form = f" [form {problem.form}]" if problem.form is not None else ""
            text.append(f"{'✗' if problem.is_error else '!'} {problem.check}{form}: ", f"bold {colour}")
            text.append(problem.message)
        self._update("#entry-checks", text)

    def show_suggestions(self, suggestions: list["Suggestion"], note: str = "") -> None:
        text = Text()
        for number, suggestion in enumerate(suggestions[:9], 1):
            if number > 1:
                text.append("\n")
            text.append(f"{number} ", "bold reverse")
            score = f"{suggestion.score:3.0f}%" if suggestion.provider == "memory" else " MT "
            text.append(f" {score} ", "bold")
            shown = " | ".join(suggestion.forms) if len(suggestion.forms) > 1 else suggestion.text
            text.append_text(highlight_placeholders(shown, self._entry_flags, self.placeholder_rules))
            text.append(f"  — {suggestion.origin}", "dim")
        if note:
            if text:
                text.append("\n")
            text.append(note, "dim italic")
        if not text:
            text.append("no suggestions", "dim")
        self._update("#suggestions", text)


_STATUS_COLOUR = {
    "untranslated": "#e01b24", "fuzzy": "#e5a50a", "machine": "#c061cb", "translated": "#3584e4",
    "reviewed": "#2ec27e",
}
