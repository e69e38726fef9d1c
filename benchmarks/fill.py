"""`fill` end to end against the loopback DeepL-compatible server with 200 ms latency per request,
then against the fake LLM server (tests/llm_server.py, OpenAI's chat API) with 500 ms per request.

Fills woocommerce's template (as it_IT, a fresh data folder each time) with DeepL only, once with one
request in flight and once with the provider's concurrency, and prints strings/s and billed
characters / characters of the distinct texts (1.00 means nothing was billed twice). The LLM section
does the same with ``--provider llm`` (sequential = concurrency 1, concurrent = 4), and prints the
tokens the server counted and a rerun's requests (0 means the cache answered everything).

    python benchmarks/fill.py [--latency 0.2] [--limit 1500] [--llm-latency 0.5] [--llm-limit 400]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from deepl_server import TEST_KEY, FakeDeepLServer  # noqa: E402
from transkit.catalog import load_catalog  # noqa: E402
from transkit.suggest.mt import estimate_characters  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"


def make_catalog(folder: Path, limit: int) -> Path:
    template = load_catalog(CORPUS / "wordpress/woocommerce/woocommerce-9.4.0-rc.1.pot")
    for entry in template.entries[limit:]:
        template.remove(entry)
    template.set_header("Language", "it_IT")
    template.set_header("Plural-Forms", "nplurals=2; plural=(n != 1);")
    path = folder / "woocommerce-it_IT.po"
    template.save(path)
    return path


def one_run(folder: Path, limit: int, concurrency: int, latency: float) -> None:
    from transkit.jobs.fill import fill
    from transkit.suggest.deepl_provider import DeepLProvider

    os.environ["TRANSKIT_DATA_DIR"] = str(folder / f"data-{concurrency}")
    po = make_catalog(folder, limit)
    with FakeDeepLServer(valid_keys={TEST_KEY}) as server:
        server.faults.latency = latency
        provider = DeepLProvider(TEST_KEY, server.url, concurrency=concurrency)
        started = time.perf_counter()
        report = [e for e in fill([po], "it_IT", providers=("deepl",), provider=provider,
                                  record_provenance=False)][-1].report
        elapsed = time.perf_counter() - started
        provider.close()
        texts = server.state.texts_translated()
    unique_chars = sum(estimate_characters(t) for t in {e.msgid for e in load_catalog(po).entries}
                       | {e.msgid_plural for e in load_catalog(po).entries if e.msgid_plural})
    print(f"concurrency {concurrency}: {report.from_mt} entries in {elapsed:.1f} s = "
          f"{report.from_mt / elapsed:.0f} strings/s; {len(texts)} texts in "
          f"{len(server.state.translate_requests(200))} requests; billed {report.billed_characters} / "
          f"unique {unique_chars} = {report.billed_characters / unique_chars:.2f}")


def one_llm_run(folder: Path, limit: int, concurrency: int, latency: float) -> float:
    from llm_server import TEST_KEY as LLM_KEY, FakeLLMServer
    from transkit.jobs.fill import fill
    from transkit.suggest.llm import llm_provider, llm_settings

    os.environ["TRANSKIT_DATA_DIR"] = str(folder / f"data-llm-{concurrency}")
    po = make_catalog(folder, limit)
    with FakeLLMServer() as server:
        server.faults.latency = latency
        settings = llm_settings(raw={}, provider="openai", model="fake-model", base_url=server.openai_url,
                                concurrency=concurrency)
        provider = llm_provider(settings, api_key=LLM_KEY)
        started = time.perf_counter()
        report = [e for e in fill([po], "it_IT", providers=("llm",), provider=provider,
                                  record_provenance=False)][-1].report
        elapsed = time.perf_counter() - started
        requests = len(server.state.completions(200))
        tokens_in, tokens_out = server.state.tokens_used
        rerun_po = make_catalog(folder, limit)  # the same strings again: the cache answers
        [e for e in fill([rerun_po], "it_IT", providers=("llm",), provider=provider, record_provenance=False)]
        rerun_requests = len(server.state.completions()) - requests
        provider.close()
    label = "sequential" if concurrency == 1 else f"concurrent ({concurrency})"
    print(f"llm {label}: {report.from_mt} entries in {elapsed:.1f} s = {report.from_mt / elapsed:.0f} "
          f"strings/s; {requests} requests, {tokens_in} input + {tokens_out} output tokens (server's count; "
          f"report {report.input_tokens} + {report.output_tokens}); rerun sent {rerun_requests} requests")
    return report.from_mt / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--limit", type=int, default=1500)
    parser.add_argument("--llm-latency", type=float, default=0.5)
    parser.add_argument("--llm-limit", type=int, default=400)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    try:
        for concurrency in (1, 4):
            one_run(folder, args.limit, concurrency, args.latency)
        sequential = one_llm_run(folder, args.llm_limit, 1, args.llm_latency)
        concurrent = one_llm_run(folder, args.llm_limit, 4, args.llm_latency)
        print(f"llm concurrent / sequential: {concurrent / sequential:.1f}x")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
