"""An exact fuzzy candidate search inside PostgreSQL, next to the in-process index and brute force in
the same run: why transkit does not use one (see the docstring of transkit/suggest/tm.py).

The design measured: every source keeps its occurrence-tagged bigrams (``("th", 2)`` = the second
"th") in an ``int8[]`` column with a GIN index, and its length under a b-tree. A ratio ≥ c between a
query of length la and a source of length lb needs LCS ≥ c·(la+lb)/200, and then at least
``3·LCS − (la+lb) − 1`` shared tagged bigrams (each deleted character breaks at most two). With the
query's bigrams sorted rarest first, a source sharing t of them shares one of the first n − t + 1
(prefix filtering), so ``grams && those AND length BETWEEN …`` finds every source that can reach c.
The search walks the same score bands as the in-process index (98, 95, …, the threshold), each
band asking only for rows the previous bands did not return, and rescores every candidate with
rapidfuzz; it stops when the current 5th-best score is at least the band's. Exactness is checked
against brute force on every query.

    python benchmarks/tm_in_database.py [--segments 200000] [--queries 60] [--database-url URL]

Without ``--database-url`` a throw-away server is started as the tests start theirs.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter

import psycopg

from tm import corpus_strings, perturb, postgres_target  # benchmarks/tm.py: the same segments
from transkit.suggest.fuzzy_index import LEVELS, FuzzyIndex, brute_force
from rapidfuzz import fuzz, process

THRESHOLD, LIMIT = 75, 5


def tagged_bigrams(text: str) -> list[tuple[str, int]]:
    seen: Counter = Counter()
    tagged = []
    for pair in map("".join, zip(text, text[1:])):
        seen[pair] += 1
        tagged.append((pair, seen[pair]))
    return tagged


def code(pair: str, occurrence: int) -> int:
    return (ord(pair[0]) << 42) | (ord(pair[1]) << 21) | occurrence  # < 2**63 for any code point


def needed_bigrams(la: int, lb: int, cutoff: float) -> int:
    lcs = math.ceil(cutoff * (la + lb) / 200 - 1e-9)
    return 3 * lcs - (la + lb) - 1


def window(la: int, cutoff: float) -> tuple[int, int]:
    return (max(1, math.ceil(la * cutoff / (200 - cutoff) - 1e-9)),
            math.floor(la * (200 - cutoff) / cutoff + 1e-9))


class DatabaseSearch:
    def __init__(self, conn, frequency: Counter):
        self.conn, self.frequency = conn, frequency

    def probe(self, query: str, cutoff: float) -> tuple[int, int, list[int] | None]:
        """The length range and the bigram codes a candidate must share one of (None: any row)."""
        low, high = window(len(query), cutoff)
        least = min(needed_bigrams(len(query), lb, cutoff) for lb in range(low, high + 1))
        tagged = sorted(tagged_bigrams(query), key=lambda t: (self.frequency[t], t))
        if least < 1:
            return low, high, None
        return low, high, [code(*t) for t in tagged[:len(tagged) - least + 1]]

    def search(self, query: str) -> tuple[list[tuple[str, float]], int]:
        found: dict[str, float] = {}
        cutoff, before, fetched = float(THRESHOLD), None, 0
        for level in (*(lv for lv in LEVELS if lv > THRESHOLD), THRESHOLD):
            band = max(level, cutoff)
            low, high, codes = self.probe(query, band)
            sql, params = "SELECT DISTINCT source FROM segments WHERE length(source) BETWEEN %s AND %s", [low, high]
            if codes is not None:
                sql, params = sql + " AND grams && %s::int8[]", params + [codes]
            if before is not None:  # rows an earlier band returned
                sql += " AND NOT (length(source) BETWEEN %s AND %s" + (" AND grams && %s::int8[])" if before[2] is not None else ")")
                params += [before[0], before[1]] + ([before[2]] if before[2] is not None else [])
            rows = [row[0] for row in self.conn.execute(sql, params)]
            fetched += len(rows)
            before = (low, high, codes)
            for text, score, _ in process.extract(query, rows, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None):
                found[text] = score
            if len(found) >= LIMIT:
                cutoff = max(cutoff, sorted(found.values(), reverse=True)[LIMIT - 1])
                if cutoff >= band - 1e-9:
                    break
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))[:LIMIT], fetched


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--database-url", help="a database to create the table `segments` in (else a throw-away server)")
    args = parser.parse_args()
    rng = random.Random(1)
    base = corpus_strings()
    segments = list(base)
    while len(segments) < args.segments:
        segments.append(perturb(rng.choice(base), rng))
    distinct = sorted(set(segments))
    queries = [perturb(rng.choice(base), rng) for _ in range(args.queries)]
    url = args.database_url or postgres_target()[0]
    frequency: Counter = Counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS segments")
        conn.execute("CREATE TABLE segments (source text NOT NULL, grams int8[] NOT NULL)")
        started = time.perf_counter()
        with conn.cursor().copy("COPY segments (source, grams) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["text", "int8[]"])
            for text in distinct:
                tagged = tagged_bigrams(text)
                frequency.update(tagged)
                copy.write_row((text, [code(*t) for t in tagged]))
        conn.execute("CREATE INDEX segments_length ON segments (length(source))")
        conn.execute("CREATE INDEX segments_grams ON segments USING gin (grams)")
        conn.execute("ANALYZE segments")
        print(f"{len(distinct):,} distinct sources stored and indexed in {time.perf_counter() - started:.0f} s",
              flush=True)
        index = FuzzyIndex.build(distinct)
        search = DatabaseSearch(conn, frequency)
        rows = {"database": [], "in-process index": [], "brute force": []}
        agree, fetched = 0, []
        for query in queries:
            started = time.perf_counter()
            in_database, count = search.search(query)
            rows["database"].append(time.perf_counter() - started)
            started = time.perf_counter()
            index.search(query, THRESHOLD, LIMIT)
            rows["in-process index"].append(time.perf_counter() - started)
            started = time.perf_counter()
            truth = brute_force(query, distinct, THRESHOLD, LIMIT)
            rows["brute force"].append(time.perf_counter() - started)
            agree += in_database == truth
            fetched.append(count)
        conn.execute("DROP TABLE segments")
    for name, times in rows.items():
        print(f"{name:>16}: mean {statistics.mean(times) * 1000:8.2f} ms, median "
              f"{statistics.median(times) * 1000:8.2f} ms per query")
    print(f"database top-5 identical to brute force on {agree}/{len(queries)} queries; candidate rows "
          f"fetched per query: mean {statistics.mean(fetched):,.0f}, max {max(fetched):,}")


if __name__ == "__main__":
    sys.exit(main())
