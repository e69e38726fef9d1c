"""The one atomic write and the one save lock: symlinks, orphaned temporary files, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from transkit.catalog import load_catalog
from transkit.errors import CatalogError, UpstreamError
from transkit.files import atomic_write, save_lock
from transkit.upstream.mo import write_atomically

PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Save"\nmsgstr ""\n'


def test_saving_through_a_symlinked_po_writes_its_target(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "x-de_DE.po"
    real.write_text(PO, encoding="utf-8")
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    link = plugin / "x-de_DE.po"
    link.symlink_to(real)
    catalog = load_catalog(link)
    catalog.find("Save").msgstr = "Speichern"
    catalog.save()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert 'msgstr "Speichern"' in real.read_text(encoding="utf-8")
    assert sorted(p.name for p in plugin.iterdir()) == ["x-de_DE.po"]  # no temp file left beside the link


def test_an_orphaned_temporary_file_is_removed_on_the_next_save(tmp_path):
    po = tmp_path / "x-de_DE.po"
    po.write_text(PO, encoding="utf-8")
    orphans = [tmp_path / ".x-de_DE.po.transkit-abc123.tmp", tmp_path / ".x-de_DE.po.k2j3h4.tmp",
               tmp_path / ".x-de_DE.po.transkit-tmp"]
    for orphan in orphans:
        orphan.write_bytes(b"half a file")
        old = time.time() - 3600
        os.utime(orphan, (old, old))
    fresh = tmp_path / ".x-de_DE.po.transkit-inflight.tmp"  # another writer's, just now: left alone
    fresh.write_bytes(b"being written")
    unrelated = tmp_path / ".other.po.transkit-zzz.tmp"
    unrelated.write_bytes(b"not ours to judge")
    os.utime(unrelated, (time.time() - 3600,) * 2)
    catalog = load_catalog(po)
    catalog.find("Save").msgstr = "Speichern"
    catalog.save()
    assert not any(o.exists() for o in orphans)
    assert fresh.exists() and unrelated.exists()


def test_write_errors_are_transkit_errors_and_leave_the_old_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "x.mo"
    target.write_bytes(b"old")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(CatalogError, match="cannot write"):
            atomic_write(target, b"new")
        with pytest.raises(UpstreamError, match="cannot write"):
            write_atomically(target, b"new")
    finally:
        folder.chmod(0o700)
    assert target.read_bytes() == b"old"


def test_the_save_lock_is_held_across_processes(tmp_path):
    target = tmp_path / "x.po"
    marker = tmp_path / "order.txt"
    script = (
        "import sys, time\n"
        "from transkit.files import save_lock\n"
        "with save_lock(sys.argv[1]):\n"
        "    open(sys.argv[2], 'a').write('child-in\\n')\n"
        "    time.sleep(0.5)\n"
        "    open(sys.argv[2], 'a').write('child-out\\n')\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(target), str(marker)], env=os.environ)
    deadline = time.monotonic() + 60  # a bound for a broken run, not a speed requirement
    while not marker.exists() and time.monotonic() < deadline:  # the child holds the lock now
        time.sleep(0.01)
    with save_lock(target):
        marker.open("a").write("parent\n")
    child.wait()
    assert marker.read_text().split() == ["child-in", "child-out", "parent"]
