"""What `transkit fill` prints, at an 80-column terminal, as a person reads it (QA of the CLI): the
provider line says what was written and from where once, the cost is never made up when no prices
are configured, and the catalogs the memory could not learn from are named like every other file.
The real `transkit` command against the fake DeepL and LLM servers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deepl_server import TEST_KEY as DEEPL_KEY
from llm_server import TEST_KEY as LLM_KEY
from narrow_terminal import assert_fits, transkit_at_80
from plugin_helpers import break_gallery_catalog

pytest_plugins = ["deepl_fixtures", "llm_fixtures"]

BODY = '''msgid ""
msgstr ""
"Language: {locale}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Save the form"
msgstr ""

msgid "Open the gallery settings"
msgstr ""

#, php-format
msgid "%d image"
msgid_plural "%d images"
msgstr[0] ""
msgstr[1] ""
'''


def write_po(path: Path, locale: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BODY.format(locale=locale), encoding="utf-8")
    return path


def llm_env(isolated_home, llm_server, prices: str = "") -> dict:
    config = isolated_home / "config.toml"
    config.write_text(f'[llm]\nprovider = "openai"\nmodel = "fake-model"\nbase_url = "{llm_server.openai_url}"\n'
                      f"{prices}", encoding="utf-8")
    return {**os.environ, "OPENAI_API_KEY": LLM_KEY, "TRANSKIT_CONFIG": str(config)}


def test_the_deepl_line_names_the_provider_once(tmp_path, deepl_server):
    env = {**os.environ, "DEEPL_AUTH_KEY": DEEPL_KEY, "DEEPL_SERVER_URL": deepl_server.url}
    first = write_po(tmp_path / "one" / "gallery-de_DE.po", "de_DE")
    done = transkit_at_80("fill", first, "--locale", "de_DE", env=env)
    texts = len(deepl_server.state.texts_translated())
    assert texts == 4  # two entries and a plural's two forms
    billed = json.loads(transkit_at_80("fill", first, "--locale", "de_DE", "--json", env=env).stdout)
    assert billed["by_provider"] == {} and billed["from_mt"] == 0  # nothing left: nothing written again
    line = next(line for line in done.stdout.splitlines() if line.startswith("deepl:"))
    assert line.startswith("deepl: 3 written (0 from the cache), 4 texts sent, ") and line.endswith(" characters billed")
    assert "(deepl" not in done.stdout  # the one provider is not named a second time
    assert_fits(done.stdout + done.stderr, "deepl: 3 written (0 from the cache)")

    # the same strings in a second catalog: the cache answers, and the line says so
    second = write_po(tmp_path / "two" / "gallery-de_DE.po", "de_DE")
    again = transkit_at_80("fill", second, "--locale", "de_DE", env=env)
    assert "deepl: 3 written (3 from the cache), 0 texts sent, 0 characters billed" in again.stdout
    report = json.loads(transkit_at_80("fill", write_po(tmp_path / "three" / "gallery-de_DE.po", "de_DE"),
                                       "--locale", "de_DE", "--json", env=env).stdout)
    assert (report["by_provider"], report["from_mt"], report["from_cache"]) == ({"deepl": 3}, 3, 3)


def test_with_two_machine_providers_the_line_splits_what_each_wrote(tmp_path, isolated_home, deepl_server,
                                                                     deepl_settings, llm_server):
    env = {**llm_env(isolated_home, llm_server), "DEEPL_AUTH_KEY": DEEPL_KEY, "DEEPL_SERVER_URL": deepl_server.url}
    catalan = write_po(tmp_path / "gallery-ca.po", "ca")  # DeepL has no Catalan: the LLM writes it
    done = transkit_at_80("fill", catalan, "--locale", "ca", "--provider", "tm,deepl,llm", env=env)
    assert "deepl, llm: 3 written (llm 3; 0 from the cache), " in done.stdout, done.stdout
    assert json.loads(transkit_at_80("fill", write_po(tmp_path / "b" / "gallery-ca.po", "ca"), "--locale", "ca",
                                     "--provider", "tm,deepl,llm", "--json", env=env).stdout)["by_provider"] == {"llm": 3}
    assert_fits(done.stdout + done.stderr)


def test_no_prices_configured_is_said_with_how_to_set_them_never_as_0_dollars(tmp_path, isolated_home, llm_server):
    env = llm_env(isolated_home, llm_server)
    po = write_po(tmp_path / "gallery-it_IT.po", "it_IT")
    done = transkit_at_80("fill", po, "--locale", "it_IT", "--provider", "llm", env=env)
    shown = done.stdout + done.stderr
    assert "$" not in shown and "at the configured prices" not in shown
    flat = " ".join(done.stdout.split())
    tokens_in, tokens_out = llm_server.state.tokens_used
    assert (f"tokens: {tokens_in} input + {tokens_out} output tokens as the API reported; no prices configured "
            "for a cost estimate: set [llm] input_price and output_price (US dollars per million tokens) in the "
            "config file") in flat
    assert "llm: 3 written (0 from the cache), 4 texts sent" in done.stdout
    assert_fits(shown, "input_price", "output_price", "llm: 3 written (0 from the cache)")
    report = json.loads(transkit_at_80("fill", write_po(tmp_path / "b" / "gallery-it_IT.po", "it_IT"), "--locale",
                                       "it_IT", "--provider", "llm", "--json", env=env).stdout)
    assert report["cost"] is None and report["total"]["cost"] is None  # --json does not say 0.0 either
    # a dry run says the same instead of "(about $0.00)"
    dry = transkit_at_80("fill", write_po(tmp_path / "c" / "gallery-it_IT.po", "it_IT"), "--locale", "it_IT",
                         "--provider", "llm", "--dry-run", "--fuzzy", env=env)
    assert "$" not in dry.stdout and "no prices configured for a cost estimate" in " ".join(dry.stdout.split())
    assert_fits(dry.stdout + dry.stderr, "input_price")


def test_with_prices_the_estimate_is_printed(tmp_path, isolated_home, llm_server):
    env = llm_env(isolated_home, llm_server, "input_price = 300.0\noutput_price = 1500.0\n")
    po = write_po(tmp_path / "gallery-it_IT.po", "it_IT")
    done = transkit_at_80("fill", po, "--locale", "it_IT", "--provider", "llm", env=env)
    tokens_in, tokens_out = llm_server.state.tokens_used
    cost = (tokens_in * 300.0 + tokens_out * 1500.0) / 1_000_000
    assert cost >= 0.01
    assert f"; about ${cost:.2f} at the configured prices" in " ".join(done.stdout.split())
    assert "no prices configured" not in done.stdout
    assert_fits(done.stdout + done.stderr, f"${cost:.2f}")
    cheap = llm_env(isolated_home, llm_server, "input_price = 0.15\noutput_price = 0.6\n")
    small = transkit_at_80("fill", write_po(tmp_path / "b" / "gallery-fr_FR.po", "fr_FR"), "--locale", "fr_FR",
                           "--provider", "llm", env=cheap)
    assert "; under $0.01 at the configured prices" in " ".join(small.stdout.split())  # not "$0.00"


def test_catalogs_the_memory_could_not_learn_from_are_listed_like_other_files(sample_po):
    """A broken PO and a broken .mo next to the catalog filled: each named relative to the folder
    the user is in, one item per catalog, a folded item's lines indented under it, all in 80 columns."""
    languages = sample_po / "tiny-gallery" / "languages"
    broken_po, line = break_gallery_catalog(sample_po)
    (languages / "tiny-gallery-fr_FR.mo").write_bytes(b"\xde\x12\x04\x95not a catalog")
    done = transkit_at_80("fill", "tiny-gallery", "--locale", "it_IT", "--provider", "tm", cwd=sample_po)
    shown = done.stderr.splitlines()
    items = [number for number, text in enumerate(shown) if text.startswith("memory: not learned from ")]
    assert len(items) == 2, done.stderr
    assert shown[items[0]].startswith(f"memory: not learned from {Path('tiny-gallery/languages/tiny-gallery-de_DE.po')}:"
                                      f"{line}:")
    assert str(sample_po) not in done.stderr  # relative to the current folder, as scan and status name files
    # an item's folded lines are indented under it; nothing else is
    for number in range(items[0] + 1, items[-1] + 1):
        assert number in items or shown[number].startswith("  "), shown
    flat = " ".join(done.stderr.split())
    assert "expected a quoted string, found '\"Chiudi'" in flat and "fr_FR.mo: not a valid .mo file" in flat
    assert_fits(done.stderr + done.stdout, "tiny-gallery-de_DE.po", "tiny-gallery-fr_FR.mo")
