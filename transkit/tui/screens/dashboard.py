"""The dashboard: every catalog found under the folder, with its review progress.

The scan runs in a worker (the same ``folder_status`` job as ``transkit status``), and seeds the
translation memory with what the folder already says, so suggestions are ready when a catalog opens.
A project with no catalog and no template is a row too: ``n`` starts a locale of the selected row's
project (``transkit init``, which builds the template from the sources first when none ships).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from rich.cells import cell_len
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from transkit.errors import TranskitError
from transkit.jobs.catalogs import InitResult, init_translation, memory_sources, projects_for
from transkit.jobs.memory import SEEDING_STAGE
from transkit.jobs.progress import CancelToken, ProgressReporter
from transkit.tui.messages import JobProgress, ProblemReported
from transkit.tui.screens.modals import LocaleScreen
from transkit.upstream.message import counted

if TYPE_CHECKING:  # pragma: no cover
    from transkit.jobs.status import FolderStatus
    from transkit.store import CatalogKey, Progress
    from transkit.tui.app import TranskitApp

BAR_WIDTH = 24
MEMORY_FAILURES_SHOWN = 4  # catalogs the memory could not learn from, listed above the table
NARROW_BAR_WIDTH = 5
# below this many columns the wide table (24-cell bar, long headers, ~116 columns) would scroll
# sideways, so a narrower bar, short headers and a shorter date are shown instead; a first guess:
# ``show_rows`` takes the narrow columns wherever the wide ones would not fit the rows it lays out
NARROW_BELOW = 118
# the machine drafts not yet reviewed, split by engine as `transkit status` splits them
COLUMNS = ("Project", "Locale", "Progress", "Reviewed", "To do", "Memory", "DeepL", "LLM", "Fuzzy",
           "Changed upstream", "Last activity")
NARROW_COLUMNS = ("Project", "Locale", "Progress", "Rev", "Todo", "Mem", "DeepL", "LLM", "Fuz", "Chg", "Last")
PROGRESS_COLUMN = 2  # the bar's; an error row's message stands there
PROJECT_MIN_WIDTH = 8  # a narrow screen cuts project names ("tiny-ga…") down to this before scrolling
TEMPLATE_NOTES = ("no translation yet", "no PO yet", "no PO")  # a template-only row's, the longest that fits
SOURCES_NOTES = ("no template (n: start)", "no template", "no .pot")  # a row of a plugin that ships neither
# progress bucket -> (bar colour, legend)
BUCKET_STYLES = {
    "reviewed": ("#2ec27e", "reviewed"),
    "translated": ("#3584e4", "translated"),
    "machine": ("#c061cb", "machine"),
    "fuzzy": ("#e5a50a", "fuzzy"),
    "untranslated": ("#5e5c64", "untranslated"),
}


def progress_bar(progress: "Progress", width: int = BAR_WIDTH) -> Text:
    """A bar split by bucket, each bucket's share of ``width`` rounded so the parts add up."""
    total = progress.total
    bar = Text()
    if not total:
        return bar.append("─" * width, "dim")
    filled, shares = 0, []
    for bucket in BUCKET_STYLES:
        filled += getattr(progress, bucket)
        shares.append(round(filled * width / total))
    start = 0
    for (bucket, (colour, _)), end in zip(BUCKET_STYLES.items(), shares):
        if end > start:
            bar.append("█" * (end - start), colour)
        start = end
    return bar


_CATALOG_ERROR = re.compile(r"\.(?:po|pot|mo)(?::(\d+))?: (.*)$", re.S)


# an error row's message stands where the bar is: at most as wide as the bar and a little more, and
# no wider than the room the other columns leave (``show_rows``), so the table never scrolls sideways
ERROR_WIDTH = BAR_WIDTH + 12


def short_error(error: str, width: int = ERROR_WIDTH) -> str:
    """``dir/x-de_DE.po:76: expected …`` → ``line 76: expected …`` cut to ``width`` between words:
    the row already names the catalog, and a long message would push the other columns off the
    screen (enter shows the whole message)."""
    found = _CATALOG_ERROR.search(error)
    if found:
        error = f"line {found[1]}: {found[2]}" if found[1] else found[2]
    if len(error) <= width:
        return error
    kept = error[:width - 1]
    if error[width - 1] not in " :;,.":  # a word would be cut in two: end before it
        space = kept.rfind(" ")
        kept = kept[:space] if space > 0 else kept
    return kept.rstrip(" :;,") + "…"


def cut_end(text: str, width: int) -> str:
    """``text``, or its start and "…" when it is wider than ``width`` cells."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def short_day(when: str, today: date | None = None) -> str:
    """``2026-12-02 07:21`` as ``Dec 02`` this year and ``2025`` before (as ``ls -l`` shortens a
    date): the narrow dashboard's "Last" column."""
    try:
        day = date.fromisoformat(when[:10])
    except ValueError:
        return when[:10]
    return day.strftime("%b %d") if day.year == (today or date.today()).year else str(day.year)


def _cell_width(cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


def legend() -> Text:
    text = Text("  ")
    for colour, name in BUCKET_STYLES.values():
        text.append("█ ", colour)
        text.append(f"{name}   ")
    return text


@dataclass
class DashboardRow:
    path: Path
    project: str
    locale: str
    key: "CatalogKey | None"
    progress: "Progress | None"
    last_activity: str = ""
    changed_upstream: int = 0
    error: str | None = None
    machine: tuple[int, int, int] = (0, 0, 0)  # CatalogStatus.machine_split: memory, DeepL, LLM
    project_root: Path | None = None  # the project's folder: where `n` starts a locale
    project_handle: str = ""
    sources_only: bool = False  # a project with neither a catalog nor a template (the row's path is its folder)


class LocaleStarted(Message):
    """A new catalog was created from the template (``result``: a ``jobs.catalogs.InitResult``)."""

    def __init__(self, result: InitResult) -> None:
        self.result = result
        super().__init__()


class SeedingFinished(Message):
    """The memory learned the catalogs found (``report``: a ``jobs.memory.SeedReport``)."""

    def __init__(self, report) -> None:
        self.report = report
        super().__init__()


class CatalogTable(DataTable):
    """The dashboard's table of catalogs: Home and End go to the first and last catalog (a DataTable
    in row mode scrolls sideways on them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", "First catalog", show=False, id="catalogs_first"),
        Binding("end", "last_row", "Last catalog", show=False, id="catalogs_last"),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)


class DashboardScreen(Screen):
    app: "TranskitApp"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="open_catalog"),
        Binding("n", "new_locale", "New locale", id="new_locale"),
        Binding("r", "rescan", "Rescan", id="rescan"),
        Binding("escape", "app.quit", "Quit", show=False, id="dashboard_quit"),
    ]

    def __init__(self, root: "Path | list[Path]") -> None:
        super().__init__()
        self.roots = list(root) if isinstance(root, (list, tuple)) else [root]
        self.root = self.roots[0]  # the first folder (or file) asked about
        self.where = " ".join(map(str, self.roots))  # what titles say the dashboard is "under"
        self.rows: dict[str, DashboardRow] = {}
        self.narrow: bool | None = None
        self._shown: "tuple[FolderStatus, list[DashboardRow]] | None" = None
        self.seeding_failures: list = []  # the catalogs the memory could not learn from (SeedFailure)
        self._shown_width = 0  # the width the rows were laid out for (an error row's message fits it)
        self._select_after_scan: Path | None = None  # the catalog just created: the cursor goes to it

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dashboard-title")
        yield Static(id="memory-status")  # seeding's progress, then the catalogs it could not learn from
        yield CatalogTable(id="catalogs", cursor_type="row", zebra_stripes=True)
        yield Static(legend(), id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.where
        self._set_columns(self.app.size.width < NARROW_BELOW)
        self.query_one("#memory-status", Static).display = False
        self.query_one("#dashboard-title", Static).update(Text(f"Scanning {self.where} …", "dim"))
        self.scan()

    def _set_columns(self, narrow: bool) -> None:
        table = self.query_one(DataTable)
        self.narrow = narrow
        table.clear(columns=True)
        table.add_columns(*(NARROW_COLUMNS if narrow else COLUMNS))

    def on_resize(self, event) -> None:
        if self.seeding_failures:  # the list is folded at the panel's width
            self._show_failures()
        narrow = event.size.width < NARROW_BELOW
        if self.narrow is None:
            return
        if self._shown is None:  # still scanning: the columns' headers only
            if narrow != self.narrow:
                self._set_columns(narrow)
            return
        if event.size.width == self._shown_width:
            return  # laid out for this width already (a taller or shorter screen changes nothing)
        # the rows are laid out for the width: names cut, messages given the room left, or the narrow
        # columns where the wide ones would not fit
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        self._set_columns(narrow)
        if self._shown is not None:
            self.show_rows(*self._shown)
            if table.row_count:
                table.move_cursor(row=min(cursor, table.row_count - 1))

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def scan(self) -> None:
        from transkit.jobs.status import folder_status

        store = self.app.store
        self._cancel = CancelToken()
        steps = ProgressReporter(lambda event: self.post_message(JobProgress(event)), "catalogs",
                                 cancel=self._cancel)
        status = folder_status(self.roots, store=store, cancel=self._cancel,
                               on_progress=lambda done, total, path: steps.update(done, total, str(path)))
        steps.finish()
        if status.cancelled:
            return
        rows = self._rows(status, store)
        for row in rows:  # name files as the user named the folder, not by absolute path
            if row.error:
                row.error = self.shown(row.error)
        for item in status.left_out:  # a catalog no locale is known for: a row saying so, never a silent gap
            if item.is_folder:  # a vendor/ or node_modules/ not searched: the notes line says it, no row
                continue
            rows.append(DashboardRow(item.path, item.path.name, "?", None, None,
                                     error=self.shown(f"{item.path}: left out: {item.reason}; {item.hint}")))
        known = {row.path.resolve() for row in rows}
        projects = projects_for(self.roots)
        for project in projects:
            if any((f.path.resolve() in known) for f in project.files if f.kind == "po"):
                continue
            if project.kind == "gettext" and not project.files:  # only a left-out file: its row says it
                continue
            if project.template:
                rows.append(DashboardRow(project.template, project.handle, "template", None, None,
                                         project_root=project.root, project_handle=project.handle))
            else:  # a plugin that ships nothing to translate yet: still a row, or it looks like no plugin
                rows.append(DashboardRow(project.root, project.handle, "", None, None, project_root=project.root,
                                         project_handle=project.handle, sources_only=True))
        self.app.call_from_thread(self.show_rows, status, rows)
        self.seed_memory(memory_sources(projects))

    @staticmethod
    def _rows(status: "FolderStatus", store) -> list[DashboardRow]:
        rows = []
        for catalog in status.catalogs:
            ref = catalog.ref
            last = ""
            if not catalog.error:
                events = store.history(key=ref.key, limit=1, include_sync=False)
                if events:
                    last = events[0].at.replace("T", " ")[:16]
            # core, themes and must-use plugins say so (plugins and gettext projects are the usual case)
            kind = {"wordpress-core": "core", "wordpress-theme": "theme",
                    "wordpress-mu-plugin": "mu-plugin"}.get(ref.project_kind)
            project = f"{ref.project} ({kind})" if kind else ref.project
            rows.append(DashboardRow(ref.path, project, ref.locale, ref.key, catalog.review, last,
                                     catalog.source_changed, catalog.error, catalog.machine_split,
                                     project_root=ref.root, project_handle=ref.project))
        # one project with several catalogs of a locale (core's admin-, admin-network-, …): the
        # domain tells the rows apart, as `transkit scan` shows them ("de_DE (admin)")
        domains: dict[tuple[str, str], set[str]] = {}
        for row, catalog in zip(rows, status.catalogs):
            domains.setdefault((row.project, row.locale), set()).add(catalog.ref.domain)
        for row, catalog in zip(rows, status.catalogs):
            # a catalog of another text domain than its plugin's says which, alone too (discovery's note)
            other = any(problem.code == "other-domain" for problem in catalog.ref.problems)
            if len(domains[(row.project, row.locale)]) > 1 or other:
                row.locale = f"{row.locale} ({catalog.ref.domain})"
        return rows

    @staticmethod
    def _notes_line(status: "FolderStatus") -> str:
        """Discovery's notes on the catalogs listed (``transkit scan`` and ``doctor`` show each
        one): catalogs of another text domain than their plugin's, language packs of plugins that
        are not installed — one sentence; then the vendor/ and node_modules/ not searched whose
        packages hold catalogs — one more; or "" when there are none."""
        counts = Counter(problem.code for catalog in status.catalogs for problem in catalog.ref.problems
                         if problem.is_note)
        parts = []
        if counts["other-domain"]:
            n = counts["other-domain"]
            parts.append(f"{n} catalog{'s' if n != 1 else ''} of a text domain other than {'their' if n != 1 else 'its'} "
                         "plugin's (shown after the locale)")
        if counts["not-installed"]:
            n = counts["not-installed"]
            parts.append(f"{n} language pack{'s' if n != 1 else ''} of a plugin or theme that is not installed "
                         "(WordPress never loads it)")
        text = f"Notes: {'; '.join(parts)}. `transkit doctor` says which, and whether WordPress loads them." \
            if parts else ""
        bundled = [item for item in status.left_out if item.is_folder]
        if bundled:
            names = sorted({f"{item.path.name}/" for item in bundled})
            files = sum(len(item.files) for item in bundled)
            their = "their" if len(bundled) > 1 else "its"
            text += (("\n" if text else "") + f"Not searched: {' and '.join(names)} (third-party code); {their} "
                     f"packages hold {counted(files, 'catalog file')}. Open a package's folder "
                     "to work on them (`transkit scan` names them).")
        return text

    def shown(self, text: str) -> str:
        """``text`` (an error naming a file) with the folder asked about left out of its paths."""
        for root in self.roots:
            folder = root.resolve() if root.is_dir() else root.resolve().parent
            text = text.replace(str(folder) + os.sep, "")
        return text

    @work(thread=True, exclusive=True, group="memory", exit_on_error=False)
    def seed_memory(self, sources: list) -> None:
        from transkit.jobs.memory import seed_memory

        self._seed_cancel = CancelToken()
        # unchanged files are skipped, so this is cheap on every scan; its count shows while it runs
        report = seed_memory(sources, progress=lambda event: self.post_message(JobProgress(event)),
                             cancel=self._seed_cancel)
        if not self._seed_cancel.cancelled:
            # posted, not called: it then comes after every count the worker posted before it
            self.post_message(SeedingFinished(report))

    def on_seeding_finished(self, message: "SeedingFinished") -> None:
        self.show_seeding(message.report)

    def show_seeding(self, report) -> None:
        """After seeding: nothing when the memory learned every catalog; else the catalogs it could
        not learn from (file, line, reason) in a panel above the table, and a notification."""
        panel = self.query_one("#memory-status", Static)
        self.seeding_failures = list(report.failures)
        if not report.failures:
            panel.display = False
            return
        count = len(report.failures)
        self._show_failures()
        panel.display = True
        self.notify(f"Memory could not learn from {count} catalog{'s' if count != 1 else ''}; "
                    "they are listed above the table.", title="Memory", severity="warning", timeout=8)

    def _show_failures(self) -> None:
        """The seeding failures as a list: two cells in, a failure's folded lines two more (one
        item stays one item at any width), at the panel's width."""
        panel = self.query_one("#memory-status", Static)
        failures = self.seeding_failures
        count = len(failures)
        text = Text(f"Memory: could not learn from {count} catalog{'s' if count != 1 else ''}", "bold #e5a50a")
        text.append(" (its suggestions leave them out):" if count <= MEMORY_FAILURES_SHOWN else
                    f"; the first {MEMORY_FAILURES_SHOWN} (`transkit scan` lists every one):", "#e5a50a")
        width = max(20, self.size.width - panel.styles.gutter.width - 4)
        for failure in failures[:MEMORY_FAILURES_SHOWN]:
            lines = Text(self.shown(str(failure))).wrap(self.app.console, width)
            for number, line in enumerate(lines):
                text.append("\n  " + ("  " if number else ""))
                text.append_text(line)
        panel.update(text)

    def show_rows(self, status: "FolderStatus", rows: list[DashboardRow]) -> None:
        self._shown = (status, rows)
        table = self.query_one(DataTable)
        self.rows = {}
        narrow = bool(self.narrow)
        cells_by_key: dict[str, tuple] = {}
        for row in rows:
            key = str(row.path)
            self.rows[key] = row
            if row.error:  # its message is cut once the other columns are measured (below)
                cells_by_key[key] = (row.project, row.locale, "", *[""] * (len(COLUMNS) - 3))
                continue
            if row.sources_only:  # its note is chosen once the other columns are measured (below)
                cells_by_key[key] = (row.project, Text("—", "dim"), "", *[""] * (len(COLUMNS) - 3))
                continue
            if row.progress is None:  # its note is chosen once the other columns are measured (below)
                cells_by_key[key] = (row.project, Text("template" if narrow else "template only", "dim"),
                                     "", *[""] * (len(COLUMNS) - 3))
                continue
            progress = row.progress
            cells_by_key[key] = (
                row.project, row.locale, progress_bar(progress, NARROW_BAR_WIDTH if narrow else BAR_WIDTH),
                f"{progress.percent_reviewed:.0f}%", str(progress.untranslated), *map(str, row.machine),
                str(progress.fuzzy),
                Text(str(row.changed_upstream), "bold #e5a50a") if row.changed_upstream else "",
                (short_day(row.last_activity) if narrow else row.last_activity) or Text("never", "dim"))
        # Columns get explicit widths measured here: DataTable's own auto width is measured on an idle
        # event, and a table drawn before that event showed every column cut to its header ("hello-c").
        labels = NARROW_COLUMNS if narrow else COLUMNS
        widths = [max([cell_len(label)] + [_cell_width(cells[i]) for cells in cells_by_key.values()])
                  for i, label in enumerate(labels)]
        # the table fits the screen: long project names are cut ("…") before anything scrolls sideways,
        # and an error row's message (or a template's note) takes the room the other columns leave, up to
        # the cap: at 80 columns that can be "line 76…" (enter shows the whole message)
        scrollbar = table.styles.scrollbar_size_vertical if len(cells_by_key) + 1 > table.size.height else 0
        available = self.size.width - table.styles.margin.width - scrollbar - 2 * table.cell_padding * len(widths)
        excess = sum(widths) - available
        if excess > 0 and not narrow:  # the wide columns do not fit (long names, a long date): the narrow ones
            self._set_columns(True)
            self.show_rows(status, rows)
            return
        if excess > 0 and widths[0] > PROJECT_MIN_WIDTH:
            widths[0] = max(PROJECT_MIN_WIDTH, widths[0] - excess)
            cells_by_key = {key: (cut_end(str(cells[0]), widths[0]), *cells[1:]) for key, cells in cells_by_key.items()}
        room = available - sum(widths[i] for i in range(len(widths)) if i != PROGRESS_COLUMN)
        note_width = max(widths[PROGRESS_COLUMN], min(ERROR_WIDTH, room))
        for key, row in self.rows.items():
            if row.error:
                note = Text(short_error(row.error, note_width), "#e01b24")
            elif row.sources_only:
                note = Text(next((n for n in SOURCES_NOTES if len(n) <= note_width), SOURCES_NOTES[-1]), "dim")
            elif row.progress is None:
                note = Text(next((n for n in TEMPLATE_NOTES if len(n) <= note_width), TEMPLATE_NOTES[-1]), "dim")
            else:
                continue
            cells = list(cells_by_key[key])
            cells[PROGRESS_COLUMN] = note
            cells_by_key[key] = tuple(cells)
            widths[PROGRESS_COLUMN] = max(widths[PROGRESS_COLUMN], note.cell_len)
        self._shown_width = self.size.width
        table.clear(columns=True)
        for label, width in zip(labels, widths):
            table.add_column(label, width=width)
        for key, cells in cells_by_key.items():
            table.add_row(*cells, key=key)
        selected, self._select_after_scan = self._select_after_scan, None
        if selected is not None:
            keys = [Path(key).resolve() for key in cells_by_key]
            if selected.resolve() in keys:
                table.move_cursor(row=keys.index(selected.resolve()))
        catalogs = sum(not row.sources_only for row in rows)
        summary = Text()
        summary.append(f"{catalogs} catalog{'s' if catalogs != 1 else ''}", "bold")
        summary.append(f" under {self.where}", "dim")
        if status.rebuilt:
            summary.append(f" — review state built from {len(status.rebuilt)} PO file(s)", "dim")
        bare = [row.project for row in rows if row.sources_only]
        if bare:
            summary.append(f"\n{', '.join(bare[:3])}{' and others' if len(bare) > 3 else ''}: no template and "
                           "no translation yet. Press n on a row to start a locale (the template is built "
                           "from the sources first).")
        notes = self._notes_line(status)
        if notes:
            summary.append("\n" + notes, "#e5a50a")
        if not rows:
            summary.append("\nNo plugin or gettext catalog found here. Run `transkit tui PATH` on a plugin "
                           "folder, a wp-content folder or a .po file.")
        self.query_one("#dashboard-title", Static).update(summary)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_row(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.open_row(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def open_row(self, key: str | None) -> None:
        row = self.rows.get(key or "")
        if row is None:
            return
        if row.sources_only:  # nothing to open yet: what enter can do is start one
            self.ask_locale(row)
            return
        if row.error:
            self.post_message(ProblemReported(row.error, "This catalog cannot be opened"))
            return
        self.app.open_catalog(row.path, row.key, f"{row.project} · {row.locale}")

    def action_new_locale(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.notify("No project here to start a translation of.", severity="warning")
            return
        row = self.rows.get(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")
        if row is not None:
            self.ask_locale(row)

    def ask_locale(self, row: DashboardRow) -> None:
        if row.project_root is None:  # a catalog given alone, outside any project folder
            self.notify("This catalog belongs to no project folder transkit found; open the plugin's folder "
                        "to start another locale.", severity="warning")
            return
        locales = Counter(r.locale for r in self.rows.values() if r.key is not None)
        suggested = locales.most_common(1)[0][0] if locales else ""  # the locale this user works in

        def started(code: str | None) -> None:
            if code:
                self.start_locale(row.project_root, row.project_handle, code)

        self.app.push_screen(LocaleScreen(row.project, suggested), started)

    @work(thread=True, exclusive=True, group="init", exit_on_error=False)
    def start_locale(self, root: Path, handle: str, locale: str) -> None:
        try:
            result = init_translation(root, locale, self.app.identity, handle or None)
        except TranskitError as err:
            self.post_message(ProblemReported(self.shown(str(err)), f"Could not start {locale}"))
            return
        self.post_message(LocaleStarted(result))

    def on_locale_started(self, message: LocaleStarted) -> None:
        result = message.result
        lines = [f"Created {self.shown(str(result.path))}: {result.counts}."]
        if result.template_built:
            warnings = result.template_problems
            lines.append(f"No template shipped: built {self.shown(str(result.template))} from the sources"
                         + (f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} "
                            "(`transkit extract` lists them):" if warnings else "."))
            lines += [f"  {self.shown(w)}" for w in warnings[:3]]
        if result.carried_from is not None:
            lines.append(f"Kept {result.carried} translations from {self.shown(str(result.carried_from))}.")
        if result.linguas_without is not None:  # said, never edited: the maintainer's file
            lines.append(f"{self.shown(str(result.linguas_without))} does not list {result.locale}: "
                         f"add it, or the build leaves this catalog out.")
        self.notify("\n".join(lines), title="New translation", timeout=10)
        self._select_after_scan = result.path
        self.scan()

    def on_job_progress(self, message: JobProgress) -> None:
        """The scan's count while it runs (a big wp-content takes seconds the first time), then the
        memory's while it learns the catalogs found (seconds too, the first time)."""
        event = message.event
        name = os.path.basename(event.message) if event.message else ""
        if event.stage == SEEDING_STAGE:
            if event.total is None or event.notice:
                return
            panel = self.query_one("#memory-status", Static)
            if event.finished:
                return  # show_seeding says what came of it
            panel.update(Text(f"Memory: learning from the catalogs found … {event.done}/{event.total}  {name}",
                              "dim"))
            panel.display = True
            return
        if self.rows or event.total is None or event.finished:
            return
        self.query_one("#dashboard-title", Static).update(
            Text(f"Scanning {self.where} … {event.done}/{event.total} catalogs  {name}", "dim"))

    def on_unmount(self) -> None:
        for cancel in (getattr(self, "_cancel", None), getattr(self, "_seed_cancel", None)):
            if cancel is not None:  # quitting during a first scan (or seeding) stops it between two catalogs
                cancel.cancel()

    def action_rescan(self) -> None:
        self.scan()

    def on_screen_resume(self) -> None:
        if self.rows:
            self.scan()  # progress changed while a catalog was open

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(ProblemReported(event.worker.error, f"{event.worker.group} failed"))
