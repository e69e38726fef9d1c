"""Where the editor's suggestions come from: the translation memory, then DeepL or an LLM.

No textual here. The TUI calls these from workers; each source keeps its SQLite connection (and the
memory's fuzzy index) on one thread of its own, so lookups from any worker are safe and the index is
built once per session, not once per keystroke. That thread is a daemon and ``close()`` does not wait
for a lookup in flight, so leaving the editor while DeepL is silent is immediate (the provider's own
request thread may still finish its one attempt in the background; no retry follows a close).
"""

from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from transkit.catalog.locales import plural_forms_for
from transkit.checks import CheckContext
from transkit.checks.glossary import glossary_rank
from transkit.checks.plurals import plural_rule_of
from transkit.errors import ProviderError, StoreError, TranskitError
from transkit.jobs.fill.admission import writable_forms
from transkit.store.glossary import locale_glossary
from transkit.suggest.cache import MTCache
from transkit.suggest.llm import cache_units, find_api_key, llm_provider, llm_settings
from transkit.suggest.mt import RequestSettings, build_request, project_name

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry

T = TypeVar("T")


@dataclass(frozen=True)
class Suggestion:
    """One proposed translation: every form for a plural entry, or one form."""

    forms: tuple[str, ...]
    score: float
    origin: str      # what the user reads: "memory · hello-cli/po/it.po", "DeepL"
    provider: str    # "memory" or "deepl", as the review store records it
    # glossary terms of the source this suggestion does not translate the agreed way ("Post → Beitrag")
    against_glossary: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.forms[0] if self.forms else ""


def short_origin(origin: str, depth: int = 3) -> str:
    parts = Path(origin).parts
    return "/".join(parts[-depth:]) if len(parts) > depth else origin


class _OwnThread:
    """Runs calls, in order, on one dedicated daemon thread, so a thread-bound SQLite connection can
    serve them. (A ThreadPoolExecutor's threads are joined at interpreter exit, so a DeepL request
    hanging on a silent server would hold the process for its whole timeout.)"""

    def __init__(self, name: str):
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            future, function = call
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(function())
                except BaseException as error:  # handed to whoever waits on the future
                    future.set_exception(error)

    def submit(self, function: Callable[[], T]) -> "Future[T]":
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._thread.name}: closed")
            self._calls.put((future, function))
        return future

    def call(self, function: Callable[[], T]) -> T:
        return self.submit(function).result()

    def close(self) -> None:
        """No new calls after this; calls already queued still run."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._calls.put(None)


class MemorySuggestions:
    """Translation-memory matches for one catalog's locale (and related ones: an ``it`` catalog helps
    an ``it_IT`` one)."""

    def __init__(self, locale: str, own_path: str | os.PathLike | None = None, limit: int = 9):
        self.locale = locale
        from transkit.suggest.tm import TranslationMemory  # lazy: numpy, rapidfuzz

        # the memory itself looks in related locales (it for it_IT) when it knows how
        related = hasattr(TranslationMemory, "related_locales")
        self.languages = [locale] + ([locale.split("_")[0]] if "_" in locale and not related else [])
        self.own_path = str(Path(own_path).resolve()) if own_path else None
        self.limit = limit
        self._thread = _OwnThread("tm")
        self._memory = None
        self._glossary = None  # the locale's glossary, read with the memory
        self._noticed = 0  # the memory's warnings already taken

    def _open(self):
        if self._memory is None:
            from transkit.suggest.tm import TranslationMemory  # lazy: numpy, rapidfuzz

            self._memory = TranslationMemory()

            try:
                self._glossary = locale_glossary(self.locale)
            except StoreError:
                self._glossary = None  # memory suggestions still come, unranked by terminology
        return self._memory

    def _against_glossary(self, entry: "Entry", targets: tuple[str, ...]) -> tuple[str, ...]:
        glossary = self._glossary
        if glossary is None or not targets:
            return ()
        language = self.locale.split("_")[0]
        groups = glossary.missing(entry.msgid, targets[0], language, entry.flags)
        return tuple(f"{terms[0].source} → {' / '.join(t.translation or t.source for t in terms)}"
                     for terms in groups)

    def lookup(self, entry: "Entry") -> list[Suggestion]:
        def run() -> list[Suggestion]:
            memory = self._open()
            found: list[Suggestion] = []
            seen: set[tuple[str, ...]] = set()
            for language in self.languages:
                for match in memory.suggest(entry.msgid, language, entry.msgctxt, entry.msgid_plural,
                                            limit=self.limit):
                    if match.origin == self.own_path and match.source == entry.msgid \
                            and (match.msgctxt or None) == entry.msgctxt:
                        continue  # the entry's own current translation
                    if match.targets in seen or not any(match.targets):
                        continue
                    seen.add(match.targets)
                    context = "" if match.same_context else " (other context)"
                    against = self._against_glossary(entry, match.targets)
                    note = f" · not the glossary's {', '.join(against)}" if against else ""
                    found.append(Suggestion(match.targets, match.score,
                                            f"memory · {short_origin(match.origin)}{context}{note}", "memory",
                                            against))
            # a match that ignores the locale's glossary ranks below every one that keeps to it
            found.sort(key=lambda s: glossary_rank(s.score, s.against_glossary))
            return found[: self.limit]

        return self._thread.call(run)

    def take_notices(self) -> list[str]:
        """What went wrong in the memory without stopping its lookups (a fuzzy index it could not
        store: every new session then builds it again), for the face to say once."""
        memory = self._memory
        if memory is None:
            return []
        fresh = memory.warnings[self._noticed:]
        self._noticed += len(fresh)
        return fresh

    def close(self) -> None:
        if self._memory is not None:
            memory, self._memory = self._memory, None
            try:
                self._thread.call(memory.close)
            except Exception:  # closing at exit must never raise
                pass
        self._thread.close()


class DeepLSuggestions:
    """DeepL translations of one entry, through the MT cache so nothing is billed twice.

    A person is waiting for the answer, so the defaults give up sooner than a fill run does: a
    silent server is reported after ``timeout`` seconds per attempt and ``max_retries`` retries.
    """

    def __init__(self, locale: str, plural_forms: str, plugin_name: str | None = None, *,
                 timeout: float = 10.0, max_retries: int = 1, retry_backoff: float = 0.5,
                 settings: RequestSettings | None = None):
        """``settings`` (``RequestSettings.for_catalog(catalog)``) is what fill uses too; the
        positional form is kept for callers that only know the locale and plural rule."""
        self.locale = locale
        self.plural_forms = plural_forms
        self.plugin_name = plugin_name
        self.settings = settings or RequestSettings(locale, plural_forms or plural_forms_for(locale),
                                                    project_name(plugin_name))
        self.check_context = CheckContext.for_rule(
            locale, *plural_rule_of(self.settings.plural_forms, locale), placeholder_rules=self.settings.rules)
        self.timeout, self.max_retries, self.retry_backoff = timeout, max_retries, retry_backoff
        self._thread = _OwnThread(self.thread_name)
        self._cancel = threading.Event()
        self._provider = None
        self._cache = None
        self.notices: list[str] = []  # said once by the face (``take_notices``)

    label = "DeepL"
    thread_name = "deepl"

    @staticmethod
    def available() -> bool:
        from transkit.suggest.deepl_provider import find_auth_key  # lazy: deepl (+requests) only when DeepL is asked

        return find_auth_key() is not None

    # what differs between machine sources (LLMSuggestions below)
    def _new_provider(self):
        from transkit.suggest.deepl_provider import DeepLProvider  # lazy: deepl (+requests) only when DeepL is asked

        return DeepLProvider(concurrency=1, timeout=self.timeout, max_retries=self.max_retries,
                             retry_backoff=self.retry_backoff)

    def _cache_key(self) -> str:
        return self._provider.name

    def _units(self, request):
        return request.text_requests()

    def _suggestion(self, forms: tuple[str, ...]) -> Suggestion:
        return Suggestion(forms, 0.0, "DeepL (machine)", "deepl")

    def _glossary_id(self, request, glossary) -> str | None:
        """The locale glossary pushed as a DeepL glossary (as fill does: named by its content, so
        pushed once); its id is part of the request, so the cache never mixes glossaries."""
        if request.glossary_id is not None or glossary is None or not len(glossary):
            return request.glossary_id
        pairs = glossary.pairs()
        key = tuple(sorted(pairs.items()))
        known = getattr(self, "_pushed", None)
        if known is None or known[0] != key:
            try:
                pushed = self._provider.ensure_glossary(pairs, self.settings.target_locale)
            except ProviderError as err:
                if err.kind == ProviderError.AUTH:
                    raise
                # asked without it, for this session's glossary (not tried again on every entry)
                pushed = None
                self.notices.append(f"the {self.settings.target_locale} glossary could not be pushed to "
                                    f"DeepL ({err}); DeepL is asked without it")
            self._pushed = known = (key, pushed)
        return known[1]

    def take_notices(self) -> list[str]:
        """What the face should say once (e.g. the glossary was not used), then forgets."""
        taken, self.notices[:] = list(self.notices), []
        return taken

    def lookup(self, entry: "Entry", glossary=None) -> list[Suggestion]:
        """Raises ProviderError (no key, quota, network) for the face to show."""
        return self.submit(entry, glossary).result()

    def submit(self, entry: "Entry", glossary=None) -> "Future[list[Suggestion]]":
        """``lookup`` without waiting: an asyncio face awaits ``asyncio.wrap_future(...)`` and no
        thread of its own sits blocked on the answer. ``glossary`` (the locale's, as fill uses)
        puts its terms into the request, and for DeepL its DeepL glossary id."""
        settings = self.settings if glossary is None else replace(self.settings, glossary=glossary)
        request = build_request(entry, settings)
        glossary = settings.glossary

        def run() -> list[Suggestion]:
            if self._provider is None:
                self._provider = self._new_provider()
                self._cache = MTCache()
            asked = request
            glossary_id = self._glossary_id(asked, glossary)
            if glossary_id != asked.glossary_id:
                asked = replace(asked, glossary_id=glossary_id)
            key, units = self._cache_key(), self._units(asked)
            # paid for once already (even an unusable answer): never asked again
            result = self._cache.get_entry(key, asked, units)
            if result is None:
                outcome = self._provider.translate_batch([asked], cancel=self._cancel)
                self._cache.put_entries(key, outcome.completed, self._units)
                outcome.raise_for_error()
                result = outcome.results[0]
            if result is None:
                return []
            forms, problem = writable_forms(entry, result, self.check_context)
            if problem:
                raise ProviderError(f"{self.label}'s answer was unusable: {problem}", kind=ProviderError.INVALID)
            return [self._suggestion(forms)]

        return self._thread.submit(run)

    def close(self) -> None:
        """Stop retrying, and close the connection and the cache once a request in flight ends —
        without waiting for it."""

        def shut() -> None:
            for thing in (self._provider, self._cache):
                if thing is not None:
                    try:
                        thing.close()
                    except Exception:  # closing must never raise
                        pass

        self._cancel.set()
        self._thread.submit(shut)
        self._thread.close()


class LLMSuggestions(DeepLSuggestions):
    """An LLM's translation of one entry ([llm] settings for the catalog's locale), through the MT
    cache like fill's, so an entry asked for in the TUI and filled later (or the reverse) is paid once."""

    thread_name = "llm"

    def __init__(self, locale: str, plural_forms: str, plugin_name: str | None = None, *,
                 timeout: float = 30.0, max_retries: int = 1, retry_backoff: float = 0.5,
                 settings: RequestSettings | None = None):
        super().__init__(locale, plural_forms, plugin_name, timeout=timeout, max_retries=max_retries,
                         retry_backoff=retry_backoff, settings=settings)

        self.llm = llm_settings(locale, timeout=timeout, max_retries=max_retries, concurrency=1)
        self.label = f"LLM {self.llm.model}"

    @staticmethod
    def available(locale: str | None = None) -> bool:
        """A key is set up, or the server is local (needs none)."""
        try:
            settings = llm_settings(locale)
        except TranskitError:
            return False
        return settings.local or find_api_key(settings) is not None

    def _glossary_id(self, request, glossary) -> str | None:
        return request.glossary_id  # a DeepL glossary is DeepL's; the LLM gets the terms in the request

    def _new_provider(self):
        return llm_provider(self.llm, retry_backoff=self.retry_backoff)

    def _cache_key(self) -> str:
        return self.llm.cache_name

    def _units(self, request):
        return cache_units(request)

    def _suggestion(self, forms: tuple[str, ...]) -> Suggestion:
        return Suggestion(forms, 0.0, f"LLM · {self.llm.model} (machine)", self.llm.provenance)


__all__ = ["DeepLSuggestions", "LLMSuggestions", "MemorySuggestions", "RequestSettings", "Suggestion",
           "TranskitError", "short_origin"]
