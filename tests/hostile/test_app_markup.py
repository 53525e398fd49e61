"""Classes 2 and 3 in the app: names and values that look like markup (``[/]``, ``[bold]x``, ``[link=…]``,
``Refund [legacy] case``) or hold terminal escapes (``ESC ] 0 ; … BEL``) are drawn literally in every pane —
tree, editor, Response tab, problems list, test request, notifications, run log, context, conversation,
scenarios, title — and nothing crashes."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent

from tests.connectors.server import LoopbackServer, json_reply
from tests.hostile.kit import calling, write_workspace
from tests.tui.conftest import front_editor, open_item, running, screen_text, settle, told, workbench_of
from tests.tui.debug.harness import finished
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.live_request_screen import LiveRequestScreen
from workbench.tui.widgets.attribute_table import AttributeTable
from workbench.tui.widgets.entry_editor import EntryEditor

WIDE = (160, 48)
OSC = "\x1b]0;pwned\x07"
"""Sets the terminal's title when printed raw."""
CONNECTOR = "Get [/] order"
PROCEDURE = "Handle [link=https://evil.example]order[/link] [bold]x"
SCENARIO = "Order [/] processing"
BODY = {"[/]": 1, "[bold]x": "[link=https://evil.example]y", "esc": f"{OSC}\x1b[2J\x1b[31mred"}


def _workspace(root: Path, url: str) -> Path:
    connectors = [
        {"name": CONNECTOR, "request": {"url": url}, "response": {"mode": "live", "example": {"body": {"[/]": 0}}}},
        {"name": "Refund [legacy] case", "request": {"url": url}, "response": {"example": {"body": {"ok": 1}}}},
        {"name": f"Get {OSC} titled", "request": {"url": url}, "response": {"example": {"body": 1}}},
    ]
    procedure = {
        "name": PROCEDURE,
        "steps": [
            {"id": "call", "type": "instruction", "text": f"@call({CONNECTOR})"},
            {"id": "done", "type": "end", "outcome": "resolved", "message": f"Says @read({CONNECTOR} > esc)"},
        ],
    }
    misspelt = calling("Get [/]order", "Misspelt [/]")  # the problems list quotes the mention
    scenario = {"name": SCENARIO, "procedure": PROCEDURE, "expect": {"outcome": "resolved"}}
    root = write_workspace(root, connectors=connectors, procedures=[procedure, misspelt], scenarios=[scenario])
    (root / "connectors" / f"bad{OSC}.json").write_text("{")
    return root


def _drawn(app: WorkbenchApp) -> str:
    """The screen's text, checked to hold no raw ESC (escapes are shown as ``\\x1b``)."""
    text = screen_text(app)
    assert "\x1b" not in text
    return text


async def _tab(app: WorkbenchApp, pilot: Pilot[None], tab: str) -> str:
    app.main.debugger.query_one(TabbedContent).active = tab
    await settle(pilot)
    return _drawn(app)


async def test_markup_and_escapes_in_content_are_drawn_literally_in_every_pane(tmp_path: Path) -> None:
    async with LoopbackServer({"/x": json_reply(BODY)}) as server:  # the live API: its answer is drawn
        root = _workspace(tmp_path / "w", server.url("/x"))
        async with running(root, WIDE) as pilot:
            app = workbench_of(pilot)
            shown = _drawn(app)
            assert CONNECTOR in shown and "Refund [legacy] case" in shown  # the tree
            assert "bad\\x1b]0;pwned\\x07.json" in shown  # a bad file's name, in the tree
            problems = [str(cell) for row in range(app.problems.row_count) for cell in app.problems.get_row_at(row)]
            assert any("Get [/]order" in cell for cell in problems)  # the unknown mention, quoted
            assert any("bad\\x1b]0;pwned\\x07.json" in cell for cell in problems)

            await open_item(pilot, "connector", CONNECTOR)
            assert CONNECTOR in _drawn(app)  # the editor's title and the header
            assert CONNECTOR in app.format_title(app.title, app.sub_title).plain
            front_editor(app, EntryEditor).query_one(TabbedContent).active = "tab-response"
            await settle(pilot)
            _drawn(app)
            table = front_editor(app, EntryEditor).query_one(AttributeTable)
            assert str(table.get_row_at(0)[0]) == "[/]"  # the example's key, drawn as it is

            await pilot.press("ctrl+t")
            await wait_until(lambda: isinstance(app.screen, LiveRequestScreen), pilot)
            dialog = app.screen
            assert isinstance(dialog, LiveRequestScreen)
            await pilot.press("enter")
            await wait_until(lambda: dialog.reply is not None, pilot)
            await pilot.pause()
            shown = _drawn(app)
            assert '"[/]": 1' in shown and "\\x1b]0;pwned" in shown
            await pilot.press("ctrl+y")
            await settle(pilot)
            _drawn(app)  # with its notification
            assert f"The response is now the example of {CONNECTOR}" in told(app)  # (its notice may have timed out)

            await open_item(pilot, "connector", f"Get {OSC} titled")
            assert "Get ␛]0;pwned␇ titled" in _drawn(app)  # the name field: the file's text, drawn as pictures
            assert app.session.find("connector", f"Get {OSC} titled") is not None  # and kept

            await open_item(pilot, "procedure", PROCEDURE)
            assert PROCEDURE in _drawn(app)
            await pilot.press("f5")
            await finished(pilot, app.main.debugger)
            assert CONNECTOR in await _tab(app, pilot, "run-log")
            await _tab(app, pilot, "context")  # the run's attributes, drawn without a raw ESC
            await _tab(app, pilot, "conversation")
            said = [str(bubble.render()) for bubble in app.main.debugger.conversation.query(Static)]
            assert any("Says \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred" in text for text in said), said
            assert SCENARIO in await _tab(app, pilot, "scenarios")
            front_editor(app, EntryEditor).notify(f"{OSC}[bold]x[/]", title=f"[/]{OSC}")
            await pilot.pause()
            last = list(app._notifications)[-1]  # (run_test draws no toasts: what a toast would draw)
            assert (last.message, last.title, last.markup) == (
                "\\x1b]0;pwned\\x07[bold]x[/]",
                "[/]\\x1b]0;pwned\\x07",
                False,
            )
    saved = json.loads(next((root / "connectors").glob("item-0.json")).read_text())
    assert saved["name"] == CONNECTOR  # nothing was lost or rewritten on the way
