"""A look, not a walk, into the bundled third-party code the catalog finder skips (``vendor/``,
``node_modules/``): which catalog files its packages hold, so that skipping it is said, never silent.

The finder skips these folders as WP-CLI does (a library's catalogs are not the project's), but one
may hold a library's translations the user wants; ``discover.scan`` then lists the folder as left
out, with what the look found and how to include it. The look has to be cheap: a ``node_modules``
can hold 100,000 files, and every command searches folders. So it opens only where packages keep
catalogs: each package's own folder (``vendor/<name>``, composer's ``vendor/<vendor>/<name>``,
``node_modules/<name>``, ``node_modules/@scope/<name>``) and, in it, the folders named like a
catalog folder (``languages/``, ``lang/``, ``po/``, ``locale/``, …) down to four levels. A catalog
anywhere else in a package (``src/resources/lang/``, a test fixture) is not seen; nested
``node_modules`` are not opened. That is one directory listing per package: a ``node_modules`` of
1,700 packages and 100,000 files takes 1,706 listings, 40 ms (the listings alone 30 ms) on a loaded
2-CPU machine, where a full walk took 530-620 ms.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

# The skipped folders whose skip is said when they hold catalogs (``discover.SKIPPED_DIRS`` is the one
# skip list; these are its bundled third-party code). The others (version control, caches, virtual
# environments, hidden folders, transkit's own exports) never hold the user's catalogs: naming them
# would be noise.
BUNDLED_DIRS = frozenset({"node_modules", "vendor"})
# where a package keeps its catalogs (WordPress, gettext, Babel, Laravel, npm i18n packages)
CATALOG_FOLDERS = frozenset({"languages", "language", "lang", "langs", "i18n", "l10n", "po", "locale", "locales",
                             "translations"})
_CATALOG_FOLDER_DEPTH = 4  # i18n/locale/<ll>/LC_MESSAGES/<domain>.po


def bundled_catalogs(folder: Path, is_catalog: Callable[[str], bool]) -> dict[Path, list[Path]]:
    """The catalog files (names ``is_catalog`` accepts) the packages in ``folder`` (a ``vendor/`` or
    ``node_modules/``) hold where packages keep them, by package folder; sorted, empty when none."""
    found: dict[Path, list[Path]] = {}

    def package(root: str, listing: tuple[list[str], list[str]]) -> None:
        files = [os.path.join(root, name) for name in listing[0]]
        for name in listing[1]:
            if name in CATALOG_FOLDERS:
                files.extend(_catalogs_below(os.path.join(root, name), is_catalog, _CATALOG_FOLDER_DEPTH))
        if files:
            found[Path(root)] = sorted(map(Path, files))

    top_folder = str(folder)
    top = _listing(top_folder, is_catalog)
    package(top_folder, top)  # catalogs in vendor/ itself, or in its languages/
    composer = folder.name == "vendor"
    for name in top[1]:
        if name in CATALOG_FOLDERS or name in BUNDLED_DIRS:
            continue
        child = os.path.join(top_folder, name)
        listing = _listing(child, is_catalog)
        scope = not composer and name.startswith("@")  # node_modules/@scope/<package>
        if not scope:
            package(child, listing)
        if scope or composer:  # vendor/<vendor>/<package> (and vendor/<package>/ itself, above)
            for sub in listing[1]:
                if sub not in CATALOG_FOLDERS and sub not in BUNDLED_DIRS:
                    package(os.path.join(child, sub), _listing(os.path.join(child, sub), is_catalog))
    return dict(sorted(found.items()))


def _listing(folder: str, is_catalog: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """The catalog file names and the folder names in ``folder``, sorted (hidden ones left out: a
    pnpm store, caches)."""
    catalogs: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_dir():
                        folders.append(name)
                    elif is_catalog(name) and entry.is_file():
                        catalogs.append(name)
                except OSError:
                    continue
    except OSError:
        return [], []
    return sorted(catalogs), sorted(folders)


def _catalogs_below(folder: str, is_catalog: Callable[[str], bool], depth: int) -> list[str]:
    catalogs, folders = _listing(folder, is_catalog)
    found = [os.path.join(folder, name) for name in catalogs]
    if depth > 1:
        for name in folders:
            found.extend(_catalogs_below(os.path.join(folder, name), is_catalog, depth - 1))
    return found
