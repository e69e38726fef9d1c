"""The one progress/cancel protocol of every long job (fill, scan, memory seeding, update, status,
review --approve).

A job never prints. It takes two optional keyword arguments and reports through them:

* ``progress: ProgressSink | None`` — a callable that receives ``ProgressEvent``s (done/total/message);
* ``cancel: CancelToken | None`` — set by the face (Ctrl-C, a TUI "cancel" key, closing a screen);
  the job looks at it between units of work, keeps what it finished and returns (or raises
  ``Cancelled``, an ``ExitCode.INTERRUPTED`` error, when it has nothing sensible to return).

Inside the job, a ``ProgressReporter`` does the bookkeeping::

    def update_catalogs(paths, *, progress=None, cancel=None):
        steps = ProgressReporter(progress, "catalogs", total=len(paths), cancel=cancel)
        for path in paths:
            if steps.cancelled:
                break
            ...
            steps.advance(message=str(path))
        steps.finish()

Generator jobs (``jobs.fill``) may also yield ``ProgressEvent``s instead of calling a sink.

The faces render the same events: the CLI with ``transkit.cli.progress.job_progress`` (a rich bar on a
terminal, a line every few seconds otherwise, nothing with ``--json`` whose document carries the
counts), the TUI by posting each event to its screen as a message. Events are throttled here, so a
job may call ``advance`` once per entry of a 12,000-entry catalog.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from transkit.errors import ExitCode, TranskitError

REPORT_INTERVAL_SECONDS = 0.1  # at most ~10 events a second reach a face; first and last always do


@dataclass(frozen=True)
class ProgressEvent:
    """Where a job stands in one stage of its work."""

    stage: str               # what is counted, shown as the label: "catalogs", "entries", "filling"
    done: int
    total: int | None        # None while unknown: a face shows a spinner with the count
    message: str = ""        # the current item (a path), or the text of a notice
    notice: bool = False     # True: a line worth showing on its own ("resuming run 3"), not a tick

    @property
    def finished(self) -> bool:
        return self.total is not None and self.done >= self.total

    def as_dict(self) -> dict:
        return {"stage": self.stage, "done": self.done, "total": self.total, "message": self.message}


ProgressSink = Callable[[ProgressEvent], None]


class Cancelled(TranskitError):
    """The user asked a job to stop; finished work was kept."""

    exit_code = ExitCode.INTERRUPTED


class CancelToken:
    """Set once by a face, read by a job. Also answers ``is_set``/``set``/``wait`` so code written for
    a ``threading.Event`` (the DeepL provider's retry waits) accepts a token unchanged."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled; finished work was kept")

    def wait(self, seconds: float | None = None) -> bool:
        """Sleep up to ``seconds``; True at once when cancelled meanwhile (a retry wait stops early)."""
        return self._event.wait(seconds)

    # threading.Event compatibility
    def set(self) -> None:
        self.cancel()

    def is_set(self) -> bool:
        return self.cancelled


class ProgressReporter:
    """Counts one stage of a job and forwards events to the sink, throttled to
    ``REPORT_INTERVAL_SECONDS`` (the first event, the last, notices and total changes always pass)."""

    def __init__(self, sink: ProgressSink | None, stage: str, total: int | None = None,
                 cancel: CancelToken | threading.Event | None = None, *, done: int = 0,
                 interval: float = REPORT_INTERVAL_SECONDS) -> None:
        self.sink = sink
        self.stage = stage
        self.total = total
        self.done = done
        self.cancel = cancel
        self.interval = interval
        self._last_sent = float("-inf")
        self._emit("", force=True)

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def advance(self, step: int = 1, message: str = "") -> None:
        self.done += step
        self._emit(message, force=self.total is not None and self.done >= self.total)

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        """Set the counts directly (a job that knows its position, e.g. after a batch)."""
        changed_total = total is not None and total != self.total
        if total is not None:
            self.total = total
        self.done = done
        self._emit(message, force=changed_total or (self.total is not None and self.done >= self.total))

    def notice(self, message: str) -> None:
        if self.sink is not None:
            self.sink(ProgressEvent(self.stage, self.done, self.total, message, notice=True))

    def finish(self, message: str = "") -> None:
        """The stage is over (also when it stopped early: ``done`` stays what was done)."""
        if self.total is None:
            self.total = self.done
        self._emit(message, force=True)

    def _emit(self, message: str, force: bool = False) -> None:
        if self.sink is None:
            return
        now = time.monotonic()
        if not force and now - self._last_sent < self.interval:
            return
        self._last_sent = now
        self.sink(ProgressEvent(self.stage, self.done, self.total, message))
