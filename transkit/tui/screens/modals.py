"""Small modal screens: an error, a yes/no question, and the help listing every key binding."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


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
            for keys, description, binding_id in rows:
                text.append(f"  {keys:<22}", "bold #e5a50a")
                text.append(f"{description}")
                if binding_id:
                    text.append(f"  [{binding_id}]", "dim")
                text.append("\n")
        text.append("\nRemap any key in the [keys] table of your config file, by id, e.g.\n", "dim")
        text.append('  [keys]\n  next_untranslated = "ctrl+down"\n', "dim")
        with Vertical(id="help-dialog"):
            yield Label("transkit — keys", id="dialog-title")
            with VerticalScroll():
                yield Static(text, id="help-text")

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
