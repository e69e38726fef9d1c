"""TBX (ISO 30042) term bases, read and written for the glossary: TBX 2 (``martif``: termEntry /
langSet / tig or ntig) and TBX 3 (``tbx``: conceptEntry / langSec / termSec). One concept gives one
term per target-language term; the source is its English term. Part of speech comes from
``termNote type="partOfSpeech"``, the comment from ``descrip`` or ``note``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from transkit.checks.term import PARTS_OF_SPEECH, Term
from transkit.errors import CatalogError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, *names):
    return [child for child in element if _local(child.tag) in names]


def _language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def read_tbx(path: Path, text: str, locale: str | None) -> tuple[list[Term], str | None, list[tuple[int, str]]]:
    if "<!ENTITY" in text:  # entity expansion is never needed in a term base and can be a bomb
        raise CatalogError("TBX files with entity declarations are not read", path)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line = err.position[0] if err.position else None
        raise CatalogError(f"not a TBX file: {err}", path, line or None) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise CatalogError(f"not a TBX file (its root is <{_local(root.tag)}>)", path)
    wanted = _language(locale) if locale else None
    terms: list[Term] = []
    skipped: list[tuple[int, str]] = []
    file_locale = None
    for number, concept in enumerate((e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")), 1):
        by_language: dict[str, list[tuple[str, str, str, str]]] = {}
        concept_note = " ".join((d.text or "").strip() for d in _children(concept, "descrip", "note")).strip()
        for lang_set in _children(concept, "langSet", "langSec"):
            code = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
            for holder in lang_set.iter():
                if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term_element = next((e for e in holder.iter() if _local(e.tag) == "term"), None)
                if term_element is None or not "".join(term_element.itertext()).strip():
                    continue
                pos = next(("".join(n.itertext()).strip().lower() for n in holder.iter()
                            if _local(n.tag) == "termNote" and n.get("type") == "partOfSpeech"), "")
                note = " ".join("".join(d.itertext()).strip() for d in holder.iter()
                                if _local(d.tag) in ("descrip", "note")).strip()
                by_language.setdefault(code, []).append(
                    ("".join(term_element.itertext()).strip(), pos if pos in PARTS_OF_SPEECH else "", note, code))
        sources = [t for code, found in by_language.items() if _language(code) == "en" for t in found]
        targets = [t for code, found in by_language.items() if _language(code) != "en"
                   and (wanted is None or _language(code) == wanted) for t in found]
        if not sources:
            skipped.append((number, "concept without an English term"))
            continue
        if not targets:
            skipped.append((number, f"concept {sources[0][0]!r} without a term in {wanted or 'another language'}"))
            continue
        source, source_pos, source_note, _ = sources[0]
        for target, pos, note, code in targets:
            file_locale = file_locale or code
            terms.append(Term(source, target, pos or source_pos, note or source_note or concept_note))
    return terms, file_locale, skipped


def write_tbx(terms: list[Term], locale: str) -> str:
    lang = locale.replace("_", "-")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<martif type="TBX" xml:lang="en">',
             "  <martifHeader><fileDesc><sourceDesc><p>transkit glossary</p></sourceDesc></fileDesc></martifHeader>",
             "  <text><body>"]
    for number, term in enumerate(terms, 1):
        lines.append(f'    <termEntry id="t{number}">')
        if term.comment:
            lines.append(f"      <descrip type=\"definition\">{escape(term.comment)}</descrip>")
        for code, text in (("en", term.source), (lang, term.translation or term.source)):
            lines.append(f"      <langSet xml:lang={quoteattr(code)}><tig><term>{escape(text)}</term>"
                         + (f'<termNote type="partOfSpeech">{escape(term.part_of_speech)}</termNote>'
                            if term.part_of_speech else "")
                         + "</tig></langSet>")
        lines.append("    </termEntry>")
    lines += ["  </body></text>", "</martif>", ""]
    return "\n".join(lines)
