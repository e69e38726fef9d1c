"""The transkit TUI application: a dashboard of catalogs and a catalog editor.

``TranskitApp(path)`` opens the dashboard for a folder, or the catalog screen for a PO/POT file.
Key bindings have ids; the ``[keys]`` table of the config file remaps them (``App.set_keymap``).
Every failure reaches the user as a modal or a notification — never a traceback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import ClassVar, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from transkit.config import Config, Identity, data_dir, load_config
from transkit.errors import TranskitError

log = logging.getLogger(__name__)


def _read_esc_digit_as_alt_digit() -> None:
    """Most Linux terminals and tmux send alt+1 as ESC 1. Textual reads ESC+digit as the characters
    macOS's Option key types (ESC 1 → "¡", for WezTerm on macOS), so alt+1 typed "¡" into the editor
    instead of accepting suggestion 1. Without those entries its parser reports alt+1…alt+0, which
    our bindings use; an Option-key character sent as itself (Terminal.app, iTerm2) is unaffected."""
    from textual import _ansi_sequences

    for digit in "0123456789":
        _ansi_sequences.ANSI_SEQUENCES_KEYS.pop(f"\x1b{digit}", None)  # type: ignore[attr-defined]


_read_esc_digit_as_alt_digit()


class TranskitApp(App):
    CSS_PATH = Path(__file__).parent / "transkit.tcss"  # absolute, so subclasses find it too
    TITLE = "transkit"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help_list"),
        Binding("ctrl+q", "quit_checked", "Quit", priority=True, id="quit"),
    ]

    def __init__(self, path: "str | os.PathLike | list[str | os.PathLike]" = ".",
                 config: Config | None = None) -> None:
        super().__init__()
        # one folder or file, or several (a dashboard of every catalog under them)
        self.targets = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
        self.target = self.targets[0]
        self._config = config
        self._config_error: TranskitError | None = None
        self._store = None
        self._quit_armed = False

    # -- shared resources -------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config()
            except TranskitError as err:  # a broken config is reported, then ignored
                self._config_error = err
                self._config = Config()
        return self._config

    @property
    def identity(self) -> Identity:
        return self.config.identity

    @property
    def store(self):
        """The review store, opened on first use and shared by every screen."""
        if self._store is None:
            from transkit.store import ReviewStore

            self._store = ReviewStore.open()
        return self._store

    # -- start and stop ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self._config_error is not None:
            self.show_error(self._config_error, "Configuration ignored")
        target = self.target
        missing = [t for t in self.targets if not t.exists()]
        if missing:
            self.push_dashboard_or_nothing()
            self.show_error(f"{missing[0]}: no such file or folder", "Nothing to open")
        elif len(self.targets) > 1:
            self.push_dashboard_or_nothing(self.targets)
        elif target.is_file():
            from transkit.jobs.edit_session import open_catalog

            try:
                session = open_catalog(target)
            except TranskitError as err:
                self.push_dashboard_or_nothing(target.parent)
                self.show_error(err, "Cannot open this catalog")
                return
            self.push_catalog(session, str(target))
        else:
            self.push_dashboard_or_nothing(target)

    def push_dashboard_or_nothing(self, folder: "Path | list[Path] | None" = None) -> None:
        from transkit.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen(folder or Path(".")))

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()

    def open_catalog(self, path: Path, key=None, title: str = "") -> bool:
        from transkit.jobs.edit_session import EditSession, open_catalog

        try:
            if key is not None:
                from transkit.catalog import load_catalog

                session = EditSession(load_catalog(path), key)
            else:
                session = open_catalog(path)
        except TranskitError as err:
            self.show_error(err, "Cannot open this catalog")
            return False
        self.push_catalog(session, title or str(path))
        return True

    def push_catalog(self, session, title: str) -> None:
        from transkit.tui.screens.catalog import CatalogScreen

        self.push_screen(CatalogScreen(session, title))

    def action_quit_checked(self) -> None:
        session = getattr(self.screen, "session", None)
        if session is not None and session.modified and not self._quit_armed:
            self._quit_armed = True
            session.flush_journal()
            self.notify("Unsaved changes: ctrl+s saves them; ctrl+q again quits (they stay in the "
                        "journal and are offered back next time)", severity="warning", timeout=6)
            return
        if session is not None:
            session.flush_journal()
        self.exit()

    # -- errors -----------------------------------------------------------------------------------
    def show_error(self, error: BaseException | str, title: str = "Error") -> None:
        """A modal with one clear message. Unexpected exceptions are logged with their traceback in
        the data folder, and the user sees their message, not the traceback."""
        from transkit.tui.screens.modals import ErrorScreen

        if isinstance(error, BaseException) and not isinstance(error, TranskitError):
            where = _log_unexpected(error)
            message = f"{type(error).__name__}: {error}\n\n(details in {where})"
        else:
            message = str(error)
        self.push_screen(ErrorScreen(title, message))

    def on_problem_reported(self, message) -> None:
        """A screen's ``ProblemReported``: the one place failures become modals or warnings."""
        message.stop()
        if message.modal:
            self.show_error(message.error, message.title)
            return
        error = message.error
        where = "" if not isinstance(error, BaseException) or isinstance(error, TranskitError) \
            else f" (details in {_log_unexpected(error)})"
        self.notify(f"{error}{where}", title=message.title, severity="warning", timeout=8)

    # -- help and command palette -----------------------------------------------------------------
    def action_help(self) -> None:
        from transkit.tui.screens.modals import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_sections(self.screen)))

    def binding_sections(self, screen: Screen) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Every binding of the app, the screen and its widgets, with the user's keymap applied."""
        sections = []
        nodes = [("Everywhere", self), (type(screen).__name__.replace("Screen", ""), screen)]
        nodes += [(getattr(w, "HELP_TITLE", type(w).__name__), w) for w in screen.query("*")
                  if getattr(w, "BINDINGS", None) and type(w).__module__.startswith("transkit.")]
        seen: set[str] = set()
        for title, node in nodes:
            bindings = node._bindings.copy()
            if self._keymap:
                bindings.apply_keymap(self._keymap)
            rows: dict[str, list] = {}
            for key, found in bindings.key_to_bindings.items():
                for binding in found:
                    if binding.system or not binding.description:
                        continue
                    ident = binding.id or binding.action
                    if ident in seen and ident not in rows:
                        continue
                    row = rows.setdefault(ident, [[], binding.tooltip or binding.description, binding.id or ""])
                    shown = binding.key_display if binding.key == key and binding.key_display else None
                    row[0].append(shown or self.get_key_display(Binding(key, binding.action)))
            seen.update(rows)
            if rows:
                sections.append((title, [(" / ".join(keys), description, ident)
                                         for keys, description, ident in rows.values()]))
        extra = getattr(screen, "help_extra", None)
        if extra is not None:
            sections.append(extra())
        sections.append(("Command palette", [("ctrl+p", "Search every command by name", "")]))
        return sections

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "Every key binding", self.action_help)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)


def _log_unexpected(error: BaseException) -> Path:
    path = data_dir() / "tui-errors.log"
    try:
        import traceback

        with path.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)) + "\n")
    except OSError:
        pass
    return path


def run(path: "str | os.PathLike | list[str | os.PathLike]" = ".") -> None:
    TranskitApp(path).run()
