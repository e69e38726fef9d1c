"""The Textual face of transkit: ``transkit tui [PATH]`` (or ``transkit`` alone).

Only this package imports textual; it calls the catalog, checks, suggest, store and jobs layers.
"""


def run(path=".") -> None:
    """Open the TUI on a folder or catalog file, or on several (a list): their catalogs in one dashboard."""
    from transkit.tui.app import run as run_app

    run_app(path)
