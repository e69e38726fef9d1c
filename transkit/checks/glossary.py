"""The locale's terminology: glossary terms translated the agreed way, brand names left as they are.

A ``Glossary`` holds ``Term``s (source term, agreed translation, part of speech, comment; a term
whose translation is empty or the term itself is do-not-translate). Matching is word-based, never a
substring search: the source is cut into words outside its placeholders and tags (asked of
``checks.placeholders``), each word is reduced to a light English stem (plurals, possessives), and
terms are looked up by their first stem — so "Posts" and "post's" find "Post", "Postcode" does not,
and a 5,000-term glossary costs one dictionary lookup per word. The target side is tolerant of
inflection and compounding: the agreed translation counts as present when its Snowball stems (for
the catalog's language, case-folded) appear in order, or, for a one-word translation, when a word of
the target contains its stem ("Beitragsbild" holds "Beitrag").

Files (all formats read by ``read_terms``; stored per locale by ``transkit.store.glossary``):
translate.wordpress.org's GlotPress export (``en,<locale>,pos,description``), a plain CSV
(``term,translation[,pos,comment]``, optional header), TBX, and the do-not-translate list of
earlier releases (one term per line, ``term<TAB>translation`` for a glossary term).
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from transkit.checks.placeholders import find_placeholders
from transkit.checks.problem import WARNING, Problem
from transkit.checks.tbx import read_tbx, write_tbx
from transkit.checks.term import PARTS_OF_SPEECH, Term
from transkit.errors import CatalogError, ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from transkit.checks.context import CheckContext, EntryView
    from transkit.checks.placeholders import PlaceholderRules

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class TermMatch:
    term: Term
    start: int  # characters of the source text
    end: int


# -- stems ------------------------------------------------------------------------------------------
@lru_cache(maxsize=100_000)
def english_stem(word: str) -> str:
    """A light stem for English sources: case-folded, possessive and plural endings dropped. Verb
    endings stay ("Posted" is not "Post"): a missed term is quieter than a wrong one."""
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_SNOWBALL = {"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
             "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
             "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
             "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
             "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "fa": "persian",
             "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
             "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish"}


@lru_cache(maxsize=64)
def _target_stemmer(language: str):
    name = _SNOWBALL.get(language)
    if name is None:
        return None
    try:
        import snowballstemmer  # lazy: its stemmers only when a glossary's language is stemmed
    except ImportError:  # pragma: no cover - declared dependency; without it only case is folded
        return None
    stemmer = snowballstemmer.stemmer(name)
    return lru_cache(maxsize=200_000)(stemmer.stemWord)


def target_stems(text: str, language: str) -> list[str]:
    """The case-folded (Snowball-stemmed where the language has a stemmer) words of ``text``."""
    stem = _target_stemmer(language)
    if text.isascii():  # folding ASCII moves no word boundary: fold once, not per word
        words = _WORD.findall(text.lower())
    else:
        words = [m.group().casefold() for m in _WORD.finditer(text)]
    return list(map(stem, words)) if stem else words


def _words(text: str, flags: Iterable[str] = (), rules: "PlaceholderRules | None" = None,
           spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word outside placeholders and tags (``spans``: theirs, when the
    caller has asked ``find_placeholders`` already)."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if not found:
        return found
    if spans is None:
        spans = [(p.start, p.end) for p in find_placeholders(text, flags, rules)]
    if spans:
        # placeholders come in order without overlaps: one pass over words and spans together
        kept, at, count = [], 0, len(spans)
        for word in found:
            while at < count and spans[at][1] <= word[0]:
                at += 1
            if at == count or spans[at][0] >= word[1]:
                kept.append(word)
        found = kept
    return found


def _first_words(index: dict[tuple[str, ...], list[int]]) -> dict[str, tuple[int, ...]]:
    """first word -> the lengths (ascending) of the terms it begins."""
    lengths: dict[str, set[int]] = {}
    for words in index:
        lengths.setdefault(words[0], set()).add(len(words))
    return {word: tuple(sorted(found)) for word, found in lengths.items()}


# -- the glossary -----------------------------------------------------------------------------------
def terms_counted(count: int) -> str:
    """'1 term', '12 terms': how every face counts a glossary."""
    return f"{count} term{'' if count == 1 else 's'}"


@dataclass
class Glossary:
    """Terms of one locale. ``terms``/``keep`` are the shape earlier releases built (source ->
    translation, and do-not-translate terms); ``entries`` the full terms; all three are merged."""

    terms: dict[str, str] = field(default_factory=dict)
    keep: list[str] = field(default_factory=list)
    entries: list[Term] = field(default_factory=list)
    locale: str = ""
    # the locales whose stored terms make it up, closest first, with how many each gave (a
    # de_DE_formal glossary: its own, then de_DE's); empty for a glossary read from a file
    sources: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        merged: dict[tuple[str, str, str], Term] = {}
        for term in [*(Term(k) for k in self.keep), *(Term(s, t) for s, t in self.terms.items()), *self.entries]:
            if term.source.strip():
                merged.setdefault((term.source, term.translation, term.part_of_speech), term)
        self.entries = list(merged.values())
        # stems (words, for do-not-translate terms: their exact spelling) -> term numbers; a source is
        # looked up once per word and term length, never once per term
        self._by_stems: dict[tuple[str, ...], list[int]] = {}
        self._by_words: dict[tuple[str, ...], list[int]] = {}
        self._is_keep = [term.keep for term in self.entries]
        self._group = [term.source.casefold() for term in self.entries]
        self._folded = [term.translation.casefold() for term in self.entries]
        self._wanted: dict[str, list[str | None]] = {}  # language -> " stem stem " of each translation
        self._messages: dict[tuple[int, ...], str] = {}
        self._problems: dict[tuple[tuple[int, ...], int | None], Problem] = {}
        for number, term in enumerate(self.entries):
            words = tuple(m.group() for m in _WORD.finditer(term.source))
            if not words:
                continue
            if term.keep:
                self._by_words.setdefault(words, []).append(number)
            else:
                self._by_stems.setdefault(tuple(english_stem(w) for w in words), []).append(number)
        self._first_stems = _first_words(self._by_stems)
        self._first_words = _first_words(self._by_words)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def described(self) -> str:
        """Which glossary this is, for the faces: 'the de_DE glossary (12 terms)', or
        'the de_DE_formal glossary (2 terms) with de_DE's (45 terms)'."""
        if not self.sources:
            return f"the {self.locale + ' ' if self.locale else ''}glossary ({terms_counted(len(self))})"
        (first, count), *rest = self.sources
        text = f"the {first} glossary ({terms_counted(count)})"
        if rest:
            text += " with " + ", ".join(f"{name}'s ({terms_counted(n)})" for name, n in rest)
        if first != self.locale:
            text += f", for {self.locale}"
        return text

    def pairs(self) -> dict[str, str]:
        """source -> target, one per source (a noun or unmarked term before other parts of speech;
        a do-not-translate term maps to itself): what a DeepL glossary can hold."""
        pairs: dict[str, str] = {}
        for term in sorted(self.entries, key=lambda t: t.part_of_speech not in ("", "noun")):
            pairs.setdefault(term.source, term.source if term.keep else term.translation)
        return pairs

    def _hits(self, source: str, flags: Iterable[str], rules, spans=None) -> list[tuple[int, int, int]]:
        """(term number, start, end) of every term in ``source`` outside placeholders, by start,
        shorter terms first where two start together."""
        words = _words(source, flags, rules, spans)
        if not words:
            return []
        return [(number, words[i][0], words[i + n - 1][1])
                for i, n, numbers in self._terms_among([w for _, _, w in words]) for number in numbers]

    def _terms_among(self, spelled: list[str]) -> list[tuple[int, int, list[int]]]:
        """(first word, word count, term numbers) of every term among the words ``spelled``, by
        first word, shorter terms first where two start together."""
        stems = list(map(english_stem, spelled))
        count = len(spelled)
        found: list[tuple[int, int, list[int]]] = []
        # most words begin no term: one dictionary lookup each, tuple lookups only where one may start
        for index, first, by in ((stems, self._first_stems, self._by_stems),
                                 (spelled, self._first_words, self._by_words)):
            if not first:
                continue
            for i in range(count):
                lengths = first.get(index[i])
                if lengths is None:
                    continue
                for n in lengths:
                    if i + n > count:
                        break
                    numbers = by.get(tuple(index[i:i + n]))
                    if numbers:
                        found.append((i, n, numbers))
        if self._first_stems and self._first_words:
            found.sort(key=lambda match: match[:2])  # stable: stems before spellings
        return found

    def occurrences(self, source: str, flags: Iterable[str] = (),
                    rules: "PlaceholderRules | None" = None) -> list[TermMatch]:
        """Every term in ``source`` (outside placeholders), in order; what the TUI highlights."""
        return [TermMatch(self.entries[n], start, end) for n, start, end in self._hits(source, flags, rules)]

    def matches(self, source: str) -> Iterator[tuple[str, str | None]]:
        """(term, translation or None for do-not-translate) of every term in ``source``; what the MT
        requests carry."""
        seen = set()
        for match in self.occurrences(source):
            term = match.term
            pair = (term.source, None if term.keep else term.translation)
            if pair not in seen:
                seen.add(pair)
                yield pair

    def missing(self, source: str, translation: str, language: str, flags: Iterable[str] = (),
                rules: "PlaceholderRules | None" = None) -> list[list[Term]]:
        """The terms of ``source`` whose agreed translation is absent from ``translation``, grouped
        by term (one group per term, its entries for every part of speech); do-not-translate terms
        must appear as written."""
        return [[self.entries[n] for n in numbers]
                for numbers in self._missing(source, translation, language, flags, rules)]

    def message(self, numbers: tuple[int, ...]) -> str:
        text = self._messages.get(numbers)
        if text is None:
            text = self._messages[numbers] = missing_message([self.entries[n] for n in numbers])
        return text

    def problem(self, numbers: tuple[int, ...], form: int | None) -> Problem:
        """The warning for a missing term; a Problem is frozen, so one serves every entry."""
        key = (numbers, form)
        found = self._problems.get(key)
        if found is None:
            found = self._problems[key] = Problem("glossary", WARNING, self.message(numbers), form=form)
        return found

    def _missing(self, source: str, translation: str, language: str, flags: Iterable[str],
                 rules, spans=None) -> list[tuple[int, ...]]:
        if spans is None:
            spans = [(p.start, p.end) for p in find_placeholders(source, flags, rules)]
        # the words alone (no positions) where no placeholder needs skipping
        spelled = [w for _, _, w in _words(source, spans=spans)] if spans else _WORD.findall(source)
        if not spelled:
            return []
        matches = self._terms_among(spelled)
        if not matches:
            return []
        group = self._group
        groups: dict[str, dict[int, None]] = {}
        for _first, _count, numbers in matches:
            for number in numbers:
                groups.setdefault(group[number], {})[number] = None
        folded = translation.casefold()
        joined: str | None = None
        wanted_of = self._wanted.get(language)
        if wanted_of is None:
            wanted_of = self._wanted[language] = [None] * len(self.entries)
        problems = []
        for numbers in groups.values():
            for number in numbers:
                if self._is_keep[number]:
                    if self.entries[number].source in translation:
                        break
                    continue
                if self._folded[number] in folded:
                    break
                wanted = wanted_of[number]
                if wanted is None:
                    wanted = wanted_of[number] = " ".join(target_stems(self.entries[number].translation, language))
                if joined is None:
                    joined = " " + " ".join(target_stems(translation, language)) + " "
                if not wanted or f" {wanted} " in joined:
                    break
                # compounds ("Beitragsbild") and languages written without spaces
                if " " not in wanted and len(wanted) >= 4 and wanted in joined:
                    break
            else:
                problems.append(tuple(numbers))
        return problems


def glossary_rank(score: float, against_glossary) -> tuple[bool, float]:
    """The one ranking rule for translation candidates (the editor's memory suggestions and fill's
    memory stage): one that keeps to the locale's glossary comes before every one that does not,
    then the higher score first. Sort ascending by this key."""
    return (bool(against_glossary), -score)


def check_glossary(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    glossary = context.glossary
    if glossary is None:
        return
    language = context.base_language
    for pair in view.pairs:
        if not pair.translation:
            continue
        spans = [(p.start, p.end) for p in view.placeholders(pair.source)]
        for numbers in glossary._missing(pair.source, pair.translation, language, view.entry.flags, view.rules,
                                         spans):
            yield glossary.problem(numbers, pair.index)


def missing_message(terms: list[Term]) -> str:
    """'glossary: Post should be translated as Beitrag' (the term and every agreed translation)."""
    if all(term.keep for term in terms):
        return f"{terms[0].source} must stay untranslated"
    expected = list(dict.fromkeys(term.translation for term in terms if not term.keep))
    return f"glossary: {terms[0].source} should be translated as {' or '.join(expected)}"


# -- files ------------------------------------------------------------------------------------------
@dataclass
class TermFile:
    """What a glossary file held: its terms, its format, and the rows left out (line, reason)."""

    terms: list[Term]
    format: str
    locale: str | None = None  # the locale the file names (GlotPress header, TBX xml:lang)
    skipped: list[tuple[int, str]] = field(default_factory=list)


FORMATS = ("glotpress", "csv", "tbx", "list")


def read_terms(path: str | os.PathLike, file_format: str | None = None, locale: str | None = None) -> TermFile:
    """Read a glossary file; ``file_format`` None guesses from the name and the first line.
    A file that cannot be read as a glossary is a CatalogError naming it (and the line, where there
    is one): exit 3, as for a catalog or a TMX file; an unknown ``file_format`` is a ConfigError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CatalogError(f"cannot read glossary: {err.strerror or err}", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:  # the line of the first bad byte, as a catalog's error names it
        line = data[:err.start].count(b"\n") + 1
        raise CatalogError(f"cannot read glossary: not UTF-8 (byte 0x{data[err.start]:02x}); save it as UTF-8",
                           path, line) from None
    if file_format is None:
        file_format = _guess_format(path, text)
    if file_format == "tbx":
        terms, file_locale, skipped = read_tbx(path, text, locale)
        return TermFile(terms, "tbx", file_locale, skipped)
    if file_format == "list":
        return _read_list(text)
    if file_format not in ("glotpress", "csv"):
        raise ConfigError(f"unknown glossary format {file_format!r}; expected one of {', '.join(FORMATS)}")
    return _read_csv(path, text, file_format)


def _guess_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    first = next((line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    if suffix in (".po", ".pot") or first.startswith(("msgid ", "msgctxt ")):
        # read as a term list, every msgid/msgstr line would become a term
        raise CatalogError(f"a gettext catalog, not a glossary; `transkit glossary suggest LOCALE {path}` "
                           "proposes terms its translations agree on", path)
    if suffix in (".tbx", ".xml") or text.lstrip().startswith("<"):
        return "tbx"
    if suffix == ".csv":
        first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
        return "glotpress" if first and first[0].strip().lower() == "en" else "csv"
    return "list"


_HEADER_WORDS = {"term", "source", "en", "english", "translation", "target"}


def _read_csv(path: Path, text: str, file_format: str) -> TermFile:
    # strict: an unclosed quote would otherwise swallow every later row into one term, in silence
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []  # the line each row starts on (a quoted cell may hold line breaks)
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num - sum(cell.count("\n") for cell in row))
    except csv.Error as err:
        raise CatalogError(f"not a CSV file: {err}", path, reader.line_num) from None
    file_locale = None
    start = 0
    if rows and rows[0]:
        first = [cell.strip().lower() for cell in rows[0]]
        if first[0] == "en" and len(first) >= 2:  # GlotPress: en,<locale>,pos,description
            file_locale, start = rows[0][1].strip(), 1
        elif first[0] in _HEADER_WORDS:
            start = 1
    terms: list[Term] = []
    skipped: list[tuple[int, str]] = []
    for line, row in zip(lines[start:], rows[start:]):
        cells = [cell.strip() for cell in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if not cells[0]:
            skipped.append((line, "no term"))
            continue
        if len(cells) > 4 and file_format == "glotpress":
            cells = cells[:2] + cells[-2:]  # more than one language: GlotPress keeps the first
        translation = cells[1] if len(cells) > 1 else ""
        pos = cells[2].lower() if len(cells) > 2 else ""
        if pos and pos not in PARTS_OF_SPEECH:
            skipped.append((line, f"unknown part of speech {cells[2]!r}"))
            continue
        terms.append(Term(cells[0], translation, pos, cells[3] if len(cells) > 3 else ""))
    return TermFile(terms, file_format, file_locale, skipped)


def _read_list(text: str) -> TermFile:
    terms = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if not cells[0] or cells[0].startswith("#"):
            continue
        terms.append(Term(cells[0], cells[1] if len(cells) > 1 else ""))
    return TermFile(terms, "list")


def load_glossary(path: str | os.PathLike) -> Glossary:
    """A glossary from a file, as ``check --glossary`` and ``fill --glossary`` read it."""
    read = read_terms(path)
    return Glossary(entries=read.terms, locale=read.locale or "")


def write_terms(terms: Iterable[Term], locale: str, file_format: str = "glotpress") -> str:
    """The text of a glossary file: GlotPress's CSV (what translate.wordpress.org imports), plain
    CSV, or TBX."""
    terms = list(terms)
    if file_format == "tbx":
        return write_tbx(terms, locale)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if file_format == "glotpress":
        writer.writerow(["en", locale, "pos", "description"])
    else:
        writer.writerow(["term", "translation", "pos", "comment"])
    for term in terms:
        writer.writerow([term.source, term.translation, term.part_of_speech, term.comment])
    return out.getvalue()
