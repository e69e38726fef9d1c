"""A server that answers DeepL's endpoints with JSON of the wrong shape: a ProviderError naming the
problem, never an AttributeError/KeyError traceback (the real deepl library parses the answers)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from transkit.errors import ProviderError
from transkit.suggest.deepl_provider import DeepLProvider
from transkit.suggest.mt import TranslationRequest


def serving(answer: bytes):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("answer", [
    {"translations": "x"}, {"translations": [{}]}, {"translations": [None]}, {"translations": [1, 2]},
    {"nothing": []}, [], "x", None,
])
def test_malformed_answers_are_provider_errors(answer):
    server = serving(json.dumps(answer).encode())
    try:
        provider = DeepLProvider("test-key:fx", f"http://127.0.0.1:{server.server_port}", max_retries=0,
                                 retry_backoff=0.01, timeout=5)
        try:
            outcome = provider.translate_texts([TranslationRequest("Save changes", "it_IT")])
        except ProviderError as err:
            assert "test-key" not in str(err)
            return
        # the failure travels in the outcome (a ProviderError) or per text, never as a translation
        assert isinstance(outcome.error, ProviderError) or all(r is not None and r.problem for r in outcome.results)
        assert not [r for r in outcome.results if r is not None and r.text]
    finally:
        server.shutdown()
