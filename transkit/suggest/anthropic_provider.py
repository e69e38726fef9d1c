"""LLM suggestions through Anthropic's Messages API: the only module that imports ``anthropic``.

The answer's JSON shape is enforced the way Anthropic's API offers it: a single tool whose input
schema is the answer, and ``tool_choice`` forcing the model to call it; a text answer (a model that
writes the JSON as prose) is validated the same way. The prompt, batching, retries and validation
live in ``transkit.suggest.llm``. The library's own retries are off; the key never appears in a
message or ``repr``.
"""

from __future__ import annotations

import json

import anthropic

from transkit import __version__
from transkit.errors import ProviderError
from transkit.suggest.llm import ANSWER_SCHEMA, Completion, LLMProvider, LLMSettings

__all__ = ["AnthropicProvider"]

TOOL_NAME = "submit_translations"


class AnthropicProvider(LLMProvider):
    api = "anthropic"
    library_errors = (anthropic.AnthropicError,)

    def __init__(self, settings: LLMSettings, **options):
        super().__init__(settings, **options)
        try:
            self._client = anthropic.Anthropic(api_key=self._key, base_url=settings.base_url or None,
                                               timeout=settings.timeout, max_retries=0,
                                               default_headers={"User-Agent": f"transkit/{__version__}"})
        except anthropic.AnthropicError as error:
            raise ProviderError(self._scrub(f"cannot set up the Anthropic client: {error}"),
                                kind=ProviderError.INVALID) from None

    def _complete(self, system: str, user: str, max_output_tokens: int, timeout: float) -> Completion:
        message = self._client.messages.create(
            model=self.model, max_tokens=max_output_tokens, system=system, timeout=timeout,
            messages=[{"role": "user", "content": user}],
            tools=[{"name": TOOL_NAME, "description": "Submit the translations of every entry.",
                    "input_schema": ANSWER_SCHEMA}],
            tool_choice={"type": "tool", "name": TOOL_NAME})
        text = ""
        for block in message.content:
            if block.type == "tool_use" and block.name == TOOL_NAME:
                text = json.dumps(block.input, ensure_ascii=False)
                break
            if block.type == "text":
                text += block.text
        usage = message.usage
        return Completion(text, int(usage.input_tokens or 0), int(usage.output_tokens or 0),
                          truncated=message.stop_reason == "max_tokens")

    def _provider_error(self, error: Exception) -> ProviderError:
        detail = self._scrub(getattr(error, "message", None) or str(error))
        where = self.where
        status = getattr(error, "status_code", None)
        if isinstance(error, (anthropic.AuthenticationError, anthropic.PermissionDeniedError)):
            variable = self.settings.api_key_env or "ANTHROPIC_API_KEY"
            return ProviderError(f"{where} refused the API key (HTTP {status}): check {variable} or the "
                                 "keyring entry transkit/anthropic", kind=ProviderError.AUTH)
        if status == 402 or "credit balance" in detail.lower() or "spend limit" in detail.lower():
            return ProviderError(f"{where}: the account's credit is used up (HTTP {status}); finished "
                                 "translations were kept", kind=ProviderError.QUOTA)
        if isinstance(error, anthropic.RateLimitError):
            return ProviderError(f"{where} is rate-limiting (HTTP 429)", kind=ProviderError.RETRYABLE)
        if isinstance(error, anthropic.APITimeoutError):
            return ProviderError(f"{where} did not answer within {self.settings.timeout:g} s",
                                 kind=ProviderError.RETRYABLE)
        if isinstance(error, anthropic.APIConnectionError):
            return ProviderError(f"cannot reach {where}: {detail}", kind=ProviderError.RETRYABLE)
        if isinstance(error, anthropic.APIStatusError) and status is not None and status >= 500:
            return ProviderError(f"{where} failed or is overloaded (HTTP {status})", kind=ProviderError.RETRYABLE)
        if isinstance(error, anthropic.NotFoundError):
            return ProviderError(f"{where} has no model {self.model!r} (HTTP 404): set [llm] model",
                                 kind=ProviderError.INVALID)
        if isinstance(error, anthropic.APIStatusError):
            return ProviderError(f"{where} rejected the request (HTTP {status}): {detail}",
                                 kind=ProviderError.INVALID)
        return ProviderError(f"{where}: {detail}", kind=ProviderError.INVALID)
