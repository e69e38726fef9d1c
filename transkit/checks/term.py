"""One glossary term (English source, its translation or none to keep it, part of speech, comment):
what glossary files (CSV, TBX) hold and the glossary check looks for."""

from __future__ import annotations

from dataclasses import dataclass

# GlotPress's parts of speech (gp-includes/things/glossary-entry.php)
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "interjection", "conjunction", "preposition",
                   "pronoun", "expression", "abbreviation")


@dataclass(frozen=True)
class Term:
    source: str
    translation: str = ""  # "" (or the term itself): keep the term as it is
    part_of_speech: str = ""
    comment: str = ""

    @property
    def keep(self) -> bool:
        return not self.translation or self.translation == self.source

    def as_dict(self) -> dict:
        return {"term": self.source, "translation": self.translation, "pos": self.part_of_speech,
                "comment": self.comment}
