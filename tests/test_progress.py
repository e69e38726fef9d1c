"""The progress/cancel protocol every long job uses, and how the CLI renders it."""

from __future__ import annotations

import threading

from transkit.jobs.progress import CancelToken, ProgressEvent, ProgressReporter


def test_a_reporter_sends_the_first_and_last_count_and_throttles_the_rest():
    events: list[ProgressEvent] = []
    steps = ProgressReporter(events.append, "entries", total=10_000, interval=3600)
    for _ in range(10_000):
        steps.advance(message="x.po")
    assert [(e.done, e.total) for e in events] == [(0, 10_000), (10_000, 10_000)]
    assert events[-1].finished


def test_an_unknown_total_becomes_the_count_when_the_stage_finishes():
    events: list[ProgressEvent] = []
    steps = ProgressReporter(events.append, "catalogs", interval=0)
    steps.advance()
    steps.advance()
    steps.notice("skipped broken.po")
    steps.finish()
    assert [(e.done, e.total, e.notice) for e in events] == [
        (0, None, False), (1, None, False), (2, None, False), (2, None, True), (2, 2, False)]


def test_a_cancel_token_stops_a_wait_at_once_and_passes_for_a_threading_event():
    token = CancelToken()
    steps = ProgressReporter(None, "x", cancel=token)
    assert not steps.cancelled
    threading.Timer(0.05, token.cancel).start()
    assert token.wait(30) is True  # returned on cancel, not after 30 s
    assert token.is_set() and steps.cancelled


def test_cli_lines_when_not_a_terminal_only_for_a_job_that_takes_time(monkeypatch, capsys):
    from transkit.cli import progress as cli_progress

    with cli_progress.job_progress() as sink:  # a short job: no line at all
        steps = ProgressReporter(sink, "catalogs", total=3, interval=0)
        for _ in range(3):
            steps.advance(message="a.po")
    assert capsys.readouterr().err == ""

    monkeypatch.setattr(cli_progress, "QUIET_SECONDS", 0)
    monkeypatch.setattr(cli_progress, "LINE_SECONDS", 3600)
    with cli_progress.job_progress() as sink:
        steps = ProgressReporter(sink, "catalogs", total=3, interval=0)
        for name in ("a.po", "b.po", "c.po"):
            steps.advance(message=name)
        steps.notice("b.po: skipped")
    err = capsys.readouterr().err
    assert err.splitlines() == ["catalogs: 0/3", "catalogs: 3/3 (c.po)", "b.po: skipped"]


def test_cli_json_mode_prints_no_progress(monkeypatch, capsys):
    from transkit.cli import progress as cli_progress

    monkeypatch.setattr(cli_progress, "QUIET_SECONDS", 0)
    with cli_progress.job_progress(as_json=True) as sink:
        ProgressReporter(sink, "catalogs", total=1).advance()
    assert capsys.readouterr() == ("", "")
