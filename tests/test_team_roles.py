"""Team roles (translator, reviewer) on both backends: once roles are on, only a reviewer approves —
from the CLI, the TUI's edit session and fill --trust-exact — and only a reviewer changes roles."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from transkit.catalog import load_catalog
from transkit.jobs.edit_session import open_catalog
from transkit.jobs.team import RoleError
from transkit.store import ReviewStore


def transkit(who: str, *args, check_rc: int | None = None):
    env = {**os.environ, "TRANSKIT_TRANSLATOR_NAME": who}
    result = subprocess.run(["transkit", *args], capture_output=True, text=True, env=env)
    if check_rc is not None:
        assert result.returncode == check_rc, result.stdout + result.stderr
    return result


def write_po(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de_DE\\n"\n\n'
                    '#, fuzzy\nmsgid "Cart"\nmsgstr "Warenkorb"\n\n#, fuzzy\nmsgid "Pay"\nmsgstr "Bezahlen"\n',
                    encoding="utf-8")
    return path


def fuzzy_msgids(po: Path) -> list[str]:
    return [e.msgid for e in load_catalog(po).entries if e.fuzzy]


def test_without_roles_everyone_approves(backend, tmp_path):
    po = write_po(tmp_path / "shop" / "shop-de_DE.po")
    shown = json.loads(transkit("Bob", "team", "list", "--json", check_rc=0).stdout)
    assert shown == {"roles": {}, "you": "Bob", "your_role": None}
    transkit("Bob", "review", str(po), "--approve", "all", check_rc=0)
    assert fuzzy_msgids(po) == []


def test_a_translator_cannot_approve_once_roles_are_on(backend, tmp_path):
    po = write_po(tmp_path / "shop" / "shop-de_DE.po")
    before = po.read_bytes()
    transkit("Ada", "team", "set", "Ada", "reviewer", check_rc=0)
    refused = transkit("Bob", "review", str(po), "--approve", "all", check_rc=6)
    assert "Bob is a translator" in refused.stderr + refused.stdout and "only a reviewer approves" in refused.stderr
    assert po.read_bytes() == before  # nothing written
    assert json.loads(transkit("Bob", "team", "list", "--json", check_rc=0).stdout)["your_role"] == "translator"
    transkit("Bob", "review", str(po), "--approve", "all", "--dry-run", check_rc=0)  # looking is fine
    transkit("Ada", "review", str(po), "--approve", "msgid=Cart", check_rc=0)
    assert fuzzy_msgids(po) == ["Pay"]
    with ReviewStore.open() as store:  # the approval is Ada's
        assert {e.who for e in store.history(store_key(po)) if e.state == "reviewed"} == {"Ada"}


def store_key(po: Path):
    from transkit.jobs.catalogs import catalogs_for

    return catalogs_for([po])[0].key


def test_only_a_reviewer_changes_roles_and_the_last_one_stays(backend, tmp_path):
    transkit("Ada", "team", "set", "Ada", "reviewer", check_rc=0)
    refused = transkit("Bob", "team", "set", "Bob", "reviewer", check_rc=6)
    assert "Bob may not change roles: only a reviewer does (reviewers: Ada)" in refused.stderr
    transkit("Ada", "team", "set", "Cy", "translator", check_rc=0)
    last = transkit("Ada", "team", "remove", "Ada", check_rc=6)
    assert "Ada is the last reviewer" in last.stderr
    transkit("Ada", "team", "set", "Bob", "reviewer", check_rc=0)
    po = write_po(tmp_path / "shop" / "shop-de_DE.po")
    transkit("Bob", "review", str(po), "--approve", "all", check_rc=0)  # Bob may now
    transkit("Bob", "team", "remove", "Ada", check_rc=0)
    transkit("Bob", "team", "remove", "Cy", check_rc=0)
    off = transkit("Bob", "team", "remove", "Bob", check_rc=0)
    assert "the team uses no roles" in off.stdout
    assert json.loads(transkit("Cy", "team", "list", "--json", check_rc=0).stdout)["roles"] == {}


def test_the_tui_edit_session_refuses_a_translators_approve(backend, tmp_path, monkeypatch):
    po = write_po(tmp_path / "shop" / "shop-de_DE.po")
    transkit("Ada", "team", "set", "Ada", "reviewer", check_rc=0)
    for who, allowed in (("Bob", False), ("Ada", True)):
        monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", who)
        session = open_catalog(po)
        with ReviewStore.open() as store:
            session.load_states(store)
            if allowed:
                session.approve(0)
                session.save(store)
            else:
                with pytest.raises(RoleError, match="Bob is a translator"):
                    session.approve(0)
                session.set_form(1, 0, "Zahlen")  # translating is still Bob's to do
                session.save(store)
    assert fuzzy_msgids(po) == ["Pay"]
    assert load_catalog(po).entries[1].msgstr == "Zahlen"


def test_fill_trust_exact_is_an_approval(backend, tmp_path):
    po = write_po(tmp_path / "shop" / "shop-de_DE.po")
    transkit("Ada", "team", "set", "Ada", "reviewer", check_rc=0)
    before = po.read_bytes()
    refused = transkit("Bob", "fill", str(po), "--locale", "de_DE", "--provider", "tm", "--trust-exact",
                       check_rc=6)
    assert "only a reviewer approves" in refused.stderr
    assert po.read_bytes() == before
    transkit("Bob", "fill", str(po), "--locale", "de_DE", "--provider", "tm", check_rc=0)  # drafts are fine


def test_setting_the_first_role_for_someone_else_says_you_are_a_translator_now(backend):
    first = transkit("Root", "team", "set", "Ada", "reviewer", check_rc=0)
    assert "Ada is a reviewer" in first.stdout
    assert ("roles are on now and you (Root) are a translator: from now on only Ada approves and sets roles"
            in " ".join(first.stderr.split()))
    by_a_reviewer = transkit("Ada", "team", "set", "Bob", "translator", check_rc=0)
    assert by_a_reviewer.stderr == ""
    own = transkit("Cy", "team", "set", "Cy", "reviewer", check_rc=6)  # Root's note said why
    assert "only a reviewer does (reviewers: Ada)" in own.stderr
