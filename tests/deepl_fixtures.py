"""pytest fixtures around ``deepl_server.FakeDeepLServer``; load with ``pytest_plugins = ["deepl_fixtures"]``."""

from __future__ import annotations

import deepl
import pytest

from deepl_server import TEST_KEY, FakeDeepLServer


@pytest.fixture
def deepl_server():
    with FakeDeepLServer(valid_keys={TEST_KEY}) as server:
        yield server


@pytest.fixture
def deepl_settings(monkeypatch):
    """The provider sets the deepl library's process-wide HTTP settings; put them back afterwards."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", deepl.http_client.max_network_retries)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", deepl.http_client.min_connection_timeout)


@pytest.fixture
def make_provider(deepl_server, deepl_settings):
    """Build providers against the test server, with quick retries; closes them afterwards."""
    from transkit.suggest.deepl_provider import DeepLProvider

    providers = []

    def make(**options):
        options.setdefault("auth_key", TEST_KEY)
        options.setdefault("server_url", deepl_server.url)
        options.setdefault("retry_backoff", 0.01)
        provider = DeepLProvider(**options)
        providers.append(provider)
        return provider

    yield make
    for provider in providers:
        provider.close()


@pytest.fixture
def deepl_provider(make_provider):
    return make_provider()
