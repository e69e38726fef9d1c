"""transkit: translate the plugins you use and give the translation back.

The library API lives in the sub-packages; the most used names are re-exported here::

    from transkit import load_catalog
    catalog = load_catalog("languages/my-plugin-it_IT.po")
"""

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.errors import CatalogError, TranskitError

__version__ = "0.1.0"
__all__ = ["Catalog", "CatalogError", "Entry", "TranskitError", "load_catalog", "__version__"]
