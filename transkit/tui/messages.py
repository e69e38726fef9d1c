"""Messages the screens and widgets post up to the app ("attributes down, messages up"): a screen
never calls the app's internals to report a failure or a job's progress."""

from __future__ import annotations

from textual.message import Message

from transkit.jobs.progress import ProgressEvent


class ProblemReported(Message):
    """Something failed that the user must see. The app shows it — a modal, or a warning
    notification when ``modal`` is False — and logs an unexpected exception with its traceback."""

    def __init__(self, error: BaseException | str, title: str = "Error", modal: bool = True) -> None:
        self.error = error
        self.title = title
        self.modal = modal
        super().__init__()


class JobProgress(Message):
    """A job running in a worker thread reports where it stands (posting is thread-safe)."""

    def __init__(self, event: ProgressEvent) -> None:
        self.event = event
        super().__init__()
