"""What fill asks the provider for, read off the requests the DeepL-compatible server received, and how
a run ends when the provider gives out: the whole translators' comment as context, the plural
sources per language, retry exhaustion and a silent server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from deepl_server import TEST_KEY
from transkit.catalog import load_catalog
from transkit.catalog.locales import plural_forms_for
from transkit.errors import ExitCode
from transkit.jobs.fill import FillOptions, fill

pytest_plugins = ["deepl_fixtures"]


def write_po(path: Path, locale: str, body: str) -> Path:
    path.write_text('msgid ""\nmsgstr ""\n'
                    f'"Language: {locale}\\n"\n"Plural-Forms: {plural_forms_for(locale)}\\n"\n'
                    '"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    return path


def run(paths, options: FillOptions, provider):
    events = list(fill(paths, options, provider=provider))
    assert events[-1].kind == "done"
    return events


def test_the_whole_translators_comment_reaches_the_context(tmp_path, deepl_provider, deepl_server):
    po = write_po(tmp_path / "demo-it_IT.po", "it_IT",
                  '#. translators: 1: the name of the user; 2: the name of the site.\n'
                  '#. Both placeholders must stay as written, they are replaced at run time.\n'
                  '#, php-format\n'
                  'msgid "Welcome %1$s to %2$s"\nmsgstr ""\n\n'
                  '#. Translators: the button that sends the form\n'
                  'msgctxt "button"\nmsgid "Send"\nmsgstr ""\n')
    run([po], FillOptions("it_IT", ("deepl",)), deepl_provider)
    contexts = {text: request.body.get("context") for request in deepl_server.state.translate_requests(200)
                for text in request.body["text"]}
    welcome = next(context for text, context in contexts.items() if text.startswith("Welcome"))
    assert "the name of the user; 2: the name of the site." in welcome
    assert "Both placeholders must stay as written, they are replaced at run time." in welcome
    assert "the button that sends the form" in contexts["Send"] and "button" in contexts["Send"]
    assert load_catalog(po).find("Send", "button").msgstr == "SEND"


PLURAL_BODY = '#, php-format\nmsgid "%d file deleted"\nmsgid_plural "%d files deleted"\n'


def test_plural_forms_come_from_the_source_that_covers_their_numbers(tmp_path, deepl_provider, deepl_server):
    """The form holding n=1 (ru/uk: 1, 21, 31...; ar: msgstr[1]) is translated from msgid, the others
    from msgid_plural; ja's only form from msgid_plural. The fake server upper-cases its input, so
    each form shows which source it was made from."""
    one, many = "%d FILE DELETED", "%d FILES DELETED"
    expected = {"ru_RU": [one, many, many], "uk": [one, many, many], "ja": [many],
                "ar": [many, one, many, many, many, many]}
    for locale, forms in expected.items():
        nplurals = len(forms)
        po = write_po(tmp_path / f"demo-{locale}.po", locale,
                      PLURAL_BODY + "".join(f'msgstr[{n}] ""\n' for n in range(nplurals)))
        events = run([po], FillOptions(locale, ("deepl",)), deepl_provider)
        assert events[-1].report.from_mt == 1, (locale, events[-1].report.skipped)
        entry = load_catalog(po).find("%d file deleted")
        assert entry.translations == forms, locale
        assert entry.fuzzy
    sent = deepl_server.state.texts_translated()
    assert {text for text in sent if "file" in text} <= {'<x id="1"/> file deleted', '<x id="1"/> files deleted'}


def many_strings(count: int) -> str:
    return "".join(f'msgid "Message number {n} about the form"\nmsgstr ""\n\n' for n in range(count))


def test_exhausted_retries_stop_the_run_once_and_a_rerun_pays_only_for_the_rest(
        tmp_path, make_provider, deepl_server, monkeypatch):
    from transkit.cli.main import cli
    from transkit.jobs.fill import MT_PROVIDERS

    po = write_po(tmp_path / "big-it_IT.po", "it_IT", many_strings(130))
    quick = make_provider(concurrency=1, max_retries=2)  # 3 attempts per request
    monkeypatch.setitem(MT_PROVIDERS, "deepl", replace(MT_PROVIDERS["deepl"], create=lambda options=None: quick))
    monkeypatch.setattr(quick, "close", lambda: None)  # reused by the rerun below
    deepl_server.faults.healthy, deepl_server.faults.fail_429 = 1, 10_000  # one batch, then 429 for ever
    result = CliRunner().invoke(cli, ["fill", str(po), "--locale", "it_IT", "--provider", "deepl"])
    assert result.exit_code == ExitCode.PROVIDER, result.output
    assert result.output.count("did not answer after 3 attempts") == 1, result.output
    assert "Traceback" not in result.output and TEST_KEY not in result.output
    assert "80 entries not filled: run the same command again to continue" in result.output
    # the first batch of 50 was kept; the second was tried 3 times; no third batch was started
    statuses = [r.status for r in deepl_server.state.translate_requests()]
    assert statuses == [200, 429, 429, 429]
    kept = {e.msgid for e in load_catalog(po).entries if e.msgstr}
    assert len(kept) == 50 and all(e.fuzzy for e in load_catalog(po).entries if e.msgstr)

    paid_before = set(deepl_server.state.texts_translated())
    deepl_server.faults.fail_429 = 0
    result = CliRunner().invoke(cli, ["fill", str(po), "--locale", "it_IT", "--provider", "deepl"])
    assert result.exit_code == 0, result.output
    paid_after = deepl_server.state.texts_translated()[len(paid_before):]
    assert len(paid_after) == 80 and not set(paid_after) & paid_before
    assert all(e.msgstr for e in load_catalog(po).entries)


def test_a_silent_server_is_reported_after_the_first_attempt_with_progress_meanwhile(
        tmp_path, make_provider, deepl_server):
    po = write_po(tmp_path / "demo-it_IT.po", "it_IT", many_strings(3))
    deepl_server.faults.stall, deepl_server.faults.stall_seconds = 1, 120  # the first request is never answered
    provider = make_provider(timeout=3, max_retries=1)
    events = run([po], FillOptions("it_IT", ("deepl",)), provider)
    kinds = [(e.kind, e.message) for e in events]
    notice = next(i for i, (kind, message) in enumerate(kinds) if kind == "notice")
    assert kinds[notice][1] == "DeepL did not answer within 3 s (attempt 1 of 2); trying again"
    assert any(kind == "progress" and "waiting for DeepL" in message for kind, message in kinds[:notice])
    assert events[-1].report.from_mt == 3 and events[-1].report.stopped is None
    assert all(e.msgstr == e.msgid.upper() for e in load_catalog(po).entries)
