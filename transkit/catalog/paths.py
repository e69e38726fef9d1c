"""Where data may send our writes: the one place that validates path parts read from catalogs and
plugin headers (text domain, X-Domain, Domain Path, locale, project name) and confines every write to
the folder it belongs in.

A plugin someone downloads chooses these values; ``Text Domain: ../../../x`` or
``X-Domain: /etc/x`` must be refused with the field and file named, never followed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from transkit.errors import CatalogError

# WordPress slugs and gettext domains: letters, digits, "_", "-" and inner dots (e.g. "wp-seo",
# "contact-form-7", "com.example.app"); never a separator, never a leading dot, never ".."
_DOMAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
# ll, lll, ll_CC, ll_419, + variant (de_DE_formal, pt_PT_ao90) + @modifier (sr_RS@latin)
_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-](?:[A-Z]{2}|[0-9]{3}))?(?:_[A-Za-z0-9]{1,12})?(?:@[A-Za-z0-9]{1,16})?")


def _where(source) -> str:
    return f" (from {source})" if source else ""


def is_domain(value: str) -> bool:
    return bool(_DOMAIN.fullmatch(value or "")) and ".." not in value


def safe_domain(value: str, field: str = "text domain", source: str | os.PathLike | None = None) -> str:
    """``value`` if it is a usable text domain / slug, else CatalogError naming the field and file."""
    if not is_domain(value):
        raise CatalogError(f"{field} {value!r} is not a text domain (letters, digits, '-', '_', '.'; "
                           "no '/' or '..'); refusing to use it in a file name", source)
    return value


def is_locale_code(value: str) -> bool:
    return bool(_LOCALE.fullmatch(value or ""))


def safe_locale(value: str, field: str = "locale", source: str | os.PathLike | None = None) -> str:
    if not is_locale_code(value):
        raise CatalogError(f"{field} {value!r} is not a locale code (e.g. de_DE, pt_BR, sr_RS@latin); "
                           "refusing to use it in a file name", source)
    return value


def safe_file_name(value: str, field: str, source: str | os.PathLike | None = None) -> str:
    """A single file or folder name made from data (a project name, a slug + locale)."""
    if (not value or value in (".", "..") or "/" in value or "\\" in value or "\0" in value
            or value.startswith(".") or len(value) > 255):
        raise CatalogError(f"{field} {value!r} cannot be a file name; refusing to write it", source)
    return value


def safe_relative_folder(value: str, field: str, source: str | os.PathLike | None = None) -> str:
    """A folder relative to a plugin (``Domain Path: /languages``) with no way out of it."""
    cleaned = (value or "").strip().replace("\\", "/").strip("/")
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts) or "\0" in cleaned or re.match(r"^[A-Za-z]:", cleaned):
        raise CatalogError(f"{field} {value!r} leads out of the plugin folder; refusing to write there",
                           source)
    return "/".join(parts)


def contained(target: str | os.PathLike, root: str | os.PathLike, field: str = "path",
              source: str | os.PathLike | None = None) -> Path:
    """``target`` (made absolute) when it resolves inside ``root``; CatalogError otherwise. Symlinks
    are resolved on both sides, so a link inside the plugin cannot point the write elsewhere."""
    target_path = Path(target)
    resolved_root = Path(root).resolve()
    resolved = (resolved_root / target_path if not target_path.is_absolute() else target_path).resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise CatalogError(f"{field} would write {resolved}, outside {resolved_root}{_where(source)}; "
                           "refusing", source)
    return resolved


def catalog_file_in(root: str | os.PathLike, domain_path: str, file_name: str,
                    source: str | os.PathLike | None = None) -> Path:
    """``root/<Domain Path>/file_name`` from a plugin header, refused (naming the field and file)
    when the Domain Path or the name would lead out of ``root``."""
    folder = safe_relative_folder(domain_path, "Domain Path", source)
    safe_file_name(file_name, "catalog file name", source)
    return contained(Path(folder) / file_name if folder else Path(file_name), root, "Domain Path", source)
