"""How the CLI shows a job's ``ProgressEvent``s (see ``transkit.jobs.progress``).

* on a terminal: a transient rich bar per stage (a spinner with the count while the total is unknown);
* otherwise (a pipe, a CI log): one line on stderr once the job has run ``QUIET_SECONDS``, then at
  most one every ``LINE_SECONDS``, and the stage's last count — a short job prints nothing;
* with ``--json``: nothing on either stream; the JSON document carries the counts.

Notices (``event.notice``) are printed in every mode but ``--json``: folded at a terminal's width, one
line in a log.
"""

from __future__ import annotations

import contextlib
import time
from typing import Iterator

from transkit.cli.common import err_console, escape, print_folded
from transkit.jobs.progress import ProgressEvent, ProgressSink

QUIET_SECONDS = 1.0
LINE_SECONDS = 5.0


@contextlib.contextmanager
def job_progress(as_json: bool = False) -> Iterator[ProgressSink]:
    """A sink for the duration of a job: ``with job_progress(as_json) as sink: job(..., progress=sink)``."""
    if as_json:
        yield lambda event: None
    elif err_console.is_terminal:
        with _bar() as sink:
            yield sink
    else:
        lines = _Lines()
        yield lines
        lines.close()


@contextlib.contextmanager
def _bar() -> Iterator[ProgressSink]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("[dim]{task.fields[item]}"), console=err_console,
                  transient=True) as bar:
        tasks: dict[str, int] = {}

        def sink(event: ProgressEvent) -> None:
            if event.notice:  # folded between words (the terminal would cut them anywhere), items indented
                print_folded(escape(event.message), hang=2, stream=bar.console)
                return
            if event.stage not in tasks:
                tasks[event.stage] = bar.add_task(event.stage, total=event.total, item="")
            bar.update(tasks[event.stage], completed=event.done, total=event.total,
                       item=_short(event.message))

        yield sink


class _Lines:
    """Periodic plain lines for logs: ``catalogs: 120/500 (wp-content/plugins/x/x-de_DE.po)``."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last_line = float("-inf")
        self.pending: dict[str, ProgressEvent] = {}  # latest count per stage not yet printed
        self.printed: dict[str, tuple[int, int | None]] = {}  # stage -> last count printed

    def __call__(self, event: ProgressEvent) -> None:
        if event.notice:
            err_console.print(escape(event.message))
            return
        now = time.monotonic()
        self.pending[event.stage] = event
        if now - self.started >= QUIET_SECONDS and now - self.last_line >= LINE_SECONDS:
            self._print(event)
        elif event.finished and event.stage in self.printed:
            self._print(event)

    def _print(self, event: ProgressEvent) -> None:
        self.pending.pop(event.stage, None)
        if self.printed.get(event.stage) == (event.done, event.total):
            return  # a stage's finish repeats its last count: one line says it
        self.last_line = time.monotonic()
        self.printed[event.stage] = (event.done, event.total)
        total = "" if event.total is None else f"/{event.total}"
        line = f"{event.stage}: {event.done}{total}"
        if event.message:  # the item's end ("…/x-de_DE.po") so the line fits the log's width
            line += f" ({_short(event.message, max(12, err_console.width - len(line) - 3))})"
        err_console.print(escape(line), soft_wrap=True)

    def close(self) -> None:
        """A stage that showed a line ends with its final count."""
        for stage, event in list(self.pending.items()):
            if stage in self.printed:
                self._print(event)


def _short(item: str, width: int = 40) -> str:
    return item if len(item) <= width else "…" + item[-(width - 1):]
