"""Which old message a new one is most similar to, as msgmerge chooses it.

msgmerge's similarity (``fstrcmp``) is 2·LCS / (len a + len b) over the UTF-8 bytes, rapidfuzz's
Indel similarity. But its choice is more than the best score (gettext's ``msgl-fsearch.c`` and
``fuzzy_search_goal_function``, checked against ``msgmerge --previous`` on the corpus):

* a candidate is every old message whose first msgstr is not empty: fuzzy and obsolete ones too;
* a msgid of 4 characters or more is compared only with the messages that share one of its
  4-character substrings (so "keys" never meets "Turkey"); a shorter one only with messages of
  a length, in bytes, the threshold leaves possible;
* a message without a msgctxt, or with the new one's, gets 0.00001 on top, and the score must be
  above 0.6, not equal: at exactly 0.6 only such a message matches;
* of equal scores wins the message sharing more 4-character substrings, then the first in the file
  (for short msgids: the shorter one, then the first).
"""

from __future__ import annotations

import math

from rapidfuzz import process
from rapidfuzz.distance import Indel

FUZZY_THRESHOLD = 0.6  # msgmerge's bar for a "similar" message: a score above it
_CONTEXT_BONUS = 0.00001  # for a message valid in any context or in the same one
_GRAM = 4  # msgmerge's n-grams: characters, not bytes
# two strings of lengths l <= l' score at most 2l / (l + l'): the lengths a short msgid can match
_LENGTH_SPAN = 2 / FUZZY_THRESHOLD - 1
# below this score no message can win, whatever its bonus (a margin for rounding, as msgmerge's)
_PREFILTER = FUZZY_THRESHOLD - _CONTEXT_BONUS * 1.01


def _grams(text: str) -> list[str]:
    return [text[start:start + _GRAM] for start in range(len(text) - _GRAM + 1)]


class SimilarMessages:
    """The candidates of one merge (msgctxt, msgid of the old messages, in file order) and the
    search ``best`` makes among them for each new message."""

    def __init__(self, messages: list[tuple[str | None, str]]) -> None:
        self._contexts = [msgctxt for msgctxt, _ in messages]
        self._texts = [msgid for _, msgid in messages]
        self._encoded = [msgid.encode("utf-8") for msgid in self._texts]
        self._gram_sets: dict[int, frozenset[str]] = {}

    def best(self, msgctxt: str | None, msgid: str) -> int | None:
        """The index of the message msgmerge would take for a new ``msgctxt``/``msgid``, or None."""
        query = msgid.encode("utf-8")
        # the C scorer finds the few messages close enough; the rules then apply to those only
        close = process.extract(query, self._encoded, scorer=Indel.normalized_similarity,
                                score_cutoff=_PREFILTER, limit=None)
        if not close:
            return None
        grams = _grams(msgid)
        if not grams:  # a msgid under 4 characters: the messages of a possible length, shortest first
            shortest, longest = math.ceil(len(query) / _LENGTH_SPAN), int(len(query) * _LENGTH_SPAN)
        best_key, best_index = None, None
        for _, _, index in close:
            weight = self._weight(query, index, msgctxt)
            if weight <= FUZZY_THRESHOLD:
                continue
            if grams:
                shared = self._shared(grams, index)
                if not shared:
                    continue
                key = (weight, shared, -index)
            else:
                length = len(self._encoded[index])
                if not shortest <= length <= longest:
                    continue
                key = (weight, -length, -index)
            if best_key is None or key > best_key:
                best_key, best_index = key, index
        return best_index

    def _weight(self, query: bytes, index: int, msgctxt: str | None) -> float:
        """msgmerge's score: the similarity computed as fstrcmp does (the same double operations),
        plus the context bonus."""
        candidate = self._encoded[index]
        total = len(query) + len(candidate)
        weight = (total - Indel.distance(query, candidate)) / total
        context = self._contexts[index]
        if context is None or context == msgctxt:
            weight += _CONTEXT_BONUS
        return weight

    def _shared(self, grams: list[str], index: int) -> int:
        """How many of the query's 4-grams (each occurrence) the message has: msgmerge's order."""
        own = self._gram_sets.get(index)
        if own is None:
            own = self._gram_sets[index] = frozenset(_grams(self._texts[index]))
        return sum(1 for gram in grams if gram in own)
