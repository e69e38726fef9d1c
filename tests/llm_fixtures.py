"""pytest fixtures around ``llm_server.FakeLLMServer``; load with ``pytest_plugins = ["llm_fixtures"]``."""

from __future__ import annotations

import pytest

from llm_server import TEST_KEY, FakeLLMServer


@pytest.fixture
def llm_server():
    with FakeLLMServer(valid_keys={TEST_KEY}) as server:
        yield server


@pytest.fixture(params=["openai", "anthropic"])
def api(request) -> str:
    """Run the test once through the real ``openai`` library and once through ``anthropic``."""
    return request.param


@pytest.fixture
def make_llm(llm_server, api):
    """Build providers against the test server with quick retries; closes them afterwards."""
    from transkit.suggest.llm import llm_provider, llm_settings

    providers = []

    def make(*, api_key: str | None = TEST_KEY, max_tokens=None, max_cost=None, provider: str | None = None,
             **settings):
        chosen = provider or api
        settings.setdefault("base_url", llm_server.openai_url if chosen == "openai" else llm_server.anthropic_url)
        settings.setdefault("model", "fake-model")
        made = llm_provider(llm_settings(raw={}, provider=chosen, **settings), api_key=api_key,
                            max_tokens=max_tokens, max_cost=max_cost, retry_backoff=0.01)
        providers.append(made)
        return made

    yield make
    for made in providers:
        made.close()
