"""Helpers the TUI tests share: drive the real app with Pilot and check what it wrote."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from transkit.tui.screens.catalog import CatalogScreen

SIZE = (150, 44)


async def settle(app, pilot) -> None:
    """Let workers (scan, store sync, checks, memory lookups) finish and the screen catch up."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


async def wait_until(pilot, condition, timeout: float = 60.0) -> bool:
    """Poll the app (its timers and threads go on by themselves) until ``condition()`` holds: True
    then, False after ``timeout`` seconds. A bound for a broken run, not a speed requirement: on a
    loaded machine a timer or a thread's answer comes late, and only a failing test waits it out."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        await pilot.pause(0.025)
    return True


async def search(pilot, screen: CatalogScreen, text: str) -> None:
    """Narrow the entry list to ``text`` with the search box, as a user types it."""
    await pilot.press("slash")
    screen.query_one("#search").value = ""
    await pilot.press(*text, "enter")
    await settle(screen.app, pilot)


def msgfmt_ok(path: Path) -> None:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
