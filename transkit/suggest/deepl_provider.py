"""The DeepL provider: the only module that imports ``deepl``.

``DeepLProvider.translate_batch(entry_requests)`` speaks the provider protocol of
``transkit.suggest.mt`` (one ``EntryResult`` per entry, every form); underneath,
``translate_texts(text_requests)`` masks placeholders (``transkit.suggest.masking``), groups texts by
the request-wide parameters (target, formality, context, glossary), cuts each group into requests of
at most 50 texts and ~96 KiB of JSON, sends them from a small thread pool, checks every token came
back and returns a ``TextBatchOutcome`` aligned with the texts.

Nothing is billed twice on our side: identical texts in one call are sent once, and retries are
ours (the library's own are switched off) so ``billed_characters`` is only ever read from the one
answer that succeeded. A quota (456) or key (403) failure stops the run: batches still in flight
finish, nothing new is sent, and the outcome carries both the finished results and the error.
The key never leaves this object: it is scrubbed from every message and absent from ``repr``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import random
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import deepl

from transkit import __version__
from transkit.config import secret_key
from transkit.errors import ProviderError
from transkit.suggest.masking import MaskedText, mask, try_unmask
from transkit.suggest.mt import (
    BatchOutcome, EntryRequest, EntryResult, TextBatchOutcome, TranslationRequest, TranslationResult,
    Usage, deepl_target_code, formality_for,
)
from transkit.suggest.sending import send_batches

__all__ = ["DeepLProvider", "ProviderUsage", "find_auth_key"]

log = logging.getLogger(__name__)

KEYRING_USERNAME = "deepl"  # keyring entry transkit/deepl
MAX_TEXTS_PER_REQUEST = 50
MAX_BODY_BYTES = 96 * 1024  # DeepL's limit is 128 KiB; JSON escaping makes the margin welcome


def find_auth_key() -> str | None:
    """The DeepL key from ``$DEEPL_AUTH_KEY``, else the OS keyring (``transkit``/``deepl``)."""
    return secret_key("DEEPL_AUTH_KEY", KEYRING_USERNAME)


@dataclass(frozen=True)
class ProviderUsage:
    character_count: int | None
    character_limit: int | None

    @property
    def remaining(self) -> int | None:
        if self.character_count is None or self.character_limit is None:
            return None
        return max(self.character_limit - self.character_count, 0)


@dataclass
class _Item:
    """One unique text to send, and the request indices that share its translation."""

    masked: MaskedText
    indices: list[int]


@dataclass
class _Batch:
    source_lang: str
    target_code: str
    formality: str | None
    context: str | None
    glossary_id: str | None
    items: list[_Item]


class DeepLProvider:
    """Translate text with DeepL through the official ``deepl`` library.

    ``timeout`` is the per-attempt HTTP timeout (note: the library keeps it process-wide);
    ``max_retries``/``retry_backoff`` govern our retries of 429, 5xx and timeouts.
    """

    name = "deepl"
    model = None

    def __init__(self, auth_key: str | None = None, server_url: str | None = None, *,
                 concurrency: int = 4, timeout: float = 30.0, max_retries: int = 5,
                 retry_backoff: float = 1.0, max_backoff: float = 30.0,
                 max_texts: int = MAX_TEXTS_PER_REQUEST, max_body_bytes: int = MAX_BODY_BYTES):
        key = auth_key or find_auth_key()
        if not key:
            raise ProviderError(
                "no DeepL key: set DEEPL_AUTH_KEY or store one with `keyring set transkit deepl`",
                kind=ProviderError.AUTH)
        self.__key = key
        self.server_url = server_url or os.environ.get("DEEPL_SERVER_URL") or None
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.retry_backoff = retry_backoff
        self.max_backoff = max_backoff
        self.max_texts = max(1, min(max_texts, MAX_TEXTS_PER_REQUEST))
        self.max_body_bytes = max_body_bytes
        # Our retries replace the library's, so a retried request is seen (and counted) once.
        deepl.http_client.max_network_retries = 0
        deepl.http_client.min_connection_timeout = timeout
        self._local = threading.local()
        self._clients: list[deepl.DeepLClient] = []
        self._clients_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DeepLProvider(server_url={self.server_url!r}, concurrency={self.concurrency})"

    # -- plumbing --------------------------------------------------------------------------------
    def _client(self) -> deepl.DeepLClient:
        """One client (one requests.Session) per thread: sessions are not thread-safe."""
        client = getattr(self._local, "client", None)
        if client is None:
            try:
                client = deepl.DeepLClient(self.__key, server_url=self.server_url)
            except ValueError as error:
                raise ProviderError(self._scrub(f"cannot set up DeepL: {error}"), kind=ProviderError.INVALID) from None
            client.set_app_info("transkit", __version__)
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        self._local = threading.local()

    def __enter__(self) -> "DeepLProvider":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _scrub(self, message: str) -> str:
        return re.sub(re.escape(self.__key), "[key]", message, flags=re.I) if self.__key else message

    def _provider_error(self, error: Exception) -> ProviderError:
        """Translate a deepl/requests exception into ours, without the key and without chaining."""
        detail = self._scrub(str(error))
        if isinstance(error, deepl.AuthorizationException):
            return ProviderError("DeepL refused the key (HTTP 403): check DEEPL_AUTH_KEY or the keyring "
                                 "entry transkit/deepl", kind=ProviderError.AUTH)
        if isinstance(error, deepl.QuotaExceededException):
            return ProviderError("DeepL quota exceeded (HTTP 456): this billing period's characters are "
                                 "used up; finished translations were kept", kind=ProviderError.QUOTA)
        if self._is_retryable(error):
            return ProviderError(f"DeepL did not answer after {self.max_retries + 1} attempts: {detail}",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, (AttributeError, KeyError, IndexError, TypeError)):
            return ProviderError(f"DeepL's answer is not in the shape of DeepL's API ({type(error).__name__}: "
                                 f"{detail}); is the server URL right?", kind=ProviderError.INVALID)
        return ProviderError(f"DeepL rejected the request: {detail}", kind=ProviderError.INVALID)

    @staticmethod
    def _is_retryable(error: Exception) -> bool:
        if not isinstance(error, deepl.DeepLException):
            return False
        status = error.http_status_code
        return error.should_retry or status == 429 or (status is not None and status >= 500)

    def _call(self, function: Callable, *args, cancel: threading.Event | None = None,
              on_notice: Callable[[str], None] | None = None, **kwargs):
        """Call the library with our retry/backoff; returns (value, retries) or raises ProviderError.
        ``on_notice`` hears of each failed attempt that is retried (a silent server after the first
        attempt's timeout, not after the last)."""
        delay = self.retry_backoff
        for attempt in range(self.max_retries + 1):
            try:
                return function(*args, **kwargs), attempt
            except (deepl.DeepLException, ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
                # the last four: the deepl library reading an answer of the wrong shape, e.g.
                # {"translations": "x"} from a broken proxy; never retried, never a traceback
                if not self._is_retryable(error) or attempt == self.max_retries:
                    raise self._provider_error(error) from None
                log.info("DeepL attempt %d failed (%s); retrying in %.2fs",
                         attempt + 1, self._scrub(str(error)), delay)
                if on_notice is not None:
                    on_notice(self._retry_notice(error, attempt))
            if cancel is not None and cancel.wait(delay):
                raise ProviderError("cancelled", kind=ProviderError.RETRYABLE)
            elif cancel is None:
                threading.Event().wait(delay)
            delay = min(delay * 1.6 * (1 + 0.2 * random.uniform(-1, 1)), self.max_backoff)
        raise AssertionError("unreachable")

    def _retry_notice(self, error: Exception, attempt: int) -> str:
        status = getattr(error, "http_status_code", None)
        if status == 429:
            what = "DeepL is rate-limiting (HTTP 429)"
        elif status is not None:
            what = f"DeepL answered HTTP {status}"
        else:
            what = f"DeepL did not answer within {self.timeout:g} s"
        return f"{what} (attempt {attempt + 1} of {self.max_retries + 1}); trying again"

    # -- the provider protocol (transkit.suggest.mt) ---------------------------------------------
    def supports(self, locale: str) -> bool:
        try:
            deepl_target_code(locale)
        except ProviderError:
            return False
        return True

    def translate_batch(self, requests: Sequence[EntryRequest], *, cancel: threading.Event | None = None,
                        on_results: Callable[[list[EntryResult]], None] | None = None,
                        on_notice: Callable[[str], None] | None = None,
                        on_usage: Callable[[Usage], None] | None = None) -> BatchOutcome:
        """Translate entries: each form is one text (identical texts sent once); an entry is
        answered when all its forms are, with the first problem of any form. (``on_usage`` is never
        called: every character DeepL bills comes with a result.)"""
        owners: list[tuple[int, int]] = []
        units: list[TranslationRequest] = []
        for entry_index, request in enumerate(requests):
            for form, unit in enumerate(request.text_requests()):
                units.append(unit)
                owners.append((entry_index, form))
        forms: list[list[TranslationResult | None]] = [[None] * len(r.sources) for r in requests]
        results: list[EntryResult | None] = [None] * len(requests)

        def settle(text_results: list[TranslationResult]) -> None:
            finished = []
            for text_result in text_results:
                entry_index, form = owners[text_result.index]
                forms[entry_index][form] = text_result
                if results[entry_index] is None and all(forms[entry_index]):
                    results[entry_index] = _entry_result(requests[entry_index], forms[entry_index])
                    finished.append(results[entry_index])
            if finished and on_results is not None:
                on_results(finished)

        texts = self.translate_texts(units, on_results=settle, cancel=cancel, on_notice=on_notice)
        return BatchOutcome(results, texts.error, texts.cancelled, texts.requests_sent, texts.retries)

    # -- translation -----------------------------------------------------------------------------
    def translate_texts(self, requests: Sequence[TranslationRequest], *,
                        on_results: Callable[[list[TranslationResult]], None] | None = None,
                        cancel: threading.Event | None = None,
                        on_notice: Callable[[str], None] | None = None) -> TextBatchOutcome:
        """Translate ``requests``; never raises for provider trouble (see ``TextBatchOutcome.error``)
        except ProviderError(invalid) for an unsupported target locale, before anything is sent.

        ``on_results`` is called in the calling thread with each finished HTTP batch's results
        (duplicates included), so a caller can journal/cache them as they arrive.
        """
        results: list[TranslationResult | None] = [None] * len(requests)
        outcome = TextBatchOutcome(results)
        immediate: list[TranslationResult] = []
        batches = self._plan(requests, results, immediate)
        if immediate and on_results:
            on_results(immediate)

        def settle(batch: _Batch, text_results: list) -> None:
            finished = self._collect(batch, text_results, requests, results)
            if on_results:
                on_results(finished)

        send_batches(batches, lambda batch: self._send(batch, cancel, on_notice), settle, outcome,
                     concurrency=self.concurrency, cancel=cancel, thread_name="deepl")
        return outcome

    def _plan(self, requests: Sequence[TranslationRequest], results: list[TranslationResult | None],
              immediate: list[TranslationResult]) -> list[_Batch]:
        """Mask, dedupe and group the requests into HTTP batches; settle what needs no sending."""
        groups: dict[tuple, dict[str, _Item]] = {}
        for index, request in enumerate(requests):
            target = deepl_target_code(request.target_locale)
            formality = formality_for(request.target_locale, request.formality)
            masked = mask(request.text, request.flags, request.rules)
            if not masked.needs_translation:
                results[index] = TranslationResult(index, request, request.text, sent=False)
                immediate.append(results[index])
                continue
            key = (request.source_lang.upper(), target, formality, request.context, request.glossary_id)
            items = groups.setdefault(key, {})
            if masked.xml in items:
                items[masked.xml].indices.append(index)
            else:
                items[masked.xml] = _Item(masked, [index])
        batches: list[_Batch] = []
        for (source, target, formality, context, glossary_id), items in groups.items():
            overhead = len(json.dumps({"target_lang": target, "source_lang": source, "context": context,
                                       "formality": formality, "glossary_id": glossary_id,
                                       "tag_handling": "xml", "tag_handling_version": "v2",
                                       "non_splitting_tags": ["x", "g"], "ignore_tags": ["x"],
                                       "show_billed_characters": True, "text": []}).encode())
            current: list[_Item] = []
            size = overhead
            for item in items.values():
                item_size = len(json.dumps(item.masked.xml).encode()) + 2
                if overhead + item_size > self.max_body_bytes:
                    for index in item.indices:
                        results[index] = TranslationResult(
                            index, requests[index], None, sent=False,
                            problem=f"text too long for one DeepL request ({item_size} bytes as JSON)")
                        immediate.append(results[index])
                    continue
                if current and (len(current) >= self.max_texts or size + item_size > self.max_body_bytes):
                    batches.append(_Batch(source, target, formality, context, glossary_id, current))
                    current, size = [], overhead
                current.append(item)
                size += item_size
            if current:
                batches.append(_Batch(source, target, formality, context, glossary_id, current))
        return batches

    def _send(self, batch: _Batch, cancel: threading.Event | None,
              on_notice: Callable[[str], None] | None = None) -> tuple[list, int]:
        """Worker thread: one HTTP request (plus retries) for one batch."""
        if cancel is not None and cancel.is_set():
            raise ProviderError("cancelled", kind=ProviderError.RETRYABLE)
        texts = [item.masked.xml for item in batch.items]
        log.info("DeepL: sending %d texts to %s", len(texts), batch.target_code)
        return self._call(
            self._client().translate_text, texts, cancel=cancel, on_notice=on_notice,
            source_lang=batch.source_lang, target_lang=batch.target_code, context=batch.context,
            formality=batch.formality, glossary=batch.glossary_id, tag_handling="xml",
            tag_handling_version="v2", non_splitting_tags=["x", "g"], ignore_tags=["x"],
        )

    @staticmethod
    def _collect(batch: _Batch, text_results: list, requests: Sequence[TranslationRequest],
                 results: list[TranslationResult | None]) -> list[TranslationResult]:
        finished: list[TranslationResult] = []
        if len(text_results) != len(batch.items):
            problem = f"DeepL answered {len(text_results)} texts for {len(batch.items)} sent"
            billed = sum(r.billed_characters for r in text_results)
            for number, item in enumerate(batch.items):
                for position, index in enumerate(item.indices):
                    results[index] = TranslationResult(index, requests[index], None, problem=problem,
                                                       billed_characters=billed if number == position == 0 else 0)
                    finished.append(results[index])
            return finished
        for item, text_result in zip(batch.items, text_results):
            text, problem = try_unmask(item.masked, text_result.text)
            for position, index in enumerate(item.indices):
                results[index] = TranslationResult(
                    index, requests[index], text, problem=problem,
                    billed_characters=text_result.billed_characters if position == 0 else 0,
                    detected_source_lang=text_result.detected_source_lang)
                finished.append(results[index])
        return finished

    # -- account, languages, glossary -----------------------------------------------------------
    def usage(self) -> ProviderUsage:
        usage, _ = self._call(self._client().get_usage)
        return ProviderUsage(usage.character.count, usage.character.limit)

    def check_target(self, locale: str) -> str:
        """The DeepL code for ``locale``, confirmed against the server's target languages."""
        code = deepl_target_code(locale)
        languages, _ = self._call(self._client().get_target_languages)
        if code not in {language.code.upper() for language in languages}:
            raise ProviderError(f"this DeepL server does not offer {code} (for {locale})",
                                kind=ProviderError.INVALID)
        return code

    removed_glossaries = 0  # superseded transkit glossaries the last ensure_glossary deleted

    def ensure_glossary(self, csv_path: "str | os.PathLike | Mapping[str, str]", target_locale: str,
                        source_lang: str = "EN") -> str:
        """Push a ``source,target`` CSV (or source -> target pairs, e.g. the locale glossary's) as a
        DeepL (v2) glossary and return its id. Its name holds the locale and a hash of the content
        (``transkit-<locale>-<hash>``), so unchanged terms reuse the glossary already on the account
        and changed ones make a new one; once it is made, the locale's superseded ones (same language
        pair, another hash; and the ``transkit-<hash>`` names of earlier releases) are deleted —
        ``removed_glossaries`` counts them. A failure to delete is logged, never raised."""
        entries = (_valid_pairs(csv_path) if isinstance(csv_path, Mapping) else read_glossary_csv(csv_path))
        target = deepl_target_code(target_locale).split("-")[0]
        source = source_lang.upper().split("-")[0]
        digest = hashlib.sha256(json.dumps([source, target, sorted(entries.items())]).encode()).hexdigest()
        prefix = f"transkit-{target_locale}-"
        name = prefix + digest[:16]
        self.removed_glossaries = 0
        existing, _ = self._call(self._client().list_glossaries)
        for glossary in existing:
            if glossary.name == name and glossary.source_lang == source and glossary.target_lang == target:
                return glossary.glossary_id
        created, _ = self._call(self._client().create_glossary, name, source, target, entries)
        for glossary in existing:
            superseded = glossary.name.startswith(prefix) or _EARLIER_GLOSSARY_NAME.fullmatch(glossary.name)
            if superseded and glossary.source_lang == source and glossary.target_lang == target:
                try:
                    self._call(self._client().delete_glossary, glossary.glossary_id)
                    self.removed_glossaries += 1
                except ProviderError as error:  # housekeeping only: the new glossary is in place
                    log.info("superseded DeepL glossary %s not deleted: %s", glossary.name, error)
        return created.glossary_id


_EARLIER_GLOSSARY_NAME = re.compile(r"transkit-[0-9a-f]{16}")  # before the locale was in the name


def _entry_result(request: EntryRequest, forms: list[TranslationResult]) -> EntryResult:
    problem = next((form.problem or "no translation" for form in forms if not form.ok), None)
    usage = Usage(characters=sum(form.billed_characters for form in forms))
    return EntryResult(request, None if problem else tuple(form.text for form in forms), problem, usage,
                       sent=any(form.sent for form in forms))


def _valid_pairs(pairs: "Mapping[str, str]") -> dict[str, str]:
    """The pairs DeepL accepts (terms with tabs, newlines or edge spaces are left out)."""
    valid = {}
    for source, target in pairs.items():
        try:
            deepl.validate_glossary_term(source)
            deepl.validate_glossary_term(target)
        except ValueError:
            continue
        valid[source] = target
    if not valid:
        raise ProviderError("the glossary has no terms DeepL accepts", kind=ProviderError.INVALID)
    return valid


def read_glossary_csv(csv_path: str | os.PathLike) -> dict[str, str]:
    """``source,target`` rows (an optional ``source,target`` header line is skipped)."""
    path = Path(csv_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ProviderError(f"{path}: cannot read glossary: {error}", kind=ProviderError.INVALID) from None
    entries: dict[str, str] = {}
    for line_number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip():
            continue
        if line_number == 1 and [cell.strip().lower() for cell in row[:2]] == ["source", "target"]:
            continue
        if len(row) < 2:
            raise ProviderError(f"{path}:{line_number}: expected 'source,target'", kind=ProviderError.INVALID)
        source, target = row[0].strip(), row[1].strip()
        try:
            deepl.validate_glossary_term(source)
            deepl.validate_glossary_term(target)
        except ValueError as error:
            raise ProviderError(f"{path}:{line_number}: {error}", kind=ProviderError.INVALID) from None
        if source in entries:
            raise ProviderError(f"{path}:{line_number}: {source!r} is listed twice", kind=ProviderError.INVALID)
        entries[source] = target
    if not entries:
        raise ProviderError(f"{path}: the glossary has no entries", kind=ProviderError.INVALID)
    return entries

