"""The machine-translation providers fill knows, by the name ``--provider`` uses.

Adding a provider is one entry in ``MT_PROVIDERS``: how to build it (it must speak
``transkit.suggest.mt.MTProvider``) and which locales it can translate into, answered without a key
so ``--dry-run`` and the per-language fallback (DeepL where it has the language, the next provider
elsewhere) need none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from transkit.errors import ProviderError
from transkit.suggest.mt import MTProvider, deepl_target_code

MEMORY = "tm"


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    create: Callable[[], MTProvider]  # may raise ProviderError(auth) when no key is set up
    supports: Callable[[str], bool]
    label: str  # how messages name it
    # the MT cache's provider key before the provider is built (an LLM: "llm:<model>")
    cache_name: Callable[[], str] | None = None

    def key(self, provider: MTProvider | None = None) -> str:
        if provider is not None:
            return cache_name(provider)
        return self.cache_name() if self.cache_name is not None else self.name


def _deepl() -> MTProvider:
    from transkit.suggest.deepl_provider import DeepLProvider

    return DeepLProvider()


def _deepl_supports(locale: str) -> bool:
    try:
        deepl_target_code(locale)
    except ProviderError:
        return False
    return True


MT_PROVIDERS: dict[str, ProviderSpec] = {
    "deepl": ProviderSpec("deepl", _deepl, _deepl_supports, "DeepL"),
}


def known_providers() -> tuple[str, ...]:
    return (MEMORY, *MT_PROVIDERS)


def cache_name(provider: MTProvider) -> str:
    """The MT cache's provider key: an LLM's answers depend on its model too."""
    model = getattr(provider, "model", None)
    return f"{provider.name}:{model}" if model else provider.name
