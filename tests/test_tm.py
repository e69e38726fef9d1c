"""Translation memory: seeding, exact and fuzzy lookups, TMX import, and a fill from real catalogs."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.errors import CatalogError
from transkit.jobs.fill import fill
from transkit.suggest import fuzzy_index
from transkit.suggest.fuzzy_index import FuzzyIndex, brute_force
from transkit.suggest.tm import _CACHED_INDEXES, TranslationMemory


def italian_catalog(entries: list[Entry], path) -> Catalog:
    header = Entry("", "Language: it_IT\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
                       "Content-Type: text/plain; charset=UTF-8\n")
    return Catalog([header, *entries], path=path)


@pytest.fixture
def tm(backend):
    """The memory, on SQLite and on PostgreSQL (the same in-process index, stored in the database)."""
    with TranslationMemory(backend.target("memory")) as memory:
        yield memory


def test_seeds_only_translated_non_fuzzy_entries_and_finds_exact_matches(tm, tmp_path):
    catalog = italian_catalog([
        Entry("Save Changes", "Salva le modifiche"),
        Entry("Delete", "Elimina", flags=["fuzzy"]),
        Entry("Draft", ""),
        Entry("Post", "Articolo", msgctxt="post type"),
        Entry("%d file", msgid_plural="%d files", msgstr_plural={0: "%d file", 1: "%d file"}),
    ], tmp_path / "a-it_IT.po")
    assert tm.add_catalog(catalog) == 3
    match = tm.exact("Save Changes", "it_IT")
    assert match is not None and match.targets == ("Salva le modifiche",)
    assert match.origin == str(tmp_path / "a-it_IT.po")
    assert tm.exact("Delete", "it_IT") is None  # fuzzy entries are not memory
    assert tm.exact("Post", "it_IT") is None  # msgctxt is part of an exact match
    assert tm.exact("Post", "it_IT", msgctxt="post type").target == "Articolo"
    plural = tm.exact("%d file", "it_IT", source_plural="%d files")
    assert plural.targets == ("%d file", "%d file")
    assert tm.exact("Save Changes", "de_DE") is None


def test_suggestions_best_first_with_scores_and_origin(tm, tmp_path):
    tm.add_catalog(italian_catalog([Entry("Add new form", "Aggiungi nuovo modulo"),
                                    Entry("Add new forms", "Aggiungi nuovi moduli"),
                                    Entry("Settings", "Impostazioni")], tmp_path / "one-it_IT.po"))
    tm.add_catalog(italian_catalog([Entry("Add new form", "Nuovo modulo")], tmp_path / "two-it_IT.po"))
    found = tm.suggest("Add new form", "it_IT")
    assert [m.score for m in found][:3] == [100.0, 100.0, pytest.approx(96, abs=1)]
    assert {m.target for m in found[:2]} == {"Aggiungi nuovo modulo", "Nuovo modulo"}
    assert found[2].target == "Aggiungi nuovi moduli" and not found[2].exact
    assert all(m.score >= 75 for m in found)
    assert "Impostazioni" not in [m.target for m in found]
    assert tm.suggest("Completely unrelated words", "it_IT") == []


def test_fuzzy_search_is_the_brute_force_top_5(tm):
    """Same sources, same scores, same order (score desc, then text) as rapidfuzz over every source."""
    rng = random.Random(7)
    words = "add new edit delete form contact field email message send save settings post page " \
            "the a of to your this is was not be".split()
    sources = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 7))).capitalize()
                      for _ in range(4000)})
    tm.add_many([("it_IT", "", s, "", '["x"]', "gen") for s in sources])
    queries = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(150)]
    for threshold, limit in [(75, 5), (60, 10), (90, 3)]:
        for query in queries:
            assert tm.fuzzy_sources(query, "it_IT", threshold, limit) == \
                brute_force(query, sources, threshold, limit), (query, threshold, limit)


# the compiled one-pass scan (bag_scan.py); the same shared between threads; the numpy passes
SCANS = ["kernel", "shared", "numpy"]


@contextmanager
def scanning_with(scan: str):
    """Every index scans with the compiled kernel (normally from 100,000 sources on), or with numpy
    (an index that small, or a machine without numba). "shared": the kernel, and every scan and
    every scoring split between three threads, as a large search is (from 200,000 rows and 4,000
    candidates on, one part per CPU), so parts end inside a length's rows and may be empty."""
    if scan != "numpy":
        loaded = fuzzy_index.wait_for_kernel(FuzzyIndex.build(["warm up", "the kernel"]))
        assert loaded is not None, "numba is a dependency: the kernel must load"
    names = ("_KERNEL_FROM", "_CPUS", "_SHARE_ROWS", "_SHARE_SCORES")
    saved = {name: getattr(fuzzy_index, name) for name in names}
    fuzzy_index._KERNEL_FROM = float("inf") if scan == "numpy" else 0
    if scan == "shared":
        fuzzy_index._CPUS, fuzzy_index._SHARE_ROWS, fuzzy_index._SHARE_SCORES = 3, 1, 1
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(fuzzy_index, name, value)


@pytest.mark.parametrize("scan", SCANS)
@pytest.mark.parametrize("matrix_from", [1, 10**9], ids=["cdist", "extract"])
def test_both_ways_of_scoring_candidates_give_the_brute_force_top_k(monkeypatch, matrix_from, scan):
    """Many candidates are scored as one process.cdist array, a few with process.extract, each after
    either scan: same answers."""
    monkeypatch.setattr(fuzzy_index, "_MATRIX_FROM", matrix_from)
    with scanning_with(scan):
        _check_scoring_ways()


def _check_scoring_ways():
    rng = random.Random(11)
    words = "add new edit delete form contact field email message send save settings the a of to".split()
    sources = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(3000)})
    index = FuzzyIndex.build(sources)
    for query in [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(100)]:
        for threshold, limit in [(75, 5), (50, 10), (99, 3)]:
            assert index.search(query, threshold, limit) == brute_force(query, sources, threshold, limit)


def _by_definition(query: str, sources, threshold: float, limit: int) -> list[tuple[str, float]]:
    """The top-k by its definition: every source scored alone, no score_cutoff, sorted (score desc, text)."""
    scored = [(text, fuzz.ratio(query, text)) for text in set(sources)]
    return sorted(((t, s) for t, s in scored if s >= threshold - 1e-9), key=lambda item: (-item[1], item[0]))[:limit]


@pytest.mark.parametrize("scan", SCANS)
def test_a_tie_at_the_cutoff_is_kept(scan):
    """rapidfuzz's score_cutoff drops some sources that score exactly the cutoff (3.5% of ties on
    random strings): a source tied with the k-th best, or exactly at the threshold, must still be
    there, and win its tie on its text. Few letters, similar lengths: ties everywhere."""
    rng = random.Random(5)
    sources = sorted({"".join(rng.choice("abcde ") for _ in range(rng.randint(8, 24))) for _ in range(3000)})
    queries = [rng.choice(sources) + rng.choice(["", "a", "e "]) for _ in range(60)]
    with scanning_with(scan):
        index = FuzzyIndex.build(sources)
        for query in queries:
            for threshold, limit in [(75, 5), (60, 10), (80, 1)]:
                expected = _by_definition(query, sources, threshold, limit)
                assert brute_force(query, sources, threshold, limit) == expected, (query, threshold, limit)
                assert index.search(query, threshold, limit) == expected, (query, threshold, limit)
        # exactly at the threshold: the threshold is a score some sources have
        for query in queries[:20]:
            for threshold in sorted({score for _, score in _by_definition(query, sources, 50, 40)})[:5]:
                expected = _by_definition(query, sources, threshold, 1000)
                assert brute_force(query, sources, threshold, 1000) == expected
                assert index.search(query, threshold, 1000) == expected


@pytest.mark.parametrize("scan", SCANS)
@pytest.mark.parametrize("threshold", [0, 1, 50, 66.7, 75, 80.5, 99, 100])
def test_sources_at_the_edges_of_the_length_window(scan, threshold):
    """Sources one shorter than, as long as and one longer than the shortest and longest length that
    can reach the threshold, made of the query's own characters (so only the length can rule them
    out), and long ones whose counts pass every level: both scans give the brute-force top-k."""
    rng = random.Random(int(threshold * 10))
    sources = set()
    for query_length in (1, 2, 7, 40, 130):
        base = "".join(rng.choice("aabbcde ") for _ in range(query_length))
        for cutoff in (threshold, 75, 100):
            if 0 < cutoff <= 100:
                shortest, longest = query_length * cutoff / (200 - cutoff), query_length * (200 - cutoff) / cutoff
                for edge in (int(shortest), int(longest)):
                    for size in range(max(1, edge - 1), edge + 3):
                        sources.add((base * (size // query_length + 1))[:size])
                        shuffled = list((base * (size // query_length + 1))[:size])
                        rng.shuffle(shuffled)
                        sources.add("".join(shuffled))
    sources = sorted(sources)
    queries = [s for s in sources if len(s) in (1, 2, 7, 40, 130)][:40] + ["e", "ab", "zzz"]
    with scanning_with(scan):
        index = FuzzyIndex.build(sources)
        for query in queries:
            for limit in (1, 5, 1000):
                assert index.search(query, threshold, limit) == brute_force(query, sources, threshold, limit), \
                    (query, threshold, limit)


def test_searches_answer_while_the_kernel_loads_in_the_background(monkeypatch):
    """A fresh process's first large search starts loading the compiled scan and does not wait for
    it: the numpy scan answers until it is there, the kernel after; both the brute-force top-k."""
    monkeypatch.setattr(fuzzy_index, "_KERNEL", [])
    monkeypatch.setattr(fuzzy_index, "_LOADER", [])
    monkeypatch.setattr(fuzzy_index, "_KERNEL_FROM", 0)
    release, real_load = threading.Event(), fuzzy_index._load_kernel
    calls = []

    def slow_load(index):
        release.wait(30)
        real_load(index)

    monkeypatch.setattr(fuzzy_index, "_load_kernel", slow_load)
    rng = random.Random(5)
    words = "add new edit delete form contact field email message send save settings the a of to".split()
    sources = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(2000)})
    index = FuzzyIndex.build(sources)
    real_scan = index._scan
    monkeypatch.setattr(index, "_scan", lambda *args: calls.append(1) or real_scan(*args))
    queries = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(30)]
    for query in queries:
        assert index.search(query, 75, 5) == brute_force(query, sources, 75, 5)
    assert calls == [] and fuzzy_index._LOADER[0].is_alive()  # loading, not waited for
    release.set()
    assert fuzzy_index.wait_for_kernel(index) is not None
    calls.clear()  # the warm-up's own call on no rows
    for query in queries:
        assert index.search(query, 75, 5) == brute_force(query, sources, 75, 5)
    assert calls  # the kernel scanned


def test_without_numba_the_numpy_scan_answers(monkeypatch):
    """Where numba cannot be imported (no wheel for a new Python yet), large indexes scan with numpy:
    the same brute-force top-k, nothing raised."""
    for name in [name for name in sys.modules if name.split(".")[0] in ("numba", "llvmlite")
                 or name == "transkit.suggest.bag_scan"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    monkeypatch.setattr(fuzzy_index, "_KERNEL", [])
    monkeypatch.setattr(fuzzy_index, "_LOADER", [])
    monkeypatch.setattr(fuzzy_index, "_KERNEL_ERROR", [])
    monkeypatch.setattr(fuzzy_index, "_KERNEL_FROM", 0)
    rng = random.Random(3)
    words = "add new edit delete form contact field email message send save settings the a of to".split()
    sources = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(1500)})
    index = FuzzyIndex.build(sources)
    assert fuzzy_index.wait_for_kernel(index) is None
    for query in [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(30)]:
        assert index.search(query, 75, 5) == brute_force(query, sources, 75, 5)
    # slower, and said so, never silently: `tm stats` (and a logged warning) names why
    assert fuzzy_index.scan_kernel_status().startswith(
        "numpy (slower, same answers): the compiled scan could not load: ModuleNotFoundError")


def test_tm_stats_says_which_scan_large_memories_use(tmp_path):
    """`transkit tm stats` says whether fuzzy search of a large memory is compiled or numpy, and why."""
    run = [sys.executable, "-c", "import sys; sys.modules['numba'] = None; "
           "from transkit.cli.main import main; sys.argv = ['transkit', 'tm', 'stats']; main()"]
    without = subprocess.run(run, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert without.returncode == 0, without.stderr
    assert "fuzzy search of a large memory: numpy (slower, same answers): the compiled scan could not load: " \
           "ModuleNotFoundError" in without.stdout
    with_numba = subprocess.run(["transkit", "tm", "stats"], capture_output=True, text=True)
    assert "fuzzy search of a large memory: compiled (numba)" in with_numba.stdout


# the last: a NUL (what separates the sources of a stored index) and a character past U+FFFF
_ALPHABETS = st.sampled_from(["ab", "abc ", "aeiou tnsrl", "éèà ñ中文", "abcdefghijklmnopqrstuvwxyzABCDE %.,", "ab \0😭"])


@st.composite
def _corpus_and_query(draw):
    alphabet = draw(_ALPHABETS)
    text = st.text(alphabet=alphabet, min_size=0, max_size=draw(st.sampled_from([12, 40, 400])))
    sources = draw(st.lists(text, min_size=1, max_size=60))
    base = draw(st.sampled_from(sources))
    query = draw(st.one_of(text, st.just(base), st.just(base[1:] + "x"), st.just(base * 2)))
    return sources, query or "x"  # an empty query has no suggestions (rapidfuzz would rate "" 100)


@pytest.mark.parametrize("scan", SCANS)
@settings(max_examples=300, deadline=None)
@given(_corpus_and_query(), st.floats(min_value=1, max_value=100), st.integers(min_value=1, max_value=8))
def test_fuzzy_index_matches_brute_force_on_any_strings(scan, corpus_and_query, threshold, limit):
    """Short, long (counts past every level), repetitive and non-ASCII strings, any threshold."""
    sources, query = corpus_and_query
    with scanning_with(scan):
        index = FuzzyIndex.build(sources)
        expected = brute_force(query, set(sources), threshold, limit)
        assert index.search(query, threshold, limit) == expected
        assert FuzzyIndex.from_blobs(**index.to_blobs()).search(query, threshold, limit) == expected


def test_fuzzy_index_is_stored_in_the_file_and_rebuilt_only_when_sources_change(tmp_path, monkeypatch):
    path = tmp_path / "tm.sqlite"
    with TranslationMemory(path) as memory:
        memory.add_many([("it_IT", "", text, "", '["x"]', "gen") for text in
                         ["Save changes", "Save all changes", "Discard changes", "Settings"]])
        first = memory.fuzzy_sources("Save change", "it_IT")
    assert [text for text, _ in first] == ["Save changes", "Save all changes"]

    def no_build(sources):
        raise AssertionError("the stored index should have been loaded")

    _CACHED_INDEXES.clear()  # as a new process
    with monkeypatch.context() as patch:
        patch.setattr(FuzzyIndex, "build", no_build)
        with TranslationMemory(path) as memory:
            assert memory.fuzzy_sources("Save change", "it_IT") == first
    # another connection adds a source: every open memory sees it at its next lookup
    with TranslationMemory(path) as reader, TranslationMemory(path) as writer:
        assert reader.fuzzy_sources("Save change", "it_IT") == first
        writer.add("it_IT", "Save change", ["Salva modifica"], origin="other")
        assert reader.fuzzy_sources("Save change", "it_IT")[0] == ("Save change", 100.0)
        with writer._conn:  # and a removal, as re-seeding an edited catalog does
            writer._conn.execute("DELETE FROM segments WHERE source = 'Save change'")
        assert reader.fuzzy_sources("Save change", "it_IT") == first


def test_a_postgresql_memory_loads_its_stored_index_over_two_connections(pg_url, monkeypatch):
    """A fresh process fetches the stored index's text and its signatures at the same time, on two
    connections; if a writer replaced the index between the two queries (their rows differ), it
    reads it again in one query rather than put two indexes together."""
    from transkit.store.sql import PostgresConnection

    sources = ["Save changes", "Save all changes", "Discard changes", "Settings", "Ünïcode 😭 changes"]
    with TranslationMemory(pg_url) as memory:
        memory.add_many([("it_IT", "", text, "", '["x"]', "gen") for text in sources])
        first = memory.fuzzy_sources("Save change", "it_IT")
    assert [text for text, _ in first] == ["Save changes", "Save all changes"]

    def no_build(sources):
        raise AssertionError("the stored index should have been loaded")

    monkeypatch.setattr(FuzzyIndex, "build", no_build)
    opened, real_another = [], PostgresConnection.another
    monkeypatch.setattr(PostgresConnection, "another", lambda self: opened.append(1) or real_another(self))
    _CACHED_INDEXES.clear()  # as a new process
    with TranslationMemory(pg_url) as memory:
        assert memory.fuzzy_sources("Save change", "it_IT") == first
        assert memory.fuzzy_sources("Ünïcode changes", "it_IT")[0][0] == "Ünïcode 😭 changes"
    assert opened == [1]

    class ReplacedMeanwhile:  # the second query sees another generation's row: signatures of nothing
        def __init__(self, connection):
            self.connection = connection

        def execute(self, sql, params=(), binary=False):
            rows = [(name, generation + 1, format_, bytes(len(data)))
                    for name, generation, format_, data in self.connection.execute(sql, params, binary).fetchall()]
            return type("Result", (), {"fetchall": lambda _: rows})()

        def close(self):
            self.connection.close()

    monkeypatch.setattr(PostgresConnection, "another", lambda self: ReplacedMeanwhile(real_another(self)))
    _CACHED_INDEXES.clear()
    with TranslationMemory(pg_url) as memory:
        assert memory.fuzzy_sources("Save change", "it_IT") == first


def test_an_index_larger_than_a_part_is_stored_in_parts_and_loaded_whole(backend, monkeypatch):
    """SQLite refuses a row over 1 GB and PostgreSQL a value over 1 GB, which a 10M-segment index
    is: stored whole it failed and every process rebuilt it. Each blob goes in parts (here of 64
    bytes, so every blob has several) and a fresh process loads them joined, not a rebuild."""
    from transkit.suggest import tm as tm_module

    monkeypatch.setattr(tm_module, "PART_BYTES", 64)
    sources = [f"Save the {n} changes of this draft" for n in range(300)] + ["Ünïcode 😭 changes"]
    with TranslationMemory(backend.target("memory")) as memory:
        memory.add_many([("it_IT", "", text, "", '["x"]', "gen") for text in sources])
        first = memory.fuzzy_sources("Save the 17 change of this draft", "it_IT")
        stored = dict(memory._conn.execute("SELECT name, count(*) FROM fuzzy_index_parts GROUP BY name").fetchall())
    assert first[0][0] == "Save the 17 changes of this draft"
    assert set(stored) == {"layout", "lengths", "text", "words", "excess"} and min(stored.values()) > 1, stored

    def no_build(sources):
        raise AssertionError("the stored index should have been loaded")

    monkeypatch.setattr(FuzzyIndex, "build", no_build)
    _CACHED_INDEXES.clear()  # as a new process
    with TranslationMemory(backend.target("memory")) as memory:
        assert memory.fuzzy_sources("Save the 17 change of this draft", "it_IT") == first
        assert memory.fuzzy_sources("Ünïcode changes", "it_IT")[0][0] == "Ünïcode 😭 changes"


def test_import_tmx(tm, tmp_path):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en-US" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="test" creationtoolversion="1" o-tmf="x"/>
<body>
<tu><tuv xml:lang="en-US"><seg>Send message</seg></tuv><tuv xml:lang="it-IT"><seg>Invia messaggio</seg></tuv>
<tuv xml:lang="de-DE"><seg>Nachricht senden</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>Hello <ph>%s</ph></seg></tuv><tuv xml:lang="it-IT"><seg>Ciao <ph>%s</ph></seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    assert tm.import_tmx(tmx) == 3
    assert tm.exact("Send message", "it_IT").target == "Invia messaggio"
    assert tm.exact("Send message", "de_DE").target == "Nachricht senden"
    assert tm.exact("Hello %s", "it_IT").target == "Ciao %s"


def test_broken_tmx_names_file_and_line(tm, tmp_path):
    tmx = tmp_path / "broken.tmx"
    tmx.write_text('<tmx version="1.4">\n<body>\n<tu><tuv>\n</body></tmx>\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        tm.import_tmx(tmx)
    assert info.value.path == str(tmx) and info.value.line == 4


def test_cli_tm_import_and_stats(tmp_path, backend):
    po = tmp_path / "x-it_IT.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Close"\nmsgstr "Chiudi"\n', encoding="utf-8")
    out = subprocess.run(["transkit", "tm", "import", str(po)], capture_output=True, text=True)
    assert out.returncode == 0 and " ".join(out.stdout.split()).endswith("x-it_IT.po: 1 segment")
    out = subprocess.run(["transkit", "tm", "stats"], capture_output=True, text=True)
    assert out.returncode == 0 and "it_IT: 1 segments" in out.stdout
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body>", encoding="utf-8")
    out = subprocess.run(["transkit", "tm", "import", str(bad)], capture_output=True, text=True)
    assert out.returncode == 3 and "bad.tmx" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.corpus
def test_fill_contact_form_7_italian_from_other_plugins(corpus_dir, tmp_path, capsys):
    """Seed the memory with every other plugin's it_IT catalog, fill contact-form-7's template."""
    sources = [p for p in corpus_dir.glob("wordpress/**/*-it_IT.po") if "contact-form-7" not in p.parts]
    assert sources, "the corpus has no it_IT catalogs"
    po = tmp_path / "contact-form-7-it_IT.po"
    subprocess.run(["msginit", "--no-translator", "-l", "it_IT", "-i",
                    str(corpus_dir / "wordpress/contact-form-7/contact-form-7.pot"), "-o", str(po)],
                   check=True, capture_output=True)
    with TranslationMemory() as memory:
        seeded = sum(memory.import_po(path) for path in sources)
    events = list(fill([po], "it_IT", providers=("tm",)))
    report = events[-1].report
    with capsys.disabled():
        print(f"\ncontact-form-7 it_IT from {len(sources)} catalogs ({seeded} segments): "
              f"{report.from_memory_exact} exact, {report.from_memory_fuzzy} fuzzy of {report.candidates}")
    assert report.from_memory_exact >= 20 and report.from_memory_fuzzy >= 20
    filled = load_catalog(po)
    suggested = [e for e in filled.entries if any(e.translations)]
    assert len(suggested) == report.written
    assert all(e.fuzzy for e in suggested)  # every suggestion waits for review
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_other_msgctxt_scores_below_100_and_above_any_fuzzy_match(tm, tmp_path):
    long_text = "Choose the images that appear in the gallery and the order they appear in"
    tm.add_catalog(italian_catalog([
        Entry("Post", "Articolo", msgctxt="post type singular name"),
        Entry("Post", "Pubblica", msgctxt="verb: publish"),
        Entry("Posts", "Articoli"),
        Entry(long_text + ".", "Scegli le immagini della galleria e il loro ordine."),
    ], tmp_path / "one-it_IT.po"))
    found = tm.suggest("Post", "it_IT", msgctxt="verb: publish")
    assert [(m.target, m.score, m.exact) for m in found] == [
        ("Pubblica", 100.0, True), ("Articolo", 99.0, False), ("Articoli", pytest.approx(88.9, abs=0.1), False)]
    other = tm.suggest("Post", "it_IT", msgctxt="verb: upload")
    assert {m.score for m in other[:2]} == {99.0} and not any(m.exact for m in other)
    # one character less in a long text: rapidfuzz says 99.3, which must not pass for exact or other-context
    near = tm.suggest(long_text, "it_IT")[0]
    assert near.score < 99 and not near.exact


def test_fill_writes_an_other_context_match_fuzzy_and_never_as_a_100_match(sample_po):
    """tiny-gallery has "Post" as a noun (translated) and as a verb (empty)."""
    from transkit.jobs.suggestions import MemorySuggestions

    out = subprocess.run(["transkit", "fill", str(sample_po / "tiny-gallery"), "--locale", "it_IT",
                          "--provider", "tm"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    po = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    verb = load_catalog(po).find("Post", msgctxt="verb: publish")
    assert verb.msgstr == "Articolo" and verb.fuzzy  # as msgmerge would: a candidate to review
    exact_only = subprocess.run(["transkit", "review", str(sample_po / "tiny-gallery"), "--approve",
                                 "provider=memory,score>=100"], capture_output=True, text=True)
    assert exact_only.returncode == 0 and "Approved 0" in exact_only.stdout + exact_only.stderr, exact_only.stdout
    assert load_catalog(po).find("Post", msgctxt="verb: publish").fuzzy
    dry = subprocess.run(["transkit", "review", str(sample_po / "tiny-gallery"), "--approve",
                          "provider=memory,score=99", "--dry-run"], capture_output=True, text=True)
    assert "[verb: publish] \"Post\"" in dry.stdout  # review --dry-run quotes the msgid
    # the editor's memory panel shows the same score, marked as another context
    suggestions = MemorySuggestions("it_IT", own_path=po)
    try:
        shown = suggestions.lookup(Entry("Post", "", msgctxt="verb: publish"))
    finally:
        suggestions.close()
    assert [(s.text, s.score) for s in shown] == [("Articolo", 99.0)]
    assert "(other context)" in shown[0].origin
