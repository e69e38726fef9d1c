"""The TUI dashboard splits the machine drafts by engine (memory, DeepL, LLM) as `transkit status`
does: real fills (the memory, DeepL against tests/deepl_server.py, an LLM through the real openai
library against tests/llm_server.py), then the real app at 140 and at 80 columns."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from transkit.jobs.fill import FillOptions, fill
from transkit.jobs.memory import seed_from
from transkit.tui.app import TranskitApp
from transkit.tui.screens.dashboard import DashboardScreen
from tui_helpers import settle

pytest_plugins = ["llm_fixtures", "deepl_fixtures"]


def report_of(paths, options, **providers):
    events = list(fill(paths, options, mt_providers=providers))
    return events[-1].report


def screen_lines(app) -> list[str]:
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def row_cells(app, name: str) -> dict[str, str]:
    """The dashboard row of the catalog whose path holds ``name``, by column header."""
    table = app.screen.query_one(DataTable)
    (key,) = [row.key for row in table.ordered_rows if name in str(row.key.value)]
    headers = [str(column.label) for column in table.ordered_columns]
    return dict(zip(headers, (str(cell) for cell in table.get_row(key))))


@pytest.mark.parametrize("api", ["openai"])
async def test_the_machine_column_is_split_by_engine_at_140_and_80_columns(sample_po, make_llm, make_provider):
    gallery = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    notes = sample_po / "quick-notes" / "languages" / "quick-notes-it_IT.po"
    seed_from([sample_po])  # the memory learns the folder (hello-cli has some of tiny-gallery's strings)
    by_llm = report_of([gallery], FillOptions("it_IT", providers=("tm", "llm")), llm=make_llm())
    by_deepl = report_of([notes], FillOptions("it_IT", providers=("deepl",)), deepl=make_provider())
    memory = by_llm.from_memory_exact + by_llm.from_memory_fuzzy
    assert memory and by_llm.by_provider["llm"] and by_deepl.by_provider["deepl"]

    app = TranskitApp(sample_po)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        wide = row_cells(app, "tiny-gallery")
        assert (wide["Memory"], wide["DeepL"], wide["LLM"]) == (str(memory), "0", str(by_llm.by_provider["llm"]))
        notes_row = row_cells(app, "quick-notes")
        assert (notes_row["Memory"], notes_row["DeepL"], notes_row["LLM"]) == (
            "0", str(by_deepl.by_provider["deepl"]), "0")

        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # still nothing off screen to the right
        header = next(line for line in screen_lines(app) if "Project" in line and "Locale" in line)
        for name in ("Mem", "DeepL", "LLM", "Fuz", "Last"):
            assert name in header, (name, header)
        narrow = row_cells(app, "tiny-gallery")
        assert (narrow["Mem"], narrow["DeepL"], narrow["LLM"]) == (str(memory), "0", str(by_llm.by_provider["llm"]))
