"""Fuzzy TM lookup against >= 1,000,000 segments, next to brute-force rapidfuzz in the same run.

Builds the segments by repeating and perturbing every msgid of ../shared/corpus (character edits,
word shuffles, prefixes/suffixes), stores them in a TM, then for perturbed queries prints the
per-query time of ``TranslationMemory.fuzzy_sources`` and of ``process.extract`` over every distinct
source (scorer ``fuzz.ratio``, cutoff 75), and how often the two top-5 score lists agree.

    python benchmarks/tm.py [--segments 1000000] [--queries 300] [--brute 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from transkit.catalog import load_catalog
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute", type=int, default=100, help="queries also run by brute force")
    args = parser.parse_args()
    rng = random.Random(1)
    base = corpus_strings()
    if not base:
        sys.exit(f"no corpus at {CORPUS}")
    segments = list(base)
    seen = set(segments)
    while len(segments) < args.segments:  # repeats of a source under another origin count too
        text = perturb(rng.choice(base), rng)
        segments.append(text)
        seen.add(text)
    with tempfile.TemporaryDirectory() as folder:
        tm = TranslationMemory(Path(folder) / "tm.sqlite")
        started = time.perf_counter()
        tm.add_many([("it_IT", "", text, "", '["x"]', f"bench/{n % 50}") for n, text in enumerate(segments)])
        stored = time.perf_counter() - started
        started = time.perf_counter()
        tm.fuzzy_sources("warm up the index", "it_IT")
        indexed = time.perf_counter() - started
        distinct = sorted(seen)
        print(f"{len(segments):,} segments ({len(distinct):,} distinct sources) from {len(base):,} corpus "
              f"strings; stored in {stored:.1f} s, index built in {indexed:.1f} s")
        queries = [perturb(rng.choice(base), rng) for _ in range(args.queries)]
        ours, our_times = [], []
        for query in queries:
            started = time.perf_counter()
            ours.append([round(score, 4) for _, score in tm.fuzzy_sources(query, "it_IT", 75, 5)])
            our_times.append((time.perf_counter() - started) * 1000)
        brute, brute_times = [], []
        for query in queries[:args.brute]:
            started = time.perf_counter()
            found = process.extract(query, distinct, scorer=fuzz.ratio, score_cutoff=75, limit=None)
            brute_times.append((time.perf_counter() - started) * 1000)
            brute.append(sorted((round(score, 4) for _, score, _ in found), reverse=True)[:5])
        agree = sum(a == b for a, b in zip(ours, brute))
        p95 = sorted(our_times)[int(0.95 * len(our_times))]
        print(f"transkit TM : mean {statistics.mean(our_times):.2f} ms, median "
              f"{statistics.median(our_times):.2f} ms, p95 {p95:.2f} ms per query ({len(queries)} queries)")
        print(f"brute force : mean {statistics.mean(brute_times):.1f} ms per query ({len(brute)} queries)")
        print(f"speed-up    : {statistics.mean(brute_times) / statistics.mean(our_times):.0f}x; "
              f"top-5 identical (scores) on {agree}/{len(brute)} queries")
        tm.close()


if __name__ == "__main__":
    main()
