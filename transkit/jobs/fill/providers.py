"""The machine-translation providers fill knows, by the name ``--provider`` uses.

Adding a provider is one entry in ``MT_PROVIDERS``: how to build it (it must speak
``transkit.suggest.mt.MTProvider``) and which locales it can translate into, answered without a key
so ``--dry-run`` and the per-language fallback (DeepL where it has the language, the next provider
elsewhere) need none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from transkit.catalog.locales import parse_locale
from transkit.errors import ConfigError, ProviderError
from transkit.suggest.llm import cache_units, estimate_usage, llm_provider, llm_settings
from transkit.suggest.mt import EntryRequest, MTProvider, TranslationRequest, Usage, deepl_target_code

MEMORY = "tm"


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    create: Callable[..., MTProvider]  # (options) -> provider; may raise ProviderError(auth) without a key
    supports: Callable[[str], bool]
    label: str  # how messages name it
    # the MT cache's provider key for a locale, before the provider is built (an LLM: its model)
    cache_name: Callable[[str], str] | None = None
    # the MT cache's keys for an entry's forms (default: one per text, shared by equal texts)
    units: Callable[[EntryRequest], tuple[TranslationRequest, ...]] | None = None
    # what --dry-run reports for the entries still to send: (requests, locale) -> figures
    estimate: Callable[[list[EntryRequest], str], dict] | None = None
    # the provider the review store records, for a locale (default: the name)
    provenance: Callable[[str], str] | None = None
    # US dollars for the usage an API reported, for a locale (None: no prices known)
    cost: Callable[[Usage, str], float | None] | None = None

    def key(self, provider: MTProvider | None = None, locale: str = "") -> str:
        if provider is not None:
            return cache_name(provider)
        return self.cache_name(locale) if self.cache_name is not None else self.name

    def units_of(self, request: EntryRequest) -> tuple[TranslationRequest, ...]:
        return self.units(request) if self.units is not None else request.text_requests()

    def provenance_for(self, provider: MTProvider | None, locale: str) -> str:
        recorded = getattr(provider, "provenance", None)
        if recorded:
            return recorded
        return self.provenance(locale) if self.provenance is not None else self.name


def _deepl(options=None) -> MTProvider:
    from transkit.suggest.deepl_provider import DeepLProvider  # lazy: deepl (+requests) only when DeepL is a stage

    return DeepLProvider()


def _deepl_supports(locale: str) -> bool:
    try:
        deepl_target_code(locale)
    except ProviderError:
        return False
    return True


def _llm(options) -> MTProvider:
    return llm_provider(llm_settings(options.locale), max_tokens=options.max_tokens, max_cost=options.max_cost)


def _llm_settings(locale: str):
    return llm_settings(locale)


def _llm_units(request: EntryRequest) -> tuple[TranslationRequest, ...]:
    return cache_units(request)


def _llm_estimate(requests: list[EntryRequest], locale: str) -> dict:
    settings = _llm_settings(locale)
    usage, entries = estimate_usage(requests)
    cost = settings.cost(usage)
    return {"entries": entries, "input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
            "model": settings.model, "cost": None if cost is None else round(cost, 4)}


MT_PROVIDERS: dict[str, ProviderSpec] = {
    "deepl": ProviderSpec("deepl", _deepl, _deepl_supports, "DeepL"),
    # an LLM writes any language: in ``tm,deepl,llm`` it takes what DeepL cannot
    "llm": ProviderSpec("llm", _llm, lambda locale: parse_locale(locale) is not None, "LLM",
                        cache_name=lambda locale: _llm_settings(locale).cache_name, units=_llm_units,
                        estimate=_llm_estimate, provenance=lambda locale: _llm_settings(locale).provenance,
                        cost=lambda usage, locale: _llm_settings(locale).cost(usage)),
}


def earlier_cost(usage: dict[str, Usage], locale: str) -> float | None:
    """US dollars of an LLM's journalled tokens (``usage`` by model, as ``MTCache.run_usage`` gives
    it) at the locale's [llm] prices; None when there are none, or a model is not the one they price."""
    tokens = {name: u for name, u in usage.items() if u.input_tokens or u.output_tokens}
    if not tokens:
        return None
    settings = _llm_settings(locale)
    costs = [settings.cost(u) if name == settings.provenance else None for name, u in tokens.items()]
    return None if any(c is None for c in costs) else sum(costs)


def known_providers() -> tuple[str, ...]:
    return (MEMORY, *MT_PROVIDERS)


def cache_name(provider: MTProvider) -> str:
    """The MT cache's provider key: an LLM's answers depend on its model (and prompt) too."""
    own = getattr(provider, "cache_name", None)
    if isinstance(own, str) and own:
        return own
    model = getattr(provider, "model", None)
    return f"{provider.name}:{model}" if model else provider.name


def require_a_usable_provider(options) -> None:
    """When the user named machine-translation providers with --provider and none of those that can
    translate into the locale can run (no key), a ConfigError saying where the key goes, before
    anything is read or written; one provider that can run is enough. Only a missing key counts: a
    provider's other failures are the run's to report."""
    if options.dry_run:
        return  # a dry run needs no key
    named = [MT_PROVIDERS[name] for name in options.providers if name in MT_PROVIDERS]
    candidates = [spec for spec in named if spec.supports(options.locale)]
    reasons = []
    for spec in candidates:
        try:
            provider = spec.create(options)
        except ProviderError as error:
            if error.kind != ProviderError.AUTH:
                return
            reasons.append(str(error))
            continue
        try:
            provider.close()
        except Exception:  # closing a probe must not hide anything
            pass
        return
    if reasons:
        raise ConfigError(f"--provider {','.join(options.providers)}: none can run: "
                          f"{'; '.join(reasons)}; nothing was filled")
