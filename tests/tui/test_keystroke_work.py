"""A key typed into a field does only the work it changed: no new workspace tree, no walk of the DOM from the
app's code, no layout of the whole screen when nothing changed size, no problems table made afresh when a few of
its cells changed. (What each costs is measured by bench/keystrokes.py; these tests fail when one comes back.)"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.css.query import DOMQuery
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from tests.quick_pilot import quick_test
from tests.tui.conftest import front_editor, open_item, running, settle, workbench_of
from tests.tui.editor_host import hosting
from tests.waiting import mounted
from workbench.lint import Finding
from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.problems import ProblemsPanel
from workbench.tui.widgets.scenario_editor import ScenarioEditor
from workbench.tui.widgets.tabbed_editor import TabbedEditor
from workbench.tui.widgets.title_bar import TitleBar

APP_CODE = str(Path(__file__).resolve().parents[2] / "workbench")


@contextmanager
def app_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every DOM query the app's own code makes meanwhile, by where it was made."""
    made: list[str] = []

    def counting(walk: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            caller = traceback.extract_stack(limit=2)[0]  # (Textual's own lookups inside a call of ours: not ours)
            if caller.filename.startswith(APP_CODE):
                made.append(f"{caller.filename}:{caller.lineno} {caller.name}")
            return walk(*args, **kwargs)

        return counted

    monkeypatch.setattr(DOMQuery, "__init__", counting(DOMQuery.__init__))  # query(…)
    monkeypatch.setattr(DOMNode, "query_one", counting(DOMNode.query_one))  # (walks without a DOMQuery)
    yield made
    monkeypatch.undo()


async def test_typing_a_scenario_name_relabels_its_tree_node_and_walks_no_dom(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key typed in a scenario's name renames it: the tree keeps its nodes (no rebuild, which lays the
    screen out again) and redraws the scenario's label; neither the edit's way through the app (debug view,
    scenarios pane, panes) nor the form's error lines look anything up in the DOM."""
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "scenario", "Order in transit shows tracking")
        editor = front_editor(app, ScenarioEditor)
        give_focus(editor.query_one("#scenario-name", Input))
        await pilot.press("end", "x")  # the first edit finds what it keeps
        await settle(pilot)
        nodes = {id(node) for node in app.tree.root.children for node in (node, *node.children)}
        with app_queries(monkeypatch) as made:
            await pilot.press("y", "z")
            await settle(pilot)
        assert made == [], "the app walked the DOM for a key typed:\n" + "\n".join(made)
        assert {id(node) for node in app.tree.root.children for node in (node, *node.children)} == nodes
        node = next(node for node in app.tree.root.children[2].children if node.data is editor.entry)
        assert node.label.plain.endswith("Order in transit shows trackingxyz")


async def _shown(pilot: Pilot[None], editor: EntryEditor, field: str) -> Widget:
    """The field ``field`` of ``editor``, once its tab has mounted it."""
    return await mounted(lambda: editor.query_one(field), pilot, what=f"{field} shown")


@pytest.mark.parametrize(
    ("kind", "name", "places"),
    [
        ("connector", "Get orders", [("tab-inputs", "#input-name"), ("tab-request", "#name")]),
        ("procedure", "Order status", [(None, "#text")]),
        ("workspace", "", [(None, "#workspace-name")]),
    ],
)
async def test_typing_in_an_editor_field_walks_no_dom(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch, kind: str, name: str, places: list[tuple[str | None, str]]
) -> None:
    """Each editor reaches the parts a key changes through the references it keeps (an inputs table's form, a
    connector's error lines, a step's error line, the settings' form): a key typed looks nothing up in the DOM
    (each place of the editor, on its tab, one after the other in one editor)."""
    async with hosting(desk_copy, kind, name) as (pilot, editor):
        for tab, field in places:
            if tab is not None:
                assert isinstance(editor, TabbedEditor)
                await editor.show_tab(tab)
            give_focus(await _shown(pilot, editor, field))
            await pilot.press("end", "x")  # the first edit finds what it keeps
            await settle(pilot)
            with app_queries(monkeypatch) as made:
                await pilot.press("y", "z")
                await settle(pilot)
            assert made == [], f"the editor walked the DOM for a key typed in {field}:\n" + "\n".join(made)


def _finding(message: str, rule: str = "unknown-attribute") -> Finding:
    return Finding(rule, "error", Path("procedures/order-status.json"), message, step="look-up")


class _Problems(App[None]):
    def compose(self) -> ComposeResult:
        yield ProblemsPanel(id="problems")


async def test_the_problems_list_redraws_changed_cells_in_place_and_remakes_rows_that_change_height() -> None:
    """A finding whose message changed, on as many lines, is redrawn in its row (the rows stay: the table is not
    measured afresh per key); one that now wraps onto more lines makes the table afresh, every line shown."""
    async with quick_test(_Problems(), size=(100, 12)) as pilot:
        panel = pilot.app.query_one(ProblemsPanel)
        panel.show([_finding("Connector 'Get orders' is used"), _finding("second"), _finding("third")])
        await pilot.pause()
        rows = [row.key for row in panel.ordered_rows]
        panel.show([_finding("Connector 'Get ordersx' is used"), _finding("second"), _finding("third")])
        await pilot.pause()
        assert [row.key for row in panel.ordered_rows] == rows
        assert str(panel.get_row_at(0)[1]) == "Connector 'Get ordersx' is used"
        assert [row.height for row in panel.ordered_rows] == [1, 1, 1]
        long = "a message long enough to wrap in the message column " * 3
        panel.show([_finding(long), _finding("second"), _finding("third")])
        await pilot.pause()
        assert str(panel.get_row_at(0)[1]) == long
        assert panel.ordered_rows[0].height > 1


class _Typing(App[None]):
    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(id="field")


async def test_typing_in_a_field_and_a_new_title_lay_nothing_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key typed in a field changes its text's width, and a renamed item the title bar's text: neither moves a
    widget, so neither lays the screen out again (a layout of every pane per key, on a big editor the most
    costly part of typing)."""
    async with quick_test(_Typing(), size=(60, 10)) as pilot:
        app = pilot.app
        app.query_one(Input).focus()
        await pilot.pause()
        layouts: list[Screen[Any]] = []
        lay_out = Screen._refresh_layout

        def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
            layouts.append(screen)
            lay_out(screen, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for key in "abcde":
            await pilot.press(key)
            app.sub_title = f"item {app.query_one(Input).value}"
        await pilot.pause()
        assert app.query_one(Input).value == "abcde"
        assert len(layouts) == 0
