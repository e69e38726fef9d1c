"""The catalog screen: the entry list on the left, the editor on the right, a filter bar on top.

Keys that must work while typing are ``priority`` bindings with ctrl/alt; single letters act only
when the entry list has focus, so they never steal a character from the text area.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, Tabs, TextArea
from textual.worker import Worker, WorkerState

from transkit.catalog.locales import plural_examples
from transkit.checks.placeholders import rules_for_catalog
from transkit.errors import TranskitError
from transkit.jobs.edit_session import FILTERS, EditSession
from transkit.tui.messages import ProblemReported
from transkit.tui.widgets.editor import EntryEditor, form_labels
from transkit.tui.widgets.entry_list import EntryList

if TYPE_CHECKING:  # pragma: no cover
    from transkit.tui.app import TranskitApp
    from transkit.jobs.suggestions import Suggestion

# alt+N arrives as ESC N from most Linux terminals and tmux; Textual reads that as alt+N. ``ctrl+g N``
# (the command key, below) is the way that survives every terminal.
_ACCEPT = [Binding(f"alt+{n}", f"accept({n})", "Accept suggestion 1…9" if n == 1 else "", show=False,
                   priority=True, key_display="alt+1…9" if n == 1 else None, id=f"accept_{n}")
           for n in range(1, 10)]

# the command key: ctrl+g, then one key (works while typing, in any terminal)
COMMAND_KEYS: dict[str, tuple[str, str]] = {
    **{str(n): (f"accept({n})", "accept 1…9" if n == 1 else "") for n in range(1, 10)},
    "r": ("approve_next", "approve + next"),
    "a": ("approve_next", ""),
    "s": ("save", "save"),
    "t": ("toggle_fuzzy", "toggle fuzzy"),
    "c": ("copy_source", "copy source"),
    "d": ("deepl", "ask DeepL"),
    "l": ("llm", "ask the LLM"),
    "n": ("jump('untranslated', 1)", "next untranslated"),
    "f": ("cycle_filter", "next filter"),
    "z": ("undo", "undo"),
    "right": ("switch_form(1)", "next form"),
    "left": ("switch_form(-1)", "previous form"),
}


class CatalogScreen(Screen):
    app: "TranskitApp"

    # how long a person waits for DeepL before being told it does not answer (per attempt, retries)
    DEEPL_TIMEOUT = 10.0
    DEEPL_RETRIES = 1
    # the draft's checks run again once typing pauses this long (not on every key)
    TYPING_CHECK_DELAY = 0.3

    # Work with the list and with the editor focused. Single-letter commands live on the entry list
    # (EntryList.BINDINGS), so they never fire while the editor (or the search box) has focus.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "focus_cycle(1)", "List/editor", show=False, priority=True, id="focus_next"),
        Binding("shift+tab", "focus_cycle(-1)", "Back: editor/list", show=False, priority=True,
                id="focus_previous"),
        Binding("ctrl+g", "command_key", "Keys…", priority=True, id="command_key",
                tooltip="Command key: ctrl+g, then 1…9 accept, r approve, s save, d DeepL, … (any terminal)"),
        Binding("ctrl+s", "save", "Save", priority=True, id="save"),
        Binding("ctrl+r", "approve_next", "Approve+next", priority=True, id="approve_next"),
        Binding("ctrl+n", "jump('untranslated', 1)", "Next untranslated", show=False, priority=True,
                id="next_untranslated"),
        Binding("ctrl+t", "toggle_fuzzy", "Toggle fuzzy", show=False, priority=True, id="toggle_fuzzy"),
        Binding("ctrl+b", "copy_source", "Copy source", show=False, priority=True, id="copy_source"),
        Binding("ctrl+f", "cycle_filter", "Filter", priority=True, id="cycle_filter"),
        Binding("alt+d,f5", "deepl", "Ask DeepL", show=False, priority=True, id="deepl"),
        Binding("alt+l,f6", "llm", "Ask the LLM", show=False, priority=True, id="llm"),
        Binding("alt+right,f8", "switch_form(1)", "Next plural form", show=False, priority=True,
                id="next_form"),
        Binding("alt+left,f7", "switch_form(-1)", "Previous plural form", show=False, priority=True,
                id="previous_form"),
        Binding("alt+k,f9", "glossary_term", "Glossary term…", show=False, priority=True, id="glossary_term"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo"),
        # not in the footer, which must fit 80 columns (f1 help lists it): esc is where one looks anyway
        Binding("escape", "back", "Back", show=False, id="back"),
        *_ACCEPT,
    ]

    def __init__(self, session: EditSession, title: str = "") -> None:
        super().__init__()
        self.session = session
        self.title_text = title or (str(session.catalog.path) if session.catalog.path else "catalog")
        self.filter = "all"
        self.search_text = ""
        self.index: int | None = None
        self.form = 0
        self.suggestions: list[Suggestion] = []
        self.suggestions_for: int | None = None
        self.deepl_found: tuple[int, list[Suggestion]] | None = None  # DeepL's last answer, by entry
        self.deepl_asking: tuple[int, object] | None = None  # (entry, which request) DeepL is asked
        self.memory = None
        self.deepl_note = ""
        self._quit_armed = False
        self._typing_timer = None
        catalog = session.catalog
        self.labels = form_labels(plural_examples(catalog.plural_forms or "nplurals=2; plural=(n != 1);"),
                                  session.nforms)

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Static(id="filter-status")
            yield Input(placeholder="/ search source, translation, context", id="search")
        with Horizontal(id="catalog-body"):
            yield EntryList(self.session, id="entries")
            editor = EntryEditor(id="editor")
            editor.placeholder_rules = rules_for_catalog(self.session.catalog)
            yield editor
        # no "^p palette" on the right: at 80 columns it covered the last keys, all but the "1" of
        # "f1" (ctrl+p still opens it, and f1 help says so)
        yield Footer(compact=True, show_command_palette=False)

    # Focus changes go through ``self.set_focus`` (at once), not ``widget.focus()`` (on the next
    # message): keys that arrive together, as a fast typist or a paste sends them, land where the key
    # before them put the focus.
    def on_mount(self) -> None:
        self.sub_title = self.title_text
        self.entry_list.show_rows(self.session.visible())
        self.set_focus(self.entry_list)
        self.update_filter_status()
        self.set_interval(1.0, self.session.flush_journal)
        if not self.session.read_only:
            self.load_states()
            self.offer_journal()
        self.run_checks()
        self.open_suggestion_sources()

    @property
    def entry_list(self) -> EntryList:
        return self.query_one("#entries", EntryList)

    @property
    def editor(self) -> EntryEditor:
        return self.query_one("#editor", EntryEditor)

    # -- background work ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="states", exit_on_error=False)
    def load_states(self) -> None:
        self.session.load_states(self.app.store)
        self.app.call_from_thread(self.refresh_everything)

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def run_checks(self) -> None:
        self.session.glossary = self._locale_glossary()
        self.editor.glossary = self.session.glossary
        self.session.run_all_checks(other_catalogs=False)
        self.app.call_from_thread(self.refresh_everything)
        self.session.compare_with_other_catalogs()  # shown once there, after this catalog's own
        if self.session.other_catalogs:
            self.app.call_from_thread(self.refresh_everything)
        if self.session.consistency_error:  # the warnings name the other catalogs; a failure is said once
            self.app.call_from_thread(self.notify, self.session.consistency_error, severity="warning", timeout=6)

    def _locale_glossary(self):
        from transkit.errors import StoreError
        from transkit.store.glossary import locale_glossary

        try:
            return locale_glossary(self.session.catalog.language)
        except StoreError as err:
            self.app.call_from_thread(self.notify, f"glossary not available: {err}", severity="warning")
            return None

    def action_glossary_term(self) -> None:
        """Add, change or remove a term of the locale's glossary; the checks run again with it."""
        from transkit.jobs.glossary import edit_term
        from transkit.tui.screens.modals import TermScreen

        locale = self.session.catalog.language
        if not locale:
            self.notify("this catalog names no locale, so it has no glossary", severity="warning")
            return
        self.commit_editor()
        entry = self.session.entries[self.index] if self.index is not None else None
        suggested = f"{entry.msgid} = {entry.msgstr}" if entry is not None and not entry.is_plural \
            and len(entry.msgid.split()) <= 3 else ""

        def done(text: str | None) -> None:
            if not text:
                return
            try:
                self.notify(edit_term(locale, text))
            except TranskitError as err:
                self.notify(str(err), severity="warning")
                return
            self.run_checks()

        self.app.push_screen(TermScreen(locale, suggested), done)

    def open_suggestion_sources(self) -> None:
        from transkit.jobs.suggestions import DeepLSuggestions, MemorySuggestions

        catalog = self.session.catalog
        if self.session.read_only or not catalog.language:
            self.deepl_note = ""
            return
        self.memory = MemorySuggestions(catalog.language, catalog.path)
        try:
            has_key = DeepLSuggestions.available()
        except Exception:
            has_key = False
        self.deepl_note = ("d / alt+d: ask DeepL" if has_key else
                           "DeepL: no key (set DEEPL_AUTH_KEY) — memory suggestions only")
        try:
            from transkit.jobs.suggestions import LLMSuggestions

            if LLMSuggestions.available(catalog.language):
                self.deepl_note += " · l / alt+l: ask the LLM"
        except Exception:  # an unreadable config is reported when the LLM is asked
            pass

    def offer_journal(self) -> None:
        """Unsaved edits from a session that ended without saving: offer them back."""
        from transkit.tui.screens.modals import ConfirmScreen

        rows = self.session.journalled()
        if not rows:
            self.session.discard_journal()
            return

        def answered(restore: bool | None) -> None:
            if restore:
                count = self.session.restore(rows)
                self.session.flush_journal()
                self.notify(f"restored {count} unsaved entr{'y' if count == 1 else 'ies'}; ctrl+s saves")
                self.entry_list.refresh()
                self.refresh_everything()
            else:
                self.session.discard_journal()

        shown = ", ".join(repr(row.msgid[:30]) for row in rows[:3]) + (" …" if len(rows) > 3 else "")
        self.app.push_screen(ConfirmScreen(
            "Unsaved work found",
            f"A previous session edited {len(rows)} entr{'y' if len(rows) == 1 else 'ies'} of this "
            f"catalog and did not save: {shown}\n\nRestore them?", "Restore", "Discard"), answered)

    def on_unmount(self) -> None:
        if self.memory is not None:
            self.memory.close()
        for source in (getattr(self, "_deepl", None), getattr(self, "_llm", None)):
            if source is not None:
                source.close()

    @work(exclusive=True, group="suggest", exit_on_error=False)
    async def lookup_memory(self, index: int) -> None:
        await asyncio.sleep(0.03)  # while the cursor races through entries, look up only where it stops
        memory = self.memory
        if memory is None or index != self.index:
            return
        entry = self.session.entries[index]
        try:
            found = await asyncio.get_running_loop().run_in_executor(None, memory.lookup, entry)
        except Exception as err:  # the memory only ever helps: say so once, keep editing
            self.post_message(ProblemReported(err, "Translation memory unavailable", modal=False))
            self.memory = None
            memory.close()
            self.deepl_note = "translation memory unavailable; " + self.deepl_note
            self.editor.show_suggestions([], self.suggestion_note(index))
            return
        for notice in memory.take_notices():  # e.g. its fuzzy index could not be stored: said once
            self.notify(notice, title="Translation memory", severity="warning", timeout=12)
        if index == self.index:
            self.suggestions, self.suggestions_for = found + self._deepl_for(index), index
            self.editor.show_suggestions(self.suggestions, self.suggestion_note(index))

    @work(exclusive=True, group="deepl", exit_on_error=False)
    async def lookup_deepl(self, index: int) -> None:
        from transkit.errors import ProviderError
        from transkit.jobs.suggestions import DeepLSuggestions, RequestSettings

        catalog = self.session.catalog
        if getattr(self, "_deepl", None) is None:
            self._deepl = DeepLSuggestions(catalog.language, catalog.plural_forms,
                                           catalog.header.get("Project-Id-Version"),
                                           timeout=self.DEEPL_TIMEOUT, max_retries=self.DEEPL_RETRIES,
                                           settings=RequestSettings.for_catalog(catalog))
        entry = self.session.entries[index]
        try:
            if not DeepLSuggestions.available():
                raise ProviderError("no DeepL key: set DEEPL_AUTH_KEY or store one with "
                                    "`keyring set transkit deepl`; memory suggestions still work",
                                    kind=ProviderError.AUTH)
            self.deepl_asking = asking = (index, object())
            if index == self.index:  # until the answer, however long it takes
                self.editor.show_suggestions(self._shown_for(index), self.suggestion_note(index))
            try:
                # awaited, not run in an executor thread: a thread blocked on a silent server
                # would hold the app's exit until the request timed out
                found = await asyncio.wrap_future(self._deepl.submit(entry, self.session.glossary))
            finally:
                if self.deepl_asking is asking:  # not replaced by a newer request
                    self.deepl_asking = None
                    if index == self.index and self.is_mounted:
                        self.editor.show_suggestions(self._shown_for(index), self.suggestion_note(index))
        except ProviderError as err:  # no key, quota, network: say so; the editor keeps working
            self.post_message(ProblemReported(err, "DeepL"))
            return
        finally:
            for notice in self._deepl.take_notices():  # e.g. asked without the glossary: said once
                self.notify(notice, severity="warning", timeout=8)
        self.deepl_found = (index, found)
        if index == self.index:
            # whether or not the memory has answered yet (or works at all)
            memory = self.suggestions if self.suggestions_for == index else []
            self.suggestions = [s for s in memory if s.provider != "deepl"] + found
            self.suggestions_for = index
            self.editor.show_suggestions(self.suggestions, self.suggestion_note(index))

    @work(exclusive=True, group="llm", exit_on_error=False)
    async def lookup_llm(self, index: int) -> None:
        """The LLM's suggestion, as DeepL's: awaited, never blocking typing; a failure is a modal."""
        from transkit.errors import ProviderError
        from transkit.jobs.suggestions import LLMSuggestions, RequestSettings

        catalog = self.session.catalog
        entry = self.session.entries[index]
        try:
            if not LLMSuggestions.available(catalog.language):
                raise ProviderError("no LLM set up: set [llm] in the config file (a local base_url needs no "
                                    "key) or OPENAI_API_KEY / ANTHROPIC_API_KEY", kind=ProviderError.AUTH)
            if getattr(self, "_llm", None) is None:
                self._llm = LLMSuggestions(catalog.language, catalog.plural_forms,
                                           catalog.header.get("Project-Id-Version"),
                                           settings=RequestSettings.for_catalog(catalog))
            self.notify(f"asking {self._llm.label}…", timeout=3)
            found = await asyncio.wrap_future(self._llm.submit(entry, self.session.glossary))
        except TranskitError as err:  # no key, quota, network, a bad [llm] setting: the editor goes on
            self.post_message(ProblemReported(err, "LLM"))
            return
        self.llm_found = (index, found)
        if index == self.index:
            memory = self.suggestions if self.suggestions_for == index else []
            self.suggestions = [s for s in memory if not s.provider.startswith("llm:")] + found
            self.suggestions_for = index
            self.editor.show_suggestions(self.suggestions, self.suggestion_note(index))

    def _deepl_for(self, index: int) -> list[Suggestion]:
        """The machine answers (DeepL's, the LLM's) already given for the entry at ``index``."""
        found = []
        for answer in (self.deepl_found, getattr(self, "llm_found", None)):
            if answer and answer[0] == index:
                found += answer[1]
        return found

    def _shown_for(self, index: int) -> list[Suggestion]:
        return self.suggestions if self.suggestions_for == index else []

    def suggestion_note(self, index: int) -> str:
        asking = self.deepl_asking is not None and self.deepl_asking[0] == index
        return "asking DeepL…" if asking else self.deepl_note

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(ProblemReported(event.worker.error, f"{event.worker.group} failed"))

    # -- showing ------------------------------------------------------------------------------------
    def refresh_everything(self) -> None:
        self.entry_list.invalidate()
        self.entry_list.refresh()
        self.update_filter_status()
        if self.index is not None:
            self.show_entry(self.index, lookup=False)

    def update_filter_status(self) -> None:
        text = Text()
        for name in FILTERS:
            style = "bold reverse" if name == self.filter else "dim"
            text.append(f" {name} ", style)
        shown, total = len(self.entry_list.rows), len(self.session.entries)
        text.append(f"  {shown}/{total}", "bold")
        if self.session.modified:
            text.append(f"  ● {len(self.session.dirty)} unsaved", "bold #e5a50a")
        if self.session.read_only:
            text.append("  template: read-only", "italic")
        self.query_one("#filter-status", Static).update(text)

    def on_entry_list_highlighted(self, message: EntryList.Highlighted) -> None:
        self.commit_editor()
        if message.index is None:
            self.index = None
            return
        if message.index != self.index:
            self.form = 0
        self.show_entry(message.index)

    def on_entry_list_selected(self, message: EntryList.Selected) -> None:
        self.set_focus(self.editor.text_area)

    def show_entry(self, index: int, lookup: bool = True) -> None:
        session = self.session
        self.index = index
        entry = session.entries[index]
        self.editor.show_entry(entry, session.status(index), session.provenance(index), self.labels,
                               self.form, session.read_only)
        if entry.is_untranslated():
            self.editor.show_problems([], note="not translated yet")
        elif index in session.unchecked and not session.problems.get(index):
            self.editor.show_problems([], note="checked when you pause typing")
        else:  # while typing: the last draft's problems, until the pause
            self.editor.show_problems(session.problems.get(index, []), session.checks_ready)
        if lookup and self.memory is not None:
            if self.suggestions_for != index:
                self.suggestions, self.suggestions_for = [], None
                self.editor.show_suggestions([], "looking up the memory…")
            self.lookup_memory(index)
        elif self.memory is None:
            self.editor.show_suggestions(self._shown_for(index),
                                         self.suggestion_note(index) or "no suggestions for a template")

    def entry_changed(self, index: int) -> None:
        self.entry_list.refresh_index(index)
        self.update_filter_status()
        if index == self.index:
            self.show_entry(index, lookup=False)

    # -- editing ------------------------------------------------------------------------------------
    def commit_editor(self, typing: bool = False) -> None:
        """Take what is in the text area into the session (before moving away or acting). While a
        person types (``typing``) the draft goes in at once (journal, undo) and its checks run when
        the typing pauses; any other call runs the checks still owed first."""
        if self.index is None or self.session.read_only:
            return
        entry = self.session.entries[self.index]
        forms = entry.translations
        current = forms[self.form] if self.form < len(forms) else ""
        text = self.editor.text_area.text
        if text != current:
            self.session.set_form(self.index, self.form, text, check=not typing)
            self.entry_changed(self.index)
        if typing:
            if self.session.unchecked:
                if self._typing_timer is not None:
                    self._typing_timer.stop()
                self._typing_timer = self.set_timer(self.TYPING_CHECK_DELAY, self.check_typed)
        else:
            self.check_typed()

    def check_typed(self) -> None:
        """The checks of what was typed (placeholders, glossary, consistency, …), on the draft."""
        if self._typing_timer is not None:
            self._typing_timer.stop()
            self._typing_timer = None
        for index in self.session.check_pending():
            self.entry_changed(index)

    @on(TextArea.Changed, "#translation")
    def translation_typed(self) -> None:
        try:
            self.commit_editor(typing=True)
        except TranskitError as err:
            self.post_message(ProblemReported(err))

    @on(Tabs.TabActivated, "#forms")
    def form_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or self.index is None:
            return
        form = int(event.tab.id.rsplit("-", 1)[1])
        if form != self.form:
            self.commit_editor()
            self.form = form
            self.editor.show_form_text(self.session.entries[self.index], form)

    def action_switch_form(self, step: int) -> None:
        if self.index is None or not self.session.entries[self.index].is_plural:
            return
        form = (self.form + step) % self.session.nforms
        self.commit_editor()
        self.query_one("#forms", Tabs).active = f"form-{form}"
        if form != self.form:  # now, not when the tab's message arrives: a key typed next lands there
            self.form = form
            self.editor.show_form_text(self.session.entries[self.index], form)

    def _act(self, change) -> None:
        """Run a change on the current entry; a refusal is a notification, never a traceback."""
        if self.index is None:
            return
        try:
            self.commit_editor()
            change(self.index)
        except TranskitError as err:
            self.notify(str(err), severity="warning")
            return
        self.entry_changed(self.index)

    def action_toggle_fuzzy(self) -> None:
        self._act(self.session.toggle_fuzzy)

    def action_copy_source(self) -> None:
        self._act(lambda index: self.session.copy_source(index, self.form))

    def action_approve_next(self, force: bool = False) -> None:
        """Approve, then go to the next entry that needs work; the focus stays where it was. A
        translation with an error-level problem is refused with a modal that offers "approve anyway"."""
        from transkit.jobs.edit_session import ApprovalRefused
        from transkit.tui.screens.modals import ConfirmScreen

        if self.index is None:
            return
        index = self.index
        try:
            self.commit_editor()
            self.session.approve(index, force=force)
        except ApprovalRefused as refused:
            listed = "\n".join(f"  ✗ {p.check}{f' [form {p.form}]' if p.form is not None else ''}: "
                               f"{p.message}" for p in refused.problems)
            self.entry_changed(index)

            def answered(anyway: bool | None) -> None:
                if anyway and self.index == index:
                    self.action_approve_next(force=True)

            self.app.push_screen(ConfirmScreen(
                "Not approved: this translation has errors",
                f"{listed}\n\nFix it, or approve it as it is?", "Approve anyway", "Keep editing"), answered)
            return
        except TranskitError as err:
            self.notify(str(err), severity="warning")
            return
        self.entry_changed(index)
        self.action_jump("needs-work", 1)

    def action_focus_cycle(self, step: int) -> None:
        """Tab: list → editor → (next plural form →) list; shift+tab the other way. No other stops."""
        area = self.editor.text_area
        focused = self.focused
        plural = self.index is not None and self.session.entries[self.index].is_plural
        if focused is area:
            if plural and 0 <= self.form + step < self.session.nforms:
                self.action_switch_form(step)
                return
            self.set_focus(self.entry_list)
            return
        if self.index is None:
            self.set_focus(self.entry_list)
            return
        if focused is self.entry_list and plural:
            wanted = 0 if step > 0 else self.session.nforms - 1
            if wanted != self.form:
                self.action_switch_form(wanted - self.form)
        if focused is self.entry_list:
            self.set_focus(area)
        else:  # the search box: back to the list
            self.set_focus(self.entry_list)

    def action_command_key(self) -> None:
        """ctrl+g, then one key: every editing command without alt or F-keys."""
        from transkit.tui.screens.modals import CommandKeyScreen

        def chosen(key: str | None) -> None:
            if key is None:
                return
            action = COMMAND_KEYS.get(key)
            if action is None:
                self.notify(f"ctrl+g {key}: no such command (ctrl+g then ? lists them)", severity="warning",
                            timeout=3)
                return
            self.call_next(self.run_action, action[0])

        rows = [(key, description) for key, (_action, description) in COMMAND_KEYS.items() if description]
        self.app.push_screen(CommandKeyScreen(rows), chosen)

    def action_accept(self, number: int) -> None:
        if self.index is None or self.suggestions_for != self.index or number > len(self.suggestions):
            self.notify(f"no suggestion {number}", severity="warning", timeout=2)
            return
        chosen = self.suggestions[number - 1]
        self._act(lambda index: self.session.accept(index, chosen.forms, chosen.provider,
                                                    chosen.score or None, self.form))

    def action_undo(self) -> None:
        index = self.session.undo()
        if index is None:
            self.notify("nothing to undo", timeout=2)
            return
        if not self.entry_list.go_to_index(index):
            self.entry_changed(index)
        else:
            self.entry_changed(index)

    def action_deepl(self) -> None:
        if self.index is None or self.session.read_only:
            return
        self.lookup_deepl(self.index)

    def action_llm(self) -> None:
        if self.index is None or self.session.read_only:
            return
        self.lookup_llm(self.index)

    def action_save(self) -> None:
        if self.session.read_only:
            self.notify("a template is not edited here", severity="warning")
            return
        try:
            self.commit_editor()
            path = self.session.save(self.app.store, self.app.identity)
        except TranskitError as err:
            self.post_message(ProblemReported(err, "Could not save"))
            return
        self.notify(f"saved {path.name}", timeout=3)
        self.entry_list.refresh()
        self.refresh_everything()

    # -- moving -------------------------------------------------------------------------------------
    def action_jump(self, kind: str, step: int) -> None:
        self.commit_editor()
        rows = self.entry_list.rows
        if not rows:
            return
        session = self.session
        if kind == "failing":
            wanted = lambda i: i in session.problems  # noqa: E731
        elif kind == "needs-work":
            wanted = lambda i: session.status(i) != "reviewed"  # noqa: E731
        else:
            wanted = lambda i: session.status(i) == kind  # noqa: E731
        start = self.entry_list.cursor
        count = len(rows)
        for offset in range(1, count + 1):
            position = (start + step * offset) % count
            if wanted(rows[position]):
                if (position - start) * step < 0:
                    self.notify("wrapped around", timeout=1)
                self.entry_list.cursor = position
                return
        self.notify(f"no {kind.replace('-', ' ')} entry here", timeout=2)

    def action_cycle_filter(self) -> None:
        self.set_filter(FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)])

    def set_filter(self, name: str) -> None:
        self.commit_editor()
        self.filter = name
        self.entry_list.show_rows(self.session.visible(self.filter, self.search_text), self.index)
        self.update_filter_status()
        if not self.entry_list.rows:
            self.notify(f"no {name} entries", timeout=2)

    def action_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.search_text = event.value.strip()
        self.set_filter(self.filter)
        self.set_focus(self.entry_list)

    def action_back(self) -> None:
        focused = self.focused
        if focused is not None and focused is not self.entry_list:
            self.set_focus(self.entry_list)
            return
        self.commit_editor()
        if len(self.app.screen_stack) > 2:
            if self.session.modified:
                self.notify("unsaved changes kept in the journal; ctrl+s saves them", timeout=3)
            self.app.pop_screen()

    def help_extra(self) -> tuple[str, list[tuple[str, str, str]]]:
        """F1's section for the command key (ctrl+g, then a key)."""
        shown = {"1": "1…9", "right": "→", "left": "←"}
        return ("Command key: ctrl+g, then (works while typing, in any terminal)",
                [(f"ctrl+g {shown.get(key, key)}", description[:1].upper() + description[1:], "")
                 for key, (_action, description) in COMMAND_KEYS.items() if description])

    def palette_commands(self):
        """(title, help, callback) for the command palette."""
        yield ("Save", "Write the catalog and the review state", self.action_save)
        yield ("Approve and next", "Mark the translation reviewed", self.action_approve_next)
        yield ("Toggle fuzzy", "Mark or unmark as needing work", self.action_toggle_fuzzy)
        yield ("Undo", "Undo the last change", self.action_undo)
        yield ("Copy source", "Put the source text in the translation", self.action_copy_source)
        yield ("Ask DeepL", "Machine translation of this entry", self.action_deepl)
        yield ("Ask the LLM", "An LLM's translation of this entry ([llm] in the config)", self.action_llm)
        for name in FILTERS:
            yield (f"Filter: {name}", f"Show {name} entries", lambda n=name: self.set_filter(n))
        yield ("Clear search", "Show every entry of the filter", self._clear_search)

    def _clear_search(self) -> None:
        self.query_one("#search", Input).value = ""
        self.search_text = ""
        self.set_filter(self.filter)
