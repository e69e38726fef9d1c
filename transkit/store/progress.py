"""Progress in strings and words: untranslated / machine / fuzzy / translated / reviewed.

Counted from the review store's entry states (one SQL ``GROUP BY``), per catalog, project (plugin) or
locale, plus the daily points the TUI draws as a trend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

# review state -> progress bucket
BUCKET_OF_STATE = {
    "untranslated": "untranslated",
    "rejected": "untranslated",
    "suggested": "machine",      # machine translation or memory, not yet seen by a person
    "fuzzy": "fuzzy",
    "translated": "translated",
    "reviewed": "reviewed",
}
BUCKETS = ("untranslated", "machine", "fuzzy", "translated", "reviewed")
ENGINES = ("memory", "deepl", "llm")  # who wrote a machine draft; anything else counts as "other"


def engine_of(provider: str | None) -> str:
    """The engine behind a recorded provider: ``memory``, ``deepl``, ``llm`` (``llm:<api>/<model>``)."""
    name = (provider or "").split(":", 1)[0]
    return name if name in ENGINES else "other"


def machine_split(by_engine: dict[str, int]) -> tuple[int, int, int]:
    """The machine column split as both faces show it: ``(memory, deepl, llm)`` drafts not yet
    reviewed, from ``ReviewStore.machine_by_engine``'s counts (a draft whose engine was not recorded
    counts with the memory's)."""
    return (by_engine.get("memory", 0) + by_engine.get("other", 0), by_engine.get("deepl", 0),
            by_engine.get("llm", 0))


def engine_label(provider: str | None) -> str:
    """How a maintainer reads the engine: ``the translation memory``, ``DeepL``, ``an LLM (model)``."""
    engine = engine_of(provider)
    if engine == "llm":
        return f"an LLM ({provider.split('/', 1)[-1]})"
    return {"memory": "the translation memory", "deepl": "DeepL"}.get(engine, provider or "unknown")


@dataclass
class Progress:
    untranslated: int = 0
    machine: int = 0
    fuzzy: int = 0
    translated: int = 0
    reviewed: int = 0
    untranslated_words: int = 0
    machine_words: int = 0
    fuzzy_words: int = 0
    translated_words: int = 0
    reviewed_words: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, bucket) for bucket in BUCKETS)

    @property
    def total_words(self) -> int:
        return sum(getattr(self, bucket + "_words") for bucket in BUCKETS)

    @property
    def needs_review(self) -> int:
        return self.machine + self.fuzzy + self.translated

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 0.0

    def add(self, bucket: str, strings: int, words: int) -> None:
        setattr(self, bucket, getattr(self, bucket) + strings)
        setattr(self, bucket + "_words", getattr(self, bucket + "_words") + words)

    def __iadd__(self, other: "Progress") -> "Progress":
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def as_dict(self) -> dict:
        result = {f.name: getattr(self, f.name) for f in fields(self)}
        result.update(total=self.total, total_words=self.total_words,
                      percent_reviewed=round(self.percent_reviewed, 1))
        return result

    @classmethod
    def from_dict(cls, data: dict) -> "Progress":
        return cls(**{f.name: int(data.get(f.name, 0)) for f in fields(cls)})


@dataclass(frozen=True)
class ProgressPoint:
    day: str  # YYYY-MM-DD
    progress: Progress


def progress_of_catalog(conn, catalog_id: int) -> Progress:
    progress = Progress()
    for state, strings, words in conn.execute(
            "SELECT state, COUNT(*), COALESCE(SUM(words), 0) FROM entries WHERE catalog_id = ? "
            "GROUP BY state", (catalog_id,)):
        progress.add(BUCKET_OF_STATE[state], strings, words)
    return progress


def _filters(path, project, locale) -> tuple[str, tuple]:
    clauses, params = [], []
    for column, value in (("c.path", path), ("c.project", project), ("c.locale", locale)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (" AND ".join(clauses) or "1=1"), tuple(params)


def progress_where(db, path=None, project=None, locale=None) -> Progress:
    where, params = _filters(path, project, locale)
    progress = Progress()
    for row in db.query(
            "SELECT e.state, COUNT(*) AS n, COALESCE(SUM(e.words), 0) AS w FROM entries e "
            f"JOIN catalogs c ON c.id = e.catalog_id WHERE {where} GROUP BY e.state", params):
        progress.add(BUCKET_OF_STATE[row["state"]], row["n"], row["w"])
    return progress


GROUP_COLUMNS = {"catalog": "c.path", "project": "c.project", "locale": "c.locale"}


def progress_grouped(db, group: str, project=None, locale=None) -> dict[str, Progress]:
    """Progress by catalog path, project or locale; catalogs with no entries appear with zeros."""
    try:
        column = GROUP_COLUMNS[group]
    except KeyError:
        raise ValueError(f"group must be one of {sorted(GROUP_COLUMNS)}, not {group!r}") from None
    where, params = _filters(None, project, locale)
    result: dict[str, Progress] = {}
    for row in db.query(f"SELECT DISTINCT {column} AS g FROM catalogs c WHERE {where}", params):
        result[row["g"]] = Progress()
    for row in db.query(
            f"SELECT {column} AS g, e.state, COUNT(*) AS n, COALESCE(SUM(e.words), 0) AS w "
            f"FROM entries e JOIN catalogs c ON c.id = e.catalog_id WHERE {where} "
            f"GROUP BY {column}, e.state", params):
        result.setdefault(row["g"], Progress()).add(BUCKET_OF_STATE[row["state"]], row["n"], row["w"])
    return result


def daily_points(db, path=None, project=None, locale=None) -> list[ProgressPoint]:
    """Sum of the catalogs' daily points. A catalog with no point on a day counts with its latest
    earlier point, so a quiet catalog does not make the line dip."""
    where, params = _filters(path, project, locale)
    rows = db.query(
        "SELECT p.catalog_id, p.day, p.counts_json FROM progress_points p "
        f"JOIN catalogs c ON c.id = p.catalog_id WHERE {where} ORDER BY p.day", params)
    days = sorted({row["day"] for row in rows})
    latest: dict[int, Progress] = {}
    by_day: dict[str, list] = {}
    for row in rows:
        by_day.setdefault(row["day"], []).append(row)
    points = []
    for day in days:
        for row in by_day[day]:
            latest[row["catalog_id"]] = Progress.from_dict(json.loads(row["counts_json"]))
        total = Progress()
        for progress in latest.values():
            total += progress
        points.append(ProgressPoint(day, total))
    return points
