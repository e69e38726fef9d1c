"""The TUI in a real terminal: ``transkit tui`` in a pty, keys sent as the bytes terminals and tmux
send (ESC+digit for alt+digit, CSI for arrows and F-keys), assertions on the screen text and on the
PO file saved. Pilot delivers key names; these tests catch what a terminal does to them."""

from __future__ import annotations

import subprocess

import pytest

from transkit.catalog import load_catalog

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from tui_pty import Terminal, alt, ctrl  # noqa: E402

LIST_HAS_FOCUS = "⏎ Edit"  # the footer shows the list's own keys only while it has focus
SOURCE_LINE = "Shows a small gallery of the images attached to a"


@pytest.fixture
def gallery(sample_po):
    """tiny-gallery's Italian catalog, with a memory that knows hello-cli's Italian translations."""
    subprocess.run(["transkit", "tm", "import", str(sample_po / "hello-cli" / "po" / "it.po")],
                   check=True, capture_output=True)
    return sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"


@pytest.fixture
def terminal(gallery):
    opened: list[Terminal] = []

    def start(columns: int = 110, lines: int = 32) -> Terminal:
        term = Terminal(["tui", str(gallery)], cwd=gallery.parent, columns=columns, lines=lines)
        opened.append(term)
        term.wait_for("Tiny Gallery sett")
        term.wait_for(LIST_HAS_FOCUS)  # keys sent before the first focus would go nowhere
        return term

    yield start
    for term in opened:
        term.close()


def entry(path, msgid, msgctxt=None):
    return load_catalog(path).find(msgid, msgctxt)


def footer(text: str) -> str:
    return text.splitlines()[-1]


def focus_leaves_the_list(term: Terminal, key) -> None:
    """Send a key that moves the focus away from the list and wait until the footer shows it did."""
    term.send(key)
    term.wait_for(lambda text: LIST_HAS_FOCUS not in footer(text))


def search(term: Terminal, text: str, shown: str) -> None:
    focus_leaves_the_list(term, "/")
    term.send(text, "enter")
    term.wait_for(LIST_HAS_FOCUS)
    term.wait_for(shown)


def saved(term: Terminal, path) -> None:
    """ctrl+s, then wait until the file was written (saves replace it: a new inode) and no
    "● N unsaved" is left; the marker alone may be a frame behind the keys on a loaded machine."""
    before = path.stat()
    term.send(ctrl("s"))
    term.wait_for(lambda text: "●" not in text.splitlines()[1] and path.stat().st_ino != before.st_ino)

def test_down_then_tab_types_into_the_editor_and_letters_are_not_commands(terminal, gallery):
    term = terminal()
    term.send("down")
    term.wait_for(SOURCE_LINE)
    focus_leaves_the_list(term, "tab")
    term.send("Una piccola galleria di immagini del post.")
    term.wait_for("Una piccola galleria di")
    # d (DeepL), z (undo), a (approve) were typed as letters: no DeepL message, nothing undone
    assert "DeepL" not in term.text.split("Una piccola")[0][-200:]
    saved(term, gallery)
    assert entry(gallery, "Shows a small gallery of the images attached to a post.").msgstr == \
        "Una piccola galleria di immagini del post."


def test_a_plural_entry_takes_both_forms_by_tab_and_tab_returns_to_the_list(terminal, gallery):
    term = terminal()
    search(term, "%d image", "Singular")
    focus_leaves_the_list(term, "tab")
    term.send("%d immagine", "tab", "%d immagini")
    term.wait_for("%d immagini")
    term.send("tab")
    term.wait_for(LIST_HAS_FOCUS)  # back in the list: "/" is the search key again, not a character
    focus_leaves_the_list(term, "/")
    assert "%d immagini/" not in term.text
    saved(term, gallery)
    found = entry(gallery, "%d image")
    assert [found.msgstr_plural[0], found.msgstr_plural[1]] == ["%d immagine", "%d immagini"]
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(gallery)], check=True)


@pytest.mark.parametrize("keys", [[alt("1")], [ctrl("g"), "1"]], ids=["ESC+1", "ctrl+g 1"])
def test_accept_suggestion_one_while_typing(terminal, gallery, keys):
    term = terminal()
    search(term, "Save Changes", "Salva le modifiche")  # the memory's suggestion is shown
    focus_leaves_the_list(term, "tab")
    term.send(*keys)
    term.wait_for(lambda text: text.count("Salva le modifiche") >= 3)  # list, editor, suggestion
    saved(term, gallery)
    found = entry(gallery, "Save Changes")
    assert found.msgstr == "Salva le modifiche" and found.fuzzy  # a suggestion waits for review
    assert "¡" not in found.msgstr and "1" not in found.msgstr


def test_approve_refuses_an_error_and_approve_anyway_is_explicit(terminal, gallery):
    term = terminal()
    search(term, "is empty", "La galleria %s è vuota.")
    term.send("a")
    term.wait_for("Not approved")
    term.send("escape")  # keep editing
    term.wait_for(lambda text: "Not approved" not in text)
    saved(term, gallery)
    assert entry(gallery, 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.').fuzzy
    term.send(ctrl("r"))
    term.wait_for("Approve anyway")
    term.send("y")
    term.wait_for(lambda text: "Approve anyway" not in text)
    saved(term, gallery)
    assert not entry(gallery, 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.').fuzzy


def test_after_approve_and_after_help_the_arrows_still_move(terminal, gallery):
    term = terminal()
    term.send("down", "down")
    term.wait_for("Used in   tiny-gallery.php:17")  # "Tiny Gallery settings", translated
    term.send("a")  # approved; the cursor goes to the next entry that needs work
    term.wait_for("Choose how many columns the gallery")
    term.send("down")
    term.wait_for("Singular")
    term.send("f1")
    help_text = term.wait_for("transkit — keys")
    assert "Approve+next" in help_text and "[accept" not in help_text and "_list]" not in help_text
    term.send("escape")
    term.wait_for(lambda text: "transkit — keys" not in text)
    term.send("up")
    term.wait_for("Choose how many columns the gallery")
    saved(term, gallery)
    assert not entry(gallery, "Tiny Gallery settings").fuzzy


def test_f5_asks_deepl_and_a_missing_key_is_a_message(terminal):
    term = terminal()
    term.send("down", "f5")
    term.wait_for("no DeepL key")


def test_the_footer_names_the_keys_at_80_columns(terminal):
    term = terminal(columns=80, lines=24)
    footer = term.text.splitlines()[-1]
    assert "Save" in footer and "Keys" in footer
