"""The run bar chooses who plays the agent: the author, a scenario's script, or a language model."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import orjson
from rich.console import Console
from textual.widgets import Select

from tests.agent.chat_server import ChatServer
from tests.agent.desk import Roles, says
from tests.conftest import SUPPORT_DESK
from tests.events import json_event
from tests.quick_pilot import quick_test
from tests.tui.debug.harness import DebugApp, brisk, finished, status
from tests.waiting import wait_until
from workbench.tui.debug.event_detail import render_event


def choose(app: DebugApp, agent: str) -> None:
    app.view.run_bar.query_one("#run-agent", Select).value = agent


async def test_the_model_without_settings_says_what_is_missing_and_a_scenario_scripts_the_agent(
    brisk_desk: Path,
) -> None:
    """The run bar offers the author, the model and the scenarios; the model without settings says what is missing
    and starts nothing; a scenario's script plays the agent, the author filling the gaps. (One debug view: two
    tests once, each starting it.)"""
    app = DebugApp(brisk_desk, "Cancel subscription")
    async with quick_test(app, size=(100, 40)) as pilot:
        options = [value for _, value in app.view.run_bar.query_one("#run-agent", Select)._options]
        assert options[:2] == ["you", "model"] and "scenario:Cancel with a reason" in options
        choose(app, "model")
        await pilot.press("f5")
        await wait_until(lambda: status(app.view).startswith("cannot start"), pilot=pilot)
        assert "no model to run the agent with" in status(app.view) and app.view.debug_run is None

        choose(app, "scenario:Cancel with a reason")
        await pilot.press("f5")
        await finished(pilot, app.view)
        debug_run = app.view.debug_run
        result = debug_run.result if debug_run is not None else None
        assert result is not None and result.answers == {"reason": "Too expensive for me right now"}
        assert result.decisions == {"state": "else"} and result.outcome == "resolved"


async def test_the_model_plays_the_agent_and_the_detail_shows_its_prompt(tmp_path: Path) -> None:
    root = brisk(Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk")))
    roles = Roles(message=[says("On it")])
    async with ChatServer(roles) as server:
        settings = orjson.loads((root / "workbench.json").read_bytes())
        settings["agent"] = {"base_url": server.base_url, "model": "test-model"}
        (root / "workbench.json").write_bytes(orjson.dumps(settings))
        app = DebugApp(root, "Order status")
        async with quick_test(app, size=(100, 40)) as pilot:
            choose(app, "model")
            await pilot.press("f5")
            await finished(pilot, app.view)
            result = app.view.debug_run.result
            assert result is not None and result.messages == ["On it (lookup)", "On it (tracking)"]
            exchange = next(event for event in app.view.run_log.events if event.type == "agent_exchange")
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_event(exchange))
    shown = console.export_text()
    assert "purpose message" in shown and "model   test-model" in shown
    assert "  system" in shown and "You are a customer-support agent" in shown
    assert "Step 'lookup' of the procedure 'Order status'" in shown
    assert "reply" in shown and "On it (lookup)" in shown and "11 prompt + 7 completion" in shown


async def test_a_decision_exchange_shows_the_tool_and_its_call() -> None:
    event = json_event(
        9,
        0.5,
        "agent_exchange",
        {
            "procedure": "P",
            "step": "mood",
            "purpose": "decision",
            "model": "m",
            "request": {
                "messages": [{"role": "user", "content": "Which holds?"}],
                "tools": [
                    {"type": "function", "function": {"name": "choose_branch", "parameters": {"type": "object"}}}
                ],
                "tool_choice": {"type": "function", "function": {"name": "choose_branch"}},
            },
            "reply": {
                "content": None,
                "tool_calls": [{"name": "choose_branch", "arguments": {"branch": "else"}}],
                "finish_reason": "tool_calls",
            },
            "tokens": {"prompt": 3, "completion": 2},
            "latency_ms": 12.5,
            "attempts": 2,
            "error": None,
        },
    )
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_event(event))
    shown = console.export_text()
    assert "tool choose_branch (required)" in shown and "calls choose_branch" in shown
    assert '"branch": "else"' in shown and "12.5 ms, 2 attempt(s)" in shown
