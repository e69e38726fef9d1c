"""Use cases: compile catalogs, and give a plugin's translation back (files, git patch, GlotPress PO).

Which strings leave the machine: non-fuzzy, fully translated ones (``only="translated"``), or only
those a person approved in transkit (``only="reviewed"``); review state comes from the store, which
is first brought in line with the PO file. Error-level check problems stop the export unless
``force``; even then the failing strings are held back, because a broken placeholder can crash a
PHP page. transkit's own bookkeeping (``transkit…`` comments and flags) is stripped from what goes out.
Both faces call these functions; they never print, and report progress through ``progress``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from transkit.catalog import Catalog, Entry, load_catalog, parse_catalog
from transkit.catalog.locales import parse_locale
from transkit.catalog.paths import contained, safe_domain, safe_file_name, safe_locale
from transkit.checks import Problem, check_catalog
from transkit.config import Identity, config_path, data_dir, load_config
from transkit.errors import ConfigError, ExitCode, UpstreamError
from transkit.store import CatalogKey, ReviewState, ReviewStore, entry_key
from transkit.store.ledger import ExportRecord, Ledger
from transkit.store.progress import engine_label
from transkit.upstream import git as gitops
from transkit.upstream.glotpress import glotpress_catalog, strip_bookkeeping
from transkit.upstream.jed_json import build_json_files
from transkit.upstream.l10n_php import l10n_php_path, render_l10n_php
from transkit.upstream.message import HandOff, commit_message, counted, maintainer_message
from transkit.upstream.mo import as_site_reads, catalog_charset, compile_mo, write_atomically
from transkit.store.glossary import locale_glossary
from transkit.jobs.glossary import catalog_consistency, known_translations
from transkit.jobs.catalogs import catalogs_for, find_project, refs_of

Progress = Callable[[str], None]
ONLY_CHOICES = ("translated", "reviewed")


# -- choosing what goes out ----------------------------------------------------------------------

@dataclass
class Selection:
    catalog: Catalog
    exported: list[Entry] = field(default_factory=list)
    reviewed: int = 0
    not_ready: int = 0  # fuzzy, untranslated or unreviewed
    unreviewed: int = 0  # of those, translated strings only --only reviewed leaves out
    blocked: list[tuple[Entry, str]] = field(default_factory=list)  # (entry, first error message)
    blocked_problems: int = 0  # the error-level problems of the blocked strings, counted as `check` does
    header_errors: list[str] = field(default_factory=list)
    # the exported strings' warnings counted as `transkit check` counts them (each plural form on its
    # own), and how many of the exported strings have one
    warnings: int = 0
    warned_strings: int = 0
    warnings_by_key: dict = field(default_factory=dict)  # entry key -> warnings
    # glossary and consistency warnings of the exported strings, for the maintainer's note
    terminology: list[tuple[Entry, "Problem"]] = field(default_factory=list)
    # of the exported strings drafted by an engine: engine label -> (strings, reviewed by a person)
    engines: dict = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Error-level problems that block the job: the header's and the blocked strings' (per form)."""
        return self.blocked_problems + len(self.header_errors)


def select_entries(catalog: Catalog, only: str = "translated", use_store: bool = True) -> Selection:
    if only not in ONLY_CHOICES:
        raise ConfigError(f"--only must be one of {', '.join(ONLY_CHOICES)}, not {only!r}")
    states = _review_states(catalog) if use_store else {}
    first_error: dict[int, str] = {}
    errors_of: dict[int, int] = {}
    selection = Selection(catalog)
    header = catalog.header_entry
    terminology: dict[int, list[Problem]] = {}
    glossary = None
    if use_store:
        glossary = locale_glossary(catalog.language)

    # the same source translated differently here or in the locale's other catalogs the memory
    # knows, and different sources given one translation (as the editor and `check --consistency`)
    known = known_translations(catalog.language, exclude=catalog.path) if use_store and catalog.language else []
    # named by file name: the note goes to a maintainer, and the user's folders are theirs
    consistency = catalog_consistency(catalog, known, file_names=True)
    for entry in catalog.entries:
        for problem in consistency.problems(entry, catalog.path):
            terminology.setdefault(id(entry), []).append(problem)
    for entry, problem in check_catalog(catalog, glossary=glossary):
        if problem.check == "glossary" and entry is not None:
            terminology.setdefault(id(entry), []).append(problem)
        if entry is None or entry is header or problem.check in ("syntax", "duplicate"):
            # a syntax error msgfmt would refuse the whole file for blocks it, whatever the entry
            if problem.is_error:
                selection.header_errors.append(problem.message)
        elif problem.is_error:
            first_error.setdefault(id(entry), problem.message)
            errors_of[id(entry)] = errors_of.get(id(entry), 0) + 1
        else:
            selection.warnings_by_key[entry.key] = selection.warnings_by_key.get(entry.key, 0) + 1
    for entry in catalog.entries:
        record = states.get(entry.key)
        state = record.state if record is not None else None
        if not entry.is_translated() or (only == "reviewed" and state is not ReviewState.REVIEWED):
            selection.not_ready += 1
            # a machine draft nobody looked at stays out either way (below)
            selection.unreviewed += entry.is_translated() and state is not ReviewState.SUGGESTED
            continue
        if state is ReviewState.SUGGESTED:  # a machine draft nobody looked at, even if un-fuzzied
            selection.not_ready += 1
            continue
        if id(entry) in first_error:
            selection.blocked.append((entry, first_error[id(entry)]))
            selection.blocked_problems += errors_of[id(entry)]
            continue
        selection.exported.append(entry)
        selection.reviewed += state is ReviewState.REVIEWED
        if record is not None and record.provider:
            label = engine_label(record.provider)
            strings, reviewed = selection.engines.get(label, (0, 0))
            selection.engines[label] = (strings + 1, reviewed + (state is ReviewState.REVIEWED))
        warnings = selection.warnings_by_key.get(entry.key, 0)
        selection.warnings += warnings
        selection.warned_strings += warnings > 0
        selection.terminology.extend((entry, problem) for problem in terminology.get(id(entry), ()))
    return selection


def blocked_strings(selection: Selection) -> list[dict]:
    """The strings an error left out (with --force), each with its line and first error."""
    return [{"line": entry.lineno, "msgid": entry.msgid, "msgctxt": entry.msgctxt, "reason": reason}
            for entry, reason in selection.blocked]


def _where(entry: Entry, problem: Problem) -> str:
    """'line 57', or 'line 57, msgstr[1]' for one plural form (as `transkit check` names it): the
    same warning on two forms would otherwise read as one line said twice."""
    if problem.form is None or not entry.msgid_plural:
        return f"line {entry.lineno}"
    return f"line {entry.lineno}, msgstr[{problem.form}]"


def _quoted(text: str, width: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return '"' + (text if len(text) <= width else text[: width - 1] + "…") + '"'


def _review_states(catalog: Catalog) -> dict:
    if catalog.path is None:
        return {}
    with ReviewStore.open() as store:
        key = CatalogKey.for_catalog(catalog)
        store.sync_catalog(catalog, key)
        return store.states(key)


class BlockedByProblems(UpstreamError):
    """Error-level check problems stop the job: exit 1 (PROBLEMS_FOUND), as `check` exits."""

    exit_code = ExitCode.PROBLEMS_FOUND


def check_blocking(selection: Selection, force: bool, action: str = "export") -> None:
    if selection.errors and not force:
        where = selection.catalog.path or "<catalog>"
        samples = [f"line {e.lineno}: {msg}" for e, msg in selection.blocked[:3]]
        samples = selection.header_errors[:3] + samples
        error = BlockedByProblems if action == "compile" else UpstreamError
        in_strings = f" in {counted(len(selection.blocked), 'string')}" if selection.blocked else ""
        header = " and the header" if selection.header_errors and selection.blocked else ""
        verb = "blocks" if selection.errors == 1 and not header else "block"
        raise error(f"{where}: {counted(selection.errors, 'error-level problem')}{in_strings}{header} "
                    f"{verb} the {action} ({'; '.join(samples)}); fix them (`transkit check`) or use --force "
                    f"to {action} without those strings")


# -- compile -------------------------------------------------------------------------------------

@dataclass
class CompiledFiles:
    po_path: Path
    files: dict[str, bytes]  # file name (next to the PO) -> content; .mo and .l10n.php always
    selection: Selection

    @property
    def json_count(self) -> int:
        return sum(name.endswith(".json") for name in self.files)


def compiled_outputs(catalog: Catalog, selection: Selection, po_path: Path,
                     domain: str | None = None) -> dict[str, bytes]:
    entries = selection.exported
    # the .l10n.php and JSON say what WordPress reads from the .mo, even when the charset lies
    site_entries = as_site_reads(entries, catalog_charset(catalog))
    files = {po_path.with_suffix(".mo").name: compile_mo(catalog, entries),
             l10n_php_path(po_path).name: render_l10n_php(catalog, site_entries, domain).encode("utf-8")}
    for json_file in build_json_files(catalog, po_path, site_entries, domain):
        files[json_file.name] = json_file.content.encode("ascii")
    return files


def compile_catalog(po_path: str | os.PathLike, only: str = "translated", force: bool = False,
                    write: bool = True, live_pack: bool = False) -> CompiledFiles:
    """``transkit compile``: .mo + .l10n.php (+ JSON) next to the PO, from its exportable strings.

    ``live_pack``: the PO is a language pack WordPress loads as it is (wp-content/languages): a
    compile that would leave out translated strings only because nobody reviewed them (``--only
    reviewed``) turns them English on the site, so it is refused unless ``force``."""
    po_path = Path(po_path)
    catalog = load_catalog(po_path)
    if catalog.is_template:
        raise UpstreamError(f"{po_path}: a template has no translations to compile")
    selection = select_entries(catalog, only)
    check_blocking(selection, force, "compile")
    if live_pack and selection.unreviewed and not force:
        raise BlockedByProblems(
            f"{po_path}: not compiled: WordPress loads this language pack as it is, and --only reviewed would "
            f"leave out {counted(selection.unreviewed, 'translated string')} nobody reviewed in transkit, which "
            f"the site would then show in English; review them, compile without --only reviewed, or --force")
    files = compiled_outputs(catalog, selection, po_path, _domain_of(po_path, catalog))
    if write:
        write_files(po_path.parent, files, po_path)
    return CompiledFiles(po_path, files, selection)


def write_files(folder: Path, files: dict[str, bytes], source: Path) -> list[Path]:
    """Write every file into ``folder``; a name that would land outside it (built from a hostile
    X-Domain, say), or on the catalog ``source`` itself (through a link), is refused before anything
    is written."""
    targets = [(contained(name, folder, "output file", source), data) for name, data in files.items()]
    for target, _ in targets:
        if same_file(target, source):
            raise WouldOverwrite(f"{target} is the catalog being exported ({source}): writing there would "
                                 "replace it; nothing was written")
    return [write_atomically(target, data) for target, data in targets]


class WrongUpstreamPO(UpstreamError):
    """--upstream-po is a catalog of another language than --locale: its translations would leave
    strings out of the GlotPress PO for the wrong reason. Refused before anything is written, exit 2."""

    exit_code = ExitCode.USAGE


def _upstream_po(options: "ExportOptions") -> Catalog | None:
    """The --upstream-po catalog, refused when it names another language than --locale (a
    translate.wordpress.org export says only the language: ``Language: de`` for de_DE)."""
    if not options.upstream_po:
        return None
    upstream = load_catalog(options.upstream_po)
    theirs, ours = parse_locale(upstream.language or ""), parse_locale(options.locale)
    if theirs is not None and ours is not None and theirs.language != ours.language:
        raise WrongUpstreamPO(f"--upstream-po {options.upstream_po} is a {upstream.language} catalog, not "
                              f"{options.locale}: its translations would leave the wrong strings out of the "
                              "GlotPress PO; nothing was written. Give the translate.wordpress.org export "
                              f"of {options.locale}")
    return upstream


class WouldOverwrite(UpstreamError):
    """An export would write over a file of the user's (the catalog it exports from, a catalog no
    export wrote, or the plugin's own folder for a hand-off): refused before anything is written or
    committed, exit 2 as a wrong --out is."""

    exit_code = ExitCode.USAGE


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: by real path (symlinks) or by inode (hard links)."""
    if first.resolve() == second.resolve():
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them is not there
        return False


def is_catalog_folder(folder: Path, po_path: Path) -> bool:
    """Whether ``folder`` is the catalog's own: the folder of its path (where WordPress loads the
    compiled files) or, for a symlinked PO, the folder of the file it links to."""
    return any(same_file(folder, parent) for parent in (po_path.parent, po_path.resolve().parent))


# -- export --------------------------------------------------------------------------------------

@dataclass
class ExportOptions:
    locale: str
    out_dir: Path | None = None
    git: bool = False
    repo: str | None = None  # upstream repository URL or path to clone (else the plugin's own repo)
    glotpress: bool = False
    upstream_po: Path | None = None  # translate.wordpress.org export: skip what is translated there
    only: str = "translated"
    force: bool = False
    identity: Identity | None = None
    # only strings new or changed since the last export of the same kind (git patch, GlotPress PO)
    since_last: bool = False
    project: str | None = None  # which project (name, slug or domain) when the folder holds several


@dataclass
class ExportResult:
    plugin: str
    locale: str
    po_path: Path
    out_dir: Path
    hand_off: HandOff
    written: list[Path] = field(default_factory=list)
    patch_path: Path | None = None
    branch: str | None = None
    commit: str | None = None
    repo_root: Path | None = None
    glotpress_path: Path | None = None
    message_path: Path | None = None
    blocked: int = 0
    # the strings --force left out for an error-level problem: {"line", "msgid", "msgctxt", "reason"}
    blocked_strings: list[dict] = field(default_factory=list)
    glotpress_count: int = 0
    since: ExportRecord | None = None  # the export --since-last compared with (None: first one)
    domain: str | None = None  # the text domain, for a catalog of another domain than its plugin's
    # nothing added or changed (against the base commit, or the last export of files): nothing was
    # written or committed; the reason says against what
    nothing_new: str | None = None
    notices: list[str] = field(default_factory=list)  # e.g. another branch was used, and why
    # the output folder after this export (file names): an earlier export's files this one wrote
    # anew, earlier exports' files this one supersedes (removed), such files changed since
    # transkit wrote them (kept), and files transkit never wrote there (left alone)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_changed: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)
    other_exports: list[str] = field(default_factory=list)  # written there by another plugin's or locale's export
    # what this export did not write, and why (--out the catalog's own folder): {"file", "reason"}
    not_written: list[dict] = field(default_factory=list)
    # with --git, files left out of the commit (repository-relative; ignored by the repository)
    not_committed: list[dict] = field(default_factory=list)
    # glossary and consistency warnings of the exported strings (not blocking): msgid, msgctxt, line,
    # check, message — what MESSAGE.md lists
    terminology: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        hand_off = self.hand_off
        return {"plugin": self.plugin, "locale": self.locale, "domain": self.domain, "po": str(self.po_path),
                "out_dir": str(self.out_dir), "nothing_new": self.nothing_new,
                "total": hand_off.total, "exported": hand_off.exported, "added": hand_off.added,
                "changed": hand_off.changed, "reviewed": hand_off.reviewed, "held_back": hand_off.held_back,
                "blocked": self.blocked, "blocked_strings": list(self.blocked_strings), "warnings": hand_off.warnings, "warned_strings": hand_off.warned_strings,
                "written": [str(path) for path in self.written],
                "patch": str(self.patch_path) if self.patch_path else None, "branch": self.branch,
                "commit": self.commit, "glotpress_po": str(self.glotpress_path) if self.glotpress_path else None,
                "glotpress_count": self.glotpress_count,
                "message": str(self.message_path) if self.message_path else None,
                "notices": list(self.notices), "terminology": list(self.terminology),
                "replaced": list(self.replaced), "removed": list(self.removed),
                "kept_changed": list(self.kept_changed), "not_ours": list(self.not_ours),
                "other_exports": list(self.other_exports), "not_written": list(self.not_written),
                "not_committed": list(self.not_committed)}


def export_plugin(plugin: str | os.PathLike, options: ExportOptions,
                  progress: Progress | None = None) -> ExportResult:
    say = progress or (lambda message: None)
    safe_locale(options.locale, "--locale")
    ref = locate(plugin, options.locale, options.project)
    plugin_dir, po_path, slug, domain = ref.root, ref.path, ref.project, ref.domain
    upstream = _upstream_po(options)  # read and checked before anything is written
    left_behind = _other_domains(plugin, options, ref)
    version, display_name = ref.project_version or None, ref.project_name or ref.project
    safe_file_name(f"{slug}-{options.locale}", "plugin slug", po_path)
    identity = options.identity or load_config().identity
    if options.git:
        _require_whole_identity(identity)  # before a --repo is cloned
    say(f"reading {po_path}")
    catalog = load_catalog(po_path)
    selection = select_entries(catalog, options.only)
    check_blocking(selection, options.force)
    # resolved: the ledger knows an output folder by its path, whichever folder the command ran in
    # a catalog of another text domain than its plugin's (acme-blocks-de_DE.po in acme) is given back
    # on its own: its own folder and ledger records, so neither export supersedes the other's files
    other_domain = domain if any(p.code == "other-domain" for p in ref.problems) else None
    folder = f"{slug}-{options.locale}" if other_domain is None else _other_domain_folder(slug, other_domain,
                                                                                           options.locale)
    default_out = Path.cwd() / "transkit-export" / folder
    out_dir = Path(options.out_dir or default_out).resolve()
    # --out the catalog's own folder: the compiled files go there (where WordPress loads them), but
    # nothing of the hand-off — the export's PO would replace the catalog, and a note, patch or
    # GlotPress PO would land among the plugin's files (a .glotpress.po read as a second catalog)
    own_folder = is_catalog_folder(out_dir, po_path)
    if own_folder and (options.git or options.glotpress):
        kinds = " and ".join(kind for kind, wanted in (("the patch", options.git),
                                                       ("the GlotPress PO", options.glotpress)) if wanted)
        flags = " and ".join(flag for flag, wanted in (("--git", options.git), ("--glotpress", options.glotpress))
                             if wanted)
        raise WouldOverwrite(
            f"--out {out_dir} is the folder of the catalog being exported ({po_path}): {kinds} and the note "
            f"for the maintainer (MESSAGE.md) would land among the plugin's files"
            f"{f' (where a .glotpress.po reads as a second {options.locale} catalog)' if options.glotpress else ''}; "
            f"nothing was written or committed. Give --out another folder, or leave it out (default: "
            f"{default_out}); to write only the .mo and .l10n.php there, export without {flags}")
    # what the folder held (hidden files — ours are atomic writes' temporaries — aside)
    before = ({p.name for p in out_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
              if out_dir.is_dir() else set())

    hand_off = HandOff(plugin=display_name, locale=options.locale, version=version, total=len(catalog.entries),
                       exported=len(selection.exported), reviewed=selection.reviewed,
                       errors=0, warnings=selection.warnings, warned_strings=selection.warned_strings,
                       held_back=selection.not_ready + len(selection.blocked), engines=dict(selection.engines),
                       terminology=[f"{_quoted(entry.msgid)} ({_where(entry, problem)}): {problem.message}"
                                    for entry, problem in selection.terminology],
                       translator=identity.as_header() if identity.is_set else "")
    result = ExportResult(slug, options.locale, po_path, out_dir, hand_off, blocked=len(selection.blocked),
                          blocked_strings=blocked_strings(selection),
                          domain=other_domain,
                          terminology=[{"msgid": entry.msgid, "msgctxt": entry.msgctxt, "line": entry.lineno,
                                        "form": problem.form, "check": problem.check, "message": problem.message}
                                       for entry, problem in selection.terminology])
    if left_behind:  # core's admin-de_DE.po beside de_DE.po: one catalog goes out, the others are named
        names = ", ".join(f"{other.path.name} (domain {other.domain})" for other in left_behind)
        message = (f"not exported: {names}, the project's other {options.locale} "
                   f"catalog{'s' if len(left_behind) > 1 else ''}: export {'each' if len(left_behind) > 1 else 'it'} "
                   "by naming its file")
        result.notices.append(message)
        say(message)

    catalog_path = CatalogKey.for_path(po_path).path
    with Ledger.open() as ledger:
        last = {kind: ledger.last_export(slug, options.locale, kind, catalog_path, domain)
                for kind in ("files", "git", "glotpress")}
        if options.git:
            chosen = selection.exported
            if options.since_last:
                result.since = last["git"]
                chosen = ledger.changed_since(last["git"], selection.exported)
                if not chosen:
                    raise UpstreamError(f"{po_path}: nothing new or changed since the last git export "
                                        f"({last['git'].at[:10]}, commit {(last['git'].commit_sha or '')[:12]})")
            hand_off.exported = len(chosen)
        else:
            # without a base commit, "added/changed" is counted against the previous export
            changed = ledger.changed_since(last["files"], selection.exported)
            sent = ledger.sent_keys(last["files"])
            hand_off.added = sum(entry_key(e) not in sent for e in changed)
            hand_off.changed = len(changed) - hand_off.added
        if options.glotpress:
            glotpress_entries = selection.exported
            if options.since_last and last["glotpress"] is not None:
                glotpress_entries = ledger.changed_since(last["glotpress"], selection.exported)
        ours = {r.commit_sha for r in ledger.exports(slug, options.locale) if r.kind == "git" and r.commit_sha}
        # what earlier exports of this catalog wrote into the folder, and what other exports did there
        earlier = ledger.files_written_in(str(out_dir), slug, options.locale, domain)
        others = set(ledger.files_written_in(str(out_dir))) - set(earlier)
    glotpress_name = f"{folder}.glotpress.po"
    hand_off_names = [*([glotpress_name] if options.glotpress else []), *([] if own_folder else ["MESSAGE.md"])]
    protected = [po_path, *([Path(options.upstream_po)] if options.upstream_po else [])]
    if options.git:
        _refuse_overwriting(out_dir, [_patch_name(slug, options.locale), *hand_off_names], protected, earlier)
        _export_git(plugin_dir, po_path, catalog, dataclasses.replace(selection, exported=chosen),
                    options, identity, domain, result, say, ours)
        if result.nothing_new:
            return result
    else:
        if last["files"] is not None and not hand_off.added and not hand_off.changed and not options.force:
            result.nothing_new = f"the last export of files ({last['files'].at[:10]})"
            return result
        touched = bool(hand_off.added or hand_off.changed)
        files = compiled_outputs(catalog, selection, po_path, domain)
        _refuse_overwriting(out_dir, [*files, *([] if own_folder else [po_path.name]), *hand_off_names],
                            protected, earlier)
        if own_folder:
            _leave_the_catalog(result, po_path, out_dir, default_out, say)
        else:
            po_bytes = export_po_bytes(po_path, selection, None, identity, touched)
            files = {po_path.name: po_bytes, **files}
            hand_off.msgfmt_ok = msgfmt_accepts(po_bytes)
        hand_off.files = sorted(files)
        out_dir.mkdir(parents=True, exist_ok=True)
        result.written = write_files(out_dir, files, po_path)

    out_dir.mkdir(parents=True, exist_ok=True)
    if options.glotpress:
        glot, report = glotpress_catalog(catalog, glotpress_entries, options.locale, upstream)
        result.glotpress_count = report.written
        result.glotpress_path = write_files(out_dir, {glotpress_name: glot.to_bytes()}, po_path)[0]
        hand_off.glotpress_name = glotpress_name
        say(f"GlotPress PO: {report.written} strings ({report.already_upstream} already translated upstream)")

    if not own_folder:
        result.message_path = write_files(out_dir, {"MESSAGE.md": maintainer_message(hand_off).encode("utf-8")},
                                          po_path)[0]
    written = [*result.written, *([result.glotpress_path] if result.glotpress_path else []),
               *([result.message_path] if result.message_path else [])]
    files_now = {path.name: _sha256(path) for path in written}
    if not own_folder:
        _supersede(out_dir, files_now, earlier, others, before, result, say)
    counts = {"exported": hand_off.exported, "added": hand_off.added, "changed": hand_off.changed,
              "reviewed": hand_off.reviewed, "total": hand_off.total, "held_back": hand_off.held_back}
    # the snapshot marks every exportable string as given: those sent now and, for --since-last,
    # those an earlier export already carried unchanged
    with Ledger.open() as ledger:
        ledger.record(ExportRecord(
            plugin=slug, locale=options.locale, kind="git" if options.git else "files", version=version,
            commit_sha=result.commit, branch=result.branch,
            patch_path=str(result.patch_path) if result.patch_path else None, output=str(out_dir),
            # the compiled files in the catalog's own folder are the plugin's now: never ours to remove
            catalog_path=catalog_path, counts=counts, files={} if own_folder else files_now, domain=domain),
            catalog.entries, selection.exported)
        if options.glotpress:
            ledger.record(ExportRecord(
                plugin=slug, locale=options.locale, kind="glotpress", version=version,
                output=str(result.glotpress_path), catalog_path=catalog_path, domain=domain,
                counts={**counts, "glotpress": result.glotpress_count}), catalog.entries, selection.exported)
    return result


def _other_domain_folder(slug: str, domain: str, locale: str) -> str:
    """``acme-blocks-de_DE`` for plugin acme's domain acme-blocks (its catalog's name), else the
    plugin's slug first (``acme-cmb2-de_DE``): a bundled library's domain is shared by plugins."""
    return f"{domain}-{locale}" if domain.startswith(f"{slug}-") else f"{slug}-{domain}-{locale}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _patch_name(plugin: str, locale: str) -> str:
    return f"{plugin}-{locale}.patch"


def _leave_the_catalog(result: ExportResult, po_path: Path, out_dir: Path, default_out: Path,
                       say: Progress) -> None:
    """--out the catalog's own folder: the export's PO (its exported strings alone) is not written
    over the catalog, nor the maintainer's note among the plugin's files; both said."""
    exported = result.hand_off.exported
    result.not_written += [
        {"file": str(po_path), "reason": f"the catalog being exported: the export's copy of it ({counted(exported, 'string')}"
                                         " exported, fuzzy and unfinished ones left out) would replace it"},
        {"file": str(out_dir / "MESSAGE.md"),
         "reason": "the note for the maintainer goes with a hand-off folder, not among the plugin's files"}]
    message = (f"{po_path}: left as it is — --out is its own folder, and the export's copy (only the "
               f"{counted(exported, 'exported string')}; fuzzy and unfinished ones left out) would replace it; "
               f"wrote only the compiled files beside it, where WordPress loads them, and no MESSAGE.md. For a "
               f"PO and note to send upstream, export to another folder (without --out: {default_out})")
    result.notices.append(message)
    say(message)


def _refuse_overwriting(out_dir: Path, names: list[str], protected: list[Path], earlier: dict[str, set[str]]) -> None:
    """Before anything is written or committed: no output may land on an input (the catalog being
    exported, the --upstream-po; through a symlink or a hard link too), nor replace a catalog no
    export of this one wrote there (a language pack in WP_LANG_DIR, the user's own copy)."""
    for name in names:
        target = out_dir / name
        for source, what in zip(protected, ("the catalog being exported", "the --upstream-po file")):
            if same_file(target, source):
                link = (" (a symlink to it)" if target.is_symlink() else
                        " (a hard link to it)" if target.resolve() != source.resolve() else "")
                raise WouldOverwrite(f"{target} is {what} ({source}){link}: the export would write over it; "
                                     f"nothing was written. Move it out of {out_dir}, or give --out another folder")
        if name.endswith((".po", ".pot")) and (target.exists() or target.is_symlink()) and name not in earlier:
            raise WouldOverwrite(f"{target} is already there and transkit did not write it (no export of this "
                                 f"catalog recorded writing it there): the export would replace it; nothing was "
                                 f"written. Move it away, or give --out another folder")


def _supersede(out_dir: Path, files_now: dict[str, str], earlier: dict[str, set[str]], others: set[str],
               before: set[str], result: ExportResult, say: Progress) -> None:
    """Leave in ``out_dir`` only what this export wrote, as far as transkit may: a file an earlier
    export wrote there and this one did not (a .patch after a files export, the files after a --git
    one, a GlotPress PO or a JSON file no longer made) is removed while it still holds the bytes
    transkit wrote — one changed since is kept and named, a file transkit never wrote is left alone
    and named, so nothing stale is sent to a maintainer by mistake and nothing of the user's is lost.
    ``earlier`` is what exports of this catalog wrote there: another plugin's or locale's export into
    the same folder (``others``) is left alone, and named. Never called for the catalog's own folder,
    whose files are the plugin's."""
    result.replaced = sorted(name for name in files_now if name in before and name in earlier)
    overwritten = sorted(name for name in files_now if name in before and name not in earlier and name not in others)
    overwritten_others = sorted(name for name in files_now if name in before and name in others)
    for name in sorted(before - set(files_now)):
        path = out_dir / name
        if name in others:
            result.other_exports.append(name)
        elif name not in earlier:
            result.not_ours.append(name)
        elif path.is_symlink() or _sha256(path) not in earlier[name]:
            result.kept_changed.append(name)
        else:
            path.unlink()
            result.removed.append(name)
    folder = str(out_dir)

    def notice(message: str) -> None:
        result.notices.append(message)
        say(message)

    if overwritten:  # same names as this export's files: most likely an export from before the ledger kept files
        notice(f"overwrote in {folder}: {', '.join(overwritten)} (no earlier export recorded writing them)")
    if overwritten_others:
        notice(f"overwrote in {folder}: {', '.join(overwritten_others)} (written by another export)")
    if result.removed:
        notice(f"removed from {folder} what this export supersedes (written by an earlier export): "
               f"{', '.join(result.removed)}")
    if result.kept_changed:
        notice(f"kept in {folder}, though not part of this export: {', '.join(result.kept_changed)} "
               "(an earlier export's, changed since); do not send it with this one")
    if result.other_exports:
        notice(f"also in {folder}, written by another export (left alone): {', '.join(result.other_exports)}")
    if result.not_ours:
        notice(f"also in {folder}, not written by transkit (left alone): {', '.join(result.not_ours)}")


def _require_whole_identity(identity: Identity) -> None:
    """A translator identity with a name but no email (or the reverse) is a mistake to name, not
    half an author to commit as: a ConfigError before anything is cloned or written."""
    if bool(identity.name) == bool(identity.email):
        return
    missing = "email" if identity.name else "name"
    raise ConfigError(f"the translator identity has no {missing}: set [identity] {missing} in {config_path()} "
                      f"(or TRANSKIT_TRANSLATOR_{missing.upper()}); a commit needs a name and an email")


def _commit_identity(identity: Identity, repo_root: Path, result: ExportResult, say: Progress) -> Identity:
    """Who authors the commit (and signs the note, and is the PO's Last-Translator): the translator
    identity ([identity] or TRANSKIT_TRANSLATOR_NAME/_EMAIL), else git's own configured one
    ($GIT_AUTHOR_NAME/_EMAIL, git config user.name/user.email) — a documented fallback the output
    names. Without a whole one a ConfigError says how to set it: never an empty or made-up author."""
    _require_whole_identity(identity)
    if identity.name:
        return identity
    configured = gitops.configured_identity(repo_root)
    if not (configured.name and configured.email):
        known = f"; git knows only {configured.origin}" if configured.origin else ""
        raise ConfigError(f"no translator identity to author the commit: set [identity] name and email in "
                          f"{config_path()} (or TRANSKIT_TRANSLATOR_NAME and TRANSKIT_TRANSLATOR_EMAIL){known}")
    chosen = Identity(configured.name, configured.email)
    message = (f"commit authored as {chosen.as_header()}, from {configured.origin}: no [identity] in "
               f"{config_path()} (set one to choose who gives translations back)")
    result.notices.append(message)
    say(message)
    return chosen


def _export_git(plugin_dir: Path, po_path: Path, catalog: Catalog, selection: Selection,
                options: ExportOptions, identity: Identity, domain: str | None,
                result: ExportResult, say: Progress, ours: set[str]) -> None:
    if options.repo:
        gitops.check_location(options.repo)
        say(f"cloning {options.repo}")
        work = data_dir() / "repos" / re.sub(r"[^A-Za-z0-9._-]+", "_", options.repo.rstrip("/"))[-80:]
        repo = gitops.clone(options.repo, work)
        relative = _relative_in_plugin(po_path, plugin_dir)
    else:
        repo = gitops.find_repository(plugin_dir)
        if repo is None:
            raise UpstreamError(f"{plugin_dir}: not in a git repository; give the upstream one with --repo")
        try:
            relative = po_path.resolve().relative_to(repo.root).as_posix()
        except ValueError:
            relative = _relative_in_plugin(po_path, plugin_dir)
    identity = _commit_identity(identity, repo.root, result, say)
    name, email = identity.name, identity.email
    result.hand_off.translator = identity.as_header()
    base_bytes = gitops.read_file_at(repo.root, repo.head_commit, relative)
    base_catalog = parse_catalog(base_bytes, relative) if base_bytes is not None else None
    result.hand_off.added, result.hand_off.changed = _added_changed(selection.exported, base_catalog)
    touched = bool(result.hand_off.added or result.hand_off.changed)
    if not touched and not options.force:
        result.nothing_new = f"commit {repo.head_commit[:12]}, which already has every exported string"
        return

    folder = relative.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    files = {relative: export_po_bytes(po_path, selection, base_catalog, identity, touched)}
    # compiled from the PO as committed — our strings plus those the base already had — so the .mo
    # says what msgfmt would make of that PO (with --since-last, far more than the strings sent)
    committed = parse_catalog(files[relative], relative)
    committed_selection = Selection(committed, exported=[e for e in committed.entries if e.is_translated()])
    for file_name, data in compiled_outputs(committed, committed_selection, Path(relative), domain).items():
        files[prefix + file_name] = data
    result.hand_off.files = sorted(files)
    result.hand_off.msgfmt_ok = msgfmt_accepts(files[relative])
    def notice(message: str) -> None:
        result.notices.append(message)
        say(message)

    # asked of the repository's working tree before a branch is made, so a refusal leaves nothing
    files = _leave_out_ignored(repo.root, files, relative, result, notice)
    wanted = f"translations/{options.locale}"
    branch = gitops.free_branch(repo.root, wanted, repo.head_commit, ours)
    if branch != wanted:
        notice(f"branch {wanted} holds commits transkit did not make; they stay, and this export goes "
               f"on {branch}")
    with gitops.translation_worktree(repo.root, branch, repo.head_commit, data_dir() / "worktrees",
                                     notice) as tree:
        say(f"committing {counted(len(files), 'file')} on {branch}")
        committed = gitops.commit_files(tree, files, commit_message(result.hand_off), name, email)
    patch = gitops.format_patch(repo.root, committed.base, committed.commit)
    patch_name = _patch_name(result.plugin, options.locale)
    result.out_dir.mkdir(parents=True, exist_ok=True)
    result.patch_path = write_files(result.out_dir, {patch_name: patch}, po_path)[0]
    result.branch, result.commit, result.repo_root = branch, committed.commit, repo.root
    result.hand_off.patch_name, result.hand_off.branch = patch_name, branch
    # mail tools (and git am by default) turn CRLF into LF; a CRLF catalog needs --keep-cr
    result.hand_off.keep_cr = any(b"\r\n" in data for name, data in files.items()
                                  if not name.endswith(".mo"))
    result.written = [result.patch_path]


def _leave_out_ignored(root: Path, files: dict[str, bytes], relative: str, result: ExportResult,
                       notice: Progress) -> dict[str, bytes]:
    """The files to commit, without the compiled ones the repository ignores (a plugin that ignores
    ``*.mo`` builds them itself: committing them is what nobody asked for, and ``git add`` refuses
    them); each left out is said. A repository that ignores the PO itself takes no translation."""
    ignored = gitops.ignored_paths(root, sorted(files))
    if relative in ignored:
        raise UpstreamError(f"{relative}: the repository ignores it (its .gitignore), so a commit cannot carry "
                            "the translation; nothing committed. Give it back with --glotpress, or as files")
    if not ignored:
        return files
    result.not_committed += [{"file": path, "reason": "the repository ignores it (.gitignore)"}
                             for path in sorted(ignored)]
    notice(f"left out of the commit: {', '.join(sorted(ignored))} (the repository ignores them; its own build "
           "makes them)")
    kept = {path: data for path, data in files.items() if path not in ignored}
    result.hand_off.files = sorted(kept)
    return kept


def export_po_bytes(po_path: Path, selection: Selection, base: Catalog | None,
                    identity: Identity | None, touched: bool = True) -> bytes:
    """The PO as it goes upstream: exported strings as translated; every other entry as the base had
    it (or empty when the base lacks it); transkit's bookkeeping stripped; untouched entries keep
    their bytes. Last-Translator and PO-Revision-Date change only when ``touched`` (a string was
    added or changed), so a forced export of nothing new does not claim work on the catalog."""
    catalog = load_catalog(po_path)  # a private copy to edit
    exported_keys = {e.key for e in selection.exported}
    for entry in catalog.entries:
        if entry.key not in exported_keys:
            theirs = base.find(entry.msgid, entry.msgctxt) if base is not None else None
            if theirs is not None:
                entry.msgstr, entry.msgstr_plural = theirs.msgstr, dict(theirs.msgstr_plural)
                entry.fuzzy = theirs.fuzzy
            else:
                entry.msgstr = ""
                entry.msgstr_plural = {i: "" for i in entry.msgstr_plural}
                entry.fuzzy = False
        cleaned_flags = [f for f in entry.flags if not f.startswith("transkit")]
        if cleaned_flags != entry.flags:
            entry.flags = cleaned_flags
        cleaned_comment = strip_bookkeeping(entry.tcomment)
        if cleaned_comment != entry.tcomment:
            entry.tcomment = cleaned_comment
    if identity is not None and identity.is_set and selection.exported and touched:
        catalog.set_header("Last-Translator", identity.as_header())
        catalog.set_header("PO-Revision-Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"))
    return catalog.to_bytes()


def msgfmt_accepts(po_bytes: bytes) -> bool | None:
    """Whether GNU ``msgfmt -c`` accepts the catalog (None when msgfmt is not installed)."""
    if shutil.which("msgfmt") is None:
        return None
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, "-"], input=po_bytes, capture_output=True)
    return result.returncode == 0


def _added_changed(exported: list[Entry], base: Catalog | None) -> tuple[int, int]:
    added = changed = 0
    for entry in exported:
        theirs = base.find(entry.msgid, entry.msgctxt) if base is not None else None
        if theirs is None or not theirs.is_translated():
            added += 1
        elif theirs.translations != entry.translations:
            changed += 1
    return added, changed


# -- finding the plugin and its catalog ----------------------------------------------------------

def _other_domains(plugin: str | os.PathLike, options: "ExportOptions", ref: "CatalogRef") -> list:
    """The project's other catalogs of the locale, of other text domains than the one exported
    (WordPress core's admin-, admin-network-, continents-cities-): a folder export gives back one."""
    if Path(plugin).is_file():
        return []
    project = find_project(plugin, options.project)
    return [other for other in refs_of(project)
            if other.kind == "po" and other.locale == ref.locale and other.domain != ref.domain
            and other.path != ref.path]


def locate(plugin: str | os.PathLike, locale: str, project_name: str | None = None) -> "CatalogRef":
    """The catalog to give back (``jobs.catalogs``, the one finder): a PO file, or the locale's PO of
    the one project in a folder. Several plugins in a folder are listed, never guessed."""

    path = Path(plugin)
    if not path.exists():
        raise UpstreamError(f"{plugin}: no such plugin folder or catalog")
    if path.is_file():
        return catalogs_for([path])[0]
    chosen = find_project(path, project_name)
    po_path = chosen.po_for(locale)
    ref = next((r for r in refs_of(chosen) if po_path is not None and r.path == po_path), None)
    if ref is None:
        raise UpstreamError(f"{path}: no {locale} catalog found (looked for *-{locale}.po)"
                            f"{_near_misses(chosen, locale)}")
    return ref


def _near_misses(project, locale: str) -> str:
    """What the folder holds instead of the catalog asked for: the locale's catalogs of another text
    domain and the catalog files nothing gives a locale (a misnamed translation is named, never
    passed over in silence)."""
    def shown(path: Path) -> str:
        try:
            return path.relative_to(project.root).as_posix()
        except ValueError:
            return str(path)

    def language(code: str) -> str:
        info = parse_locale(code)
        return info.language if info else code

    notes = []
    for ref in refs_of(project):  # the same language: de for de_DE, de_DE_formal, another domain's de_DE
        if language(ref.locale) != language(locale):
            continue
        differs = ([f"locale {ref.locale}"] if ref.locale != locale else []) + \
                  ([f"text domain {ref.domain!r}"] if ref.domain != project.domain else [])
        if differs:
            notes.append(f"{shown(ref.path)} is of {' and '.join(differs)} (name it {project.domain}-{locale}.po "
                         "to give it back)")
    notes += [f"{shown(item.path)}: {item.reason}" for item in project.left_out if item.code == "no-locale"]
    return "".join(f"; {note}" for note in notes)


def _domain_of(po_path: Path, catalog: Catalog | None) -> str | None:
    if catalog is not None and catalog.header.get("X-Domain"):
        return safe_domain(catalog.header["X-Domain"], "X-Domain", po_path)
    key = CatalogKey.for_path(po_path)
    return key.domain or None


def _relative_in_plugin(po_path: Path, plugin_dir: Path) -> str:
    try:
        return po_path.resolve().relative_to(Path(plugin_dir).resolve()).as_posix()
    except ValueError:  # a catalog outside the plugin (WP_LANG_DIR): the plugin's usual place
        return f"languages/{po_path.name}"
