"""The review store: states, provenance, reconciliation with PO files, migrations, durability."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from transkit.catalog import load_catalog
from transkit.store import CatalogKey, ReviewState, ReviewStore, StoreError
from transkit.store.db import MIGRATIONS, SCHEMA_VERSION, _statements

PO_TEXT = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: it_IT\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    #: admin.php:10
    msgid "Save changes"
    msgstr "Salva le modifiche"

    #: admin.php:11
    #, fuzzy
    msgid "Delete the cache"
    msgstr "Cancella la cache"

    #: admin.php:12
    msgid "Nothing found"
    msgstr ""

    #: admin.php:13
    msgctxt "verb"
    msgid "Post"
    msgstr "Pubblica"

    #: admin.php:14
    #, php-format
    msgid "%d file"
    msgid_plural "%d files"
    msgstr[0] "%d file"
    msgstr[1] "%d file"
    ''')


@pytest.fixture
def po_file(tmp_path):
    folder = tmp_path / "my-plugin" / "languages"
    folder.mkdir(parents=True)
    path = folder / "my-plugin-it_IT.po"
    path.write_text(PO_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def store(backend):
    """The review store, on SQLite and on PostgreSQL (``backend``)."""
    with ReviewStore.open(backend.target()) as opened:
        yield opened


def states_by_msgid(store, key):
    return {msgid: state.state for (_ctxt, msgid), state in store.states(key).items()}


def test_rebuild_from_po_follows_the_file(store, po_file):
    catalog = load_catalog(po_file)
    report = store.sync_catalog(catalog)
    assert report.rebuilt and report.added == 5
    key = CatalogKey.for_catalog(catalog)
    assert key.locale == "it_IT" and key.domain == "my-plugin"
    assert states_by_msgid(store, key) == {
        "Save changes": ReviewState.TRANSLATED,
        "Delete the cache": ReviewState.FUZZY,
        "Nothing found": ReviewState.UNTRANSLATED,
        "Post": ReviewState.TRANSLATED,
        "%d file": ReviewState.TRANSLATED,
    }
    progress = store.progress(key)
    assert (progress.untranslated, progress.fuzzy, progress.translated) == (1, 1, 3)
    assert progress.translated_words == 2 + 1 + 2  # "Save changes", "Post", "%d file" -> d, file
    # a second sync of the same file changes nothing and says it is not a rebuild
    again = store.sync_catalog(load_catalog(po_file))
    assert not again.rebuilt and again.unchanged == 5 and again.changed == 0


def test_state_survives_a_process_restart(backend, po_file):
    db = backend.target()
    writer = textwrap.dedent(f'''
        from transkit.catalog import load_catalog
        from transkit.store import CatalogKey, ReviewState, ReviewStore
        catalog = load_catalog({str(po_file)!r})
        with ReviewStore.open({str(db)!r}) as store:
            store.sync_catalog(catalog)
            key = CatalogKey.for_catalog(catalog)
            store.record(key, catalog.find("Delete the cache"), ReviewState.SUGGESTED,
                         provider="deepl", score=None, who="Fill Bot")
            store.approve(key, [catalog.find("Save changes")], who="Ada <ada@example.org>")
    ''')
    subprocess.run([sys.executable, "-c", writer], check=True)
    reader = textwrap.dedent(f'''
        import json
        from transkit.catalog import load_catalog
        from transkit.store import CatalogKey, ReviewStore
        catalog = load_catalog({str(po_file)!r})
        with ReviewStore.open({str(db)!r}) as store:
            key = CatalogKey.for_catalog(catalog)
            out = {{}}
            for msgid in ("Delete the cache", "Save changes"):
                s = store.state_of(key, (None, msgid))
                out[msgid] = [s.state.value, s.provider, s.who]
            print(json.dumps(out))
    ''')
    result = subprocess.run([sys.executable, "-c", reader], check=True, capture_output=True, text=True)
    assert json.loads(result.stdout) == {
        "Delete the cache": ["suggested", "deepl", "Fill Bot"],
        "Save changes": ["reviewed", None, "Ada <ada@example.org>"],
    }


def test_template_update_changing_a_msgid_needs_review_again(store, po_file, tmp_path):
    """A real msgmerge with a reworded template: the reviewed entry drops back to needs-review and
    keeps its history under the new msgid."""
    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.sync_catalog(catalog)
    store.approve(key, [catalog.find("Save changes"), catalog.find("Post", "verb")], who="Ada")
    assert store.state_of(key, ("verb", "Post")).state is ReviewState.REVIEWED

    template = tmp_path / "my-plugin.pot"
    template.write_text(PO_TEXT.replace('"Language: it_IT\\n"\n', "")
                        .replace("Save changes", "Save all changes")
                        .replace('msgid_plural "%d files"', 'msgid_plural "%d files found"'),
                        encoding="utf-8")
    subprocess.run(["msgmerge", "--quiet", "--previous", "--update", "--backup=off",
                    str(po_file), str(template)], check=True)
    merged = load_catalog(po_file)
    assert merged.find("Save all changes").fuzzy  # msgmerge's own verdict, the PO truth

    report = store.sync_catalog(merged)
    assert (None, "Save all changes") in report.source_changed
    assert (None, "%d file") in report.source_changed  # only msgid_plural changed
    state = store.state_of(key, (None, "Save all changes"))
    assert state.state is ReviewState.FUZZY and state.needs_review
    assert store.state_of(key, (None, "Save changes")) is None  # gone from the file
    assert store.state_of(key, ("verb", "Post")).state is ReviewState.REVIEWED  # untouched
    notes = [(e.state, e.note) for e in store.history(key, entry=(None, "Save all changes"))]
    assert notes == [(ReviewState.FUZZY, "source changed"), (ReviewState.REVIEWED, "approved")]


def test_edits_outside_transkit_are_noticed(store, po_file):
    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.sync_catalog(catalog)
    store.approve(key, [catalog.find("Save changes"), catalog.find("Post", "verb")], who="Ada")
    store.record(key, catalog.find("Delete the cache"), "suggested", provider="memory", score=100)

    edited = po_file.read_text(encoding="utf-8").replace('"Salva le modifiche"', '"Salva"')
    edited = edited.replace('msgctxt "verb"', '#, fuzzy\nmsgctxt "verb"')
    po_file.write_text(edited, encoding="utf-8")
    report = store.sync_catalog(load_catalog(po_file))
    assert report.edited_after_review == [(None, "Save changes")]
    assert report.fuzzied == [("verb", "Post")]
    states = states_by_msgid(store, key)
    assert states["Save changes"] is ReviewState.TRANSLATED
    assert states["Post"] is ReviewState.FUZZY
    # the memory suggestion is still fuzzy and untouched in the PO: it stays a suggestion
    kept = store.state_of(key, (None, "Delete the cache"))
    assert (kept.state, kept.provider, kept.score) == (ReviewState.SUGGESTED, "memory", 100)


def test_rejected_suggestion_stays_rejected_while_untranslated(store, po_file):
    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.sync_catalog(catalog)
    store.reject(key, catalog.find("Nothing found"), who="Ada")
    store.sync_catalog(load_catalog(po_file))
    assert store.state_of(key, (None, "Nothing found")).state is ReviewState.REJECTED
    assert store.progress(key).untranslated == 1  # a rejected suggestion is still untranslated


def test_progress_groups_and_daily_points(store, tmp_path):
    for locale in ("it_IT", "de_DE"):
        path = tmp_path / f"shop-{locale}.po"
        path.write_text(PO_TEXT.replace("it_IT", locale), encoding="utf-8")
        store.sync_catalog(load_catalog(path), CatalogKey.for_path(path, project="shop"))
    by_locale = store.progress_by("locale", project="shop")
    assert set(by_locale) == {"it_IT", "de_DE"}
    assert by_locale["de_DE"].translated == 3
    assert store.progress(project="shop").total == 10
    points = store.daily_progress(project="shop")
    assert len(points) == 1 and points[0].progress.total == 10
    with pytest.raises(ValueError):
        store.progress_by("color")


def test_moved_plugin_folder_keeps_its_state(store, po_file, tmp_path):
    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.sync_catalog(catalog)
    store.approve(key, [catalog.find("Save changes")], who="Ada")
    moved = tmp_path / "elsewhere"
    po_file.parent.parent.rename(moved)
    new_path = moved / "languages" / po_file.name
    moved_key = CatalogKey.for_path(new_path)
    assert store.state_of(moved_key, (None, "Save changes")) is None  # not looked up yet by path
    store.sync_catalog(load_catalog(new_path), moved_key)
    assert store.state_of(moved_key, (None, "Save changes")).state is ReviewState.REVIEWED


def test_schema_is_versioned_and_migrated_once(tmp_path):
    db = tmp_path / "review.db"
    ReviewStore.open(db).close()
    ReviewStore.open(db).close()
    conn = sqlite3.connect(db)
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [version for version, _script in MIGRATIONS] and versions[-1] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer transkit"):
        ReviewStore.open(db)


def test_a_version_1_database_is_migrated_and_keeps_its_state(tmp_path, po_file):
    """A database as the first release wrote it (schema 1, no per-catalog totals) opens, migrates,
    and answers status from its old entries."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for statement in _statements(MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'then')")
    conn.execute("INSERT INTO catalogs(id, path, project, domain, locale, created_at) "
                 "VALUES (1, ?, 'my-plugin', 'my-plugin', 'it_IT', 'then')", (str(po_file.resolve()),))
    conn.execute("INSERT INTO entries VALUES (1, 'Save changes', 'x', 'y', 'reviewed', NULL, NULL, 2, "
                 "'Ada', 'then')")
    conn.commit()
    conn.close()
    with ReviewStore.open(db) as store:
        progress = store.catalog_progress()[str(po_file.resolve())]
        assert (progress.reviewed, progress.reviewed_words) == (1, 2)
        key = CatalogKey.for_path(po_file)
        assert store.state_of(key, (None, "Save changes")).who == "Ada"


# The favour ledger table exactly as transkit created it before schema 3 (outside the migrations,
# on the first export), so an old database can be rebuilt here as the previous code left it.
LEDGER_TABLE_BEFORE_SCHEMA_3 = """
CREATE TABLE IF NOT EXISTS export_ledger (
    id INTEGER PRIMARY KEY, plugin TEXT NOT NULL, version TEXT, locale TEXT NOT NULL, kind TEXT NOT NULL,
    commit_sha TEXT, branch TEXT, patch_path TEXT, output TEXT, counts_json TEXT NOT NULL,
    fingerprints_json TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS export_ledger_plugin ON export_ledger(plugin, locale, id);
"""


@pytest.mark.parametrize("had_ledger", [True, False], ids=["with-ledger-table", "without-ledger-table"])
def test_a_version_2_database_migrates_to_the_ledger_schema(tmp_path, po_file, had_ledger):
    """A database as schema 2 left it — with the export ledger the old export code created on first
    use, or without it — opens, migrates once, keeps its rows, and records new exports."""
    from transkit.store.ledger import ExportRecord, Ledger, fingerprint

    catalog = load_catalog(po_file)
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version, script in MIGRATIONS[:2]:
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (version,))
    conn.execute("INSERT INTO catalogs(id, path, project, domain, locale, created_at) "
                 "VALUES (1, ?, 'my-plugin', 'my-plugin', 'it_IT', 'then')", (str(po_file.resolve()),))
    conn.execute("INSERT INTO entries VALUES (1, 'Save changes', 'x', 'y', 'reviewed', NULL, NULL, 2, "
                 "'Ada', 'then')")
    saved = catalog.find("Save changes")
    if had_ledger:
        conn.executescript(LEDGER_TABLE_BEFORE_SCHEMA_3)
        conn.execute("INSERT INTO export_ledger (plugin, version, locale, kind, commit_sha, counts_json, "
                     "fingerprints_json, at) VALUES ('my-plugin', '1.0', 'it_IT', 'git', 'abc123', "
                     "'{\"exported\": 1}', ?, '2024-05-01T10:00:00+00:00')",
                     (json.dumps({"Save changes": fingerprint(saved)}),))
    conn.commit()
    conn.close()

    with ReviewStore.open(db) as store:
        assert store.state_of(CatalogKey.for_path(po_file), (None, "Save changes")).who == "Ada"
        ledger = Ledger(store.db)
        old = ledger.exports("my-plugin", "it_IT")
        if had_ledger:
            [record] = old
            assert (record.version, record.commit_sha, record.counts) == ("1.0", "abc123", {"exported": 1})
            assert not record.has_snapshot and ledger.changes_since(record, str(po_file.resolve())) is None
            # the old fingerprints still drive an incremental export: only the other strings are new
            changed = ledger.changed_since(record, [e for e in catalog.entries if e.is_translated()])
            assert [e.msgid for e in changed] == ["Post", "%d file"]
        else:
            assert old == []
        new = ledger.record(ExportRecord("my-plugin", "it_IT", "files", catalog_path=str(po_file.resolve()),
                                         counts={"exported": 3}), catalog.entries,
                            [e for e in catalog.entries if e.is_translated()])
        assert ledger.last_export("my-plugin", "it_IT").id == new.id and new.has_snapshot
        store.sync_catalog(catalog)
        assert ledger.changes_since(new, str(po_file.resolve())).as_dict() == {
            "new": 0, "fuzzy": 0, "obsolete": 0, "changed": 0, "unsent": 0}
    conn = sqlite3.connect(db)
    assert ([r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
            == [version for version, _script in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1)))
    assert conn.execute("SELECT COUNT(*) FROM export_ledger").fetchone()[0] == (2 if had_ledger else 1)
    conn.close()
    ReviewStore.open(db).close()  # opening again applies nothing twice


def test_changes_since_an_export_are_recounted_after_the_entries_change(store, po_file):
    from transkit.store import ReviewState
    from transkit.store.ledger import ExportRecord, Ledger

    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.sync_catalog(catalog, key)
    ledger = Ledger(store.db)
    record = ledger.record(ExportRecord("my-plugin", "it_IT", "files", catalog_path=key.path),
                           catalog.entries, [e for e in catalog.entries if e.is_translated()])
    assert ledger.changes_since(record, key.path).unsent == 0
    assert ledger.changes_since(record, key.path).unsent == 0  # now from the counts kept
    nothing_found = catalog.find("Nothing found")
    nothing_found.msgstr = "Nessun risultato"
    store.record(key, nothing_found, ReviewState.TRANSLATED)  # e.g. typed in the TUI
    assert ledger.changes_since(record, key.path).as_dict() == {
        "new": 0, "fuzzy": 0, "obsolete": 0, "changed": 0, "unsent": 1}


def test_store_errors_are_transkit_errors_with_their_own_exit_code(tmp_path, isolated_home):
    from click.testing import CliRunner

    from transkit.cli.main import cli
    from transkit.errors import ExitCode, TranskitError

    assert issubclass(StoreError, TranskitError) and StoreError("x").exit_code == ExitCode.STORE
    damaged = isolated_home / "data" / "review.db"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(b"not a database\n" * 200)
    result = CliRunner().invoke(cli, ["status", str(tmp_path)])
    assert result.exit_code == ExitCode.STORE == 7
    assert str(damaged) in result.output and "Traceback" not in result.output


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    db = tmp_path / "review.db"
    db.write_bytes(b"this is a PO file, not SQLite\n" * 100)
    with pytest.raises(StoreError) as caught:
        ReviewStore.open(db)
    assert str(db) in str(caught.value) and "transkit status" in str(caught.value)
    assert db.read_bytes().startswith(b"this is a PO file")  # nothing overwritten


def test_default_location_honours_the_data_dir(isolated_home):
    with ReviewStore.open() as store:
        assert store.path == isolated_home / "data" / "review.db"
    with ReviewStore.open(workspace=isolated_home / "ws") as store:
        assert store.path == isolated_home / "ws" / ".transkit" / "review.db"


def test_who_defaults_to_the_configured_identity(store, po_file, isolated_home):
    (isolated_home / "config.toml").write_text('[identity]\nname = "Grace"\nemail = "g@example.org"\n')
    catalog = load_catalog(po_file)
    key = CatalogKey.for_catalog(catalog)
    store.approve(key, [catalog.find("Save changes")])
    assert store.state_of(key, (None, "Save changes")).who == "Grace <g@example.org>"
    assert store.history(key)[0].who == "Grace <g@example.org>"


def test_store_never_imports_a_face():
    code = ("import sys, transkit.store, transkit.store.review, transkit.store.progress, "
            "transkit.jobs.status, transkit.jobs.review; "
            "bad = [m for m in ('textual', 'click', 'rich') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
