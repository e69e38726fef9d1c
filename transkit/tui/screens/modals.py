"""Small modal screens: an error, a yes/no question, the command key's menu, the help listing
every key binding, a glossary term and a locale to start."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from transkit.catalog.locales import is_known_language, locale_display_name, parse_locale, plural_forms_for


class ErrorScreen(ModalScreen[None]):
    """One clear message for something that went wrong; the work underneath stays as it was."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close", id="error_close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="error"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(Text(self.message), id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                yield Button("OK", variant="error", id="ok")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "answer(False)", "No", id="confirm_no"),
                Binding("y", "answer(True)", "Yes", id="confirm_yes"),
                Binding("n", "answer(False)", "No", show=False)]

    def __init__(self, title: str, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.question, self.yes, self.no = title, question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(Text(self.question), id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class HelpScreen(ModalScreen[None]):
    """Every key binding of the screen below, as the user's keymap has them."""

    BINDINGS = [Binding("escape,q,f1", "dismiss", "Close", id="help_close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        text = Text()
        for title, rows in self.sections:
            if text:
                text.append("\n")
            text.append(f"{title}\n", "bold underline")
            for keys, description, _binding_id in rows:
                text.append(f"  {keys:<26}", "bold #e5a50a")
                text.append(f"{description}")
                text.append("\n")
        text.append("\nRemap a key in the [keys] table of your config file, e.g.\n", "dim")
        text.append('  [keys]\n  next_untranslated = "ctrl+down"\n', "dim")
        with Vertical(id="help-dialog"):
            yield Label("transkit — keys", id="dialog-title")
            with VerticalScroll():
                yield Static(text, id="help-text")

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


class CommandKeyScreen(ModalScreen[str | None]):
    """After ctrl+g: the next key is a command (1-9 accept, r approve, …). Plain keys only, so it works
    in every terminal and in tmux, also while typing in the editor."""

    COLUMNS, CELL = 3, 25  # three commands a line: fits 80 columns, never wraps inside a command

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        items = [*self.rows, ("esc", "cancel")]
        for number, (key, description) in enumerate(items):
            shown = {"1": "1…9", "right": "→", "left": "←"}.get(key, key)
            text.append(f" {shown} ", "bold reverse")
            cell = f" {description}"
            last_in_row = number % self.COLUMNS == self.COLUMNS - 1 or number == len(items) - 1
            text.append(cell + ("\n" if last_in_row else " " * max(1, self.CELL - len(shown) - 2 - len(cell))))
        text.rstrip()
        with Vertical(id="command-key"):
            yield Label("ctrl+g — press a key:", id="dialog-title")
            yield Static(text, id="command-key-text")

    def on_key(self, event) -> None:
        event.stop()
        event.prevent_default()
        key = event.key.removeprefix("alt+")  # ctrl+g alt+1 (ESC 1) is still "1"
        self.dismiss(None if key == "escape" else key)


class TermScreen(ModalScreen[str | None]):
    """One line to add or remove a glossary term: 'term = translation', 'term =', '-term'."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="term_cancel")]

    def __init__(self, locale: str, suggested: str = "") -> None:
        super().__init__()
        self.locale, self.suggested = locale, suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"{self.locale} glossary", id="dialog-title")
            yield Static(Text("term = translation  adds or changes a term · term =  keeps it as it is · "
                              "-term  removes it"), id="dialog-message")
            yield Input(value=self.suggested, placeholder="Post = Beitrag", id="term-input")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#term-input", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


class LocaleScreen(ModalScreen[str | None]):
    """Which locale to start for a project, checked as `transkit init --locale` checks it: a name
    that is no locale, or names no language transkit knows (its plural rule would be a guess), is
    refused in the dialog, which stays open."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="locale_cancel")]

    def __init__(self, project: str, suggested: str = "") -> None:
        super().__init__()
        self.project, self.suggested = project, suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Start a translation of {self.project}", id="dialog-title")
            yield Static(Text("Locale, e.g. it_IT, pt_BR, de_DE_formal. A plugin that ships no template gets "
                              "one built from its sources first (as `transkit init`)."), id="dialog-message")
            yield Input(value=self.suggested, placeholder="it_IT", id="locale-input")
            yield Static(id="locale-verdict")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#locale-input", Input))
        self._judge(self.suggested)

    def _judge(self, value: str) -> bool:
        problem, name = locale_verdict(value)
        verdict = self.query_one("#locale-verdict", Static)
        verdict.update(Text(problem, "#e01b24") if problem and value.strip() else Text(name, "dim"))
        return not problem

    def on_input_changed(self, event: Input.Changed) -> None:
        self._judge(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._judge(event.value):
            self.dismiss(parse_locale(event.value.strip()).code)  # pt-BR is started as pt_BR

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


def locale_verdict(value: str) -> tuple[str, str]:
    """(why ``value`` cannot be started, "" when it can; the language's name to show)."""
    info = parse_locale(value.strip()) if value.strip() else None
    if info is None:
        return f"{value.strip()!r} is not a locale name (expected e.g. it_IT, pt_BR)", ""
    if not is_known_language(info.code):
        return (f"{info.language!r} is not a language transkit knows (its plural rule would be a guess); "
                "`transkit init --force-locale` starts it anyway"), ""
    return "", f"{locale_display_name(info.code)} · Plural-Forms: {plural_forms_for(info.code)}"
