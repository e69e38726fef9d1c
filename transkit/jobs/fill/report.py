"""What a fill is asked to do (``FillOptions``), what it says while running (``FillEvent``) and what
it did (``FillReport``)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from transkit.catalog.discover import LeftOut
from transkit.jobs.memory import SeedFailure
from transkit.jobs.progress import ProgressEvent


@dataclass
class FillOptions:
    """A fill's settings, as ``ExportOptions`` is export's. ``providers`` run in order: ``tm`` (the
    translation memory) then each machine-translation provider of ``jobs.fill.providers``; an
    entry one stage cannot fill (language not supported, answer refused by the checks) goes on to
    the next."""

    locale: str
    providers: tuple[str, ...] = ("tm", "deepl")
    include_fuzzy: bool = False  # refill fuzzy entries too
    dry_run: bool = False  # write nothing, send nothing: report what would be sent
    max_chars: int | None = None  # send at most this many (estimated) characters per provider
    max_tokens: int | None = None  # an LLM stops sending before its reported tokens pass this
    max_cost: float | None = None  # the same in US dollars, from [llm] input_price/output_price
    threshold: float | None = None  # lowest memory score used (None: the memory's default)
    trust_exact: bool = False  # 100 % same-context memory matches are written as translated
    record_provenance: bool = True  # who suggested what goes to the review store
    formality: str | None = None
    glossary_id: str | None = None  # a DeepL glossary already on the account
    glossary_csv: str | os.PathLike | None = None  # source,target rows pushed as a DeepL glossary
    # without glossary_csv/glossary_id: the locale's glossary in the store (``transkit glossary``) is
    # given to every provider — its terms in each request, and pushed to DeepL as a DeepL glossary
    locale_glossary: bool = True


@dataclass
class FillEvent:
    kind: str  # start | notice | progress | saved | done
    message: str = ""
    done: int = 0
    total: int = 0
    report: "FillReport | None" = None
    # a "memory: not learned from …" notice: the catalog the memory skipped (file, line, why), so a
    # face can name the file as it names files
    seed_failure: "SeedFailure | None" = None
    left_out: "LeftOut | None" = None  # a "left out: …" notice: a catalog file no locale is known for, a vendor/

    def as_progress(self) -> ProgressEvent:
        """The same event in the jobs' common progress protocol (``jobs.progress``), which both
        faces render."""
        return ProgressEvent("filling", self.done, self.total or None, self.message,
                             notice=self.kind == "notice")


@dataclass
class Skipped:
    """An entry left untranslated, and why (the last stage's reason)."""

    path: str
    msgid: str
    reason: str
    provider: str = ""


@dataclass
class FillReport:
    locale: str
    catalogs: list[str] = field(default_factory=list)
    candidates: int = 0  # entries that needed a translation
    from_memory_exact: int = 0
    from_memory_fuzzy: int = 0
    from_mt: int = 0  # every machine-translation provider together (see ``by_provider``)
    from_cache: int = 0  # of from_mt: answered by the MT cache, not sent
    by_provider: dict[str, int] = field(default_factory=dict)  # written per MT provider
    skipped: list[Skipped] = field(default_factory=list)
    unique_texts_to_send: int = 0
    characters_to_send: int = 0  # estimated for a dry run or a --max-chars budget (else 0)
    texts_sent: int = 0
    billed_characters: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None  # US dollars of those tokens at the [llm] prices (None: no prices configured)
    usage_estimated: bool = False  # the server reported no usage for some answers: tokens are estimates
    cut_off_answers: int = 0  # LLM answers cut off at the output limit, their entries asked again in halves
    left_out_answers: int = 0  # LLM answers that left entries out, those asked again in smaller batches
    # what the interrupted run(s) this one resumed had used, per model (``deepl``, ``llm:<api>/<model>``):
    # {"characters", "input_tokens", "output_tokens"}, from the journal
    earlier_usage: dict[str, dict] = field(default_factory=dict)
    earlier_cost: float | None = None  # their tokens at today's [llm] prices (None: none configured)
    to_send: dict[str, dict] = field(default_factory=dict)  # --dry-run: per provider, what would be sent
    over_budget: int = 0  # entries left out by max_chars
    max_chars: int | None = None  # the --max-chars budget the run had (None: none)
    stopped: str | None = None  # why the run stopped early
    mt_available: bool = False
    dry_run: bool = False
    resumed_run: int | None = None
    provenance_in_store: bool = False
    memory_unreadable: list[str] = field(default_factory=list)  # catalogs the memory could not learn from
    memory_warnings: list[str] = field(default_factory=list)  # the memory's (an index it could not store)
    left_out: list["LeftOut"] = field(default_factory=list)  # files no locale is known for, bundled folders
    glossary: str | None = None  # which locale glossary the run used ("the de_DE glossary (12 terms), for de_DE_formal")
    glossary_not_used: str | None = None  # why DeepL was asked without the glossary (push failed)
    glossaries_removed: int = 0  # superseded transkit DeepL glossaries deleted after a new one was made

    @property
    def written(self) -> int:
        return self.from_memory_exact + self.from_memory_fuzzy + self.from_mt

    @property
    def left_untranslated(self) -> int:
        """Entries that needed a translation and got none from this run: suggestions not used, left
        by a budget, no machine translation available, or a provider that stopped."""
        return max(0, self.candidates - self.written)

    @property
    def total_usage(self) -> dict:
        """This run's usage and its resumed runs' together: what the whole fill cost."""
        earlier = self.earlier_usage.values()
        total = {"billed_characters": self.billed_characters + sum(u["characters"] for u in earlier),
                 "input_tokens": self.input_tokens + sum(u["input_tokens"] for u in earlier),
                 "output_tokens": self.output_tokens + sum(u["output_tokens"] for u in earlier)}
        costs = [c for c in (self.cost, self.earlier_cost) if c is not None]
        total["cost"] = sum(costs) if costs else None
        return total

    @property
    def budget_characters_used(self) -> int | None:
        """Characters billed against ``max_chars``: this run's and those of the interrupted run(s)
        it resumed (the budget holds across a resume); None without a budget."""
        if self.max_chars is None:
            return None
        return self.total_usage["billed_characters"]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["budget_characters_used"] = self.budget_characters_used
        data["written"] = self.written
        data["left_untranslated"] = self.left_untranslated
        data["total"] = self.total_usage
        data["left_out"] = [item.as_dict() for item in self.left_out]
        return data
