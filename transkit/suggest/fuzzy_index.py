"""Exact top-k fuzzy search of many strings by ``rapidfuzz.fuzz.ratio``, fast enough for a 1M-segment TM.

The TM's only way to rapidfuzz (``tm.py`` goes through it; ``catalog/similarity.py`` scores merges with it).

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

A scan reads a length window of rows, and at 75 most of it fails the bag bound (98% at 1M
segments), so each row is first tested against a **coarse** 128-bit signature: the same buckets,
with the levels the layout's greedy fit had handed out by its 128th bit (so a bound of its own, a
little looser). Its overlaps fit a byte, and two words cost half the memory traffic of four; the
full signature and the excess counts are read only for the rows it leaves (about 9% of them).
From 100,000 sources on, that scan is one compiled pass (``bag_scan.py``, numba) that reads each
row once, with no temporary arrays: at 10M segments a query reads about 1M rows of its window,
2.5–3 ns each, against twice that for the numpy passes below it, which smaller indexes use, as do
a process's searches while a thread loads the kernel (about 0.9 s: see ``_scan_kernel``) and every
search where numba cannot be imported. Both give the same rows with the same bounds.

Only the best ``limit`` results are wanted, so the search walks length bands outwards from the
query's own length (score bound 96, 92, … down to the threshold) and raises its cutoff to the
current ``limit``-th best score as results come in; a band whose length bound is below the cutoff
is never read. Ties are broken by source text, so "the top 5" is well defined: score descending,
then text ascending.

A query with no good match reads its whole window and scores every row the bag bound leaves (a
word-shuffled sentence: 200,000 at 10M segments, most of its time): a scan of 50,000 rows or more
and a scoring of 4,000 candidates or more are split between the CPUs the process may use, in
consecutive parts (the kernel and rapidfuzz release the GIL), and put back together in order.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import accumulate
from typing import Iterable

import numpy as np
from rapidfuzz import fuzz, process

FORMAT_VERSION = 3  # of the stored form (to_blobs); bump when the layout or signature changes
WORDS = 4  # 256 signature bits per source
COARSE_WORDS = 2  # 128 bits more per source: a coarser signature, the first pass of every scan
OWN_BUCKETS = 64  # the most frequent characters, one bucket each
SHARED_BUCKETS = 8  # every other character, by code point modulo 8
LEVELS = (98, 95, 92, 88, 84, 80)  # score bounds of the length bands, walked outwards before the threshold
_MATRIX_FROM = 500  # candidates scored with process.cdist rather than process.extract
_CHUNK = 65536  # sources per step when building signatures (bounds the temporary count matrix)
_KERNEL_FROM = 100_000  # sources: an index this large scans with the compiled kernel (bag_scan.py)
_FLAG_BYTES = 4096  # rows per coarse pass of the kernel (its flags stay in the first-level cache)
# A large search is shared between the CPUs this process may use: the compiled scan and rapidfuzz
# release the GIL. Each share is at least this much work (0.1-0.2 ms), more than handing it to the
# pool's thread and back (20-90 µs). At 10M segments a query's window is 1-3M rows: sharing scans from
# 50,000 rows on, not 200,000, took the mean of 300 queries from 4.8 to 4.1 ms (one process, shuffled turns)
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_SHARE_ROWS = 50_000  # rows scanned
_SHARE_SCORES = 4_000  # candidates scored


# Two scores are ratios 200·LCS/(la + lb): distinct ones differ by far more than this, equal ones
# (106/217 and 212/434) by a rounding at most
_TIE = 1e-9


def ratio(a: str, b: str) -> float:
    """The score every lookup uses (0–100)."""
    return fuzz.ratio(a, b)


def _score_cutoff(cutoff: float) -> float:
    """What to pass rapidfuzz as ``score_cutoff`` for "scores >= cutoff": process.cdist and
    process.extract turn it into a distance bound less precisely than the score itself, dropping
    some strings that score exactly the cutoff (3.5% of ties between random strings; 1e-6 lower
    still drops some, 1e-5 none). 1e-3 lower keeps them; the scores they return are exact, and
    ``_kept`` drops what is truly below."""
    return max(0.0, min(100.0, cutoff - 1e-3))


def _kept(score, cutoff: float):
    """Whether ``score`` (a float or an array of them) reaches ``cutoff``, ties included."""
    return score >= cutoff - _TIE


def brute_force(query: str, choices: Iterable[str], threshold: float, limit: int) -> list[tuple[str, float]]:
    """Every choice scored by rapidfuzz: the reference the index must reproduce exactly."""
    found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=_score_cutoff(threshold), limit=None)
    return sorted(((text, score) for text, score, _ in found if _kept(score, threshold)),
                  key=lambda item: (-item[1], item[0]))[:limit]


class _Layout:
    """Which bucket each character counts in and how many count levels (bits) each bucket has."""

    def __init__(self, own: list[str], levels: list[int]):
        self.own = own
        self.levels = levels
        self.bucket_of = {char: number for number, char in enumerate(own)}
        self.offsets = [0, *accumulate(levels)][:-1]
        self.level_array = np.array(levels, dtype=np.int64)
        self.bit_bucket = np.repeat(np.arange(len(levels)), levels)  # the bucket of each signature bit
        self.bit_level = np.arange(len(self.bit_bucket)) - np.repeat(self.offsets, levels)
        self._table: np.ndarray | None = None

    @property
    def table(self) -> np.ndarray:
        """The bucket of every code point."""
        if self._table is None:
            own = len(self.own)
            table = (own + np.arange(0x110000, dtype=np.uint32) % SHARED_BUCKETS).astype(np.uint8)
            for number, char in enumerate(self.own):
                table[ord(char)] = number
            self._table = table
        return self._table

    def counts(self, text: str) -> np.ndarray:
        """How many characters of ``text`` fall in each bucket."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return np.bincount(self.table[points], minlength=len(self.levels)).astype(np.int64)

    def with_levels(self, levels: list[int]) -> "_Layout":
        """The same buckets with other levels (the coarse signature's)."""
        other = _Layout(self.own, levels)
        other._table = self._table
        return other

    @classmethod
    def fit(cls, sample: list[str]) -> tuple["_Layout", "_Layout"]:
        """The signature's layout and the coarse one's (the same buckets, the first levels handed out)."""
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
        coarse = None
        for number in range(WORDS * 64 - len(levels)):  # each further bit where it is set most often
            if number == COARSE_WORDS * 64 - len(levels):
                coarse = list(levels)
            bucket = max(range(len(levels)), key=lambda b: at_least[b][levels[b] + 1] if levels[b] < 63 else -1)
            levels[bucket] += 1
        fine = cls(own, levels)
        return fine, fine.with_levels(coarse)

    def bucket(self, char: str) -> int:
        number = self.bucket_of.get(char)
        return number if number is not None else len(self.own) + ord(char) % SHARED_BUCKETS

    def to_json(self, coarse: "_Layout") -> str:
        return json.dumps({"own": self.own, "levels": self.levels, "coarse": coarse.levels}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> tuple["_Layout", "_Layout"]:
        data = json.loads(text)
        fine = cls(data["own"], data["levels"])
        return fine, fine.with_levels(data["coarse"])


class FuzzyIndex:
    """Distinct strings in length order with their character-bag signatures (256 bits, and 128 coarse)."""

    def __init__(self, sources: list[str], lengths: np.ndarray, words: np.ndarray, excess: np.ndarray,
                 layout: _Layout, coarse: _Layout):
        # an object array, not a list: a search takes its candidates with one fancy index
        self.sources = np.empty(len(sources), dtype=object)
        self.sources[:] = sources
        self.lengths = lengths  # int32, ascending
        # (WORDS + COARSE_WORDS, n) uint64: one contiguous row per signature word, the coarse ones last
        self.words = words
        self.excess = excess  # (n, buckets/2) uint8: counts beyond the levels, a nibble each, 15 = 15+
        self.layout = layout
        self.coarse = coarse
        self.longest = int(lengths[-1]) if len(lengths) else 0
        self.length_starts = np.searchsorted(lengths, np.arange(self.longest + 2)).astype(np.int64)
        self.first_of_length = self.length_starts.tolist()

    # -- building and storing -------------------------------------------------------------------
    @classmethod
    def build(cls, sources: Iterable[str]) -> "FuzzyIndex":
        # by (length, text): a sort by text, then a stable one by length (3x faster than tuple keys:
        # 0.93 s against 2.8 s for 900,000 sources)
        ordered = sorted(set(sources))
        ordered.sort(key=len)
        layout, coarse = _Layout.fit(ordered[:: max(1, len(ordered) // 20000)])
        lengths = np.fromiter(map(len, ordered), dtype=np.int32, count=len(ordered))
        return cls(ordered, lengths, *cls._signatures(ordered, lengths, layout, coarse), layout, coarse)

    @staticmethod
    def _signatures(ordered: list[str], lengths: np.ndarray, layout: _Layout, coarse: _Layout
                    ) -> tuple[np.ndarray, np.ndarray]:
        count = len(ordered)
        words = np.zeros((WORDS + COARSE_WORDS, count), dtype=np.uint64)
        excess = np.zeros((count, (len(layout.levels) + 1) // 2), dtype=np.uint8)
        all_levels = layout.level_array
        buckets = len(layout.levels)
        table = layout.table
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
            for shape, base in ((layout, 0), (coarse, WORDS)):
                for number, (levels, offset) in enumerate(zip(shape.levels, shape.offsets)):
                    kept = np.minimum(counts[:, number], levels).astype(np.uint64)
                    pattern = (np.uint64(1) << kept) - np.uint64(1)
                    word, bit = divmod(offset, 64)
                    word += base
                    low = min(levels, 64 - bit)  # a bucket may straddle two words
                    words[word, first:last] |= (pattern & np.uint64((1 << low) - 1)) << np.uint64(bit)
                    if low < levels:
                        words[word + 1, first:last] |= pattern >> np.uint64(low)
            beyond = np.clip(counts - all_levels, 0, 15).astype(np.uint8)
            excess[first:last, :] = beyond[:, 0::2]
            excess[first:last, :beyond[:, 1::2].shape[1]] |= beyond[:, 1::2] << 4
        return words, excess

    def to_blobs(self) -> dict[str, bytes | str]:
        return {"layout": self.layout.to_json(self.coarse), "lengths": self.lengths.tobytes(),
                # NUL-separated: a fresh process splits it in C (``sources_of``: 1.2 s for 7.6M sources,
                # where slicing by lengths took 3.7 s); a chunk at a time, so no 4-byte-wide copy of it all
                "text": b"\0".join("\0".join(self.sources[first:first + _CHUNK].tolist()).encode("utf-8", "surrogatepass")
                                   for first in range(0, len(self.sources), _CHUNK)),
                "words": self.words.tobytes(),
                "excess": self.excess.tobytes()}

    @classmethod
    def from_blobs(cls, layout: str, lengths: bytes, text: bytes, words: bytes, excess: bytes) -> "FuzzyIndex":
        return cls.from_parts(layout, lengths, cls.sources_of(lengths, text), words, excess)

    @staticmethod
    def sources_of(lengths: bytes, text: bytes) -> list[str]:
        """The sources of the ``lengths`` and ``text`` blobs (the slow part of loading an index)."""
        length_array = np.frombuffer(lengths, dtype=np.int32)
        if not len(length_array):
            return []
        # 64 KiB at a time, cut at a NUL (never inside a UTF-8 sequence): most pieces are ASCII, one
        # byte a character, where the whole text is as wide as its widest character (an emoji: 4
        # bytes each, 1.4 GB for 7.6M sources); 1.2 s against 2.2 s for decoding and splitting it whole
        sources: list[str] = []
        start = 0
        while True:
            cut = text.find(b"\0", start + 65536)
            if cut < 0:
                sources += text[start:].decode("utf-8", "surrogatepass").split("\0")
                break
            sources += text[start:cut].decode("utf-8", "surrogatepass").split("\0")
            start = cut + 1
        if len(sources) != len(length_array):  # a source holds a NUL itself: cut by the lengths
            joined = text.decode("utf-8", "surrogatepass")
            ends = list(accumulate((length_array + 1).tolist()))
            sources = [joined[end - size - 1:end - 1] for end, size in zip(ends, length_array.tolist())]
        return sources

    @classmethod
    def from_parts(cls, layout: str, lengths: bytes, sources: list[str], words: bytes, excess: bytes
                   ) -> "FuzzyIndex":
        """``from_blobs`` with the sources already taken out of the text blob."""
        length_array = np.frombuffer(lengths, dtype=np.int32)
        word_array = np.frombuffer(words, dtype=np.uint64).reshape(WORDS + COARSE_WORDS, len(sources))
        shape, coarse = _Layout.from_json(layout)
        excess_array = np.frombuffer(excess, dtype=np.uint8).reshape(len(sources), (len(shape.levels) + 1) // 2)
        return cls(sources, length_array, word_array, excess_array, shape, coarse)

    @property
    def nbytes_strings(self) -> int:
        """Memory held by the Python strings and their list."""
        return sum(map(sys.getsizeof, self.sources)) + self.sources.nbytes

    @property
    def nbytes(self) -> int:
        """Memory held: the strings plus the signature and length arrays."""
        return self.nbytes_strings + self.lengths.nbytes + self.words.nbytes + self.excess.nbytes

    # -- searching ------------------------------------------------------------------------------
    def _window(self, length: int, cutoff: float) -> tuple[int, int]:
        """The source lengths that can still score ``cutoff`` against a query of ``length``."""
        shortest = max(1, math.ceil(length * cutoff / (200 - cutoff) - _TIE))
        longest = self.longest if cutoff <= 0 else math.floor(length * (200 - cutoff) / cutoff + _TIE)
        return shortest, min(longest, self.longest)

    def search(self, query: str, threshold: float, limit: int) -> list[tuple[str, float]]:
        """The ``limit`` best sources scoring ≥ ``threshold`` (score desc, then text), exactly."""
        length = len(query)
        if not length or not len(self.sources) or limit <= 0 or threshold > 100:
            return []
        if threshold <= 0:  # everything qualifies: nothing to prune
            return brute_force(query, self.sources.tolist(), threshold, limit)
        probe = _Probe(self.layout, self.coarse, query)
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
            keep = bounds >= cutoff - _TIE
            now = keep & (bounds >= level - _TIE)  # the likeliest first: they raise the cutoff
            waiting_rows, waiting_bounds = rows[keep & ~now], bounds[keep & ~now]
            if not now.any():
                continue
            choices = self.sources[rows[now]]
            if len(choices) >= _MATRIX_FROM:  # one score array: less per-row work than a list of tuples
                scores = np.concatenate(_shared(
                    lambda part: process.cdist([query], part, scorer=fuzz.ratio, score_cutoff=_score_cutoff(cutoff),
                                               dtype=np.float64)[0],
                    np.array_split(choices, _shares(len(choices), _SHARE_SCORES))))
                hits = _kept(scores, cutoff)
                found.extend((-score, choices[at]) for at, score in zip(np.flatnonzero(hits).tolist(),
                                                                         scores[hits].tolist()))
            else:
                found.extend((-score, text) for text, score, _ in process.extract(
                    query, choices.tolist(), scorer=fuzz.ratio, score_cutoff=_score_cutoff(cutoff), limit=None)
                    if _kept(score, cutoff))
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
        # overlap needed for each length: 200·overlap ≥ cutoff·(la + lb)
        needed = np.ceil(cutoff * (probe.length + np.arange(low, high + 1)) / 200 - _TIE).astype(np.int64)
        scan = _scan_kernel(self) if len(self.sources) >= _KERNEL_FROM else None
        if scan is not None:  # one compiled pass that reads each row once
            parts = _row_shares(self.length_starts[low:high + 2], needed, _shares(last - first, _SHARE_ROWS))
            found = _shared(lambda part: self._scan(scan, probe, *part), parts)
            rows = np.concatenate([part_rows for part_rows, _ in found])
            overlaps = np.concatenate([part_overlaps for _, part_overlaps in found])
            return rows, 200.0 * overlaps / (probe.length + self.lengths[rows])
        # 1. the coarse signature (128 bits: overlaps fit a byte) over every row, less its slack
        row_needed = np.repeat(np.clip(needed - probe.coarse_slack, 0, 255).astype(np.uint8),
                               np.diff(self.first_of_length[low:high + 2]))
        shared = np.bitwise_count(self.words[WORDS, first:last] & probe.coarse_masks[0])
        for word in range(1, COARSE_WORDS):
            shared += np.bitwise_count(self.words[WORDS + word, first:last] & probe.coarse_masks[word])
        rows = np.flatnonzero(shared >= row_needed) + first
        # 2. the full signature on the rows left
        overlap = np.bitwise_count(self.words[0, rows] & probe.masks[0]).astype(np.int64)
        for word in range(1, WORDS):
            overlap += np.bitwise_count(self.words[word, rows] & probe.masks[word])
        keep = overlap + probe.slack >= needed[self.lengths[rows] - low]
        rows, overlap = rows[keep], overlap[keep]
        if probe.slack:
            # the query's characters beyond the levels can only meet the source's own excess there
            nibbles = self.excess[rows[:, None], probe.excess_bytes] >> probe.excess_shifts & 15
            overlap += np.where(nibbles == 15, probe.excess_values, np.minimum(nibbles, probe.excess_values)).sum(1)
        bounds = 200.0 * overlap / (probe.length + self.lengths[rows])
        return rows, bounds

    def _scan(self, scan, probe: "_Probe", starts: np.ndarray, needed: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        """The compiled scan of rows ``starts[0]..starts[-1]``: the rows it leaves and their overlaps."""
        most = int(starts[-1] - starts[0])
        rows, overlaps = np.empty(most, np.int64), np.empty(most, np.int64)
        flags = np.zeros(_FLAG_BYTES, np.uint8)  # this call's own (the kernel releases the GIL)
        found = scan(self.words, self.excess, starts, probe.all_masks, needed, probe.coarse_slack, probe.slack,
                     probe.excess_bytes, probe.excess_shifts, probe.excess_values, flags, flags.view(np.uint64),
                     rows, overlaps)
        return rows[:found], overlaps[:found]


def _shares(work: int, share: int) -> int:
    """Into how many parts to split ``work``, each at least ``share`` (one per CPU at most)."""
    return max(1, min(_CPUS, work // share))


def _row_shares(starts: np.ndarray, needed: np.ndarray, parts: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The scan of rows ``starts[0]..starts[-1]`` (lengths from ``starts``, ``needed`` for each) as
    ``parts`` scans of consecutive rows, in row order: each part's own starts and needed, a length's
    rows split between two parts where a part ends inside them."""
    if parts == 1:
        return [(starts, needed)]
    ends = np.linspace(starts[0], starts[-1], parts + 1).astype(np.int64)
    shares = []
    for first, last in zip(ends[:-1].tolist(), ends[1:].tolist()):
        if first == last:
            continue
        length = int(np.searchsorted(starts, first, side="right")) - 1  # the length of row ``first``
        inner = starts[(starts > first) & (starts < last)]
        shares.append((np.concatenate([[first], inner, [last]]).astype(np.int64),
                       needed[length:length + len(inner) + 1]))
    return shares


_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _shared(work, parts: list) -> list:
    """``work(part)`` for every part, in order: the first in this thread, the others at once in
    threads of their own (``work`` releases the GIL)."""
    if len(parts) == 1:
        return [work(parts[0])]
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=_CPUS - 1, thread_name_prefix="transkit-search"))
    others = [_POOL[0].submit(work, part) for part in parts[1:]]
    return [work(parts[0]), *(other.result() for other in others)]


# The compiled scan is loaded by a thread the first search of a large index starts: numba's import
# and loading the machine code it cached cost a fresh process about 0.9 s (the first compile on a
# machine ~1 s more), longer than a `fill` of a few hundred strings saves with it. Until it is
# there, searches scan with numpy: the same rows, so the same answers, whichever scan ran.
_KERNEL: list = []  # bag_scan.scan once loaded, or None where numba cannot be imported or fails
_LOADER: list[threading.Thread] = []
_LOADER_LOCK = threading.Lock()
_KERNEL_ERROR: list[str] = []  # why it is None
log = logging.getLogger(__name__)


def _scan_kernel(index: "FuzzyIndex"):
    """The compiled scan if loaded, else None (and its loading started, warmed on ``index``)."""
    if _KERNEL:
        return _KERNEL[0]
    with _LOADER_LOCK:
        if not _LOADER:
            _LOADER.append(threading.Thread(target=_load_kernel, args=(index,), name="transkit-scan-kernel",
                                            daemon=True))
            _LOADER[0].start()
    return None


def wait_for_kernel(index: "FuzzyIndex"):
    """Load the compiled scan now (benchmarks and tests time or check it alone); None without numba."""
    _scan_kernel(index)
    _LOADER[0].join()
    return _KERNEL[0] if _KERNEL else None


def _load_kernel(index: "FuzzyIndex") -> None:
    try:
        from transkit.suggest.bag_scan import scan

        # a call on no rows with this index's own arrays: numba loads (or compiles) the machine code
        # for exactly the argument types the searches pass
        index._scan(scan, _Probe(index.layout, index.coarse, "warm"), np.zeros(2, np.int64), np.zeros(1, np.int64))
    except Exception as error:  # no numba wheel for this Python or platform yet, or it failed: numpy scans
        scan = None
        _KERNEL_ERROR.append(f"{type(error).__name__}: {error}")
        log.warning("fuzzy search scans with numpy (slower, same answers): the compiled scan could not load: %s",
                    _KERNEL_ERROR[0])
    _KERNEL.append(scan)


def scan_kernel_status() -> str:
    """Which scan searches of a large memory use, and why (``tm stats`` says it): loads the kernel
    when no search has."""
    if not _KERNEL:
        try:
            import transkit.suggest.bag_scan  # noqa: F401  (numba and its cached machine code)
        except Exception as error:
            return f"numpy (slower, same answers): the compiled scan could not load: {type(error).__name__}: {error}"
        return "compiled (numba)"
    if _KERNEL[0] is None:
        return f"numpy (slower, same answers): the compiled scan could not load: {_KERNEL_ERROR[0]}"
    return "compiled (numba)"


class _Probe:
    """A query as the bounds need it: its signature words and slack (characters beyond a bucket's
    levels) in both layouts, and its excess in the exact buckets."""

    def __init__(self, layout: _Layout, coarse: _Layout, query: str):
        self.length = len(query)
        counts = layout.counts(query)
        self.masks, self.slack = self._bits(layout, counts)
        self.coarse_masks, self.coarse_slack = self._bits(coarse, counts)
        excess = np.maximum(counts - layout.level_array, 0)
        buckets = np.flatnonzero(excess)
        self.excess_bytes = buckets // 2
        self.excess_shifts = ((buckets % 2) * 4).astype(np.uint8)
        self.excess_values = excess[buckets]
        self.all_masks = np.array([*self.masks, *self.coarse_masks], dtype=np.uint64)

    @staticmethod
    def _bits(layout: _Layout, counts: np.ndarray) -> tuple[list[np.uint64], int]:
        kept = np.minimum(counts, layout.level_array)
        bits = layout.bit_level < kept[layout.bit_bucket]  # bit k of a bucket is set for counts above k
        return [np.uint64(word) for word in np.packbits(bits, bitorder="little").view("<u8")], int((counts - kept).sum())
