"""String similarity for merging, as msgmerge measures it.

msgmerge's ``fstrcmp`` is 2·LCS / (len(a) + len(b)), which is rapidfuzz's normalised Indel
similarity — so rapidfuzz gives msgmerge's answers at C speed.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process


def similarity(a: str, b: str) -> float:
    """0.0 … 1.0, as msgmerge's fstrcmp."""
    return fuzz.ratio(a, b) / 100.0


def best_match(query: str, choices: list[str], cutoff: float) -> tuple[int, float] | None:
    """Index and score of the choice most similar to ``query`` above ``cutoff`` (0..1), or None."""
    found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
    if found is None:
        return None
    _, score, index = found
    return index, score / 100.0
