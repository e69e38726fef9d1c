"""Fuzzy TM lookup against >= 1,000,000 segments, next to brute-force rapidfuzz in the same run.

Builds the segments by repeating and perturbing every msgid of ../shared/corpus (character edits,
word shuffles, prefixes/suffixes), stores them in a TM, then for perturbed queries prints the
per-query time of ``TranslationMemory.fuzzy_sources`` and of a brute-force ``process.extract`` over
every distinct source (scorer ``fuzz.ratio``, cutoff 75), and on how many queries the two top-5
lists are identical: same sources, same scores, same order (score descending, then source text).
Also: the time to build and store the index, the time a fresh process takes to load it from the
TM file, and the memory the index holds.

    python benchmarks/tm.py [--segments 1000000] [--queries 300] [--brute 300]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from transkit.catalog import load_catalog
from transkit.suggest.fuzzy_index import brute_force
from transkit.suggest.tm import TranslationMemory

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
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
from transkit.suggest.tm import TranslationMemory
with TranslationMemory(sys.argv[1]) as tm:
    started = time.perf_counter()
    tm.fuzzy_sources("warm up the index", "it_IT")
    print(time.perf_counter() - started)
"""


def percentile(values: list[float], fraction: float) -> float:
    return sorted(values)[min(len(values) - 1, int(fraction * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute", type=int, default=300, help="queries also run by brute force")
    args = parser.parse_args()
    rng = random.Random(1)
    base = corpus_strings()
    if not base:
        sys.exit(f"no corpus at {CORPUS}")
    segments = list(base)
    while len(segments) < args.segments:  # repeats of a source under another origin count too
        segments.append(perturb(rng.choice(base), rng))
    distinct = sorted(set(segments))
    queries = [perturb(rng.choice(base), rng) for _ in range(args.queries)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tm.sqlite"
        tm = TranslationMemory(path)
        started = time.perf_counter()
        tm.add_many([("it_IT", "", text, "", '["x"]', f"bench/{n % 50}") for n, text in enumerate(segments)])
        stored = time.perf_counter() - started
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        index = tm.fuzzy_index("it_IT")
        indexed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        fresh = subprocess.run([sys.executable, "-c", FRESH_PROCESS_LOAD, str(path)], capture_output=True,
                               text=True, check=True)
        print(f"{len(segments):,} segments ({len(distinct):,} distinct sources) from {len(base):,} corpus "
              f"strings; stored in {stored:.1f} s")
        print(f"index       : built and stored in {indexed:.1f} s; loaded by a fresh process in "
              f"{float(fresh.stdout):.2f} s; holds {index.nbytes / 2**20:.0f} MiB "
              f"(strings {index.nbytes_strings / 2**20:.0f} MiB, signatures and lengths "
              f"{(index.nbytes - index.nbytes_strings) / 2**20:.0f} MiB); max RSS grew "
              f"{rss_after - rss_before:.0f} MiB while building")
        ours, our_times = [], []
        for query in queries:
            started = time.perf_counter()
            ours.append(tm.fuzzy_sources(query, "it_IT", 75, 5))
            our_times.append((time.perf_counter() - started) * 1000)
        brute, brute_times = [], []
        for query in queries[:args.brute]:
            started = time.perf_counter()
            brute.append(brute_force(query, distinct, 75, 5))
            brute_times.append((time.perf_counter() - started) * 1000)
        agree = sum(a == b for a, b in zip(ours, brute))
        scores_agree = sum([s for _, s in a] == [s for _, s in b] for a, b in zip(ours, brute))
        print(f"transkit TM : mean {statistics.mean(our_times):.2f} ms, median "
              f"{statistics.median(our_times):.2f} ms, p95 {percentile(our_times, 0.95):.2f} ms, "
              f"max {max(our_times):.2f} ms per query ({len(queries)} queries)")
        print(f"brute force : mean {statistics.mean(brute_times):.1f} ms, median "
              f"{statistics.median(brute_times):.1f} ms per query ({len(brute)} queries)")
        print(f"speed-up    : {statistics.mean(brute_times) / statistics.mean(our_times):.0f}x (mean); "
              f"top-5 identical (sources, scores, order) on {agree}/{len(brute)} queries, "
              f"scores alone on {scores_agree}/{len(brute)}")
        tm.close()


if __name__ == "__main__":
    main()
