"""Class 10: no view of the app shows a secret a server echoed back: context (tree and edit field), event detail,
run log and conversation."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from rich.console import Console
from textual.widgets import Input, TabbedContent
from textual.widgets.tree import TreeNode

from tests.connectors.server import LoopbackServer, json_reply
from tests.hostile.kit import assert_no_secret, echo_workspace
from tests.quick_pilot import quick_test
from tests.tui.debug.harness import DebugApp, select, state
from tests.waiting import wait_until
from workbench.tui.debug.context_inspector import ContextNode
from workbench.tui.debug.event_detail import render_event
from workbench.tui.debug.run_log import event_text

SECRET = "Zq8-wQ 7v/Lp+3xT_e9"


def echo_body() -> dict[str, object]:
    return {
        "echo": SECRET,
        "nested": {"auth": f"Bearer {SECRET}", "query": f"token={quote_plus(SECRET)}"},
        "list": [SECRET, base64.b64encode(f"u:{SECRET}".encode()).decode()],
        SECRET: "as a key",
    }


def tree_text(node: TreeNode[ContextNode]) -> list[str]:
    node.expand()
    texts = [str(node.label)]
    for child in node.children:
        texts += tree_text(child)
    return texts


def plain(renderable: object) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("encoding", ["raw", "json-in-text"])
async def test_the_app_never_shows_an_echoed_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    monkeypatch.setenv("HOSTILE_TOKEN", SECRET)
    body = echo_body() if encoding == "raw" else {"echo": json.dumps(echo_body())}
    async with LoopbackServer({"/echo": json_reply(body)}) as server:
        root = echo_workspace(tmp_path, server.url("/echo"))
        app = DebugApp(root, "P")
        async with quick_test(app, size=(120, 40)) as pilot:
            app.selected = "done"
            await pilot.press("f9", "f5")
            await wait_until(lambda: state(app.view) == "paused", pilot=pilot)
            view = app.view
            view.query_one(TabbedContent).active = "context"
            await select(pilot, view.context_inspector, ("Temporary attributes", "Echo", "echo"))
            await pilot.press("e")
            edit_field = view.context_inspector.query_one("#context-edit", Input).value
            shown = [edit_field, *tree_text(view.context_inspector.tree.root)]
            shown += [str(event_text(event)) for event in view.run_log.events]
            shown += [plain(render_event(event, view.debug_run.request_of(event))) for event in view.run_log.events]
            shown += [str(line.render()) for line in view.conversation.transcript.children]
            shown.append(app.export_screenshot())
    assert server.received[0].headers["authorization"] == f"Bearer {SECRET}"
    assert any("***" in text for text in shown)
    assert_no_secret(SECRET, *shown)
