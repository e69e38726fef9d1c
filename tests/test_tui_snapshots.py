"""Snapshots of the key screens (pytest-textual-snapshot): the UI's source of truth.

Regenerate after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transkit.tui.app import TranskitApp

from tui_helpers import wait_until

SIZE = (140, 40)


@pytest.fixture
def in_sample_folder(sample_po, monkeypatch) -> Path:
    """Run from the folder holding the copy, so the paths on screen are the same on every machine."""
    monkeypatch.chdir(sample_po.parent)
    return Path("sample_po")


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)


async def open_tiny_gallery(pilot) -> None:
    from textual.widgets import DataTable

    await settle(pilot)
    table = pilot.app.screen.query_one(DataTable)
    keys = [row.key.value for row in table.ordered_rows]
    table.move_cursor(row=next(i for i, key in enumerate(keys) if "tiny-gallery" in key))
    await pilot.press("enter")
    await settle(pilot)


def steady_cursor(pilot) -> None:
    """A blinking cursor would make the picture depend on the moment it is taken."""
    for area in pilot.app.screen.query("TextArea"):
        area.cursor_blink = False


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


def test_dashboard(snap_compare, in_sample_folder):
    async def run_before(pilot) -> None:
        from textual.widgets import DataTable

        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        # the table is filled from the scan's answer a few frames later on a busy machine: wait for
        # every row the screen holds, not a fixed time
        assert await wait_until(pilot, lambda: table.row_count and table.row_count == len(pilot.app.screen.rows)
                                and all(worker.is_finished for worker in pilot.app.workers))
        await pilot.pause()

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=SIZE, run_before=run_before)


def test_catalog_screen_with_the_editor_open(snap_compare, in_sample_folder):
    async def run_before(pilot) -> None:
        await open_tiny_gallery(pilot)
        await search(pilot, "Save Changes")  # a memory suggestion from hello-cli
        steady_cursor(pilot)
        await pilot.press("enter")

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=SIZE, run_before=run_before)


def test_plural_entry(snap_compare, in_sample_folder):
    async def run_before(pilot) -> None:
        await open_tiny_gallery(pilot)
        await search(pilot, "%d image")
        steady_cursor(pilot)
        await pilot.press("enter", *"%d immagine", "alt+right")
        await settle(pilot)

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=SIZE, run_before=run_before)


def test_error_message(snap_compare, in_sample_folder):
    """Asking DeepL with no key: a clear message over the editor, which keeps working."""

    async def run_before(pilot) -> None:
        await open_tiny_gallery(pilot)
        await search(pilot, "Lightbox")
        steady_cursor(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=SIZE, run_before=run_before)


def test_approve_refused_for_an_error(snap_compare, in_sample_folder):
    """ctrl+r on a translation with an error-level problem: a modal names it and offers "approve anyway"."""

    async def run_before(pilot) -> None:
        await open_tiny_gallery(pilot)
        await search(pilot, "is empty")
        steady_cursor(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=SIZE, run_before=run_before)


def test_command_key_menu_at_80_columns(snap_compare, in_sample_folder):
    """ctrl+g while typing: the keys that follow it, and the footer, fit 80 columns."""

    async def run_before(pilot) -> None:
        await open_tiny_gallery(pilot)
        await search(pilot, "Lightbox")
        steady_cursor(pilot)
        await pilot.press("tab", "ctrl+g")
        await settle(pilot)

    assert snap_compare(TranskitApp(in_sample_folder), terminal_size=(80, 24), run_before=run_before)
