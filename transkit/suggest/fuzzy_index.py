"""Exact top-k fuzzy search of many strings by ``rapidfuzz.fuzz.ratio``, fast enough for a 1M-segment TM.

The only module that imports rapidfuzz (the translation memory in ``tm.py`` goes through it).

``fuzz.ratio(a, b) = 200 · LCS(a, b) / (len a + len b)`` (normalised Indel similarity). Two cheap,
provably safe upper bounds of it prune the candidates; every survivor is then scored by rapidfuzz
itself, so the scores are bit-for-bit those of a brute-force ``process.extract``:

* **length**: ``LCS ≤ min(la, lb)``, so a score ≥ c needs ``lb`` in ``[la·c/(200-c), la·(200-c)/c]``.
  Sources are numbered in length order, so a length window is one range of rows.
* **character bag**: ``LCS ≤ Σ_ch min(count_a(ch), count_b(ch))``. Each source keeps a 256-bit
  signature: characters go to 72 buckets (the 64 most frequent characters alone, the others hashed
  into 8 shared ones, which only loosens the bound), and bucket ``b`` sets its bits ``1..min(n, L_b)``.
  ``popcount(query_bits & source_bits)`` + (the query's counts beyond ``L_b``) ≥ the bag overlap ≥ LCS.
  numpy evaluates it for a whole range of rows at a time. Long queries overflow the levels (space,
  e, t…), which loosens the bound, so each source also keeps its counts beyond the levels, 4 bits
  per bucket (15 = "15 or more"): for the rows that pass the bits, ``min(query excess, source
  excess)`` replaces the query's excess.

Only the best ``limit`` results are wanted, so the search walks length bands outwards from the
query's own length (score bound 96, 92, … down to the threshold) and raises its cutoff to the
current ``limit``-th best score as results come in; a band whose length bound is below the cutoff
is never read. Ties are broken by source text, so "the top 5" is well defined: score descending,
then text ascending.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from itertools import accumulate
from operator import itemgetter
from typing import Iterable

import numpy as np
from rapidfuzz import fuzz, process

FORMAT_VERSION = 1  # of the stored form (to_blobs); bump when the layout or signature changes
WORDS = 4  # 256 signature bits per source
OWN_BUCKETS = 64  # the most frequent characters, one bucket each
SHARED_BUCKETS = 8  # every other character, by code point modulo 8
LEVELS = (98, 95, 92, 88, 84, 80)  # score bounds of the length bands, walked outwards before the threshold
_CHUNK = 65536  # sources per step when building signatures (bounds the temporary count matrix)


def ratio(a: str, b: str) -> float:
    """The score every lookup uses (0–100)."""
    return fuzz.ratio(a, b)


def brute_force(query: str, choices: Iterable[str], threshold: float, limit: int) -> list[tuple[str, float]]:
    """Every choice scored by rapidfuzz: the reference the index must reproduce exactly."""
    found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
    return sorted(((text, score) for text, score, _ in found), key=lambda item: (-item[1], item[0]))[:limit]


class _Layout:
    """Which bucket each character counts in and how many count levels (bits) each bucket has."""

    def __init__(self, own: list[str], levels: list[int]):
        self.own = own
        self.levels = levels
        self.bucket_of = {char: number for number, char in enumerate(own)}
        self.offsets = [0, *accumulate(levels)][:-1]

    @classmethod
    def fit(cls, sample: list[str]) -> "_Layout":
        frequency = Counter()
        for text in sample:
            frequency.update(text)
        own = [char for char, _ in frequency.most_common(OWN_BUCKETS)]
        layout = cls(own, [1] * (len(own) + SHARED_BUCKETS))
        # at_least[b][k]: sample strings with k or more characters in bucket b
        at_least = [[0] * 65 for _ in layout.levels]
        for text in sample:
            for bucket, count in Counter(map(layout.bucket, text)).items():
                for k in range(1, min(count, 64) + 1):
                    at_least[bucket][k] += 1
        levels = layout.levels
        for _ in range(WORDS * 64 - len(levels)):  # each further bit where it is set most often
            bucket = max(range(len(levels)), key=lambda b: at_least[b][levels[b] + 1] if levels[b] < 63 else -1)
            levels[bucket] += 1
        return cls(own, levels)

    def bucket(self, char: str) -> int:
        number = self.bucket_of.get(char)
        return number if number is not None else len(self.own) + ord(char) % SHARED_BUCKETS

    def query_bits(self, text: str) -> tuple[list[int], int]:
        """The query's signature words and its slack: characters beyond a bucket's levels."""
        bits, slack = 0, 0
        for bucket, count in Counter(map(self.bucket, text)).items():
            kept = min(count, self.levels[bucket])
            slack += count - kept
            bits |= ((1 << kept) - 1) << self.offsets[bucket]
        return [(bits >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for w in range(WORDS)], slack

    def query_excess(self, text: str) -> np.ndarray:
        """The query's count beyond the levels, per bucket."""
        counts = Counter(map(self.bucket, text))
        return np.array([max(0, counts[b] - levels) for b, levels in enumerate(self.levels)], dtype=np.int32)

    def to_json(self) -> str:
        return json.dumps({"own": self.own, "levels": self.levels}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "_Layout":
        data = json.loads(text)
        return cls(data["own"], data["levels"])


class FuzzyIndex:
    """Distinct strings in length order with their 256-bit character-bag signatures."""

    def __init__(self, sources: list[str], lengths: np.ndarray, words: np.ndarray, excess: np.ndarray,
                 layout: _Layout):
        self.sources = sources
        self.lengths = lengths  # int32, ascending
        self.words = words  # (WORDS, n) uint64: one contiguous row per signature word
        self.excess = excess  # (n, buckets/2) uint8: counts beyond the levels, a nibble each, 15 = 15+
        self.layout = layout
        self.longest = int(lengths[-1]) if len(lengths) else 0
        self.first_of_length = np.searchsorted(lengths, np.arange(self.longest + 2)).tolist()

    # -- building and storing -------------------------------------------------------------------
    @classmethod
    def build(cls, sources: Iterable[str]) -> "FuzzyIndex":
        ordered = sorted(set(sources), key=lambda text: (len(text), text))
        layout = _Layout.fit(ordered[:: max(1, len(ordered) // 20000)])
        lengths = np.fromiter(map(len, ordered), dtype=np.int32, count=len(ordered))
        return cls(ordered, lengths, *cls._signatures(ordered, lengths, layout), layout)

    @staticmethod
    def _signatures(ordered: list[str], lengths: np.ndarray, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
        count = len(ordered)
        words = np.zeros((WORDS, count), dtype=np.uint64)
        excess = np.zeros((count, (len(layout.levels) + 1) // 2), dtype=np.uint8)
        all_levels = np.array(layout.levels, dtype=np.int64)
        own = len(layout.own)
        buckets = own + SHARED_BUCKETS
        table = (own + np.arange(0x110000, dtype=np.uint32) % SHARED_BUCKETS).astype(np.uint8)
        for number, char in enumerate(layout.own):
            table[ord(char)] = number
        starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        for first in range(0, count, _CHUNK):
            last = min(first + _CHUNK, count)
            text = "".join(ordered[first:last]).encode("utf-32-le", "surrogatepass")
            points = np.frombuffer(text, dtype=np.uint32)
            bucket = table[points].astype(np.int64)
            row = np.repeat(np.arange(last - first, dtype=np.int64), lengths[first:last])
            counts = np.bincount(row * buckets + bucket, minlength=(last - first) * buckets)
            counts = counts.reshape(last - first, buckets)
            for number, (levels, offset) in enumerate(zip(layout.levels, layout.offsets)):
                kept = np.minimum(counts[:, number], levels).astype(np.uint64)
                pattern = (np.uint64(1) << kept) - np.uint64(1)
                word, bit = divmod(offset, 64)
                low = min(levels, 64 - bit)  # a bucket may straddle two words
                words[word, first:last] |= (pattern & np.uint64((1 << low) - 1)) << np.uint64(bit)
                if low < levels:
                    words[word + 1, first:last] |= pattern >> np.uint64(low)
            beyond = np.clip(counts - all_levels, 0, 15).astype(np.uint8)
            excess[first:last, :] = beyond[:, 0::2]
            excess[first:last, :beyond[:, 1::2].shape[1]] |= beyond[:, 1::2] << 4
        return words, excess

    def to_blobs(self) -> dict[str, bytes | str]:
        return {"layout": self.layout.to_json(), "lengths": self.lengths.tobytes(),
                "text": b"".join("".join(self.sources[first:first + _CHUNK]).encode("utf-8", "surrogatepass")
                                 for first in range(0, len(self.sources), _CHUNK)),  # no 4-byte-wide copy
                "words": self.words.tobytes(),
                "excess": self.excess.tobytes()}

    @classmethod
    def from_blobs(cls, layout: str, lengths: bytes, text: bytes, words: bytes, excess: bytes) -> "FuzzyIndex":
        length_array = np.frombuffer(lengths, dtype=np.int32)
        joined = text.decode("utf-8", "surrogatepass")
        ends = list(accumulate(length_array.tolist()))
        sources = [joined[end - size:end] for end, size in zip(ends, length_array.tolist())]
        word_array = np.frombuffer(words, dtype=np.uint64).reshape(WORDS, len(sources))
        shape = _Layout.from_json(layout)
        excess_array = np.frombuffer(excess, dtype=np.uint8).reshape(len(sources), (len(shape.levels) + 1) // 2)
        return cls(sources, length_array, word_array, excess_array, shape)

    @property
    def nbytes_strings(self) -> int:
        """Memory held by the Python strings and their list."""
        return sum(map(sys.getsizeof, self.sources)) + sys.getsizeof(self.sources)

    @property
    def nbytes(self) -> int:
        """Memory held: the strings plus the signature and length arrays."""
        return self.nbytes_strings + self.lengths.nbytes + self.words.nbytes + self.excess.nbytes

    # -- searching ------------------------------------------------------------------------------
    def _window(self, length: int, cutoff: float) -> tuple[int, int]:
        """The source lengths that can still score ``cutoff`` against a query of ``length``."""
        shortest = max(1, math.ceil(length * cutoff / (200 - cutoff) - 1e-9))
        longest = self.longest if cutoff <= 0 else math.floor(length * (200 - cutoff) / cutoff + 1e-9)
        return shortest, min(longest, self.longest)

    def search(self, query: str, threshold: float, limit: int) -> list[tuple[str, float]]:
        """The ``limit`` best sources scoring ≥ ``threshold`` (score desc, then text), exactly."""
        length = len(query)
        if not length or not self.sources or limit <= 0 or threshold > 100:
            return []
        if threshold <= 0:  # everything qualifies: nothing to prune
            return brute_force(query, self.sources, threshold, limit)
        probe = _Probe(self.layout, query)
        found: list[tuple[float, str]] = []  # (-score, text), the best ``limit`` once full
        cutoff = float(threshold)
        done: tuple[int, int] | None = None
        waiting_rows, waiting_bounds = np.empty(0, np.int64), np.empty(0)  # bound below the level so far
        for level in (*(lv for lv in LEVELS if lv > threshold), threshold):
            shortest, longest = self._window(length, max(level, cutoff))
            spans = []
            if shortest <= longest:
                if done is None:
                    spans = [(shortest, longest)]
                else:  # only the lengths the previous bands did not read
                    spans = [(shortest, done[0] - 1), (done[1] + 1, longest)]
                    shortest, longest = min(shortest, done[0]), max(longest, done[1])
                done = (shortest, longest)
            parts = [self._candidates(low, high, probe, cutoff) for low, high in spans if low <= high]
            rows = np.concatenate([waiting_rows, *(p[0] for p in parts)])
            bounds = np.concatenate([waiting_bounds, *(p[1] for p in parts)])
            keep = bounds >= cutoff - 1e-9
            now = keep & (bounds >= level - 1e-9)  # the likeliest first: they raise the cutoff
            waiting_rows, waiting_bounds = rows[keep & ~now], bounds[keep & ~now]
            if not now.any():
                continue
            chosen = rows[now].tolist()
            choices = itemgetter(*chosen)(self.sources) if len(chosen) > 1 else (self.sources[chosen[0]],)
            for text, score, _ in process.extract(query, choices, scorer=fuzz.ratio,
                                                  score_cutoff=cutoff, limit=None):
                found.append((-score, text))
            if len(found) >= limit:
                found.sort()
                del found[limit:]  # a later tie at the cutoff may still win on its text
                cutoff = max(cutoff, -found[-1][0])
        found.sort()
        return [(text, -score) for score, text in found[:limit]]

    def _candidates(self, low: int, high: int, probe: "_Probe", cutoff: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows of sources ``low..high`` long whose bag bound reaches ``cutoff``, with that bound."""
        first, last = self.first_of_length[low], self.first_of_length[high + 1]
        if first >= last:
            return np.empty(0, np.int64), np.empty(0)
        # overlap needed for each length: 200·overlap ≥ cutoff·(la + lb), less the query's slack
        needed = np.ceil(cutoff * (probe.length + np.arange(low, high + 1)) / 200 - 1e-9)
        per_length = np.diff(self.first_of_length[low:high + 2])
        if probe.narrow:  # bytes: half the memory traffic
            row_needed = np.repeat(np.clip(needed - probe.slack, 0, 255).astype(np.uint8), per_length)
            shared = np.bitwise_count(self.words[0, first:last] & probe.masks[0])
        else:
            row_needed = np.repeat((needed - probe.slack).astype(np.int32), per_length)
            shared = np.bitwise_count(self.words[0, first:last] & probe.masks[0]).astype(np.int32)
        for word in range(1, WORDS):
            shared += np.bitwise_count(self.words[word, first:last] & probe.masks[word])
        rows = np.flatnonzero(shared >= row_needed)
        overlap = shared[rows].astype(np.int64)
        if probe.slack:
            # the query's characters beyond the levels can only meet the source's own excess there
            nibbles = self.excess[rows + first][:, probe.excess_bytes] >> probe.excess_shifts & 15
            overlap += np.where(nibbles == 15, probe.excess_values, np.minimum(nibbles, probe.excess_values)).sum(1)
        rows += first
        bounds = 200.0 * overlap / (probe.length + self.lengths[rows])
        return rows, bounds


class _Probe:
    """A query as the bound needs it: its signature words, its slack, its excess in the exact buckets."""

    def __init__(self, layout: _Layout, query: str):
        self.length = len(query)
        words, self.slack = layout.query_bits(query)
        self.masks = [np.uint64(word) for word in words]
        self.narrow = sum(word.bit_count() for word in words) < 256  # overlap counts fit a byte
        excess = layout.query_excess(query)
        buckets = np.flatnonzero(excess)
        self.excess_bytes = buckets // 2
        self.excess_shifts = ((buckets % 2) * 4).astype(np.uint8)
        self.excess_values = excess[buckets]
