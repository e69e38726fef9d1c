"""The autosave journal: unsaved edits of one catalog, written after every change.

If transkit (or the terminal) dies before a save, the next session finds the journal in the data
folder and offers the edits back. One small JSON file per catalog, replaced atomically, so a crash
mid-write leaves the previous journal intact. No textual here: the session writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from transkit.config import data_dir
from transkit.files import atomic_write

JOURNAL_FOLDER = "tui-journal"


@dataclass
class JournalEntry:
    """What an edited entry looks like now, and the review state waiting to be stored."""

    msgctxt: str | None
    msgid: str
    msgstr: str
    msgstr_plural: dict[int, str]
    flags: list[str]
    state: str | None = None
    provider: str | None = None
    score: float | None = None

    def as_dict(self) -> dict:
        return {"msgctxt": self.msgctxt, "msgid": self.msgid, "msgstr": self.msgstr,
                "msgstr_plural": {str(k): v for k, v in self.msgstr_plural.items()},
                "flags": self.flags, "state": self.state, "provider": self.provider,
                "score": self.score}

    @classmethod
    def from_dict(cls, data: dict) -> "JournalEntry":
        return cls(data.get("msgctxt"), data["msgid"], data.get("msgstr", ""),
                   {int(k): v for k, v in (data.get("msgstr_plural") or {}).items()},
                   list(data.get("flags") or []), data.get("state"), data.get("provider"),
                   data.get("score"))


class Journal:
    """The journal file of one catalog path."""

    def __init__(self, catalog_path: str | os.PathLike, folder: Path | None = None):
        self.catalog_path = str(Path(catalog_path).resolve())
        digest = hashlib.sha1(self.catalog_path.encode("utf-8")).hexdigest()[:16]
        self.folder = folder or data_dir() / JOURNAL_FOLDER
        self.path = self.folder / f"{Path(catalog_path).name}-{digest}.json"

    def write(self, entries: list[JournalEntry]) -> None:
        if not entries:
            self.discard()
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {"catalog": self.catalog_path, "entries": [e.as_dict() for e in entries]}
        atomic_write(self.path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def read(self) -> list[JournalEntry]:
        """The journalled entries; an unreadable journal counts as none (it only ever helps)."""
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            if payload.get("catalog") != self.catalog_path:
                return []
            return [JournalEntry.from_dict(item) for item in payload.get("entries", [])]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
