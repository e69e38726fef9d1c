"""Time to check every entry of a filled WooCommerce catalog (goal: under 1 s, with a 5,000-term
glossary too).

The 9.4.0-rc.1 template (12,007 entries) is filled in memory with msgstr = msgid (every plural
form too), so every check runs on every entry. Baseline in the same run: msgfmt -c on the same
filled catalog, written to a temporary file. The glossary runs add 5,000 terms: the one- and
two-word phrases the template uses most (so terms really occur: ~7 per entry). In the first, each
term's translation is the phrase inflected ("products" for "product": found through its stems, as a
translation that keeps to the glossary is); in the second, a word the English msgstr never holds —
every occurrence is a warning, the check's worst case.

    python benchmarks/checks.py [path/to/template.pot]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from collections import Counter

from transkit.catalog import load_catalog
from transkit.checks import check_catalog
from transkit.checks.glossary import Glossary, Term

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

DEFAULT = CORPUS / "wordpress" / "woocommerce" / \
    "woocommerce-9.4.0-rc.1.pot"


def filled(path: Path):
    catalog = load_catalog(path)
    catalog.path = path.with_name("woocommerce-de_DE.po")  # a translation, not a template
    catalog.set_header("Language", "de_DE")
    catalog.set_header("Plural-Forms", "nplurals=2; plural=(n != 1);")
    for entry in catalog.entries:
        if entry.is_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    return catalog


def big_glossary(catalog, size: int = 5000, kept: bool = False, function_words: bool = True) -> Glossary:
    import re

    words_used: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for entry in catalog.entries:
        words = re.findall(r"[A-Za-z]{3,}", entry.msgid)
        words_used.update(w.lower() for w in words)
        phrases.update(words)
        phrases.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    # a locale glossary holds WordPress's nouns and verbs, not "the" or "your": without function
    # words, leave out the 100 commonest words and phrases made of them
    common = {w for w, _ in words_used.most_common(100)} if not function_words else set()
    chosen = [p for p, _ in phrases.most_common() if not any(w.lower() in common for w in p.split())][:size]
    terms = [Term(phrase, phrase + "s" if kept else f"{phrase.upper()}-DE", "noun") for phrase in chosen]
    return Glossary(entries=terms, locale="en")


def timed(catalog, glossary=None, repeat: int = 5) -> tuple[float, float, list]:
    """Best and median wall time, and the results; the best CPU time goes to ``last_cpu`` (on a
    loaded machine the wall clock also counts other processes' turns)."""
    global last_cpu
    runs, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        results = check_catalog(catalog, glossary=glossary)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    last_cpu = min(cpu)
    return min(runs), sorted(runs)[len(runs) // 2], results


last_cpu = 0.0


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        sys.exit(f"no catalog at {path}")
    catalog = filled(path)
    count = len(catalog.entries)
    check_catalog(catalog)  # warm up (imports, regex compilation)
    best, median, results = timed(catalog)
    errors = sum(1 for _, p in results if p.is_error)
    print(f"checked {count} entries in {best:.3f} s (best of 5; median {median:.3f} s; CPU {last_cpu:.3f} s), "
          f"{count / best:,.0f} entries/s; {errors} errors, {len(results) - errors} warnings")
    print(f"goal < 1 s: {'met' if best < 1 else 'NOT met'}")
    catalog.set_header("Language", "en_GB")  # the msgstr is English: its stems are English ones
    best, median, _ = timed(catalog)
    best_cpu = last_cpu
    for kept, function_words, label in ((True, False, "translations kept to it, no function words"),
                                        (True, True, "translations kept to it, 'the'/'your' as terms too"),
                                        (False, True, "every term missing (worst case)")):
        glossary = big_glossary(catalog, kept=kept, function_words=function_words)
        check_catalog(catalog, glossary=glossary)  # warm the stem caches
        with_terms, median_terms, results = timed(catalog, glossary)
        found = sum(1 for _, p in results if p.check == "glossary")
        words = Counter(len(term.source.split()) for term in glossary.entries)
        hits = sum(len(glossary.occurrences(entry.msgid, entry.flags)) for entry in catalog.entries)
        print(f"with a {len(glossary):,}-term glossary, {label} ({words[1]:,} one-word, {words[2]:,} two-word "
              f"terms; {hits / count:.1f} hits per entry): {with_terms:.3f} s (median {median_terms:.3f} s; "
              f"CPU {last_cpu:.3f} s), {with_terms / best:.2f}x the run without ({best:.3f} s; CPU "
              f"{best_cpu:.3f} s); {found:,} glossary warnings; goal < 1 s {'met' if with_terms < 1 else 'NOT met'}")
    if shutil.which("msgfmt"):
        with tempfile.TemporaryDirectory() as folder:
            filled_path = Path(folder) / "woocommerce-de_DE.po"
            filled_path.write_bytes(catalog.to_bytes())
            started = time.perf_counter()
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(filled_path)], capture_output=True)
            baseline = time.perf_counter() - started
        print(f"baseline msgfmt -c on the same catalog: {baseline:.3f} s "
              f"(transkit check takes {best / baseline:.1f}x as long, and runs ~20 more checks)")


if __name__ == "__main__":
    main()
