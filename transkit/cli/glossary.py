"""``transkit glossary import|list|add|remove|suggest|export``: the locale glossaries in the store."""

from __future__ import annotations

import json
from pathlib import Path

import click

from transkit.checks.glossary import terms_counted
from transkit.cli.common import console, err_console, escape, locale_option, print_folded, run_guarded


def _locale(ctx, param, value):
    locale = locale_option(ctx, param, value)
    if locale is None:
        raise click.BadParameter("a locale is required (e.g. de_DE)")
    return locale


LOCALE = click.argument("locale", callback=_locale)


@click.group("glossary")
def glossary_group() -> None:
    """The locale's glossary: the agreed translation of its terms, checked by `check`, the TUI and
    export, and given to DeepL (as a DeepL glossary) and LLMs by `fill`."""


@glossary_group.command("import")
@LOCALE
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["glotpress", "csv", "tbx", "list"]), default=None,
              help="Default: guessed (translate.wordpress.org's glossary export is 'glotpress').")
@click.option("--replace", is_flag=True, help="Remove the locale's terms first.")
@click.option("--json", "as_json", is_flag=True)
@run_guarded
def import_command(locale, file, file_format, replace, as_json):
    """Import a glossary file: translate.wordpress.org's export (en,<locale>,pos,description), a
    plain CSV (term,translation[,pos,comment]), TBX, or a list (term<TAB>translation, a lone term
    stays untranslated)."""
    from transkit.jobs.glossary import import_glossary
    from transkit.store.glossary import GlossaryStore

    with GlossaryStore.open() as store:
        result = import_glossary(store, locale, file, file_format, replace)
        total = len(store.terms(locale))
    written = result.written
    if as_json:
        click.echo(json.dumps({"file": str(file), "format": result.format, "locale": locale,
                               "added": written.added, "updated": written.updated,
                               "unchanged": written.unchanged, "removed": result.removed, "terms": total,
                               "skipped": [{"line": line, "reason": why} for line, why in result.skipped]},
                              ensure_ascii=False, indent=2))
        return
    for line, why in result.skipped:
        err_console.print(f"[yellow]skipped[/] {escape(str(file))}:{line}: {escape(why)}")
    console.print(f"{escape(str(file))} ({result.format}): {written.added} added, {written.updated} updated, "
                  f"{written.unchanged} unchanged"
                  + (f", {len(result.skipped)} skipped" if result.skipped else "")
                  + (f", {result.removed} removed first" if replace else "")
                  + f"; {locale} has {terms_counted(total)}")


@glossary_group.command("list")
@LOCALE
@click.option("--json", "as_json", is_flag=True)
@run_guarded
def list_command(locale, as_json):
    """List the locale's terms."""
    from transkit.store.glossary import GlossaryStore

    with GlossaryStore.open() as store:
        terms = store.terms(locale)
        others = {k: v for k, v in store.locales().items() if k != locale}
        serving = store.glossary_for(locale)
    # the terms of the locales it falls back to (de_DE's for de_DE_formal) apply too, its own first
    inherited = [(name, count) for name, count in (serving.sources if serving else []) if name != locale]
    if as_json:
        click.echo(json.dumps({"locale": locale, "terms": [t.as_dict() for t in terms],
                               "inherited": [{"locale": name, "terms": n} for name, n in inherited]},
                              ensure_ascii=False, indent=2))
        return
    if inherited:
        err_console.print(f"{locale} also uses " + ", ".join(f"{name}'s {terms_counted(n)}" for name, n in inherited)
                          + (" (its own terms win)" if terms else "") + f"; `transkit glossary list {inherited[0][0]}`")
    if not terms and inherited:
        return
    if not terms:
        hint = f" (glossaries: {', '.join(f'{k} ({v})' for k, v in others.items())})" if others else ""
        err_console.print(f"{locale} has no glossary terms{hint}; add some with `transkit glossary import "
                          f"{locale} FILE`, `add` or `suggest`")
        return
    for term in terms:
        translation = "(keep as is)" if term.keep else term.translation
        extra = "".join(f"  [dim]{escape(x)}[/]" for x in (term.part_of_speech, term.comment) if x)
        console.print(f"{escape(term.source)} → {escape(translation)}{extra}")
    err_console.print(terms_counted(len(terms)))


@glossary_group.command("add")
@LOCALE
@click.argument("term")
@click.argument("translation", required=False, default="")
@click.option("--pos", "part_of_speech", default="", help="Part of speech (noun, verb, …).")
@click.option("--comment", default="")
@run_guarded
def add_command(locale, term, translation, part_of_speech, comment):
    """Add or change a term; without TRANSLATION the term stays as it is (a brand name)."""
    from transkit.checks.glossary import PARTS_OF_SPEECH, Term
    from transkit.store.glossary import GlossaryStore

    if part_of_speech and part_of_speech not in PARTS_OF_SPEECH:
        raise click.BadParameter(f"expected one of {', '.join(PARTS_OF_SPEECH)}", param_hint="--pos")
    if not term.strip():
        raise click.BadParameter("the term is empty", param_hint="TERM")
    with GlossaryStore.open() as store:
        written = store.add_terms(locale, [Term(term.strip(), translation.strip(), part_of_speech, comment)], "added")
    what = "added" if written.added else "updated" if written.updated else "unchanged"
    console.print(f"{escape(term)} → {escape(translation or '(keep as is)')}: {what}")


@glossary_group.command("remove")
@LOCALE
@click.argument("term")
@click.option("--pos", "part_of_speech", default=None, help="Only this part of speech.")
@run_guarded
def remove_command(locale, term, part_of_speech):
    """Remove a term (exits 1 when the glossary does not have it)."""
    from transkit.store.glossary import GlossaryStore

    with GlossaryStore.open() as store:
        removed = store.remove(locale, term, part_of_speech)
    if not removed:
        err_console.print(f"{locale} has no term {escape(term)}")
        raise click.exceptions.Exit(1)
    console.print(f"removed {escape(term)} ({removed})")


@glossary_group.command("export")
@LOCALE
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["glotpress", "csv", "tbx"]), default="glotpress",
              show_default=True)
@run_guarded
def export_command(locale, file, file_format):
    """Write the locale's glossary (to FILE, or standard output)."""
    from transkit.checks.glossary import write_terms
    from transkit.store.glossary import GlossaryStore

    with GlossaryStore.open() as store:
        terms = store.terms(locale)
    text = write_terms(terms, locale.split("_")[0] if file_format == "glotpress" else locale, file_format)
    if file is None:
        click.echo(text, nl=False)
        return
    from transkit.files import atomic_write

    try:
        atomic_write(file, text.encode("utf-8"))
    except OSError as err:
        from transkit.errors import ConfigError

        raise ConfigError(f"{file}: cannot write: {err.strerror or err}") from None
    err_console.print(f"{terms_counted(len(terms))} written to {escape(str(file))} ({file_format})")


@glossary_group.command("suggest")
@LOCALE
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--min-count", default=3, show_default=True,
              help="Weight a term must be seen with (an unreviewed translation 1, a reviewed or core one 3).")
@click.option("--min-share", default=0.75, show_default=True,
              help="Share of them that must agree on its translation.")
@click.option("--limit", default=50, show_default=True, help="Proposals shown (0: all).")
@click.option("--accept", "accept", multiple=True, metavar="TERM",
              help="Put this proposed term in the glossary (repeatable; 'all' for every proposal shown).")
@click.option("--json", "as_json", is_flag=True)
@run_guarded
def suggest_command(locale, paths, min_count, min_share, limit, accept, as_json):
    """Propose terms learned from the catalogs under PATHS (default: the current folder) — WordPress
    core's translations and your reviewed catalogs: short sources translated one way nearly every
    time, with counts and examples. A translation approved in transkit (or core's) weighs three
    unreviewed ones; fuzzy entries and machine drafts nobody reviewed do not count. --accept puts
    proposals in the glossary; a term asked for that is not proposed is named with the reason.
    Exits 3 when PATHS hold no catalog of LOCALE."""
    from transkit.jobs.glossary import TermEvidence, catalogs_of_locale
    from transkit.store.glossary import GlossaryStore

    found = catalogs_of_locale(paths or (".",), locale)
    catalogs, unreadable = found.catalogs, found.unreadable
    for err in unreadable:
        err_console.print(f"[yellow]skipped[/] {escape(str(err))}")
    evidence = TermEvidence(catalogs, locale, core=found.core, states=found.review_states())
    with GlossaryStore.open() as store:
        known = store.terms(locale)
        proposals = evidence.proposals(min_count=min_count, min_share=min_share, known=known)
        shown = proposals[:limit] if limit else proposals
        wanted = {a.casefold(): a for a in accept}
        accepted = [p for p in proposals if ("all" in wanted and p in shown) or p.term.casefold() in wanted]
        proposed = {p.term.casefold() for p in proposals}
        # a term asked for and not proposed: why, in words one can act on
        refused = {spelled: evidence.why_not(spelled, min_count=min_count, min_share=min_share, known=known)
                   for folded, spelled in wanted.items() if folded != "all" and folded not in proposed}
        if accepted:
            store.add_terms(locale, [p.as_term() for p in accepted], "learned")
    if as_json:
        click.echo(json.dumps({"locale": locale, "catalogs": len(catalogs), "unreadable": len(unreadable),
                               "proposals": [p.as_dict() for p in shown],
                               "accepted": [p.term for p in accepted],
                               "not_proposed": [{"term": t, "why": why} for t, why in sorted(refused.items())]},
                              ensure_ascii=False, indent=2))
    else:
        for p in shown:  # folded at the terminal's width, a proposal's lines indented under it
            others = ", ".join(f"{t} ({n})" for t, n in p.others[:3])
            print_folded(f"{escape(p.term)} → {escape(p.translation)}  [dim]{p.agreeing}/{p.count}"
                         + (f", {p.reviewed} reviewed" if p.reviewed else "")
                         + (f", {p.core} in core" if p.core else "")
                         + (f"; also {escape(others)}" if others else "") + "[/]", hang=4)
            for example in p.examples[:2]:
                print_folded(f"[dim]{escape(example)}[/]", indent=4, hang=2)
        if not catalogs:
            err_console.print(f"[bold red]error:[/] no {locale} catalogs under {escape(' '.join(paths or ('.',)))}")
            raise click.exceptions.Exit(3)
        print_folded(f"{len(proposals)} proposals from {len(catalogs)} {locale} catalog(s)"
                     + (f", {len(shown)} shown" if len(shown) < len(proposals) else "")
                     + (f"; {len(accepted)} accepted into the glossary" if accepted else
                        "; accept with --accept TERM or --accept all"), stream=err_console)
        for term, why in sorted(refused.items()):
            print_folded(f"[yellow]not proposed:[/] {escape(term)}: {escape(why)}", hang=2, stream=err_console)
    if not catalogs:
        raise click.exceptions.Exit(3)


def register(group: click.Group) -> None:
    group.add_command(glossary_group)
