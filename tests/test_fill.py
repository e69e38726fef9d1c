"""The fill job and `transkit fill` against the real deepl library and a DeepL-compatible server."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deepl_server import TEST_KEY
from transkit.catalog import load_catalog
from transkit.jobs.fill import fill
from transkit.store import ReviewStore

pytest_plugins = ["deepl_fixtures"]

HEADER = ('msgid ""\nmsgstr ""\n"Language: {locale}\\n"\n"Plural-Forms: {plural}\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
PLURALS = {"it_IT": "nplurals=2; plural=(n != 1);", "ja": "nplurals=1; plural=0;",
           "ru_RU": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                    "(n%100<10 || n%100>=20) ? 1 : 2);"}
BODY = '''#, php-format
msgid "Hello %s, welcome back"
msgstr ""

msgid "Save the form"
msgstr ""

#, php-format
msgid "Danger %1$s and %2$s"
msgstr ""

#, php-format
msgid "%d file deleted"
msgid_plural "%d files deleted"
msgstr[0] ""
msgstr[1] ""

msgctxt "verb"
msgid "Post"
msgstr ""

msgid "Already done"
msgstr "Fatto"
'''


def write_po(path: Path, locale: str = "it_IT", body: str = BODY) -> Path:
    path.write_text(HEADER.format(locale=locale, plural=PLURALS[locale]) + body, encoding="utf-8")
    return path


def run(paths, locale="it_IT", **options):
    events = list(fill(paths, locale, **options))
    assert events[-1].kind == "done"
    return events[-1].report


def msgfmt_ok(path: Path) -> None:
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_fills_from_deepl_fuzzy_with_placeholders_and_plurals(tmp_path, deepl_provider, deepl_server):
    po = write_po(tmp_path / "demo-it_IT.po")
    report = run([po], provider=deepl_provider)
    catalog = load_catalog(po)
    hello = catalog.find("Hello %s, welcome back")
    assert hello.msgstr == "HELLO %s, WELCOME BACK" and hello.fuzzy
    plural = catalog.find("%d file deleted")
    assert plural.msgstr_plural == {0: "%d FILE DELETED", 1: "%d FILES DELETED"} and plural.fuzzy
    assert catalog.find("Post", "verb").msgstr == "POST"
    assert catalog.find("Already done").msgstr == "Fatto" and not catalog.find("Already done").fuzzy
    assert report.from_mt == 5 and report.billed_characters == deepl_server.state.characters_billed > 0
    # the context (msgctxt) travels unbilled with the "Post" request
    contexts = [r.body.get("context") for r in deepl_server.state.translate_requests(200)]
    assert any(c and "verb" in c for c in contexts)
    msgfmt_ok(po)
    with ReviewStore.open() as store:
        from transkit.store import CatalogKey

        state = store.state_of(CatalogKey.for_catalog(catalog), hello)
    assert state.state.value == "suggested" and state.provider == "deepl"


@pytest.mark.parametrize("locale, forms", [("ja", 1), ("ru_RU", 3)])
def test_every_plural_form_is_filled(tmp_path, deepl_provider, locale, forms):
    po = write_po(tmp_path / f"demo-{locale}.po", locale)
    run([po], locale, provider=deepl_provider)
    plural = load_catalog(po).find("%d file deleted")
    assert sorted(plural.msgstr_plural) == list(range(forms))
    assert all(plural.msgstr_plural.values())
    if forms == 1:  # nplurals=1 translates the plural source, never the singular
        assert plural.msgstr_plural[0] == "%d FILES DELETED"
    msgfmt_ok(po)


@pytest.mark.parametrize("damage", ["drop", "duplicate", "unknown"])
def test_damaged_placeholders_are_never_written(tmp_path, deepl_provider, deepl_server, damage):
    deepl_server.faults.tag_damage = damage
    deepl_server.faults.damage_match = "Danger"
    po = write_po(tmp_path / "demo-it_IT.po")
    report = run([po], provider=deepl_provider)
    catalog = load_catalog(po)
    assert catalog.find("Danger %1$s and %2$s").msgstr == ""
    assert [s.msgid for s in report.skipped] == ["Danger %1$s and %2$s"]
    assert catalog.find("Hello %s, welcome back").msgstr == "HELLO %s, WELCOME BACK"
    msgfmt_ok(po)


def test_second_run_and_other_catalogs_send_nothing(tmp_path, deepl_provider, deepl_server):
    first = write_po(tmp_path / "one-it_IT.po")
    run([first], provider=deepl_provider)
    billed = deepl_server.state.characters_billed
    requests = len(deepl_server.state.translate_requests())
    second = write_po(tmp_path / "two-it_IT.po")  # another plugin sharing the same strings
    report = run([second], provider=deepl_provider)
    assert len(deepl_server.state.translate_requests()) == requests
    assert deepl_server.state.characters_billed == billed
    assert report.billed_characters == 0 and report.from_cache == report.from_mt == 5
    assert load_catalog(second).find("Save the form").msgstr == "SAVE THE FORM"


def test_identical_strings_are_sent_once(tmp_path, deepl_provider, deepl_server):
    one, two = write_po(tmp_path / "a-it_IT.po"), write_po(tmp_path / "b-it_IT.po")
    report = run([one, two], provider=deepl_provider)
    texts = deepl_server.state.texts_translated()
    assert len(texts) == len(set(texts)) == 6  # 4 singular + 2 plural sources, once each
    assert report.from_mt == 10


def many_strings(count: int) -> str:
    return "".join(f'msgid "Message number {n} about the form"\nmsgstr ""\n\n' for n in range(count))


def test_quota_stop_keeps_finished_work_and_resumes(tmp_path, make_provider, deepl_server):
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(300))
    deepl_server.faults.quota_characters = 3000
    provider = make_provider(concurrency=1)
    report = run([po], provider=provider)
    assert report.stopped and "quota" in report.stopped
    kept = [e for e in load_catalog(po).entries if e.msgstr]
    assert 0 < len(kept) < 300 and all(e.fuzzy for e in kept)
    assert len(kept) == report.from_mt
    sent_before = set(deepl_server.state.texts_translated())
    deepl_server.faults.quota_characters = None
    report = run([po], provider=provider)
    sent_after = deepl_server.state.texts_translated()[len(sent_before):]
    assert not set(sent_after) & sent_before
    assert all(e.msgstr for e in load_catalog(po).entries)
    assert report.from_mt == 300 - len(kept)


def test_dry_run_needs_no_key_writes_nothing_and_estimates_the_bill(tmp_path, deepl_provider, deepl_server):
    po = write_po(tmp_path / "demo-it_IT.po")
    before = po.read_bytes()
    out = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT", "--dry-run", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["unique_texts_to_send"] == 6 and data["characters_to_send"] > 0
    assert po.read_bytes() == before and not deepl_server.state.translate_requests()
    report = run([po], provider=deepl_provider)
    assert report.billed_characters == data["characters_to_send"]


def test_max_chars_budget(tmp_path, deepl_provider, deepl_server):
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(40))
    report = run([po], provider=deepl_provider, max_chars=200)
    assert 0 < deepl_server.state.characters_billed <= 200
    assert report.over_budget > 0 and report.from_mt == 40 - report.over_budget


def test_without_key_fills_from_memory_only_and_says_so(tmp_path):
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory() as tm:
        tm.add("it_IT", "Save the form", ["Salva il modulo"], origin="elsewhere")
    po = write_po(tmp_path / "demo-it_IT.po")
    out = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT"], capture_output=True, text=True,
                         env={**os.environ, "DEEPL_AUTH_KEY": ""})
    assert out.returncode == 0
    assert "no DeepL key" in out.stdout + out.stderr
    catalog = load_catalog(po)
    entry = catalog.find("Save the form")
    assert entry.msgstr == "Salva il modulo" and entry.fuzzy
    # what is still English is said, with a count that matches the file
    still_english = sum(1 for e in catalog.entries if not e.obsolete and e.msgid and not e.fuzzy
                        and not e.is_translated())
    assert still_english > 0
    assert (f"left untranslated: {still_english} of {still_english + 1} entries: no machine translation ran"
            in out.stdout), out.stdout
    again = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT", "--json"], capture_output=True,
                           text=True, env={**os.environ, "DEEPL_AUTH_KEY": ""})
    assert json.loads(again.stdout)["left_untranslated"] == still_english


def test_killed_run_resumes_without_resending_finished_batches(tmp_path, deepl_server):
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(600))
    deepl_server.faults.latency = 0.3
    env = {**os.environ, "DEEPL_AUTH_KEY": TEST_KEY, "DEEPL_SERVER_URL": deepl_server.url}
    command = [sys.executable, "-m", "transkit.cli.main", "fill", str(po), "--locale", "it_IT",
               "--provider", "deepl"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60  # bounds for a broken run, not speed requirements
    while len(deepl_server.state.translate_requests(200)) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    # requests the killed run had in flight are still answered by the server (to nobody): let them end
    deadline = time.monotonic() + 60
    while any(r.status == 0 for r in deepl_server.state.translate_requests()) and time.monotonic() < deadline:
        time.sleep(0.02)
    answered = set(deepl_server.state.texts_translated())
    cache = Path(os.environ["TRANSKIT_DATA_DIR"]) / "mtcache.sqlite"
    with sqlite3.connect(cache) as conn:
        cached = {row[0] for row in conn.execute("SELECT text FROM translations")}
    assert cached and cached <= answered and len(answered) < 600
    deepl_server.faults.latency = 0
    before = len(deepl_server.state.texts_translated())
    out = subprocess.run(command + ["--json"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    resent = deepl_server.state.texts_translated()[before:]
    assert not set(resent) & cached  # nothing journalled was paid for again
    assert len(resent) == 600 - len(cached)
    assert json.loads(out.stdout)["resumed_run"] is not None
    assert all(e.msgstr for e in load_catalog(po).entries)
    msgfmt_ok(po)


def test_glossary_csv_is_pushed_and_its_terms_reach_the_po(tmp_path, deepl_provider, deepl_server):
    po = write_po(tmp_path / "form-it_IT.po")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("source,target\nform,modulo\n", encoding="utf-8")
    report = run([po], provider=deepl_provider, glossary_csv=glossary)
    assert report.billed_characters > 0
    assert len(deepl_server.state.glossaries) == 1
    entry = load_catalog(po).find("Save the form")
    assert entry.msgstr == "SAVE THE modulo" and entry.fuzzy
    # a changed glossary is a different cache key: the string is sent again, not reused
    glossary.write_text("form,scheda\n", encoding="utf-8")
    entry_po = load_catalog(po)
    entry_po.find("Save the form").msgstr = ""
    entry_po.save()
    run([po], provider=deepl_provider, glossary_csv=glossary)
    assert load_catalog(po).find("Save the form").msgstr == "SAVE THE scheda"


def test_fill_summary_is_short_relative_and_says_each_thing_once(tmp_path):
    """No key: the 'no DeepL key' line once; unused memory matches with paths relative to the
    current folder, the first 10 and a count (--json keeps them all)."""
    from transkit.suggest.tm import TranslationMemory

    count = 12
    body = "".join(f'#, php-format\nmsgid "Item %s number {n}"\nmsgstr ""\n\n' for n in range(count))
    with TranslationMemory() as tm:
        for n in range(count):  # the memory's translations lost the placeholder: never written
            tm.add("it_IT", f"Item %s number {n}", [f"Elemento numero {n}"], origin="elsewhere")
    (tmp_path / "demo").mkdir()
    po = write_po(tmp_path / "demo" / "demo-it_IT.po", body=body)
    env = {**os.environ, "DEEPL_AUTH_KEY": ""}
    command = ["transkit", "fill", "demo", "--locale", "it_IT"]
    out = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert text.count("no DeepL key") == 1, text
    unused = [line for line in out.stdout.splitlines() if line.startswith("suggestion not used:")]
    assert len(unused) == 10
    assert all(line.startswith(f"suggestion not used: {Path('demo', 'demo-it_IT.po')}: 'Item %s number ")
               for line in unused), unused
    assert str(tmp_path) not in out.stdout
    assert "… and 2 more suggestions not used (--json lists them all)" in out.stdout
    data = json.loads(subprocess.run(command + ["--json"], capture_output=True, text=True, cwd=tmp_path,
                                     env=env).stdout)
    assert len(data["skipped"]) == count and all("missing from the translation" in s["reason"] for s in data["skipped"])
    assert not any(e.msgstr for e in load_catalog(po).entries)


def test_refused_memory_match_names_the_placeholder_as_the_translation_spells_it(tmp_path):
    """Source `%s`, memory translation `%1$s %2$s`: the refusal names `%2$s` (what the translation has),
    not its reordering key `%s`; nothing is written."""
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory() as tm:
        tm.add("it_IT", "Search Results for '%s'", ["Suchergebnisse %1$s %2$s"], origin="elsewhere")
    po = write_po(tmp_path / "demo-it_IT.po", body='msgid "Search Results for \'%s\'"\nmsgstr ""\n')
    before = po.read_bytes()
    out = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT", "--provider", "tm"],
                         capture_output=True, text=True, env={**os.environ, "DEEPL_AUTH_KEY": ""})
    assert out.returncode == 0, out.stderr
    assert "placeholder %2$s of the translation is not in the source" in out.stdout, out.stdout
    assert "placeholder %s of the translation" not in out.stdout
    assert po.read_bytes() == before


def test_named_provider_without_key_is_a_config_error_and_writes_nothing(tmp_path):
    """`--provider deepl` with no key: exit 6 (ConfigError), stderr says where the key goes, the PO is
    untouched; without --provider the memory still runs and DeepL's key is one notice (exit 0)."""
    from transkit.errors import ExitCode
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory() as tm:
        tm.add("it_IT", "Save the form", ["Salva il modulo"], origin="elsewhere")
    po = write_po(tmp_path / "demo-it_IT.po")
    before = po.read_bytes()
    env = {**os.environ, "DEEPL_AUTH_KEY": ""}
    for providers in ("deepl", "tm,deepl"):
        out = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT", "--provider", providers],
                             capture_output=True, text=True, env=env)
        assert out.returncode == ExitCode.CONFIG, (out.stdout, out.stderr)
        assert "no DeepL key: set DEEPL_AUTH_KEY or store one with `keyring set transkit deepl`" in out.stderr
        assert "Traceback" not in out.stderr and "written" not in out.stdout
        assert po.read_bytes() == before
    dry = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT", "--provider", "deepl", "--dry-run"],
                         capture_output=True, text=True, env=env)
    assert dry.returncode == 0 and po.read_bytes() == before  # a dry run needs no key
    default = subprocess.run(["transkit", "fill", str(po), "--locale", "it_IT"], capture_output=True, text=True,
                             env=env)
    assert default.returncode == 0
    assert (default.stdout + default.stderr).count("no DeepL key") == 1
    assert load_catalog(po).find("Save the form").msgstr == "Salva il modulo"
    assert "6 when" in subprocess.run(["transkit", "fill", "--help"], capture_output=True, text=True).stdout
