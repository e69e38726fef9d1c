"""Machine-translation requests and results, and the rules that do not need a provider.

Everything here works without a DeepL key or the ``deepl`` library: mapping gettext locales to DeepL
target codes and formality, choosing the source text for each plural form, building the (unbilled)
context string, and estimating billed characters for ``--dry-run``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transkit.catalog.locales import parse_locale, plural_examples
from transkit.errors import ProviderError
from transkit.suggest.masking import mask

__all__ = [
    "BatchOutcome", "DEEPL_TARGETS", "TranslationRequest", "TranslationResult", "build_context",
    "deepl_target_code", "estimate_characters", "formality_for", "plural_sources",
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
class BatchOutcome:
    """What a ``translate_batch`` call finished. ``results`` is aligned with the requests; entries
    are None for requests never answered because the run stopped (``error``) or was cancelled."""

    results: list[TranslationResult | None]
    error: ProviderError | None = None
    cancelled: bool = False
    requests_sent: int = 0  # HTTP requests answered 200
    retries: int = 0
    _billed: int = field(default=0, repr=False)

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

    A form chosen only by 1 (and maybe 0, as French's ``n > 1``) gets the singular source; every
    other form, including the only form of nplurals=1 languages and Russian's 1/21/31 form, gets the
    plural source, since the singular source may say "one" where 21 is meant.
    """
    examples = plural_examples(plural_forms)
    if len(examples) <= 1:
        return [msgid_plural] * max(len(examples), 1)
    return [msgid if 1 in numbers and set(numbers) <= {0, 1} else msgid_plural for numbers in examples]


def build_context(*, msgctxt: str | None = None, comment: str | None = None,
                  plugin_name: str | None = None) -> str | None:
    """The unbilled DeepL ``context`` for an entry: the plugin it belongs to, its msgctxt and the
    ``translators:`` lines of its extracted comment. None when there is nothing to say."""
    parts: list[str] = []
    if plugin_name:
        parts.append(f"User-interface text of the WordPress plugin \u201c{plugin_name}\u201d.")
    if msgctxt:
        parts.append(f"Context: {msgctxt}.")
    notes = [line.strip() for line in (comment or "").splitlines()
             if line.strip().lower().startswith("translators")]
    if notes:
        parts.append("Note for translators: " + " ".join(
            note.split(":", 1)[1].strip() if ":" in note else note for note in notes))
    return " ".join(parts) or None


def estimate_characters(text: str, flags: tuple[str, ...] | list[str] = ()) -> int:
    """Characters DeepL would bill for ``text`` once masked (0 when nothing needs translating)."""
    masked = mask(text, flags)
    return masked.billable_characters if masked.needs_translation else 0
