"""The entry list: one line per entry, drawn with Textual's Line API.

Only the lines on screen are rendered, so 12,000 entries cost what 40 do. The list holds positions
into the session's entries (the current filter); the screen owns the session and tells the list
what to show ("attributes down"); the list posts ``Highlighted`` when the cursor moves ("messages up").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:  # pragma: no cover
    from transkit.jobs.edit_session import EditSession

STATUS_MARK = {
    "untranslated": ("·", "entry-list--untranslated"),
    "fuzzy": ("~", "entry-list--fuzzy"),
    "machine": ("m", "entry-list--machine"),
    "translated": ("✓", "entry-list--translated"),
    "reviewed": ("★", "entry-list--reviewed"),
}


def one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎").replace("\t", "→")


class EntryList(ScrollView, can_focus=True):
    """Entries of the current filter; the cursor is a position in that filtered list."""

    HELP_TITLE = "Entry list (when it has focus)"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Previous entry", show=False, id="list_previous"),
        Binding("down,j", "cursor_down", "Next entry", show=False, id="list_next"),
        Binding("pageup", "page_up", "Page up", show=False, id="list_page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list_page_down"),
        Binding("home", "first", "First entry", show=False, id="list_first"),
        Binding("end", "last", "Last entry", show=False, id="list_last"),
        Binding("enter", "edit", "Edit", id="list_edit"),
        # one letter, as in Emacs PO mode: only while the list has focus, never while typing
        Binding("1", "screen.accept(1)", "Accept", key_display="1…9", tooltip="Accept suggestion 1…9",
                id="accept_1_list"),
        *[Binding(str(n), f"screen.accept({n})", "", show=False, id=f"accept_{n}_list") for n in range(2, 10)],
        Binding("a", "screen.approve_next", "Approve", show=False, tooltip="Approve and go to the next entry needing work",
                id="approve_next_list"),
        Binding("u", "screen.jump('untranslated', 1)", "Next untranslated", show=False,
                id="next_untranslated_list"),
        Binding("U", "screen.jump('untranslated', -1)", "Previous untranslated", show=False,
                id="previous_untranslated"),
        Binding("f", "screen.jump('fuzzy', 1)", "Next fuzzy", show=False, id="next_fuzzy"),
        Binding("F", "screen.jump('fuzzy', -1)", "Previous fuzzy", show=False, id="previous_fuzzy"),
        Binding("e", "screen.jump('failing', 1)", "Next failing check", show=False, id="next_failing"),
        Binding("E", "screen.jump('failing', -1)", "Previous failing check", show=False,
                id="previous_failing"),
        Binding("t", "screen.toggle_fuzzy", "Toggle fuzzy", show=False, id="toggle_fuzzy_list"),
        Binding("c", "screen.copy_source", "Copy source into the translation", show=False,
                id="copy_source_list"),
        Binding("z", "screen.undo", "Undo the last change", show=False, id="undo_list"),
        Binding("d", "screen.deepl", "Ask DeepL", show=False, id="deepl_list"),
        Binding("l", "screen.llm", "Ask the LLM", show=False, id="llm_list"),
        Binding("slash", "screen.search", "Search", show=False, id="search"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--cursor", "entry-list--untranslated", "entry-list--fuzzy", "entry-list--machine",
        "entry-list--translated", "entry-list--reviewed", "entry-list--failing", "entry-list--context",
        "entry-list--dim",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor is on another entry. ``index`` is the entry's index in the catalog."""

        def __init__(self, entry_list: "EntryList", index: int | None) -> None:
            self.entry_list = entry_list
            self.index = index
            super().__init__()

        @property
        def control(self) -> "EntryList":
            return self.entry_list

    class Selected(Message):
        """Enter was pressed on an entry."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, session: "EditSession", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.rows: list[int] = []
        # (entry index, under the cursor, width) -> rendered line; cleared when entries change
        self._lines: LRUCache[tuple[int, bool, int], Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}

    def invalidate(self, index: int | None = None) -> None:
        """Forget rendered lines (of one entry, or all) because what they show changed."""
        if index is None:
            self._lines.clear()
        else:
            for under_cursor in (False, True):
                self._lines.discard((index, under_cursor, self.size.width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    # -- attributes down ------------------------------------------------------------------------
    def show_rows(self, rows: list[int], keep_index: int | None = None) -> None:
        """Show these entry indices; keep the cursor on ``keep_index`` if it is still shown."""
        import bisect

        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        position = 0
        if keep_index is not None and rows:
            found = bisect.bisect_left(rows, keep_index)
            if found < len(rows) and rows[found] == keep_index:
                position = found
        self.cursor = position
        self.refresh()

    @property
    def current_index(self) -> int | None:
        if not self.rows:
            return None
        return self.rows[min(self.cursor, len(self.rows) - 1)]

    def go_to_index(self, index: int) -> bool:
        """Put the cursor on entry ``index`` if the current filter shows it."""
        import bisect

        position = bisect.bisect_left(self.rows, index)
        if position < len(self.rows) and self.rows[position] == index:
            self.cursor = position
            return True
        return False

    def refresh_index(self, index: int) -> None:
        import bisect

        self.invalidate(index)
        position = bisect.bisect_left(self.rows, index)
        if position < len(self.rows) and self.rows[position] == index:
            self.refresh(Region(0, position - self.scroll_offset.y, self.size.width, 1))

    # -- cursor ---------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        if self.scroll_offset.y == top:  # no scroll: only the two lines whose highlight changed
            for row in {old, new}:
                self.refresh(Region(0, row - top, self.size.width, 1))
        else:
            self.refresh()
        self.post_message(self.Highlighted(self, self.current_index))

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(self.size.height - 1, 1)

    def action_page_down(self) -> None:
        self.cursor += max(self.size.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def on_click(self, event) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows):
            self.cursor = row

    def action_edit(self) -> None:
        if self.current_index is not None:
            self.post_message(self.Selected(self.current_index))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    # -- drawing --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = y + self.scroll_offset.y
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        index = self.rows[row]
        cache_key = (index, row == self.cursor, width)
        cached = self._lines.get(cache_key)
        if cached is not None:
            return cached
        strip = self._render_entry(index, row == self.cursor, width)
        self._lines.set(cache_key, strip)
        return strip

    def _render_entry(self, index: int, under_cursor: bool, width: int) -> Strip:
        session = self.session
        entry = session.entries[index]
        status = session.status(index)
        mark, mark_class = STATUS_MARK[status]
        base = self.rich_style
        if under_cursor:
            base = base + self._style("entry-list--cursor")
        failing = index in session.problems
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(f"{mark}", self._style(mark_class))
        line.append("!" if failing else " ", self._style("entry-list--failing"))
        source_width = max((width - 3) // 2, 8)
        source = Text(no_wrap=True, overflow="ellipsis", end="")
        if entry.msgctxt:
            source.append(f"[{one_line(entry.msgctxt)}] ", self._style("entry-list--context"))
        source.append(one_line(entry.msgid))
        source.truncate(source_width, overflow="ellipsis", pad=True)
        line.append_text(source)
        line.append(" ")
        forms = entry.translations
        translation = one_line(forms[0]) if forms else ""
        line.append(translation or "", None if translation else self._style("entry-list--dim"))
        line.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(seg.text, base + seg.style if seg.style else base)
                    for seg in line.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, base)

    def get_content_width(self, container: Size, viewport: Size) -> int:  # pragma: no cover
        return container.width
