"""DeepL provider throughput against the local DeepL-compatible server with 200 ms latency.

Compares, in one run: one text per request (the naive baseline), batched requests sent
sequentially (concurrency 1), and batched requests from the provider's thread pool (concurrency 4).
Also prints billed characters / unique characters (goal 1.00: duplicates and retries cost nothing).

    python benchmarks/deepl_throughput.py [--strings 1000] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

from deepl_server import TEST_KEY, FakeDeepLServer  # noqa: E402

from transkit.suggest.deepl_provider import DeepLProvider  # noqa: E402
from transkit.suggest.masking import mask  # noqa: E402
from transkit.suggest.mt import TranslationRequest  # noqa: E402

CORPUS_TEMPLATE = CORPUS / "wordpress" / "contact-form-7" / "contact-form-7.pot"


def source_strings(count: int) -> list[str]:
    """Real msgids when the corpus is there (repeated with a number to reach ``count``)."""
    base: list[str] = []
    if CORPUS_TEMPLATE.is_file():
        from transkit.catalog import load_catalog

        base = [e.msgid for e in load_catalog(CORPUS_TEMPLATE).entries if mask(e.msgid).needs_translation]
    if not base:
        base = [f"Save the changes to form %s, number {n}" for n in range(100)]
    strings = []
    for n in range(count):
        text = base[n % len(base)]
        strings.append(text if n < len(base) else f"{text} ({n // len(base)})")
    return strings


def run(server: FakeDeepLServer, requests: list[TranslationRequest], **options) -> tuple[float, int]:
    before = server.state.characters_billed
    with DeepLProvider(TEST_KEY, server.url, **options) as provider:
        started = time.perf_counter()
        outcome = provider.translate_texts(requests)
        elapsed = time.perf_counter() - started
    assert outcome.error is None and all(r.ok for r in outcome.results), outcome.error
    assert outcome.billed_characters == server.state.characters_billed - before
    return elapsed, outcome.billed_characters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strings", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--naive-sample", type=int, default=40, help="strings timed one per request")
    args = parser.parse_args()

    strings = source_strings(args.strings)
    # a fill run sees duplicates: send every string twice and expect to pay once
    requests = [TranslationRequest(s, "it_IT") for s in strings + strings]
    unique_characters = sum(mask(s).billable_characters for s in set(strings))
    print(f"{len(strings)} unique strings (x2 with duplicates), {unique_characters} billable characters, "
          f"server latency {args.latency * 1000:.0f} ms per request")

    with FakeDeepLServer() as server:
        server.faults.latency = args.latency
        sample = requests[: args.naive_sample]
        naive_time, _ = run(server, sample, concurrency=1, max_texts=1)
        naive_rate = len(sample) / naive_time
        print(f"  one text per request, sequential : {naive_rate:8.1f} strings/s  ({len(sample)} strings in {naive_time:.2f}s)")

        sequential_time, billed_seq = run(server, requests, concurrency=1)
        sequential_rate = len(requests) / sequential_time
        print(f"  batched (<=50), concurrency 1    : {sequential_rate:8.1f} strings/s  ({sequential_time:.2f}s)"
              f"  x{sequential_rate / naive_rate:.1f} vs one-per-request")

        concurrent_time, billed_conc = run(server, requests, concurrency=4)
        concurrent_rate = len(requests) / concurrent_time
        print(f"  batched (<=50), concurrency 4    : {concurrent_rate:8.1f} strings/s  ({concurrent_time:.2f}s)"
              f"  x{concurrent_rate / sequential_rate:.1f} vs concurrency 1")

        server.faults.fail_429 = 3
        retry_time, billed_retry = run(server, requests, concurrency=4, retry_backoff=0.05)
        print(f"  concurrency 4 with 3 x 429       : {len(requests) / retry_time:8.1f} strings/s  ({retry_time:.2f}s)")

    for label, billed in (("sequential", billed_seq), ("concurrent", billed_conc), ("with 429s", billed_retry)):
        print(f"  billed / unique characters ({label}): {billed / unique_characters:.2f}")


if __name__ == "__main__":
    main()
