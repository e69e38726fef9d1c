"""The DeepL provider, with the real ``deepl`` library against a DeepL-compatible server on 127.0.0.1."""

from __future__ import annotations

import logging
import subprocess
import threading
import time

import pytest

from deepl_server import TEST_KEY, billable_length
from transkit.errors import ProviderError
from transkit.suggest.deepl_provider import DeepLProvider, find_auth_key
from transkit.suggest.masking import mask
from transkit.suggest.mt import (
    TranslationRequest, build_context, deepl_target_code, estimate_characters, formality_for,
    plural_sources,
)
from transkit.catalog.locales import parse_plural_forms, plural_forms_for

pytest_plugins = ["deepl_fixtures"]


def it(text: str, **options) -> TranslationRequest:
    return TranslationRequest(text, "it_IT", **options)


def test_translates_with_placeholders_protected_and_restored(deepl_provider, deepl_server):
    sources = [
        "Hello %s, you have %d new messages",
        '  <a href="%1$s">Read more</a> about {product} &amp; more\n',
        "Send to help@example.org or see https://example.com/faq",
        "If a < b & c > d",
    ]
    outcome = deepl_provider.translate_texts([it(s) for s in sources])
    assert outcome.error is None
    assert [r.text for r in outcome.results] == [
        "HELLO %s, YOU HAVE %d NEW MESSAGES",
        '  <a href="%1$s">READ MORE</a> ABOUT {product} &amp; MORE\n',
        "SEND TO help@example.org OR SEE https://example.com/faq",
        "IF A < B & C > D",
    ]
    (request,) = deepl_server.state.translate_requests(200)
    assert request.body["tag_handling"] == "xml" and request.body["source_lang"] == "EN"
    sent = "\n".join(request.body["text"])
    assert "%s" not in sent and "href" not in sent and "example.org" not in sent and "{product}" not in sent
    assert request.body["text"][3] == "If a &lt; b &amp; c &gt; d"
    # billing is what the server billed: text outside tags only, counted once
    assert outcome.billed_characters == deepl_server.state.characters_billed
    assert outcome.billed_characters == sum(mask(s).billable_characters for s in sources)


def test_strings_with_nothing_to_translate_are_not_sent(deepl_provider, deepl_server):
    outcome = deepl_provider.translate_texts([it("%s: %d"), it("   "), it("%1$s &rarr; %2$s")])
    assert [r.text for r in outcome.results] == ["%s: %d", "   ", "%1$s &rarr; %2$s"]
    assert all(not r.sent and r.billed_characters == 0 for r in outcome.results)
    assert deepl_server.state.translate_requests() == []


def test_identical_texts_are_sent_once_and_billed_once(deepl_provider, deepl_server):
    outcome = deepl_provider.translate_texts([it("Save changes"), it("Delete"), it("Save changes")])
    assert [r.text for r in outcome.results] == ["SAVE CHANGES", "DELETE", "SAVE CHANGES"]
    assert deepl_server.state.texts_translated() == ["Save changes", "Delete"]
    assert [r.billed_characters for r in outcome.results] == [12, 6, 0]
    assert outcome.billed_characters == deepl_server.state.characters_billed == 18


def test_requests_stay_under_50_texts_and_the_body_limit(make_provider, deepl_server):
    provider = make_provider()
    # 130 short texts, then 40 long non-ASCII ones (6 bytes each as JSON escapes): both limits bite
    short = [it(f"Option number {n}") for n in range(130)]
    long = [it(f"Überschrift {n} " + "ä" * 2500) for n in range(40)]
    outcome = provider.translate_texts(short + long)
    assert outcome.error is None and all(r.ok for r in outcome.results)
    requests = deepl_server.state.translate_requests()
    assert all(r.status == 200 for r in requests)
    assert max(len(r.body["text"]) for r in requests) == 50
    assert max(r.size for r in requests) <= 96 * 1024
    assert sum(len(r.body["text"]) for r in requests) == 170
    assert outcome.requests_sent == len(requests) >= 3 + 3


def test_a_text_too_long_for_any_request_is_reported_not_sent(make_provider, deepl_server):
    provider = make_provider(max_body_bytes=2000)
    outcome = provider.translate_texts([it("word " * 1000), it("Short")])
    assert outcome.results[0].text is None and "too long" in outcome.results[0].problem
    assert outcome.results[1].text == "SHORT"
    assert deepl_server.state.texts_translated() == ["Short"]


@pytest.mark.parametrize("damage, source, reason, intact", [
    ("drop", "Hello %s, welcome", "lost", "HELLO %s, WELCOME INTACT"),
    ("duplicate", "Hello %s, welcome", "twice", "HELLO %s, WELCOME INTACT"),
    ("unknown", "Hello {name}, welcome", "unknown placeholder", "HELLO {name}, WELCOME INTACT"),
    ("swap", "Page %s of %s", "changed order", "PAGE %s OF %s INTACT"),
    ("move", "Page %s of %s", "changed order", "PAGE %s OF %s INTACT"),
])
def test_damaged_tokens_are_rejected(deepl_provider, deepl_server, damage, source, reason, intact):
    deepl_server.faults.tag_damage = damage
    deepl_server.faults.damage_match = "damaged"
    outcome = deepl_provider.translate_texts([it(source + " damaged"), it(source + " intact")])
    bad, good = outcome.results
    assert bad.text is None and reason in bad.problem
    assert bad.billed_characters > 0  # DeepL billed it even though it is unusable
    assert good.text == intact


def test_a_moved_named_placeholder_is_accepted(deepl_provider, deepl_server):
    deepl_server.faults.tag_damage = "move"
    (result,) = deepl_provider.translate_texts([it("Hello {name}, welcome")]).results
    assert result.text == "HELLO , WELCOME {name}"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors_are_retried_and_never_double_counted(deepl_provider, deepl_server, status):
    if status == 429:
        deepl_server.faults.fail_429 = 3
    else:
        deepl_server.faults.fail_5xx, deepl_server.faults.status_5xx = 3, status
    texts = ["Save changes", "Delete this form?", "Settings"]
    outcome = deepl_provider.translate_texts([it(t) for t in texts])
    assert outcome.error is None and [r.text for r in outcome.results] == [t.upper() for t in texts]
    assert outcome.retries == 3
    statuses = [r.status for r in deepl_server.state.translate_requests()]
    assert statuses == [status, status, status, 200]
    unique = sum(len(t) for t in texts)
    assert deepl_server.state.characters_received == 4 * unique  # every attempt carried the texts
    assert outcome.billed_characters == deepl_server.state.characters_billed == unique


def test_a_stalled_request_times_out_and_is_retried(make_provider, deepl_server):
    # 2 s, not less: the retry that answers must fit in it on a loaded CI machine
    provider = make_provider(timeout=2.0)
    deepl_server.faults.stall, deepl_server.faults.stall_seconds = 1, 10
    outcome = provider.translate_texts([it("Save")])
    assert outcome.error is None and outcome.results[0].text == "SAVE"
    assert [r.status for r in deepl_server.state.translate_requests()] == [-1, 200]
    assert outcome.billed_characters == deepl_server.state.characters_billed == 4


def test_giving_up_after_retries_is_a_retryable_error_not_an_exception(make_provider, deepl_server):
    provider = make_provider(max_retries=2)
    deepl_server.faults.fail_5xx = 100
    outcome = provider.translate_texts([it("Save")])
    assert outcome.error is not None and outcome.error.kind == ProviderError.RETRYABLE
    assert "3 attempts" in str(outcome.error)
    assert outcome.results == [None] and outcome.pending_indices == [0]
    with pytest.raises(ProviderError):
        outcome.raise_for_error()


def test_quota_exceeded_stops_the_run_and_keeps_finished_batches(make_provider, deepl_server):
    provider = make_provider(concurrency=1, max_texts=10)
    texts = [f"Message number {n:02d}" for n in range(50)]  # 17 characters each, 170 per batch
    deepl_server.faults.quota_characters = 170 * 2 + 100
    seen_batches = []
    outcome = provider.translate_texts([it(t) for t in texts], on_results=seen_batches.append)
    assert outcome.error is not None and outcome.error.kind == ProviderError.QUOTA
    assert "quota" in str(outcome.error).lower() and "kept" in str(outcome.error)
    assert [r.text for r in outcome.completed] == [t.upper() for t in texts[:20]]
    assert outcome.pending_indices == list(range(20, 50))
    assert [len(batch) for batch in seen_batches] == [10, 10]
    assert outcome.billed_characters == deepl_server.state.characters_billed == 340
    # nothing was sent after the 456
    assert [r.status for r in deepl_server.state.translate_requests()] == [200, 200, 456]


def test_quota_with_concurrency_keeps_every_batch_that_finished(make_provider, deepl_server):
    provider = make_provider(concurrency=4, max_texts=5)
    texts = [f"Message number {n:02d}" for n in range(100)]
    deepl_server.faults.quota_characters = 17 * 5 * 7
    outcome = provider.translate_texts([it(t) for t in texts])
    assert outcome.error.kind == ProviderError.QUOTA
    finished = outcome.completed
    assert len(finished) == 35 and all(r.text == r.request.text.upper() for r in finished)
    assert outcome.billed_characters == deepl_server.state.characters_billed


def test_a_bad_key_is_an_auth_error_and_the_key_never_shows(make_provider, deepl_server, caplog):
    caplog.set_level(logging.DEBUG)
    wrong_key = "wrong-secret-key-31337:fx"
    provider = make_provider(auth_key=wrong_key)
    outcome = provider.translate_texts([it("Save")])
    assert outcome.error.kind == ProviderError.AUTH and "403" in str(outcome.error)
    with pytest.raises(ProviderError) as caught:
        provider.usage()
    for text in (str(outcome.error), str(caught.value), repr(provider), caplog.text,
                 repr(outcome), repr(caught.value.__cause__), repr(caught.value.__context__)):
        assert wrong_key not in text
    assert wrong_key not in str(vars(outcome))


def test_key_and_server_come_from_the_environment(monkeypatch, deepl_server, deepl_settings):
    with pytest.raises(ProviderError) as caught:
        DeepLProvider()
    assert caught.value.kind == ProviderError.AUTH and "DEEPL_AUTH_KEY" in str(caught.value)
    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    with DeepLProvider(retry_backoff=0.01) as provider:
        assert provider.translate_texts([it("Save")]).results[0].text == "SAVE"
        assert provider.usage().character_count == 4


def test_key_comes_from_the_os_keyring(monkeypatch, deepl_server, deepl_settings):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        passwords = {("transkit", "deepl"): TEST_KEY}

        def get_password(self, service, username):
            return self.passwords.get((service, username))

        def set_password(self, service, username, password):
            self.passwords[(service, username)] = password

        def delete_password(self, service, username):
            self.passwords.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        assert find_auth_key() == TEST_KEY
        with DeepLProvider(server_url=deepl_server.url) as provider:
            assert provider.translate_texts([it("Save")]).results[0].text == "SAVE"
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("locale, code", [
    ("pt_BR", "PT-BR"), ("pt_PT", "PT-PT"), ("pt", "PT-PT"), ("en_GB", "EN-GB"), ("en_US", "EN-US"),
    ("en_AU", "EN-GB"), ("zh_CN", "ZH-HANS"), ("zh_TW", "ZH-HANT"), ("zh_HK", "ZH-HANT"),
    ("de_DE_formal", "DE"), ("de_CH", "DE"), ("es_MX", "ES-419"), ("es_ES", "ES"), ("nb_NO", "NB"),
    ("it_IT", "IT"), ("ja", "JA"), ("sr_RS@latin", None), ("ga_IE", None), ("cy", None),
])
def test_locales_map_to_deepl_targets(locale, code):
    if code is None:
        with pytest.raises(ProviderError) as caught:
            deepl_target_code(locale)
        assert caught.value.kind == ProviderError.INVALID and locale in str(caught.value)
    else:
        assert deepl_target_code(locale) == code


def test_an_unsupported_locale_fails_before_anything_is_sent(deepl_provider, deepl_server):
    with pytest.raises(ProviderError, match="cannot translate into ga_IE"):
        deepl_provider.translate_texts([it("Save"), TranslationRequest("Save", "ga_IE")])
    assert deepl_server.state.translate_requests() == []


@pytest.mark.parametrize("locale, preference, sent", [
    ("de_DE_formal", None, "more"), ("nl_NL_formal", None, "more"), ("de_DE", None, "prefer_less"),
    ("it_IT", None, None), ("it_IT", "more", "more"), ("sv_SE", "more", "prefer_more"),
    ("en_US", "less", "prefer_less"), ("fi", "prefer_more", "prefer_more"), ("ko_KR", "default", None),
])
def test_formality_per_locale_never_causes_a_400(deepl_provider, deepl_server, locale, preference, sent):
    assert formality_for(locale, preference) == sent
    outcome = deepl_provider.translate_texts([TranslationRequest("Your account", locale, formality=preference)])
    assert outcome.error is None and outcome.results[0].text == "YOUR ACCOUNT"
    (request,) = deepl_server.state.translate_requests()
    assert request.body.get("formality") == sent and request.status == 200


def test_context_is_sent_unbilled_and_splits_requests(deepl_provider, deepl_server):
    menu = build_context(msgctxt="menu item", comment="translators: the verb\nother note",
                         plugin_name="Contact Form 7")
    assert menu == ("User-interface text of the WordPress plugin \u201cContact Form 7\u201d. "
                    "Context: menu item. Note for translators: the verb other note")
    plain = build_context(plugin_name="Contact Form 7")
    outcome = deepl_provider.translate_texts([it("Post", context=menu), it("Post", context=plain), it("Form", context=plain)])
    assert [r.text for r in outcome.results] == ["POST", "POST", "FORM"]
    contexts = sorted((r.body["context"], len(r.body["text"])) for r in deepl_server.state.translate_requests())
    assert contexts == sorted([(menu, 1), (plain, 2)])
    assert deepl_server.state.characters_billed == len("PostPostForm")
    assert build_context() is None


@pytest.mark.parametrize("locale, expected", [
    ("it_IT", ["one", "many"]), ("fr_FR", ["one", "many"]), ("pt_BR", ["one", "many"]),
    ("ja", ["many"]), ("zh_CN", ["many"]),
    # the form holding 1 (also 21, 31... in ru/uk; 101 in sl) is translated from msgid
    ("ru_RU", ["one", "many", "many"]), ("uk", ["one", "many", "many"]),
    ("pl_PL", ["one", "many", "many"]), ("cs_CZ", ["one", "many", "many"]),
    ("sl_SI", ["one", "many", "many", "many"]), ("ar", ["many", "one", "many", "many", "many", "many"]),
])
def test_plural_sources_per_language(locale, expected):
    assert plural_sources("one", "many", plural_forms_for(locale)) == expected


@pytest.mark.parametrize("locale", ["ru_RU", "ja", "fr_FR", "ar"])
def test_plural_entries_fill_every_form_and_msgfmt_accepts_them(tmp_path, deepl_provider, locale):
    from transkit.catalog import load_catalog

    plural_forms = plural_forms_for(locale)
    nplurals, _ = parse_plural_forms(plural_forms)
    po = tmp_path / f"demo-{locale}.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {locale}\\n"\n"Plural-Forms: {plural_forms}\\n"\n\n'
        '#, php-format\nmsgid "%d file deleted."\nmsgid_plural "%d files deleted."\n'
        + "".join(f'msgstr[{n}] ""\n' for n in range(nplurals)),
        encoding="utf-8")
    catalog = load_catalog(po)
    (entry,) = catalog.entries
    sources = plural_sources(entry.msgid, entry.msgid_plural, catalog.plural_forms)
    assert len(sources) == catalog.nplurals
    outcome = deepl_provider.translate_texts([TranslationRequest(s, locale) for s in sources])
    assert outcome.error is None
    entry.msgstr_plural = {n: r.text for n, r in enumerate(outcome.results)}
    entry.fuzzy = True
    catalog.save()
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    written = po.read_text(encoding="utf-8")
    for n, source in enumerate(sources):
        assert f'msgstr[{n}] "{source.upper().replace("%D", "%d")}"' in written
    if catalog.nplurals == 1:
        assert 'msgstr[0] "%d FILES DELETED."' in written


def test_glossary_csv_is_pushed_once_and_used(tmp_path, deepl_provider, deepl_server):
    csv_file = tmp_path / "glossary.csv"
    csv_file.write_text("source,target\nContact Form,Modulo di contatto\nForm,Modulo\n", encoding="utf-8")
    glossary_id = deepl_provider.ensure_glossary(csv_file, "it_IT")
    assert deepl_provider.ensure_glossary(csv_file, "it_IT") == glossary_id
    assert len(deepl_server.state.glossaries) == 1
    stored = deepl_server.state.glossaries[glossary_id]
    assert (stored.source_lang, stored.target_lang) == ("EN", "IT")
    assert stored.entries == {"Contact Form": "Modulo di contatto", "Form": "Modulo"}
    outcome = deepl_provider.translate_texts([it("Edit the Contact Form", glossary_id=glossary_id)])
    assert outcome.results[0].text == "EDIT THE Modulo di contatto"
    csv_file.write_text("Form,Modulo\nBad\n", encoding="utf-8")
    with pytest.raises(ProviderError, match=r"glossary.csv:2: expected"):
        deepl_provider.ensure_glossary(csv_file, "it_IT")


def test_cancel_stops_sending_and_keeps_what_finished(make_provider, deepl_server):
    provider = make_provider(concurrency=1, max_texts=10)
    cancel = threading.Event()
    outcome = provider.translate_texts([it(f"Line {n}") for n in range(40)],
                                       on_results=lambda batch: cancel.set(), cancel=cancel)
    assert outcome.cancelled and outcome.error is None
    assert len(outcome.completed) == 10 and len(outcome.pending_indices) == 30
    assert len(deepl_server.state.translate_requests()) == 1


def test_estimate_matches_what_the_server_bills(deepl_provider, deepl_server):
    sources = ["Hello %s", "<b>Bold</b> &amp; beautiful", "%d", "Café crème"]
    estimate = sum(estimate_characters(s) for s in sources)
    outcome = deepl_provider.translate_texts([it(s) for s in sources])
    assert estimate == outcome.billed_characters == deepl_server.state.characters_billed
    assert billable_length(mask("Café crème").xml, xml=True) == 10


def test_entry_flags_reach_the_masking(deepl_provider, deepl_server):
    outcome = deepl_provider.translate_texts([
        it("Only 100% sure"), it("Only 100% sure", flags=("php-format",))])
    assert [r.text for r in outcome.results] == ["ONLY 100% SURE", "ONLY 100% sURE"]
    assert sorted(deepl_server.state.texts_translated()) == ['Only 100% sure', 'Only 100<x id="1"/>ure']


def test_only_the_provider_module_loads_deepl_and_no_face_library_is_loaded():
    import sys

    code = ("import sys, transkit.suggest.mt, transkit.suggest.masking\n"
            "assert 'deepl' not in sys.modules\n"
            "import transkit.suggest.deepl_provider\n"
            "assert not {'textual', 'click', 'rich'} & set(sys.modules), sorted(sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_caller_that_gives_up_on_a_stalled_request_can_exit_at_once(deepl_server):
    """The TUI quits while DeepL stalls: nothing of the provider may keep the process alive."""
    import subprocess
    import sys

    deepl_server.faults.stall = 1
    deepl_server.faults.stall_seconds = 120  # released when the server stops
    script = (
        "import sys, threading, time\n"
        "from transkit.suggest.deepl_provider import DeepLProvider\n"
        "from transkit.suggest.mt import TranslationRequest\n"
        "provider = DeepLProvider(auth_key=sys.argv[1], server_url=sys.argv[2], timeout=8, max_retries=0)\n"
        "threading.Thread(target=provider.translate_texts, args=([TranslationRequest('Hello', 'it_IT')],),\n"
        "                 daemon=True).start()\n"
        "sys.stdin.read()  # until the test has seen the server hold the request\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, TEST_KEY, deepl_server.url], stdin=subprocess.PIPE)
    deadline = time.monotonic() + 60  # a bound for a broken run, not a speed requirement
    while deepl_server.state.stalled_now == 0 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert deepl_server.state.stalled_now == 1, "the request never reached the server"
    child.stdin.close()  # the caller gives up: the main thread ends, the request still in flight
    assert child.wait(timeout=60) == 0
    # the process is gone while the server still holds its request unanswered
    assert deepl_server.state.stalled_now == 1
