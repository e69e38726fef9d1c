"""`transkit status`, `transkit review --approve` and `transkit history`, end to end on real files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.store import CatalogKey, ReviewState, ReviewStore

MSGFMT_COUNT = re.compile(r"(\d+) (translated|fuzzy|untranslated) (?:message|translation)")


def msgfmt_statistics(path) -> dict[str, int] | None:
    result = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return None
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in MSGFMT_COUNT.findall(result.stderr):
        counts[kind] = int(number)
    return counts


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def status_json(path) -> dict:
    result = run("status", str(path), "--json")
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.output)


PO = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: de_DE\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    #: shop.php:3
    msgid "Add to cart"
    msgstr "In den Warenkorb"

    #: shop.php:4
    #, fuzzy
    msgid "Checkout now"
    msgstr "Jetzt zur Kasse"

    #: shop.php:5
    #, fuzzy
    #| msgid "Your order"
    msgid "Your orders"
    msgstr "Deine Bestellung"

    #: shop.php:6
    msgid "Coupon"
    msgstr ""
    ''')


@pytest.fixture
def shop(tmp_path, backend):
    """A plugin folder; the review store on SQLite, then on PostgreSQL (``TRANSKIT_DATABASE_URL``)."""
    folder = tmp_path / "plugins" / "shop" / "languages"
    folder.mkdir(parents=True)
    (folder / "shop-de_DE.po").write_text(PO, encoding="utf-8")
    return tmp_path / "plugins"


@pytest.mark.corpus
def test_status_rebuilt_from_po_matches_msgfmt(corpus_dir, isolated_home):
    root = corpus_dir / "wordpress"
    first = status_json(root)
    assert first["store_was_empty"] and first["rebuilt"] == first["parsed"] > 50
    (isolated_home / "data" / "review.db").unlink()
    for suffix in ("-wal", "-shm"):
        (isolated_home / "data" / f"review.db{suffix}").unlink(missing_ok=True)

    result = run("status", str(root))
    assert "Review database was empty" in result.output and "rebuilt" in result.output
    again = status_json(root)  # served from the rebuilt database
    assert again["parsed"] == 0 and not again["store_was_empty"]
    compared = 0
    for item in again["catalogs"]:
        expected = msgfmt_statistics(item["path"])
        if expected is None or item["error"]:
            continue
        got = {k: item["stats"][k] for k in ("translated", "fuzzy", "untranslated")}
        assert got == expected, item["path"]
        review = item["review"]
        # the store's buckets line up with the file: translated = translated + reviewed, etc.
        assert review["translated"] + review["reviewed"] == expected["translated"], item["path"]
        assert review["fuzzy"] + review["machine"] == expected["fuzzy"], item["path"]
        compared += 1
    assert compared >= 80


def test_second_status_reparses_only_changed_files(shop):
    first = status_json(shop)
    assert first["parsed"] == 1 and first["rebuilt"] == 1
    other = shop / "shop" / "languages" / "shop-fr_FR.po"
    other.write_text(PO.replace("de_DE", "fr_FR"), encoding="utf-8")
    second = status_json(shop)
    assert (second["parsed"], second["cached"], second["rebuilt"]) == (1, 1, 1)
    fr = next(c for c in second["catalogs"] if c["locale"] == "fr_FR")
    de = next(c for c in second["catalogs"] if c["locale"] == "de_DE")
    assert fr["stats"] == de["stats"] and de["stats"]["fuzzy"] == 2
    assert de["review"]["fuzzy"] == 2 and de["review"]["translated"] == 1
    assert status_json(shop)["parsed"] == 0


def test_approve_by_selector_writes_the_po_and_the_store(shop):
    po_path = shop / "shop" / "languages" / "shop-de_DE.po"
    catalog = load_catalog(po_path)
    key = CatalogKey.for_path(po_path)
    with ReviewStore.open() as store:
        store.sync_catalog(catalog, key)
        store.record(key, catalog.find("Checkout now"), ReviewState.SUGGESTED,
                     provider="memory", score=100)
        store.record(key, catalog.find("Your orders"), ReviewState.SUGGESTED,
                     provider="memory", score=82)
    before = po_path.read_bytes()

    dry = run("review", str(shop), "--approve", "provider=memory,score>=100", "--dry-run")
    assert dry.exit_code == 0 and "Would approve 1 entry" in dry.output and "Checkout now" in dry.output
    assert po_path.read_bytes() == before

    done = run("review", str(shop), "--approve", "provider=memory,score>=100")
    assert done.exit_code == 0, done.output
    assert "Approved 1 entry in 1 catalog" in done.output
    after = load_catalog(po_path)
    assert not after.find("Checkout now").fuzzy
    assert after.find("Your orders").fuzzy  # the 82% match waits for a person
    assert msgfmt_statistics(po_path) == {"translated": 2, "fuzzy": 1, "untranslated": 1}
    # only the approved entry's lines changed in the file
    assert po_path.read_text(encoding="utf-8") == PO.replace(
        '#, fuzzy\nmsgid "Checkout now"', 'msgid "Checkout now"')
    with ReviewStore.open() as store:
        state = store.state_of(key, (None, "Checkout now"))
        assert (state.state, state.provider, state.score) == (ReviewState.REVIEWED, "memory", 100)
        assert store.state_of(key, (None, "Your orders")).state is ReviewState.SUGGESTED
    # status shows it without parsing again: approve refreshed the cache
    status = status_json(shop)
    assert status["parsed"] == 0
    assert status["catalogs"][0]["review"]["reviewed"] == 1
    assert status["catalogs"][0]["review"]["machine"] == 1


def test_approve_all_clears_previous_msgid_and_skips_untranslated(shop):
    po_path = shop / "shop" / "languages" / "shop-de_DE.po"
    result = run("review", str(po_path), "--approve", "all")
    assert result.exit_code == 0, result.output
    # "Add to cart" (translated), "Checkout now" and "Your orders" (fuzzy); never the empty "Coupon"
    assert "Approved 3 entries" in result.output
    text = po_path.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "#| msgid" not in text and 'msgid "Coupon"\nmsgstr ""' in text
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0


@pytest.mark.parametrize("selector, message", [
    ("colour=red", "unknown"),
    ("score>=lots", "number"),
    ("state=approved", "state 'approved' is unknown"),
    ("provider>deepl", "can only be compared"),
])
def test_bad_selector_is_one_clear_line(shop, selector, message):
    po_path = shop / "shop" / "languages" / "shop-de_DE.po"
    before = po_path.read_bytes()
    result = CliRunner().invoke(cli, ["review", str(shop), "--approve", selector])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert po_path.read_bytes() == before


def test_template_update_shows_in_status_and_history(shop, tmp_path):
    po_path = shop / "shop" / "languages" / "shop-de_DE.po"
    assert run("review", str(shop), "--approve", "msgid=Add to cart").exit_code == 0
    template = tmp_path / "shop.pot"
    template.write_text(PO.replace('"Language: de_DE\\n"\n', "").replace("Add to cart", "Add to basket"),
                        encoding="utf-8")
    subprocess.run(["msgmerge", "--quiet", "--previous", "--update", "--backup=off",
                    str(po_path), str(template)], check=True)
    result = run("status", str(shop))
    assert "1 entry changed upstream and need review again" in result.output
    history = json.loads(run("history", "shop", "--json").output)
    changes = [(e["msgid"], e["previous_state"], e["state"], e["note"]) for e in history["events"]]
    assert changes[:2] == [("Add to basket", "reviewed", "fuzzy", "source changed"),
                           ("Add to basket", "translated", "reviewed", "approved")]
    assert history["days"][-1]["fuzzy"] == 3 and history["days"][-1]["reviewed"] == 0
    table = run("history", "shop")
    assert table.exit_code == 0 and "source changed" in table.output and "reviewed → fuzzy" in table.output


def test_history_of_an_unknown_plugin_is_a_clear_error(shop):
    run("status", str(shop))
    result = CliRunner().invoke(cli, ["history", "nope"])
    assert result.exit_code != 0
    assert "no review history for 'nope'" in result.stderr and "shop" in result.stderr


def test_status_reports_a_broken_catalog_and_keeps_going(shop):
    broken = shop / "shop" / "languages" / "shop-it_IT.po"
    broken.write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    result = run("status", str(shop))
    assert result.exit_code == 3  # ExitCode.CATALOG, as every other command for an unreadable catalog
    assert "shop-it_IT.po" in result.output and "could not be read" in result.output
    assert "de_DE" in result.output
    as_json = run("status", str(shop), "--json")
    assert as_json.exit_code == 3
    data = json.loads(as_json.output)
    assert any(c["path"].endswith("shop-it_IT.po") and c["error"] for c in data["catalogs"]), data


def test_status_of_a_folder_without_catalogs(tmp_path):
    result = run("status", str(tmp_path))
    assert result.exit_code == 0 and "No PO catalogs" in result.output


def test_status_on_the_installed_command(shop, isolated_home):
    env = {**os.environ, "TRANSKIT_DATA_DIR": str(isolated_home / "data")}
    exe = shutil.which("transkit")
    if exe is None:
        pytest.skip("the transkit command is not installed (pip install -e .)")
    out = subprocess.run([exe, "status", str(shop), "--json"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["catalogs"][0]["stats"]["translated"] == 1


def test_approving_already_translated_entries_leaves_the_file_alone(shop):
    po_path = shop / "shop" / "languages" / "shop-de_DE.po"
    os.utime(po_path, ns=(1_000_000_000, 1_000_000_000))
    result = run("review", str(shop), "--approve", "state=translated")
    assert "Approved 1 entry" in result.output
    assert po_path.read_text(encoding="utf-8") == PO and po_path.stat().st_mtime_ns == 1_000_000_000
    assert status_json(shop)["catalogs"][0]["review"]["reviewed"] == 1


def test_status_gives_a_catalog_first_seen_by_fill_its_discovered_names(tmp_path):
    """Fill and the TUI key a catalog by its file name alone; status names it after the plugin
    folder discovery finds, so `transkit history <slug>` finds what fill recorded."""
    plugin = tmp_path / "wp" / "shop-deluxe"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "shop-deluxe.php").write_text("<?php\n/*\n * Plugin Name: Shop Deluxe\n"
                                            " * Text Domain: shopdx\n */\n", encoding="utf-8")
    po_path = plugin / "languages" / "shopdx-de_DE.po"
    po_path.write_text(PO, encoding="utf-8")
    catalog = load_catalog(po_path)
    with ReviewStore.open() as store:
        store.record(CatalogKey.for_catalog(catalog), catalog.find("Checkout now"),
                     ReviewState.SUGGESTED, provider="deepl")
        assert store.catalogs()[0].project == "shopdx"
    status = status_json(tmp_path / "wp")
    assert status["catalogs"][0]["project"] == "shop-deluxe"
    history = json.loads(run("history", "shop-deluxe", "--json").output)
    assert history["events"][0]["provider"] == "deepl"
    assert json.loads(run("history", "shopdx", "--json").output)["project"] == "shop-deluxe"


def test_folder_status_reports_progress_and_honours_cancel(shop):
    import threading

    from transkit.jobs.status import folder_status

    (shop / "shop" / "languages" / "shop-fr_FR.po").write_text(PO.replace("de_DE", "fr_FR"),
                                                               encoding="utf-8")
    seen = []
    cancel = threading.Event()

    def on_progress(done, total, path):
        seen.append((done, total, path.name))
        cancel.set()  # stop after the first catalog

    result = folder_status(shop, on_progress=on_progress, cancel=cancel)
    assert result.cancelled and len(result.catalogs) == 1
    assert seen == [(1, 2, "shop-de_DE.po")]
    assert not folder_status(shop).cancelled
