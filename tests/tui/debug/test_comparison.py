"""The run panel compares two simulation results files as ``workbench simulate --compare`` does: the key opens a
dialog whose path fields complete from the workspace's folder, a file that is not a results file is named with
what is wrong (the dialog stays), and the comparison shows in a "Comparison" tab."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
from rich.console import Console

from tests.tui.conftest import running, workbench_of
from tests.tui.editor_host import typed
from tests.waiting import wait_until
from workbench.agent.comparison import compare_files, render
from workbench.agent.results import FORMAT
from workbench.tui.colours import DEFAULT_PALETTE
from workbench.tui.debug.comparison_view import ComparisonView, render_comparison
from workbench.tui.screens.compare_results import CompareResultsScreen
from workbench.tui.screens.help import help_sections
from workbench.tui.widgets.path_field import PathInput, complete_path

WIDE = (160, 48)


def results_file(path: Path, outcomes: list[bool], paths: list[str], name: str = "Refund [bold]x[/]") -> Path:
    runs = [
        {"index": index, "passed": ok, "path": taken, "criteria": [{"criterion": "polite", "passed": ok}]}
        for index, (ok, taken) in enumerate(zip(outcomes, paths, strict=True), 1)
    ]
    path.write_bytes(orjson.dumps({"format": FORMAT, "version": 1, "scenarios": [{"name": name, "runs": runs}]}))
    return path


def shown(view: ComparisonView) -> str:
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(render_comparison(view.compared, DEFAULT_PALETTE))
    return console.export_text()


def test_paths_complete_from_the_base_folder(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "sim-old.json").write_text("{}")
    (tmp_path / ".hidden.json").write_text("{}")
    assert complete_path(tmp_path, "ru") == "runs/"
    assert complete_path(tmp_path, "runs/sim") == "runs/sim-old.json"
    assert complete_path(tmp_path, "runs/sim-old.json") is None  # nothing more to add
    assert complete_path(tmp_path, "h") is None and complete_path(tmp_path, ".h") == ".hidden.json"
    assert complete_path(tmp_path, f"{tmp_path}/ru") == f"{tmp_path}/runs/"
    assert complete_path(tmp_path, "missing/x") is None and complete_path(tmp_path, "") is None


async def test_the_run_panel_shows_the_comparison_of_two_results_files(desk_copy: Path) -> None:
    """From the run panel (F1 lists its key): an unreadable file is named and Escape leaves no tab; then a path is
    completed, a file that is not a results file named, and two results files compared in a tab, in the CLI's
    words. (The cancel test once started an app of its own.)"""
    old = results_file(desk_copy / "sim-old.json", [True] * 6, ["a → b"] * 6)
    new = results_file(desk_copy / "sim-new.json", [False] * 6, ["a → b"] * 5 + ["a → c"])
    async with running(desk_copy, WIDE) as pilot:
        app = workbench_of(pilot)
        await wait_until(lambda: bool(app.query("DebugView")), pilot, what="the run panel's view")
        await pilot.press("f6")  # into the run panel
        keys = [key for section in help_sections(app, app.focused) for key in section.keys]
        assert ("c", "Compare results files") in keys  # F1 lists it
        await pilot.press("c")
        await wait_until(lambda: isinstance(app.screen, CompareResultsScreen), pilot, what="the dialog")
        await typed(pilot, *"m.json", "enter", *"g.json", "enter")
        message = app.screen.query_one("#compare-message")
        await wait_until(lambda: "cannot read it" in str(message.render()), pilot)
        assert "m.json" in str(message.render())
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(app.screen, CompareResultsScreen), pilot)
        assert not app.query(ComparisonView)

        await pilot.press("c")
        await wait_until(lambda: isinstance(app.screen, CompareResultsScreen), pilot, what="the dialog")
        before = app.screen.query_one("#compare-before", PathInput)
        await typed(pilot, *"sim-o")
        await wait_until(lambda: before._suggestion == "sim-old.json", pilot, what="the completion")
        await pilot.press("right", "enter")  # take it, then on to the second file
        assert before.value == "sim-old.json"
        await typed(pilot, *"workbench.json", "enter")
        message = app.screen.query_one("#compare-message")
        await wait_until(lambda: "not a workbench simulation results file" in str(message.render()), pilot)
        assert "workbench.json" in str(message.render()) and isinstance(app.screen, CompareResultsScreen)
        await typed(pilot, "ctrl+a", "backspace", *"sim-new.json", "enter")
        await wait_until(lambda: bool(app.query(ComparisonView)), pilot, what="the comparison tab")
        view = app.query_one(ComparisonView)
        text = shown(view)
        assert "Refund [bold]x[/]" in text  # a name from the file, drawn as it is
        assert "100% (6/6, 61%-100%)" in text and "0% (0/6, 0%-39%)" in text and "WORSE beyond noise" in text
        assert "+ path appeared in Refund [bold]x[/]: a → c" in text
        assert "2 changes beyond noise" in text
        for line in render(compare_files(old, new), "text").splitlines():  # the CLI's words, every one
            if "→" in line and "path" not in line:
                rate_before, rate_after = line.split(": ", 1)[1].split("  [")[0].split(" → ")
                assert rate_before in text and rate_after in text
        await wait_until(lambda: app.focused is view, pilot, what="the comparison focused")
