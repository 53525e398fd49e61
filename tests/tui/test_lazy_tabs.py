"""A tabbed editor builds only the tab in front when it opens; another tab is built the first time it is shown, from
the model, the drafts and what the editor keeps (its findings). Code reaches a tab's widgets only through
``TabbedEditor.tab_part``, which finds nothing on a tab not built (see workbench/tui/widgets/tabbed_editor.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Static

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting
from workbench.lint import Finding
from workbench.tui.widgets.attribute_table import AttributeTable
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.scenario_editor import ScenarioEditor
from workbench.tui.widgets.tabbed_editor import TabbedEditor, TabSheet

TUI = Path(__file__).parents[2] / "workbench" / "tui"
QUERIES = {"query", "query_one", "query_exactly_one", "query_children", "part", "part_if_any", "get_widget_by_id"}
"""What finds a widget under the editor: in a tabbed editor, only ``tab_part`` may (it knows the part's tab)."""


def test_tabbed_editors_reach_their_tabs_widgets_only_through_tab_part() -> None:
    """An editor on tabs that looked up a widget itself would find none (or raise) on a tab not built yet."""
    found: list[str] = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "tabbed_editor.py":
            continue  # the mechanism itself
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ClassDef) and any(_named(base) == "TabbedEditor" for base in node.bases)):
                continue
            found.extend(
                f"{path.name}:{call.lineno} self.{call.func.attr}(...)"
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in QUERIES
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "self"
            )
    assert found == [], "use self.tab_part(selector, Kind) (its tab listed in PARTS):\n" + "\n".join(found)


def _named(base: ast.expr) -> str:
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""


def _built(editor: TabbedEditor) -> list[str]:
    return [sheet.id or "" for sheet in editor.query(TabSheet) if sheet.children]


async def test_every_part_an_editor_reaches_is_on_the_tab_it_names(desk_copy: Path) -> None:
    """``PARTS`` is right: with every tab shown, each part listed is found on its tab (never on another one)."""
    for kind, name in (("connector", "Get orders"), ("scenario", "Big order ships in parts")):
        async with hosting(desk_copy, kind, name) as (pilot, editor):
            assert isinstance(editor, TabbedEditor)
            for _, pane in editor.TABS:
                await editor.show_tab(pane)
            await settle(pilot)
            misplaced, missing = [], []
            for selector, pane in editor.PARTS.items():
                part = editor.tab_part(selector, Widget)
                if part is None:
                    missing.append(selector)
                elif pane not in [node.id for node in part.ancestors]:
                    misplaced.append(f"{selector} is not on {pane}")
            assert misplaced == []
            assert set(missing) <= {"#mock-error", "#simulation-error"}, missing  # (a scenario without them)


async def test_a_connector_opens_with_one_tab_built_and_keeps_the_rest_for_when_shown(desk_copy: Path) -> None:
    """Opening builds the Request tab only; findings, an undo and a save reach no other tab; a tab shown is built
    from the model (an undo's value included) with the findings kept for it, and stays built."""
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        assert _built(editor) == ["tab-request"]
        path = editor.entry.path
        editor.show_findings(
            [
                Finding("transform-error", "error", path, "the transform fails", field="transform", line=1, column=1),
                Finding("unused-input", "warning", path, "no one reads it"),
            ]
        )
        assert "no one reads it" in str(editor.query_one("#connector-findings", ErrorLine).render())
        await editor.show_tab("tab-response")
        await settle(pilot)
        status = editor.query_one("#status", Input)
        before = status.value
        status.value = "404"
        await settle(pilot)
        assert editor.entry.model.response.example.status == 404
        await editor.show_tab("tab-request")
        await pilot.press("ctrl+z")  # composed afresh on the Request tab: the Response tab is built again when shown
        await settle(pilot)
        assert _built(editor) == ["tab-request"]
        assert editor.pending_problems() == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _built(editor) == ["tab-request"]
        await editor.show_tab("tab-response")
        assert editor.query_one("#status", Input).value == before
        table = editor.query_one("#attributes", AttributeTable)  # the example's attributes, listed when it was built
        assert "Get orders > shipping > tracking_number" in table.rows
        await editor.show_tab("tab-transform")
        assert "the transform fails" in str(editor.query_one("#transform-problems", ErrorLine).render())
        await editor.show_tab("tab-request")
        assert _built(editor) == ["tab-request", "tab-response", "tab-transform"]


async def test_a_scenario_shows_its_findings_and_drafts_on_a_tab_built_later(desk_copy: Path) -> None:
    """The findings reach the JSON tab, and a draft's problem its tab's error line, when that tab is first built."""
    async with hosting(desk_copy, "scenario", "Big order ships in parts") as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        assert _built(editor) == ["tab-scenario"]
        editor.show_findings([Finding("unknown-step", "error", editor.entry.path, "no step 'nope'")])
        await editor.show_tab("tab-expect")
        area = editor.query_one("#expect-path")
        area.focus()
        await pilot.press("end", *" x")  # not a step id: a draft, shown under the field
        await settle(pilot)
        assert "is not a step id" in str(editor.query_one("#expect-error", ErrorLine).render())
        await editor.show_tab("tab-scenario")
        await pilot.press("ctrl+z", "ctrl+y")  # composed afresh on the Scenario tab; the draft is back
        await settle(pilot)
        assert _built(editor) == ["tab-scenario"]
        await editor.show_tab("tab-expect")
        assert "is not a step id" in str(editor.query_one("#expect-error", ErrorLine).render())
        await editor.show_tab("tab-json")
        assert "no step 'nope'" in str(editor.query_one("#json-findings", Static).render())
