"""What a check finds: one ``Problem`` (a stable check id, its severity, a message, the plural form and
the characters it is about). Its own module so every check module can name it without importing the
package that lists the checks."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry.

    ``check`` is a stable id (``format``, ``newline-start``, ``tags``…); ``form`` the msgstr index
    for plural entries (None for a singular msgstr or the entry as a whole); ``span`` the
    (start, end) characters of the offending part of that translation form, when there is one;
    ``line`` the file's line it is on, when that is not its entry's first line (a byte-order mark
    on line 1, reported on the header entry).
    """

    check: str
    severity: str
    message: str
    form: int | None = None
    span: tuple[int, int] | None = None
    line: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return {"check": self.check, "severity": self.severity, "message": self.message,
                "form": self.form, "span": list(self.span) if self.span else None}
