"""The TUI's DeepL path against the local DeepL-compatible server: the real app, the real deepl
library, keys in, PO files and review state out. A DeepL failure is a message; the editor goes on."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from deepl_server import TEST_KEY
from transkit.catalog import load_catalog
from transkit.store import ReviewState, ReviewStore
from transkit.tui.app import TranskitApp
from transkit.tui.screens.catalog import CatalogScreen
from transkit.tui.screens.modals import ErrorScreen
from tui_helpers import SIZE, msgfmt_ok, search, settle, wait_until

pytest_plugins = ["deepl_fixtures"]

GALLERY = 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.'


@pytest.fixture
def po_path(sample_po) -> Path:
    return sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"


@pytest.fixture
def deepl_env(deepl_server, deepl_settings, monkeypatch):
    """The app's own DeepL provider finds the key and the server in the environment."""
    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    return deepl_server


async def open_catalog(app, pilot) -> CatalogScreen:
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, CatalogScreen)
    return screen


def suggestions_shown(screen: CatalogScreen) -> str:
    """What the suggestions pane shows, as plain text."""
    return str(screen.editor.query_one("#suggestions").render())




async def test_deepl_suggestion_for_placeholders_and_plural_is_accepted_as_fuzzy_machine(
        po_path, deepl_env):
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        session = screen.session

        await search(pilot, screen, "Gallery %1$s")
        assert session.entries[screen.index].msgid == GALLERY
        await pilot.press("d")
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        expected = 'GALLERY %1$s IS EMPTY. <a href="%2$s">ADD IMAGES</a>.'
        assert [s.provider for s in screen.suggestions] == ["deepl"]
        shown = suggestions_shown(screen)
        assert expected in shown and "DeepL" in shown
        await pilot.press("1")
        gallery = session.entries[screen.index]
        assert gallery.msgstr == expected and gallery.fuzzy
        assert session.status(screen.index) == "machine"

        await search(pilot, screen, "%d image")
        assert session.entries[screen.index].msgid == "%d image"
        await pilot.press("d")
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        shown = suggestions_shown(screen)
        assert "%d IMAGE | %d IMAGES" in shown
        await pilot.press("1")
        plural = session.entries[screen.index]
        assert plural.msgstr_plural == {0: "%d IMAGE", 1: "%d IMAGES"} and plural.fuzzy

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not session.modified
        key = session.key

    saved = load_catalog(po_path)
    on_disk = saved.find(GALLERY)
    assert on_disk.msgstr == expected and on_disk.fuzzy
    assert "%1$s" in on_disk.msgstr and 'href="%2$s"' in on_disk.msgstr
    plural_on_disk = saved.find("%d image")
    assert plural_on_disk.msgstr_plural == {0: "%d IMAGE", 1: "%d IMAGES"} and plural_on_disk.fuzzy
    msgfmt_ok(po_path)
    with ReviewStore.open() as store:
        states = store.states(key)
    for msgid in (GALLERY, "%d image"):
        assert states[(None, msgid)].provider == "deepl", msgid
        assert states[(None, msgid)].state is not ReviewState.REVIEWED
    # asked once per text: two texts for the plural, one for the gallery entry
    assert len(deepl_env.state.texts_translated()) == 3


async def test_quota_exceeded_is_a_message_and_the_editor_keeps_working(po_path, deepl_env):
    deepl_env.faults.quota_characters = 0  # every translate request is answered 456
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Lightbox")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "quota" in app.screen.message.lower() and "456" in app.screen.message
        assert TEST_KEY not in app.screen.message
        await pilot.press("escape")
        assert app.screen is screen
        assert not [s for s in screen.suggestions if s.provider == "deepl"]
        await pilot.press("enter", *"Lightbox (finestra)", "ctrl+s")
        await settle(app, pilot)
        assert not screen.session.modified
    assert deepl_env.state.translate_requests(456), "the server was never asked"
    assert load_catalog(po_path).find("Lightbox").msgstr == "Lightbox (finestra)"
    msgfmt_ok(po_path)


async def test_typing_lands_while_deepl_is_slow(po_path, deepl_env):
    """The lookup runs in a worker: keys typed while the server takes its time reach the editor
    at once, and the late answer joins the suggestions without touching what was typed."""
    # the server answers when the test lets it (within 60 s): typing that waited for the answer
    # would find it answered below
    deepl_env.faults.hold = answer = threading.Event()
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Lightbox")
        await pilot.press("d", "enter", *"Finestra luminosa")
        assert screen.editor.text_area.text == "Finestra luminosa"
        assert "asking DeepL" in suggestions_shown(screen)  # in the pane for as long as it takes
        assert screen.session.entries[screen.index].msgstr == "Finestra luminosa"
        assert await wait_until(pilot, deepl_env.state.translate_requests), "DeepL was not asked"
        requests = deepl_env.state.translate_requests()
        assert requests[0].status == 0, "typing waited for the server's answer"
        answer.set()
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        assert "LIGHTBOX" in suggestions_shown(screen)
        assert "asking DeepL" not in suggestions_shown(screen)
        assert screen.editor.text_area.text == "Finestra luminosa"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    saved = load_catalog(po_path).find("Lightbox")
    assert saved.msgstr == "Finestra luminosa" and not saved.fuzzy


@pytest.mark.parametrize("damage", ["drop", "unknown"])
async def test_damaged_tags_are_not_offered_and_never_reach_the_po(po_path, deepl_env, damage):
    deepl_env.faults.tag_damage = damage
    before = po_path.read_bytes()
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Gallery %1$s")
        gallery = screen.session.entries[screen.index]
        for attempt in range(2):  # the second time the answer comes from the MT cache
            await pilot.press("d")
            await settle(app, pilot)
            assert isinstance(app.screen, ErrorScreen), f"attempt {attempt + 1}: no message"
            assert "placeholder" in app.screen.message.lower() or "tag" in app.screen.message.lower()
            await pilot.press("escape")
            assert not [s for s in screen.suggestions if s.provider == "deepl"]
            assert "GALLERY" not in suggestions_shown(screen)
            await pilot.press("1")  # nothing from DeepL to accept
            assert "GALLERY" not in gallery.msgstr
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert len(deepl_env.state.translate_requests(200)) == 1, "the damaged answer was paid for twice"
    assert po_path.read_bytes() == before


async def test_a_silent_server_is_reported_and_typing_goes_on(po_path, deepl_env, monkeypatch):
    # the server holds every request longer than the app waits (shortened here from 10 s)
    deepl_env.faults.stall, deepl_env.faults.stall_seconds = 5, 6.0
    monkeypatch.setattr(CatalogScreen, "DEEPL_TIMEOUT", 1.0)
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Settings saved.")
        await pilot.press("d", "enter", *"Salvate")
        assert screen.editor.text_area.text == "Salvate"
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "did not answer" in app.screen.message and TEST_KEY not in app.screen.message
        await pilot.press("escape")
        assert "asking DeepL" not in suggestions_shown(screen)
        await pilot.press(*" le impostazioni.", "ctrl+s")
        await settle(app, pilot)
    assert len(deepl_env.state.translate_requests()) == 2  # one retry, then the message
    assert load_catalog(po_path).find("Settings saved.").msgstr == "Salvate le impostazioni."
    msgfmt_ok(po_path)


async def test_quitting_while_deepl_is_silent_does_not_wait_for_it(po_path, deepl_env):
    deepl_env.faults.stall, deepl_env.faults.stall_seconds = 1, 120.0  # released when the server stops
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Lightbox")
        await pilot.press("d")
        # the server holds the request (recorded on arrival, counted as held just after)
        assert await wait_until(pilot, lambda: deepl_env.state.stalled_now == 1), "DeepL was not asked"
        await pilot.press("ctrl+q")
    # the app is gone while the server still holds the request unanswered
    assert deepl_env.state.stalled_now == 1


async def test_deepl_still_suggests_when_the_memory_is_unavailable(po_path, deepl_env, isolated_home):
    (isolated_home / "data").mkdir(exist_ok=True)
    (isolated_home / "data" / "tm.sqlite").write_bytes(b"this is not a database\n" * 100)
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Lightbox")
        assert screen.memory is None, "the broken memory was not noticed"
        await pilot.press("d")
        await settle(app, pilot)
        assert not isinstance(app.screen, ErrorScreen), getattr(app.screen, "message", "")
        assert "LIGHTBOX" in suggestions_shown(screen)
        await pilot.press("1", "ctrl+s")
        await settle(app, pilot)
    saved = load_catalog(po_path).find("Lightbox")
    assert saved.msgstr == "LIGHTBOX" and saved.fuzzy


@pytest.mark.parametrize("trouble", ["wrong key", "nobody listening"])
async def test_key_and_network_failures_are_messages(po_path, deepl_env, monkeypatch, trouble):
    if trouble == "wrong key":
        monkeypatch.setenv("DEEPL_AUTH_KEY", "0000-not-the-key:fx")
        expected = "refused the key"
    else:
        import socket

        with socket.socket() as probe:  # a port that was free a moment ago: connections are refused
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        monkeypatch.setenv("DEEPL_SERVER_URL", f"http://127.0.0.1:{port}")
        expected = "did not answer"
    app = TranskitApp(po_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        await search(pilot, screen, "Lightbox")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert expected in app.screen.message
        assert "0000-not-the-key" not in app.screen.message and TEST_KEY not in app.screen.message
        await pilot.press("escape", "enter", *"Lightbox", "ctrl+s")
        await settle(app, pilot)
    assert load_catalog(po_path).find("Lightbox").msgstr == "Lightbox"
