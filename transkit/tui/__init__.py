"""The Textual face of transkit: ``transkit tui [PATH]`` (or ``transkit`` alone).

Only this package imports textual; it calls the catalog, checks, suggest, store and jobs layers.
"""


def run(path=".") -> None:
    from transkit.tui.app import run as run_app

    run_app(path)
