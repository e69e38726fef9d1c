"""LLM suggestions through any OpenAI-compatible chat API: the only module that imports ``openai``.

``base_url`` picks the server: none for OpenAI itself, ``http://localhost:11434/v1`` for Ollama,
``http://localhost:8080/v1`` for llama.cpp's ``llama-server``, vLLM's or LM Studio's address, or
``https://openrouter.ai/api/v1``. The prompt, batching, retries and the answer's validation live in
``transkit.suggest.llm``; here is only how to send one chat request and how this library's errors
read. The library's own retries are off (ours count every attempt), and the key never appears in a
message or ``repr``.

What local servers do differently, and what happens then: one that refuses ``response_format``
``json_schema`` (or ``json_object``: LM Studio takes only ``json_schema``) is asked again with the
next mode down (schema → object → none) for the rest of the run, with one notice saying which
``json_mode`` to set; an answer without ``usage`` is counted at transkit's estimate and said so; a
model the server lacks is named with the models it lists (``GET /models``), and an address that is
no OpenAI-compatible API at all (a ``base_url`` without ``/v1``) says so; a timeout on a local server
says a model may still be loading. Answers are not streamed, so ``[llm] timeout`` bounds a whole
answer: a slow model on a CPU needs a larger one, or fewer ``batch_entries``.
"""

from __future__ import annotations

import openai

from transkit import __version__
from transkit.errors import ProviderError
from transkit.suggest.llm import ANSWER_SCHEMA, Completion, LLMProvider, LLMSettings

__all__ = ["OpenAIProvider"]

_JSON_MODES = ("schema", "object", "none")
_MODE_NAMES = {"schema": "json_schema", "object": "json_object", "none": "(none)"}
# words in a 400/422/500 that say the server does not take the response_format asked for
_FORMAT_REFUSED = ("response_format", "json_schema", "json_object", "invalid format", "json schema")


class OpenAIProvider(LLMProvider):
    """Chat completions with JSON output: a strict JSON schema (``json_mode = "schema"``, OpenAI's
    structured outputs, also honoured by Ollama, llama.cpp, vLLM and LM Studio), plain JSON mode
    (``"object"``) or nothing (``"none"``) for servers that refuse both."""

    api = "openai"
    library_errors = (openai.OpenAIError,)

    def __init__(self, settings: LLMSettings, **options):
        super().__init__(settings, **options)
        try:
            self._client = openai.OpenAI(api_key=self._key, base_url=settings.base_url or None,
                                         timeout=settings.timeout, max_retries=0,
                                         default_headers={"User-Agent": f"transkit/{__version__}"})
        except openai.OpenAIError as error:
            raise ProviderError(self._scrub(f"cannot set up the OpenAI client: {error}"),
                                kind=ProviderError.INVALID) from None
        self.json_mode = settings.json_mode  # lowered for the run when the server refuses it

    def _complete(self, system: str, user: str, max_output_tokens: int, timeout: float) -> Completion:
        notice = None
        while True:
            mode = self.json_mode
            try:
                completion = self._ask(system, user, max_output_tokens, timeout, mode)
            except (openai.BadRequestError, openai.UnprocessableEntityError, openai.InternalServerError) as error:
                # LM Studio's error is a bare string, which the library leaves out of its message
                detail = f"{getattr(error, 'message', '')} {getattr(error, 'body', '')}".lower()
                if mode == "none" or not any(word in detail for word in _FORMAT_REFUSED):
                    raise
                lower = _JSON_MODES[_JSON_MODES.index(mode) + 1]
                if self.json_mode == mode:  # another thread may have lowered it already
                    self.json_mode = lower
                notice = (f"{self.where} does not take response_format {_MODE_NAMES[mode]} (HTTP "
                          f"{error.status_code}); asking with {_MODE_NAMES[lower]} instead: set [llm] json_mode = "
                          f'"{lower}" to skip this')
                continue
            completion.notice = notice
            return completion

    def _ask(self, system: str, user: str, max_output_tokens: int, timeout: float, mode: str) -> Completion:
        options: dict = {}
        if mode == "schema":
            options["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "translations", "strict": True, "schema": ANSWER_SCHEMA}}
        elif mode == "object":
            options["response_format"] = {"type": "json_object"}
        # OpenAI's newer models take max_completion_tokens only; other servers know max_tokens
        limit = "max_completion_tokens" if not self.settings.base_url else "max_tokens"
        options[limit] = max_output_tokens
        response = self._client.chat.completions.create(
            model=self.model, temperature=0, timeout=timeout,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}], **options)
        usage = getattr(response, "usage", None)  # some local servers send none
        tokens = (int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)) if usage is not None else (0, 0)
        if not response.choices:
            return Completion("", *tokens, usage_reported=usage is not None)
        choice = response.choices[0]
        text = choice.message.content or ""
        if not text and getattr(choice.message, "refusal", None):
            text = ""  # a refusal is not an answer: validation reports it as not JSON
        return Completion(text, *tokens, truncated=choice.finish_reason == "length", usage_reported=usage is not None)

    def _models(self) -> list[str] | None:
        """The models the server lists (``GET /models``), None when it lists none or cannot."""
        try:
            return sorted(model.id for model in self._client.models.list(timeout=min(self.settings.timeout, 10.0)))
        except openai.OpenAIError:
            return None

    def _provider_error(self, error: Exception) -> ProviderError:
        detail = self._scrub(getattr(error, "message", None) or str(error))
        if isinstance(getattr(error, "body", None), str) and error.body not in detail:
            detail = f"{detail}: {self._scrub(error.body)}"  # a server whose error is a bare string (LM Studio)
        where = self.where
        if isinstance(error, (openai.AuthenticationError, openai.PermissionDeniedError)):
            variable = self.settings.api_key_env or "OPENAI_API_KEY"
            return ProviderError(f"{where} refused the API key (HTTP {error.status_code}): check {variable} "
                                 "or the keyring entry transkit/openai", kind=ProviderError.AUTH)
        if isinstance(error, openai.RateLimitError):
            code = getattr(error, "code", None) or (getattr(error, "body", None) or {}).get("code") \
                if isinstance(getattr(error, "body", None), dict) else getattr(error, "code", None)
            if code == "insufficient_quota" or "quota" in detail.lower():
                return ProviderError(f"{where}: the account's quota is used up (HTTP 429 insufficient_quota); "
                                     "finished translations were kept", kind=ProviderError.QUOTA)
            return ProviderError(f"{where} is rate-limiting (HTTP 429)", kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.APITimeoutError):
            hint = (": a model on this machine may still be loading, or be slow for this batch; raise [llm] "
                    "timeout or lower [llm] batch_entries" if self.settings.local else "")
            return ProviderError(f"{where} did not answer within {self.settings.timeout:g} s{hint}",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.APIConnectionError):
            return ProviderError(f"cannot reach {where}: {detail} (is the server running?)",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.InternalServerError) or (
                isinstance(error, openai.APIStatusError) and error.status_code >= 500):
            return ProviderError(f"{where} failed (HTTP {error.status_code})", kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.NotFoundError):
            models = self._models()
            if models is None:
                return ProviderError(f"{where} answered HTTP 404 and lists no models: is it an OpenAI-compatible "
                                     "API? [llm] base_url usually ends in /v1 (Ollama: http://localhost:11434/v1)",
                                     kind=ProviderError.INVALID)
            offered = ", ".join(models[:12]) + (f" and {len(models) - 12} more" if len(models) > 12 else "")
            pull = f" (Ollama: `ollama pull {self.model}`)" if "pull" in detail.lower() else ""
            return ProviderError(f"{where} has no model {self.model!r} (HTTP 404){pull}; it offers "
                                 f"{offered or 'none'}: set [llm] model", kind=ProviderError.INVALID)
        if isinstance(error, openai.APIStatusError):
            return ProviderError(f"{where} rejected the request (HTTP {error.status_code}): {detail}",
                                 kind=ProviderError.INVALID)
        return ProviderError(f"{where}: {detail}", kind=ProviderError.INVALID)
