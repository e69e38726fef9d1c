"""Fuzzy TM lookup against >= 1,000,000 segments, on SQLite and PostgreSQL, next to brute-force
rapidfuzz in the same run.

Builds the segments by repeating and perturbing every msgid of ../shared/corpus (character edits,
word shuffles, prefixes/suffixes), stores them in a TM, then for perturbed queries prints the
per-query time of ``TranslationMemory.fuzzy_sources`` and of a brute-force ``process.extract`` over
every distinct source (scorer ``fuzz.ratio``, cutoff 75), and on how many queries the two top-5
lists are identical: same sources, same scores, same order (score descending, then source text).
Also: the time to build and store the index, the time a fresh process takes to load it from the
TM file (or the database), and the memory the index holds.

``--backend postgresql`` (or ``sqlite,postgresql``, the default) runs the same segments and queries
against a PostgreSQL memory: ``$TRANSKIT_BENCH_DATABASE_URL`` (a database it may create a schema in),
else a throw-away server started like the tests' (initdb + pg_ctl on 127.0.0.1). Segments go in
with COPY.

A 10M-segment memory takes tens of minutes to store: ``--database-url URL`` and ``--sqlite-path PATH``
keep the memory there (not dropped at the end) and reuse it when it already holds exactly this run's
segments (the generator is seeded, so the same ``--segments`` gives the same rows); ``--store-only``
stores (and indexes) and stops, e.g. in the background before the timed run.

    python benchmarks/tm.py [--segments 1000000] [--queries 300] [--brute 300] [--backend sqlite,postgresql]
                            [--database-url URL] [--sqlite-path PATH] [--store-only]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from transkit.catalog import load_catalog
from transkit.suggest.fuzzy_index import brute_force, wait_for_kernel
from transkit.suggest.tm import TranslationMemory

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

TESTS = Path(__file__).resolve().parents[1] / "tests"
ALPHABET = "abcdefghijklmnopqrstuvwxyz "


def corpus_strings() -> list[str]:
    strings: set[str] = set()
    for path in list(CORPUS.rglob("*.po")) + list(CORPUS.rglob("*.pot")):
        try:
            catalog = load_catalog(path)
        except Exception:  # the corpus holds files meant to fail
            continue
        for entry in catalog.entries:
            strings.update(s for s in (entry.msgid, entry.msgid_plural) if s)
    return sorted(strings)


def perturb(text: str, rng: random.Random) -> str:
    kind = rng.choice([1, 2, 3, "shuffle", "affix"])
    if kind == "shuffle":
        words = text.split()
        rng.shuffle(words)
        return " ".join(words) if len(words) > 1 else text + "s"
    if kind == "affix":
        return rng.choice(["New ", "Edit ", "Delete ", ""]) + text + rng.choice(
            [f" ({rng.randint(1, 999)})", ".", ":", ""])
    chars = list(text)
    for _ in range(kind):
        i, op = rng.randrange(len(chars) + 1), rng.random()
        if op < 0.33 and chars:
            chars[min(i, len(chars) - 1)] = rng.choice(ALPHABET)
        elif op < 0.66:
            chars.insert(i, rng.choice(ALPHABET))
        elif chars:
            del chars[min(i, len(chars) - 1)]
    return "".join(chars)


FRESH_PROCESS_LOAD = """
import sys, time
from transkit.suggest.fuzzy_index import wait_for_kernel
from transkit.suggest.tm import TranslationMemory
with TranslationMemory(sys.argv[1]) as tm:
    started = time.perf_counter()
    tm.fuzzy_sources("warm up the index", "it_IT")
    loaded = time.perf_counter()
    wait_for_kernel(tm.fuzzy_index("it_IT"))
    print(loaded - started, time.perf_counter() - loaded)
"""


def postgres_target() -> tuple[str, str]:
    """A URL of a fresh schema: in $TRANSKIT_BENCH_DATABASE_URL's database, else on a server
    started for this run (the tests' helper: initdb + pg_ctl, stopped at exit)."""
    sys.path.insert(0, str(TESTS))
    import postgres_server

    if os.environ.get("TRANSKIT_BENCH_DATABASE_URL"):
        os.environ["TRANSKIT_TEST_DATABASE_URL"] = os.environ["TRANSKIT_BENCH_DATABASE_URL"]
    postgres_server.pytest.skip = lambda why: sys.exit(why)  # outside pytest: say why and stop
    return postgres_server.fresh_schema_url()


def percentile(values: list[float], fraction: float) -> float:
    return sorted(values)[min(len(values) - 1, int(fraction * len(values)))]


def run_backend(name: str, target: str, segments: list[str], distinct: list[str], queries: list[str],
                base_count: int, store_only: bool = False) -> tuple[list, list[float]]:
    tm = TranslationMemory(target)
    started = time.perf_counter()
    held = tm.stats()["locales"].get("it_IT", {})
    # the memory keeps one row per (source, origin): what this run's segments make, repeats merged
    rows = len({(text, n % 50) for n, text in enumerate(segments)}) if held else 0
    if held.get("segments") == rows and held.get("sources") == len(distinct):
        stored_how = "reused (stored by an earlier run)"
    else:
        if held:
            sys.exit(f"[{name}] {target} holds other it_IT segments ({held}); give an empty one")
        for first in range(0, len(segments), 1_000_000):  # bounded batches: one COPY / executemany each
            tm.add_many([("it_IT", "", text, "", '["x"]', f"bench/{n % 50}")
                         for n, text in enumerate(segments[first:first + 1_000_000], first)])
        stored_how = f"stored in {time.perf_counter() - started:.1f} s"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    index = tm.fuzzy_index("it_IT")
    indexed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"[{name}] {len(segments):,} segments ({len(distinct):,} distinct sources) from {base_count:,} "
          f"corpus strings; {stored_how}", flush=True)
    fresh = subprocess.run([sys.executable, "-c", FRESH_PROCESS_LOAD, target], capture_output=True, text=True)
    if fresh.returncode == 0:
        load_time, kernel_time = map(float, fresh.stdout.split())
        # the first lookup does not wait for the compiled scan: it loads in the background meanwhile
        loaded = f"{load_time:.2f} s (and its compiled scan {kernel_time:.2f} s later)"
    else:
        loaded = f"FAILED ({(fresh.stderr.strip().splitlines() or ['?'])[-1]})"
    # a memory reused from an earlier run has its index stored too: then this is loading it, not building it
    made = "built and stored" if stored_how.startswith("stored") else "loaded (rebuilt if stale) from the reused memory"
    print(f"[{name}] index : {made} in {indexed:.1f} s; loaded by a fresh process in "
          f"{loaded}; holds {index.nbytes / 2**20:.0f} MiB "
          f"(strings {index.nbytes_strings / 2**20:.0f} MiB, signatures and lengths "
          f"{(index.nbytes - index.nbytes_strings) / 2**20:.0f} MiB); max RSS grew "
          f"{rss_after - rss_before:.0f} MiB while building", flush=True)
    if store_only:
        tm.close()
        return [], []
    found, times, cpu_times = [], [], []
    tm.fuzzy_sources(queries[0], "it_IT", 75, 5)  # the index is loaded (timed above), not in the first query
    wait_for_kernel(index)  # and the compiled scan, which a fresh process loads in the background
    for query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        found.append(tm.fuzzy_sources(query, "it_IT", 75, 5))
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - started_cpu) * 1000)
    print(f"[{name}] lookup: mean {statistics.mean(times):.2f} ms, median {statistics.median(times):.2f} ms, "
          f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms per query ({len(queries)} queries)")
    # on a shared machine a lookup also waits for a CPU: this process's own CPU time shows how much
    # of the wall time (and of its tail) is the search itself. A large search is shared between the
    # CPUs (its threads' time all counts), so this may exceed the wall time
    print(f"[{name}] lookup CPU time in this process (all threads): mean {statistics.mean(cpu_times):.2f} ms, median "
          f"{statistics.median(cpu_times):.2f} ms, p95 {percentile(cpu_times, 0.95):.2f} ms; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    tm.close()
    return found, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute", type=int, default=300, help="queries also run by brute force")
    parser.add_argument("--backend", default="sqlite,postgresql", help="sqlite, postgresql or sqlite,postgresql (both)")
    parser.add_argument("--database-url", help="a PostgreSQL database (or schema) to keep the memory in and reuse")
    parser.add_argument("--sqlite-path", help="a TM file to keep the SQLite memory in and reuse")
    parser.add_argument("--store-only", action="store_true", help="store and index, time no lookups")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backend.split(",") if b.strip()]
    if not backends or set(backends) - {"sqlite", "postgresql"}:
        parser.error(f"--backend: sqlite, postgresql or sqlite,postgresql, not {args.backend!r}")
    rng = random.Random(1)
    base = corpus_strings()
    if not base:
        sys.exit(f"no corpus at {CORPUS}")
    segments = list(base)
    while len(segments) < args.segments:  # repeats of a source under another origin count too
        segments.append(perturb(rng.choice(base), rng))
    distinct = sorted(set(segments))
    queries = [perturb(rng.choice(base), rng) for _ in range(args.queries)]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in backends:
            if name == "sqlite":
                target, schema = args.sqlite_path or str(Path(folder) / "tm.sqlite"), None
            elif args.database_url:
                target, schema = args.database_url, None
            else:
                target, schema = postgres_target()
            try:
                results[name] = run_backend(name, target, segments, distinct, queries, len(base), args.store_only)
            finally:
                if schema:
                    import postgres_server

                    postgres_server.drop_schema(schema)
    if args.store_only:
        return
    brute, brute_times = [], []
    for query in queries[:args.brute]:
        started = time.perf_counter()
        brute.append(brute_force(query, distinct, 75, 5))
        brute_times.append((time.perf_counter() - started) * 1000)
    print(f"brute force : mean {statistics.mean(brute_times):.1f} ms, median "
          f"{statistics.median(brute_times):.1f} ms per query ({len(brute)} queries)")
    for name, (found, times) in results.items():
        agree = sum(a == b for a, b in zip(found, brute))
        scores_agree = sum([s for _, s in a] == [s for _, s in b] for a, b in zip(found, brute))
        print(f"[{name}] speed-up {statistics.mean(brute_times) / statistics.mean(times):.0f}x (mean) over "
              f"brute force; top-5 identical (sources, scores, order) on {agree}/{len(brute)} queries, "
              f"scores alone on {scores_agree}/{len(brute)}")


if __name__ == "__main__":
    main()
