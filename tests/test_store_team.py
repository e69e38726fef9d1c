"""Team work: the stores on PostgreSQL (and the same commands on SQLite), migrations, a masked
password, TLS options, a plain role, TMX export, who reviewed what, and two translators at once."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from xml.etree import ElementTree

import pytest

from transkit.catalog import load_catalog
from transkit.errors import StoreError
from transkit.store import CatalogKey, ReviewState, ReviewStore
from transkit.suggest.cache import FillInProgress, MTCache
from transkit.suggest.mt import EntryRequest, EntryResult, TranslationRequest, TranslationResult, Usage
from transkit.suggest.tm import TranslationMemory

PASSWORD = "pa55-w0rd-never-shown"


def transkit(*args, env=None, cwd=None, check_rc=None):
    result = subprocess.run(["transkit", *args], capture_output=True, text=True, env=env, cwd=cwd)
    if check_rc is not None:
        assert result.returncode == check_rc, result.stdout + result.stderr
    return result


def write_po(path: Path, entries: list[tuple[str, str, bool]]) -> Path:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Language: de_DE\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for msgid, msgstr, fuzzy in entries:
        lines += (["#, fuzzy"] if fuzzy else []) + [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- migrations ---------------------------------------------------------------------------------

def test_db_status_then_migrate_then_nothing_left(backend):
    from transkit.store.schema import COMPONENTS, migrations_of

    before = json.loads(transkit("db", "status", "--json", check_rc=0).stdout)
    assert [c["component"] for c in before] == list(COMPONENTS)
    assert {"review", "memory", "mtcache", "glossary"} <= set(COMPONENTS)
    assert {c["backend"] for c in before} == {backend.name}
    assert all(c["version"] == 0 and c["pending"] for c in before)
    applied = json.loads(transkit("db", "migrate", "--json", check_rc=0).stdout)
    assert [(c["component"], c["applied_now"]) for c in applied] == [
        (component, [m.version for m in migrations_of(component)]) for component in COMPONENTS]
    assert applied[0]["applied_now"] == [1, 2, 3, 4, 5, 6, 7]  # review
    after = json.loads(transkit("db", "status", "--json", check_rc=0).stdout)
    assert all(c["version"] == c["latest"] and not c["pending"] for c in after)
    shown = transkit("db", "status", env={**os.environ, "TRANSKIT_TRANSLATOR_NAME": "Ada"}, check_rc=0).stdout
    assert "you are recorded as Ada" in shown and shown.count("up to date") == len(COMPONENTS)
    again = transkit("db", "migrate", check_rc=0).stdout
    assert again.count("already up to date") == len(COMPONENTS)


# -- credentials --------------------------------------------------------------------------------

def test_a_password_in_the_url_is_never_shown(tmp_path, caplog):
    """A server nobody listens on: every face says which database failed, never its password."""
    url = f"postgresql://ada:{PASSWORD}@127.0.0.1:9/transkit?sslmode=disable"
    env = {**os.environ, "TRANSKIT_DATABASE_URL": url}
    for args in (["db", "status"], ["db", "migrate"], ["status", str(tmp_path)], ["tm", "stats"],
                 ["history", "x"]):
        result = transkit(*args, env=env)
        shown = result.stdout + result.stderr
        assert result.returncode == 7, (args, shown)
        assert "ada:***@127.0.0.1:9" in shown and PASSWORD not in shown and "Traceback" not in shown
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(StoreError) as caught:
            ReviewStore.open(url)
    assert PASSWORD not in str(caught.value) and PASSWORD not in repr(caught.value)
    assert PASSWORD not in caplog.text
    # the config file's url too, and a key=value password in an error message
    (tmp_path / "config.toml").write_text(f'[store]\nurl = "mysql://ada:{PASSWORD}@db/x"\n')
    result = transkit("db", "status", env={**os.environ, "TRANSKIT_CONFIG": str(tmp_path / "config.toml")})
    assert result.returncode != 0 and PASSWORD not in result.stdout + result.stderr
    assert "postgresql://" in result.stderr
    from transkit.store.sql import mask_url

    assert PASSWORD not in mask_url(f"host=db password={PASSWORD} user=ada")



def test_a_password_holding_an_at_sign_is_masked_whole_and_refused(tmp_path):
    # "p@ss": libpq would take "ss@127.0.0.1" for the host; the message must not carry any of it
    url = "postgresql://ada:p4ss@w0rd-secret@127.0.0.1:9/transkit"
    from transkit.errors import mask_url

    assert "p4ss" not in mask_url(url) and "w0rd-secret" not in mask_url(url)
    result = transkit("db", "status", env={**os.environ, "TRANSKIT_DATABASE_URL": url})
    shown = result.stdout + result.stderr
    assert result.returncode == 6, shown
    assert "%40" in shown and "p4ss" not in shown and "w0rd-secret" not in shown and "Traceback" not in shown


def test_a_libpq_keyword_string_is_refused_not_taken_for_a_sqlite_file(tmp_path):
    # before: "host=db password=…" named a SQLite file in the current folder, password and all
    env = {**os.environ, "TRANSKIT_DATABASE_URL": f"host=127.0.0.1 port=9 password={PASSWORD}"}
    result = transkit("db", "status", env=env, cwd=tmp_path)
    shown = result.stdout + result.stderr
    assert result.returncode == 6, shown
    assert "postgresql:// URL" in shown and PASSWORD not in shown and "Traceback" not in shown
    assert list(tmp_path.iterdir()) == []

def test_a_password_on_a_working_connection_is_masked_in_what_transkit_prints(pg_url):
    # trust authentication ignores the password: the store opens, and its location is masked
    url = pg_url.replace("postgresql://transkit@", f"postgresql://transkit:{PASSWORD}@")
    env = {**os.environ, "TRANSKIT_DATABASE_URL": url}
    migrated = transkit("db", "migrate", env=env, check_rc=0).stdout
    stats = transkit("tm", "stats", env=env, check_rc=0).stdout
    for shown in (migrated, stats):
        assert "transkit:***@" in shown and PASSWORD not in shown
    with ReviewStore.open(url) as store:
        assert PASSWORD not in str(store.path) and "***" in str(store.path)


def test_tls_options_from_the_config_reach_the_server(pg_url, tmp_path):
    """[store] sslmode = "require" is passed to libpq: the test server has no TLS, so it refuses."""
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "{pg_url}"\nsslmode = "require"\n')
    result = transkit("db", "status", env={**os.environ, "TRANSKIT_CONFIG": str(config)})
    assert result.returncode == 7 and "SSL" in result.stderr, result.stderr
    config.write_text(f'[store]\nurl = "{pg_url}"\nsslmode = "disable"\n')
    transkit("db", "status", env={**os.environ, "TRANSKIT_CONFIG": str(config)}, check_rc=0)
    config.write_text(f'[store]\nurl = "{pg_url}"\npassword = "{PASSWORD}"\n')
    result = transkit("db", "status", env={**os.environ, "TRANSKIT_CONFIG": str(config)})
    assert result.returncode != 0 and "does not know password" in result.stderr
    assert PASSWORD not in result.stderr


def test_a_plain_role_uses_a_schema_its_owner_migrated(pg_url, tmp_path):
    """Least privilege: the owner runs `db migrate`; a translator's role with only read/write rights
    on the tables works, and before the migration it is told to ask the owner."""
    import psycopg

    role = "tk_translator_" + uuid.uuid4().hex[:8]
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    translator_url = pg_url.replace("postgresql://transkit@", f"postgresql://{role}@")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    try:
        with pytest.raises(StoreError) as caught:
            ReviewStore.open(translator_url)
        assert "transkit db migrate" in str(caught.value) and "owns the schema" in str(caught.value)
        transkit("db", "migrate", env={**os.environ, "TRANSKIT_DATABASE_URL": pg_url}, check_rc=0)
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
            admin.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
        po = write_po(tmp_path / "shop" / "shop-de_DE.po", [("Cart", "Warenkorb", True)])
        env = {**os.environ, "TRANSKIT_DATABASE_URL": translator_url, "TRANSKIT_TRANSLATOR_NAME": "Ada"}
        transkit("review", str(po), "--approve", "all", env=env, check_rc=0)
        transkit("tm", "import", str(po), env=env, check_rc=0)
        with TranslationMemory(translator_url) as memory:
            assert memory.suggest("Carts", "de_DE")[0].target == "Warenkorb"
        with MTCache(translator_url) as cache:
            run_id, _ = cache.start_run("de_DE", [str(po)])
            cache.finish_run(run_id)
        with psycopg.connect(translator_url, autocommit=True) as conn, pytest.raises(psycopg.Error):
            conn.execute("CREATE TABLE sneaky (x int)")  # the plain role cannot change the schema
    finally:
        from transkit.store import sql

        sql._close_pools()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_a_role_that_may_not_store_the_fuzzy_index_is_told_so_and_still_fills(pg_url, tmp_path):
    """The fuzzy index is a cache a process stores for the next one. A role that may read the
    memory but not write the index (a reviewer's, or a grant forgotten after a migration) used to
    build it in every process without a word: a minute each at 10M segments. Now the fill says
    why, still fills, and `tm stats` tells whether a fresh process loads the index or builds it."""
    import psycopg

    role = "tk_reader_" + uuid.uuid4().hex[:8]
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    reader_url = pg_url.replace("postgresql://transkit@", f"postgresql://{role}@")
    transkit("db", "migrate", env={**os.environ, "TRANSKIT_DATABASE_URL": pg_url}, check_rc=0)
    with TranslationMemory(pg_url) as memory:  # the owner seeds
        memory.add("de_DE", "Save all changes", ["Alle Änderungen speichern"], "team.po")
        memory.add("de_DE", "Settings", ["Einstellungen"], "team.po")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
        admin.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
        admin.execute(f"REVOKE INSERT, DELETE ON {schema}.fuzzy_index_parts FROM {role}")
    try:
        reader = {**os.environ, "TRANSKIT_DATABASE_URL": reader_url}
        owner = {**os.environ, "TRANSKIT_DATABASE_URL": pg_url}
        po = write_po(tmp_path / "shop" / "shop-de_DE.po", [("Save the changes", "", False)])
        filled = transkit("fill", str(po), "--locale", "de_DE", "--provider", "tm", env=reader, check_rc=0)
        assert "fuzzy index of the de_DE memory (2 sources" in filled.stderr, filled.stderr
        assert "could not be stored, so each new process builds it again" in filled.stderr
        assert "permission denied" in filled.stderr and "Traceback" not in filled.stderr
        assert load_catalog(po).find("Save the changes").msgstr == "Alle Änderungen speichern"
        as_json = transkit("fill", str(po), "--locale", "de_DE", "--provider", "tm", "--fuzzy", "--json",
                           env=reader, check_rc=0)
        assert "could not be stored" in json.loads(as_json.stdout)["memory_warnings"][0]
        assert "de_DE: 2 segments, 2 sources, 1 origins; fuzzy index: not stored yet" in \
            transkit("tm", "stats", env=reader, check_rc=0).stdout

        with TranslationMemory(pg_url) as memory:  # the owner's lookup stores it
            memory.fuzzy_sources("Save the changes", "de_DE")
        shown = transkit("tm", "stats", "--json", env=reader, check_rc=0).stdout
        assert json.loads(shown)["locales"]["de_DE"]["fuzzy_index"] == "stored"
        with TranslationMemory(pg_url) as memory:
            memory.add("de_DE", "Cancel", ["Abbrechen"], "team.po")
        assert "fuzzy index: out of date (the next lookup rebuilds and stores it)" in \
            transkit("tm", "stats", env=owner, check_rc=0).stdout
    finally:
        from transkit.store import sql

        sql._close_pools()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


# -- the memory moves between machines ------------------------------------------------------------

def test_tm_export_is_tmx_that_imports_back(backend, tmp_path):
    with TranslationMemory(backend.target("memory")) as memory:
        memory.add("de_DE", "Save <b>changes</b> & exit", ["Änderungen <b>speichern</b> & beenden"], "a.po")
        memory.add("de_DE", "Post", ["Beitrag"], "a.po", msgctxt="noun")
        memory.add("de_DE", "%d file", ["%d Datei", "%d Dateien"], "a.po", source_plural="%d files")
        memory.add("fr_FR", "Post", ["Article"], "b.po")
    out = tmp_path / "team.tmx"
    shown = transkit("tm", "export", str(out), "--locale", "de_DE", check_rc=0).stdout
    assert "4 translation units" in shown
    root = ElementTree.parse(out).getroot()  # well-formed XML
    assert root.tag == "tmx" and root.find("header").get("srclang") == "en"
    with TranslationMemory(tmp_path / "elsewhere.sqlite") as other:
        assert other.import_tmx(out) == 4
        assert other.exact("Save <b>changes</b> & exit", "de_DE").target == "Änderungen <b>speichern</b> & beenden"
        assert other.exact("Post", "de_DE", msgctxt="noun").target == "Beitrag"
        assert other.exact("%d files", "de_DE").target == "%d Dateien"
        assert other.exact("Post", "fr_FR") is None  # --locale de_DE left French out
    assert transkit("tm", "export", "-", check_rc=0).stdout.count("<tu>") == 5


def test_tmx_import_streams_in_batches_with_progress(backend, tmp_path):
    units = "".join(f'<tu><tuv xml:lang="en"><seg>Message {n}</seg></tuv>'
                    f'<tuv xml:lang="it-IT"><seg>Messaggio {n}</seg></tuv></tu>' for n in range(120_000))
    tmx = tmp_path / "big.tmx"
    tmx.write_text(f'<tmx version="1.4"><header srclang="en"/><body>{units}</body></tmx>', encoding="utf-8")
    heard = []
    with TranslationMemory(backend.target("memory")) as memory:
        assert memory.import_tmx(tmx, progress=heard.append) == 120_000
        assert memory.stats()["locales"]["it_IT"]["segments"] == 120_000
        assert memory.suggest("Message 119999", "it_IT")[0].target == "Messaggio 119999"
    assert heard == [50_000, 100_000, 120_000]


# -- the MT cache and the fill journal ------------------------------------------------------------

def test_mt_cache_and_journal_on_both_backends(backend, tmp_path):
    request = TranslationRequest(text="Save", source_lang="en", target_locale="de_DE")
    po = str(tmp_path / "x-de_DE.po")
    with MTCache(backend.target("mtcache")) as cache, MTCache(backend.target("mtcache")) as other:
        run_id, unfinished = cache.start_run("de_DE", [po])
        assert unfinished is None
        with pytest.raises(FillInProgress):
            other.start_run("de_DE", [po])  # a live run holds the catalog
        mine, answered, taken = cache.claim(run_id, "deepl", [request])
        assert mine == [request] and not answered and not taken
        cache.put_results("deepl", [TranslationResult(0, request, "Speichern", billed_characters=4)])
        cache.put_results("deepl", [TranslationResult(0, request, "Speichern", billed_characters=0)])
        cache.add_billed(run_id, 4)
        cache.finish_run(run_id)
        assert other.get("deepl", request).translation == "Speichern"
        assert other.stats()["billed_characters"] == 4  # a repeat never lowers what was billed


def test_the_journal_keeps_each_runs_usage_per_model_across_resumes_on_both_backends(backend, tmp_path):
    po = str(tmp_path / "x-de_DE.po")
    entry = EntryRequest(("Save",), "de_DE", msgid="Save")
    with MTCache(backend.target("mtcache")) as cache:
        first, _ = cache.start_run("de_DE", [po])
        answered = EntryResult(entry, ("Speichern",), usage=Usage(input_tokens=120, output_tokens=30))
        unusable = EntryResult(entry, None, "not valid JSON", usage=Usage(input_tokens=100, output_tokens=9),
                               sent=False)  # not cached, but paid for
        cache.put_entries("llm-key", [answered, unusable], run_id=first, journal_as="llm:openai/m",
                          extra_usage=Usage(input_tokens=7, output_tokens=3))  # a cut-off answer's
        cache.put_results("deepl", [TranslationResult(0, TranslationRequest("Open", "de_DE"), "Öffnen",
                                                      billed_characters=4)], run_id=first)
        assert cache.run_usage(first) == {"llm:openai/m": Usage(0, 227, 42), "deepl": Usage(4, 0, 0)}
        cache._heartbeats.pop(first).stop()  # as if killed: status still running, no heartbeat
    with MTCache(backend.target("mtcache")) as cache:
        cache._conn.execute("UPDATE runs SET heartbeat_at = 0 WHERE id = ?", (first,))
        second, unfinished = cache.start_run("de_DE", [po])
        assert unfinished["run"] == first and unfinished["usage"]["llm:openai/m"] == Usage(0, 227, 42)
        cache.put_entries("llm-key", [EntryResult(EntryRequest(("Quit",), "de_DE", msgid="Quit"), ("Beenden",),
                                                  usage=Usage(input_tokens=50, output_tokens=5))],
                          run_id=second, journal_as="llm:openai/m")
        assert cache.run_usage(second, earlier=False) == {"llm:openai/m": Usage(0, 50, 5)}
        assert cache.run_usage(second) == {"llm:openai/m": Usage(0, 277, 47), "deepl": Usage(4, 0, 0)}
        cache.finish_run(second)


# -- several translators --------------------------------------------------------------------------

def test_status_shows_who_reviewed_what(backend, tmp_path):
    po = write_po(tmp_path / "shop" / "languages" / "shop-de_DE.po",
                  [("Cart", "Warenkorb", True), ("Pay", "Bezahlen", True), ("Ship", "Versand", True)])
    ada = {**os.environ, "TRANSKIT_TRANSLATOR_NAME": "Ada", "TRANSKIT_TRANSLATOR_EMAIL": "ada@example.org"}
    bob = {**os.environ, "TRANSKIT_TRANSLATOR_NAME": "Bob"}
    transkit("review", str(po), "--approve", "msgid=Cart|Pay", env=ada, check_rc=0)
    transkit("review", str(po), "--approve", "msgid=Ship", env=bob, check_rc=0)
    shown = transkit("status", str(tmp_path), check_rc=0).stdout
    assert "Reviewed by" in shown and "shop-de_DE.po: Ada <ada@example.org> (2), Bob (1)" in shown
    data = json.loads(transkit("status", str(tmp_path), "--json", check_rc=0).stdout)
    assert data["catalogs"][0]["reviewed_by"] == {"Ada <ada@example.org>": 2, "Bob": 1}


TRANSLATOR = textwrap.dedent('''
    import os, sys, time
    from pathlib import Path
    from transkit.cli.main import cli
    ready, go, args = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    import transkit.jobs.fill, transkit.jobs.review  # imports done before the start line
    ready.touch()
    while not go.exists():
        time.sleep(0.002)
    cli(args, prog_name="transkit")
''')


def test_two_translators_fill_and_approve_one_catalog_through_postgresql(pg_url, tmp_path):
    """Two processes, two identities, one shared database: Ada approves the drafts while Bob fills
    the untranslated entries from the shared memory. Both changes reach the PO, and the shared
    history names who did what."""
    count = 150
    entries = ([(f"Untranslated message {n}", "", False) for n in range(count)]
               + [(f"Draft message {n}", f"Entwurf {n}", True) for n in range(count)])
    po = write_po(tmp_path / "shop" / "languages" / "shop-de_DE.po", entries)
    common = {**os.environ, "TRANSKIT_DATABASE_URL": pg_url}
    memory_po = write_po(tmp_path / "memory" / "other-de_DE.po",
                         [(f"Untranslated message {n}", f"Nachricht {n}", False) for n in range(count)])
    transkit("tm", "import", str(memory_po), env=common, check_rc=0)  # the team's shared memory
    transkit("status", str(po), env=common, check_rc=0)
    go = tmp_path / "go"
    jobs = {"Ada": ["review", str(po), "--approve", "state=fuzzy"],
            "Bob": ["fill", str(po), "--locale", "de_DE", "--provider", "tm", "--trust-exact"]}
    workers = {}
    for name, args in jobs.items():
        env = {**common, "TRANSKIT_TRANSLATOR_NAME": name}
        workers[name] = subprocess.Popen([sys.executable, "-c", TRANSLATOR, str(tmp_path / name), str(go), *args],
                                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not all((tmp_path / name).exists() for name in jobs):
        assert time.monotonic() < deadline and all(w.poll() is None for w in workers.values()), "a worker died"
        time.sleep(0.01)
    go.touch()
    for name, worker in workers.items():
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, (name, out, err)
    catalog = load_catalog(po)
    filled = [e for e in catalog.entries if e.msgid.startswith("Untranslated")]
    approved = [e for e in catalog.entries if e.msgid.startswith("Draft")]
    assert all(e.msgstr == f"Nachricht {e.msgid.rsplit(' ', 1)[1]}" for e in filled)  # Bob's fill
    assert not any(e.fuzzy for e in approved)  # Ada's approvals
    key = CatalogKey.for_catalog(catalog)
    with ReviewStore.open(pg_url) as store:
        states = store.states(key)
        events = store.history(key, limit=None, include_sync=False)
    assert {states[(None, e.msgid)].state for e in approved} == {ReviewState.REVIEWED}
    assert {states[(None, e.msgid)].who for e in approved} == {"Ada"}
    assert {states[(None, e.msgid)].who for e in filled} == {"Bob"}
    by_person = {}
    for event in events:
        by_person.setdefault(event.who, set()).add(event.msgid.split(" ", 1)[0])
    assert by_person == {"Ada": {"Draft"}, "Bob": {"Untranslated"}}
    assert sum(event.who == "Ada" and event.state is ReviewState.REVIEWED for event in events) == count


def test_the_glossary_is_shared_too(backend):
    """The glossary developer's store, through the same connection and migrations."""
    from transkit.checks.glossary import Term
    from transkit.store.glossary import GlossaryStore

    with GlossaryStore.open(backend.target("glossary")) as store:
        written = store.add_terms("de_DE", [Term("Post", "Beitrag", "noun"), Term("Page", "Seite", "noun")],
                                  origin="added")
        again = store.add_terms("de_DE", [Term("Post", "Artikel", "noun")], origin="added")
        assert (written.added, again.updated) == (2, 1)
        assert store.locales() == {"de_DE": 2}
        assert [(t.source, t.translation) for t in store.terms("de_DE")] == [("Page", "Seite"), ("Post", "Artikel")]
        assert store.remove("de_DE", "Page") == 1
    shown = transkit("glossary", "list", "de_DE", check_rc=0).stdout
    assert "Artikel" in shown and "Seite" not in shown


def test_a_teammates_new_segment_reaches_a_running_process(pg_url, monkeypatch):
    """Process A searches (its index is cached); process B adds a segment through the shared
    database; A's next fuzzy lookup finds it (the triggers moved the locale's generation)."""
    import transkit.suggest.tm as tm_module

    with TranslationMemory(pg_url) as memory:
        memory.add("it_IT", "Save the settings", ["Salva le impostazioni"], "a.po")
        assert [text for text, _ in memory.fuzzy_sources("Save the setting", "it_IT")] == ["Save the settings"]
        writer = ("import sys; from transkit.suggest.tm import TranslationMemory\n"
                  "with TranslationMemory(sys.argv[1]) as tm: tm.add('it_IT', 'Save the setting!', ['Salva!'], 'b.po')")
        subprocess.run([sys.executable, "-c", writer, pg_url], check=True)
        monkeypatch.setattr(tm_module, "SHARED_RECHECK_SECONDS", 0.0)  # do not wait out the window
        found = [text for text, _ in memory.fuzzy_sources("Save the setting", "it_IT")]
        assert found == ["Save the setting!", "Save the settings"]
        assert memory.suggest("Save the setting!", "it_IT")[0].target == "Salva!"
