"""Machine-translation requests and results, the provider protocol, and the rules that need no provider.

The unit a provider translates is an ENTRY (``EntryRequest``): every msgstr form to fill, each with
its source already chosen (``plural_sources``), the numbers each form covers, and what the entry
tells about itself (flags, msgctxt, the full translators' comment, the project, the glossary terms
in it, the catalog's placeholder rules). ``build_request(entry, settings)`` is the ONE builder: fill
and the TUI's suggestion sources both call it, so a given entry is asked for the same way from
either face.

A provider (``MTProvider``) has a ``name`` (``deepl``; an LLM adds its ``model``), says whether it
``supports(locale)``, and answers ``translate_batch(requests, *, cancel=None, on_results=None,
on_notice=None, on_usage=None) -> BatchOutcome``:

* ``outcome.results[i]`` answers ``requests[i]``: an ``EntryResult`` with every form, or ``forms``
  None and a ``problem`` a reviewer can read; None when never answered (the run stopped or was
  cancelled);
* ``EntryResult.usage`` is what the API reported (DeepL: billed characters; LLMs: tokens); a
  duplicate answered from another request's translation reports zero;
* ``on_results(list[EntryResult])`` is called in the calling thread as answers arrive (per HTTP
  request), so the caller journals them before anything else can go wrong;
* ``on_notice(str)`` reports what a person should know while waiting (a silent server, a retry);
* ``on_usage(Usage)`` hears usage the API reported that no result carries (an LLM answer cut off
  at its output limit, whose entries are asked again in smaller batches), as it is reported, so
  the caller journals every token paid for; DeepL never calls it;
* trouble that should stop the run — retries exhausted, quota, a refused key — is a
  ``ProviderError``: raised, or returned in ``outcome.error`` with the results finished before it.
  Nothing is retried by the caller: a provider's own retries are the only ones.

Whether an answer may be written is not the provider's call: ``transkit.checks`` decides (see
``jobs/fill``). Everything here works without a DeepL key or the ``deepl`` library: DeepL target
codes and formality, plural sources, the (unbilled) context string, and ``--dry-run`` estimates.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence, runtime_checkable

from transkit.catalog.locales import parse_locale, plural_examples, plural_forms_for
from transkit.checks.placeholders import PlaceholderRules, rules_for_catalog
from transkit.errors import ProviderError
from transkit.suggest.masking import mask

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry

__all__ = [
    "BatchOutcome", "DEEPL_TARGETS", "EntryRequest", "EntryResult", "MTProvider", "RequestSettings",
    "TextBatchOutcome", "TranslationRequest", "TranslationResult", "Usage", "build_context",
    "build_request", "deepl_target_code", "estimate_characters", "formality_for", "plural_sources",
    "project_name",
]

# DeepL text-translation target languages -> whether they accept formality "more"/"less"
DEEPL_TARGETS: dict[str, bool] = {
    "AR": False, "BG": False, "CS": False, "DA": False, "DE": True, "EL": False, "EN-GB": False,
    "EN-US": False, "ES": True, "ES-419": True, "ET": False, "FI": False, "FR": True, "HE": False,
    "HU": False, "ID": False, "IT": True, "JA": True, "KO": False, "LT": False, "LV": False,
    "NB": False, "NL": True, "PL": True, "PT-BR": True, "PT-PT": True, "RO": False, "RU": True,
    "SK": False, "SL": False, "SV": False, "TH": False, "TR": False, "UK": False, "VI": False,
    "ZH-HANS": False, "ZH-HANT": False,
}
_FORMALITIES = ("more", "less", "default", "prefer_more", "prefer_less")
# WordPress's plain de_DE and nl_NL use the informal "du"/"je"; their *_formal siblings use "Sie"/"u".
_INFORMAL_BY_CONVENTION = frozenset({"de_DE", "nl_NL"})


@dataclass(frozen=True)
class TranslationRequest:
    """One text to translate. ``formality`` is a preference; a ``*_formal`` locale overrides it."""

    text: str
    target_locale: str
    source_lang: str = "EN"
    context: str | None = None  # sent as DeepL's unbilled ``context``; one request per distinct value
    formality: str | None = None  # more | less | default | prefer_more | prefer_less | None
    glossary_id: str | None = None
    flags: tuple[str, ...] = ()  # the entry's flags: ``php-format`` etc. decide what a placeholder is
    rules: PlaceholderRules | None = field(default=None, compare=False)  # the catalog's (masking)


@dataclass(frozen=True)
class TranslationResult:
    """The outcome for ``requests[index]``. ``text`` is None when the translation is unusable."""

    index: int
    request: TranslationRequest
    text: str | None
    problem: str | None = None  # why ``text`` is None (placeholder lost, too long, ...)
    billed_characters: int = 0  # as DeepL reported it; 0 for duplicates and unsent texts
    sent: bool = True  # False when nothing needed translating (only placeholders or whitespace)
    detected_source_lang: str = ""

    @property
    def ok(self) -> bool:
        return self.text is not None


@dataclass
class TextBatchOutcome:
    """What a DeepL ``translate_texts`` call finished. ``results`` is aligned with the requests; entries
    are None for requests never answered because the run stopped (``error``) or was cancelled."""

    results: list[TranslationResult | None]
    error: ProviderError | None = None
    cancelled: bool = False
    requests_sent: int = 0  # HTTP requests answered 200
    retries: int = 0

    @property
    def completed(self) -> list[TranslationResult]:
        return [result for result in self.results if result is not None]

    @property
    def pending_indices(self) -> list[int]:
        return [index for index, result in enumerate(self.results) if result is None]

    @property
    def billed_characters(self) -> int:
        return sum(result.billed_characters for result in self.completed)

    def raise_for_error(self) -> None:
        if self.error is not None:
            raise self.error


# -- the entry-level protocol every provider speaks ----------------------------------------------
@dataclass(frozen=True)
class Usage:
    """What an API reported for an answer: DeepL bills characters, LLMs count tokens."""

    characters: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.characters + other.characters, self.input_tokens + other.input_tokens,
                     self.output_tokens + other.output_tokens)


@dataclass(frozen=True)
class EntryRequest:
    """One catalog entry to translate, with everything a provider may use.

    ``sources[i]`` is the text to translate into ``msgstr[i]`` (one item for a singular entry) and
    ``form_numbers[i]`` the first numbers that select that form (``[1, 21, 31, 41]`` for Russian's
    first form; ``()`` for a singular entry). ``comment`` is the whole extracted (``#.``) comment,
    every line. ``glossary`` holds the ``(term, translation)`` pairs occurring in the sources
    (translation None: keep the term as written). ``rules`` (the catalog's placeholder rules from
    ``transkit.checks.placeholders``) is not part of equality: it is the same for a whole catalog.
    """

    sources: tuple[str, ...]
    target_locale: str
    form_numbers: tuple[tuple[int, ...], ...] = ((),)
    plural_forms: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    comment: str = ""
    project: str | None = None
    flags: tuple[str, ...] = ()
    formality: str | None = None
    glossary: tuple[tuple[str, str | None], ...] = ()
    glossary_id: str | None = None
    source_lang: str = "EN"
    rules: PlaceholderRules | None = field(default=None, compare=False)

    @functools.cached_property
    def context(self) -> str | None:
        """The plain-text context a text-only engine (DeepL's unbilled ``context``) is given."""
        return build_context(msgctxt=self.msgctxt, comment=self.comment, plugin_name=self.project)

    @functools.cached_property
    def _text_requests(self) -> tuple[TranslationRequest, ...]:
        context = self.context
        return tuple(TranslationRequest(text, self.target_locale, self.source_lang, context=context,
                                        formality=self.formality, glossary_id=self.glossary_id,
                                        flags=self.flags, rules=self.rules)
                     for text in self.sources)

    def text_requests(self) -> tuple[TranslationRequest, ...]:
        """One text unit per form: what DeepL sends and what the MT cache keys by."""
        return self._text_requests


@dataclass(frozen=True)
class EntryResult:
    """The answer for one ``EntryRequest``: every form, or ``forms`` None and why."""

    request: EntryRequest
    forms: tuple[str, ...] | None
    problem: str | None = None
    usage: Usage = Usage()
    sent: bool = True  # False when nothing needed sending (only placeholders, or from a cache)

    @property
    def ok(self) -> bool:
        return self.forms is not None


@dataclass
class BatchOutcome:
    """What ``translate_batch`` finished: ``results`` aligned with the requests (None: never
    answered because the run stopped, ``error``, or was ``cancelled``)."""

    results: list[EntryResult | None]
    error: ProviderError | None = None
    cancelled: bool = False
    requests_sent: int = 0  # HTTP requests answered
    retries: int = 0
    cut_off: int = 0  # LLM answers cut off at the output limit, their batch sent again in halves
    left_out: int = 0  # LLM answers that left entries out, those entries sent again in smaller batches
    extra_usage: Usage = Usage()  # what the API reported for answers no result carries (those cut off)
    usage_estimated: bool = False  # the server reported no usage for some answers: estimates counted

    @property
    def completed(self) -> list[EntryResult]:
        return [result for result in self.results if result is not None]

    @property
    def usage(self) -> Usage:
        """Everything the API reported: the results' usage and ``extra_usage``."""
        total = self.extra_usage
        for result in self.completed:
            total = total + result.usage
        return total

    def raise_for_error(self) -> None:
        if self.error is not None:
            raise self.error


@runtime_checkable
class MTProvider(Protocol):
    """What the fill pipeline and the TUI need from a machine-translation provider (see the module
    docstring for the rules). ``model`` is None for engines without one (DeepL)."""

    name: str
    model: str | None

    def supports(self, locale: str) -> bool: ...

    def translate_batch(self, requests: Sequence[EntryRequest], *,
                        cancel: threading.Event | None = None,
                        on_results: Callable[[list[EntryResult]], None] | None = None,
                        on_notice: Callable[[str], None] | None = None,
                        on_usage: Callable[[Usage], None] | None = None) -> BatchOutcome: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class RequestSettings:
    """What every request of one catalog shares; ``for_catalog`` reads it from the catalog."""

    target_locale: str
    plural_forms: str
    project: str | None = None
    formality: str | None = None
    glossary_id: str | None = None
    glossary: Any = field(default=None, compare=False)  # transkit.checks.glossary.Glossary
    rules: PlaceholderRules | None = field(default=None, compare=False)  # the catalog's
    source_lang: str = "EN"

    @classmethod
    def for_catalog(cls, catalog: "Catalog", *, locale: str | None = None, formality: str | None = None,
                    glossary_id: str | None = None, glossary: Any = None) -> "RequestSettings":
        target = locale or catalog.language or "en"
        plural_forms = catalog.plural_forms or plural_forms_for(target)
        return cls(target, plural_forms, project_name(catalog.header.get("Project-Id-Version")), formality, glossary_id, glossary,
                   rules_for_catalog(catalog))


def project_name(project_id_version: str | None) -> str | None:
    """The project a catalog translates: its ``Project-Id-Version`` without the version number."""
    return re.sub(r"\s+v?\d[\w.\-]*$", "", (project_id_version or "").strip()) or None


def build_request(entry: "Entry", settings: RequestSettings) -> EntryRequest:
    """The one way an entry becomes a provider request (fill and the TUI both call this)."""
    if entry.is_plural:
        sources = tuple(plural_sources(entry.msgid, entry.msgid_plural, settings.plural_forms))
        numbers = _plural_examples(settings.plural_forms)
        numbers = numbers if len(numbers) == len(sources) else tuple(() for _ in sources)
    else:
        sources, numbers = (entry.msgid,), ((),)
    terms: dict[str, str | None] = {}
    if settings.glossary is not None:
        for source in dict.fromkeys(sources):
            for term, translation in settings.glossary.matches(source):
                terms.setdefault(term, translation)
    return EntryRequest(
        sources, settings.target_locale, numbers, settings.plural_forms if entry.is_plural else "",
        entry.msgid, entry.msgid_plural, entry.msgctxt, entry.comment or "", settings.project,
        tuple(f for f in entry.flags if f != "fuzzy"), settings.formality, tuple(terms.items()),
        settings.glossary_id, settings.source_lang, settings.rules)


def deepl_target_code(locale: str) -> str:
    """``pt_BR`` → ``PT-BR``, ``zh_TW`` → ``ZH-HANT``, ``de_DE_formal`` → ``DE``; ProviderError
    (kind invalid) when DeepL cannot translate into the locale's language."""
    info = parse_locale(locale)
    if info is None:
        raise ProviderError(f"{locale!r} is not a locale name", kind=ProviderError.INVALID)
    language, territory, script = info.language, info.territory, info.script
    if language == "pt":
        code = "PT-BR" if territory == "BR" else "PT-PT"
    elif language == "en":
        code = "EN-US" if territory in ("US", "PH") else "EN-GB"
    elif language == "zh":
        traditional = script == "Hant" or territory in ("TW", "HK", "MO")
        code = "ZH-HANT" if traditional else "ZH-HANS"
    elif language == "es":
        code = "ES" if territory in ("", "ES") else "ES-419"
    elif language in ("nb", "no"):
        code = "NB"
    else:
        code = language.upper()
    if code not in DEEPL_TARGETS:
        raise ProviderError(
            f"DeepL cannot translate into {locale} (language {language!r} is not a DeepL target "
            f"language); use the translation memory for it",
            kind=ProviderError.INVALID,
        )
    return code


def formality_for(locale: str, preference: str | None = None) -> str | None:
    """The ``formality`` to send: ``*_formal`` → more, ``*_informal`` → less, else the preference
    (or the WordPress convention for de_DE/nl_NL); downgraded to ``prefer_*`` where the target
    language has no formality, so it can never cause a 400."""
    if preference is not None and preference not in _FORMALITIES:
        raise ProviderError(f"unknown formality {preference!r}; use one of {', '.join(_FORMALITIES)}",
                            kind=ProviderError.INVALID)
    info = parse_locale(locale)
    chosen = preference
    if info is not None and info.formal is True:
        chosen = "more"
    elif info is not None and info.formal is False:
        chosen = "less"
    elif chosen is None and info is not None and f"{info.language}_{info.territory}" in _INFORMAL_BY_CONVENTION:
        chosen = "prefer_less"
    if chosen is None:
        return None
    if not DEEPL_TARGETS[deepl_target_code(locale)]:
        if chosen == "default":
            return None
        if chosen in ("more", "less"):
            return "prefer_" + chosen
    return chosen


def plural_sources(msgid: str, msgid_plural: str, plural_forms: str) -> list[str]:
    """The source text to translate for each ``msgstr[n]`` of a plural entry.

    The form whose numbers include 1 is translated from ``msgid``, every other form from
    ``msgid_plural``; a language with one form (nplurals=1) translates ``msgid_plural``. As
    translators and WordPress's own language packs do:

    * ru, uk (``n%10==1 && n%100!=11 ? 0 : …``): ``msgstr[0]`` (1, 21, 31…) from msgid,
      ``msgstr[1]`` (2–4, 22…) and ``msgstr[2]`` (0, 5–20…) from msgid_plural;
    * pl (``n==1 ? 0 : …``): ``msgstr[0]`` (1 only) from msgid, the two others from msgid_plural;
    * ja, zh, ko, vi (nplurals=1): ``msgstr[0]`` from msgid_plural — it stands for every number;
    * ar (six forms: 0, 1, 2, 3–10, 11–99, 100–102): ``msgstr[1]`` from msgid, the five others from
      msgid_plural;
    * fr (``n > 1``): ``msgstr[0]`` (0 and 1) from msgid.
    """
    examples = _plural_examples(plural_forms)
    if len(examples) <= 1:
        return [msgid_plural] * max(len(examples), 1)
    return [msgid if 1 in numbers else msgid_plural for numbers in examples]


@functools.lru_cache(maxsize=64)
def _plural_examples(plural_forms: str) -> tuple[tuple[int, ...], ...]:
    """``plural_examples`` once per plural rule: a catalog asks for it once per plural entry."""
    return tuple(tuple(numbers) for numbers in plural_examples(plural_forms))


def build_context(*, msgctxt: str | None = None, comment: str | None = None,
                  plugin_name: str | None = None) -> str | None:
    """The unbilled DeepL ``context`` for an entry: the plugin it belongs to, its msgctxt and its
    whole extracted comment — every line, whether the ``translators:`` note spans several ``#.``
    lines or one line holds it all. None when there is nothing to say."""
    parts: list[str] = []
    if plugin_name:
        parts.append(f"User-interface text of the WordPress plugin \u201c{plugin_name}\u201d.")
    if msgctxt:
        parts.append(f"Context: {msgctxt}.")
    lines = [line.strip() for line in (comment or "").splitlines() if line.strip()]
    if lines:
        note = " ".join(_TRANSLATORS_PREFIX.sub("", line, count=1) for line in lines).strip()
        if note:
            parts.append("Note for translators: " + note)
    return " ".join(parts) or None


_TRANSLATORS_PREFIX = re.compile(r"^translators\s*:\s*", re.IGNORECASE)


def estimate_characters(text: str, flags: tuple[str, ...] | list[str] = (),
                        rules: PlaceholderRules | None = None) -> int:
    """Characters DeepL would bill for ``text`` once masked (0 when nothing needs translating)."""
    masked = mask(text, flags, rules)
    return masked.billable_characters if masked.needs_translation else 0
