"""LLM suggestions through any OpenAI-compatible chat API: the only module that imports ``openai``.

``base_url`` picks the server: none for OpenAI itself, ``http://localhost:11434/v1`` for Ollama,
``http://localhost:8080/v1`` for llama.cpp's ``llama-server``, vLLM's or LM Studio's address, or
``https://openrouter.ai/api/v1``. The prompt, batching, retries and the answer's validation live in
``transkit.suggest.llm``; here is only how to send one chat request and how this library's errors
read. The library's own retries are off (ours count every attempt), and the key never appears in a
message or ``repr``.
"""

from __future__ import annotations

import openai

from transkit import __version__
from transkit.errors import ProviderError
from transkit.suggest.llm import ANSWER_SCHEMA, Completion, LLMProvider, LLMSettings

__all__ = ["OpenAIProvider"]


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

    def _complete(self, system: str, user: str, max_output_tokens: int, timeout: float) -> Completion:
        options: dict = {}
        mode = self.settings.json_mode
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
        if not response.choices:
            return Completion("", *self._usage(response))
        choice = response.choices[0]
        text = choice.message.content or ""
        if not text and getattr(choice.message, "refusal", None):
            text = ""  # a refusal is not an answer: validation reports it as not JSON
        return Completion(text, *self._usage(response), truncated=choice.finish_reason == "length")

    @staticmethod
    def _usage(response) -> tuple[int, int]:
        usage = getattr(response, "usage", None)
        if usage is None:  # some local servers report none
            return 0, 0
        return int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)

    def _provider_error(self, error: Exception) -> ProviderError:
        detail = self._scrub(getattr(error, "message", None) or str(error))
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
            return ProviderError(f"{where} did not answer within {self.settings.timeout:g} s",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.APIConnectionError):
            return ProviderError(f"cannot reach {where}: {detail} (is the server running?)",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.InternalServerError) or (
                isinstance(error, openai.APIStatusError) and error.status_code >= 500):
            return ProviderError(f"{where} failed (HTTP {error.status_code})", kind=ProviderError.RETRYABLE)
        if isinstance(error, openai.NotFoundError):
            return ProviderError(f"{where} has no model {self.model!r} (HTTP 404): set [llm] model",
                                 kind=ProviderError.INVALID)
        if isinstance(error, openai.APIStatusError):
            return ProviderError(f"{where} rejected the request (HTTP {error.status_code}): {detail}",
                                 kind=ProviderError.INVALID)
        return ProviderError(f"{where}: {detail}", kind=ProviderError.INVALID)
